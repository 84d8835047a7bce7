"""CLI fixtures (a runner bound to the test's data dir, small image files) and the browser."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner, Result

from tests.e2e.chromium import browser  # noqa: F401  (a fixture for the browser tests)
from userphoto.cli import app
from userphoto.config import Settings

Invoke = Callable[..., Result]


@pytest.fixture
def invoke(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run `userphoto ARGS... --data-dir <the test's data dir>`."""
    for name, *_ in Settings.describe():
        monkeypatch.delenv(name, raising=False)
    if settings.database_url:
        monkeypatch.setenv("USERPHOTO_DATABASE_URL", settings.database_url)
        monkeypatch.setenv("USERPHOTO_SERVER_KEY", settings.server_key)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, [*args, "--data-dir", str(settings.data_dir)])

    return run


def image_bytes(size: tuple[int, int] = (300, 400), colour: str = "#3a7bd5") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def png_file(tmp_path: Path) -> Path:
    path = tmp_path / "portrait.png"
    path.write_bytes(image_bytes())
    return path
