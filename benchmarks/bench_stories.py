"""Benchmark: assigning a batch of new articles to a story index of 100,000 articles vs one of 1,000.

Candidate retrieval must not grow with the index (capped posting lists, LSH band keys, set-based
lookups of a whole batch), so the time per article should stay within a constant factor as the index
grows 100 times. The filler articles are synthetic and written straight into the index's tables with
bulk inserts (assigning 100,000 of them one by one would take hours and measure nothing more): each is
its own story, with a random MinHash signature and band keys, a date spread over 2010-2025 and 30
salient terms drawn (Zipf-like) from the background vocabulary, posted under its 15 first terms in its
month, posting lists cut to their MAX_POSTING most recent stories as the index cuts them. The timed
articles are real IndoSum articles, assigned in batches with :meth:`StoryIndex.assign_many` inside a
transaction, as ``warta ingest`` does (best of three passes, on fresh ids). The indexes are built in a
child process, so the peak memory reported for assignment is that of the process assigning only.

    .venv/bin/python benchmarks/bench_stories.py [--big 100000] [--small 1000] [--probe 300] [--batch 100]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import multiprocessing
import random
import resource
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

from warta.doc import Article
from warta.store import Store, insert
from warta.stories import (
    ARTICLE_TERMS,
    LOOKUP_TERMS,
    MAX_POSTING,
    NUM_PERM,
    StoryIndex,
    background_df,
    month_key,
)

INDOSUM = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "indosum" / "articles.jsonl.gz"
FIRST_DAY, LAST_DAY = date(2010, 1, 1).toordinal(), date(2025, 12, 31).toordinal()
CHUNK = 10_000  # synthetic articles per bulk insert


def build(path: Path, count: int) -> None:
    """Create a store at ``path`` holding an index of ``count`` synthetic articles."""
    _, freq = background_df()
    vocabulary = sorted(freq, key=freq.__getitem__, reverse=True)
    with Store(path) as store:
        store.con.execute("SET enable_progress_bar = false")
        fill(store, count, random.Random(count), vocabulary)


def fill(store: Store, count: int, rng: random.Random, vocabulary: list[str]) -> None:
    """Write ``count`` synthetic articles into the story tables of ``store`` with bulk inserts."""
    # Zipf-like over the df ranking
    cumulative = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(vocabulary))))
    numbers = np.random.default_rng(count)
    df: Counter[str] = Counter()
    store.con.execute("BEGIN TRANSACTION")
    for first in range(0, count, CHUNK):
        articles, stories, bands, postings = [], [], [], []
        signatures = numbers.integers(0, 2**32, size=(min(CHUNK, count - first), NUM_PERM), dtype=np.uint32)
        keys = numbers.integers(0, 2**63, size=(len(signatures), 16), dtype=np.int64)
        for n, signature, article_keys in zip(range(first, first + len(signatures)), signatures, keys,
                                              strict=True):
            day = rng.randint(FIRST_DAY, LAST_DAY)
            picked = rng.choices(vocabulary, cum_weights=cumulative, k=ARTICLE_TERMS)
            terms = {t: float(rng.randint(1, 4)) for t in picked}
            article_id, terms_json = f"synthetic-{n}", json.dumps(terms, ensure_ascii=False)
            articles.append((article_id, n + 1, article_id, article_id, date.fromordinal(day).isoformat(),
                             day, 2000, "synthetic", article_id, terms_json, [], [], signature.tolist()))
            stories.append((article_id, day, day, terms_json, "{}", 1, 1))
            bands += [(int(key), article_id) for key in article_keys]
            postings += [(f"{month_key(day)}|{t}", article_id, n + 1) for t in list(terms)[:LOOKUP_TERMS]]
            df.update(terms)
        for table, rows in (("story_articles", articles), ("stories", stories), ("story_bands", bands),
                            ("story_postings", postings)):
            insert(store.con, table, rows)
    store.con.execute(f"""
        DELETE FROM story_postings WHERE rowid IN (SELECT rowid FROM story_postings
            QUALIFY row_number() OVER (PARTITION BY posting ORDER BY seq DESC) > {MAX_POSTING})
    """)
    insert(store.con, "story_terms", list(df.items()))
    store.con.execute("UPDATE story_state SET value = ?", [count])
    store.con.execute("COMMIT")


def probes(count: int) -> list[Article]:
    """Return ``count`` real IndoSum articles (the last ones of the file) to time."""
    with gzip.open(INDOSUM, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle][-count:]
    return [
        Article(doc=r["id"], id=r["id"], raw=r["text"], text=r["text"], published=r["published"],
                source=r["source"])
        for r in records
    ]


def time_assign(store: Store, articles: list[Article], batch: int) -> tuple[float, float]:
    """Return the best seconds per article over three passes of :meth:`StoryIndex.assign_many` in
    batches (fresh ids each pass), and the read queries per batch."""
    index: StoryIndex = store.stories
    best, batches = float("inf"), 0
    reads = index.reads
    for attempt in range(3):
        for article in articles:
            article.id = f"{article.doc}#{attempt}"
        start = time.perf_counter()
        for first in range(0, len(articles), batch):
            store.con.execute("BEGIN TRANSACTION")
            index.assign_many(articles[first : first + batch])
            store.con.execute("COMMIT")
            batches += 1
        best = min(best, (time.perf_counter() - start) / len(articles))
    return best, (index.reads - reads) / batches


def main() -> None:
    """Build a small and a big index, time batch assignment on both, print the ratio and peak memory."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--probe", type=int, default=300)
    parser.add_argument("--batch", type=int, default=100, help="articles per assign_many call")
    args = parser.parse_args()
    articles = probes(args.probe)
    results = {}
    for size in (args.small, args.big):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.duckdb"
            start = time.perf_counter()
            child = multiprocessing.get_context("spawn").Process(target=build, args=(path, size))
            child.start()
            child.join()
            built = time.perf_counter() - start
            with Store(path) as store:
                results[size], reads = time_assign(store, articles, args.batch)
            print(f"index of {size:>7} articles: built in {built:6.1f} s, assign "
                  f"{1000 * results[size]:.2f} ms/article in batches of {args.batch} "
                  f"({reads:.1f} read queries per batch)")
    ratio = results[args.big] / results[args.small]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    build_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"ratio big/small = {ratio:.2f} (index {args.big // args.small}x larger); peak memory "
          f"{peak:.0f} MB assigning ({build_peak:.0f} MB building the indexes with bulk inserts)")


if __name__ == "__main__":
    main()
