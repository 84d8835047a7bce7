"""`userphoto photos`: set, delete and bulk-import user photos."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from userphoto.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    DataDirOption,
    JsonOption,
    UserRef,
    console,
    err_console,
    fail,
    opened_services,
    print_json,
    progress_bar,
    settings_for,
)
from userphoto.core.importer import ImportProgress, ImportReport, import_photos
from userphoto.core.model import PhotoOwner

app = typer.Typer(
    help="User photos: set, delete, import a folder.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@app.command("set")
def set_photo(
    user: UserRef,
    file: Annotated[
        Path, typer.Argument(help="A JPEG, PNG, GIF or WebP image.", show_default=False)
    ],
    data_dir: DataDirOption = None,
) -> None:
    """Make FILE the user's photo; every size the dialects serve is rendered from it."""
    with opened_services(data_dir) as services:
        owner = PhotoOwner.user(services.directory.resolve_user(user).number)
        data = _read_image(file, services.photos.limits.max_bytes)
        photo = services.photos.set_photo(owner, data)
    original = photo.original
    console.print(
        f"photo of user {owner.id} set: {original.width}x{original.height}, "
        f"{len(photo.renditions)} renditions"
    )


@app.command("delete")
def delete_photo(user: UserRef, data_dir: DataDirOption = None) -> None:
    """Remove the user's photo (a linked address's photo is then served instead, if any)."""
    with opened_services(data_dir) as services:
        owner = PhotoOwner.user(services.directory.resolve_user(user).number)
        removed = services.photos.delete_photo(owner)
    if not removed:
        fail(f"user {owner.id} has no photo")
    console.print(f"photo of user {owner.id} deleted")


@app.command("import")
def import_folder(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Folder of photo files named `<user>.<ext>` (user number, e-mail, UUID or user "
            "name) or `address-<id>.<ext>`.",
            show_default=False,
        ),
    ],
    workers: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Rendering processes; 0 is one per core (default: USERPHOTO_IMPORT_WORKERS).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Import every photo in FOLDER, rendering on several cores.

    A file whose content equals the owner's current photo is skipped as unchanged, so an
    import can be rerun after fixing the failures. The exit code is 1 when any file failed.
    """
    chosen = settings_for(data_dir).import_workers if workers is None else workers
    with opened_services(data_dir) as services, progress_bar(hidden=as_json) as progress:
        task = progress.add_task("rendering", total=None)

        def advance(step: ImportProgress) -> None:
            progress.update(task, completed=step.done, total=step.total)

        report = import_photos(services, folder, workers=chosen, on_progress=advance)
    if as_json:
        print_json(_report_record(report))
    else:
        _print_report(report)
    raise typer.Exit(EXIT_FAILED if report.failures else 0)


def _report_record(report: ImportReport) -> dict[str, object]:
    return {
        "imported": report.imported,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "failures": [
            {"file": f.file.name, "reason": f.reason, "message": f.message} for f in report.failures
        ],
    }


def _print_report(report: ImportReport) -> None:
    console.print(
        f"imported {report.imported} photos, {report.unchanged} unchanged, {report.failed} failed"
    )
    if not report.failures:
        return
    table = Table("file", "reason", "message", title="files not imported", title_justify="left")
    for failure in report.failures:
        table.add_row(failure.file.name, failure.reason, failure.message)
    err_console.print(table)


def _read_image(path: Path, max_bytes: int) -> bytes:
    # Checked before reading so a huge file is refused without loading it.
    try:
        size = path.stat().st_size
        if size > max_bytes:
            fail(f"{path}: {size} bytes, more than the {max_bytes} allowed", EXIT_BAD_INPUT)
        return path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}", EXIT_BAD_INPUT)
