"""Square photos at any side and in JPEG, WebP or AVIF, from the nearest stored rendition.

The nearest stored rendition at or above the side is served as it is when it has that side
and format. Otherwise it is resized (or re-encoded) once and kept in memory, up to a byte
budget, least recently used first out. The ETag of such a square is derived from its
source's blob key, the side and the format, so a revalidation needs no rendering at all.
A side larger than the photo gets the largest rendition's side: never upscaled.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from PIL import Image

from userphoto.core.model import Photo, Rendition

# What `square` can encode, by media type: Pillow's format name and the ETag suffix.
ENCODINGS: dict[str, tuple[str, str]] = {
    "image/jpeg": ("JPEG", "jpg"),
    "image/webp": ("WEBP", "webp"),
    "image/avif": ("AVIF", "avif"),
}


@dataclass(frozen=True, slots=True)
class SizedImage:
    etag_key: str
    media_type: str
    side: int  # what is delivered: less than asked when the photo is smaller
    load: Callable[[], bytes]


class SizedPhotos:
    def __init__(
        self, read: Callable[[Rendition], bytes], jpeg_quality: int, budget_bytes: int
    ) -> None:
        self._read = read
        self._quality = jpeg_quality
        self._budget = budget_bytes
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cached_bytes = 0
        self._lock = threading.Lock()

    def square(self, photo: Photo, side: int, media_type: str = "image/jpeg") -> SizedImage:
        """Raises ValueError for a media type not in ENCODINGS."""
        if media_type not in ENCODINGS:
            raise ValueError(f"cannot encode {media_type}")
        source = photo.rendition(side)
        side = min(side, source.width)
        if side == source.width and media_type == source.media_type:
            return SizedImage(source.blob_key, media_type, side, lambda: self._read(source))
        key = f"{source.blob_key}-{side}-{ENCODINGS[media_type][1]}"
        return SizedImage(
            key, media_type, side, lambda: self._rendered(key, source, side, media_type)
        )

    def _rendered(self, key: str, source: Rendition, side: int, media_type: str) -> bytes:
        with self._lock:
            if (cached := self._cache.get(key)) is not None:
                self._cache.move_to_end(key)
                return cached
        data = _encoded_square(self._read(source), side, ENCODINGS[media_type][0], self._quality)
        self._remember(key, data)
        return data

    def _remember(self, key: str, data: bytes) -> None:
        if len(data) > self._budget:
            return
        with self._lock:
            if key in self._cache:
                return
            self._cache[key] = data
            self._cached_bytes += len(data)
            while self._cached_bytes > self._budget:
                _, evicted = self._cache.popitem(last=False)
                self._cached_bytes -= len(evicted)


def _encoded_square(data: bytes, side: int, fmt: str, quality: int) -> bytes:
    with Image.open(BytesIO(data)) as image:
        square = image.convert("RGB")
    if square.size != (side, side):
        square = square.resize((side, side), Image.Resampling.LANCZOS)
    out = BytesIO()
    square.save(out, fmt, quality=quality)
    return out.getvalue()
