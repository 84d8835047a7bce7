"""Two stateless nodes on one PostgreSQL behind nginx: coherent within a second, and a
killed node costs no failed read.

Writes go to each node directly (Graph `PUT photo/$value`); reads go through nginx, which
spreads them over both nodes. nginx (Debian package) runs from a configuration the test
writes, on loopback only.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.databases import postgres_schema
from tests.e2e.processes import SCRIPT, free_port, stop, wait_for_health
from tests.images import encode, solid
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.model import Scope

SERVER_KEY = "cluster-test-server-key"
USERS = (1, 2, 3)
NGINX_CONF = """
worker_processes 1;
user root;
error_log {prefix}/error.log;
pid {prefix}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream nodes {{
        server 127.0.0.1:{node_a} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{node_b} max_fails=1 fail_timeout=10s;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://nodes;
            proxy_connect_timeout 1s;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""


@dataclass
class Cluster:
    nodes: list[str]
    processes: list[subprocess.Popen[str]]
    proxy: str
    key: str

    def put_photo(self, node: int, user: int, shade: int) -> str:
        """Write through one node; return the new ETag as that node serves it."""
        photo = encode(solid((400, 400), (shade, 120, 255 - shade)), "JPEG")
        response = httpx.put(
            f"{self.nodes[node]}/v1.0/users/{user}/photo/$value",
            content=photo,
            headers={"Authorization": f"Bearer {self.key}", "Content-Type": "image/jpeg"},
            timeout=30,
        )
        assert response.is_success, response.text
        return self.etag(self.nodes[node], user)

    def etag(self, base: str, user: int) -> str:
        response = httpx.get(photo_path(base, user), timeout=5)
        assert response.status_code == 200, response.text
        return response.headers["etag"]


def photo_path(base: str, user: int) -> str:
    return f"{base}/smart20/Dateien/userphoto/users/Userphoto_{user}.jpg"


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed: .ci/run installs Debian's nginx-light")
    with postgres_schema() as url:
        key = seed_directory(tmp_path / "seed", url)
        ports = [free_port(), free_port()]
        nodes = [start_node(tmp_path / f"node{i}", url, port) for i, port in enumerate(ports)]
        processes = list(nodes)
        try:
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            for base, process in zip(bases, nodes, strict=True):
                wait_for_health(base, process)
            # Only now: nginx would mark nodes that are still starting as failed.
            proxy, nginx = start_nginx(tmp_path / "nginx", ports)
            processes.append(nginx)
            yield Cluster(bases, nodes, proxy, key)
        finally:
            for process in processes:
                stop(process)


def seed_directory(data_dir: Path, url: str) -> str:
    services = open_services(Settings(data_dir=data_dir, database_url=url, server_key=SERVER_KEY))
    try:
        services.directory.save_user({"number": 99, "email": "admin@example.org", "is_admin": True})
        for number in USERS:
            services.directory.save_user({"number": number, "email": f"u{number}@example.org"})
        return services.auth.create_key(99, "cluster", [Scope.ALL])[1]
    finally:
        services.close()


def start_node(data_dir: Path, url: str, port: int) -> subprocess.Popen[str]:
    env = {
        "PATH": str(SCRIPT.parent),
        "USERPHOTO_DATABASE_URL": url,
        "USERPHOTO_SERVER_KEY": SERVER_KEY,
        "USERPHOTO_PUBLIC_URL": "http://cluster.invalid",
    }
    argv = [str(SCRIPT), "serve", "--port", str(port), "--data-dir", str(data_dir)]
    data_dir.mkdir(parents=True)
    # A log file, not a pipe: nobody reads a pipe while the test runs, and a full pipe
    # would block the server's access log and with it the server.
    with (data_dir / "server.log").open("w") as log:
        return subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)


def start_nginx(prefix: Path, node_ports: list[int]) -> tuple[str, subprocess.Popen[str]]:
    prefix.mkdir()
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(prefix=prefix, node_a=node_ports[0], node_b=node_ports[1], port=port)
    )
    process = subprocess.Popen(
        ["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return base, process
        except httpx.TransportError:
            time.sleep(0.1)
    stop(process)
    pytest.fail(f"nginx did not start: {(prefix / 'error.log').read_text()}")


def test_writes_through_both_nodes_read_consistently_through_nginx(cluster: Cluster) -> None:
    for step in range(8):
        user = USERS[step % len(USERS)]
        expected = cluster.put_photo(step % 2, user, shade=step * 30)
        deadline = time.monotonic() + 1.0
        while cluster.etag(cluster.proxy, user) != expected:
            assert time.monotonic() < deadline, f"nginx still serves an old photo of {user}"
        # From then on, every read through either node is the new photo.
        assert {cluster.etag(cluster.proxy, user) for _ in range(6)} == {expected}


def test_a_killed_node_costs_no_failed_read(cluster: Cluster) -> None:
    expected = cluster.put_photo(0, 1, shade=10)
    failures: list[str] = []
    reads = 0
    stop_reading = threading.Event()

    def read_continuously() -> None:
        nonlocal reads
        with httpx.Client(timeout=5) as client:
            while not stop_reading.is_set():
                started = time.monotonic()
                try:
                    response = client.get(photo_path(cluster.proxy, 1))
                except httpx.HTTPError as exc:
                    failures.append(f"{exc!r} after {time.monotonic() - started:.1f} s")
                    continue
                reads += 1
                if response.status_code != 200 or response.headers.get("etag") != expected:
                    failures.append(f"{response.status_code} {response.headers.get('etag')}")

    reader = threading.Thread(target=read_continuously)
    reader.start()
    time.sleep(1.0)
    cluster.processes[0].send_signal(signal.SIGKILL)
    time.sleep(2.0)
    stop_reading.set()
    reader.join()
    assert reads > 20
    assert failures == []
