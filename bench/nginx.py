"""The reference: Debian's nginx handing out the same bytes as static files.

The configuration follows tests/e2e/test_cluster.py (loopback only, no daemon, every path
under a temporary prefix). POSTs (onOffice reads) get the file too: nginx's static module
answers a POST with 405, which `error_page 405 =200 $uri` turns into the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from servers import answering, free_port

NGINX = "/usr/sbin/nginx"
ROOT = "files"
# Cache-Control and nosniff as userphoto sends them, so both answers are about as long.
NGINX_CONF = """
worker_processes {workers};
user root;
error_log {prefix}/error.log;
pid {prefix}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    types {{ image/jpeg jpg; application/json json; }}
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/{root};
        location / {{
            add_header Cache-Control "public, max-age=300, must-revalidate";
            add_header X-Content-Type-Options nosniff;
            error_page 405 =200 $uri;
        }}
    }}
}}
"""


class StaticFiles:
    """Files written under the nginx root, each reachable by its URL."""

    def __init__(self, prefix: Path, base: str) -> None:
        self._root = prefix / ROOT
        self._root.mkdir(parents=True, exist_ok=True)
        self.base = base

    def publish(self, name: str, data: bytes) -> str:
        (self._root / name).write_bytes(data)
        return f"{self.base}/{name}"


@contextmanager
def nginx(prefix: Path, workers: int) -> Iterator[StaticFiles]:
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, workers=workers, root=ROOT))
    files = StaticFiles(prefix, f"http://127.0.0.1:{port}")
    log = prefix / "output.log"
    argv = [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    with answering(argv, log, None, f"{files.base}/"):
        yield files


def etag(url: str) -> str:
    """nginx's own ETag of a static file (its mtime and length)."""
    response = httpx.head(url, timeout=5)
    response.raise_for_status()
    return response.headers["etag"]
