"""Change feeds: how a process learns that another one committed a change to the store.

SQLite: `PRAGMA data_version` on a connection of our own moves whenever any other
connection (any process, any worker) commits. PostgreSQL: triggers NOTIFY on commit and a
listener thread counts the notifications; a lost listener counts as a change, so caches
are dropped rather than trusted while it reconnects.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Engine

CHANNEL = "userphoto_changes"
log = logging.getLogger("userphoto.changes")


class SqliteDataVersion:
    def __init__(self, database: Path | str, uri: bool = False) -> None:
        self._conn = sqlite3.connect(database, check_same_thread=False, uri=uri)
        self._lock = threading.Lock()

    def version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class PostgresNotifications:
    def __init__(self, conninfo: str, retry_after: float = 1.0) -> None:
        self._conninfo = conninfo
        self._retry_after = retry_after
        self._count = 0
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="userphoto-changes", daemon=True)
        self._thread.start()
        # Start caching only once notifications flow, or the first change could be missed.
        self._listening.wait(timeout=5)

    def version(self) -> int:
        return self._count

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _listen(self) -> None:
        # Imported here, as only PostgreSQL nodes listen: the driver costs a SQLite node ~10 MB.
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._count += 1
                    self._listening.set()
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.2):
                            self._count += 1
            except psycopg.Error as exc:
                self._count += 1
                log.warning("change listener lost its connection (%s); retrying", exc)
                self._stop.wait(self._retry_after)


def change_feed(engine: Engine) -> SqliteDataVersion | PostgresNotifications:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        # Opened as the engine opens it (a read-only folder's database as a file: URI).
        (database,), options = engine.dialect.create_connect_args(url)
        return SqliteDataVersion(database, uri=bool(options.get("uri")))
    return PostgresNotifications(_conninfo(engine))


def _conninfo(engine: Engine) -> str:
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)
