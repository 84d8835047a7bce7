"""Bulk photo import from a folder, rendering on every core.

File names say whose photo a file is: `<user>.<ext>` where <user> is anything
`DirectoryService.resolve_user` understands (number, e-mail, UUID, user name), and
`address-<id>.<ext>` for an address record. The extension is ignored: the pipeline goes by
content. Hidden files (a leading dot) and folders are left alone.

Workers get file paths and return rendered photos; the parent alone writes to the store,
one atomic `store_rendered` per photo, so an interrupted import leaves every owner with
either the old or the new photo. A rerun skips a file whose SHA-256 equals the owner's
current photo hash (see `content_hash`).
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from userphoto.core.errors import InvalidImage, NotFound
from userphoto.core.model import PhotoOwner
from userphoto.core.photos import PipelineLimits, RenderedPhoto, render_photo
from userphoto.core.photos.pipeline import check_byte_count, content_hash
from userphoto.core.services import Services

_ADDRESS_NAME = re.compile(r"^address-(\d+)$", re.IGNORECASE)
# Futures in flight per worker: enough to keep every core busy, few enough to bound memory.
_IN_FLIGHT_PER_WORKER = 2
# Which of the files in flight killed the process is unknown; a rerun retries them all.
_CRASHED = "a rendering process died while this file was in flight; run the import again"


class Outcome(StrEnum):
    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ImportFailure:
    """A file that was not imported. `reason` is a stable word: "unknown-user",
    "unknown-address", "bad-name", "duplicate-owner", "unreadable-file", "worker-crashed",
    or an InvalidImage reason ("unknown-format", "too-many-pixels", ...)."""

    file: Path
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """One file finished; `done` of `total` files are finished now."""

    file: Path
    outcome: Outcome
    done: int
    total: int


@dataclass(slots=True)
class ImportReport:
    imported: int = 0
    unchanged: int = 0
    failures: list[ImportFailure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def total(self) -> int:
        return self.imported + self.unchanged + self.failed


ProgressCallback = Callable[[ImportProgress], None]


@dataclass(frozen=True, slots=True)
class _Job:
    file: Path
    owner: PhotoOwner
    current_hash: str | None


@dataclass(frozen=True, slots=True)
class _Unchanged:
    pass


def import_photos(
    services: Services,
    folder: Path,
    *,
    workers: int = 0,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every photo file directly in `folder`; `workers` 0 means one per core.

    Per-file problems become failures in the report; a store error stops the import.
    """
    if workers < 0:
        raise ValueError("workers must be 0 (one per core) or more")
    if not folder.is_dir():
        raise NotFound("folder", str(folder))
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    run = _Run(services, len(files), on_progress)
    # Names resolve lazily, between submissions, so memory stays flat for any folder size.
    run.render_all(run.jobs(files), max(1, min(workers or os.cpu_count() or 1, len(files))))
    return run.report


class _Run:
    def __init__(self, services: Services, total: int, on_progress: ProgressCallback | None):
        self._services = services
        self._total = total
        self._on_progress = on_progress
        self.report = ImportReport()

    def jobs(self, files: list[Path]) -> Iterator[_Job]:
        """A job per file whose name resolves to a new owner; failures for the others."""
        claimed: dict[PhotoOwner, Path] = {}
        for file in files:
            try:
                owner = self._owner(file)
            except _NameProblem as problem:
                self._fail(file, problem.reason, str(problem))
                continue
            if owner in claimed:
                self._fail(file, "duplicate-owner", f"{claimed[owner].name} is for the same owner")
                continue
            claimed[owner] = file
            current = self._services.photos.current(owner)
            yield _Job(file, owner, current.content_hash if current else None)

    def render_all(self, jobs: Iterator[_Job], workers: int) -> None:
        limits = self._services.photos.limits
        pending = jobs
        while True:
            # A crashed worker breaks the whole pool: record its files and carry on afresh.
            leftover = self._render_with_pool(pending, workers, limits)
            if leftover is None:
                return
            pending = leftover

    def _render_with_pool(
        self, jobs: Iterator[_Job], workers: int, limits: PipelineLimits
    ) -> Iterator[_Job] | None:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        in_flight: dict[Future[RenderedPhoto | _Unchanged | ImportFailure], _Job] = {}
        try:
            while True:
                for job in jobs:
                    in_flight[pool.submit(_render_file, job.file, job.current_hash, limits)] = job
                    if len(in_flight) >= workers * _IN_FLIGHT_PER_WORKER:
                        break
                if not in_flight:
                    return None
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    job = in_flight.pop(future)
                    if isinstance(future.exception(), BrokenProcessPool):
                        broken = True
                        self._fail(job.file, "worker-crashed", _CRASHED)
                    else:
                        self._finish(job, future.result())
                if broken:
                    for job in in_flight.values():
                        self._fail(job.file, "worker-crashed", _CRASHED)
                    return jobs
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _finish(self, job: _Job, result: RenderedPhoto | _Unchanged | ImportFailure) -> None:
        if isinstance(result, ImportFailure):
            self.report.failures.append(result)
            self._progress(job.file, Outcome.FAILED)
        elif isinstance(result, _Unchanged):
            self.report.unchanged += 1
            self._progress(job.file, Outcome.UNCHANGED)
        else:
            self._services.photos.store_rendered(job.owner, result)
            self.report.imported += 1
            self._progress(job.file, Outcome.IMPORTED)

    def _owner(self, file: Path) -> PhotoOwner:
        stem, dot, extension = file.name.rpartition(".")
        if not dot or not stem or not extension:
            raise _NameProblem("bad-name", "expected <user>.<ext> or address-<id>.<ext>")
        address = _ADDRESS_NAME.match(stem)
        try:
            if address:
                return PhotoOwner.address(self._services.directory.address(int(address[1])).id)
            return PhotoOwner.user(self._services.directory.resolve_user(stem).number)
        except NotFound as exc:
            raise _NameProblem(f"unknown-{exc.what}", str(exc)) from None

    def _fail(self, file: Path, reason: str, message: str) -> None:
        self.report.failures.append(ImportFailure(file, reason, message))
        self._progress(file, Outcome.FAILED)

    def _progress(self, file: Path, outcome: Outcome) -> None:
        if self._on_progress is not None:
            done = self.report.total
            self._on_progress(ImportProgress(file, outcome, done, self._total))


class _NameProblem(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _render_file(
    file: Path, current_hash: str | None, limits: PipelineLimits
) -> RenderedPhoto | _Unchanged | ImportFailure:
    """Runs in a worker: read, compare with the current hash, render. Never raises on bad input."""
    try:
        check_byte_count(file.stat().st_size, limits)
        data = file.read_bytes()
        if current_hash is not None and content_hash(data) == current_hash:
            return _Unchanged()
        return render_photo(data, limits)
    except InvalidImage as exc:
        return ImportFailure(file, exc.reason, str(exc))
    except OSError as exc:
        return ImportFailure(file, "unreadable-file", str(exc))
