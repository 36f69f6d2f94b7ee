"""A TinyDB storage that keeps data in memory and writes atomically under a lock file."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from newsreader.library.errors import LibraryBusy, LibraryCorrupt, LibraryError, describe_os_error
from newsreader.library.sliced_json import parse_in_slices

LOCK_TIMEOUT_SECONDS = 15.0
# From about 240,000 articles a catalog is parsed a slice at a time, its repeated values
# shared: 1.23 GB → 0.96 GB at a million, for 1.3 s more of loading (in the background). Below,
# the memory saved is small and a whole parse is twice as fast.
SLICED_FROM_BYTES = 64 * 1024 * 1024
SLICE_BYTES = 1024 * 1024

Tables = dict[str, dict[str, Any]]


class LibraryLock:
    """The library's lock file (filelock's `FileLock`, re-entrant within a process), made on
    first use: filelock takes 20 ms to load, and a command that only reads never locks."""

    def __init__(self, lock_file: str) -> None:
        self.lock_file = lock_file
        self._lock: Any = None

    def _file_lock(self) -> Any:
        if self._lock is None:
            from filelock import FileLock

            self._lock = FileLock(self.lock_file)
        return self._lock

    def acquire(self, timeout: float) -> None:
        """Raises filelock's `Timeout` when another process holds it longer than `timeout`."""
        self._file_lock().acquire(timeout=timeout)

    def release(self) -> None:
        self._file_lock().release()


def write_atomically(path: Path, payload: bytes, backup: bool = False) -> None:
    """Replace `path` with `payload` so that a crash leaves the old or the new file, never half.

    Temp file in the same folder, fsync, optional hard-link backup of the old file as
    `<name>.bak` (costs no copy), `os.replace`, fsync of the folder so the rename itself lasts.
    """
    import tempfile  # here: a command that only reads never writes

    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and path.is_file():
            backup_path = path.with_name(path.name + ".bak")
            with contextlib.suppress(FileNotFoundError):
                os.unlink(backup_path)
            with contextlib.suppress(OSError):
                os.link(path, backup_path)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def parse_tables(path: Path, payload: bytes) -> Tables:
    """Parse a TinyDB file's bytes, raising `LibraryCorrupt` for anything but tables of records."""
    if not payload.strip():
        raise LibraryCorrupt(path, "the file is empty")
    data = parse_in_slices(payload, SLICE_BYTES) if len(payload) >= SLICED_FROM_BYTES else None
    if data is None:
        try:
            data = orjson.loads(payload)
        except orjson.JSONDecodeError as error:
            raise LibraryCorrupt(path, f"not valid JSON: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise LibraryCorrupt(path, "valid JSON but not a newsreader library")
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, parsed data kept in memory, atomic writes under a shared lock.

    Reads are served from memory until another process replaces the file (seen by its stat
    signature changing), then the file is read again. A file that does not parse raises
    `LibraryCorrupt` and is never written over.
    """

    def __init__(self, path: Path, lock: LibraryLock, backup: bool = False) -> None:
        self.path = path
        self.lock = lock
        self.backup = backup
        self._data: Tables | None = None
        self._signature: tuple[int, int, int] | None = None
        # The file as it was when the caller last looked at it for display (see `mark_seen`).
        self._seen: tuple[int, int, int] | None = None

    def _stat_signature(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise LibraryError(
                f"Cannot read the library file {self.path}: {error.strerror}."
            ) from None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    @property
    def signature(self) -> tuple[int, int, int] | None:
        return self._signature

    def file_signature(self) -> tuple[int, int, int] | None:
        """The file as it is on disk now, without reading it."""
        return self._stat_signature()

    def mark_seen(self) -> None:
        """Remember the file as it is on disk now; `changed_since_seen` compares with it."""
        self._seen = self._stat_signature()

    def changed_since_seen(self) -> bool:
        """True when another process replaced the file since `mark_seen` (reads since then do
        not matter; our own writes move the mark along when nobody else wrote before them)."""
        return self._stat_signature() != self._seen

    def read(self) -> Tables | None:
        signature = self._stat_signature()
        if self._data is None or signature != self._signature:
            self._load(signature)
        return self._data

    def _load(self, signature: tuple[int, int, int] | None) -> None:
        if signature is None:
            self._data, self._signature = {}, None
            return
        if self.path.is_dir():
            raise LibraryError(f"The library path {self.path} is a folder, not a file.")
        try:
            payload = self.path.read_bytes()
        except OSError as error:
            raise LibraryError(
                f"Cannot read the library file {self.path}: {error.strerror}."
            ) from None
        self._data = parse_tables(self.path, payload)
        self._signature = signature

    def write(self, data: Tables) -> None:
        try:
            with self.locked():
                before = self._stat_signature()
                write_atomically(self.path, orjson.dumps(data), backup=self.backup)
                after = self._stat_signature()
        except BaseException as error:
            # TinyDB changed our cached tables in place before calling write: forget them so the
            # next read shows what is really on disk.
            self._data, self._signature = None, None
            if isinstance(error, OSError):
                raise LibraryError(describe_os_error(error, self.path)) from None
            raise
        self._data = data
        self._signature = after
        if before == self._seen:
            self._seen = after

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the library's write lock (re-entrant within a process)."""
        from filelock import Timeout

        try:
            self.lock.acquire(timeout=LOCK_TIMEOUT_SECONDS)
        except Timeout:
            raise LibraryBusy(Path(self.lock.lock_file)) from None
        except OSError as error:
            raise LibraryError(describe_os_error(error, self.path)) from None
        try:
            yield
        finally:
            self.lock.release()

    def close(self) -> None:
        self._data = None
