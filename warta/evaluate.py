"""Score analysed articles against gold annotations, component by component.

The gold format and its scoring rules are those of ``../shared/gold/README.md``: one JSON object per
article with ``doc``, metadata, ``boilerplate`` lines, ``actors`` (with ``mentions`` as they appear),
``not_actors``, ``timexes`` and ``events``. :func:`evaluate` reads such a file, pairs each gold record
with the analysed article of the same ``doc`` and returns a :class:`Report`: precision, recall and F1
(with their counts) for detections, accuracy for the values attached to what was found.

Everything is scored on the output contract, :meth:`warta.doc.Article.to_dict` (``docs/schema.md``), so
the same scorer works on :class:`~warta.doc.Article` objects and on the JSON a previous run wrote.

Gold gives words, not offsets: a gold item is located by finding its words in ``article.text``
(whitespace-tolerant, case-insensitive, on word boundaries); :func:`gold_spans` is the one place that
does so. Gold by reference (offsets into a dataset's text, ``gold/indosum/``) is turned into words by
:mod:`warta.gold` before scoring, so the clean stage may change the text without breaking offsets.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .doc import Article

Span = tuple[int, int]

# Causes of event errors, in the order the report lists them.
CAUSES = (
    "no pattern",  # a gold event whose sentence has no predicted event at all
    "wrong actor",  # the sentence has an event with an accepted root but other countries
    "wrong root",  # the sentence has an event with the right countries but a root gold does not accept
    "other",  # the sentence has predicted events that agree with gold on neither root nor countries
    "no gold event",  # a predicted event in a sentence where gold has none
    "evidence not in text",  # the gold evidence could not be found in article.text
    "modality",  # a matched event with the wrong modality or negation
    "date",  # a matched event with the wrong date
)
# Gold actors whose entity got another code (or none), listed after the event errors.
ACTOR_ERRORS = "actor codes"

# Event dates gold leaves open are met by a prediction that does not claim to know the date.
_UNDATED_PRECISIONS = frozenset({"publication", "unknown"})

# Gold lines at least this long also match a removed line that contains them (or is contained in them):
# scrapers glue short credits to captions, while short lines ("Iklan") must match whole.
_LONG_LINE = 20


# ---------------------------------------------------------------------------------------------- scores


@dataclass
class Score:
    """Detection counts with precision, recall and F1 (0.0 where undefined)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Accuracy:
    """Correct out of total (0.0 when nothing was scored)."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += bool(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.value, 4)}


Measure = Score | Accuracy | int


@dataclass
class Report:
    """The result of :func:`evaluate`: measures per component, per-root event scores, event errors."""

    articles: int = 0
    missing: list[str] = field(default_factory=list)  # gold docs no analysed article was given for
    components: dict[str, dict[str, Measure]] = field(default_factory=dict)
    event_roots: dict[str, Score] = field(default_factory=dict)
    event_dyads: dict[str, Score] = field(default_factory=dict)  # "IDN-IDN": by actor countries
    errors: dict[str, list[dict[str, Any]]] | None = None  # by cause, only with errors=True

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data."""
        return {
            "articles": self.articles,
            "missing": self.missing,
            "components": {
                name: {k: (m if isinstance(m, int) else m.to_dict()) for k, m in measures.items()}
                for name, measures in self.components.items()
            },
            "event_roots": {root: s.to_dict() for root, s in sorted(self.event_roots.items())},
            "event_dyads": {dyad: s.to_dict() for dyad, s in sorted(self.event_dyads.items())},
            **({"errors": self.errors} if self.errors is not None else {}),
        }

    def render(self) -> str:
        """Return the report as a plain-text table, then the event errors when they were asked for."""
        lines = [f"Scored {self.articles} article(s) against gold."]
        if self.missing:
            lines.append(f"Not scored, no input given: {', '.join(self.missing)}")
        lines += ["", f"{'component':<14}{'measure':<22}{'P':>7}{'R':>7}{'F1':>7}{'acc':>7}  counts"]
        for name, measures in self.components.items():
            for key, m in measures.items():
                lines.append(f"{name:<14}{key:<22}" + _render_measure(m))
                name = ""  # the component's name only on its first row
        if self.event_roots:
            lines += ["", "events per CAMEO root (TP, FP by the predicted root; FN by gold's preferred root)"]
            for root, s in sorted(self.event_roots.items()):
                lines.append(f"  {root:<34}" + _render_measure(s))
        if self.event_dyads:
            lines += ["", "events per actor countries (TP, FP by the predicted pair; FN by gold's pair)"]
            for dyad, s in sorted(self.event_dyads.items(), key=lambda item: -item[1].tp - item[1].fn):
                lines.append(f"  {dyad:<34}" + _render_measure(s))
        if self.errors is not None:
            for cause in CAUSES:
                items = self.errors.get(cause, [])
                if items:
                    lines += ["", f"{cause} ({len(items)})"]
                    lines += [f"  {_render_error(item)}" for item in items]
            if actor_items := self.errors.get(ACTOR_ERRORS):
                lines += ["", f"{ACTOR_ERRORS} ({len(actor_items)})"]
                lines += [f"  {_render_actor_error(item)}" for item in actor_items]
        return "\n".join(lines)


