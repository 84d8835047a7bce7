"""A web worker on the SQLite default loads no PostgreSQL driver, Alembic or CLI machinery,
and an idle one nothing that only some requests need.

Every worker process pays for what it imports, in memory and in start time; these are the
heavy ones a SQLite node never uses, or uses only once a request asks for them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from userphoto.config import Settings
from userphoto.storage import open_store

NOT_FOR_SQLITE_WORKERS = ("psycopg", "alembic", "mako", "rich", "typer")
# The native API's models, the admin pages' templates, sealed secrets; the dialect of PostgreSQL.
NOT_FOR_IDLE_WORKERS = (
    "pydantic",
    "jinja2",
    "cryptography.fernet",
    "sqlalchemy.dialects.postgresql",
)

_OPEN_A_WORKER = """
import sys
from pathlib import Path
import orjson
from userphoto.config import Settings
from userphoto.web.app import create_app
create_app(Settings(data_dir=Path(sys.argv[1])))
print(orjson.dumps(sorted(sys.modules)).decode())
"""


def _modules_of_a_new_worker(tmp_path: Path) -> set[str]:
    """In a process of its own, so that what this test process imported hides nothing."""
    data_dir = tmp_path / "data"
    # Made and migrated beforehand, as by `userphoto demo`: a worker then only checks it.
    open_store(Settings(data_dir=data_dir)).close()
    run = subprocess.run(
        [sys.executable, "-c", _OPEN_A_WORKER, str(data_dir)],
        capture_output=True,
        check=True,
    )
    return set(orjson.loads(run.stdout))


def test_a_sqlite_worker_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    loaded = {name.split(".")[0] for name in _modules_of_a_new_worker(tmp_path)}
    assert loaded.isdisjoint(NOT_FOR_SQLITE_WORKERS), loaded & set(NOT_FOR_SQLITE_WORKERS)


def test_an_idle_worker_leaves_what_requests_need_until_they_come(tmp_path: Path) -> None:
    loaded = _modules_of_a_new_worker(tmp_path)
    assert loaded.isdisjoint(NOT_FOR_IDLE_WORKERS), loaded & set(NOT_FOR_IDLE_WORKERS)
