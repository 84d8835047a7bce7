"""The service's logging: granian's own configuration, the root logger at USERPHOTO_LOG_LEVEL,
and every handler blanking signed-link tokens out of what it writes.

Nothing else secret reaches a log: credentials travel in headers and bodies, which no
logger records, and the store holds only hashes and sealed secrets (SECURITY.md).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from granian.log import LOGGING_CONFIG
from sqlalchemy.engine import make_url

from userphoto.config import Settings
from userphoto.core.errors import UserPhotoError
from userphoto.core.links import redact_tokens

LEVELS = ("debug", "info", "warning", "error")
SECRET_SETTINGS = frozenset({"server_key"})


class RedactLinkTokens(logging.Filter):
    """A signed photo link opens a photo until it expires: the access log keeps its shape only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, Mapping):  # granian's access log: one dict of fields
            record.args = {name: _redacted(arg) for name, arg in record.args.items()}
        return True


def _redacted(value: object) -> object:
    return redact_tokens(value) if isinstance(value, str) else value


def log_config(level: str) -> dict[str, Any]:
    """granian's logging configuration with the redacting filter and a root logger at `level`."""
    if level.lower() not in LEVELS:
        raise UserPhotoError(f"USERPHOTO_LOG_LEVEL must be one of {', '.join(LEVELS)}: {level!r}")
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_links": {"()": f"{__name__}.RedactLinkTokens"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_links"]
    # userphoto's and the libraries' loggers propagate here; granian's have their own handlers.
    config["root"] = {"handlers": ["console"], "level": level.upper()}
    return config


def settings_summary(settings: Settings) -> str:
    """Every setting for a debug log: the server key only as set or not, no URL password."""
    shown = []
    for spec in fields(settings):
        value = getattr(settings, spec.name)
        if spec.name in SECRET_SETTINGS:
            value = "(set)" if value else "(empty)"
        elif spec.name == "database_url" and value:
            value = make_url(value).render_as_string(hide_password=True)
        shown.append(f"{spec.name}={value}")
    return ", ".join(shown)
