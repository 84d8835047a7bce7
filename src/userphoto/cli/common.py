"""What every command shares: the data-dir option, opened services, error exits, JSON output."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.errors import InvalidImage, InvalidQuery, UserPhotoError
from userphoto.core.model import ApiKey, ApiUser, User
from userphoto.core.services import Services

# Exit codes: 1 when the request clashes with the stored state, 2 when the input is bad
# (the same code click uses for usage errors).
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="USERPHOTO_DATA_DIR",
        help="Folder of the database, photo blobs and server key (default: ./userphoto-data).",
        show_default=False,
    ),
]
UserRef = Annotated[str, typer.Argument(help="User number (Nr), e-mail, UUID or user name.")]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")
]


def settings_for(data_dir: Path | None) -> Settings:
    return Settings.from_env(data_dir=data_dir)


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    err_console.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


def exit_code_for(error: UserPhotoError) -> int:
    if isinstance(error, InvalidQuery | InvalidImage):
        return EXIT_BAD_INPUT
    return EXIT_FAILED


@contextmanager
def core_errors_as_exits() -> Iterator[None]:
    """Turn the core's deliberate errors into a one-line message and an exit code."""
    try:
        yield
    except UserPhotoError as exc:
        fail(str(exc), exit_code_for(exc))


def open_or_exit(settings: Settings) -> Services:
    """The services on the configured store, or a clean exit when it cannot be opened."""
    with core_errors_as_exits():
        try:
            return open_services(settings)
        except OSError as exc:
            fail(f"cannot open the data dir {settings.data_dir}: {exc.strerror or exc}")


@contextmanager
def opened_services(data_dir: Path | None) -> Iterator[Services]:
    """Services on the data dir, closed afterwards; core errors end the command cleanly."""
    services = open_or_exit(settings_for(data_dir))
    try:
        with core_errors_as_exits():
            yield services
    finally:
        services.close()


def print_json(value: Any) -> None:
    typer.echo(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode())


def user_record(user: User) -> dict[str, Any]:
    """A user as JSON-ready values; the password hash never leaves the store."""
    record = {
        f.name: getattr(user, f.name) for f in dataclasses.fields(user) if f.name != "password_hash"
    }
    record["has_password"] = user.password_hash is not None
    return record


def api_user_record(api_user: ApiUser) -> dict[str, Any]:
    return {
        "id": api_user.id,
        "name": api_user.name,
        "user_number": api_user.user_number,
        "rights": sorted(api_user.rights),
        "created_at": api_user.created_at,
    }


def progress_bar(*, hidden: bool) -> Progress:
    """The progress bar of long jobs, on stderr so that --json output stays clean."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=hidden,
    )


def credentials_table(rows: Iterable[ApiUser | ApiKey], grants: str) -> Table:
    """API users or keys as a table; `grants` names their rights or scopes column."""
    table = Table("id", "name", "user", grants, "created")
    for row in rows:
        held = row.rights if isinstance(row, ApiUser) else row.scopes
        table.add_row(
            str(row.id),
            row.name,
            "" if row.user_number is None else str(row.user_number),
            ", ".join(sorted(held)),
            row.created_at.isoformat(timespec="seconds"),
        )
    return table