def _render_measure(m: Measure) -> str:
    if isinstance(m, Score):
        return f"{m.precision:>7.3f}{m.recall:>7.3f}{m.f1:>7.3f}{'':>7}  tp={m.tp} fp={m.fp} fn={m.fn}"
    if isinstance(m, Accuracy):
        value = f"{m.value:>7.3f}" if m.total else f"{'-':>7}"  # nothing to score is not 0% right
        return f"{'':>21}{value}  {m.correct}/{m.total}"
    return f"{'':>28}  {m}"


def _render_error(item: dict[str, Any]) -> str:
    kind = item["kind"]
    head = f"[{item['doc']}] {kind}: {item['actor1'] or '-'} {item['cameo']} {item['actor2'] or '-'}"
    detail = f" ({item['detail']})" if item.get("detail") else ""
    rule = f" rule={item['rule']}" if item.get("rule") else ""
    return f"{head}{detail}{rule} | {item['evidence']}"


def _render_actor_error(item: dict[str, Any]) -> str:
    found = f"{item['entity']!r} {item['predicted'] or '-'}" if item["entity"] else "not found"
    mentions = " / ".join(item["mentions"])
    return f"[{item['doc']}] {item['name']!r} gold {item['gold']} got {found} | {mentions}"


# ---------------------------------------------------------------------------------------------- gold


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """Read a gold JSON Lines file (one annotated article a line; blank lines skipped)."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gold_key(record: Mapping[str, Any]) -> str:
    """The name pairing a gold record with an analysed article."""
    return str(record["doc"])


def gold_spans(text: str, item: Mapping[str, Any] | str) -> list[Span]:
    """Every span of ``text`` a gold item stands for.

    Its words (``text``, or the item itself when it is a string) are found wherever they occur,
    tolerating differences of case and whitespace, on word boundaries.
    """
    words = (item if isinstance(item, str) else item.get("text") or "").split()
    if not words:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


# ---------------------------------------------------------------------------------------------- helpers


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _norm(value: str | None) -> str | None:
    """Collapse whitespace (NBSP included: ``\\s`` is Unicode-aware) and fold case."""
    return None if value is None else " ".join(value.split()).casefold()


def _country(code: str | None) -> str | None:
    """The first three letters of an actor code stand for its country (IGO and IMG included)."""
    return code[:3] if code else None


def _view(article: Article | Mapping[str, Any]) -> dict[str, Any]:
    """The article in the output contract, with sentence spans kept when the record has them."""
    if isinstance(article, Article):
        view = article.to_dict()
        view["sentence_spans"] = [(s.start, s.end) for s in article.sentences]
        view["raw_lines"] = {_norm(line) for line in article.raw.splitlines()}
        return view
    return dict(article)


def _sentence_span(view: Mapping[str, Any], start: int, end: int) -> Span:
    """The sentence around a span: from the article's sentences, else from the nearest full stops."""
    for s_start, s_end in view.get("sentence_spans") or ():
        if s_start <= start < s_end:
            return (s_start, s_end)
    text = view.get("text") or ""
    left = max(text.rfind(stop, 0, start) for stop in (". ", "! ", "? ", "\n"))
    rights = [i for i in (text.find(stop, end) for stop in (". ", "! ", "? ", "\n")) if i >= 0]
    return (left + 1 if left >= 0 else 0, min(rights) + 1 if rights else len(text))


