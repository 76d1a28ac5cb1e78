"""Throughput and memory of the whole pipeline on real IndoSum articles.

Streams ``../shared/datasets/indosum/articles.jsonl.gz`` (never loads the corpus), warms up on a few
articles so start-up (model and lexicon loading) is reported apart, then times each stage over the same
articles in one run and prints the cost of each stage as a share of the total. The analysed articles
are then stored as `warta ingest` stores them, in batches of ``--batch`` with ``Store.add_many`` into a
fresh store on disk (story assignment, copy detection and event resolution included): that is the
``stories+store`` line, wall clock and CPU time. Peak RSS is read after the run. Usage::

    .venv/bin/python benchmarks/bench_pipeline.py [--limit 1000] [--category "tajuk utama"] [--batch 200]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from warta.ingest import article_from_text
from warta.pipeline import DEFAULT_STAGES, Pipeline
from warta.store import Store

INDOSUM = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "indosum" / "articles.jsonl.gz"


def records(limit: int, category: str | None) -> Iterator[dict]:
    """Yield up to ``limit`` IndoSum records, streaming the gzip file."""
    count = 0
    with gzip.open(INDOSUM, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if category and record.get("category") != category:
                continue
            yield record
            count += 1
            if count >= limit:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--category", default=None, help="IndoSum category, e.g. 'tajuk utama'")
    parser.add_argument("--batch", type=int, default=200, help="articles per Store.add_many call")
    args = parser.parse_args()
    if not INDOSUM.exists():
        raise SystemExit(f"{INDOSUM} not found")

    pipeline = Pipeline()
    started = time.perf_counter()
    for record in records(5, None):  # warm-up: load models and lexicons
        pipeline(article_from_text(record["text"], doc=record["id"], meta={"published": record["published"]}))
    startup = time.perf_counter() - started

    per_stage = dict.fromkeys(DEFAULT_STAGES, 0.0)
    count = chars = errors = events = 0
    store_wall = store_cpu = 0.0
    folder = tempfile.TemporaryDirectory()
    store = Store(f"{folder.name}/bench.duckdb")  # on disk, fresh, as `warta ingest` writes
    batch: list = []

    def write() -> None:
        nonlocal store_wall, store_cpu
        wall, cpu = time.perf_counter(), time.process_time()
        store.add_many(batch, pipeline.versions, batch=args.batch)
        store_wall += time.perf_counter() - wall
        store_cpu += time.process_time() - cpu
        batch.clear()

    total_started = time.perf_counter()
    for record in records(args.limit, args.category):
        article = article_from_text(record["text"], doc=record["id"], meta={"published": record["published"]})
        for st in pipeline.stages:
            t0 = time.perf_counter()
            article = st.func(article)
            per_stage[st.name] += time.perf_counter() - t0
        count += 1
        chars += len(record["text"])
        errors += bool(article.errors)
        events += len(article.events)
        batch.append(article)
        if len(batch) >= args.batch:
            write()
    if batch:
        write()
    total = time.perf_counter() - total_started
    stories, resolved = store.con.execute(
        "SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM resolved_events)").fetchone()
    store.close()
    folder.cleanup()
    stage_total = sum(per_stage.values()) + store_wall

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {count} ({chars / max(count, 1):.0f} chars on average), events: {events}, "
          f"with errors: {errors}; stored in batches of {args.batch}: {stories} stories, "
          f"{resolved} resolved events")
    print(f"start-up (first 5 articles, models loaded): {startup:.2f} s")
    print(f"throughput: {count / total:.1f} articles/s on one core (ingest and store included)")
    for name, seconds in [*per_stage.items(), ("stories+store", store_wall)]:
        print(f"  {name:<13} {seconds / max(count, 1) * 1000:7.3f} ms/article  {seconds / stage_total:6.1%}")
    print(f"  stories+store CPU time {store_cpu / max(count, 1) * 1000:.3f} ms/article")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
