"""The result table (rich) and its JSON record.

Every figure becomes a `Row`, whatever produced it; `bench/pipeline.py --json` writes its
rows in the same shape (`{"rows": [Row, ...]}`), so they join the table unchanged.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table

from scenarios import Comparison

_LOG_WIDTH = 150


@dataclass(frozen=True)
class Row:
    name: str
    unit: str
    userphoto: float
    target: str
    passed: bool
    reference: float | None = None
    ratio: float | None = None
    spread: tuple[float, float] | None = None  # per-round ratios, or per-run values
    note: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("spread") is not None:
            values["spread"] = tuple(values["spread"])
        return cls(**values)


def comparison_row(comparison: Comparison) -> Row:
    ratios = comparison.ratios
    note = f"{comparison.errors} failed requests" if comparison.errors else ""
    return Row(
        name=comparison.name,
        unit="req/s",
        userphoto=statistics.median(comparison.userphoto),
        reference=statistics.median(comparison.reference),
        ratio=comparison.ratio,
        spread=(min(ratios), max(ratios)),
        target=f"≥ {comparison.target:.0%}",
        passed=comparison.ratio >= comparison.target and not comparison.errors,
        note=note,
    )


def limit_row(name: str, values: list[float], unit: str, limit: float, note: str = "") -> Row:
    """The median of `values` against an upper bound, with their range as the spread."""
    value = statistics.median(values)
    spread = (min(values), max(values)) if len(values) > 1 else None
    return Row(
        name=name,
        unit=unit,
        userphoto=value,
        spread=spread,
        target=f"≤ {limit:g} {unit}",
        passed=value <= limit,
        note=note,
    )


def table(rows: list[Row], title: str) -> Table:
    grid = Table(title=title)
    for header in ("comparison", "userphoto", "reference", "ratio", "spread", "target", ""):
        grid.add_column(header, justify="left" if header == "comparison" else "right")
    for row in rows:
        grid.add_row(
            row.name + (f" [dim]({row.note})[/dim]" if row.note else ""),
            _amount(row.userphoto, row.unit),
            "—" if row.reference is None else _amount(row.reference, row.unit),
            "—" if row.ratio is None else f"{row.ratio:.0%}",
            _spread(row),
            row.target,
            "[green]PASS[/green]" if row.passed else "[red]FAIL[/red]",
        )
    return grid


def print_table(rows: list[Row], title: str) -> None:
    # Off a terminal (a log, a pipe) rich would wrap the table to 80 columns.
    Console(width=None if sys.stdout.isatty() else _LOG_WIDTH).print(table(rows, title))


def write_json(path: Path, rows: list[Row], run: dict[str, Any]) -> None:
    record = {"run": run, "rows": [asdict(row) for row in rows]}
    path.write_bytes(orjson.dumps(record, option=orjson.OPT_INDENT_2))


def _amount(value: float, unit: str) -> str:
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    return f"{value:,.2f} {unit}"


def _spread(row: Row) -> str:
    if row.spread is None:
        return "—"
    low, high = row.spread
    if row.ratio is not None:
        return f"{low:.0%}–{high:.0%}"
    return f"{low:,.2f}–{high:,.2f}"
