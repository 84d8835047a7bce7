"""Both blob stores, the folder and the table, store a batch as they store one blob."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from userphoto.config import Settings
from userphoto.core.ports import Store
from userphoto.storage import open_store


@pytest.fixture(params=["files", "database"])
def store(request: pytest.FixtureRequest, tmp_path: Path, database_url: str) -> Iterator[Store]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        server_key="test-server-key" if database_url else "",
        blob_store=request.param,
        photo_cache_bytes=0,
    )
    opened = open_store(settings)
    yield opened
    opened.close()


def test_a_batch_returns_each_key_in_order_and_stores_repeats_once(store: Store) -> None:
    existing = store.blobs.put(b"already there")
    items = [b"first", b"already there", b"second", b"first"]
    keys = store.blobs.put_many(items)
    assert keys == [hashlib.sha256(item).hexdigest() for item in items]
    assert keys[1] == existing
    assert [store.blobs.get(key) for key in keys] == items
    assert store.blobs.put_many([]) == []


def test_a_batch_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path, blob_store="files", photo_cache_bytes=0))
    try:
        keys = store.blobs.put_many([f"blob {n}".encode() for n in range(40)])
    finally:
        store.close()
    stored = [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]
    assert sorted(p.name for p in stored) == sorted(keys)
