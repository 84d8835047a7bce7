"""The service's logging: link tokens blanked out, the settings logged without their secrets."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from granian.log import DEFAULT_ACCESSLOG_FMT

from userphoto.config import Settings
from userphoto.core.errors import UserPhotoError
from userphoto.core.links import REDACTED, LinkKeys, seal
from userphoto.web.logs import RedactLinkTokens, log_config, settings_summary

TOKEN = seal(LinkKeys.derive(b"k" * 32, "tests"), 17, 2_000_000_000)


def _record(msg: str, args: Any) -> logging.LogRecord:
    return logging.LogRecord("granian.access", logging.INFO, __file__, 1, msg, args, None)


def test_access_lines_lose_their_tokens() -> None:
    """granian logs each request as its format and one dict of the request's fields."""
    path = f"/smart20/Dateien/userphoto/users/Userphoto_{TOKEN}.jpg"
    fields = {
        "addr": "127.0.0.1",
        "time": "2026-11-22 20:00:00 +0000",
        "dt_ms": 0.25,
        "status": 200,
        "path": path,
        "query_string": "",
        "method": "GET",
        "scheme": "http",
        "protocol": "HTTP/1.1",
    }
    record = _record(DEFAULT_ACCESSLOG_FMT, (fields,))
    assert RedactLinkTokens().filter(record)
    line = record.getMessage()
    assert TOKEN not in line
    redacted_path = f"/smart20/Dateien/userphoto/users/Userphoto_{REDACTED}.jpg"
    assert line.endswith(f'127.0.0.1 - "GET {redacted_path} HTTP/1.1" 200 0.250')


def test_messages_lose_their_tokens() -> None:
    record = _record(f"a link {TOKEN} in the message", ())
    RedactLinkTokens().filter(record)
    assert record.getMessage() == f"a link {REDACTED} in the message"


@pytest.mark.parametrize("level", ["debug", "INFO", "warning", "error"])
def test_the_root_logger_gets_the_level(level: str) -> None:
    config = log_config(level)
    assert config["root"] == {"handlers": ["console"], "level": level.upper()}
    assert all(h["filters"] == ["redact_links"] for h in config["handlers"].values())


def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(UserPhotoError, match="USERPHOTO_LOG_LEVEL"):
        log_config("loud")


def test_the_settings_summary_hides_the_server_key_and_database_password() -> None:
    settings = Settings(
        server_key="s3cret-server-key",
        database_url="postgresql://userphoto:db-Passw0rd@db.example.org/userphoto",
    )
    summary = settings_summary(settings)
    assert "s3cret-server-key" not in summary and "db-Passw0rd" not in summary
    assert "server_key=(set)" in summary
    assert "database_url=postgresql://userphoto:***@db.example.org/userphoto" in summary
    assert "server_key=(empty)" in settings_summary(Settings())
