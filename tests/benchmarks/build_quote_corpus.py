"""Writes the texts of the quotation set (tests/data/quotes/articles/) from their sources.

The texts are what the reader's parsers make of each source, so the set measures extraction on
the text the reader really sees:

- the bundled sample (`seeds/`), through the seed parser;
- the feed files in `../shared/feeds/` (entries that contain a quotation mark), through the feed
  parser;
- the Reuters-21578 stories shipped by Debian's `r-cran-tm` (`texts/acq`, `texts/crude`): the
  BODY element, hard-wrapped lines joined, a paragraph per indented line, the "Reuter" sign-off
  dropped.

    python tests/benchmarks/build_quote_corpus.py --reuters /path/to/tm/texts [--feeds DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from newsreader.sources.feeds import parse_feed  # noqa: E402
from newsreader.sources.seed_text import parse_seed_bytes  # noqa: E402

OUT = ROOT / "tests" / "data" / "quotes" / "articles"
QUOTE_MARKS = ('"', "“", "”", "«", "„")
SIGN_OFF = re.compile(r"\s*REUTER\s*$", re.IGNORECASE)


def reuters_text(path: Path) -> tuple[str, str]:
    """(title, body) of the Reuters story in the file at `path`."""
    return story_text(ElementTree.parse(path).getroot())


def story_text(story: ElementTree.Element) -> tuple[str, str]:
    """(title, body) of one <REUTERS> story, paragraphs separated by a blank line."""
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


def write(name: str, title: str, body: str) -> None:
    (OUT / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuters", type=Path, help="the tm package's texts/ folder")
    parser.add_argument("--feeds", type=Path, default=ROOT.parent / "shared" / "feeds")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for seed in sorted((ROOT / "seeds").glob("000_*.txt")):  # the sample, not our welcome page
        article = parse_seed_bytes(seed.read_bytes())
        write(f"seed-{seed.stem}", article.title, article.body)
    if args.feeds.is_dir():
        for feed_file in sorted(args.feeds.iterdir()):
            if feed_file.suffix == ".md":
                continue
            feed = parse_feed(feed_file.read_bytes(), str(feed_file))
            for number, entry in enumerate(feed.entries):
                if any(mark in entry.body for mark in QUOTE_MARKS):
                    write(f"feed-{feed_file.stem}-{number:02d}", entry.title, entry.body)
    if args.reuters:
        for topic in ("acq", "crude"):
            for story in sorted((args.reuters / topic).glob("*.xml")):
                title, body = reuters_text(story)
                if any(mark in body for mark in QUOTE_MARKS):
                    write(f"reuters-{topic}-{story.stem.removeprefix('reut-')}", title, body)


if __name__ == "__main__":
    main()
