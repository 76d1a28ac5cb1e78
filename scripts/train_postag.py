"""Train the POS tagger shipped as ``warta/models/postag.crfsuite``.

Data: nlp-id's ``data/dataset_postag.txt`` (MIT), one ``token<TAB>TAG`` per line, a blank line between
sentences, 16 tags. Duplicate sentences are dropped first so that no held-out sentence was also seen in
training; then a fixed-seed 10% is held out and the accuracy on it printed. With ``--all`` the shipped
model is trained on every sentence after the held-out figure is measured.

    .venv/bin/python scripts/train_postag.py            # held-out accuracy, then the model on 100%
    .venv/bin/python scripts/train_postag.py --no-all   # held-out accuracy only (model from 90%)
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import pycrfsuite

from warta.language import nlp_id_data, sentence_features

MODEL = Path(__file__).resolve().parents[1] / "warta" / "models" / "postag.crfsuite"
PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}


def read_corpus(path: Path) -> list[tuple[tuple[str, str], ...]]:
    """Return the distinct sentences of the corpus as ``(word, tag)`` tuples, in file order."""
    sentences, current, seen = [], [], set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if not line.strip():
                sentence = tuple(current)
                if sentence and sentence not in seen:
                    seen.add(sentence)
                    sentences.append(sentence)
                current = []
            elif len(cells) >= 2:  # seven lines carry a third column: the second is the tag
                current.append((cells[0], cells[1].upper()))
    if current and tuple(current) not in seen:
        sentences.append(tuple(current))
    return sentences


def train(sentences, model: Path) -> float:
    """Train a CRF on ``sentences`` into ``model``; return the seconds it took."""
    began = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in sentences:
        words = [w for w, _ in sentence]
        trainer.append(sentence_features(words), [t for _, t in sentence])
    trainer.set_params(PARAMS)
    trainer.train(str(model))
    return time.perf_counter() - began


def accuracy(sentences, model: Path) -> tuple[float, float]:
    """Return the token accuracy of ``model`` on ``sentences`` and its speed in tokens per second."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    right = total = 0
    began = time.perf_counter()
    for sentence in sentences:
        predicted = tagger.tag(sentence_features([w for w, _ in sentence]))
        right += sum(p == t for p, (_, t) in zip(predicted, sentence, strict=True))
        total += len(sentence)
    return right / total, total / (time.perf_counter() - began)


def main() -> None:
    """Measure held-out accuracy, then write the model."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--all",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="retrain the shipped model on all sentences after measuring (default: yes)",
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args()

    sentences = read_corpus(nlp_id_data("dataset_postag.txt"))
    random.Random(args.seed).shuffle(sentences)
    cut = len(sentences) // 10
    held_out, training = sentences[:cut], sentences[cut:]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    seconds = train(training, args.out)
    acc, speed = accuracy(held_out, args.out)
    print(
        f"{len(sentences)} distinct sentences; trained on {len(training)} in {seconds:.0f} s; "
        f"held-out {len(held_out)} sentences: accuracy {acc:.4f}, {speed:,.0f} tokens/s (features included)"
    )
    if args.all:
        seconds = train(sentences, args.out)
        print(f"retrained on all {len(sentences)} sentences in {seconds:.0f} s")
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
