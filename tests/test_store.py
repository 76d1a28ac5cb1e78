import duckdb
import pytest

from warta.doc import Actor, Article, Entity, Event, Evidence, Mention, Quote, Sentence, Timex
from warta.errors import StoreError
from warta.store import Store, event_id, migrations

VERSIONS = {"clean": "clean.v1", "events": "events.v1"}

# Our own words, not from any corpus.
SAMPLE_TEXT = (
    "Menteri Luar Negeri Rusia Sergei Lavrov bertemu Presiden Venezuela Nicolas Maduro di Caracas "
    "pada Selasa (12/3/2019). "
    "Pekan lalu Moskow mengirim dua pesawat militer ke Venezuela, kata juru bicara Kremlin. "
    "\"Kami tidak akan mundur,\" ujar Maduro."
)


def _span(text: str, words: str, after: int = 0) -> tuple[int, int]:
    start = text.index(words, after)
    return start, start + len(words)


def sample_article(doc: str = "sample", article_id: str = "a1", published: str | None = "2019-03-13"
                   ) -> Article:
    """Build an analysed article by hand, with one of every record."""
    text = SAMPLE_TEXT
    ends = [text.index(". ") + 1, text.index("Kremlin.") + len("Kremlin."), len(text)]
    starts = [0, ends[0] + 1, ends[1] + 1]
    sentences = [Sentence(i, s, e, text[s:e], paragraph=0 if i == 0 else 1) for i, (s, e) in
                 enumerate(zip(starts, ends, strict=True))]

    def mention(words, sentence, type_, code, entity, after=0):
        s, e = _span(text, words, after)
        return Mention(words, s, e, sentence, type_, code, entity, rule="gazetteer")

    mentions = [
        mention("Sergei Lavrov", 0, "PER", "RUSGOV", 0),
        mention("Nicolas Maduro", 0, "PER", "VENGOV", 1),
        mention("Moskow", 1, "GPE", "RUS", 2),
        mention("Venezuela", 1, "GPE", "VEN", 3, after=starts[1]),
        mention("Maduro", 2, "PER", "VENGOV", 1, after=starts[2]),
    ]
    entities = [
        Entity(0, "Sergei Lavrov", "PER", "RUSGOV", ["Lavrov"], [0]),
        Entity(1, "Nicolas Maduro", "PER", "VENGOV", ["Maduro"], [1, 4], qid="Q57413"),
        Entity(2, "Rusia", "GPE", "RUS", ["Moskow"], [2]),
        Entity(3, "Venezuela", "GPE", "VEN", [], [3]),
    ]
    t1 = _span(text, "Selasa (12/3/2019)")
    t2 = _span(text, "Pekan lalu")
    timexes = [
        Timex(text[t1[0]:t1[1]], *t1, 0, "2019-03-12", "day", "2019-03-13", rule="weekday-date"),
        Timex("Pekan lalu", *t2, 1, "2019-W10", "week", "2019-03-13", rule="relative-week"),
    ]
    q = _span(text, "Kami tidak akan mundur,")
    quotes = [Quote(text[q[0]:q[1]], *q, 2, "Maduro", "VENGOV", True)]
    e1 = _span(text, "bertemu")
    e2 = _span(text, "mengirim dua pesawat militer")
    events = [
        Event(Actor("Sergei Lavrov", "RUSGOV", 0), Actor("Nicolas Maduro", "VENGOV", 1), "040", "04",
              "CONSULT", 1.0, 1, "2019-03-12", "day", "asserted", False,
              Evidence(0, *e1, "bertemu"), "verb:temu", place="Caracas"),
        Event(Actor("Moskow", "RUSMIL", 2), Actor("Venezuela", "VEN", 3), "074", "07", "AID", 8.5, 2,
              "2019-03", "month", "reported", False,
              Evidence(1, *e2, text[e2[0]:e2[1]]), "verb:kirim", attribution="juru bicara Kremlin",
              mentions=2),
        Event(Actor("Nicolas Maduro", "VENGOV", 1), None, "190", "19", "ASSAULT", -10.0, 4, None,
              "publication", "intended", True, Evidence(2, *q, text[q[0]:q[1]]), "verb:mundur"),
    ]
    return Article(
        doc=doc, id=article_id, raw=text, text=text, title="Lavrov bertemu Maduro", source="Contoh News",
        url=f"https://example.org/{doc}", published=published, published_source="input", dateline="Caracas",
        removed=["Baca Juga: ..."], paragraphs=[(0, ends[0]), (starts[1], len(text))], sentences=sentences,
        mentions=mentions, entities=entities, timexes=timexes, quotes=quotes, events=events,
        meta={"source": "Contoh News"},
    )


class FakeRejected:
    def __init__(self, doc, source, reason):
        self.doc, self.source, self.reason = doc, source, reason


@pytest.fixture
def store():
    with Store(":memory:") as s:
        yield s


def test_migrations_are_numbered_and_applied(store):
    versions = [v for v, _, _ in migrations()]
    assert versions == sorted(versions) and versions[0] == 1
    assert store.schema_version() == versions[-1]
    assert store.migrate() == []  # nothing left to apply


def test_add_stores_every_record(store):
    assert store.add(sample_article(), VERSIONS) == "added"
    assert store.counts() == {"articles": 1, "sentences": 3, "entities": 4, "mentions": 5, "timexes": 2,
                              "quotes": 1, "events": 3, "rejects": 0}
    row = next(store.rows("SELECT * FROM event_rows WHERE idx = 1"))
    assert row["actor1_country"] == "RUS" and row["actor2_code"] == "VEN"
    assert row["doc"] == "sample" and row["source"] == "Contoh News" and row["published"] == "2019-03-13"
    assert row["evidence_text"] == SAMPLE_TEXT[row["evidence_start"]:row["evidence_end"]]
    assert row["when_date"] == "2019-03" and row["when_source"] == "event"
    assert row["event_id"] == event_id("a1", 1)


def test_round_trip_gives_the_same_output_contract(store):
    article = sample_article()
    store.add(article, VERSIONS)
    again = store.article("sample")
    assert again.to_dict() == article.to_dict()
    assert [s.text for s in again.sentences] == [s.text for s in article.sentences]
    assert store.article("no-such-doc") is None


def test_add_is_idempotent(store):
    article = sample_article()
    store.add(article, VERSIONS)
    before = store.counts()
    assert store.add(article, VERSIONS) == "unchanged"
    assert store.counts() == before
    assert store.add(article, {"events": "events.v2"}) == "updated"
    assert store.counts() == before


def test_add_many_counts_outcomes_and_keeps_rejects(store):
    items = [sample_article(), sample_article("other", "a2"), sample_article(),
             FakeRejected("empty", "empty.txt", "the file is empty")]
    result = store.add_many(items, VERSIONS, batch=2)
    assert (result.added, result.unchanged, result.rejected, result.events) == (2, 1, 1, 6)
    store.add_many([FakeRejected("empty", "empty.txt", "the file is empty")])
    assert store.counts()["rejects"] == 1
    assert next(store.rows("SELECT reason FROM rejects"))["reason"] == "the file is empty"


def test_a_file_store_survives_reopening(tmp_path):
    path = tmp_path / "w.duckdb"
    with Store(path) as s:
        s.add(sample_article(), VERSIONS)
    with Store(path, read_only=True) as s:
        assert s.counts()["events"] == 3


def test_read_only_open_of_a_non_store_is_a_clear_error(tmp_path):
    path = tmp_path / "plain.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(StoreError, match="not a Warta store"):
        Store(path, read_only=True)
