"""The README's run command lands on the admin pages, and the demo admin gets in."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from tests.dialects.admin.conftest import log_in
from userphoto.cli import app as cli
from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.demo import ADMIN_USERNAME, seed_demo


def test_the_demo_prints_where_the_admin_pages_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, *_ in Settings.describe():
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["demo", "--users", "3", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "admin pages: http://127.0.0.1:8000/admin" in result.output
    assert f"admin login: {ADMIN_USERNAME} / " in result.output


def test_the_demo_admin_lands_on_the_directory(
    client: TestClient, services: Services, settings: Settings
) -> None:
    report = seed_demo(services, settings.data_dir, 12, settings.public_url)
    log_in(client, ADMIN_USERNAME, report.credentials.admin_password)
    page = client.get("/", follow_redirects=True)
    assert str(page.url).endswith("/admin")
    assert "12 people" in page.text
