import json
from pathlib import Path

import pytest

from warta.doc import Actor, Article, Event, Evidence
from warta.stories import (
    StoryIndex,
    bcubed,
    body_text,
    date_interval,
    evaluate_corpus,
    read_labelled_corpus,
    resolve_events,
    roots_compatible,
    shingles,
)

FIXTURES = Path(__file__).parent / "fixtures" / "stories"


def _article(doc: str, text: str, published: str | None, source: str = "contoh.id", events=()) -> Article:
    return Article(
        doc=doc, id=doc, raw=text, text=text, published=published, source=source, events=list(events)
    )


def _event(
    text: str, actor1: str, actor2: str, root: str, date: str | None, modality: str = "asserted"
) -> Event:
    return Event(
        actor1=Actor(actor1, actor1),
        actor2=Actor(actor2, actor2),
        cameo=root + "0",
        root=root,
        plover=None,
        goldstein=None,
        quad_class=None,
        date=date,
        date_precision="day" if date else "unknown",
        modality=modality,
        negated=False,
        evidence=Evidence(0, 0, len(text), text),
        rule="test",
    )


def _fixture() -> dict[str, Article]:
    articles, _, _ = read_labelled_corpus(FIXTURES)
    return {a.doc: a for a in articles}


def test_fixture_corpus_is_large_enough_and_short():
    articles, stories, duplicates = read_labelled_corpus(FIXTURES)
    assert len(articles) >= 40
    assert len(set(stories.values())) >= 6
    assert len(set(duplicates.values())) < len(articles)  # there are copies
    for article in articles:
        assert 55 <= len(article.text.split()) <= 160, article.doc


def test_header_is_left_out_of_the_body():
    article = _article("x", "JAKARTA, Contoh.com - Gempa mengguncang kota itu pada Jumat.", None)
    assert body_text(article) == "Gempa mengguncang kota itu pada Jumat."
    prose = _article(
        "y", "Pemerintah menyatakan - dengan tegas - bahwa bantuan sudah tiba di lokasi bencana.", None
    )
    assert body_text(prose) == prose.text


def test_shingles_ignore_case_and_punctuation():
    assert shingles("Satu, dua tiga empat LIMA enam.") == shingles("satu dua tiga empat lima enam")
    assert len(shingles("satu dua tiga empat lima enam")) == 2


def test_syndicated_copy_is_linked_and_canonical_is_earliest():
    articles = _fixture()
    index = StoryIndex()
    copy, original = articles["a3"], articles["a1"]  # a3 is a1 from another outlet, a day later
    index.assign(copy)
    index.assign(original)
    assert index.entry("a1").group == index.entry("a3").group
    assert index.canonical(index.entry("a1").group) == "a1"
    assert index.entry("a1").story == index.entry("a3").story


def test_rewrite_is_not_a_duplicate_but_same_story():
    articles = _fixture()
    index = StoryIndex()
    for doc in ("a1", "a4"):
        index.assign(articles[doc])
    assert index.entry("a1").group != index.entry("a4").group
    assert index.entry("a1").story == index.entry("a4").story


def test_same_actors_years_apart_are_two_stories():
    articles = _fixture()
    index = StoryIndex()
    stories = {index.assign(articles[doc]) for doc in ("a1", "a5", "b1", "b4")}
    assert index.entry("a1").story == index.entry("a5").story
    assert index.entry("b1").story == index.entry("b4").story
    assert len(stories) == 2


def test_assign_is_idempotent():
    articles = _fixture()
    index = StoryIndex()
    first = index.assign(articles["c1"])
    assert index.assign(articles["c1"]) == first
    assert len(index) == 1


def test_fixture_scores_meet_targets():
    scores = evaluate_corpus(FIXTURES)
    assert scores["stories"][2] >= 0.9
    assert scores["duplicates"][2] >= 0.95


def test_story_summary_has_title_dates_actors_and_sentences():
    articles = _fixture()
    index = StoryIndex()
    for doc in ("c1", "c2", "c3", "c5"):
        index.assign(articles[doc])
    story = index.story(index.entry("c1").story)
    assert story.title in {articles[d].title for d in ("c1", "c3", "c5")}  # a copy's title never wins
    assert (story.first_published, story.last_published) == ("2018-09-29", "2018-10-01")
    assert story.actors == ["IDN"]
    assert 2 <= len(story.summary) <= 3
    assert all(any(s in articles[d].text for d in ("c1", "c3", "c5")) for s in story.summary)
    # c1 and its copy c2 appeared the same day; c2 is longer ("masih" added), so it is canonical
    assert story.duplicate_groups == {"c2": ["c1"], "c3": [], "c5": []} and story.num_sources == 3


