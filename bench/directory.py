"""The directory under test: `userphoto demo` in a temporary data dir, and its credentials."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from onoffice import ApiUser
from servers import USERPHOTO, server_env

# The onOffice `user` read asks for 500 records, so the directory needs at least as many.
USERS = 500
ADMIN = 1
# Demo numbers ending in 3 or 7 have no photo of their own; 2 has one.
PHOTO_OWNER = 2
UPLOAD_TARGET = 4


@dataclass(frozen=True)
class Directory:
    data_dir: Path
    api_key: str  # Bearer key of the admin, scope *
    onoffice: ApiUser  # demo-reader, with read-user-data


def seed(data_dir: Path) -> Directory:
    _userphoto("demo", "--users", str(USERS), "--data-dir", str(data_dir))
    credentials = json.loads((data_dir / "demo-credentials.json").read_text())
    reader = credentials["demo-reader"]
    key = json.loads(
        _userphoto("apikey", "create", "--user", str(ADMIN), "--json", "--data-dir", str(data_dir))
    )["key"]
    return Directory(data_dir, key, ApiUser(reader["token"], reader["secret"]))


def _userphoto(*args: str) -> str:
    done = subprocess.run(
        [str(USERPHOTO), *args], capture_output=True, text=True, env=server_env({}), check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"userphoto {' '.join(args)} failed: {done.stderr}")
    return done.stdout
