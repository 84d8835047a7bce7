"""Graph's photo sizes and which of them a stored photo can offer."""

from __future__ import annotations

import re

from userphoto.core.model import Photo, Rendition
from userphoto.dialects.graph.errors import INVALID_REQUEST, PHOTO_NOT_FOUND, GraphError

SIZES: tuple[int, ...] = (48, 64, 96, 120, 240, 360, 432, 504, 648)
# ASCII digits, at most four: \d takes other scripts' digits too, and int() raises on a
# run longer than 4300, which a size id from the URL must never reach.
_SIZE_ID = re.compile(r"([0-9]{1,4})(?:[xX]([0-9]{1,4}))?")


def available(photo: Photo) -> list[Rendition]:
    """The sizes the photo fills without upscaling, smallest first; at least its largest."""
    exact = [r for r in (photo.rendition(size) for size in SIZES) if r.size == r.width]
    return exact or [photo.rendition(max(SIZES))]


def sized(photo: Photo, size_id: str) -> Rendition:
    """The rendition `48x48` (or `48`) names; only sizes the photo fills, as Graph offers.

    A photo under 48 pixels offers its one smaller size, under the id the listing gives it.
    """
    for rendition in available(photo):
        if size_id.lower() in {f"{rendition.width}x{rendition.height}", str(rendition.width)}:
            return rendition
    _side(size_id)  # a size outside Graph's list is a bad request, not a missing size
    raise GraphError(404, PHOTO_NOT_FOUND, f"The photo is not available in the size {size_id}.")


def _side(size_id: str) -> int:
    match = _SIZE_ID.fullmatch(size_id)
    if match and match[2] in {None, match[1]} and int(match[1]) in SIZES:
        return int(match[1])
    names = ", ".join(f"{s}x{s}" for s in SIZES)
    raise GraphError(400, INVALID_REQUEST, f"The photo size {size_id!r} is not one of {names}.")
