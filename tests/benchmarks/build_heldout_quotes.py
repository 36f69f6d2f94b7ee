"""Writes the held-out quotation texts (tests/data/quotes-heldout/) from tm's reuters-21578.xml."""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.build_quote_corpus import story_text  # noqa: E402

OUT = ROOT / "tests" / "data" / "quotes-heldout" / "articles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xml", type=Path, help="tm's texts/reuters-21578.xml")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    stories = ElementTree.parse(args.xml).getroot().findall("REUTERS")
    for position, story in enumerate(stories, start=1):
        title, body = story_text(story)
        if '"' in body:
            text = f"{title}\n\n{body}\n"
            (OUT / f"reuters21578-{position:02d}.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
