"""The benchmark's own parts: wrk scripts and their summary, nginx as the reference, ratios."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

import wrk
from apps import ETAG, Bare
from nginx import StaticFiles, etag, nginx
from report import comparison_row, limit_row
from scenarios import Comparison

BODY = b'{"closing": "]] ]=] ]==]", "text": "\\u00e4"}'


def test_summary_line_is_parsed_among_wrks_own_output() -> None:
    output = (
        "Running 1s test @ http://127.0.0.1:1/\n  2 threads and 8 connections\n"
        'BENCH_JSON {"requests":500,"duration_us":2000000,"connect":0,"read":1,"write":0,'
        '"status":2,"timeout":0,"p50_us":1500,"p99_us":9000}\n'
    )
    result = wrk.parse(output)
    assert (result.requests, result.rate, result.errors) == (500, 250.0, 3)
    assert (result.p50_ms, result.p99_ms) == (1.5, 9.0)


def test_output_without_summary_is_an_error() -> None:
    with pytest.raises(wrk.WrkError):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_lua_strings_cannot_be_closed_by_the_text() -> None:
    script = wrk.lua_script(wrk.Request("http://x/", "POST", {"X-A": "]]"}, BODY))
    assert "wrk.body = [===[" + BODY.decode() + "]===]" in script
    assert "wrk.headers[ [[X-A]] ] = [=[]]]=]" in script


@pytest.fixture
def files(tmp_path: Path) -> Iterator[StaticFiles]:
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed: .ci/run installs Debian's nginx-light")
    with nginx(tmp_path / "nginx", workers=1) as static:
        yield static


def test_nginx_answers_a_post_with_the_file_and_wrk_sends_it(files: StaticFiles) -> None:
    url = files.publish("answer.json", b'{"ok": true}')
    assert httpx.post(url, content=BODY).content == b'{"ok": true}'
    post = wrk.Request(url, "POST", {"Content-Type": "application/json"}, BODY)
    result = wrk.run(post, wrk.Load(threads=1, connections=2, seconds=1))
    assert result.requests > 0
    assert result.errors == 0


def test_nginx_revalidates_with_its_own_etag(files: StaticFiles) -> None:
    url = files.publish("photo.jpg", b"\xff\xd8 not really a jpeg")
    response = httpx.get(url, headers={"If-None-Match": etag(url)})
    assert response.status_code == 304


def test_a_failed_request_fails_the_comparison() -> None:
    clean = Comparison("photo", 0.5, [60.0, 50.0, 40.0], [100.0, 100.0, 50.0], errors=0)
    row = comparison_row(clean)
    assert row.ratio == 0.5
    assert row.spread == (0.5, 0.8)
    assert row.passed
    assert not comparison_row(Comparison("photo", 0.5, [60.0], [100.0], errors=1)).passed


def test_a_limit_is_met_by_the_median() -> None:
    row = limit_row("startup", [1.0, 1.4, 9.0], "s", 1.5)
    assert (row.userphoto, row.spread, row.passed) == (1.4, (1.0, 9.0), True)


def test_the_bare_app_answers_its_bytes_its_304_and_reads_a_post() -> None:
    client = TestClient(Bare(b"\xff\xd8 photo", b"image/jpeg"))
    photo = client.get("/any/path")
    assert (photo.status_code, photo.content) == (200, b"\xff\xd8 photo")
    assert photo.headers["etag"] == ETAG.decode()
    assert client.get("/", headers={"If-None-Match": ETAG.decode()}).status_code == 304
    assert client.post("/api.php", content=BODY * 1000).content == b"\xff\xd8 photo"
