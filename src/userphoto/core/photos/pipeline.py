"""The photo pipeline: validate, decode, orient, strip, crop and render every rendition.

Everything here is a pure function of bytes and plain values, so it runs unchanged in the
worker processes of a bulk import.
"""

from __future__ import annotations

import hashlib
import math
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from PIL import Image

from userphoto.core.errors import ImageTooLarge, InvalidImage
from userphoto.core.model import VARIANT_SIZES, CropBox
from userphoto.core.photos.colour import flatten_on_white, to_srgb
from userphoto.core.photos.formats import JPEG, sniff
from userphoto.core.photos.geometry import Square, crop_square, fit_within

# Our own header check (formats.sniff) replaces Pillow's bomb warning; its hard
# DecompressionBombError stays as a backstop and becomes ImageTooLarge below.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

_RESAMPLE = Image.Resampling.LANCZOS
# reduce() by whole factors first, Lanczos for the last 2x or more: in Pillow's words,
# "indistinguishable from fair resampling in most cases".
_REDUCING_GAP = 2.0
_LARGEST_VARIANT = max(VARIANT_SIZES)
_ORIENTATION_TAG = 0x0112
_TRANSPOSITIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SIDEWAYS = frozenset({5, 6, 7, 8})
# What Pillow and its decoders raise on damaged data.
_DECODER_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    struct.error,
)


@dataclass(frozen=True, slots=True)
class PipelineLimits:
    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000
    original_max_side: int = 1280
    jpeg_quality: int = 88


@dataclass(frozen=True, slots=True)
class RenderedImage:
    size: int | None  # None: the normalised original
    width: int
    height: int
    media_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class RenderedPhoto:
    content_hash: str
    renditions: tuple[RenderedImage, ...]


@dataclass(frozen=True, slots=True)
class _Decoded:
    image: Image.Image  # oriented sRGB pixels, possibly decoded at a reduced scale
    full_size: tuple[int, int]  # oriented size at full resolution
    square: Square  # the crop square, in full-resolution coordinates


def content_hash(data: bytes, crop: CropBox | None = None) -> str:
    """SHA-256 hex of the input bytes, followed by the crop box when there is one.

    Without a crop (or with a 0x0 box) it is the plain SHA-256 of the file, so an import
    rerun can skip a file by hashing it and comparing with the owner's current photo.
    """
    digest = hashlib.sha256(data)
    if crop is not None and (crop.width, crop.height) != (0, 0):
        digest.update(f"\0crop:{crop.x},{crop.y},{crop.width},{crop.height}".encode())
    return digest.hexdigest()


def check_byte_count(length: int, limits: PipelineLimits) -> None:
    if length > limits.max_bytes:
        raise ImageTooLarge(
            "too-many-bytes", f"the image has {length} bytes, more than {limits.max_bytes}"
        )


def render_photo(
    data: bytes, limits: PipelineLimits = PipelineLimits(), crop: CropBox | None = None
) -> RenderedPhoto:
    """The normalised original and every square variant of a JPEG, PNG, GIF or WebP photo.

    The format comes from the content, never from a name. Size limits are checked on the
    byte count and on the header's dimensions before anything is decoded. The EXIF
    orientation is applied, colours are converted to sRGB, and no rendition carries any
    metadata. The original (size None) keeps the whole picture, its longer side at most
    `limits.original_max_side`, as PNG when it has real transparency and JPEG otherwise.
    Each variant in VARIANT_SIZES is a JPEG square of the crop (see `crop_square`),
    min(size, crop side) pixels wide: never upscaled. `content_hash` is `content_hash(data,
    crop)`. Raises InvalidImage (or ImageTooLarge) with a stable `reason`: "empty",
    "unknown-format", "unreadable", "too-many-bytes", "too-many-pixels",
    "crop-outside-image".
    """
    check_byte_count(len(data), limits)
    sniffed = sniff(data)
    _check_pixels((sniffed.width, sniffed.height), limits)
    with _decoder_errors():
        decoded = _decode(data, sniffed.format, limits, crop)
        original, original_image = _original(decoded, limits)
        variants = _variants(decoded, original_image, limits)
    return RenderedPhoto(content_hash(data, crop), (original, *variants))


def _check_pixels(size: tuple[int, int], limits: PipelineLimits) -> None:
    width, height = size
    if width * height > limits.max_pixels:
        raise ImageTooLarge(
            "too-many-pixels",
            f"the image is {width}x{height} pixels, more than {limits.max_pixels}",
        )


