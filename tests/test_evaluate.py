"""The scorer: hand-made gold and predictions with known P/R/F1, then the seeds through the whole pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warta.doc import Actor, Article, Entity, Event, Evidence, Mention, Sentence, Timex
from warta.evaluate import Accuracy, Score, evaluate, gold_spans
from warta.pipeline import DEFAULT_STAGES, Pipeline

COMPONENTS = {"metadata", "boilerplate", "timexes", "actors", "events", "event dates"}

TEXT = (
    "Menteri Luar Negeri Indonesia bertemu Menteri Luar Negeri Jepang di Tokyo pada Senin (3/6/2024). "
    "Kedua negara sepakat memperluas kerja sama maritim. "
    "Jepang juga mengirim bantuan ke Filipina pekan lalu. "
    "Foto: Budi Santoso"
)


def sentences(text: str) -> list[Sentence]:
    """Split the test text on '. ' so evidence can be tied to sentences."""
    out, start = [], 0
    for index, piece in enumerate(text.split(". ")):
        end = start + len(piece)
        out.append(Sentence(index=index, start=start, end=end, text=piece))
        start = end + 2
    return out


def event(a1: str | None, cameo: str, a2: str | None, words: str = "bertemu", **fields) -> Event:
    """A predicted event whose evidence is the first occurrence of ``words`` in TEXT."""
    start = TEXT.index(words)
    values = {"plover": None, "goldstein": None, "quad_class": None, "date": None,
              "date_precision": "unknown", "modality": "asserted", "negated": False, "rule": "test"} | fields
    return Event(
        actor1=Actor(a1 or "", a1) if a1 is not None else None,
        actor2=Actor(a2 or "", a2) if a2 is not None else None,
        cameo=cameo, root=cameo[:2],
        evidence=Evidence(0, start, start + len(words), words),
        **values,
    )


def article(events: list[Event] = (), doc: str = "a", raw: str = TEXT, **fields) -> Article:
    return Article(doc=doc, id="x", raw=raw, text=TEXT, sentences=sentences(TEXT), events=list(events),
                   **fields)


def detection(gold: Path, predicted: list[Event]) -> tuple[int, int, int]:
    """TP, FP, FN of event detection for one article."""
    score = evaluate(gold, [article(predicted)]).components["events"]["detection"]
    return score.tp, score.fp, score.fn


def gold_event(a1: str, a2: str | None, roots: list[str], words: str = "bertemu", **fields) -> dict:
    return {"actor1": a1, "actor2": a2, "root": roots, "cameo": roots[0], "date": None,
            "modality": "asserted", "negated": False, "evidence": words} | fields


def write_gold(tmp_path: Path, *records: dict) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps({"doc": "a"} | r) + "\n" for r in records), encoding="utf-8")
    return path


def test_score_and_accuracy_arithmetic():
    s = Score(tp=2, fp=1, fn=3)
    assert (s.precision, s.recall) == (2 / 3, 0.4)
    assert s.f1 == pytest.approx(0.5)
    assert Score().f1 == 0.0 and Accuracy().value == 0.0


def test_events_optional_repeat_and_spurious(tmp_path):
    gold = write_gold(tmp_path, {"events": [
        gold_event("IDNGOV", "JPNGOV", ["04"]),
        gold_event("JPNGOV", "IDNGOV", ["04"], optional=True),
        gold_event("IDN", "JPN", ["05", "06"], "sepakat memperluas"),
        gold_event("JPN", "PHL", ["07"], "mengirim bantuan"),
    ]})
    predicted = [
        event("IDNGOV", "042", "JPNGOV"),
        event("IDNGOV", "043", "JPNGOV"),  # a repeat of a matched (04, IDN, JPN): not an error
        event("JPNGOV", "042", "IDNGOV"),  # the optional reverse: neither TP nor FP
        event("IDN", "057", "JPN", "sepakat memperluas"),
        event("JPN", "190", "PHL", "mengirim bantuan"),  # wrong root: FP, and the gold event is FN
    ]
    report = evaluate(gold, [article(predicted)])
    detection = report.components["events"]["detection"]
    assert (detection.tp, detection.fp, detection.fn) == (2, 1, 1)
    assert detection.precision == pytest.approx(2 / 3) and detection.recall == pytest.approx(2 / 3)
    assert report.components["events"]["repeats ignored"] == 1
    assert report.event_roots["04"].tp == 1 and report.event_roots["05"].tp == 1
    assert report.event_roots["19"].fp == 1 and report.event_roots["07"].fn == 1


def test_events_missing_optional_is_not_a_miss(tmp_path):
    gold = write_gold(tmp_path, {"events": [
        gold_event("IDNGOV", "JPNGOV", ["04"]),
        gold_event("JPNGOV", "IDNGOV", ["04"], optional=True),
    ]})
    assert detection(gold, [event("IDNGOV", "040", "JPNGOV")]) == (1, 0, 0)


def test_events_order_and_null_target(tmp_path):
    gold = write_gold(tmp_path, {"events": [
        gold_event("IDN", "JPN", ["04"]),
        gold_event("JPNGOV", None, ["01"], "sepakat"),
    ]})
    predicted = [
        event("JPN", "040", "IDN"),  # reversed: the countries must agree in order
        event("JPNGOV", "011", "IDN", "sepakat"),  # gold has no target, so a target is wrong
    ]
    assert detection(gold, predicted) == (0, 2, 2)
    assert detection(gold, [event("JPN", "011", None, "sepakat")]) == (1, 0, 1)


def test_events_uncoded_actor_is_not_a_null_actor(tmp_path):
    gold = write_gold(tmp_path, {"events": [gold_event("JPNGOV", None, ["01"])]})
    assert detection(gold, [event("JPN", "011", "")]) == (0, 1, 1)


def test_events_matching_is_one_to_one_and_maximal(tmp_path):
    # Greedy matching would give the first prediction (04) to the first gold event and leave the second
    # without a partner; a maximum matching pairs both.
    gold = write_gold(tmp_path, {"events": [
        gold_event("IDN", "JPN", ["06", "04"]),
        gold_event("IDN", "JPN", ["04"]),
    ]})
    predicted = [event("IDN", "040", "JPN"), event("IDN", "060", "JPN")]
    assert detection(gold, predicted) == (2, 0, 0)


def test_event_dates_modality_and_roles(tmp_path):
    gold = write_gold(tmp_path, {"events": [
        gold_event("IDNGOV", "JPNGOV", ["04"], date="2024-06-03"),
        gold_event("IDN", "JPN", ["05"], "sepakat", date=None, modality="intended"),
        gold_event("JPN", "PHL", ["07"], "mengirim", date="2024-05-27/2024-06-02"),
        gold_event("JPN", "IDN", ["01"], "Kedua", date="2024-05"),
    ]})
    predicted = [
        event("IDNGOV", "042", "JPNGOV", date="2024-06-03", date_precision="day"),
        event("IDN", "057", "JPNGOV", "sepakat", date="2024-06-03", date_precision="publication",
              modality="intended"),
        event("JPN", "070", "PHL", "mengirim", date="2024-05-27", date_precision="day", negated=True),
        event("JPN", "012", "IDN", "Kedua", date="2024-05", date_precision="month", modality="reported"),
    ]
    report = evaluate(gold, [article(predicted)], errors=True)
    dates = report.components["event dates"]
    assert (dates["date"].correct, dates["date"].total) == (3, 4)  # the interval must be exact
    assert (dates["modality"].correct, dates["negation"].correct) == (3, 3)
    assert (dates["role (full code)"].correct, dates["role (full code)"].total) == (7, 8)
    assert len(report.errors["date"]) == 1 and len(report.errors["modality"]) == 2


def test_event_error_causes(tmp_path):
    gold = write_gold(tmp_path, {"events": [
        gold_event("IDN", "JPN", ["04"]),
        gold_event("IDN", "JPN", ["05"], "sepakat"),
        gold_event("JPN", "PHL", ["07"], "mengirim"),
        gold_event("IDN", "JPN", ["04"], "kata yang tidak ada"),
    ]})
    predicted = [
        event("IDN", "040", "CHN"),  # right root, wrong target
        event("JPN", "070", "IDN", "Foto"),  # a sentence gold has no event in
        event("IDN", "190", "JPN", "sepakat"),  # right countries, wrong root
    ]
    report = evaluate(gold, [article(predicted)], errors=True)
    causes = {cause: [(e["kind"], e["cameo"]) for e in items]
              for cause, items in report.errors.items() if items}
    assert causes == {
        "no pattern": [("missed", "07")],
        "wrong actor": [("missed", "04"), ("spurious", "040")],
        "wrong root": [("missed", "05"), ("spurious", "190")],
        "no gold event": [("spurious", "070")],
        "evidence not in text": [("missed", "04")],
    }
    rendered = report.render()
    assert "no pattern (1)" in rendered and "rule=test" in rendered


def test_boilerplate_normalised_contained_and_story_lines(tmp_path):
    gold = write_gold(tmp_path, {"boilerplate": [
        "Baca juga:\u00a0Harga beras naik di pasar induk",
        "Iklan",
        "Penulis : Rina Kusuma",
        "Tautan",
    ]})
    removed = [
        "Baca  juga: Harga beras naik di pasar induk",  # whitespace and NBSP collapse
        "Penulis : Rina Kusuma Editor : Dodi Saputra",  # a long gold line inside a longer removed line
        "Iklan",
        "Iklan",
        "Tautan sumber berita",  # short gold lines must match whole
        "Pemerintah menaikkan harga eceran tertinggi.",  # a story line
        "(ant/rk)",  # an editor code cut from inside a kept line: not a whole line of the input
    ]
    raw = TEXT + " (ant/rk)\n" + "\n".join(removed[:-1])
    measures = evaluate(gold, [article(removed=removed, raw=raw)]).components["boilerplate"]
    assert (measures["lines"].tp, measures["lines"].fn) == (3, 1)
    assert measures["lines"].fp == 2 and measures["story lines removed"] == 2
    assert measures["fragments removed"] == 1
    assert (measures["lines"].precision, measures["lines"].recall) == (0.6, 0.75)


def test_timexes_overlap_values_and_repeats(tmp_path):
    text = ("Pada Senin (3/6/2024) dia tiba. Senin (3/6/2024) itu hujan. Bulan Mei lalu sepi. "
            "Rabu esoknya cerah.")
    gold = write_gold(tmp_path, {"timexes": [
        {"text": "Senin (3/6/2024)", "value": "2024-06-03"},
        {"text": "Mei lalu", "value": None},
        {"text": "Rabu", "value": "2024-06-05"},
        {"text": "Kamis", "value": "2024-06-06"},  # not in the text
    ]})

    def timex(words: str, value: str | None, nth: int = 0) -> Timex:
        start = -1
        for _ in range(nth + 1):
            start = text.index(words, start + 1)
        return Timex(words, start, start + len(words), 0, value)

    predicted = [
        timex("Pada Senin", "2024-06-03"),  # overlaps the gold span: a match
        timex("Senin (3/6/2024)", "2024-06-03", nth=1),  # the same expression again: not an error
        timex("Bulan Mei lalu", "XXXX-05"),  # gold null is met by a value with X
        timex("Rabu", "2024-06-06"),  # found, wrong value
        timex("itu", None),  # spurious
    ]
    a = Article(doc="a", id="x", raw=text, text=text, timexes=predicted)
    measures = evaluate(gold, [a]).components["timexes"]
    assert (measures["detection"].tp, measures["detection"].fp, measures["detection"].fn) == (3, 1, 1)
    assert (measures["value"].correct, measures["value"].total) == (2, 3)
    assert measures["not in text"] == 1


def test_durations_and_vague_references_are_not_scored_as_timexes(tmp_path):
    text = "Saat ini dia sudah tujuh tahun menjabat."
    gold = write_gold(tmp_path, {"timexes": []})
    predicted = [Timex("Saat ini", 0, 8, 0, "PRESENT_REF", granularity="unknown"),
                 Timex("tujuh tahun", 18, 29, 0, "P7Y", granularity="duration"),
                 Timex("dia", 9, 12, 0, "2024-06-03")]
    a = Article(doc="a", id="x", raw=text, text=text, timexes=predicted)
    assert evaluate(gold, [a]).components["timexes"]["detection"].fp == 1


def test_actors_codes_countries_and_not_actors(tmp_path):
    gold = write_gold(tmp_path, {
        "actors": [
            {"name": "Menlu Indonesia", "code": "IDNGOV", "mentions": ["Menteri Luar Negeri Indonesia"]},
            {"name": "Menlu Jepang", "code": "JPNGOV", "mentions": ["Menteri Luar Negeri Jepang"]},
            {"name": "Filipina", "code": "PHL", "mentions": ["Filipina"]},
        ],
        "not_actors": ["Budi Santoso"],
    })

    def mention(words: str) -> Mention:
        start = TEXT.index(words)
        return Mention(words, start, start + len(words), 0, "PER")

    mentions = [mention("Indonesia"), mention("Menteri Luar Negeri Jepang"), mention("Budi Santoso")]
    entities = [Entity(0, "Indonesia", "GPE", "IDN", mentions=[0]), Entity(1, "Menlu Jepang", "PER", "JPNGOV",
                mentions=[1]), Entity(2, "Budi Santoso", "PER", "IDNMED", mentions=[2])]
    measures = evaluate(gold, [article(mentions=mentions, entities=entities)]).components["actors"]
    assert (measures["found"].correct, measures["found"].total) == (2, 3)
    assert measures["code"].correct == 1 and measures["country"].correct == 2
    assert measures["not_actors coded"] == 1


def test_metadata(tmp_path):
    gold = write_gold(tmp_path, {"title": "Dua  Menteri Bertemu", "source": "warta.id", "dateline": "Tokyo",
                                 "published": "2024-06-03T14:05:00+07:00"})
    a = article(title="dua menteri bertemu", source="www.Warta.id", dateline="TOKYO", published="2024-06-03")
    measures = evaluate(gold, [a]).components["metadata"]
    assert all(measures[k].correct == 1 for k in ("title", "source", "dateline", "published date"))
    assert (measures["published datetime"].correct, measures["published datetime"].total) == (0, 1)


def test_dict_input_missing_docs_and_report_shape(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "a", "events": []}\n\n{"doc": "b", "events": []}\n', encoding="utf-8")
    report = evaluate(gold, [article([event("IDN", "040", "JPN")]).to_dict(), article(doc="zzz")])
    assert report.articles == 1 and report.missing == ["b"]
    assert report.components["events"]["detection"].fp == 1
    data = json.loads(json.dumps(report.to_dict()))
    assert set(data["components"]) == COMPONENTS
    assert "errors" not in data
    assert "events" in report.render() and "Not scored" in report.render()


def test_gold_spans_tolerate_case_and_whitespace_on_word_boundaries():
    assert gold_spans("Senin  (3/6)  dan senin (3/6)", "Senin (3/6)") == [(0, 12), (18, 29)]
    assert gold_spans("Jumatan", "Jumat") == []


def test_seeds_full_pipeline(shared):
    for stage in ("ingest", *DEFAULT_STAGES):
        pytest.importorskip(f"warta.{stage}", reason=f"stage module warta.{stage} is not written yet")
    from warta.ingest import read

    pipeline = Pipeline()
    articles = [pipeline(a) for a in read([shared / "corpus" / "seeds"]) if isinstance(a, Article)]
    report = evaluate(shared / "gold" / "seeds.jsonl", articles, errors=True)
    assert report.articles == 5 and not report.missing
    assert set(report.components) == COMPONENTS
    assert report.components["events"]["detection"].tp + report.components["events"]["detection"].fn > 0
    assert report.render()


def test_events_are_broken_down_by_actor_countries(tmp_path):
    golds = [gold_event("RUS", "VEN", ["04"]), gold_event("USA", None, ["01"])]
    gold = write_gold(tmp_path, {"events": golds})
    predicted = [event("RUS", "042", "VEN"), event("CHN", "042", "VEN")]
    dyads = evaluate(gold, [article(predicted)]).event_dyads
    assert {k: (v.tp, v.fp, v.fn) for k, v in dyads.items()} == {
        "RUS-VEN": (1, 0, 0), "CHN-VEN": (0, 1, 0), "USA----": (0, 0, 1)}
