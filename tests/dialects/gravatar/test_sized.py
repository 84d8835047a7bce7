"""SizedPhotos: nearest stored rendition at or above, resized once, kept within a budget."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.dialects.gravatar.conftest import image, jpeg
from userphoto.core.model import PhotoOwner, Rendition
from userphoto.core.photos.sized import SizedPhotos
from userphoto.core.services import Services


def counting(services: Services, budget: int) -> tuple[SizedPhotos, Counter[str]]:
    reads: Counter[str] = Counter()

    def read(rendition: Rendition) -> bytes:
        reads[rendition.blob_key] += 1
        return services.photos.read(rendition)

    return SizedPhotos(read, 85, budget), reads


def test_a_side_between_renditions_is_resized_from_the_next_larger_once(
    services: Services,
) -> None:
    services.directory.save_user({"number": 1})
    photo = services.photos.set_photo(PhotoOwner.user(1), jpeg(700))
    sized, reads = counting(services, 1024 * 1024)
    first = sized.square(photo, 100)
    assert first.etag_key == f"{photo.rendition(120).blob_key}-100-jpg"
    data = first.load()
    assert image(data).size == (100, 100)
    assert sized.square(photo, 100).load() == data
    assert reads == Counter({photo.rendition(120).blob_key: 1})


def test_the_budget_evicts_the_least_recently_used(services: Services) -> None:
    services.directory.save_user({"number": 1})
    photo = services.photos.set_photo(PhotoOwner.user(1), jpeg(700))
    one = len(SizedPhotos(services.photos.read, 85, 10**9).square(photo, 100).load())
    sized, reads = counting(services, one + one // 2)
    sized.square(photo, 100).load()
    sized.square(photo, 110).load()  # both from the 120 rendition; 100 is evicted
    sized.square(photo, 100).load()
    assert reads[photo.rendition(120).blob_key] == 3


def test_another_format_at_a_stored_size_is_encoded_once(services: Services) -> None:
    services.directory.save_user({"number": 1})
    photo = services.photos.set_photo(PhotoOwner.user(1), jpeg(700))
    sized, reads = counting(services, 1024 * 1024)
    webp = sized.square(photo, 96, "image/webp")
    assert webp.media_type == "image/webp"
    assert image(webp.load()).format == "WEBP"
    assert sized.square(photo, 96, "image/webp").load() == webp.load()
    assert sized.square(photo, 96).etag_key == photo.rendition(96).blob_key
    assert reads == Counter({photo.rendition(96).blob_key: 1})


def test_an_unknown_format_is_refused(services: Services) -> None:
    services.directory.save_user({"number": 1})
    photo = services.photos.set_photo(PhotoOwner.user(1), jpeg(100))
    with pytest.raises(ValueError, match="image/gif"):
        SizedPhotos(services.photos.read, 85, 1024).square(photo, 48, "image/gif")
