"""Checks every file of a library and restores the last good copy of a damaged one."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsreader.library.errors import LibraryError
from newsreader.library.search_index import SearchIndex
from newsreader.library.storage import parse_tables


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the doctor checked: `ok` or a problem, said in a sentence."""

    ok: bool
    text: str


def _problem(path: Path) -> str:
    """'' when `path` is missing or a sound library file, else what is wrong with it."""
    if not path.exists():
        return ""
    if path.is_dir():
        return f"{path} is a folder, not a file"
    try:
        parse_tables(path, path.read_bytes())
    except LibraryError as error:
        return str(error)
    except OSError as error:
        return f"cannot read {path}: {error.strerror}"
    return ""


def _good_backup(path: Path) -> Path | None:
    backup = path.with_name(path.name + ".bak")
    return backup if backup.is_file() and not _problem(backup) else None


def library_files(path: Path) -> dict[str, Path]:
    """The library's own files (not derived), by what they hold."""
    stem = path.name.removesuffix(".json")
    return {
        "articles": path,
        "bookmarks and read marks": path.with_name(f"{stem}.state.json"),
        "subscriptions": path.with_name(f"{stem}.feeds.json"),
    }


def body_files(path: Path) -> list[Path]:
    folder = path.with_name(path.name.removesuffix(".json") + ".bodies")
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def index_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".json") + ".search.sqlite")


def check_library(path: Path) -> list[Finding]:
    """Check every file of the library at `path`; nothing is changed."""
    findings = []
    for what, file in library_files(path).items():
        problem = _problem(file)
        if not problem:
            state = "fine" if file.exists() else "not created yet"
            findings.append(Finding(True, f"{what}: {state} ({file})"))
            continue
        findings.append(Finding(False, f"{what}: {problem}{_remedy(file)}"))
    # Each body file is parsed once: a library of 100,000 articles has 200 of them.
    problems = {file: _problem(file) for file in body_files(path)}
    damaged = [file for file, problem in problems.items() if problem]
    folder = path.with_name(path.name.removesuffix(".json") + ".bodies")
    for file in damaged:
        findings.append(Finding(False, f"article bodies: {problems[file]}{_remedy(file)}"))
    if not damaged:
        findings.append(Finding(True, f"article bodies: fine ({folder})"))
    index = index_path(path)
    if index.exists():
        problem = _index_problem(index)
        if problem:
            findings.append(
                Finding(
                    False,
                    f"search index: {index} is damaged ({problem}); "
                    "`newsreader doctor --restore` rebuilds it from the library",
                )
            )
    return findings


def _remedy(file: Path) -> str:
    if _good_backup(file):
        return "; `newsreader doctor --restore` puts back the last good copy"
    return "; no good backup copy exists"


def restore_backups(path: Path) -> list[str]:
    """Put back the last good copy of each damaged file (the damaged one is kept beside it);
    a damaged search index is rebuilt from the library instead (it is derived)."""
    done = []
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    named = {file: what for what, file in library_files(path).items()}
    for file in [*named, *body_files(path)]:
        what = named.get(file, f"article bodies {file.name}")
        backup = _good_backup(file)
        if not _problem(file) or backup is None:
            continue
        kept = file.with_name(f"{file.name}.damaged-{stamp}")
        file.rename(kept)
        shutil.copy2(backup, file)
        done.append(
            f"{what}: restored {file} from {backup.name}; the damaged file is kept as {kept.name}"
        )
    index = index_path(path)
    if index.exists() and _index_problem(index):
        for suffix in ("", "-wal", "-shm", "-journal"):
            part = Path(f"{index}{suffix}")
            if part.exists():
                part.rename(part.with_name(f"{index.name}.damaged-{stamp}{suffix}"))
        done.append(f"search index: moved the damaged {index.name} aside; it is rebuilt now")
    return done


def _index_problem(index: Path) -> str:
    search_index = SearchIndex(index)
    try:
        return search_index.check()
    finally:
        search_index.close()
