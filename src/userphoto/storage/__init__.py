"""Storage adapters behind the core's ports: SQLAlchemy Core tables and a blob folder."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from userphoto.config import Settings
from userphoto.storage.api_users import SqlApiUserStore
from userphoto.storage.blobs import FileBlobStore
from userphoto.storage.credentials import SqlApiKeyStore, SqlSessionStore
from userphoto.storage.engine import make_engine, migrate
from userphoto.storage.photos import SqlPhotoStore
from userphoto.storage.users import SqlAddressStore, SqlUserStore


@dataclass
class SqlStore:
    engine: Engine
    users: SqlUserStore
    addresses: SqlAddressStore
    api_users: SqlApiUserStore
    api_keys: SqlApiKeyStore
    sessions: SqlSessionStore
    photos: SqlPhotoStore
    blobs: FileBlobStore

    def close(self) -> None:
        self.engine.dispose()


def open_store(settings: Settings) -> SqlStore:
    engine = make_engine(settings.effective_database_url)
    # The embedded default needs no setup step, so it migrates itself on open.
    migrate(engine)
    return SqlStore(
        engine=engine,
        users=SqlUserStore(engine),
        addresses=SqlAddressStore(engine),
        api_users=SqlApiUserStore(engine),
        api_keys=SqlApiKeyStore(engine),
        sessions=SqlSessionStore(engine),
        photos=SqlPhotoStore(engine),
        blobs=FileBlobStore(settings.data_dir / "blobs"),
    )
