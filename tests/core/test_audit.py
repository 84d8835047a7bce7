"""The audit trail: every photo change records who, when, through which channel, and what."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.core.fakes import fake_services
from tests.databases import DATABASES, postgres_schema
from tests.images import encode, solid
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.audit import Actor, ActorKind, AuditAction
from userphoto.core.errors import InvalidValue
from userphoto.core.model import AuthMethod, CropBox, PhotoOwner, Principal, Scope
from userphoto.core.services import Services

ADA, BO = PhotoOwner.user(1), PhotoOwner.user(2)


def jpeg(colour: tuple[int, int, int]) -> bytes:
    return encode(solid((120, 120), colour), "JPEG")


@pytest.fixture(params=["fake", *DATABASES], name="directory")
def directory_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    """Users 1 and 2 on the in-memory fakes and on every real store."""
    with _services(request.param, tmp_path) as services:
        services.directory.save_user({"number": 1, "email": "ada@example.org"})
        services.directory.save_user({"number": 2, "email": "bo@example.org"})
        yield services


@contextmanager
def _services(kind: str, tmp_path: Path) -> Iterator[Services]:
    if kind == "fake":
        yield fake_services()
        return
    with ExitStack() as stack:
        url = stack.enter_context(postgres_schema()) if kind == "postgresql" else ""
        settings = Settings(data_dir=tmp_path, database_url=url, server_key="test-key")
        services = open_services(settings)
        stack.callback(services.close)
        yield services


def test_set_crop_delete_are_recorded_newest_first(directory: Services) -> None:
    graph = Actor(ActorKind.API_KEY, "1", "graph")
    first = directory.photos.set_photo(ADA, jpeg((200, 0, 0)))
    cropped = directory.photos.recrop(ADA, CropBox(0, 0, 60, 60), graph)
    directory.photos.delete_photo(ADA, graph)
    entries = directory.audit.trail(ADA).items
    assert [e.action for e in entries] == [AuditAction.DELETE, AuditAction.CROP, AuditAction.SET]
    delete, crop, made = entries
    assert (made.old_hash, made.new_hash) == (None, first.content_hash)
    assert (crop.old_hash, crop.new_hash) == (first.content_hash, cropped.content_hash)
    assert (delete.old_hash, delete.new_hash) == (cropped.content_hash, None)
    assert made.actor == Actor(ActorKind.SYSTEM, "", "cli")
    assert crop.actor == delete.actor == graph
    assert delete.at >= crop.at >= made.at


def test_deleting_no_photo_records_nothing(directory: Services) -> None:
    assert not directory.photos.delete_photo(ADA)
    assert directory.audit.trail().total == 0


def test_the_trail_filters_by_owner_and_pages(directory: Services) -> None:
    for shade in range(3):
        directory.photos.set_photo(ADA, jpeg((shade * 60, 0, 0)))
    directory.photos.set_photo(BO, jpeg((0, 90, 0)))
    assert directory.audit.trail().total == 4
    page = directory.audit.trail(ADA, limit=2, offset=1)
    assert page.total == 3 and len(page.items) == 2
    assert all(e.owner == ADA for e in page.items)
    assert page.items[0].id > page.items[1].id


def test_bad_paging_is_refused(directory: Services) -> None:
    with pytest.raises(InvalidValue):
        directory.audit.trail(limit=-1)
    with pytest.raises(InvalidValue):
        directory.audit.trail(offset=-1)


def test_an_actor_names_the_kind_of_credential() -> None:
    services = fake_services()
    user = services.directory.save_user({"number": 5})
    by_key = Actor.of(Principal(user, frozenset({Scope.ALL}), AuthMethod.API_KEY), "graph")
    by_session = Actor.of(Principal(user, frozenset({Scope.ALL}), AuthMethod.SESSION), "admin")
    assert by_key == Actor(ActorKind.API_KEY, "5", "graph")
    assert by_session == Actor(ActorKind.USER, "5", "admin")
