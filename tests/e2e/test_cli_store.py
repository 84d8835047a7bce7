"""`userphoto migrate` and `userphoto copy` from the command line."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from tests.databases import postgres_schema
from tests.e2e.conftest import image_bytes
from userphoto.bootstrap import open_services
from userphoto.cli import app
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner
from userphoto.storage.engine import make_engine, schema_state


def test_migrate_brings_an_empty_postgres_schema_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with postgres_schema(migrated=False) as url:
        monkeypatch.setenv("USERPHOTO_DATABASE_URL", url)
        result = CliRunner().invoke(app, ["migrate", "--data-dir", str(tmp_path)])
        assert result.exit_code == 0, result.output
        assert "(was empty)" in result.output
        engine = make_engine(url)
        current, head = schema_state(engine)
        engine.dispose()
        assert current == head


def test_copy_sqlite_to_postgres_and_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERPHOTO_SERVER_KEY", "shared")
    source_dir = tmp_path / "source"
    source = open_services(Settings(data_dir=source_dir, server_key="shared"))
    source.directory.save_user({"number": 1, "email": "ada@example.org"})
    photo = source.photos.set_photo(PhotoOwner.user(1), image_bytes())
    source.close()
    back_dir = tmp_path / "back"
    with postgres_schema(migrated=False) as url:
        for origin, destination in (
            (f"sqlite:///{source_dir}/userphoto.sqlite3", url),
            (url, f"sqlite:///{back_dir}/userphoto.sqlite3"),
        ):
            argv = ["copy", "--from", origin, "--to", destination, "--json"]
            result = CliRunner().invoke(app, argv)
            assert result.exit_code == 0, result.output
            report = orjson.loads(result.stdout)
            assert report["rows"]["users"] == 1
            assert report["problems"] == []
            assert report["blobs_verified"] == len({r.blob_key for r in photo.renditions})
    back = open_services(Settings(data_dir=back_dir, server_key="shared"))
    try:
        assert back.photos.current(PhotoOwner.user(1)) == photo
        assert back.photos.read(photo.original) is not None
    finally:
        back.close()


def test_copy_refuses_a_sqlite_url_without_a_file() -> None:
    result = CliRunner().invoke(app, ["copy", "--from", "sqlite://", "--to", "sqlite://"])
    assert result.exit_code == 1
    assert "names no database file" in result.output
