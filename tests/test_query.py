import pytest
from test_store import VERSIONS, sample_article

from warta import query
from warta.errors import SettingError
from warta.store import Store


@pytest.fixture
def store():
    with Store(":memory:") as s:
        s.add_many([sample_article(), sample_article("later", "a2", published="2020-01-05")], VERSIONS)
        yield s


def test_events_filter_by_actor_code_or_country_on_either_side(store):
    assert len(query.events(store)) == 6
    assert len(query.events(store, actor="RUS")) == 4
    assert len(query.events(store, actor="rusmil")) == 2
    assert len(query.events(store, actor1="VEN")) == 2
    assert len(query.events(store, actor2="VEN")) == 4
    assert query.events(store, actor="USA") == []


def test_events_filter_by_root_source_doc_and_limit(store):
    assert {e["cameo"] for e in query.events(store, root="4")} == {"040"}
    assert len(query.events(store, source="contoh")) == 6
    assert len(query.events(store, source="example.org/later")) == 3
    assert len(query.events(store, doc="later")) == 3
    assert len(query.events(store, limit=2)) == 2


def test_since_until_keep_events_whose_date_overlaps(store):
    # The AID event is dated 2019-03 (month precision): kept by since=2019-03-15.
    # The threat is dated by its article's publication, 2019-03-13 for one copy: left out.
    cameos = [e["cameo"] for e in query.events(store, since="2019-03-15", until="2019-12-31")]
    assert cameos == ["074", "074"]
    later = query.events(store, since="2020")
    assert [e["when_source"] for e in later] == ["publication"]
    with pytest.raises(SettingError):
        query.events(store, since="last week")


def test_bad_actor_is_a_setting_error(store):
    with pytest.raises(SettingError):
        query.events(store, actor="R'; drop table events")


def test_timeline_puts_events_dated_by_publication_last(store):
    rows = query.timeline(store, actor="VEN", doc="sample")
    assert [r["when"] for r in rows] == ["2019-03 (month)", "2019-03-12 (day)", "2019-03-13 (publication)"]
    assert rows[1]["evidence_text"] == "bertemu" and rows[1]["source"] == "Contoh News"
    assert rows[1]["cameo_name"]  # from the CAMEO codebook table


def test_entities_group_across_articles(store):
    rows = query.entities(store)
    maduro = next(r for r in rows if r["name"] == "Nicolas Maduro")
    assert maduro == {"name": "Nicolas Maduro", "code": "VENGOV", "type": "PER", "aliases": ["Maduro"],
                      "mentions": 4, "articles": 2}
    assert rows[0]["name"] == "Nicolas Maduro"  # most mentioned first


def test_dyads_count_each_happening_once(store):
    # Both articles report the same two RUS-VEN happenings: two events, four reports.
    rows = query.dyads(store, pair="RUS-VEN")
    assert [(r["period"], r["events"], r["reports"], r["quad1"], r["quad2"]) for r in rows] == [
        ("2019-03", 2, 4, 1, 1)]
    assert rows[0]["goldstein_sum"] == pytest.approx(9.5)
    assert rows[0]["goldstein_mean"] == pytest.approx(4.75)
    assert query.dyads(store, pair="VEN-RUS") == []
    weeks = query.dyads(store, period="week")
    # ISO weeks; the event dated only to the month falls in its first report's publication week, as
    # that article is of the same month (else it would fall in no week rather than a wrong one).
    assert {(r["period"], r["events"]) for r in weeks} == {("2019-W11", 2)}
    with pytest.raises(SettingError):
        query.dyads(store, period="fortnight")
    with pytest.raises(SettingError):
        query.dyads(store, pair="RUS-VEN-USA")


def test_dyads_keep_organisations_apart(store):
    store.con.execute(
        "UPDATE resolved_events SET actor2_code = 'IGOUNO', actor2_country = 'IGO' WHERE cameo = '074'")
    sides = {(r["actor1"], r["actor2"]) for r in query.dyads(store, period="year")}
    assert sides == {("RUS", "VEN"), ("RUS", "IGOUNO")}
    assert [r["events"] for r in query.dyads(store, pair="RUS-IGOUNO")] == [1]
