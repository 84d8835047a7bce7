"""Real servers on loopback ports: the app under uvicorn (the SDK speaks urllib3, not ASGI)
and a small origin server the URL-fetch tests point at."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import uvicorn
from starlette.types import ASGIApp


@contextmanager
def running_app(app: ASGIApp) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


Reply = Callable[[BaseHTTPRequestHandler], None]


def body(data: bytes, content_type: str = "image/png") -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return reply


def redirect(location: str) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return reply


def endless(chunk: bytes = b"\0" * 65536) -> Reply:
    """A body without Content-Length that never ends: only a byte limit stops it."""

    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.end_headers()
        try:
            while True:
                handler.wfile.write(chunk)
        except OSError:
            return

    return reply


def trickle(interval: float, data: bytes = b"\x89PNG") -> Reply:
    """Headers at once, then one byte every `interval` seconds."""

    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.end_headers()
        try:
            for byte in data * 1000:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(interval)
        except OSError:
            return

    return reply


def stall(seconds: float) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        body(b"late")(handler)

    return reply


class OriginServer:
    """Answers each path with the reply registered for it, 404 otherwise; records requests."""

    def __init__(self) -> None:
        self.replies: dict[str, Reply] = {}
        self.hits: list[str] = []
        self.hosts: list[str] = []
        replies, hits, hosts = self.replies, self.hits, self.hosts

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                hosts.append(self.headers.get("Host", ""))
                reply = replies.get(self.path.split("?", 1)[0])
                if reply is None:
                    self.send_error(404)
                else:
                    reply(self)

            def log_message(self, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> OriginServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
