"""Measures search quality: mean reciprocal rank of a known-item query set over real articles.

    python tests/benchmarks/search_quality.py [--limit 20] [--save ranks.json]
        [--before tests/data/search_queries/baseline.json] [--search module:function]

The corpus is the bundled sample (`seeds/`) and the real feeds in `tests/data/feeds/`, imported
with the project's own importer; the queries, each with its one target article, are in
`tests/data/search_queries/queries.json` (its README says how they were written). A query's
reciprocal rank is 1/position of its target in the first `limit` results, 0 when it is not there.

`--before` compares with ranks saved by `--save` (the baseline recorded before a change is
`tests/data/search_queries/baseline.json`) and lists the exact-word queries that got worse.
`--search module:function` measures another search: a callable `(library, text, limit)` that
returns the articles found, best first. Imported by tests, which call the functions directly.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import fmean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from newsreader.library import Library
from newsreader.library.importer import import_paths
from newsreader.library.search import search
from newsreader.model import Article
from newsreader.resources import resource_dir

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ROOT / "tests" / "data" / "feeds"
QUERIES = ROOT / "tests" / "data" / "search_queries" / "queries.json"
BASELINE = ROOT / "tests" / "data" / "search_queries" / "baseline.json"
KINDS = ("exact", "word-form", "typo", "two-words", "tag", "phrase")

# A search to measure: (library, text as typed, limit) -> the articles found, best first.
SearchFunction = Callable[[Library, str, int], Sequence[Article]]


def project_search(library: Library, text: str, limit: int) -> list[Article]:
    """The project's search as the command line runs it (a whole query, not a prefix)."""
    return [result.article for result in search(library, text, limit=limit, typing=False).results]


def corpus_paths() -> list[Path]:
    """The files the corpus is imported from: the bundled sample and the real feeds."""
    return [resource_dir("seeds"), FEEDS]


def load_corpus(folder: Path) -> Library:
    """The corpus as a library in `folder` (imported there unless it already holds it)."""
    library = Library(folder / "library.json")
    report = import_paths(library, corpus_paths())
    if report.rejected:
        problems = "; ".join(str(rejection) for rejection in report.rejected)
        raise RuntimeError(f"The corpus did not import cleanly: {problems}")
    return library


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    """The known-item queries: each has `query`, `target` (`title` or `link`) and `kind`."""
    queries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    seen: set[str] = set()
    for entry in queries:
        if entry["kind"] not in KINDS:
            raise ValueError(f"Unknown kind {entry['kind']!r} for query {entry['query']!r}")
        if entry["query"] in seen:  # ranks are saved and compared by query
            raise ValueError(f"The query {entry['query']!r} is there twice")
        seen.add(entry["query"])
    return queries


