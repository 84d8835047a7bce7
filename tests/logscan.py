"""Pytest hooks (imported by tests/conftest.py): no credential in the logs of a test run.

Every log record at INFO and above, of every test, goes to one file per process (per xdist
worker; the directory travels to the workers in an environment variable, which they inherit
from the controller). When the session ends, the controller (or the only process) searches
all the files for credentials by their shape and fails the run on a find:

- `sk-` API keys, signed photo link tokens (`~` and 38 base64url characters), Basic headers;
- the random onOffice tokens (32 characters), session tokens (48) and onOffice secrets (64):
  letters of both cases with digits, standing alone, which no hash (hex) or UUID is.

The shapes, not the values, because the values are made in many processes; the values a
full scenario uses are checked one by one in tests/e2e/test_secrets_in_logs.py. INFO, not
DEBUG: libraries' debug chatter (Pillow, httpcore) would slow every test and say nothing
about userphoto.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

ENV = "USERPHOTO_TEST_LOG_DIR"
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_ALONE_BEFORE = r"(?<![A-Za-z0-9_~-])"
_ALONE_AFTER = r"(?![A-Za-z0-9+/=_-])"
_MIXED = r"(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[0-9])"
CREDENTIAL_SHAPES = re.compile(
    r"sk-[A-Za-z0-9]{40}"
    r"|~[A-Za-z0-9_-]{38}(?![A-Za-z0-9_-])"
    r"|Basic [A-Za-z0-9+/]{6,}={0,2}"
    rf"|{_ALONE_BEFORE}{_MIXED}(?:[A-Za-z0-9]{{64}}|[A-Za-z0-9]{{48}}|[A-Za-z0-9]{{32}}){_ALONE_AFTER}"
)
# The tests' own HTTP clients log each URL they ask for: a signed link a test fetches is the
# client's business, not a server leak.
_CLIENT_LOGGERS = ("httpx", "httpcore")
_handler = pytest.StashKey[logging.Handler]()
_owns_directory = pytest.StashKey[bool]()


def credentials_in(text: str) -> list[str]:
    return CREDENTIAL_SHAPES.findall(text)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_owns_directory] = ENV not in os.environ
    if config.stash[_owns_directory]:
        os.environ[ENV] = tempfile.mkdtemp(prefix="userphoto-test-logs-")
    directory = Path(os.environ[ENV])
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{_WORKER or 'main'}.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.addFilter(lambda record: not record.name.startswith(_CLIENT_LOGGERS))
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)
    config.stash[_handler] = handler


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    handler = config.stash.get(_handler, None)
    if handler is None:
        return
    logging.getLogger().removeHandler(handler)
    handler.close()
    if _WORKER or not config.stash[_owns_directory]:
        return  # the controller reads every worker's file once all have finished
    directory = Path(os.environ.pop(ENV))
    found = {
        path.name: credentials_in(path.read_text(encoding="utf-8", errors="replace"))
        for path in sorted(directory.glob("*.log"))
    }
    shutil.rmtree(directory, ignore_errors=True)
    leaks = {name: hits for name, hits in found.items() if hits}
    if leaks:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"credentials in the test run's logs: {leaks}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