# ---------------------------------------------------------------------------------------------- metadata


def _same_source(gold: str | None, predicted: str | None) -> bool:
    def host(value: str | None) -> str | None:
        value = _norm(value)
        return value.removeprefix("www.") if value else value

    return host(gold) == host(predicted)


def _score_metadata(gold: Mapping[str, Any], view: Mapping[str, Any], out: dict[str, Measure]) -> None:
    # A field the gold record does not carry (gold by reference has no title or dateline) is not scored.
    if "title" in gold:
        out["title"].add(_norm(gold.get("title")) == _norm(view.get("title")))
    if "source" in gold:
        out["source"].add(_same_source(gold.get("source"), view.get("source")))
    if "dateline" in gold:
        out["dateline"].add(_norm(gold.get("dateline")) == _norm(view.get("dateline")))
    gold_date, predicted = gold.get("published"), view.get("published")
    out["published date"].add((gold_date or "")[:10] == (predicted or "")[:10])
    if gold_date and "T" in gold_date:  # the time is scored where gold knows it (to the minute, zone aside)
        out["published datetime"].add(gold_date[:16] == (predicted or "")[:16])


# ---------------------------------------------------------------------------------------------- boilerplate


def _lines_match(a: str, b: str) -> bool:
    """Normalised lines match when equal, or when both are long and one contains the other."""
    return a == b or (min(len(a), len(b)) >= _LONG_LINE and (a in b or b in a))


def _score_boilerplate(gold: Mapping[str, Any], view: Mapping[str, Any], out: dict[str, Measure]) -> None:
    gold_lines = [g for g in (_norm(line) for line in gold.get("boilerplate") or ()) if g]
    removed = [r for r in (_norm(line) for line in view.get("removed") or ()) if r]
    raw_lines = view.get("raw_lines")
    if raw_lines:
        # Gold judges whole lines; a credit or editor code cut from inside a kept line is reported apart.
        fragments = [line for line in removed if line not in raw_lines]
        out["fragments removed"] += len(fragments)
        removed = [line for line in removed if line in raw_lines]
    for gold_line in gold_lines:
        found = any(_lines_match(gold_line, line) for line in removed)
        out["lines"].tp += found
        out["lines"].fn += not found
    # Distinct lines: a widget removed on every page of a scrape is one decision, right or wrong, and
    # TP counts gold lines, so FP must count lines the same way for precision to mean anything.
    story = sum(not any(_lines_match(line, g) for g in gold_lines) for line in set(removed))
    out["lines"].fp += story
    out["story lines removed"] += story


# ---------------------------------------------------------------------------------------------- timexes


def _timex_value_ok(gold: str | None, predicted: str | None) -> bool:
    if gold is None:  # gold has no anchor for it: the prediction must not claim a full value
        return predicted is None or "X" in predicted
    if predicted is None:
        return False
    if "T" in gold:
        return predicted[:16] == gold[:16]
    return predicted == gold


def _score_timexes(gold: Mapping[str, Any], view: Mapping[str, Any], out: dict[str, Measure]) -> None:
    text = view.get("text") or ""
    # Gold annotates points and spans of the calendar; durations ("tujuh tahun") and vague references
    # ("saat ini", TIMEX3 PRESENT_REF) have no value in its format, so they are neither found nor missed.
    predicted = [((t["start"], t["end"]), t) for t in view.get("timexes") or ()
                 if t.get("granularity") != "duration" and not (t.get("value") or "").endswith("_REF")]
    used: set[int] = set()
    covered: list[Span] = []
    # Longest gold texts first, so "hari Jumat" takes its place before a bare "Jumat" looks for one.
    for item in sorted(gold.get("timexes") or (), key=lambda g: -len(g.get("text") or "")):
        spans = gold_spans(text, item)
        covered += spans
        if not spans:
            out["not in text"] += 1
        match = next((i for span in spans for i, (p_span, _) in enumerate(predicted)
                      if i not in used and _overlaps(span, p_span)), None)
        if match is None:
            out["detection"].fn += 1
            continue
        used.add(match)
        out["detection"].tp += 1
        out["value"].add(_timex_value_ok(item.get("value"), predicted[match][1].get("value")))
    # Gold lists an expression once; finding it again where it recurs is not an error.
    out["detection"].fp += sum(
        i not in used and not any(_overlaps(span, p_span) for span in covered)
        for i, (p_span, _) in enumerate(predicted)
    )


