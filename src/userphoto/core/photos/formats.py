"""Content sniffing: which format the bytes are and how many pixels their header announces.

Reading the dimensions ourselves, from a few header bytes, lets a decompression bomb be
refused before any decoder (Pillow's or libwebp's) allocates a single pixel buffer.
"""

from __future__ import annotations

from dataclasses import dataclass

from userphoto.core.errors import InvalidImage

JPEG, PNG, GIF, WEBP = "JPEG", "PNG", "GIF", "WEBP"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Start-of-frame markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
_JPEG_SOF = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)
# Markers that stand alone, without a length field.
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


@dataclass(frozen=True, slots=True)
class Sniffed:
    format: str  # Pillow's format name, used to restrict Image.open to that one plugin
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


def sniff(data: bytes) -> Sniffed:
    """Format and header dimensions of `data`; InvalidImage for anything else."""
    if not data:
        raise InvalidImage("empty", "the image is empty")
    if data.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG, *_jpeg_size(data))
    if data.startswith(_PNG_SIGNATURE):
        return Sniffed(PNG, *_png_size(data))
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed(GIF, *_gif_size(data))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Sniffed(WEBP, *_webp_size(data))
    raise InvalidImage("unknown-format", "not a JPEG, PNG, GIF or WebP image")


def _truncated() -> InvalidImage:
    return InvalidImage("unreadable", "the image header is truncated or damaged")


def _be16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "big")


def _le(data: bytes, at: int, length: int) -> int:
    return int.from_bytes(data[at : at + length], "little")


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise _truncated()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _gif_size(data: bytes) -> tuple[int, int]:
    if len(data) < 10:
        raise _truncated()
    return _le(data, 6, 2), _le(data, 8, 2)


def _jpeg_size(data: bytes) -> tuple[int, int]:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            raise _truncated()
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker in _JPEG_STANDALONE:
            at += 2
            continue
        if marker in _JPEG_SOF:
            if at + 9 > len(data):
                break
            height, width = _be16(data, at + 5), _be16(data, at + 7)
            if width == 0 or height == 0:
                raise InvalidImage("unreadable", "the JPEG frame has no size")
            return width, height
        if marker in (0xD9, 0xDA):  # end of image or scan data before any frame header
            break
        at += 2 + _be16(data, at + 2)
    raise _truncated()


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return _le(data, 24, 3) + 1, _le(data, 27, 3) + 1
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = _le(data, 21, 4)
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        return _le(data, 26, 2) & 0x3FFF, _le(data, 28, 2) & 0x3FFF
    raise _truncated()
