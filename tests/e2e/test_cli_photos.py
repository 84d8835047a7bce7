"""`userphoto photos set/delete/import`."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.e2e.conftest import Invoke, image_bytes
from tests.waiting import within_a_second
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services


def test_set_and_delete_a_photo_by_email(
    invoke: Invoke, services: Services, png_file: Path
) -> None:
    services.directory.save_user({"number": 3, "email": "ole@example.org"})
    result = invoke("photos", "set", "ole@example.org", str(png_file))
    assert result.exit_code == 0, result.output
    assert "photo of user 3 set" in result.stdout
    assert services.photos.current(PhotoOwner.user(3)) is not None
    assert orjson.loads(invoke("users", "show", "3", "--json").stdout)["photo"] == "own"

    deleted = invoke("photos", "delete", "3")
    assert deleted.exit_code == 0, deleted.output
    # The CLI wrote as another process would: the store shows it within a second.
    within_a_second(lambda: services.photos.current(PhotoOwner.user(3)), None)
    again = invoke("photos", "delete", "3")
    assert again.exit_code == 1 and "has no photo" in again.stderr


def test_set_photo_for_an_unknown_user(invoke: Invoke, png_file: Path) -> None:
    result = invoke("photos", "set", "42", str(png_file))
    assert result.exit_code == 1
    assert "user '42' not found" in result.stderr


def test_set_photo_rejects_a_file_that_is_no_image(
    invoke: Invoke, services: Services, tmp_path: Path
) -> None:
    services.directory.save_user({"number": 3})
    bogus = tmp_path / "cv.pdf"
    bogus.write_bytes(b"%PDF-1.7 not a photo")
    result = invoke("photos", "set", "3", str(bogus))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "Traceback" not in result.output
    assert services.photos.current(PhotoOwner.user(3)) is None


def test_set_photo_with_a_missing_file(invoke: Invoke, services: Services, tmp_path: Path) -> None:
    services.directory.save_user({"number": 3})
    result = invoke("photos", "set", "3", str(tmp_path / "missing.jpg"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_import_a_folder_then_rerun(invoke: Invoke, services: Services, tmp_path: Path) -> None:
    services.directory.save_user({"number": 1, "email": "anna@example.org"})
    services.directory.save_user({"number": 2, "username": "jkraus"})
    services.directory.save_user({"number": 4})
    services.directory.save_address({"id": 501, "last_name": "Kraus"})
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "anna@example.org.png").write_bytes(image_bytes(colour="#aa3300"))
    (folder / "jkraus.png").write_bytes(image_bytes(colour="#0033aa"))
    (folder / "address-501.png").write_bytes(image_bytes(colour="#33aa00"))
    (folder / "99.png").write_bytes(image_bytes())
    (folder / "4.txt").write_bytes(b"hello")

    result = invoke("photos", "import", str(folder), "--workers", "1", "--json")
    assert result.exit_code == 1, result.output
    report = orjson.loads(result.stdout)
    assert (report["imported"], report["unchanged"], report["failed"]) == (3, 0, 2)
    reasons = {f["file"]: f["reason"] for f in report["failures"]}
    assert reasons["99.png"] == "unknown-user"
    assert reasons["4.txt"] == "unknown-format"
    assert services.photos.current(PhotoOwner.address(501)) is not None

    (folder / "99.png").unlink()
    (folder / "4.txt").unlink()
    rerun = invoke("photos", "import", str(folder), "--workers", "1")
    assert rerun.exit_code == 0, rerun.output
    assert "imported 0 photos, 3 unchanged, 0 failed" in rerun.stdout


def test_import_table_lists_failures(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "nobody.png").write_bytes(image_bytes())
    result = invoke("photos", "import", str(folder), "--workers", "1")
    assert result.exit_code == 1
    assert "imported 0 photos, 0 unchanged, 1 failed" in result.stdout
    assert "nobody.png" in result.stderr and "unknown-user" in result.stderr


def test_import_of_a_missing_folder(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("photos", "import", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert "not found" in result.stderr