# ---------------------------------------------------------------------------------------------- actors


def _mention_spans(view: Mapping[str, Any]) -> list[tuple[Span, int]]:
    """Spans of every predicted mention, with its entity's index."""
    return [((m["start"], m["end"]), i) for i, e in enumerate(view.get("entities") or ())
            for m in e.get("mentions") or ()]


def _score_actors(gold: Mapping[str, Any], view: Mapping[str, Any], out: dict[str, Measure],
                  errors: dict[str, list[dict[str, Any]]] | None = None) -> None:
    text = view.get("text") or ""
    entities = view.get("entities") or []
    mentions = _mention_spans(view)
    for actor in gold.get("actors") or ():
        spans = [s for mention in actor.get("mentions") or () for s in gold_spans(text, mention)]
        votes: dict[int, int] = defaultdict(int)
        for m_span, entity in mentions:
            votes[entity] += sum(_overlaps(m_span, s) for s in spans)
        best = max((e for e in votes if votes[e]), key=lambda e: votes[e], default=None)
        code = entities[best].get("code") if best is not None else None
        out["found"].add(best is not None)
        out["code"].add(code == actor.get("code"))
        out["country"].add(_country(code) == _country(actor.get("code")))
        if errors is not None and code != actor.get("code"):
            entity = entities[best] if best is not None else {}
            errors.setdefault(ACTOR_ERRORS, []).append({
                "doc": gold_key(gold), "name": actor.get("name"), "gold": actor.get("code"),
                "predicted": code, "entity": entity.get("name"),
                "mentions": sorted({m["text"] for m in entity.get("mentions") or ()}),
            })
    for name in gold.get("not_actors") or ():
        spans = gold_spans(text, name)
        out["not_actors coded"] += any(
            entities[e].get("code") and _overlaps(m_span, s) for m_span, e in mentions for s in spans
        )


# ---------------------------------------------------------------------------------------------- events


@dataclass
class _Pred:
    """A predicted event reduced to what scoring compares."""

    root: str
    countries: tuple[str | None, str | None]
    event: Mapping[str, Any]

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        return (self.root, *self.countries)


def _pred(event: Mapping[str, Any]) -> _Pred:
    def country(actor: Mapping[str, Any] | None) -> str | None:
        # An actor the pipeline found but could not code is not "no actor": it never matches null.
        return None if actor is None else (_country(actor.get("code")) or "?")

    root = (event.get("root") or event.get("cameo") or "")[:2]
    return _Pred(root, (country(event.get("actor1")), country(event.get("actor2"))), event)


def _dyad(country1: str | None, country2: str | None) -> str:
    return f"{country1 or '---'}-{country2 or '---'}"


def _compatible(gold: Mapping[str, Any], pred: _Pred) -> bool:
    return pred.root in gold.get("root", ()) and pred.countries == (
        _country(gold.get("actor1")),
        _country(gold.get("actor2")),
    )


def _max_matching(golds: list[int], edges: dict[int, list[int]]) -> dict[int, int]:
    """Maximum one-to-one matching (gold index -> pred position) by augmenting paths (Kuhn's algorithm).

    Greedy matching can lose a pair when a gold event accepts several roots; articles have tens of events,
    so the simple algorithm is ample.
    """
    owner: dict[int, int] = {}  # pred position -> gold index

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges.get(g, ()):
            if p not in seen:
                seen.add(p)
                if p not in owner or augment(owner[p], seen):
                    owner[p] = g
                    return True
        return False

    for g in golds:
        augment(g, set())
    return {g: p for p, g in owner.items()}


