"""`userphoto apiuser`: API credentials for the dialects that sign requests."""

from __future__ import annotations

from typing import Annotated

import typer

from userphoto.cli.common import (
    DataDirOption,
    JsonOption,
    api_user_record,
    console,
    credentials_table,
    opened_services,
    print_json,
)
from userphoto.core.model import Right

app = typer.Typer(
    help="API users: create, list, revoke.", no_args_is_help=True, rich_markup_mode="markdown"
)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="A label for who uses the credentials.")],
    user: Annotated[
        int | None,
        typer.Option("--user", help="Number (Nr) of the directory user the API user acts as."),
    ] = None,
    rights: Annotated[
        list[Right] | None,
        typer.Option("--right", help="A right to grant; repeat for several."),
    ] = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Create an API user and print its token and secret.

    This is the only time the secret is shown; only a sealed copy is stored.
    """
    with opened_services(data_dir) as services:
        created = services.api_users.create(name, user, rights or [])
    record = {**api_user_record(created.api_user), "token": created.token, "secret": created.secret}
    if as_json:
        print_json(record)
        return
    for key, value in record.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        console.print(f"{key}: {'' if shown is None else shown}", markup=False)
    console.print("[yellow]Store the secret now: it cannot be shown again.[/yellow]")


@app.command("list")
def list_api_users(as_json: JsonOption = False, data_dir: DataDirOption = None) -> None:
    """List the API users that are not revoked (never their secrets)."""
    with opened_services(data_dir) as services:
        api_users = services.api_users.list()
    if as_json:
        print_json([api_user_record(a) for a in api_users])
        return
    console.print(credentials_table(api_users, "rights"))


@app.command("revoke")
def revoke(
    api_user_id: Annotated[int, typer.Argument(metavar="ID", help="Id from `apiuser list`.")],
    data_dir: DataDirOption = None,
) -> None:
    """Revoke an API user: its token stops working at once."""
    with opened_services(data_dir) as services:
        services.api_users.revoke(api_user_id)
    console.print(f"revoked API user {api_user_id}")
