"""Benchmark: assigning one new article to a story index of 100,000 articles vs one of 1,000.

Candidate retrieval must be sublinear (capped posting lists, LSH buckets), so the time per article
should stay within a constant factor as the index grows 100 times. The filler articles are synthetic,
so no 100,000 texts are held in memory: each gets a random MinHash signature, a date spread over
2010-2025 and 30 salient terms drawn (Zipf-like) from the background vocabulary, and goes through
the real story retrieval (:meth:`StoryIndex.best_story`) and insertion. The timed articles are real
IndoSum articles assigned with :meth:`StoryIndex.assign`.

    .venv/bin/python benchmarks/bench_stories.py [--big 100000] [--small 1000] [--probe 300]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash

from warta.doc import Article
from warta.store import Store
from warta.stories import (
    ARTICLE_TERMS,
    MINHASH_SCHEME,
    MINHASH_SEED,
    NUM_PERM,
    ArticleEntry,
    StoryIndex,
    background_df,
)

INDOSUM = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "indosum" / "articles.jsonl.gz"
FIRST_DAY, LAST_DAY = date(2010, 1, 1).toordinal(), date(2025, 12, 31).toordinal()


def fill(index: StoryIndex, count: int, rng: random.Random, vocabulary: list[str]) -> None:
    """Add ``count`` synthetic articles to ``index`` through the real retrieval and insertion code."""
    weights = [1 / (rank + 10) for rank in range(len(vocabulary))]  # Zipf-like over the df ranking
    for n in range(count):
        day = rng.randint(FIRST_DAY, LAST_DAY)
        picked = rng.choices(vocabulary, weights, k=ARTICLE_TERMS)
        terms = {t: float(rng.randint(1, 4)) for t in picked}
        signature = LeanMinHash(
            seed=MINHASH_SEED,
            hashvalues=np.frombuffer(rng.randbytes(4 * NUM_PERM), dtype=np.uint32),
            scheme=MINHASH_SCHEME,
        )
        article_id = f"synthetic-{n}"
        index._df = {}
        index._fetch_df(terms)
        index._documents += 1
        index._pending_df.update(terms)
        best = index.best_story(terms, day)
        entry = ArticleEntry(
            id=article_id,
            seq=index._seq + 1,
            story=best.id if best else article_id,
            group=article_id,
            published=date.fromordinal(day).isoformat(),
            day=day,
            length=2000,
            source="synthetic",
            title=article_id,
            terms=terms,
        )
        index._add(entry, signature)
        if n % 200 == 199:
            index.flush()
    index.flush()


def probes(count: int) -> list[Article]:
    """Return ``count`` real IndoSum articles (the last ones of the file) to time."""
    with gzip.open(INDOSUM, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle][-count:]
    return [
        Article(
            doc=r["id"],
            id=r["id"],
            raw=r["text"],
            text=r["text"],
            published=r["published"],
            source=r["source"],
        )
        for r in records
    ]


def time_assign(index: StoryIndex, articles: list[Article]) -> float:
    """Return the mean seconds per :meth:`StoryIndex.assign` (best of three passes on fresh ids)."""
    best = float("inf")
    for attempt in range(3):
        start = time.perf_counter()
        for article in articles:
            article.id = f"{article.doc}#{len(index)}#{attempt}"
            index.assign(article)
        best = min(best, (time.perf_counter() - start) / len(articles))
    return best


def main() -> None:
    """Build a small and a big index, time assignment on both, print the ratio and peak memory."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--probe", type=int, default=300)
    args = parser.parse_args()
    _, freq = background_df()
    vocabulary = sorted(freq, key=freq.__getitem__, reverse=True)
    articles = probes(args.probe)
    results = {}
    for size in (args.small, args.big):
        rng = random.Random(size)
        folder = tempfile.mkdtemp()
        store = Store(Path(folder) / "bench.duckdb")  # on disk, as `warta ingest` runs
        index = store.stories
        start = time.perf_counter()
        fill(index, size, rng, vocabulary)
        built = time.perf_counter() - start
        results[size] = time_assign(index, articles)
        print(
            f"index of {size:>7} articles: built in {built:6.1f} s, "
            f"{len(index.story_ids()):>6} stories, assign {1000 * results[size]:.2f} ms/article"
        )
        store.close()
        shutil.rmtree(folder)
    ratio = results[args.big] / results[args.small]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"ratio big/small = {ratio:.2f} (index {args.big // args.small}x larger); peak memory {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
