"""Waiting for what another process (or node) wrote: caches promise it within a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def within_a_second(read: Callable[[], T], expected: T) -> float:
    """Seconds until `read()` returned `expected`; fails after one second."""
    start = time.monotonic()
    while (value := read()) != expected:
        assert time.monotonic() - start < 1.0, f"still {value!r} after one second"
        time.sleep(0.01)
    return time.monotonic() - start
