"""The photo pipeline: decode, validate, orient, strip, crop and render every rendition."""

from userphoto.core.photos.pipeline import (
    PipelineLimits,
    RenderedImage,
    RenderedPhoto,
    render_photo,
)

__all__ = ["PipelineLimits", "RenderedImage", "RenderedPhoto", "render_photo"]
