"""Interface of the photo pipeline (implementation in progress)."""

from __future__ import annotations

from dataclasses import dataclass

from userphoto.core.model import CropBox


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


def render_photo(
    data: bytes, limits: PipelineLimits = PipelineLimits(), crop: CropBox | None = None
) -> RenderedPhoto:
    raise NotImplementedError
