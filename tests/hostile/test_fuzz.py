"""The atheris fuzz targets in fuzz/, each run for a bounded time from its committed seeds.

A target exits non-zero when an input raises anything but its documented error, or hangs
past the per-input timeout; the input is written to the test's temporary folder and named
in the failure. New corpus entries go there too, never into the committed seeds.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
TARGETS = {"images": "fuzz_images.py", "soap": "fuzz_soap.py"}
SECONDS = 15
# Far below what any run does in SECONDS: a target that stops early fails.
MIN_RUNS = 1_000


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_the_fuzz_target_finds_nothing(target: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    command = [
        sys.executable,
        str(FUZZ / TARGETS[target]),
        f"-max_total_time={SECONDS}",
        "-timeout=10",
        "-rss_limit_mb=1536",
        f"-artifact_prefix={tmp_path}/",
        str(corpus),
        str(FUZZ / "corpus" / target),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 240)
    findings = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert result.returncode == 0, f"{findings}\n{result.stderr[-3000:]}"
    done = re.search(r"Done (\d+) runs", result.stderr)
    assert done is not None and int(done[1]) >= MIN_RUNS, result.stderr[-1000:]
