"""EWS photo size codes (`t:UserPhotoSizeType`) and the square side each asks for."""

from __future__ import annotations

import re

# The schema's enumeration. HR1024xN and HR1920xN ask for more than any stored square,
# so they get the largest one, as does any size larger than the stored photo.
SQUARE_SIDES: tuple[int, ...] = (48, 64, 96, 120, 240, 360, 432, 504, 648)
_WIDE_SIDES: tuple[int, ...] = (1024, 1920)
# Docs write HR96X96, the schema HR96x96: both spellings are accepted.
# ASCII digits, at most four: \d also takes other scripts' digits, and int() raises on
# a run longer than 4300, so a hostile code must not reach it.
_SQUARE = re.compile(r"HR([0-9]{1,4})[xX]([0-9]{1,4})")
_WIDE = re.compile(r"HR([0-9]{1,4})[xX]N")


def side_of(code: str) -> int | None:
    """The side in pixels `code` requests; None for a value outside the enumeration."""
    code = code.strip()
    if square := _SQUARE.fullmatch(code):
        height, width = int(square[1]), int(square[2])
        return height if height == width and height in SQUARE_SIDES else None
    if (wide := _WIDE.fullmatch(code)) and int(wide[1]) in _WIDE_SIDES:
        return int(wide[1])
    return None
