import csv
import io
import json

import duckdb
import pytest
from rich.console import Console
from test_store import VERSIONS, sample_article

from warta import export, query
from warta.doc import Article
from warta.store import Store


@pytest.fixture
def store():
    with Store(":memory:") as s:
        s.add(sample_article(), VERSIONS)
        yield s


def test_gdelt_columns_are_the_61_of_the_codebook():
    assert len(export.GDELT_COLUMNS) == 61 == len(set(export.GDELT_COLUMNS))
    assert export.GDELT_COLUMNS[:2] == ("GlobalEventID", "Day")
    assert export.GDELT_COLUMNS[25:35] == ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode",
                                           "QuadClass", "GoldsteinScale", "NumMentions", "NumSources",
                                           "NumArticles", "AvgTone")
    assert export.GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_gdelt_rows_have_61_fields_and_the_event_date(store):
    out = io.StringIO()
    assert export.write_gdelt(query.iter_events(store), out) == 3
    rows = [dict(zip(export.GDELT_COLUMNS, line.split("\t"), strict=True))
            for line in out.getvalue().splitlines()]
    by_code = {r["EventCode"]: r for r in rows}
    meet = by_code["040"]
    assert (meet["Day"], meet["MonthYear"], meet["Year"], meet["FractionDate"]) == \
        ("20190312", "201903", "2019", "2019.1945")
    actor1 = (meet["Actor1Code"], meet["Actor1CountryCode"], meet["Actor1Type1Code"])
    assert actor1 == ("RUSGOV", "RUS", "GOV")
    assert meet["Actor1Name"] == "SERGEI LAVROV" and meet["IsRootEvent"] == "1"
    assert (meet["EventBaseCode"], meet["EventRootCode"], meet["QuadClass"]) == ("040", "04", "1")
    assert meet["ActionGeo_FullName"] == "Caracas" and meet["SOURCEURL"] == "https://example.org/sample"
    assert len(meet["DATEADDED"]) == 14
    aid = by_code["074"]  # dated only to the month: GDELT's Day falls back to publication
    assert (aid["Day"], aid["NumMentions"], aid["IsRootEvent"]) == ("20190313", "2", "0")
    assert by_code["190"]["Actor2Code"] == ""


def test_gdelt_codes_igo_actors_as_known_groups():
    row = dict(zip(export.GDELT_COLUMNS, export.gdelt_row(
        {"event_id": 1, "actor1_code": "IGOUNO", "actor1_name": "PBB", "cameo": "010"}), strict=True))
    actor1 = (row["Actor1CountryCode"], row["Actor1KnownGroupCode"], row["Actor1Type1Code"])
    assert actor1 == ("", "UNO", "IGO")
    assert row["Day"] == ""  # neither an event date nor a publication date


def test_csv_and_jsonl_round_trip(store):
    out = io.StringIO()
    assert export.write_csv(query.iter_events(store), out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["cameo"] and "evidence_text" in rows[0]
    out = io.StringIO()
    export.write_jsonl(query.iter_events(store), out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {r["cameo"] for r in records} == {"040", "074", "190"}
    assert isinstance(records[0]["negated"], bool)


def test_parquet_is_readable_by_duckdb(store, tmp_path):
    path = tmp_path / "it's events.parquet"
    assert export.write_parquet(store, path, actor="RUS") == 2
    con = duckdb.connect()
    count, codes = con.execute("SELECT count(*), list(cameo ORDER BY cameo) FROM read_parquet(?)",
                               [str(path)]).fetchone()
    assert (count, codes) == (2, ["040", "074"])


def test_table_escapes_markup():
    console = Console(file=io.StringIO(), width=120)
    export.write_rows([{"evidence": "kata [bold]dia[/bold]"}], "table", console.file, console=console)
    assert "[bold]dia[/bold]" in console.file.getvalue()


def test_explain_shows_sentences_with_rules(store):
    lines = list(export.explain(store.article("sample")))
    text = "\n".join(lines)
    assert "verb:temu" in text and "gazetteer" in text and "weekday-date" in text
    assert sum(line.startswith("\n") for line in lines) == 3  # one block per sentence


def test_explain_an_article_that_failed_shows_its_error_and_text():
    article = Article(doc="rusak", id="r1", raw="Teks [mentah].", text="Teks [mentah].",
                      errors=["language: model missing"])
    lines = list(export.explain(article))
    assert any("model missing" in line for line in lines)
    assert any(r"\[mentah]" in line for line in lines)  # markup in the text is escaped


def test_mentions_point_into_the_text_and_plover_has_a_mode(store):
    rows = list(export.iter_mentions(store))
    assert len(rows) == 3
    meet = next(r for r in rows if r["cameo"] == "040")
    fields = dict(zip(export.GDELT_MENTION_COLUMNS, export.gdelt_mention_row(meet), strict=True))
    text = sample_article().text
    assert text[int(fields["Actor1CharOffset"]):].startswith("Sergei Lavrov")
    assert text[int(fields["ActionCharOffset"]):].startswith("bertemu")
    assert (fields["SentenceID"], fields["InRawText"], fields["Confidence"]) == ("1", "1", "60")
    aid = next(r for r in query.iter_resolved(store) if r["cameo"] == "074")
    record = export.plover_record(aid)
    assert record["mode"] == "military" and record["context"] == ["military"]
