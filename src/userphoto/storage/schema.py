"""Table definitions (SQLAlchemy Core). Alembic migrations create them; code reads them here."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
)

from userphoto.core.model import USER_INT_FIELDS, User

metadata = MetaData()

# Text profile fields of User, in declaration order; they get plain NOT NULL text columns.
USER_TEXT_COLUMNS: tuple[str, ...] = tuple(
    name
    for name in User.__dataclass_fields__
    if name not in USER_INT_FIELDS | {"uuid", "is_admin", "password_hash"}
)

users = Table(
    "users",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("uuid", String(36), nullable=False, unique=True),
    *(Column(name, Text, nullable=False, server_default="") for name in USER_TEXT_COLUMNS),
    Column("account_id", Integer),
    Column("address_id", Integer),
    Column("messenger_uid", Integer),
    Column("is_admin", Boolean, nullable=False, server_default="0"),
    Column("password_hash", Text),
    # Avatar URLs name a user by the hash of the e-mail; kept here so lookups are indexed.
    Column("email_md5", String(32), nullable=False, server_default=""),
    Column("email_sha256", String(64), nullable=False, server_default=""),
    Index("ix_users_email", "email"),
    Index("ix_users_email_md5", "email_md5"),
    Index("ix_users_email_sha256", "email_sha256"),
    Index("ix_users_username", "username"),
    Index("ix_users_last_name", "last_name", "first_name"),
    Index("ix_users_address_id", "address_id"),
    Index("ix_users_messenger_uid", "messenger_uid"),
)

# Logins and lookups compare case-insensitively: index the expression they use.
Index("ix_users_email_lower", func.lower(users.c.email))
Index("ix_users_username_lower", func.lower(users.c.username))

addresses = Table(
    "addresses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("first_name", Text, nullable=False, server_default=""),
    Column("last_name", Text, nullable=False, server_default=""),
    Column("company", Text, nullable=False, server_default=""),
    Column("email", Text, nullable=False, server_default=""),
)

api_users = Table(
    "api_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("secret_sealed", LargeBinary, nullable=False),
    Column("user_number", Integer),
    Column("rights", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

photos = Table(
    "photos",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_kind", String(16), nullable=False),
    Column("owner_id", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("is_current", Boolean, nullable=False),
    Index("ix_photos_owner", "owner_kind", "owner_id", "is_current"),
)

# size 0 stands for the normalised original: primary key columns cannot hold NULL.
ORIGINAL_SIZE = 0

photo_renditions = Table(
    "photo_renditions",
    metadata,
    Column("photo_id", Integer, ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True),
    Column("size", Integer, primary_key=True, autoincrement=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("media_type", String(32), nullable=False),
    Column("blob_key", String(64), nullable=False),
    Column("length", Integer, nullable=False),
    Index("ix_photo_renditions_blob_key", "blob_key"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("user_number", Integer, nullable=False, index=True),
    Column("scopes", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_number", Integer, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# Uploads held back for a later crop (DocSpace's Autosave=false); the blob is the normalised
# original, so crop boxes refer to the picture the client was shown.
staged_uploads = Table(
    "staged_uploads",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("user_number", Integer, nullable=False),
    Column("blob_key", String(64), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("media_type", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Photo bytes when the database holds them too (PostgreSQL), so its backups cover them.
blobs = Table(
    "blobs",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    # Set by every put, a repeated one included; NULL for blobs stored before 0008 (old).
    Column("written_at", DateTime(timezone=True)),
)

# Who changed which photo, when, and through which dialect.
audit_entries = Table(
    "audit_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("action", String(16), nullable=False),
    Column("owner_kind", String(16), nullable=False),
    Column("owner_id", Integer, nullable=False),
    Column("old_hash", String(64)),
    Column("new_hash", String(64)),
    Index("ix_audit_entries_owner", "owner_kind", "owner_id", "id"),
)