@contextmanager
def _decoder_errors() -> Iterator[None]:
    try:
        yield
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge("too-many-pixels", str(exc)) from None
    except _DECODER_ERRORS as exc:
        raise InvalidImage("unreadable", f"the image cannot be decoded: {exc}") from None


def _decode(data: bytes, fmt: str, limits: PipelineLimits, crop: CropBox | None) -> _Decoded:
    with Image.open(BytesIO(data), formats=[fmt]) as image:
        # A GIF frame may reach beyond the screen its header declares: check again.
        _check_pixels(image.size, limits)
        stored_size = image.size
        if fmt == JPEG:
            _draft(image, _spare_scale(_oriented(stored_size, image), crop, limits))
        image.load()  # for animations, the first frame only
        full_size = _oriented(stored_size, image)
        # Whatever libjpeg's draft left (or all of it, for other formats) is shed before any
        # full-size conversion, leaving Lanczos the last _REDUCING_GAP times, as resize would.
        spare = _spare_scale(full_size, crop, limits) * image.width / stored_size[0]
        pixels = to_srgb(image, max(1, math.floor(spare / _REDUCING_GAP)))
        orientation = _orientation(image)
    if orientation in _TRANSPOSITIONS:
        pixels = pixels.transpose(_TRANSPOSITIONS[orientation])
    return _Decoded(pixels, full_size, crop_square(crop, full_size))


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_ORIENTATION_TAG, 1))
    except _DECODER_ERRORS:
        # A damaged EXIF block says nothing reliable; the pixels are still a photo.
        return 1


def _oriented(size: tuple[int, int], image: Image.Image) -> tuple[int, int]:
    return (size[1], size[0]) if _orientation(image) in _SIDEWAYS else size


def _spare_scale(full_size: tuple[int, int], crop: CropBox | None, limits: PipelineLimits) -> float:
    """How many times smaller than `full_size` the pixels may be and still fill every rendition."""
    side = crop_square(crop, full_size).side
    longest = max(full_size)
    return min(longest / min(longest, limits.original_max_side), side / min(side, _LARGEST_VARIANT))


def _draft(image: Image.Image, spare: float) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale when no rendition needs more pixels."""
    if spare >= 2:
        width, height = image.size
        image.draft(None, (math.ceil(width / spare), math.ceil(height / spare)))


def _original(decoded: _Decoded, limits: PipelineLimits) -> tuple[RenderedImage, Image.Image]:
    target = fit_within(decoded.full_size, limits.original_max_side)
    image = decoded.image
    if image.size != target:
        image = image.resize(target, _RESAMPLE, reducing_gap=_REDUCING_GAP)
    return _encoded(None, image, limits), image


def _variants(
    decoded: _Decoded, original: Image.Image, limits: PipelineLimits
) -> list[RenderedImage]:
    """Largest first, each from the smallest image already made that still has enough pixels."""
    sources = [_Source.of(decoded.image, decoded), _Source.of(original, decoded)]
    rendered = []
    for size in sorted(VARIANT_SIZES, reverse=True):
        side = min(size, decoded.square.side)
        source = min((s for s in sources if s.side >= side), key=lambda s: s.side)
        square = flatten_on_white(
            source.image.resize((side, side), _RESAMPLE, box=source.box, reducing_gap=_REDUCING_GAP)
        )
        sources.append(_Source(square, (0, 0, side, side)))
        rendered.append(_encoded(size, square, limits))
    return rendered[::-1]


@dataclass(frozen=True, slots=True)
class _Source:
    """An image already in memory and where the crop square lies in it."""

    image: Image.Image
    box: tuple[float, float, float, float]

    @classmethod
    def of(cls, image: Image.Image, decoded: _Decoded) -> _Source:
        sx = image.width / decoded.full_size[0]
        sy = image.height / decoded.full_size[1]
        sq = decoded.square
        return cls(image, (sq.x * sx, sq.y * sy, (sq.x + sq.side) * sx, (sq.y + sq.side) * sy))

    @property
    def side(self) -> float:
        return min(self.box[2] - self.box[0], self.box[3] - self.box[1])


def _encoded(size: int | None, image: Image.Image, limits: PipelineLimits) -> RenderedImage:
    buffer = BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, "PNG")
        media_type = "image/png"
    else:
        image.save(buffer, "JPEG", quality=limits.jpeg_quality)
        media_type = "image/jpeg"
    return RenderedImage(size, image.width, image.height, media_type, buffer.getvalue())
