"""Default avatars for people without a photo: a neutral silhouette, or their initials.

Each is a real square PNG, drawn once per (size, initials) and kept in memory, so serving
a default costs no more than serving a stored photo.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

MAX_DEFAULT_SIZE = 1024
# Drawn larger and scaled down: the cheapest way to smooth the curves of small sizes.
_SUPERSAMPLE = 4
_BACKGROUND = (226, 229, 234)
_FIGURE = (160, 168, 180)
# Muted backgrounds that keep white initials readable.
_INITIALS_BACKGROUNDS = (
    (93, 109, 126),
    (52, 114, 160),
    (46, 125, 106),
    (128, 88, 150),
    (171, 92, 62),
    (94, 116, 60),
)


def default_avatar(size: int, initials: str | None = None) -> bytes:
    """A `size`×`size` PNG: the silhouette, or `initials` (at most two letters) when given."""
    if not 1 <= size <= MAX_DEFAULT_SIZE:
        raise ValueError(f"default avatar size must be between 1 and {MAX_DEFAULT_SIZE}")
    letters = (initials or "").strip()[:2].upper()
    return _rendered(size, letters)


def initials_of(*names: str) -> str:
    """The first letter of each non-empty name, at most two."""
    return "".join(n.strip()[0] for n in names if n.strip())[:2].upper()


@lru_cache(maxsize=256)
def _rendered(size: int, letters: str) -> bytes:
    big = size * _SUPERSAMPLE
    image = _initials(big, letters) if letters else _silhouette(big)
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _silhouette(side: int) -> Image.Image:
    image = Image.new("RGB", (side, side), _BACKGROUND)
    draw = ImageDraw.Draw(image)
    head = side * 0.19
    cx, cy = side / 2, side * 0.38
    draw.ellipse((cx - head, cy - head, cx + head, cy + head), fill=_FIGURE)
    shoulders = side * 0.34
    top = side * 0.64
    draw.ellipse((cx - shoulders, top, cx + shoulders, top + shoulders * 1.6), fill=_FIGURE)
    return image


def _initials(side: int, letters: str) -> Image.Image:
    digest = hashlib.sha256(letters.encode()).digest()
    background = _INITIALS_BACKGROUNDS[digest[0] % len(_INITIALS_BACKGROUNDS)]
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(1, int(side * 0.42)))
    draw.text((side / 2, side / 2), letters, fill=(255, 255, 255), font=font, anchor="mm")
    return image
