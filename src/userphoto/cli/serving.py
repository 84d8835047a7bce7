"""`userphoto serve` and `userphoto demo`: run the web service, optionally on a demo directory."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from granian import Granian
from granian.constants import HTTPModes, Interfaces
from granian.log import LogLevels

from userphoto.cli.common import (
    DataDirOption,
    console,
    core_errors_as_exits,
    open_or_exit,
    opened_services,
)
from userphoto.config import ENV_PREFIX, Settings
from userphoto.demo import ADMIN_USERNAME, MAX_USERS, DemoReport, seed_demo
from userphoto.web.app import served_app
from userphoto.web.logs import log_config

HostOption = Annotated[str, typer.Option(help="Interface to listen on.")]
PortOption = Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")]
WorkersOption = Annotated[
    int, typer.Option(min=1, help="Worker processes, each answering on the same port.")
]
_WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (a name for the wildcard, not a bind)
_APP = "userphoto.web.app:served_app"
# glibc gives threads that allocate at the same time malloc arenas of their own, up to 8 per
# core, and seldom hands what they freed back: with uploads decoded in the thread pool a
# worker's RSS climbed in steps under bench/soak.py, and stayed flat with 2 arenas.
_MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number, from glibc's malloc.h


def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: WorkersOption = 1,
    data_dir: DataDirOption = None,
) -> None:
    """Run the web service with every registered dialect.

    Links the API hands out use USERPHOTO_PUBLIC_URL, or http://HOST:PORT when it is unset.
    """
    run_server(serving_settings(data_dir, host, port), host, port, workers)


def demo(
    users: Annotated[
        int, typer.Option(min=1, max=MAX_USERS, help="How many demo users to create.")
    ] = 50,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the web service afterwards.")
    ] = False,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    data_dir: DataDirOption = None,
) -> None:
    """Fill the directory with demo people, photos and API users, and show how to call it.

    Safe to run again: records are updated in place, existing photos are kept, and the demo
    API credentials in DATA_DIR/demo-credentials.json are reused while they still work.
    """
    settings = serving_settings(data_dir, host, port)
    with opened_services(settings.data_dir) as services, console.status("drawing the demo"):
        report = seed_demo(services, settings.data_dir, users, settings.public_url)
    _print_demo(report, settings)
    if serve_after:
        run_server(settings, host, port, workers=1)


def serving_settings(data_dir: Path | None, host: str, port: int) -> Settings:
    public_url = None
    if ENV_PREFIX + "PUBLIC_URL" not in os.environ:
        shown_host = "127.0.0.1" if host in _WILDCARD_HOSTS else host
        public_url = f"http://{shown_host}:{port}"
    return Settings.from_env(data_dir=data_dir, public_url=public_url)


def run_server(settings: Settings, host: str, port: int, workers: int) -> None:
    """granian's supervisor and `workers` worker processes, each with the app on `settings`.

    The store is opened here first, so a bad setting or an unreadable store ends the command
    with its message instead of failing in every worker, and migrations run once.
    """
    limit_malloc_arenas()
    with core_errors_as_exits():
        logging_config = log_config(settings.log_level)
    open_or_exit(settings).close()
    # Spawned, not forked: a worker holds only what serving needs, not this command line's
    # modules and the store it just opened and closed.
    multiprocessing.set_start_method("spawn", force=True)
    server = Granian(
        _APP,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        # HTTP/1.1 only: every client of these dialects speaks it, and sniffing each new
        # connection for HTTP/2 cost the photo routes a few per cent.
        http=HTTPModes.http1,
        websockets=False,
        log_dictconfig=logging_config,
        log_level=LogLevels(settings.log_level.lower()),
        log_access=settings.access_log,
        respawn_failed_workers=True,
    )
    console.print(f"userphoto serving on http://{host}:{port} (data in {settings.data_dir})")
    server.serve(target_loader=partial(served_app, settings), wrap_loader=False)


def limit_malloc_arenas() -> None:
    """Two malloc arenas in this process and the workers it starts, unless the operator chose."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return  # glibc has read it at this process's start, as the workers' will
    os.environ["MALLOC_ARENA_MAX"] = str(_MALLOC_ARENAS)
    # This process has started already: glibc takes the same limit through mallopt.
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, _MALLOC_ARENAS)


def _print_demo(report: DemoReport, settings: Settings) -> None:
    credentials = report.credentials
    console.print(
        f"[green]demo directory ready[/green] in {settings.data_dir}: {report.users} users, "
        f"each with an address record; drew {report.user_photos_drawn} user photos "
        f"and {report.address_photos_drawn} address photos this run."
    )
    console.print(f"admin pages: {settings.public_url.rstrip('/')}/admin")
    console.print(f"admin login: {ADMIN_USERNAME} / {credentials.admin_password}")
    console.print(
        f"onOffice API user with read-user-data: token {credentials.reader.token} "
        f"secret {credentials.reader.secret}"
    )
    console.print(
        f"onOffice API user without rights (own user only): token "
        f"{credentials.restricted.token} secret {credentials.restricted.secret}"
    )
    console.print(
        f"\nRead every photo link through the onOffice dialect (with the server running):\n"
        f"  python3 {report.request_script}\n\nThe script:\n"
    )
    typer.echo(report.request_script.read_text())
