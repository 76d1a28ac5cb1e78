"""Draw the IndoSum development sample for event annotation (reproducible).

Filter, in order:
1. ``category == "tajuk utama"`` (hard news);
2. between 800 and 4,000 characters (long enough to report interactions, short enough to annotate);
3. at least ``MIN_CUES`` distinct interaction cues from ``warta/data/sample_cues.tsv`` (political,
   diplomatic, security and judicial verbs and nouns) in the text, whole words, lowercase.

From what passes, a seeded random draw (``random.Random(SEED)``) takes ``PER_OUTLET`` articles from each
outlet with at least that many candidates, in turn, until ``SIZE`` articles are drawn, so at least five
outlets are represented. The first 30 drawn form the development split, the last 10 the reporting split,
which is looked at only to report figures. Prints one JSON object per article: ``id``, ``source``,
``split``. Usage::

    .venv/bin/python scripts/sample_indosum.py > gold/indosum/sample.jsonl

``--tune N`` draws N more articles for a second development set (split ``tune``), with the same filter,
leaving out the 40 articles of the first draw: each outlet's remaining candidates are shuffled with
``random.Random(TUNE_SEED)`` (a different seed, so the draw does not depend on the first one's random
state beyond the exclusion) and taken round-robin over all outlets, in name order, until N are drawn;
at least five outlets must be represented. The first draw is unchanged by this option::

    .venv/bin/python scripts/sample_indosum.py --tune 20 > gold/indosum/tune_sample.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from warta.data import read_tsv

INDOSUM = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "indosum" / "articles.jsonl.gz"
SEED = 20261123
TUNE_SEED = 20261124
SIZE = 40
DEV_SIZE = 30
PER_OUTLET = 8
MIN_CUES = 3
MIN_CHARS, MAX_CHARS = 800, 4000


def candidates(path: Path) -> dict[str, list[str]]:
    """Return the ids of articles passing the filter, grouped by outlet, in file order."""
    cues = {row["cue"] for row in read_tsv("sample_cues.tsv")}
    by_outlet: dict[str, list[str]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record["text"]
            if record["category"] != "tajuk utama" or not MIN_CHARS <= len(text) <= MAX_CHARS:
                continue
            words = set(re.findall(r"\w+", text.lower()))
            if len(cues & words) >= MIN_CUES:
                by_outlet[record["source"]].append(record["id"])
    return by_outlet


def draw(by_outlet: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Draw ``SIZE`` (outlet, id) pairs, round-robin over outlets, with a seeded shuffle of each."""
    rng = random.Random(SEED)
    pools = {}
    for outlet in sorted(by_outlet):
        ids = sorted(by_outlet[outlet])
        if len(ids) >= PER_OUTLET:
            rng.shuffle(ids)
            pools[outlet] = ids[:PER_OUTLET]
    drawn: list[tuple[str, str]] = []
    while len(drawn) < SIZE and any(pools.values()):
        for outlet in sorted(pools):
            if pools[outlet] and len(drawn) < SIZE:
                drawn.append((outlet, pools[outlet].pop()))
    rng.shuffle(drawn)
    return drawn


def draw_tune(by_outlet: dict[str, list[str]], size: int, exclude: set[str]) -> list[tuple[str, str]]:
    """Draw ``size`` more (outlet, id) pairs, none in ``exclude``, round-robin over every outlet."""
    rng = random.Random(TUNE_SEED)
    pools = {}
    for outlet in sorted(by_outlet):
        ids = sorted(set(by_outlet[outlet]) - exclude)
        rng.shuffle(ids)
        pools[outlet] = ids
    drawn: list[tuple[str, str]] = []
    while len(drawn) < size and any(pools.values()):
        for outlet in sorted(pools):
            if pools[outlet] and len(drawn) < size:
                drawn.append((outlet, pools[outlet].pop()))
    return drawn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tune", type=int, metavar="N",
                        help="draw N more articles (split 'tune'), excluding the first draw")
    args = parser.parse_args(argv)
    by_outlet = candidates(INDOSUM)
    drawn = draw(by_outlet)
    if len({outlet for outlet, _ in drawn}) < 5:
        sys.exit("fewer than five outlets in the sample: loosen the filter")
    if args.tune is not None:
        tune = draw_tune(by_outlet, args.tune, {article_id for _, article_id in drawn})
        if len({outlet for outlet, _ in tune}) < min(5, args.tune):
            sys.exit("fewer than five outlets in the tune draw")
        for outlet, article_id in tune:
            print(json.dumps({"id": article_id, "source": outlet, "split": "tune"}))
        return
    for index, (outlet, article_id) in enumerate(drawn):
        split = "dev" if index < DEV_SIZE else "report"
        print(json.dumps({"id": article_id, "source": outlet, "split": split}))


if __name__ == "__main__":
    main()
