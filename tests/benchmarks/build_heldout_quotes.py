"""Writes the held-out quotation texts (tests/data/quotes-heldout/) from tm's reuters-21578.xml."""

from __future__ import annotations

import argparse
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "quotes-heldout" / "articles"
SIGN_OFF = re.compile(r"\s*REUTER\s*$", re.IGNORECASE)


def reuters_text(story: ElementTree.Element) -> tuple[str, str]:
    """(title, body) of one Reuters story, paragraphs separated by a blank line.

    Copied from build_quote_corpus.reuters_text; only the root is a <REUTERS> element here
    rather than a parsed one-story file.
    """
    title = " ".join((story.findtext("TEXT/TITLE") or "").split())
    raw = story.findtext("TEXT/BODY") or ""
    paragraphs: list[list[str]] = []
    for line in raw.split("\n"):
        if not line.strip():
            continue
        if line[:1].isspace() or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    texts = [" ".join(" ".join(lines).split()) for lines in paragraphs]
    if texts:
        texts[-1] = SIGN_OFF.sub("", texts[-1])
    return title, "\n\n".join(text for text in texts if text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "xml", type=Path, help="tm's texts/reuters-21578.xml (a <LEWIS> of <REUTERS>)"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    stories = ElementTree.parse(args.xml).getroot().findall("REUTERS")
    for position, story in enumerate(stories, start=1):
        title, body = reuters_text(story)
        if '"' in body:
            (OUT / f"reuters21578-{position:02d}.txt").write_text(
                f"{title}\n\n{body}\n", encoding="utf-8"
            )


if __name__ == "__main__":
    main()
