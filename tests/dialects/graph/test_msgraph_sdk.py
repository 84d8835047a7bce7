"""Microsoft's own Python Graph SDK (msgraph-sdk), pointed at a live server, unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from starlette.applications import Starlette

from tests.dialects.graph.conftest import OTHER, USER1, jpeg
from tests.web.liveserver import serving
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services


class StaticToken(AccessTokenProvider):
    def __init__(self, token: str) -> None:
        self._token = token

    async def get_authorization_token(
        self, uri: str, additional_authentication_context: dict[str, Any] | None = None
    ) -> str:
        return self._token

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return AllowedHostsValidator([])


@pytest.fixture
def base_url(app: Starlette) -> Iterator[str]:
    with serving(app) as url:
        yield url


def graph(base_url: str, key: str) -> GraphServiceClient:
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticToken(key)))
    client = GraphServiceClient(request_adapter=adapter)
    adapter.base_url = f"{base_url}/v1.0"
    return client


def test_the_sdk_reads_metadata_and_bytes(base_url: str, people: Services, admin_key: str) -> None:
    client = graph(base_url, admin_key)
    user = client.users.by_user_id(USER1)
    photo = people.photos.current(PhotoOwner.user(1))
    assert photo is not None

    async def calls() -> tuple[Any, Any, bytes | None, bytes | None]:
        return (
            await user.photo.get(),
            await user.photos.get(),
            await user.photo.content.get(),
            await user.photos.by_profile_photo_id("96x96").content.get(),
        )

    meta, listing, largest, small = asyncio.run(calls())
    assert (meta.id, meta.width, meta.height) == ("504x504", 504, 504)
    assert next(p.id for p in listing.value) == "48x48"
    assert largest == people.photos.read(photo.rendition(504))
    assert small == people.photos.read(photo.rendition(96))


def test_the_sdk_surfaces_a_missing_photo_as_odata_error(
    base_url: str, people: Services, admin_key: str
) -> None:
    client = graph(base_url, admin_key)
    with pytest.raises(ODataError) as raised:
        asyncio.run(client.users.by_user_id(OTHER).photo.content.get())
    assert raised.value.response_status_code == 404
    assert raised.value.error.code == "ErrorEntityNotFound"


def test_the_sdk_uploads_and_deletes_my_photo(
    base_url: str, people: Services, other_key: str
) -> None:
    client = graph(base_url, other_key)

    async def upload_and_delete() -> Any:
        await client.me.photo.content.put(jpeg(64))
        uploaded = await client.me.photo.get()
        await client.me.photo.content.delete()
        return uploaded

    assert asyncio.run(upload_and_delete()).id == "64x64"
    assert people.photos.current(PhotoOwner.user(3)) is None
