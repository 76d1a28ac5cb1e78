"""The output contract: Article.to_dict() validates against warta/schema/article.schema.json."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from warta.doc import Actor, Article, Entity, Event, Evidence, Mention, Quote, Timex
from warta.pipeline import DEFAULT_STAGES, analyze

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a dev dependency")

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples" / "articles").glob("*.txt"))
STAGES = ("ingest", *DEFAULT_STAGES)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(resources.files("warta").joinpath("schema/article.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def hand_built() -> Article:
    """A fully filled article, written here, with every record kind."""
    text = 'JAKARTA - Indonesia mengirim bantuan ke Myanmar pada Selasa (11/6/2024). "Kami siap," kata Retno.'
    sent, day = text.index("Indonesia"), text.index("Selasa")
    return Article(
        doc="hand", id="0123abcd", raw=text, text=text, title="Bantuan ke Myanmar", source="warta.id",
        url="https://warta.id/1", published="2024-06-12T14:05:00+07:00", published_source="input",
        dateline="Jakarta", removed=["Advertisement"],
        mentions=[Mention("Indonesia", sent, sent + 9, 0, "GPE", code="IDN", entity=0),
                  Mention("Myanmar", text.index("Myanmar"), text.index("Myanmar") + 7, 0, "GPE", "MMR", 1)],
        entities=[Entity(0, "Indonesia", "GPE", "IDN", mentions=[0], qid="Q252"),
                  Entity(1, "Myanmar", "GPE", "MMR", aliases=["Burma"], mentions=[1])],
        timexes=[Timex("Selasa (11/6/2024)", day, day + 18, 0, "2024-06-11")],
        quotes=[Quote("Kami siap,", text.index("Kami"), text.index("Kami") + 10, 1, "Retno", "IDNGOV")],
        events=[Event(Actor("Indonesia", "IDN", 0), Actor("Myanmar", "MMR", 1), "0233", "02", "AID", 7.4, 2,
                      "2024-06-11", "day", "asserted", False,
                      Evidence(0, sent, sent + 37, text[sent:sent + 37]), "test", place="Myanmar"),
                Event(Actor("Retno", "IDNGOV"), None, "011", "01", None, None, None, None, "publication",
                      "negated", True, Evidence(1, sent, sent + 9, "Indonesia"), "test")],
    )


def test_hand_built_article_validates(validator):
    validator.validate(hand_built().to_dict())


def test_schema_rejects_what_the_contract_forbids(validator):
    data = hand_built().to_dict()
    data["events"][0]["modality"] = "rumoured"
    assert not validator.is_valid(data)
    data = hand_built().to_dict()
    del data["timexes"][0]["value"]
    assert not validator.is_valid(data)
    data = hand_built().to_dict()
    data["events"][0]["actor1"]["code"] = "Indonesia"
    assert not validator.is_valid(data)


def test_every_documented_field_is_in_the_schema():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text("utf-8")
    data = hand_built().to_dict()
    names = set(data) | set(data["entities"][0]) | set(data["timexes"][0]) | set(data["quotes"][0])
    names |= set(data["events"][0]) | set(data["events"][0]["actor1"]) | set(data["events"][0]["evidence"])
    assert [name for name in sorted(names) if f"`{name}`" not in docs] == []


def test_examples_exist():
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_pipeline_output_validates(validator, path):
    for stage in STAGES:
        pytest.importorskip(f"warta.{stage}", reason=f"stage module warta.{stage} is not written yet")
    article = analyze(path.read_text("utf-8"), doc=path.stem)
    data = article.to_dict()
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    for item in [m for e in data["entities"] for m in e["mentions"]] + data["timexes"] + data["quotes"] + [
        e["evidence"] for e in data["events"]
    ]:
        assert data["text"][item["start"]:item["end"]] == item["text"]
