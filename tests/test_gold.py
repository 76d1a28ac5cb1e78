import gzip
import json

import pytest

from warta import gold
from warta.errors import BadInput
from warta.evaluate import evaluate

TEXT = "Polisi menangkap dua tersangka di Medan pada Senin (3/7/2017). KPK memeriksa seorang saksi."


def span(words: str, text: str = TEXT) -> list[int]:
    start = text.index(words)
    return [start, start + len(words)]


REFERENCE = {
    "id": "a1", "split": "dev", "coder": "a", "published": "2017-07-04", "source": "contoh",
    "actors": [{"code": "IDNCOP", "mentions": [span("Polisi")]}],
    "not_actors": [],
    "timexes": [{"span": span("Senin (3/7/2017)"), "value": "2017-07-03"}],
    "events": [
        {"actor1": "IDNCOP", "actor2": "IDNCRM", "root": ["17"], "cameo": "173", "date": "2017-07-03",
         "modality": "asserted", "negated": False, "evidence": span("Polisi menangkap dua tersangka")},
        {"actor1": "IDNCRM", "actor2": "IDNCOP", "root": ["17"], "cameo": "173", "date": None,
         "modality": "asserted", "negated": False, "evidence": span("menangkap"), "optional": True},
    ],
}


@pytest.fixture
def files(tmp_path):
    dataset = tmp_path / "articles.jsonl.gz"
    with gzip.open(dataset, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "a1", "text": TEXT, "published": "2017-07-04"}) + "\n")
        handle.write(json.dumps({"id": "other", "text": "Tidak dipakai."}) + "\n")
    coding = tmp_path / "coder_a.jsonl"
    coding.write_text(json.dumps(REFERENCE) + "\n", encoding="utf-8")
    return dataset, coding


def test_resolve_cuts_words_out_of_the_dataset_text():
    record = gold.resolve(REFERENCE, TEXT)
    assert record["doc"] == "a1"
    assert record["actors"][0]["mentions"] == ["Polisi"]
    assert record["timexes"] == [{"text": "Senin (3/7/2017)", "value": "2017-07-03"}]
    assert record["events"][0]["evidence"] == "Polisi menangkap dua tersangka"
    assert "boilerplate" not in record and "title" not in record


def test_resolve_rejects_a_span_outside_the_text():
    broken = dict(REFERENCE, not_actors=[[0, len(TEXT) + 5]])
    with pytest.raises(BadInput):
        gold.resolve(broken, TEXT)


def test_read_pairs_records_with_their_articles_and_filters_by_split(files):
    dataset, coding = files
    pairs = gold.read(coding, dataset=dataset)
    assert [(r["doc"], s["id"]) for r, s in pairs] == [("a1", "a1")]
    assert gold.read(coding, dataset=dataset, split="report") == []


def test_read_reports_an_article_missing_from_the_dataset(files, tmp_path):
    dataset, _ = files
    coding = tmp_path / "missing.jsonl"
    coding.write_text(json.dumps(dict(REFERENCE, id="absent")) + "\n", encoding="utf-8")
    with pytest.raises(BadInput, match="absent"):
        gold.read(coding, dataset=dataset)


def test_a_coding_scored_against_itself_agrees_fully_and_leaves_optional_events_out(files):
    dataset, coding = files
    (record, source), = gold.read(coding, dataset=dataset)
    predicted = gold.as_prediction(record, source["text"])
    assert len(predicted["events"]) == 1
    report = evaluate([record], [predicted])
    detection = report.components["events"]["detection"]
    assert (detection.tp, detection.fp, detection.fn) == (1, 0, 0)
    assert report.components["event dates"]["date"].value == 1.0
