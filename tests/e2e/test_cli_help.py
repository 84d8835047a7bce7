"""Every command explains itself, and `userphoto settings` lists every setting."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from tests.e2e.commands import command_paths
from userphoto.cli import app
from userphoto.config import Settings

EXPECTED = {
    ("serve",),
    ("demo",),
    ("settings",),
    ("migrate",),
    ("copy",),
    ("fsck",),
    ("users", "import"),
    ("users", "list"),
    ("users", "show"),
    ("users", "set-password"),
    ("users", "set-admin"),
    ("addresses", "import"),
    ("photos", "import"),
    ("photos", "set"),
    ("photos", "delete"),
    ("apiuser", "create"),
    ("apiuser", "list"),
    ("apiuser", "revoke"),
    ("apikey", "create"),
    ("apikey", "list"),
    ("apikey", "revoke"),
}


def test_the_command_tree() -> None:
    assert set(command_paths()) == EXPECTED


@pytest.mark.parametrize("path", sorted(EXPECTED), ids=" ".join)
def test_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert f"userphoto {' '.join(path)}" in result.stdout


def test_no_arguments_shows_the_commands() -> None:
    result = CliRunner().invoke(app, [])
    assert "serve" in result.output and "apiuser" in result.output


def test_unknown_command_is_a_usage_error() -> None:
    assert CliRunner().invoke(app, ["frobnicate"]).exit_code == 2


def test_settings_json_lists_every_setting_with_its_current_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USERPHOTO_JPEG_QUALITY", "75")
    result = CliRunner().invoke(app, ["settings", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["variable"]: row for row in orjson.loads(result.stdout)}
    assert list(rows) == [variable for variable, _, _ in Settings.describe()]
    assert rows["USERPHOTO_JPEG_QUALITY"]["value"] == "75"
    assert rows["USERPHOTO_JPEG_QUALITY"]["default"] == "88"


def test_settings_table_names_every_variable() -> None:
    result = CliRunner().invoke(app, ["settings"], terminal_width=200)
    assert result.exit_code == 0
    for variable, _, _ in Settings.describe():
        assert variable in result.stdout


@pytest.mark.parametrize("command", [["users", "list"], ["serve"], ["demo", "--users", "1"]])
def test_an_unusable_data_dir_is_one_clean_error(tmp_path: Path, command: list[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(app, [*command, "--data-dir", str(blocker / "data")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot open the data dir")
    assert "serving on" not in result.stdout
