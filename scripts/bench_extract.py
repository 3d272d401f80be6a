"""Extraction speed on one core: the whole extractor (mentions, rules, parsing of candidate
sentences) side by side with the bare tokenizer + gazetteer matchers, in the same run.

    python scripts/bench_extract.py [ARTICLES...] [--repeat 3]

With no paths it reads the evaluation's dev articles (../shared/eval/dev) if they are there, else
`seeds/`. Prints articles/s and words/s for both, the ratio, and how many sentences were parsed.
The goal of the extraction issue: the full extractor at least 0.25x the bare pipeline's rate.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")


def default_paths() -> list[Path]:
    dev = ROOT.parent / "shared" / "eval" / "dev"
    folder = dev if dev.is_dir() else ROOT / "seeds"
    return sorted(folder.glob("*.txt"))


def timed(fn, items, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    from graph.articles import read_article
    from graph.extract import extract, warm_up
    from graph.extract.gazetteer import get_gazetteer
    from graph.extract.mentions import get_matchers, get_nlp
    from graph.extract.syntax import STATS, get_parser

    articles = [read_article(p) for p in (args.paths or default_paths())]
    words = sum(len(a.text.split()) for a in articles)
    warm_up()
    get_parser()
    nlp, matchers = get_nlp(), get_matchers(get_gazetteer())

    def bare(article):
        list(matchers(nlp(article.text)))

    bare_s = timed(bare, articles, args.repeat)
    full_s = timed(extract, articles, args.repeat)
    STATS.update(sentences=0, parsed=0)
    for a in articles:
        extract(a)
    parsed, total = STATS["parsed"], STATS["sentences"]

    n = len(articles)
    print(f"{n} articles, {words:,} words, one core, best of {args.repeat}")
    print(f"bare tokenizer + matchers : {n / bare_s:8.1f} articles/s {words / bare_s:10,.0f} words/s")
    print(f"full extraction (parsed)  : {n / full_s:8.1f} articles/s {words / full_s:10,.0f} words/s")
    print(f"ratio full / bare         : {bare_s / full_s:.2f}x")
    print(f"sentences parsed          : {parsed} of {total} ({parsed / max(total, 1):.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
