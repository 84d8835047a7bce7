"""`userphoto apikey`: personal API keys (`sk-…`) for Bearer authentication."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from userphoto.cli.common import (
    EXIT_BAD_INPUT,
    DataDirOption,
    JsonOption,
    console,
    credentials_table,
    fail,
    opened_services,
    print_json,
)
from userphoto.core.model import ApiKey, Scope

# DocSpace's names for the same scopes, so keys can be made with the names its docs use.
SCOPE_ALIASES: dict[str, Scope] = {
    "accounts:read": Scope.PEOPLE_READ,
    "accounts:write": Scope.PEOPLE_WRITE,
    "accounts.self:read": Scope.SELF_READ,
    "accounts.self:write": Scope.SELF_WRITE,
}

app = typer.Typer(
    help="Personal API keys: create, list, revoke.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


def parse_scope(text: str) -> Scope:
    name = text.strip()
    if name in SCOPE_ALIASES:
        return SCOPE_ALIASES[name]
    try:
        return Scope(name)
    except ValueError:
        known = ", ".join([*(s.value for s in Scope), *SCOPE_ALIASES])
        fail(f"unknown scope {name!r}; known scopes: {known}", EXIT_BAD_INPUT)


def key_record(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "user_number": key.user_number,
        "scopes": sorted(key.scopes),
        "created_at": key.created_at,
    }


@app.command("create")
def create(
    user: Annotated[
        str,
        typer.Option("--user", help="The user the key acts as: Nr, e-mail, UUID or user name."),
    ],
    scopes: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="A scope to grant (people:read, people:write, self:read, self:write, * or "
            "DocSpace's accounts:read, accounts:write, ...); repeat for several. Default: *.",
        ),
    ] = None,
    name: Annotated[str, typer.Option("--name", help="A label for who uses the key.")] = "api key",
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Create an API key and print it.

    This is the only time the key is shown; only its hash is stored.
    """
    granted = [parse_scope(s) for s in scopes or []]
    with opened_services(data_dir) as services:
        owner = services.directory.resolve_user(user)
        key, secret = services.auth.create_key(owner.number, name, granted)
    record = {**key_record(key), "key": secret}
    if as_json:
        print_json(record)
        return
    for field, value in record.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        console.print(f"{field}: {shown}", markup=False)
    console.print("[yellow]Store the key now: it cannot be shown again.[/yellow]")


@app.command("list")
def list_keys(
    user: Annotated[
        str | None, typer.Option("--user", help="Only this user's keys (Nr, e-mail, ...).")
    ] = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """List the keys that are not revoked (never the keys themselves)."""
    with opened_services(data_dir) as services:
        number = services.directory.resolve_user(user).number if user else None
        keys = services.auth.keys(number)
    if as_json:
        print_json([key_record(k) for k in keys])
        return
    console.print(credentials_table(keys, "scopes"))


@app.command("revoke")
def revoke(
    key_id: Annotated[int, typer.Argument(metavar="ID", help="Id from `apikey list`.")],
    data_dir: DataDirOption = None,
) -> None:
    """Revoke an API key: it stops working at once."""
    with opened_services(data_dir) as services:
        services.auth.revoke_key(key_id)
    console.print(f"revoked API key {key_id}")
