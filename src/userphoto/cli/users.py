"""`userphoto users`: import, list and show directory users."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from userphoto.cli.common import (
    EXIT_BAD_INPUT,
    DataDirOption,
    JsonOption,
    UserRef,
    console,
    fail,
    opened_services,
    print_json,
    user_record,
)
from userphoto.cli.imports import import_file, report
from userphoto.core.model import User
from userphoto.core.query import MAX_LIMIT, SortKey, UserQuery
from userphoto.records import user_values

app = typer.Typer(
    help="Directory users: import, list, show, passwords and admins.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@app.command("import")
def import_users(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or JSON Lines file keyed by onOffice field names (Nr, Name, Vorname, "
            "Nachname, email, Kuerzel, adrId:adressen.ID, ..., messengerUId, isAdmin).",
            show_default=False,
        ),
    ],
    data_dir: DataDirOption = None,
) -> None:
    """Create or update users from FILE, matched by `Nr`.

    Only the columns present are changed, so a file with `Nr` and `Telefon` updates phone
    numbers and leaves everything else as it is. Rows that fail are listed with their line
    number; the exit code is 1 when any row failed.
    """
    with opened_services(data_dir) as services:
        summary = import_file(file, user_values, services.directory.save_user)
    raise typer.Exit(report(summary, "users"))


@app.command("list")
def list_users(
    limit: Annotated[int, typer.Option(min=0, max=MAX_LIMIT, help="Most users to print.")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="Users to skip first.")] = 0,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """List users in number order."""
    query = UserQuery(sort=(SortKey("number"),), limit=limit, offset=offset)
    with opened_services(data_dir) as services:
        page = services.directory.find_users(query)
        photos = services.photos.effective_photos(page.items)
    if as_json:
        print_json([user_record(u) for u in page.items])
        return
    table = Table("Nr", "name", "user name", "e-mail", "photo", "admin")
    for user in page.items:
        table.add_row(
            str(user.number),
            user.display_name,
            user.username,
            user.email,
            "yes" if photos[user.number] else "",
            "yes" if user.is_admin else "",
        )
    console.print(table)
    console.print(f"{len(page.items)} of {page.total} users")


@app.command("show")
def show_user(user: UserRef, as_json: JsonOption = False, data_dir: DataDirOption = None) -> None:
    """Show every field of one user."""
    with opened_services(data_dir) as services:
        found = services.directory.resolve_user(user)
        photo = services.photos.effective_photo(found)
    record = user_record(found)
    record["photo"] = _photo_summary(found, photo.owner.kind.value if photo else None)
    if as_json:
        print_json(record)
        return
    table = Table("field", "value", show_header=False)
    for name, value in record.items():
        table.add_row(name, "" if value is None else str(value))
    console.print(table)


def _photo_summary(user: User, owner_kind: str | None) -> str | None:
    """Where the user's photo comes from: their own, the linked address's, or none."""
    if owner_kind is None:
        return None
    return "own" if owner_kind == "user" else f"address {user.address_id}"


@app.command("set-password")
def set_password(
    user: UserRef,
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            help="The new password; asked for (hidden, twice) when left out.",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Set the password USER logs in with (DocSpace Basic auth and login tokens)."""
    if password is None:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    if not password:
        fail("the password must not be empty", EXIT_BAD_INPUT)
    with opened_services(data_dir) as services:
        found = services.directory.resolve_user(user)
        services.auth.set_password(found.number, password)
    console.print(f"password set for user {found.number}")


@app.command("set-admin")
def set_admin(
    user: UserRef,
    off: Annotated[bool, typer.Option("--off", help="Take the admin right away instead.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Make USER an admin, who may change every user's photo (or stop, with --off)."""
    with opened_services(data_dir) as services:
        found = services.directory.resolve_user(user)
        services.directory.save_user({"number": found.number, "is_admin": not off})
    console.print(f"user {found.number} is {'no longer' if off else 'now'} an admin")
