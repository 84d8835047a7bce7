"""`userphoto addresses`: the address records users link to (their photos are the fallback)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from userphoto.cli.common import DataDirOption, opened_services
from userphoto.cli.imports import import_file, report
from userphoto.records import address_values

app = typer.Typer(
    help="Address records: import.", no_args_is_help=True, rich_markup_mode="markdown"
)


@app.command("import")
def import_addresses(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or JSON Lines file with the columns id (or ID), Vorname/first_name, "
            "Name/Nachname/last_name, Firma/company, Email/email.",
            show_default=False,
        ),
    ],
    data_dir: DataDirOption = None,
) -> None:
    """Create or update address records from FILE, matched by `id`.

    Users link to an address with their `adrId:adressen.ID` field; the address's photo is
    served when the user has none. Rows that fail are listed with their line number; the
    exit code is 1 when any row failed.
    """
    with opened_services(data_dir) as services:
        summary = import_file(file, address_values, services.directory.save_address)
    raise typer.Exit(report(summary, "addresses"))
