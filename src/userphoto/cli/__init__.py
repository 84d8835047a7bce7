"""The `userphoto` admin command line: serve, seed a demo, import, manage photos and API users."""

from __future__ import annotations

import typer

from userphoto.cli import addresses, apikeys, apiusers, photos, users
from userphoto.cli.fsck import fsck_command
from userphoto.cli.serving import demo, serve
from userphoto.cli.settings import show_settings
from userphoto.cli.store import copy_command, migrate_command

app = typer.Typer(
    name="userphoto",
    help="One directory of people and their photos, served in the dialects your tools speak.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("serve")(serve)
app.command("demo")(demo)
app.command("settings")(show_settings)
app.command("migrate")(migrate_command)
app.command("copy")(copy_command)
app.command("fsck")(fsck_command)
app.add_typer(users.app, name="users")
app.add_typer(addresses.app, name="addresses")
app.add_typer(photos.app, name="photos")
app.add_typer(apiusers.app, name="apiuser")
app.add_typer(apikeys.app, name="apikey")
