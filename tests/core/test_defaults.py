"""Default avatars: real PNGs of the asked size, a silhouette or initials, drawn once."""

from __future__ import annotations

import pytest

from tests.images import decode
from userphoto.core.photos.defaults import MAX_DEFAULT_SIZE, default_avatar, initials_of


@pytest.mark.parametrize("size", [1, 32, 82, 360, MAX_DEFAULT_SIZE])
def test_every_size_is_a_square_png(size: int) -> None:
    data = default_avatar(size)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = decode(data)
    assert (image.format, image.size) == ("PNG", (size, size))


def test_the_silhouette_is_a_figure_on_a_background() -> None:
    image = decode(default_avatar(200)).convert("RGB")
    corner, head = image.getpixel((5, 5)), image.getpixel((100, 76))
    assert corner != head


def test_initials_differ_from_the_silhouette_and_from_each_other() -> None:
    silhouette = default_avatar(82)
    assert default_avatar(82, "AB") not in {silhouette, default_avatar(82, "CD")}
    assert default_avatar(82, "") == silhouette
    assert default_avatar(82, " ab ") == default_avatar(82, "AB")


def test_the_same_request_is_the_same_cached_bytes() -> None:
    assert default_avatar(48, "XY") is default_avatar(48, "XY")


@pytest.mark.parametrize("size", [0, -1, MAX_DEFAULT_SIZE + 1])
def test_sizes_out_of_range_are_refused(size: int) -> None:
    with pytest.raises(ValueError):
        default_avatar(size)


def test_initials_of_names() -> None:
    assert initials_of("ada", "lovelace") == "AL"
    assert initials_of("", "Lovelace") == "L"
    assert initials_of("Anna", "Maria", "Smith") == "AM"
    assert initials_of("", " ") == ""
