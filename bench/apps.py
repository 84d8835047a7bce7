"""The ASGI apps bench/asgi_servers.py runs under each server, imported by the server.

`bare` is the floor under any ASGI app: the bytes in BENCH_BODY answered to every request,
a 304 for its ETag, no routing and no checks. `userphoto` is the app `userphoto serve`
runs, built from the USERPHOTO_* environment, for servers that take a factory by name.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from userphoto.config import Settings
from userphoto.web.app import served_app

ETAG = b'"bench"'
_FRESHNESS = (b"cache-control", b"public, max-age=300")


def userphoto() -> ASGIApp:
    return served_app(Settings.from_env())


class Bare:
    def __init__(self, body: bytes, media_type: bytes) -> None:
        self._body = body
        length = str(len(body)).encode()
        self._ok = [
            (b"content-type", media_type),
            (b"content-length", length),
            (b"etag", ETAG),
            _FRESHNESS,
        ]
        self._not_modified = [(b"etag", ETAG), _FRESHNESS]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no lifespan to run
        more = scope["method"] == "POST"
        while more:  # a POST's body is read, as the onOffice route must; a GET has none
            more = (await receive()).get("more_body", False)
        if (b"if-none-match", ETAG) in scope["headers"]:
            status, headers, body = 304, self._not_modified, b""
        else:
            status, headers, body = 200, self._ok, self._body
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def bare() -> ASGIApp:
    return Bare(Path(os.environ["BENCH_BODY"]).read_bytes(), os.environ["BENCH_TYPE"].encode())
