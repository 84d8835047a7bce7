"""A web worker on the SQLite default loads no PostgreSQL driver, Alembic or CLI machinery.

Every worker process pays for what it imports, in memory and in start time; these are the
heavy ones a SQLite node never uses.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from userphoto.config import Settings
from userphoto.storage import open_store

NOT_FOR_SQLITE_WORKERS = ("psycopg", "alembic", "mako", "rich", "typer")

_OPEN_A_WORKER = """
import sys
from pathlib import Path
import orjson
from userphoto.config import Settings
from userphoto.web.app import create_app
create_app(Settings(data_dir=Path(sys.argv[1])))
print(orjson.dumps(sorted(sys.modules)).decode())
"""


def test_a_sqlite_worker_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    # Made and migrated beforehand, as by `userphoto demo`: a worker then only checks it.
    open_store(Settings(data_dir=data_dir)).close()
    run = subprocess.run(
        [sys.executable, "-c", _OPEN_A_WORKER, str(data_dir)],
        capture_output=True,
        check=True,
    )
    loaded = {name.split(".")[0] for name in orjson.loads(run.stdout)}
    assert loaded.isdisjoint(NOT_FOR_SQLITE_WORKERS), loaded & set(NOT_FOR_SQLITE_WORKERS)