def _date_ok(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    value = gold.get("date")
    if value is None:
        return pred.get("date") is None or pred.get("date_precision") in _UNDATED_PRECISIONS
    return pred.get("date") == value


def _event_item(doc: str, kind: str, event: Mapping[str, Any], *, gold: bool, detail: str = "") -> dict:
    """One line of the error listing, for a gold (``gold=True``) or a predicted event."""
    if gold:
        actors, evidence, rule = (event.get("actor1"), event.get("actor2")), event.get("evidence"), None
    else:
        actors = tuple((event.get(slot) or {}).get("code") for slot in ("actor1", "actor2"))
        evidence, rule = (event.get("evidence") or {}).get("text"), event.get("rule")
    return {"doc": doc, "kind": kind, "actor1": actors[0], "cameo": event.get("cameo"), "actor2": actors[1],
            "date": event.get("date"), "modality": event.get("modality"), "evidence": evidence,
            "rule": rule, "detail": detail}


def _cause(golds: list[Mapping[str, Any]], preds: list[_Pred], *, missed: bool) -> str:
    """Why a gold event was missed (``missed``) or an event was predicted wrongly, from its sentence."""
    if missed and not preds:
        return "no pattern"
    if not missed and not golds:
        return "no gold event"
    pairs = [(g, p) for g in golds for p in preds]
    if any(p.root in g.get("root", ()) for g, p in pairs):
        return "wrong actor"
    if any(p.countries == (_country(g.get("actor1")), _country(g.get("actor2"))) for g, p in pairs):
        return "wrong root"
    return "other"


def _score_events(
    gold: Mapping[str, Any],
    view: Mapping[str, Any],
    out: dict[str, Measure],
    dates: dict[str, Measure],
    roots: dict[str, Score],
    dyads: dict[str, Score],
    errors: dict[str, list[dict[str, Any]]] | None,
) -> None:
    doc, text = gold_key(gold), view.get("text") or ""
    golds = list(gold.get("events") or ())
    preds = [_pred(e) for e in view.get("events") or ()]
    gold_evidence = [gold_spans(text, e.get("evidence") or "") for e in golds]

    def preference(g: int, p: int) -> tuple[bool, ...]:
        """Among predictions that match a gold event, try first the one that agrees on the most."""
        gold_event, pred = golds[g], preds[p].event
        evidence = _evidence_span(pred)
        return (
            any(_overlaps(evidence, span) for span in gold_evidence[g]),
            all((pred.get(slot) or {}).get("code") == gold_event.get(slot) for slot in ("actor1", "actor2")),
            _date_ok(gold_event, pred),
            pred.get("modality") == gold_event.get("modality"),
        )

    edges = {
        g: sorted((p for p, pred in enumerate(preds) if _compatible(golds[g], pred)),
                  key=lambda p, g=g: preference(g, p), reverse=True)
        for g in range(len(golds))
    }
    required = [g for g, e in enumerate(golds) if not e.get("optional")]
    optional = [g for g, e in enumerate(golds) if e.get("optional")]
    matched = _max_matching(required, edges)
    # Optional events (the reverse of a joint action) take only predictions no required event needs.
    taken = set(matched.values())
    optional_edges = {g: [p for p in edges[g] if p not in taken] for g in optional}
    matched_optional = _max_matching(optional, optional_edges)
    taken |= set(matched_optional.values())
    matched_keys = {preds[p].key for p in taken}

    for g in required:
        root = golds[g]["root"][0] if golds[g].get("root") else "??"
        if g in matched:
            pred = preds[matched[g]]
            out["detection"].tp += 1
            roots.setdefault(pred.root, Score()).tp += 1
            dyads.setdefault(_dyad(*pred.countries), Score()).tp += 1
        else:
            out["detection"].fn += 1
            roots.setdefault(root, Score()).fn += 1
            dyads.setdefault(_dyad(_country(golds[g].get("actor1")), _country(golds[g].get("actor2"))),
                             Score()).fn += 1
    spurious = [p for p in range(len(preds)) if p not in taken and preds[p].key not in matched_keys]
    out["detection"].fp += len(spurious)
    out["repeats ignored"] += sum(p not in taken and preds[p].key in matched_keys for p in range(len(preds)))
    for p in spurious:
        roots.setdefault(preds[p].root, Score()).fp += 1
        dyads.setdefault(_dyad(*preds[p].countries), Score()).fp += 1

    for g, p in matched.items():
        gold_event, pred = golds[g], preds[p].event
        date_ok = _date_ok(gold_event, pred)
        modality_ok = pred.get("modality") == gold_event.get("modality")
        negated_ok = bool(pred.get("negated")) == bool(gold_event.get("negated"))
        dates["date"].add(date_ok)
        dates["modality"].add(modality_ok)
        dates["negation"].add(negated_ok)
        for slot in ("actor1", "actor2"):
            dates["role (full code)"].add(((pred.get(slot) or {}).get("code")) == gold_event.get(slot))
        if errors is not None and not (modality_ok and negated_ok):
            errors["modality"].append(_event_item(doc, "matched", pred, gold=False, detail=(
                f"gold {gold_event.get('modality')}{' negated' if gold_event.get('negated') else ''}, "
                f"predicted {pred.get('modality')}{' negated' if pred.get('negated') else ''}")))
        if errors is not None and not date_ok:
            predicted = f"{pred.get('date')} ({pred.get('date_precision')})"
            errors["date"].append(_event_item(doc, "matched", pred, gold=False,
                                              detail=f"gold {gold_event.get('date')}, predicted {predicted}"))

    if errors is None:
        return
    gold_sentences = [_sentence_span(view, *spans[0]) if spans else None for spans in gold_evidence]

    def preds_in(sentence: Span) -> list[_Pred]:
        return [p for p in preds if _overlaps(sentence, _evidence_span(p.event))]

    for g in required:
        if g in matched:
            continue
        sentence = gold_sentences[g]
        cause = "evidence not in text" if sentence is None else _cause(
            [golds[g]], preds_in(sentence), missed=True)
        errors[cause].append(_event_item(doc, "missed", golds[g], gold=True))
    for p in spurious:
        evidence = _evidence_span(preds[p].event)
        sentence = _sentence_span(view, *evidence)
        near = [golds[g] for g, s in enumerate(gold_sentences) if s is not None and _overlaps(s, sentence)]
        errors[_cause(near, [preds[p]], missed=False)].append(
            _event_item(doc, "spurious", preds[p].event, gold=False))


def _evidence_span(event: Mapping[str, Any]) -> Span:
    evidence = event.get("evidence") or {}
    return (evidence.get("start", 0), evidence.get("end", 0))


# ---------------------------------------------------------------------------------------------- entry point


def evaluate(
    gold: str | Path | Iterable[Mapping[str, Any]],
    articles: Iterable[Article | Mapping[str, Any]],
    *,
    errors: bool = False,
) -> Report:
    """Score analysed articles against a gold JSON Lines file.

    :param gold: a gold JSON Lines file in the format of ``../shared/gold/README.md``, or its records
        (gold by reference resolved to words first: :func:`warta.gold.resolve`).
    :param articles: analysed :class:`~warta.doc.Article` objects, or their ``to_dict()`` output; each is
        paired with the gold record of the same ``doc``. Articles without gold are ignored; gold records
        without an article are listed in ``Report.missing`` and not scored.
    :param errors: also list every missed, spurious or wrongly dated event by cause, and every gold
        actor coded otherwise (under ``ACTOR_ERRORS``).
    """
    records = read_gold(gold) if isinstance(gold, str | Path) else gold
    by_doc = {gold_key(record): record for record in records}
    report = Report(errors={cause: [] for cause in CAUSES} if errors else None)
    metadata_keys = ("title", "source", "published date", "published datetime", "dateline")
    metadata: dict[str, Measure] = {k: Accuracy() for k in metadata_keys}
    boilerplate: dict[str, Measure] = {"lines": Score(), "story lines removed": 0, "fragments removed": 0}
    timexes: dict[str, Measure] = {"detection": Score(), "value": Accuracy(), "not in text": 0}
    actors: dict[str, Measure] = {"found": Accuracy(), "code": Accuracy(), "country": Accuracy(),
                                  "not_actors coded": 0}
    events: dict[str, Measure] = {"detection": Score(), "repeats ignored": 0}
    dates: dict[str, Measure] = {k: Accuracy() for k in ("date", "modality", "negation", "role (full code)")}
    seen: set[str] = set()
    for article in articles:
        view = _view(article)
        gold = by_doc.get(str(view.get("doc")))
        if gold is None:
            continue
        seen.add(gold_key(gold))
        report.articles += 1
        _score_metadata(gold, view, metadata)
        if "boilerplate" in gold:
            _score_boilerplate(gold, view, boilerplate)
        _score_timexes(gold, view, timexes)
        _score_actors(gold, view, actors, report.errors)
        _score_events(gold, view, events, dates, report.event_roots, report.event_dyads, report.errors)
    report.missing = sorted(set(by_doc) - seen)
    report.components = {"metadata": metadata, "boilerplate": boilerplate, "timexes": timexes,
                         "actors": actors, "events": events, "event dates": dates}
    return report
