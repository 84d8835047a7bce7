"""Colour normalisation: every decoded image becomes sRGB RGB, or RGBA with real transparency."""

from __future__ import annotations

from functools import cache, lru_cache
from io import BytesIO

from PIL import Image, ImageCms

_ALPHA_MODES = frozenset({"RGBA", "LA", "PA"})
_WIDE_GREY_MODES = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N"})
_TRANSFORMABLE_MODES = frozenset({"L", "RGB", "CMYK"})
# Rows converted at a time when reducing: about 8 MB of RGBA, whatever the width.
_BAND_PIXELS = 2_000_000


def to_srgb(image: Image.Image, reduce_by: int = 1) -> Image.Image:
    """`image` as sRGB: RGB, or RGBA when some pixel is not fully opaque. Metadata dropped.

    An embedded ICC profile is honoured by converting through it; a profile that is broken
    or does not fit the pixels is ignored, since the pixels themselves are still a photo.
    With `reduce_by` above 1 the result is also `reduce_by` times smaller (`Image.reduce`),
    converted a band of rows at a time, so no second full-size copy is ever made: a 50 MP
    RGBA picture would otherwise pass through three more of them, 600 MB.
    """
    if reduce_by == 1:
        return _converted(image)
    rows = reduce_by * max(1, _BAND_PIXELS // (image.width * reduce_by))
    bands = []
    for top in range(0, image.height, rows):
        band = image.crop((0, top, image.width, min(top + rows, image.height)))
        bands.append(_converted(band).reduce(reduce_by))
    mode = "RGBA" if any(band.mode == "RGBA" for band in bands) else "RGB"
    reduced = Image.new(mode, (bands[0].width, sum(band.height for band in bands)))
    top = 0
    for band in bands:
        reduced.paste(band.convert(mode), (0, top))
        top += band.height
    return reduced


def _converted(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    colour, alpha = _split_alpha(image)
    if icc:
        rgb = _through_profile(colour, icc)
    else:
        rgb = colour if colour.mode == "RGB" else colour.convert("RGB")
    if alpha is not None:
        rgb.putalpha(alpha)
    rgb.info = {}
    return rgb


def flatten_on_white(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, (255, 255, 255))
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _split_alpha(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        rgba = image.convert("RGBA")
        alpha = rgba.getchannel("A")
        opaque = alpha.getextrema()[0] == 255
        return rgba.convert("RGB"), None if opaque else alpha
    if image.mode in _WIDE_GREY_MODES:
        # Pillow clips 16-bit grey when converting to 8 bits; scale it instead.
        return image.convert("I").point(lambda v: v / 257).convert("L"), None
    if image.mode in _TRANSFORMABLE_MODES:
        return image, None
    return image.convert("RGB"), None


def _through_profile(colour: Image.Image, icc: bytes) -> Image.Image:
    try:
        return _transform(icc, colour.mode).apply(colour)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return colour.convert("RGB")


@lru_cache(maxsize=32)
def _transform(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform:
    source = ImageCms.ImageCmsProfile(BytesIO(icc))
    return ImageCms.buildTransform(source, _srgb(), mode, "RGB")


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