def resolve_targets(library: Library, queries: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Each query's target article id, keyed by the query; raises unless each target is unique."""
    articles = library.articles()
    targets: dict[str, str] = {}
    for entry in queries:
        field, value = next(iter(entry["target"].items()))
        if field not in ("title", "link"):
            raise ValueError(f"A target is a title or a link, not {field!r}: {entry['query']!r}")
        found = [article.id for article in articles if getattr(article, field) == value]
        if len(found) != 1:
            raise ValueError(f"{len(found)} articles have {field} {value!r} ({entry['query']!r})")
        targets[entry["query"]] = found[0]
    return targets


def ranks(
    library: Library,
    queries: Sequence[dict[str, Any]],
    limit: int = 20,
    search_function: SearchFunction = project_search,
) -> dict[str, int]:
    """Each query's 1-based position of its target in the results; 0 when it is not found."""
    targets = resolve_targets(library, queries)
    found: dict[str, int] = {}
    for entry in queries:
        ids = [article.id for article in search_function(library, entry["query"], limit)][:limit]
        target = targets[entry["query"]]
        found[entry["query"]] = ids.index(target) + 1 if target in ids else 0
    return found


def reciprocal_ranks(
    library: Library,
    queries: Sequence[dict[str, Any]],
    limit: int = 20,
    search_function: SearchFunction = project_search,
) -> dict[str, list[float]]:
    """Reciprocal ranks per kind of query (1/rank, 0 when the target is not found)."""
    positions = ranks(library, queries, limit, search_function)
    per_kind: dict[str, list[float]] = {}
    for entry in queries:
        position = positions[entry["query"]]
        per_kind.setdefault(entry["kind"], []).append(1 / position if position else 0.0)
    return per_kind


def mean_reciprocal_rank(per_kind: dict[str, list[float]]) -> float:
    """The mean over every query, of every kind."""
    return fmean(value for values in per_kind.values() for value in values)


def mrr_table(queries: Sequence[dict[str, Any]], positions: dict[str, int]) -> dict[str, float]:
    """MRR overall (key "all") and per kind, from saved or measured positions."""
    per_kind: dict[str, list[float]] = {}
    for entry in queries:
        position = positions.get(entry["query"], 0)
        per_kind.setdefault(entry["kind"], []).append(1 / position if position else 0.0)
    table = {"all": mean_reciprocal_rank(per_kind)}
    table.update({kind: fmean(per_kind[kind]) for kind in KINDS if kind in per_kind})
    return table


def load_search_function(spec: str) -> SearchFunction:
    """`module:function` as a search function."""
    module_name, _, name = spec.partition(":")
    function: SearchFunction = getattr(importlib.import_module(module_name), name)
    return function


def report(
    queries: Sequence[dict[str, Any]],
    positions: dict[str, int],
    before: dict[str, int] | None = None,
) -> list[str]:
    """The lines `main` prints: MRR per kind (and before it, if given), then the misses."""
    counts = {kind: sum(1 for q in queries if q["kind"] == kind) for kind in KINDS}
    counts["all"] = len(queries)
    now = mrr_table(queries, positions)
    then = mrr_table(queries, before) if before is not None else None
    header = f"{'kind':<10} {'queries':>7} {'MRR':>6}"
    lines = [header + (f" {'before':>6} {'change':>7}" if then else "")]
    for kind, value in now.items():
        line = f"{kind:<10} {counts[kind]:>7} {value:>6.3f}"
        if then is not None:
            line += f" {then[kind]:>6.3f} {value - then[kind]:>+7.3f}"
        lines.append(line)
    missed = [entry for entry in queries if not positions[entry["query"]]]
    lines += ["", f"Targets not found ({len(missed)}):"]
    lines += [f"  {entry['kind']:<10} {entry['query']}" for entry in missed]
    if before is not None:
        worse = [
            entry
            for entry in queries
            if entry["kind"] == "exact"
            and _worse(before.get(entry["query"], 0), positions[entry["query"]])
        ]
        lines += ["", f"Exact-word queries ranked worse than before ({len(worse)}):"]
        lines += [
            f"  {entry['query']}: {before[entry['query']]} -> {positions[entry['query']]}"
            for entry in worse
        ]
    return lines


def _worse(before: int, after: int) -> bool:
    """Whether a target moved down (0 = not found, the worst)."""
    return bool(before) and (not after or after > before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20, help="results looked at per query")
    parser.add_argument("--save", type=Path, help="write each query's rank to this JSON file")
    parser.add_argument("--before", type=Path, help="ranks saved by --save to compare with")
    parser.add_argument("--search", help="module:function to measure instead of the project's")
    args = parser.parse_args()
    search_function = load_search_function(args.search) if args.search else project_search
    queries = load_queries()
    with tempfile.TemporaryDirectory(prefix="nr-quality-") as work:
        library = load_corpus(Path(work))
        try:
            positions = ranks(library, queries, args.limit, search_function)
        finally:
            library.index.close()
        print(f"{len(library):,} articles, {len(queries)} queries, first {args.limit} results\n")
    before = None
    if args.before:
        before = json.loads(args.before.read_text(encoding="utf-8"))
    print("\n".join(report(queries, positions, before)))
    if args.save:
        text = json.dumps(positions, indent=1, ensure_ascii=False) + "\n"
        args.save.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
