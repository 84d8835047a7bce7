"""Row-by-row record imports with a progress bar and a per-row failure summary."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table

from userphoto.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    console,
    err_console,
    fail,
    progress_bar,
)
from userphoto.core.errors import UserPhotoError
from userphoto.records import (
    BadRow,
    RecordFileError,
    RowProblem,
    SourceRow,
    count_rows,
    read_rows,
)

# Below this many rows a bar would only flicker.
PROGRESS_THRESHOLD = 200


@dataclass
class ImportSummary:
    imported: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)


def import_file(
    path: Path,
    to_values: Callable[[Mapping[str, Any]], dict[str, Any]],
    save: Callable[[dict[str, Any]], object],
) -> ImportSummary:
    """Save every row of `path`; a row that fails is recorded with its line number and reason."""
    summary = ImportSummary()
    try:
        total = count_rows(path)
        with progress_bar(hidden=total < PROGRESS_THRESHOLD) as progress:
            task = progress.add_task("importing", total=total)
            for row in read_rows(path):
                _import_row(row, to_values, save, summary)
                progress.advance(task)
    except RecordFileError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    return summary


def report(summary: ImportSummary, noun: str) -> int:
    """Print the outcome; return the exit code (non-zero when any row failed)."""
    console.print(f"imported {summary.imported} {noun}, {len(summary.failures)} failed")
    if not summary.failures:
        return 0
    table = Table("line", "reason", title="rows not imported", title_justify="left")
    for line, reason in summary.failures:
        table.add_row(str(line), reason)
    err_console.print(table)
    return EXIT_FAILED


def _import_row(
    row: SourceRow | BadRow,
    to_values: Callable[[Mapping[str, Any]], dict[str, Any]],
    save: Callable[[dict[str, Any]], object],
    summary: ImportSummary,
) -> None:
    if isinstance(row, BadRow):
        summary.failures.append((row.line, row.reason))
        return
    try:
        save(to_values(row.values))
    except (RowProblem, UserPhotoError) as exc:
        summary.failures.append((row.line, str(exc)))
    else:
        summary.imported += 1
