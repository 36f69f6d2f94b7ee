"""Checks a library's files and restores the last good copy of a damaged one."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsreader.library.errors import LibraryError
from newsreader.library.storage import parse_tables


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the doctor checked: `ok` or a problem, said in a sentence."""

    ok: bool
    text: str


def _check_file(path: Path, what: str) -> tuple[bool, str]:
    if not path.exists():
        return True, f"{what}: not created yet ({path})"
    if path.is_dir():
        return False, f"{what}: {path} is a folder, not a file"
    try:
        parse_tables(path, path.read_bytes())
    except LibraryError as error:
        return False, f"{what}: {error}"
    except OSError as error:
        return False, f"{what}: cannot read {path}: {error.strerror}"
    return True, f"{what}: fine ({path})"


def _backup_of(path: Path) -> Path | None:
    backup = path.with_name(path.name + ".bak")
    ok, _ = _check_file(backup, "backup")
    return backup if backup.is_file() and ok else None


def library_files(path: Path) -> dict[str, Path]:
    stem = path.name.removesuffix(".json")
    return {"articles": path, "bookmarks and read marks": path.with_name(f"{stem}.state.json")}


def check_library(path: Path) -> list[Finding]:
    """Check every file of the library at `path`; nothing is changed."""
    findings = []
    for what, file in library_files(path).items():
        ok, text = _check_file(file, what)
        if not ok:
            text += (
                "; `newsreader doctor --restore` puts back the last good copy"
                if _backup_of(file)
                else "; no good backup copy exists"
            )
        findings.append(Finding(ok, text))
    stem = path.name.removesuffix(".json")
    bodies = path.with_name(f"{stem}.bodies")
    damaged = []
    for shard in sorted(bodies.glob("*.json")) if bodies.is_dir() else []:
        ok, _ = _check_file(shard, "bodies")
        if not ok:
            damaged.append(shard.name)
    if damaged:
        findings.append(
            Finding(False, f"article bodies: damaged files in {bodies}: {', '.join(damaged)}")
        )
    else:
        findings.append(Finding(True, f"article bodies: fine ({bodies})"))
    return findings


def restore_backups(path: Path) -> list[str]:
    """Put back the last good copy of each damaged file; the damaged one is kept beside it."""
    done = []
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for what, file in library_files(path).items():
        ok, _ = _check_file(file, what)
        backup = _backup_of(file)
        if ok or backup is None:
            continue
        kept = file.with_name(f"{file.name}.damaged-{stamp}")
        if file.exists():
            file.rename(kept)
        shutil.copy2(backup, file)
        done.append(
            f"{what}: restored {file} from {backup.name}; the damaged file is kept as {kept.name}"
        )
    return done
