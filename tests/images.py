"""Image makers for tests: encoded photos, crafted headers and ICC profiles, all made here."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from typing import Any

from PIL import Image

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)
# Colours of the top-left, top-right, bottom-left and bottom-right quadrants.
QUADRANT_COLOURS = (RED, GREEN, BLUE, WHITE)

# The stored pixels an EXIF orientation undoes: applying the orientation restores upright.
_STORED_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def solid(size: tuple[int, int], colour: tuple[int, ...], mode: str = "RGB") -> Image.Image:
    return Image.new(mode, size, colour)


def quadrants(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    boxes = (
        (0, 0, half_w, half_h),
        (half_w, 0, width, half_h),
        (0, half_h, half_w, height),
        (half_w, half_h, width, height),
    )
    for box, colour in zip(boxes, QUADRANT_COLOURS, strict=True):
        image.paste(colour, box)
    return image


def quadrant_samples(image: Image.Image) -> tuple[tuple[int, ...], ...]:
    """The colour at the centre of each quadrant, in QUADRANT_COLOURS order."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    points = (
        (w // 4, h // 4),
        (3 * w // 4, h // 4),
        (w // 4, 3 * h // 4),
        (3 * w // 4, 3 * h // 4),
    )
    return tuple(rgb.getpixel(p) for p in points)  # type: ignore[misc]


def close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def oriented_jpeg(upright: Image.Image, orientation: int, **options: Any) -> bytes:
    """A JPEG whose pixels are stored turned so that EXIF `orientation` shows `upright`."""
    stored = upright.transpose(_STORED_FOR_ORIENTATION[orientation]) if orientation > 1 else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(stored, "JPEG", exif=exif, quality=95, **options)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_bomb(width: int, height: int) -> bytes:
    """A well-formed PNG whose IHDR announces width x height but whose data is a few bytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_header_bomb(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header is rewritten to announce width x height."""
    data = bytearray(encode(solid((16, 16), RED), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_frame_bomb(frame_width: int, frame_height: int) -> bytes:
    """A GIF declaring a 1x1 screen whose single frame claims frame_width x frame_height."""
    screen = b"GIF89a" + struct.pack("<HH", 1, 1) + b"\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
    descriptor = b"\x2c" + struct.pack("<HHHH", 0, 0, frame_width, frame_height) + b"\x00"
    pixels = b"\x02\x02\x4c\x01\x00"  # LZW minimum code size 2, one tiny sub-block
    return screen + descriptor + pixels + b"\x3b"


def webp_canvas_bomb(width: int, height: int) -> bytes:
    """An extended WebP (VP8X) whose canvas is width x height; no image data follows."""
    canvas = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    vp8x = b"\x00\x00\x00\x00" + canvas
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


# Adobe RGB (1998) colorants adapted to D50, as in the published profile.
ADOBE_RGB_COLORANTS = ((0.6097, 0.3111, 0.0195), (0.2053, 0.6257, 0.0609), (0.1492, 0.0632, 0.7446))
ADOBE_RGB_GAMMA = 563 / 256  # 2.19921875, the profile's u8Fixed8 gamma


def adobe_rgb_icc() -> bytes:
    """A minimal ICC v2 matrix/TRC display profile with Adobe RGB (1998) primaries."""

    def xyz(values: tuple[float, float, float]) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(struct.pack(">i", round(v * 65536)) for v in values)

    def text(value: str) -> bytes:
        return b"text\0\0\0\0" + value.encode() + b"\0"

    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(ADOBE_RGB_GAMMA * 256)) + b"\0\0"
    red, green, blue = ADOBE_RGB_COLORANTS
    tags = [
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(red)),
        (b"gXYZ", xyz(green)),
        (b"bXYZ", xyz(blue)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", text("test")),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, bodies = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(bodies), len(body))
        bodies += body
    size = offset + len(bodies)
    header = (
        struct.pack(">I", size)
        + b"\0\0\0\0"
        + b"\x02\x10\x00\x00"
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + xyz((0.9642, 1.0, 0.8249))[8:]
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + bodies


def adobe_to_srgb(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """Adobe RGB (1998) to sRGB by the published formulas, independent of any CMS."""
    linear = [(c / 255) ** ADOBE_RGB_GAMMA for c in rgb]
    # Adobe RGB -> XYZ (D65), then XYZ -> linear sRGB.
    to_xyz = ((0.5767, 0.1856, 0.1882), (0.2973, 0.6274, 0.0753), (0.0270, 0.0707, 0.9911))
    to_srgb = ((3.2406, -1.5372, -0.4986), (-0.9689, 1.8758, 0.0415), (0.0557, -0.2040, 1.0570))
    x = [sum(m * v for m, v in zip(row, linear, strict=True)) for row in to_xyz]
    srgb = [sum(m * v for m, v in zip(row, x, strict=True)) for row in to_srgb]

    def gamma(v: float) -> int:
        v = min(max(v, 0.0), 1.0)
        encoded = 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055
        return round(encoded * 255)

    return gamma(srgb[0]), gamma(srgb[1]), gamma(srgb[2])
