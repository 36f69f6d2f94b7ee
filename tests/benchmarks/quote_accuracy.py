"""Prints the speaker extractor's accuracy on the annotated sets and what extraction costs.

    python tests/benchmarks/quote_accuracy.py [--import-size 10000] [--work /tmp/nr-quotes]

Accuracy: speaker precision, recall and F1, overall and by kind, on tests/data/quotes/ (the set
the rules were developed on) and tests/data/quotes-heldout/ (never looked at while writing the
rules), when it is there. Speed: articles per second of extraction alone, on the annotated
articles and on synthetic seed-format ones, against the import's articles per second measured
in the same run; extraction runs in the import's index-writer process, beside the parser.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from newsreader.sources.seed_text import parse_seed_text  # noqa: E402
from newsreader.text.speakers import KINDS, extract_quotations  # noqa: E402
from tests.benchmarks.synthetic import article_text, write_articles  # noqa: E402
from tests.quote_gold import QUOTES, Score, load_gold, score  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "quotes-heldout"


def print_score(title: str, result: Score) -> None:
    print(f"\n{title}: {result.quotations} quotations, {result.found} found by pairing")
    print(f"  {'kind':<13}{'precision':>10}{'recall':>8}{'F1':>7}   right/said/annotated")
    rows = [("overall", result.overall), *((k, result.by_kind[k]) for k in KINDS)]
    for name, tally in rows:
        print(
            f"  {name:<13}{tally.precision:>10.3f}{tally.recall:>8.3f}{tally.f1:>7.3f}"
            f"   {tally.correct}/{tally.predicted}/{tally.expected}"
        )


def extraction_rate(bodies: list[str], repeats: int = 5) -> float:
    """Articles per second, the median of `repeats` passes."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for body in bodies:
            extract_quotations(body)
        times.append(time.perf_counter() - start)
    return len(bodies) / statistics.median(times)


def import_rate(work: Path, size: int, runs: int = 3) -> float:
    folder = work / f"articles-{size}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_articles(folder, size)
        (folder / ".complete").write_text("ok")
    times = []
    for run in range(runs):
        db = work / f"import-{run}" / "library.json"
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir(parents=True)
        command = [sys.executable, "-m", "newsreader", "--db", str(db), "import"]
        subprocess.run([*command, str(ROOT / "seeds")], check=True, capture_output=True)
        start = time.perf_counter()
        subprocess.run([*command, str(folder)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return size / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--import-size", type=int, default=0, help="also time an import")
    parser.add_argument("--work", type=Path, default=Path("/tmp/nr-quotes"))
    args = parser.parse_args()
    print_score("Annotated set (tests/data/quotes)", score())
    if (HELDOUT / "gold.jsonl").exists():
        print_score("Held-out set (tests/data/quotes-heldout)", score(load_gold(HELDOUT), HELDOUT))
    real = [p.read_text(encoding="utf-8") for p in sorted((QUOTES / "articles").glob("*.txt"))]
    synthetic = [parse_seed_text(article_text(i)).body for i in range(2000)]
    real_rate, synthetic_rate = extraction_rate(real), extraction_rate(synthetic)
    longest = max(real, key=len)
    one = min(extraction_rate([longest], 50), 1e9)
    print(f"\nExtraction: {real_rate:,.0f} articles/s on the annotated articles,")
    print(f"  {synthetic_rate:,.0f} articles/s on synthetic ones,")
    print(f"  {1000 / one:.2f} ms for the longest annotated article ({len(longest):,} chars)")
    if args.import_size:
        rate = import_rate(args.work, args.import_size)
        print(f"Import of {args.import_size:,} synthetic articles: {rate:,.0f} articles/s")
        print(f"  extraction alone would be {rate / synthetic_rate:.1%} of the import's time")


if __name__ == "__main__":
    main()
