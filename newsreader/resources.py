"""Locates the bundled `styles/` and `seeds/` folders in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the bundled folder `name` ("styles" or "seeds").

    A wheel carries them inside the package as `_data/<name>`; an editable install or a plain
    checkout finds them at the top of the repository, one level above the package.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"newsreader's bundled '{name}' folder is missing from this install")
