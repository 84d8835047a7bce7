"""bench/ is a folder of scripts importing each other by module name, as `python bench/run.py`
runs them; the tests import them the same way."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
