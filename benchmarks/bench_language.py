"""Speed of the language stage, step by step, on IndoSum news; and lemma accuracy on UD Indonesian CSUI.

Speed: the first N ``tajuk utama`` articles of ``../shared/datasets/indosum/articles.jsonl.gz`` (streamed),
timed as articles per second for tokens and sentences (one pass), then + POS tags, + lemmas (the whole
stage). Machines are noisy, so read the ratios to the first step, measured in the same run; models and
lexicons load before the clock starts (start-up aside). Best of ``--repeat`` passes.

Quality: lemma accuracy on the VERB and NOUN tokens of the CSUI test file (lowercased), overall and on
the tokens whose gold lemma differs from the word (UD keeps many derived nouns unlemmatised, where we
always give the root).

    .venv/bin/python benchmarks/bench_language.py [-n 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter
from collections.abc import Callable
from itertools import islice
from pathlib import Path

from warta.doc import Article
from warta.language import _pos_tagger, _segment, language, lemmatize, tokenize

SHARED = Path(__file__).resolve().parents[2] / "shared"
INDOSUM = SHARED / "datasets" / "indosum" / "articles.jsonl.gz"
CSUI_TEST = SHARED / "datasets" / "ud-id-csui" / "id_csui-ud-test.conllu"


def headline_texts(path: Path, n: int) -> list[str]:
    """Return the texts of the first ``n`` 'tajuk utama' articles, reading the file as a stream."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = (json.loads(line) for line in handle)
        return [r["text"] for r in islice((r for r in records if r.get("category") == "tajuk utama"), n)]


def tokens_and_sentences(text: str) -> None:
    _segment(text)


def with_pos(text: str) -> None:
    words, _, sentences = _segment(text)
    _pos_tagger().tag(words, [stop for _, _, stop in sentences])  # one call per article, as the stage does


def whole_stage(text: str) -> None:
    language(Article(doc="bench", id="bench", raw=text, text=text))


STEPS: dict[str, Callable[[str], None]] = {
    "tokens, sentences": tokens_and_sentences,
    "+ POS": with_pos,
    "+ lemmas (stage)": whole_stage,
}


def time_step(step: Callable[[str], None], texts: list[str], repeat: int) -> float:
    """Return the best articles-per-second of ``repeat`` passes of ``step`` over ``texts``."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        for text in texts:
            step(text)
        best = min(best, time.perf_counter() - began)
    return len(texts) / best


def lemma_accuracy(path: Path) -> None:
    """Print lemma accuracy on the VERB and NOUN tokens of a CoNLL-U file."""
    right, total, right_changed, changed = Counter(), Counter(), Counter(), Counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if len(cells) != 10 or not cells[0].isdigit() or cells[3] not in ("VERB", "NOUN"):
                continue
            upos, form, gold = cells[3], cells[1].lower(), cells[2].lower()
            hit = lemmatize(form) == gold
            total[upos] += 1
            right[upos] += hit
            if gold != form:
                changed[upos] += 1
                right_changed[upos] += hit
    for upos in sorted(total):
        print(
            f"  {upos:5} {right[upos] / total[upos]:6.1%} of {total[upos]:5}; where gold differs from the "
            f"word: {right_changed[upos] / changed[upos]:6.1%} of {changed[upos]}"
        )
    print(f"  all   {sum(right.values()) / sum(total.values()):6.1%} of {sum(total.values())}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=300, help="articles (default 300)")
    parser.add_argument("--repeat", type=int, default=3, help="passes per step; the best counts")
    args = parser.parse_args()

    texts = headline_texts(INDOSUM, args.n)
    tokens = sum(len(tokenize(t)) for t in texts)
    whole_stage(texts[0])  # load the model and the lexicons before any clock runs
    print(f"{len(texts)} articles, {tokens / len(texts):.0f} tokens each on average")
    base = None
    for name, step in STEPS.items():
        rate = time_step(step, texts, args.repeat)
        base = base or rate
        print(f"  {name:18} {rate:8.0f} articles/s  {1000 / rate:6.2f} ms/article  ratio {rate / base:5.2f}")
    if CSUI_TEST.is_file():
        print(f"lemma accuracy, {CSUI_TEST.name}:")
        lemma_accuracy(CSUI_TEST)


if __name__ == "__main__":
    main()
