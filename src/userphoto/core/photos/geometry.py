"""Geometry of renditions: the crop square and sizes that fit within a bound."""

from __future__ import annotations

from dataclasses import dataclass

from userphoto.core.errors import InvalidImage
from userphoto.core.model import CropBox


@dataclass(frozen=True, slots=True)
class Square:
    x: int
    y: int
    side: int


def crop_square(crop: CropBox | None, size: tuple[int, int]) -> Square:
    """The square the variants show: centred in `crop` clamped to the image, or in the image.

    No crop, or a 0x0 box, means the whole image. A box that keeps no pixel once clamped
    to the image is refused.
    """
    width, height = size
    if crop is None or (crop.width == 0 and crop.height == 0):
        left, top, right, bottom = 0, 0, width, height
    else:
        left, right = _clamp(crop.x, width), _clamp(crop.x + crop.width, width)
        top, bottom = _clamp(crop.y, height), _clamp(crop.y + crop.height, height)
        if right <= left or bottom <= top:
            raise InvalidImage(
                "crop-outside-image", f"the crop box {crop} misses the {width}x{height} image"
            )
    side = min(right - left, bottom - top)
    return Square(left + (right - left - side) // 2, top + (bottom - top - side) // 2, side)


def fit_within(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """`size` scaled down so that its longer side is at most `longest`; never scaled up."""
    width, height = size
    factor = longest / max(width, height)
    if factor >= 1:
        return size
    return max(1, round(width * factor)), max(1, round(height * factor))


def _clamp(value: int, upper: int) -> int:
    return max(0, min(value, upper))
