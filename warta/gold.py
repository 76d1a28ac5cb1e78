"""Gold annotations in their two forms: by words (the seeds) and by reference (IndoSum).

The seed gold (``../shared/gold/seeds.jsonl``) quotes the article's words. Gold for dataset articles that
may not be copied into the repository (``gold/indosum/``) names the article by ``id`` and gives
``[start, end)`` offsets into the dataset's ``text`` instead. :func:`resolve` turns a record of the second
form into the first by cutting the words out of the dataset, so one scorer serves both, and
:func:`as_prediction` turns a gold record into the output contract so two codings can be scored against
each other (inter-coder agreement).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .errors import BadInput

# Where the IndoSum articles sit beside a checkout of the repository.
INDOSUM = "../shared/datasets/indosum/articles.jsonl.gz"


def is_reference(record: Mapping[str, Any]) -> bool:
    """Tell whether a gold record gives offsets (by reference) rather than words."""
    return "doc" not in record and "id" in record


def dataset_records(path: str | Path, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Yield the records of a JSON Lines dataset (gzip or plain) whose ``id`` is in ``ids``, streaming it.

    :raises BadInput: when the file does not exist.
    """
    wanted = set(ids)
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"Dataset {path} not found: gold by reference needs the articles it points into.")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("id") in wanted:
                yield record


def _cut(text: str, span: list[int]) -> str:
    start, end = span
    if not 0 <= start < end <= len(text):
        raise BadInput(f"Gold span {span} lies outside the article ({len(text)} characters).")
    return text[start:end]


def resolve(record: Mapping[str, Any], text: str) -> dict[str, Any]:
    """Return a by-reference gold record in the words form, its spans cut out of ``text``.

    :raises BadInput: when a span lies outside the text.
    """
    return {
        "doc": record["id"],
        "split": record.get("split"),
        "source": record.get("source"),
        "published": record.get("published"),
        "actors": [
            {"name": _cut(text, a["mentions"][0]) if a["mentions"] else None, "code": a["code"],
             "mentions": [_cut(text, m) for m in a["mentions"]]}
            for a in record.get("actors", ())
        ],
        "not_actors": [_cut(text, span) for span in record.get("not_actors", ())],
        "timexes": [
            {"text": _cut(text, t["span"]), "value": t.get("value")} for t in record.get("timexes", ())
        ],
        "events": [
            {**{k: v for k, v in event.items() if k != "evidence"}, "evidence": _cut(text, event["evidence"])}
            for event in record.get("events", ())
        ],
    }


def as_prediction(record: Mapping[str, Any], text: str) -> dict[str, Any]:
    """Return a words-form gold record as if a coder had produced it (the output contract).

    Each event takes its preferred root; only the codes and the evidence words matter to the scorer.
    """

    def actor(code: str | None) -> dict[str, Any] | None:
        return None if code is None else {"name": code, "code": code, "entity": None}

    def locate(words: str) -> tuple[int, int]:
        start = text.find(words)
        return (start, start + len(words)) if start >= 0 else (0, 0)

    events = []
    # A coder's optional events (reverse directions) are accepted, never claimed: leave them out.
    for event in (e for e in record.get("events", ()) if not e.get("optional")):
        start, end = locate(event["evidence"])
        events.append({
            "actor1": actor(event.get("actor1")), "actor2": actor(event.get("actor2")),
            "cameo": event.get("cameo") or event["root"][0], "root": event["root"][0],
            "date": event.get("date"), "date_precision": "day" if event.get("date") else "unknown",
            "modality": event.get("modality", "asserted"), "negated": bool(event.get("negated")),
            "evidence": {"sentence": -1, "start": start, "end": end, "text": event["evidence"]},
            "rule": f"coder:{record.get('coder', '?')}",
        })
    entities = [
        {"name": a.get("name"), "code": a["code"], "type": "", "aliases": [], "qid": None,
         "mentions": [dict(zip(("start", "end"), locate(m), strict=True), text=m) for m in a["mentions"]]}
        for a in record.get("actors", ())
    ]
    timexes = []
    for t in record.get("timexes", ()):
        start, end = locate(t["text"])
        timexes.append({"text": t["text"], "start": start, "end": end, "value": t.get("value")})
    return {"doc": record["doc"], "text": text, "source": record.get("source"),
            "published": record.get("published"), "removed": [], "entities": entities,
            "timexes": timexes, "events": events}


def read(path: str | Path, *, dataset: str | Path, split: str | None = None
         ) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Read a gold file of either form; return (words-form record, dataset record or None) pairs.

    :param dataset: the JSON Lines dataset that by-reference records point into.
    :param split: keep only records of this ``split`` (``dev``, ``report``).
    :raises BadInput: when a referenced article is missing from the dataset.
    """
    with open(path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    if split:
        records = [r for r in records if r.get("split") == split]
    references = [r for r in records if is_reference(r)]
    found = {}
    if references:
        found = {d["id"]: d for d in dataset_records(dataset, (r["id"] for r in references))}
    pairs = []
    for record in records:
        if not is_reference(record):
            pairs.append((dict(record), None))
            continue
        if record["id"] not in found:
            raise BadInput(f"Article {record['id']} of {path} is not in {dataset}.")
        source = found[record["id"]]
        pairs.append((resolve(record, source["text"]), source))
    return pairs
