"""Turn a coder's working annotations (text snippets) into IndoSum gold stored by reference (offsets only).

The working file stays outside the repository (it quotes the dataset); this script reads it together with
``../shared/datasets/indosum/articles.jsonl.gz`` and writes one JSON object per article in the format of
``gold/indosum/README.md``: every mention, timex and event evidence becomes ``[start, end)`` offsets into the
record's ``text``, and no dataset text is written. Records already in ``--out`` are kept; a record with the
same ``id`` is replaced. It fails loudly (exit status 1, every problem listed) when a snippet is not found,
is ambiguous, or a code, root, date or modality is malformed.

Working file: JSON, a list of articles (or ``{"articles": [...]}``, or an object keyed by id)::

    {"id": "<IndoSum id>",
     "actors": [{"code": "IDNJUD", "name": "KPK (optional, not written)",
                 "mentions": ["Komisi Pemberantasan Korupsi (KPK)", "KPK#*"]}],
     "not_actors": ["Pos Kota"],
     "timexes": [{"text": "Kamis (9/11)", "value": "2017-11-09"}],
     "events": [{"actor1": "IDNJUD", "actor2": "IDNLEG", "root": ["17"], "cameo": "172",
                 "date": null, "modality": "asserted", "negated": false,
                 "evidence": "surat pencegahan bepergian", "optional": false}]}

Snippets are matched exactly (case-sensitive, any run of whitespace matching any other) and on word
boundaries: a snippet beginning or ending with a letter does not match inside a longer word, one beginning
or ending with a digit does not match inside a longer number ("11 Juli" is found in "pada11 Juli"):

- ``"words"`` must occur exactly once in the text (otherwise: an error listing the occurrences);
- ``"words#2"`` is the second occurrence, ``"words#1,3"`` the first and third (one span each);
- ``"words#*"`` (actor mentions only) is every occurrence not inside a span given explicitly to an actor
  (this one included) or to ``not_actors``: handy for a short name such as "KPK" repeated throughout an
  article, without taking the "KPK" of "Pansus Angket KPK" when that is another actor's mention.

Usage::

    .venv/bin/python scripts/gold_offsets.py --work /tmp/coder_a_work.json --coder a \\
        --out gold/indosum/coder_a.jsonl
    .venv/bin/python scripts/gold_offsets.py --work /tmp/coder_a_work.json --coder a --out ... --show
    .venv/bin/python scripts/gold_offsets.py --find "KPK" --id <IndoSum id>   # occurrences, numbered

``--show`` prints every resolved span with its words (to the terminal only) for checking.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT.parent / "shared" / "datasets" / "indosum" / "articles.jsonl.gz"
SAMPLE = ROOT / "gold" / "indosum" / "sample.jsonl"

ROLES = {"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "PTY", "REB", "SPY", "MED", "BUS", "EDU", "REL", "LAB",
         "HRI", "REF", "CVL", "CRM"}
MODALITIES = {"asserted", "reported", "intended"}
_DATE = r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2})?)?)?"
DATE = re.compile(rf"{_DATE}(/{_DATE})?")
INDEX = re.compile(r"^(?P<words>.*\S)#(?P<index>\*|\d+(,\d+)*)$", re.DOTALL)

Span = tuple[int, int]


class GoldError(Exception):
    """A problem in the working file; collected and reported together."""


def valid_date(value: object) -> bool:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM`` or an interval ``A/B`` of real dates."""
    if not isinstance(value, str) or not DATE.fullmatch(value):
        return False
    formats = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d", 16: "%Y-%m-%dT%H:%M"}
    try:
        for part in value.split("/"):
            datetime.strptime(part, formats[len(part)])
    except ValueError:
        return False
    return True


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_records(path: Path, ids: set[str]) -> dict[str, dict]:
    """The dataset records with the given ids (the dataset is streamed, not loaded)."""
    found: dict[str, dict] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in ids:
                found[record["id"]] = record
    return found


def occurrences(text: str, words: str) -> list[Span]:
    """Every span where ``words`` occurs (exact case, flexible whitespace, word boundaries at word ends)."""
    parts = words.split()
    if not parts:
        return []
    pattern = r"\s+".join(map(re.escape, parts))
    # A word may not continue past either end; a number may ("pada11 Juli" holds "11 Juli").
    first, last = parts[0][0], parts[-1][-1]
    if first.isdigit() or re.match(r"\w", first):
        pattern = (r"(?<!\d)" if first.isdigit() else r"(?<!\w)") + pattern
    if last.isdigit() or re.match(r"\w", last):
        pattern += r"(?!\d)" if last.isdigit() else r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, text)]


