"""Generated avatars for Gravatar-style defaults: identicons and a blank square.

An identicon is a symmetric 5x5 pattern in one colour, both taken from a hash, so the same
address always gets the same picture and different ones rarely look alike.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

from PIL import Image

MAX_GENERATED_SIZE = 2048
_GRID = 5
_BACKGROUND = (240, 240, 240)


def identicon(digest: str, size: int) -> bytes:
    """A `size`×`size` PNG drawn from `digest`, a hex string of at least 16 digits."""
    _check(size)
    return _identicon(digest.lower(), size)


def blank(size: int) -> bytes:
    """A fully transparent `size`×`size` PNG."""
    _check(size)
    return _png(Image.new("RGBA", (size, size), (0, 0, 0, 0)))


def _check(size: int) -> None:
    if not 1 <= size <= MAX_GENERATED_SIZE:
        raise ValueError(f"avatar size must be between 1 and {MAX_GENERATED_SIZE}")


@lru_cache(maxsize=256)
def _identicon(digest: str, size: int) -> bytes:
    bits = int(digest[:16], 16)
    colour = (bits >> 40 & 0xFF, bits >> 32 & 0xFF, bits >> 24 & 0xFF)
    pattern = Image.new("RGB", (_GRID, _GRID), _BACKGROUND)
    half = (_GRID + 1) // 2
    for column in range(half):
        for row in range(_GRID):
            if bits >> (column * _GRID + row) & 1:
                pattern.putpixel((column, row), colour)
                pattern.putpixel((_GRID - 1 - column, row), colour)
    # A margin of half a cell on every side, as the pattern is drawn on a 6x6 canvas.
    inner = max(1, size * _GRID // (_GRID + 1))
    canvas = Image.new("RGB", (size, size), _BACKGROUND)
    offset = (size - inner) // 2
    canvas.paste(pattern.resize((inner, inner), Image.Resampling.NEAREST), (offset, offset))
    return _png(canvas)


def _png(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