def test_index_persists_in_the_store(tmp_path):
    from warta.store import Store

    articles = _fixture()
    with Store(tmp_path / "s.duckdb") as store:
        for doc in ("a1", "a4", "g1"):
            store.stories.assign(articles[doc])  # each call writes its rows: nothing to flush
        story = store.stories.entry("a1").story
    with Store(tmp_path / "s.duckdb") as store:
        index = store.stories
        assert index.assign(articles["a2"]) == story  # copy found after reopening
        assert index.entry("a2").group == "a1"
        assert index.assign(articles["a5"]) == story  # story found after reopening
        assert index.story(story).articles == ["a1", "a4", "a2", "a5"]
        assert len(index) == 5


def _story_tables(index: StoryIndex) -> dict[str, list]:
    """The whole state of an index, JSON parsed (key order of a dict is not state)."""
    tables = {}
    for table, order in (("story_articles", "seq"), ("stories", "id"),
                         ("story_bands", "article_id, band_key"), ("story_postings", "posting, story_id"),
                         ("story_terms", "term"), ("story_state", "name")):
        rows = index.con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        tables[table] = [[json.loads(v) if isinstance(v, str) and v[:1] == "{" else v for v in row]
                         for row in rows]
    return tables


def test_batch_assignment_equals_one_article_at_a_time():
    articles, _, _ = read_labelled_corpus(FIXTURES)
    feed = sorted(articles, key=lambda a: (a.published or "9999", a.doc))
    one_by_one = StoryIndex()
    for article in feed:
        one_by_one.assign(article)
    batched = StoryIndex()
    entries = batched.assign_many(feed[:30])  # copies and rewrites of one story inside one batch
    entries += batched.assign_many(feed[30:])
    assert [e.id for e in entries] == [a.id for a in feed]
    assert _story_tables(batched) == _story_tables(one_by_one)
    assert batched.assign_many([feed[3], feed[3]]) == [entries[3], entries[3]]  # idempotent
    assert len(batched) == len(feed)


def test_a_story_started_in_a_batch_is_a_candidate_later_in_it():
    articles = _fixture()
    index = StoryIndex()
    a1, a3, a4 = index.assign_many([articles["a1"], articles["a3"], articles["a4"]])
    assert a3.group == a1.id and a3.story == a1.id  # a copy of an article of the same batch
    assert a4.story == a1.id and a4.group == a4.id  # a rewrite joins the story the batch started


def test_store_assigns_stories_and_resolves_events_as_it_ingests(tmp_path):
    from warta.store import Store

    articles = _fixture()
    for doc in ("a1", "a2", "a4"):
        articles[doc].events = [_event("tiba", "RUSMIL", "VEN", "06", "2019-03-23", "reported")]
    with Store(tmp_path / "s.duckdb") as store:
        store.add_many([articles["a1"]])
        store.add_many([articles["a2"], articles["a4"]])  # a later batch joins the stored event
        (resolved,) = store.resolved_events()
        row = store.con.execute("SELECT num_articles, num_sources FROM resolved_events").fetchone()
    assert (resolved.num_articles, resolved.num_sources) == (3, 2) == row
    assert [e["article"] for e in resolved.evidence][0] == "a1"


def test_bcubed():
    assert bcubed({"a": "1", "b": "1"}, {"a": "x", "b": "x"}) == (1.0, 1.0, 1.0)
    precision, recall, _ = bcubed({"a": "1", "b": "1", "c": "1"}, {"a": "x", "b": "x", "c": "y"})
    assert recall == 1.0 and precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)


def test_roots_and_dates_compatibility():
    assert roots_compatible("04", "06") and roots_compatible("06", "07") and roots_compatible("12", "12")
    assert not roots_compatible("04", "19")
    assert date_interval("2019-03", "month") == (
        date_interval("2019-03-01", "day")[0],
        date_interval("2019-03-31", "day")[0],
    )
    assert date_interval("2019-03-23", "publication") is None
    assert date_interval("XXXX-05", "month") is None