def parse_snippet(snippet: str) -> tuple[str, str | None]:
    """Split ``"words#2"`` into its words and index (``None`` where there is none)."""
    m = INDEX.match(snippet)
    return (m["words"], m["index"]) if m else (snippet, None)


def resolve(text: str, snippet: str, *, wildcard: bool = False) -> list[Span]:
    """The spans a snippet stands for; raises :class:`GoldError` when it is missing or ambiguous."""
    if not isinstance(snippet, str) or not snippet.strip():
        raise GoldError(f"empty or non-string snippet {snippet!r}")
    words, index = parse_snippet(snippet)
    spans = occurrences(text, words)
    if not spans:
        raise GoldError(f"not found: {snippet!r}")
    if index is None:
        if len(spans) > 1:
            raise GoldError(f"ambiguous ({len(spans)} occurrences, add #N): {snippet!r}")
        return spans
    if index == "*":
        if not wildcard:
            raise GoldError(f"'#*' is for actor mentions only: {snippet!r}")
        return spans
    out = []
    for n in map(int, index.split(",")):
        if not 1 <= n <= len(spans):
            raise GoldError(f"occurrence {n} of {len(spans)}: {snippet!r}")
        out.append(spans[n - 1])
    return out


def check_code(code: str | None, where: str, *, nullable: bool = False) -> None:
    if code is None and nullable:
        return
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}[A-Z]{0,6}", code):
        raise GoldError(f"{where}: bad actor code {code!r}")
    if code[:3] not in {"IGO", "IMG"} and len(code) > 3 and code[3:] not in ROLES:
        raise GoldError(f"{where}: unknown role in {code!r}")


def check_event(event: dict, where: str) -> None:
    check_code(event.get("actor1"), f"{where} actor1")
    check_code(event.get("actor2"), f"{where} actor2", nullable=True)
    roots = event.get("root")
    if not roots or not all(isinstance(r, str) and re.fullmatch(r"(0[1-9]|1\d|20)", r) for r in roots):
        raise GoldError(f"{where}: bad root list {roots!r}")
    cameo = event.get("cameo")
    if not isinstance(cameo, str) or not re.fullmatch(r"\d{2,4}", cameo) or cameo[:2] != roots[0]:
        raise GoldError(f"{where}: cameo {cameo!r} must be digits under the preferred root {roots[0]}")
    date = event.get("date")
    if date is not None and not valid_date(date):
        raise GoldError(f"{where}: bad date {date!r}")
    if event.get("modality") not in MODALITIES:
        raise GoldError(f"{where}: bad modality {event.get('modality')!r}")
    if not all(isinstance(event.get(key, False), bool) for key in ("negated", "optional")):
        raise GoldError(f"{where}: negated and optional are booleans")


