"""What the store holds of a secret: passwords, API keys, session and API tokens only as
hashes, onOffice HMAC secrets only sealed with the server key, and the server key not at all.

Every table is read back in full (on SQLite the database file's bytes too) and searched for
each secret in the clear.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from userphoto.bootstrap import open_services, secret_box
from userphoto.config import Settings
from userphoto.core.model import Scope
from userphoto.core.secrets import verify_password
from userphoto.core.services import Services
from userphoto.storage.schema import api_keys, api_users, metadata, sessions, users

PASSWORD = "correct-Horse-battery-staple-7"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _every_cell(services: Services) -> list[bytes]:
    cells: list[bytes] = []
    with services.store.engine.connect() as conn:  # type: ignore[attr-defined]
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    cells.append(value if isinstance(value, bytes) else str(value).encode())
    return cells


def _server_key_material(settings: Settings) -> list[bytes]:
    key_file = settings.data_dir / "server.key"
    material = [settings.server_key.encode()] if settings.server_key else []
    return material + ([key_file.read_bytes().strip()] if key_file.exists() else [])


def _secrets(services: Services) -> dict[str, str]:
    user = services.directory.save_user(
        {"number": 7, "username": "sam", "email": "sam@example.com"}, password=PASSWORD
    )
    _, key = services.auth.create_key(user.number, "laptop", [Scope.ALL])
    principal = services.auth.login("sam", PASSWORD)
    assert principal is not None
    session = services.auth.open_session(principal)
    credentials = services.api_users.create("crm", 7, [])
    return {
        "password": PASSWORD,
        "api key": key,
        "session": session,
        "api token": credentials.token,
        "api secret": credentials.secret,
    }


def test_no_secret_is_stored_in_the_clear(services: Services, settings: Settings) -> None:
    secrets = _secrets(services)
    cells = _every_cell(services)
    for name, secret in secrets.items():
        assert not [cell for cell in cells if secret.encode() in cell], name
    for material in _server_key_material(settings):
        assert not [cell for cell in cells if material in cell], "server key"


def test_credentials_are_stored_as_their_hashes(services: Services) -> None:
    secrets = _secrets(services)
    with services.store.engine.connect() as conn:  # type: ignore[attr-defined]
        key_hashes = set(conn.execute(select(api_keys.c.key_hash)).scalars())
        session_hashes = set(conn.execute(select(sessions.c.token_hash)).scalars())
        token_hashes = set(conn.execute(select(api_users.c.token_hash)).scalars())
        password_hash = conn.execute(select(users.c.password_hash)).scalar_one()
    assert key_hashes == {_sha256(secrets["api key"])}
    assert session_hashes == {_sha256(secrets["session"])}
    assert token_hashes == {_sha256(secrets["api token"])}
    assert password_hash.startswith("scrypt$") and verify_password(PASSWORD, password_hash)


def test_hmac_secrets_are_sealed_with_the_server_key(
    services: Services, settings: Settings
) -> None:
    secrets = _secrets(services)
    with services.store.engine.connect() as conn:  # type: ignore[attr-defined]
        sealed = conn.execute(select(api_users.c.secret_sealed)).scalar_one()
    assert secrets["api secret"].encode() not in sealed
    assert secret_box(settings).decrypt(sealed) == secrets["api secret"]
    with pytest.raises(ValueError, match="another server key"):
        secret_box(settings.with_(server_key="another-server-key")).decrypt(sealed)


def test_the_sqlite_files_hold_no_secret(tmp_path: Path) -> None:
    """The embedded default's files, byte by byte (PostgreSQL's rows are read above)."""
    settings = Settings(data_dir=tmp_path / "data")
    services = open_services(settings)
    try:
        secrets = _secrets(services)
    finally:
        services.close()
    files = [p for p in Path(settings.data_dir).glob("userphoto.sqlite3*") if p.is_file()]
    assert files
    content = b"".join(p.read_bytes() for p in files)
    for name, secret in secrets.items():
        assert secret.encode() not in content, name
    for material in _server_key_material(settings):
        assert material not in content, "server key"
