"""`userphoto fsck`: photo bytes checked against the database, orphans and damage repaired."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import typer
from rich.table import Table

from userphoto.cli.common import (
    EXIT_FAILED,
    DataDirOption,
    JsonOption,
    console,
    opened_services,
    print_json,
    progress_bar,
)
from userphoto.core.integrity import Fault, IntegrityChecker, IntegrityReport, Progress
from userphoto.core.ports import BLOB_GRACE


def fsck_command(
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Delete orphans and render missing or damaged variants again.",
        ),
    ] = False,
    grace: Annotated[
        int,
        typer.Option(
            "--grace",
            min=0,
            help="Seconds an unreferenced blob may belong to a write in progress "
            "(0 only while nothing writes).",
        ),
    ] = int(BLOB_GRACE.total_seconds()),
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Check every photo blob against the database, and repair what can be repaired.

    Every rendition of every photo version and every staged upload must name a blob that
    exists and matches its content hash. Blobs nothing names are orphans once older than
    `--grace` (younger ones may belong to an upload that has not committed yet). With
    `--repair`, orphans are deleted and missing or damaged variants are rendered again from
    the photo's intact renditions; a photo whose original is lost cannot be repaired.
    Exits with 1 while problems remain.
    """
    with opened_services(data_dir) as services:
        checker = IntegrityChecker(services.store, services.photos.limits)
        with progress_bar(hidden=as_json) as progress:
            report = checker.check(
                repair=repair, grace=timedelta(seconds=grace), progress=_advancer(progress)
            )
    if as_json:
        print_json(_record(report))
    else:
        _print(report)
    if report.problems_left:
        raise typer.Exit(EXIT_FAILED)


def _advancer(progress: Any) -> Progress:
    tasks: dict[str, int] = {}

    def advance(what: str, done: int, total: int) -> None:
        if what not in tasks:
            tasks[what] = progress.add_task(what, total=total)
        progress.update(tasks[what], completed=done)

    return advance


def _record(report: IntegrityReport) -> dict[str, Any]:
    return {
        "blobs_stored": report.blobs_stored,
        "blobs_checked": report.blobs_checked,
        "renditions_checked": report.renditions_checked,
        "missing": [f.describe() for f in report.faults if f.fault is Fault.MISSING],
        "damaged": [f.describe() for f in report.faults if f.fault is Fault.DAMAGED],
        "staged_faults": report.staged_faults,
        "orphans": report.orphans,
        "recent_unreferenced": report.recent_unreferenced,
        "repaired": [f.describe() for f in report.repaired],
        "unrepairable": [f.describe() for f in report.unrepairable],
        "removed": report.removed,
        "problems_left": report.problems_left,
    }


def _print(report: IntegrityReport) -> None:
    record = _record(report)
    table = Table("", "count", title="fsck")
    for label, key in _ROWS:
        value = record[key]
        table.add_row(label, str(len(value) if isinstance(value, list) else value))
    console.print(table)
    for key in ("missing", "damaged", "unrepairable"):
        for line in record[key]:
            console.print(f"[red]{key}:[/red] {line}")
    for key in record["staged_faults"]:
        console.print(f"[red]staged upload blob missing or damaged:[/red] {key}")
    verdict = "[green]clean[/green]" if not report.problems_left else "[red]problems remain[/red]"
    console.print(verdict)


_ROWS = (
    ("blobs stored", "blobs_stored"),
    ("blobs checked", "blobs_checked"),
    ("renditions checked", "renditions_checked"),
    ("missing renditions", "missing"),
    ("damaged renditions", "damaged"),
    ("bad staged uploads", "staged_faults"),
    ("orphan blobs", "orphans"),
    ("recent unreferenced blobs (left alone)", "recent_unreferenced"),
    ("repaired", "repaired"),
    ("unrepairable", "unrepairable"),
    ("orphans removed", "removed"),
    ("problems left", "problems_left"),
)
