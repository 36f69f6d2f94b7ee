"""The core packages never import textual: the screen depends on them, never the reverse."""

from __future__ import annotations

import subprocess
import sys


def test_core_packages_do_not_import_textual() -> None:
    code = (
        "import sys, newsreader.sources.files, newsreader.sources.seed_text, newsreader.library, "
        "newsreader.library.search, newsreader.library.importer, newsreader.text.highlight, "
        "newsreader.commands; "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