def test_resolve_events_counts_copies_once():
    articles = _fixture()
    deploy = {
        "a1": _event("Dua pesawat militer Rusia mendarat", "RUSMIL", "VEN", "04", "2019-03-23", "reported"),
        "a2": _event("Dua pesawat militer Rusia mendarat", "RUSMIL", "VEN", "04", "2019-03-23", "reported"),
        "a4": _event("Sekitar seratus tentara Rusia tiba", "RUSMIL", "VEN", "06", None),
        "a5": _event(
            "pesawat militer Rusia mengangkut sekitar 100 personel",
            "RUSMIL",
            "VENGOV",
            "07",
            "2019-03-23/2019-03-24",
        ),
    }
    demand = _event("Trump meminta Rusia menarik pasukannya", "USAGOV", "RUS", "10", "2019-03-27")
    for doc, event in deploy.items():
        articles[doc].events = [event] + ([demand] if doc == "a5" else [])
    resolved = resolve_events(articles[d] for d in ("a1", "a2", "a4", "a5"))
    (deployment,) = [r for r in resolved if r.actor1 == "RUSMIL"]
    assert deployment.num_articles == 4
    assert deployment.num_sources == 3  # a2 is a copy of a1
    assert deployment.date == "2019-03-23" and deployment.roots == ["04", "06", "07"]
    assert (deployment.first_seen, deployment.last_seen) == ("2019-03-25", "2019-03-28")
    assert {e["article"] for e in deployment.evidence} == set(deploy)
    assert deployment.confidence == pytest.approx(1 - (1 - 0.45) * (1 - 0.6) * (1 - 0.6))
    assert [r.actor1 for r in resolved].count("USAGOV") == 1
    assert deployment.evidence[0]["article"] == "a1"  # the earliest report represents it


def test_resolve_events_keeps_incompatible_dates_and_roots_apart():
    articles = _fixture()
    articles["a1"].events = [_event("a", "RUSMIL", "VEN", "06", "2019-03-23")]
    articles["a4"].events = [
        _event("b", "RUSMIL", "VEN", "06", "2019-02-10"),
        _event("c", "RUSMIL", "VEN", "19", "2019-03-23"),
    ]
    resolved = resolve_events([articles["a1"], articles["a4"]])
    assert len(resolved) == 3 and all(r.num_articles == 1 for r in resolved)


# --- the real seeds ------------------------------------------------------------------------------


def _seed_articles(shared: Path, stages: list[str]) -> list[Article]:
    """Run ``stages`` over the seeds; publication dates come from the gold file where the stages give none."""
    from warta.ingest import article_from_text
    from warta.pipeline import Pipeline

    gold = {json.loads(line)["doc"]: json.loads(line) for line in (shared / "gold" / "seeds.jsonl").open()}
    pipeline = Pipeline(stages)
    articles = []
    for path in sorted((shared / "corpus" / "seeds").glob("*.txt")):
        article = pipeline(article_from_text(path.read_text(encoding="utf-8"), doc=path.stem))
        article.published = article.published or gold[path.stem]["published"]  # what a feed would give
        articles.append(article)
    return articles


def test_seeds_form_two_stories(shared):
    pytest.importorskip("warta.clean")
    articles = _seed_articles(shared, ["clean"])
    index = StoryIndex()
    story = {a.doc[:3]: index.assign(a) for a in articles}
    assert index.story(story["000"]).first_published == "2019-03-25"
    assert story["000"] == story["001"] == story["002"]
    assert story["003"] == story["004"]
    assert story["000"] != story["003"]


def _country(actor) -> str:
    return (actor.code or "")[:3] if actor else ""


def _is_deployment(event) -> bool:
    """Russian personnel arriving in Venezuela on 23 March 2019, under any root coders defend."""
    return (
        (_country(event.actor1), _country(event.actor2)) == ("RUS", "VEN")
        and event.root[:2] in {"04", "06", "07"}
        and (event.date or "").startswith("2019-03-23")
    )


def test_seed_deployment_resolves_to_one_event_from_three_articles(shared):
    pytest.importorskip("warta.events")
    articles = _seed_articles(shared, ["clean", "language", "entities", "time", "quotes", "events"])
    if any(a.errors for a in articles):
        pytest.xfail(f"the per-article stages fail on the seeds: {[a.errors for a in articles]}")
    missing = [a.doc[:3] for a in articles[:3] if not any(_is_deployment(e) for e in a.events)]
    if missing:
        pytest.xfail(f"the event coder does not code the RUS->VEN deployment of 23 March 2019 in {missing}")
    resolved = resolve_events(articles)
    deployments = [
        r
        for r in resolved
        if (r.actor1 or "")[:3] == "RUS"
        and (r.actor2 or "")[:3] == "VEN"
        and (r.date or "").startswith("2019-03-23")
    ]
    assert any(r.num_articles == 3 and r.num_sources == 3 for r in deployments), deployments
