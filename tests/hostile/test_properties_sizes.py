"""Each dialect's size vocabulary, property-based: every size maps to a stored rendition, a
larger size never gets a smaller image, and no image is ever larger than the photo.

A photo here is what the pipeline stores for a crop square of any side: one square rendition
per VARIANT_SIZES entry, `min(size, side)` pixels wide, and the original.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from userphoto.config import Settings
from userphoto.core.model import VARIANT_SIZES, Photo, PhotoOwner, Rendition
from userphoto.core.photos.sized import SizedPhotos
from userphoto.dialects.docspace.avatars import THUMBNAIL_SIZES
from userphoto.dialects.ews.sizes import SQUARE_SIDES, side_of
from userphoto.dialects.graph.errors import GraphError
from userphoto.dialects.graph.sizes import SIZES, available, sized
from userphoto.dialects.gravatar.query import MAX_SIZE, parse_query

MANY = settings(max_examples=300, deadline=None)
sides = st.integers(min_value=1, max_value=3000)
EWS_CODES = [f"HR{s}x{s}" for s in SQUARE_SIDES] + ["HR1024xN", "HR1920xN"]


def stored_photo(side: int) -> Photo:
    squares = tuple(
        Rendition(size, min(size, side), min(size, side), "image/jpeg", f"key-{size}", 1)
        for size in VARIANT_SIZES
    )
    original = Rendition(None, side, side, "image/jpeg", "key-original", 1)
    return Photo(1, PhotoOwner.user(1), "hash", datetime.now(UTC), (original, *squares))


def assert_monotonic_and_never_upscaled(photo: Photo, widths: list[int], side: int) -> None:
    assert widths == sorted(widths), "a larger size got a smaller image"
    assert all(width <= side for width in widths), "an image larger than the photo"


@MANY
@given(side=sides)
def test_ews_size_codes(side: int) -> None:
    photo = stored_photo(side)
    renditions = [photo.rendition(side_of(code)) for code in EWS_CODES]
    assert all(r in photo.renditions for r in renditions)
    assert_monotonic_and_never_upscaled(photo, [r.width for r in renditions], side)


@MANY
@given(code=st.text(max_size=30))
def test_any_ews_code_is_a_listed_side_or_none(code: str) -> None:
    assert side_of(code) in {None, *SQUARE_SIDES, 1024, 1920}


@MANY
@given(side=sides)
def test_graph_sizes(side: int) -> None:
    photo = stored_photo(side)
    offered = available(photo)
    assert offered and all(r in photo.renditions for r in offered)
    assert_monotonic_and_never_upscaled(photo, [r.width for r in offered], side)
    for rendition in offered:
        assert sized(photo, f"{rendition.width}x{rendition.width}") == rendition
    for size in SIZES:
        if size not in {r.width for r in offered}:
            with pytest.raises(GraphError):
                sized(photo, f"{size}x{size}")


@MANY
@given(size_id=st.text(max_size=30), side=sides)
def test_any_graph_size_id_is_an_offered_size_or_a_graph_error(size_id: str, side: int) -> None:
    photo = stored_photo(side)
    try:
        assert sized(photo, size_id) in available(photo)
    except GraphError as error:
        assert error.status in {400, 404}


@MANY
@given(side=sides, asked=st.lists(st.integers(min_value=1, max_value=MAX_SIZE), min_size=2))
def test_gravatar_sizes(side: int, asked: list[int]) -> None:
    photo = stored_photo(side)
    squares = SizedPhotos(lambda r: b"", 88, 0)
    delivered = [squares.square(photo, s).side for s in sorted(asked)]
    assert all(d <= s for d, s in zip(delivered, sorted(asked), strict=True))
    assert_monotonic_and_never_upscaled(photo, delivered, side)


@MANY
@given(raw=st.text(max_size=40))
def test_any_gravatar_size_parameter_is_within_bounds(raw: str) -> None:
    query = parse_query("0" * 32, {"s": raw}, frozenset())
    assert 1 <= query.size <= MAX_SIZE


@MANY
@given(side=sides)
def test_docspace_thumbnail_sizes(side: int) -> None:
    photo = stored_photo(side)
    squares = sorted(size for _, size in THUMBNAIL_SIZES if size is not None)
    renditions = [photo.rendition(size) for size in squares]
    assert all(r in photo.renditions for r in renditions)
    assert_monotonic_and_never_upscaled(photo, [r.width for r in renditions], side)


@MANY
@given(side=sides)
def test_onoffice_photo_size(side: int) -> None:
    photo = stored_photo(side)
    rendition = photo.rendition(Settings().onoffice_photo_size)
    assert rendition in photo.renditions and rendition.width <= side
