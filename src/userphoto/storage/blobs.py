"""Content-addressed photo bytes in a folder: DATA_DIR/blobs/<2 hex>/<sha256>."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from userphoto.core.errors import NotFound
from userphoto.core.ports import StoredBlob
from userphoto.storage.writefaults import refused_writes

_KEY = re.compile(r"^[0-9a-f]{64}$")
# A photo has 13 renditions; more threads than that would only wait for the same commit.
_MAX_CONCURRENT_FSYNCS = 16


def _new_flusher() -> None:
    """One pool per process, for every store in it; its threads start on first use."""
    global _flusher
    _flusher = ThreadPoolExecutor(_MAX_CONCURRENT_FSYNCS, "blob-fsync")


_flusher: ThreadPoolExecutor
_new_flusher()
# A forked child has none of its parent's threads: it needs a pool of its own.
os.register_at_fork(after_in_child=_new_flusher)


class FileBlobStore:
    def __init__(self, root: Path) -> None:
        self._root = root
        root.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes) -> str:
        return self.put_many([data])[0]

    def put_many(self, items: Sequence[bytes]) -> list[str]:
        """Store every item; each is durable on disk when this returns."""
        with refused_writes():
            return self._write(items)

    def _write(self, items: Sequence[bytes]) -> list[str]:
        keys = [hashlib.sha256(data).hexdigest() for data in items]
        # Write aside, flush to disk, then rename: a crash never leaves a torn blob under a key.
        staged: dict[Path, Path] = {}  # final path -> temporary file
        made_folder = False
        try:
            for key, data in zip(keys, items, strict=True):
                path = self._path(key)
                if path in staged or _freshened(path):
                    continue
                if not path.parent.is_dir():
                    path.parent.mkdir(exist_ok=True)
                    made_folder = True
                staged[path] = _written_aside(path.parent, data)
            _fsync_all(staged.values())
            for path, tmp in staged.items():
                tmp.replace(path)
        except BaseException:
            for tmp in staged.values():
                tmp.unlink(missing_ok=True)
            raise
        # The renames (and a new folder's entry in the root) must be durable too.
        _fsync_all({path.parent for path in staged} | ({self._root} if made_folder else set()))
        return keys

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise NotFound("blob", key) from None

    def delete(self, key: str, written_before: datetime | None = None) -> None:
        path = self._path(key)
        if written_before is None:
            path.unlink(missing_ok=True)
            return
        # Moved aside first: a put from now on finds no blob and writes its own, and one
        # that freshened it before shows in its time, so it is put back.
        aside = path.with_name(f".tmp-deleting-{key}")
        try:
            path.rename(aside)
        except FileNotFoundError:
            return
        if datetime.fromtimestamp(aside.stat().st_mtime, UTC) < written_before:
            aside.unlink()
        else:
            aside.rename(path)

    def stored(self) -> Iterator[StoredBlob]:
        for path in self._root.glob("??/*"):
            if _KEY.match(path.name):
                try:
                    written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                except FileNotFoundError:
                    continue  # deleted since listed
                yield StoredBlob(path.name, written)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise NotFound("blob", key)
        return self._root / key[:2] / key


def _freshened(path: Path) -> bool:
    """Mark an existing blob as just written, so fsck's grace period covers it until a
    photo references it; False when there is no such blob."""
    try:
        os.utime(path)
    except FileNotFoundError:
        return False
    return True


def _written_aside(folder: Path, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _fsync_all(paths: Collection[Path]) -> None:
    """Flush files and folders to disk, all at once: concurrent fsyncs share the file
    system's journal commits, so a photo's 13 blobs cost about one disk flush, not 26."""
    if len(paths) == 1:
        _fsync(next(iter(paths)))
    else:
        list(_flusher.map(_fsync, paths))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
