"""`userphoto migrate` and `userphoto copy`: the store's schema, and moving a directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from userphoto.cli.common import (
    DataDirOption,
    JsonOption,
    console,
    core_errors_as_exits,
    fail,
    print_json,
    progress_bar,
    settings_for,
)
from userphoto.config import Settings
from userphoto.storage import SqlStore, open_store
from userphoto.storage.copying import CopyReport, copy_store
from userphoto.storage.engine import make_engine, migrate, schema_state, with_driver


def migrate_command(data_dir: DataDirOption = None) -> None:
    """Bring the database schema up to this version of userphoto.

    Run it once per upgrade, from one machine, before the nodes start: nodes on PostgreSQL
    refuse a schema older or newer than they understand. The SQLite default migrates itself.
    """
    settings = settings_for(data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with core_errors_as_exits():
        engine = make_engine(settings.effective_database_url)
        try:
            before, head = schema_state(engine)
            migrate(engine)
        finally:
            engine.dispose()
    console.print(f"schema at revision {head} (was {before or 'empty'})")


def copy_command(
    source: Annotated[str, typer.Option("--from", help="URL of the store to copy from.")],
    target: Annotated[str, typer.Option("--to", help="URL of the store to copy to.")],
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Copy the whole directory, photos included, from one store to another.

    Existing rows on the target are kept, so an interrupted copy resumes when run again;
    the target's schema is migrated first, and every photo blob is checked against its
    content hash at the end. Both stores must use the same server key (USERPHOTO_SERVER_KEY)
    so that API secrets stay readable. A SQLite store keeps its photo files beside its
    database file.
    """
    base = settings_for(data_dir)
    with core_errors_as_exits():
        source_store = open_store(_store_settings(base, source))
        target_settings = _store_settings(base, target)
        _migrate(target_settings)
        target_store = open_store(target_settings)
        try:
            report = _copy_with_progress(source_store, target_store, hidden=as_json)
        finally:
            source_store.close()
            target_store.close()
    _print(report, as_json)
    if report.problems:
        raise typer.Exit(1)


def _store_settings(base: Settings, url: str) -> Settings:
    parsed = make_url(with_driver(url))
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database:
            fail(f"{url} names no database file")
        return base.with_(database_url=url, data_dir=Path(parsed.database).parent)
    return base.with_(database_url=url)


def _migrate(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()


def _copy_with_progress(source: SqlStore, target: SqlStore, *, hidden: bool) -> CopyReport:
    with progress_bar(hidden=hidden) as progress:
        tasks: dict[str, int] = {}

        def advance(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = progress.add_task(what, total=total)
            progress.update(tasks[what], completed=done)

        return copy_store(source, target, advance)


def _print(report: CopyReport, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "rows": report.rows,
                "blobs_copied": report.blobs_copied,
                "blobs_verified": report.blobs_verified,
                "problems": report.problems,
            }
        )
        return
    for table, count in report.rows.items():
        console.print(f"{table}: {count} rows")
    console.print(
        f"photo blobs: {report.blobs_copied} copied, {report.blobs_verified} verified by hash"
    )
    for problem in report.problems:
        console.print(f"[red]problem:[/red] {problem}")
