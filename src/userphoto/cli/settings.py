"""`userphoto settings`: every setting, its environment variable, default and current value."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Column, Table

from userphoto.cli.common import JsonOption, console, print_json
from userphoto.config import ENV_PREFIX, Settings


def show_settings(
    as_json: JsonOption = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the README's settings table.")
    ] = False,
) -> None:
    """Print every setting with its environment variable, default, current value and meaning."""
    current = Settings.from_env()
    rows = [
        (variable, default, str(getattr(current, variable.removeprefix(ENV_PREFIX).lower())), text)
        for variable, default, text in Settings.describe()
    ]
    if markdown:
        typer.echo(settings_markdown())
    elif as_json:
        print_json(
            [
                dict(zip(("variable", "default", "value", "description"), r, strict=True))
                for r in rows
            ]
        )
    else:
        table = Table(Column("variable", no_wrap=True), "default", "current", "description")
        for row in rows:
            table.add_row(*row)
        console.print(table)


def settings_markdown() -> str:
    """The settings as a Markdown table; the README embeds exactly this."""
    lines = ["| Environment variable | Default | Description |", "|---|---|---|"]
    for variable, default, text in Settings.describe():
        shown = f"`{default}`" if default else "(empty)"
        cell = text.replace("|", "\\|")
        lines.append(f"| `{variable}` | {shown} | {cell} |")
    return "\n".join(lines)
