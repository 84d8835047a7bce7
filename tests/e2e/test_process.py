"""The installed `userphoto` script, run for real: demo, serve, answer, shut down."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.databases import postgres_schema
from tests.e2e.conftest import image_bytes
from tests.e2e.processes import SCRIPT, free_port, stop, wait_for_health
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [
            str(SCRIPT),
            "demo",
            "--users",
            "5",
            "--serve",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", data_dir, process
    finally:
        stop(process)


def test_demo_serve_answers_health_and_the_printed_request(
    demo_server: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, data_dir, process = demo_server
    health = wait_for_health(base, process)
    assert health.status_code == 200
    assert health.json()["status"] == "ok"

    request = subprocess.run(
        [sys.executable, str(data_dir / "demo-request.py")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = json.loads(request.stdout)
    records = answer["response"]["results"][0]["data"]["records"]
    assert [r["id"] for r in records] == [1, 2, 3, 4, 5]
    link = records[0]["elements"]["photo"]
    assert link.startswith(base)
    photo = httpx.get(link, timeout=10)
    assert photo.status_code == 200 and photo.content.startswith(b"\xff\xd8")

    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "worker shut down" in output
    assert f"userphoto serving on {base}" in output


def test_serve_with_workers_passes_the_data_dir_through_the_environment(tmp_path: Path) -> None:
    port = free_port()
    data_dir = tmp_path / "served"
    process = subprocess.Popen(
        [str(SCRIPT), "serve", "--workers", "2", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for_health(f"http://127.0.0.1:{port}", process).status_code == 200
        # The workers opened the store in the folder given on the command line.
        assert (data_dir / "userphoto.sqlite3").exists()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    # One ready worker answers /healthz; the other may still be starting when it is stopped.
    assert "worker ready to answer" in output
    assert "Spawning worker-2" in output


def test_serve_with_workers_on_postgres_sees_changes_in_every_worker(tmp_path: Path) -> None:
    with postgres_schema() as url:
        settings = Settings(data_dir=tmp_path / "seed", database_url=url, server_key="k")
        services = open_services(settings)
        services.directory.save_user({"number": 1, "email": "ada@example.org"})
        port = free_port()
        env = {**os.environ, "USERPHOTO_DATABASE_URL": url, "USERPHOTO_SERVER_KEY": "k"}
        argv = [str(SCRIPT), "serve", "--workers", "2", "--port", str(port)]
        with (tmp_path / "server.log").open("w") as log:
            process = subprocess.Popen(
                [*argv, "--data-dir", str(tmp_path / "node")],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for_health(base, process)
            link = f"{base}/smart20/Dateien/userphoto/users/Userphoto_1.jpg"
            # New connections spread over both workers; each must see the photo at once.
            assert {httpx.get(link, timeout=5).status_code for _ in range(6)} == {404}
            services.photos.set_photo(PhotoOwner.user(1), image_bytes())
            time.sleep(1.0)
            assert {httpx.get(link, timeout=5).status_code for _ in range(10)} == {200}
        finally:
            services.close()
            process.terminate()
            process.wait(timeout=30)
