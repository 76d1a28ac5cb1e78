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

    .venv/bin/python scripts/sample_indosum.py > tests/fixtures/indosum_gold/sample.jsonl
"""

from __future__ import annotations

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


def main() -> None:
    drawn = draw(candidates(INDOSUM))
    if len({outlet for outlet, _ in drawn}) < 5:
        sys.exit("fewer than five outlets in the sample: loosen the filter")
    for index, (outlet, article_id) in enumerate(drawn):
        split = "dev" if index < DEV_SIZE else "report"
        print(json.dumps({"id": article_id, "source": outlet, "split": split}))


if __name__ == "__main__":
    main()