def convert(article: dict, record: dict, coder: str, split: str | None, errors: list[str],
            show: bool = False) -> dict:
    """One by-reference gold record from one working article (problems appended to ``errors``)."""
    text, doc = record["text"], record["id"]

    def attempt(where: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except GoldError as exc:
            errors.append(f"{doc}: {where}: {exc}")
            return None

    # Explicit spans first, so that "#*" mentions can leave out what belongs to someone else.
    not_actors: list[Span] = []
    for snippet in article.get("not_actors") or ():
        not_actors += attempt("not_actors", resolve, text, snippet) or []
    explicit: list[list[Span]] = []
    for i, actor in enumerate(article.get("actors") or ()):
        attempt(f"actor {i}", check_code, actor.get("code"), "code")
        explicit.append([s for m in actor.get("mentions") or () if parse_snippet(m)[1] != "*"
                         for s in attempt(f"actor {i} ({actor.get('code')})", resolve, text, m) or []])
    actors = []
    for i, actor in enumerate(article.get("actors") or ()):
        others = not_actors + [s for spans in explicit for s in spans]
        spans = list(explicit[i])
        for m in actor.get("mentions") or ():
            if parse_snippet(m)[1] == "*":
                hits = attempt(f"actor {i} ({actor.get('code')})", resolve, text, m, wildcard=True) or []
                spans += [s for s in hits if not any(o[0] <= s[0] and s[1] <= o[1] for o in others)]
        if not spans:
            errors.append(f"{doc}: actor {i} ({actor.get('code')}) has no mention")
        actors.append({"code": actor.get("code"), "mentions": [list(s) for s in sorted(set(spans))]})

    timexes = []
    for item in article.get("timexes") or ():
        value = item.get("value")
        if value is not None and not valid_date(value):
            errors.append(f"{doc}: timex {item.get('text')!r}: bad value {value!r}")
        for span in attempt("timex", resolve, text, item.get("text")) or []:
            timexes.append({"span": list(span), "value": value})
    timexes.sort(key=lambda t: t["span"])

    events = []
    for i, event in enumerate(article.get("events") or ()):
        where = f"event {i} ({event.get('actor1')} {event.get('cameo')} {event.get('actor2')})"
        attempt(where, check_event, event, "fields")
        spans = attempt(where, resolve, text, event.get("evidence"))
        if spans and len(spans) != 1:
            errors.append(f"{doc}: {where}: evidence must be one span")
        events.append({"actor1": event.get("actor1"), "actor2": event.get("actor2"),
                       "root": list(event.get("root") or ()), "cameo": event.get("cameo"),
                       "date": event.get("date"), "modality": event.get("modality"),
                       "negated": bool(event.get("negated", False)),
                       "evidence": list(spans[0]) if spans else None,
                       "optional": bool(event.get("optional", False))})

    if show:
        words = lambda s: " ".join(text[s[0]:s[1]].split())  # noqa: E731
        print(f"== {doc}")
        for a in actors:
            print(f"  {a['code']:<10} " + " | ".join(words(s) for s in a["mentions"]))
        print("  not_actors: " + " | ".join(words(s) for s in not_actors))
        for t in timexes:
            print(f"  timex {t['value']}: {words(t['span'])}")
        for e in events:
            flag = " (optional)" if e["optional"] else ""
            evidence = words(e["evidence"]) if e["evidence"] else "?"
            print(f"  {e['actor1']} {e['cameo']} {e['actor2']} {e['root']} {e['date']} {e['modality']}"
                  f"{' negated' if e['negated'] else ''}{flag}: {evidence}")

    return {"id": doc, "split": split, "coder": coder, "published": record.get("published"),
            "source": record.get("source"), "actors": actors,
            "not_actors": [list(s) for s in sorted(set(not_actors))], "timexes": timexes, "events": events}


def working_articles(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "articles" in data:
        data = data["articles"]
    if isinstance(data, dict):
        data = [{"id": key, **value} for key, value in data.items()]
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, help="working annotations (JSON with text snippets)")
    parser.add_argument("--coder", help="coder tag written into each record (a, b, ...)")
    parser.add_argument("--out", type=Path, help="by-reference JSON Lines file (merged by id)")
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="sample.jsonl (split of each id)")
    parser.add_argument("--show", action="store_true", help="print each resolved span's words")
    parser.add_argument("--find", help="list the numbered occurrences of a snippet in --id")
    parser.add_argument("--id", help="article id for --find")
    args = parser.parse_args(argv)

    if args.find is not None:
        if not args.id:
            parser.error("--find needs --id")
        record = load_records(args.dataset, {args.id}).get(args.id)
        if record is None:
            print(f"no article {args.id}", file=sys.stderr)
            return 1
        text = record["text"]
        for n, (start, end) in enumerate(occurrences(text, parse_snippet(args.find)[0]), 1):
            left = " ".join(text[max(0, start - 40):start].split())
            right = " ".join(text[end:end + 40].split())
            print(f"#{n} [{start}, {end}) ...{left} [{text[start:end]}] {right}...")
        return 0
    if not (args.work and args.coder and args.out):
        parser.error("--work, --coder and --out are required (or --find with --id)")

    articles = working_articles(args.work)
    splits = {r["id"]: r.get("split") for r in read_jsonl(args.sample)} if args.sample.exists() else {}
    records = load_records(args.dataset, {a["id"] for a in articles})
    errors: list[str] = []
    converted = []
    for article in articles:
        record = records.get(article["id"])
        if record is None:
            errors.append(f"{article['id']}: not in {args.dataset}")
            continue
        split = article.get("split") or splits.get(article["id"])
        if split is None:
            errors.append(f"{article['id']}: no split (not in {args.sample}, none given)")
        converted.append(convert(article, record, args.coder, split, errors, show=args.show))
    if errors:
        print(f"{len(errors)} problem(s), nothing written:", file=sys.stderr)
        for line in errors:
            print("  " + line, file=sys.stderr)
        return 1

    existing = read_jsonl(args.out) if args.out.exists() else []
    merged = {r["id"]: r for r in existing}
    merged.update({r["id"]: r for r in converted})
    order = {key: n for n, key in enumerate(splits)}
    rows = sorted(merged.values(), key=lambda r: (order.get(r["id"], len(order)), r["id"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_events = sum(len(r["events"]) for r in converted)
    print(f"{len(converted)} article(s), {n_events} events converted; {len(rows)} records in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
