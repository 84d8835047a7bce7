"""One wrk run: the request as a generated Lua script, the result as JSON from its `done`.

Every request (method, headers, body) goes into the script rather than onto the command
line, so a signed onOffice POST and a plain GET take the same path. The script defines no
`response` callback: one would make wrk parse every response in Lua and slow the client.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

WRK = "/usr/bin/wrk"
_MARKER = "BENCH_JSON "
_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nMARKER{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
""".replace("MARKER", _MARKER)


@dataclass(frozen=True)
class Request:
    url: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Load:
    """How hard the client pushes: the same for both sides of every comparison."""

    threads: int
    connections: int
    seconds: int  # wrk takes whole seconds


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


class WrkError(RuntimeError):
    pass


def run(request: Request, load: Load) -> Result:
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        script = Path(folder) / "request.lua"
        script.write_text(lua_script(request))
        argv = [
            WRK,
            f"-t{load.threads}",
            f"-c{load.connections}",
            f"-d{load.seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            request.url,
        ]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise WrkError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout)


def parse(output: str) -> Result:
    line = next((ln for ln in output.splitlines() if ln.startswith(_MARKER)), None)
    if line is None:
        raise WrkError(f"wrk printed no summary: {output}")
    data = json.loads(line.removeprefix(_MARKER))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


def lua_script(request: Request) -> str:
    lines = [f"wrk.method = {_lua_string(request.method)}"]
    if request.body:
        lines.append(f"wrk.body = {_lua_string(request.body.decode())}")
    lines += [
        f"wrk.headers[ {_lua_string(name)} ] = {_lua_string(value)}"
        for name, value in request.headers.items()
    ]
    return "\n".join(lines) + "\n" + _DONE


def _lua_string(text: str) -> str:
    """A Lua long bracket string, with enough `=` that the text cannot close it.

    Lua drops a leading newline and normalises line ends in such a string; the bodies here
    are one-line JSON, so they arrive byte for byte.
    """
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    equals = "=" * level
    return f"[{equals}[{text}]{equals}]"
