"""Storage adapters behind the core's ports: SQLAlchemy Core tables, blobs in a folder or table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from userphoto.config import Settings
from userphoto.core.caching import (
    CachingAddressStore,
    CachingApiKeyStore,
    CachingBlobStore,
    CachingPhotoStore,
    CachingUserStore,
    ChangeFeed,
    Memo,
)
from userphoto.core.ports import AddressStore, ApiKeyStore, BlobStore, PhotoStore, UserStore
from userphoto.storage.api_users import SqlApiUserStore
from userphoto.storage.audit import SqlAuditStore
from userphoto.storage.blobs import FileBlobStore
from userphoto.storage.changes import change_feed
from userphoto.storage.credentials import SqlApiKeyStore, SqlSessionStore
from userphoto.storage.dbblobs import SqlBlobStore
from userphoto.storage.engine import ensure_schema, make_engine
from userphoto.storage.history import SqlPhotoHistoryStore
from userphoto.storage.photos import SqlPhotoStore
from userphoto.storage.staging import SqlStagedUploadStore
from userphoto.storage.users import SqlAddressStore, SqlUserStore


@dataclass
class SqlStore:
    engine: Engine
    changes: ChangeFeed
    # The records cache: what the web layer's per-URL answers are as fresh as.
    memo: Memo
    users: UserStore
    addresses: AddressStore
    api_users: SqlApiUserStore
    api_keys: ApiKeyStore
    sessions: SqlSessionStore
    photos: PhotoStore
    staged: SqlStagedUploadStore
    blobs: BlobStore
    audit: SqlAuditStore
    history: SqlPhotoHistoryStore

    def close(self) -> None:
        self.changes.close()
        self.engine.dispose()


def open_store(settings: Settings) -> SqlStore:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    # The embedded default needs no setup step, so it migrates itself on open; a shared
    # database is migrated on purpose (`userphoto migrate`), never by whichever node starts.
    ensure_schema(engine, migrate_if_older=engine.dialect.name == "sqlite")
    changes = change_feed(engine)
    memo = Memo(changes)
    return SqlStore(
        engine=engine,
        changes=changes,
        memo=memo,
        users=CachingUserStore(SqlUserStore(engine), memo),
        addresses=CachingAddressStore(SqlAddressStore(engine), memo),
        api_users=SqlApiUserStore(engine),
        api_keys=CachingApiKeyStore(SqlApiKeyStore(engine), memo),
        sessions=SqlSessionStore(engine),
        photos=CachingPhotoStore(SqlPhotoStore(engine), memo),
        staged=SqlStagedUploadStore(engine),
        blobs=_blob_store(settings, engine),
        audit=SqlAuditStore(engine),
        history=SqlPhotoHistoryStore(engine, memo.clear),
    )


def _blob_store(settings: Settings, engine: Engine) -> BlobStore:
    choice = settings.blob_store
    if choice == "auto":
        choice = "files" if engine.dialect.name == "sqlite" else "database"
    stores: dict[str, Callable[[], BlobStore]] = {
        "files": lambda: FileBlobStore(settings.data_dir / "blobs"),
        "database": lambda: SqlBlobStore(engine),
    }
    if choice not in stores:
        raise ValueError(f"USERPHOTO_BLOB_STORE must be auto, files or database, not {choice!r}")
    blobs = stores[choice]()
    if settings.photo_cache_bytes <= 0:
        return blobs
    return CachingBlobStore(blobs, settings.photo_cache_bytes)
