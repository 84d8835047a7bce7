"""The README keeps up with the code: settings, commands, dialects and the CI command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.commands import command_paths
from userphoto.cli.settings import settings_markdown
from userphoto.config import Settings
from userphoto.dialects import REGISTERED

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_settings_table_is_the_generated_one() -> None:
    assert settings_markdown() in README, "paste `userphoto settings --markdown` into README.md"


@pytest.mark.parametrize("variable", [row[0] for row in Settings.describe()])
def test_every_setting_is_documented(variable: str) -> None:
    assert f"`{variable}`" in README


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_is_documented(path: tuple[str, ...]) -> None:
    assert f"`userphoto {' '.join(path)}" in README


@pytest.mark.parametrize("dialect", REGISTERED)
def test_every_dialect_is_documented(dialect: str) -> None:
    assert f"| `{dialect}` |" in README


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, flags=re.DOTALL)
    serve, test = blocks[0], blocks[1]
    assert README.index(serve) < README.index("## ")
    assert serve.endswith("userphoto demo --serve")
    assert "pytest" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in ci
    assert test in ci.splitlines()
