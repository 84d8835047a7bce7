"""Bulk photo import: owners from file names, parallel rendering, reruns, failures, progress."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from tests.core.fakes import fake_services
from tests.images import BLUE, GREEN, RED, encode, quadrants, solid
from userphoto.core import importer
from userphoto.core.errors import NotFound
from userphoto.core.importer import ImportProgress, Outcome, import_photos
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services


def add_people(services: Services) -> Services:
    services.directory.save_user({"number": 7, "email": "anna@example.com", "username": "anna"})
    services.directory.save_user({"number": 8, "email": "bert@example.com"})
    services.directory.save_address({"id": 3, "last_name": "Office"})
    return services


@pytest.fixture
def people(services: Services) -> Services:
    return add_people(services)


@pytest.fixture
def fake_people() -> Services:
    """The same directory on the in-memory store, for the tests that render in-process."""
    return add_people(fake_services())


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def photo(colour: tuple[int, int, int] = RED, fmt: str = "JPEG") -> bytes:
    return encode(solid((300, 200), colour), fmt)


def reasons(report: importer.ImportReport) -> dict[str, str]:
    return {f.file.name: f.reason for f in report.failures}


def test_imports_users_by_number_and_email_and_addresses(people: Services, tmp_path: Path) -> None:
    files = {
        "7.jpg": photo(RED),
        "bert@example.com.PNG": photo(GREEN, "PNG"),
        "address-3.webp": photo(BLUE, "WEBP"),
    }
    for name, data in files.items():
        write(tmp_path, name, data)
    report = import_photos(people, tmp_path, workers=2)
    assert (report.imported, report.unchanged, report.failures) == (3, 0, [])
    owners = {
        "7.jpg": PhotoOwner.user(7),
        "bert@example.com.PNG": PhotoOwner.user(8),
        "address-3.webp": PhotoOwner.address(3),
    }
    for name, owner in owners.items():
        current = people.photos.current(owner)
        assert current is not None
        assert current.content_hash == hashlib.sha256(files[name]).hexdigest()
        assert current.original.width == 300


def test_each_failure_names_its_file_and_reason(people: Services, tmp_path: Path) -> None:
    write(tmp_path, "7.jpg", photo())
    write(tmp_path, "99.jpg", photo())
    write(tmp_path, "nobody@example.com.jpg", photo())
    write(tmp_path, "address-42.jpg", photo())
    write(tmp_path, "anna.png", photo())  # user 7 again, by user name
    write(tmp_path, "8.jpg", b"this is not an image")
    write(tmp_path, "noextension", photo())
    write(tmp_path, ".DS_Store", b"finder junk")
    (tmp_path / "sub").mkdir()
    report = import_photos(people, tmp_path, workers=1)
    assert report.imported == 1
    assert reasons(report) == {
        "99.jpg": "unknown-user",
        "nobody@example.com.jpg": "unknown-user",
        "address-42.jpg": "unknown-address",
        "anna.png": "duplicate-owner",
        "8.jpg": "unknown-format",
        "noextension": "bad-name",
    }
    assert people.photos.current(PhotoOwner.user(8)) is None


def test_a_rerun_skips_unchanged_files_and_imports_changed_ones(
    people: Services, tmp_path: Path
) -> None:
    write(tmp_path, "7.jpg", photo(RED))
    write(tmp_path, "8.jpg", photo(GREEN))
    assert import_photos(people, tmp_path, workers=2).imported == 2
    first = people.photos.current(PhotoOwner.user(7))
    write(tmp_path, "8.jpg", encode(quadrants(300, 200), "JPEG"))
    again = import_photos(people, tmp_path, workers=2)
    assert (again.imported, again.unchanged, again.failed) == (1, 1, 0)
    assert people.photos.current(PhotoOwner.user(7)) == first


def test_progress_reports_every_file_once(people: Services, tmp_path: Path) -> None:
    write(tmp_path, "7.jpg", photo())
    write(tmp_path, "8.jpg", photo(GREEN))
    write(tmp_path, "99.jpg", photo())
    seen: list[ImportProgress] = []
    import_photos(people, tmp_path, workers=1, on_progress=seen.append)
    assert sorted(p.file.name for p in seen) == ["7.jpg", "8.jpg", "99.jpg"]
    assert [p.done for p in seen] == [1, 2, 3] and {p.total for p in seen} == {3}
    assert {p.file.name: p.outcome for p in seen}["99.jpg"] is Outcome.FAILED


def test_bad_arguments_are_refused(people: Services, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="workers"):
        import_photos(people, tmp_path, workers=-1)
    with pytest.raises(NotFound):
        import_photos(people, tmp_path / "missing")


class InProcessPool:
    """Stands in for the process pool: runs each job at once, and counts jobs not yet collected.

    A file named in `crash_on` makes its future fail the way a dying worker does.
    """

    uncollected = 0
    most_uncollected = 0
    crash_on: frozenset[str] = frozenset()

    def __init__(self, max_workers: int, mp_context: Any) -> None:
        pass

    def submit(self, fn: Any, file: Path, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        if file.name in self.crash_on:
            future.set_exception(BrokenProcessPool("worker died"))
        else:
            future.set_result(fn(file, *args))
        cls = type(self)
        cls.uncollected += 1
        cls.most_uncollected = max(cls.most_uncollected, cls.uncollected)
        return future

    def shutdown(self, wait: bool, cancel_futures: bool) -> None:
        pass


@pytest.fixture
def in_process_pool(monkeypatch: pytest.MonkeyPatch) -> type[InProcessPool]:
    InProcessPool.uncollected = InProcessPool.most_uncollected = 0
    InProcessPool.crash_on = frozenset()
    real_wait = importer.wait

    def counting_wait(futures: Any, return_when: str) -> Any:
        done, pending = real_wait(futures, return_when=return_when)
        InProcessPool.uncollected -= len(done)
        return done, pending

    monkeypatch.setattr(importer, "ProcessPoolExecutor", InProcessPool)
    monkeypatch.setattr(importer, "wait", counting_wait)
    return InProcessPool


def test_jobs_in_flight_stay_bounded(
    fake_people: Services, tmp_path: Path, in_process_pool: type[InProcessPool]
) -> None:
    for number in range(100, 130):
        fake_people.directory.save_user({"number": number})
        write(tmp_path, f"{number}.png", photo(fmt="PNG"))
    report = import_photos(fake_people, tmp_path, workers=3)
    assert report.imported == 30
    assert 1 < in_process_pool.most_uncollected <= 6


def test_a_crashed_worker_fails_its_files_and_the_import_goes_on(
    fake_people: Services, tmp_path: Path, in_process_pool: type[InProcessPool]
) -> None:
    for number in range(100, 110):
        fake_people.directory.save_user({"number": number})
        write(tmp_path, f"{number}.png", photo(fmt="PNG"))
    in_process_pool.crash_on = frozenset({"103.png"})
    report = import_photos(fake_people, tmp_path, workers=1)
    assert reasons(report)["103.png"] == "worker-crashed"
    assert report.imported + report.failed == 10 and report.imported >= 8
    assert fake_people.photos.current(PhotoOwner.user(109)) is not None
