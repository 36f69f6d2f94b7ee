"""Errors the library raises, each worded as one sentence a person can act on."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class LibraryError(Exception):
    """Something about the library's files stops the operation; `str()` says what and why."""


class LibraryCorrupt(LibraryError):
    """A library file does not parse; it is kept untouched and named."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(
            f"The library file {path} is damaged ({detail}); it was left untouched. "
            f"Run `newsreader doctor` to check it and restore the last good copy."
        )


class LibraryBusy(LibraryError):
    """Another process holds the library's write lock for too long."""

    def __init__(self, lock_path: Path) -> None:
        super().__init__(
            f"Another newsreader is writing to the library and did not finish in time "
            f"(lock file {lock_path}); try again in a moment."
        )


# What reading or writing the library (its files, its index) can raise in a worker: said in
# one line, never the end of the reader.
STORAGE_ERRORS = (LibraryError, sqlite3.Error, OSError)


def describe_os_error(error: OSError, path: Path) -> str:
    """One sentence for an OS error met while reading or writing `path`."""
    import errno

    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENOENT: "the folder does not exist",
        errno.EISDIR: "it is a folder, not a file",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EEXIST: "a part of the path is a file, not a folder",
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return f"Cannot write the library at {path}: {reason}. Nothing stored before was changed."
