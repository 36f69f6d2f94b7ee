"""Shared fixtures: temporary libraries, article files, and a command-line runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsreader.cli import main
from newsreader.library import Library
from newsreader.resources import resource_dir

SEED_ARTICLE = resource_dir("seeds") / "000_a1d383cc9a6d370f.txt"


@pytest.fixture(autouse=True)
def no_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Tests never read the person's own config.toml; a test that wants one writes it here."""
    path = tmp_path_factory.mktemp("config") / "config.toml"
    monkeypatch.setenv("NEWSREADER_CONFIG", str(path))
    # `w` saves articles: never into the person's Documents (the key monkey presses it too).
    monkeypatch.setenv("NEWSREADER_SAVE_DIR", str(tmp_path_factory.mktemp("saved")))
    return path


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "library.json"


@pytest.fixture
def library(library_path: Path) -> Library:
    """An empty library (no sample articles)."""
    return Library(library_path)


@pytest.fixture
def seed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder / SEED_ARTICLE.name)
    return folder


def article_file(title: str, body: str, tags: str = "", excerpt: bool = True) -> str:
    """An article in the seed format."""
    parts = ["+", title]
    if excerpt:
        parts.append(" ".join(body.split()[:55]) + " […]")
    parts.append(body)
    if tags:
        parts += ["Tags:", tags]
    return "\n\n".join(parts)


@pytest.fixture
def write_article(tmp_path: Path) -> Callable[..., Path]:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)

    def write(name: str, title: str, body: str, tags: str = "") -> Path:
        path = folder / name
        path.write_text(article_file(title, body, tags), encoding="utf-8")
        return path

    return write


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(library_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run the command line in-process against the test library."""

    def run(*args: str) -> Result:
        code = main(["--db", str(library_path), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
