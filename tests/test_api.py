import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from warta import api, export, query
from warta.cli import cli
from warta.ingest import read
from warta.pipeline import Pipeline, analyze
from warta.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


@pytest.fixture(scope="session")
def api_store(tmp_path_factory) -> Path:
    """A store of the bundled examples, ingested once per session (test_api_errors.py shares it)."""
    path = tmp_path_factory.getbasetemp() / "api-store" / "warta.duckdb"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        pipeline = Pipeline()
        with Store(path) as store:
            store.add_many(pipeline.pipe(read([EXAMPLES])), pipeline.versions)
    return path


@pytest.fixture(scope="module")
def client(api_store):
    with TestClient(api.create_app(api_store)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def store(api_store):
    with Store(api_store, read_only=True) as opened:
        yield opened


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    return body


def ids(rows) -> list[str]:
    return [str(row["event_id"]) for row in rows]


def test_health_reports_the_store(client, store):
    body = ok(client.get("/api/health"))
    assert body["counts"] == store.counts()
    assert body["counts"]["articles"] == len(list(EXAMPLES.glob("*.txt")))
    assert body["schema_version"] >= 1


def test_events_page_through_every_event_in_order(client, store):
    everything = query.events(store)
    assert everything, "the examples should give events"
    first = ok(client.get("/api/events"))
    assert first["total"] == len(everything) and first["limit"] == api.PAGE_SIZE
    paged = []
    for offset in range(0, len(everything), 4):
        page = ok(client.get("/api/events", params={"limit": 4, "offset": offset}))
        assert page["offset"] == offset and page["total"] == len(everything)
        paged += page["events"]
    assert ids(paged) == ids(everything)


@pytest.mark.parametrize("filters", [
    {"actor": "IDN"}, {"actor1": "IDN"}, {"actor2": "IDN"}, {"root": "4"}, {"since": "2024-06"},
    {"until": "2023"}, {"since": "2024", "until": "2024-12-31"}, {"source": "warta"},
    {"actor": "IDN", "root": "04"},
])
def test_event_filters_match_the_library(client, store, filters):
    expected = query.events(store, **filters)
    body = ok(client.get("/api/events", params={**filters, "limit": 1000}))
    assert ids(body["events"]) == ids(expected)
    assert body["total"] == len(expected)


def test_event_filters_narrow_the_events(client, store):
    every = ok(client.get("/api/events", params={"limit": 1000}))["events"]
    for event in ok(client.get("/api/events", params={"actor": "IDN"}))["events"]:
        assert "IDN" in (event["actor1_country"], event["actor2_country"])
    rooted = ok(client.get("/api/events", params={"root": "4"}))["events"]
    assert all(e["root"] == "04" for e in rooted) and 0 < len(rooted) < len(every)
    doc = every[0]["doc"]
    one_doc = ok(client.get("/api/events", params={"doc": doc}))["events"]
    assert one_doc and {e["doc"] for e in one_doc} == {doc}


def test_json_events_carry_their_id_as_a_string_and_the_cameo_name(client):
    event = ok(client.get("/api/events", params={"limit": 1}))["events"][0]
    assert isinstance(event["event_id"], str) and event["event_id"].isdigit()
    assert event["cameo_name"] == query.cameo_name(event["cameo"])


def test_csv_export_streams_what_the_cli_writes(client, store, monkeypatch):
    monkeypatch.setattr(api, "STREAM_CHUNK", 2)  # many chunks: one header, and the cursor outlives each
    response = client.get("/api/events", params={"format": "csv", "actor": "IDN"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="events.csv"' in response.headers["content-disposition"]
    expected = io.StringIO()
    export.write_csv(query.iter_events(store, actor="IDN"), expected)
    assert response.text == expected.getvalue()
    assert response.text.count("event_id,") == 1


def test_jsonl_and_gdelt_exports(client, store):
    total = len(query.events(store))
    lines = client.get("/api/events", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == total and all(json.loads(line)["event_id"] for line in lines)
    gdelt = client.get("/api/events", params={"format": "gdelt", "limit": 3, "offset": 1})
    assert gdelt.headers["content-type"].startswith("text/tab-separated-values")
    rows = [line.split("\t") for line in gdelt.text.splitlines()]
    assert len(rows) == 3 and all(len(row) == len(export.GDELT_COLUMNS) for row in rows)
    resolved = list(query.iter_resolved(store))  # one row per resolved event, as the CLI writes
    assert [row[0] for row in rows] == ids(resolved)[1:4]
    expected = io.StringIO()
    export.write_rows(query.iter_resolved(store), "gdelt", expected)
    assert client.get("/api/events", params={"format": "gdelt"}).text == expected.getvalue()


def test_one_event_by_id(client, store):
    expected = query.events(store, limit=1)[0]
    event = ok(client.get(f"/api/events/{expected['event_id']}"))["event"]
    assert event["event_id"] == str(expected["event_id"]) and event["doc"] == expected["doc"]
    assert event["evidence_text"] == expected["evidence_text"]


def test_timeline_matches_the_library(client, store):
    body = ok(client.get("/api/timeline", params={"actor": "IDN"}))
    assert ids(body["events"]) == ids(query.timeline(store, actor="IDN"))
    sources = [e["when_source"] for e in ok(client.get("/api/timeline"))["events"]]
    assert sources == sorted(sources, key=lambda s: s != "event"), "text-dated events come first"


def test_entities_match_the_library(client, store):
    entities = ok(client.get("/api/entities"))["entities"]
    assert entities and entities == json.loads(json.dumps(query.entities(store)))


@pytest.mark.parametrize("params", [{}, {"period": "year"}, {"period": "week"}, {"pair": "IDN"}])
def test_dyads_match_the_library(client, store, params):
    body = ok(client.get("/api/dyads", params=params))
    assert body["dyads"] == query.dyads(store, **params)
    assert body["period"] == params.get("period", "month")


def test_cameo_roots(client):
    roots = ok(client.get("/api/cameo"))["roots"]
    assert [r["code"] for r in roots] == [f"{n:02d}" for n in range(1, 21)]
    assert all(r["name"] for r in roots)


def test_articles_list_and_doc_filter(client, store):
    body = ok(client.get("/api/articles"))
    assert body["total"] == store.counts()["articles"] == len(body["articles"])
    assert sum(a["events"] for a in body["articles"]) == store.counts()["events"]
    doc = body["articles"][0]["doc"]
    one = ok(client.get("/api/articles", params={"doc": doc}))
    assert one["total"] == 1 and one["articles"][0]["doc"] == doc
    assert len(ok(client.get("/api/articles", params={"limit": 3, "offset": 8}))["articles"]) == 2


def test_article_evidence_can_be_cut_from_its_text(client, store):
    """The point of the article view: each event's evidence is found at its offsets in the text."""
    checked = 0
    for listed in ok(client.get("/api/articles"))["articles"]:
        article = ok(client.get(f"/api/articles/{listed['doc']}"))["article"]
        assert article["id"] == listed["id"] and len(article["events"]) == listed["events"]
        text = article["text"]
        assert article["sentences"] and all(text[s["start"]:s["end"]].strip() for s in article["sentences"])
        for event in article["events"]:
            span = event["evidence"]
            assert text[span["start"]:span["end"]] == span["text"]
            assert event["cameo_name"] == query.cameo_name(event["cameo"])
            checked += 1
        for event in article["events"][:1]:  # its id resolves to the same stored event
            stored = ok(client.get(f"/api/events/{event['event_id']}"))["event"]
            assert stored["doc"] == listed["doc"] and stored["evidence_text"] == event["evidence"]["text"]
    assert checked == store.counts()["events"]


def test_article_by_id_as_well_as_doc(client):
    listed = ok(client.get("/api/articles", params={"limit": 1}))["articles"][0]
    assert ok(client.get(f"/api/articles/{listed['id']}"))["article"]["doc"] == listed["doc"]


def test_analyze_returns_the_pipeline_article_and_stores_nothing(client):
    before = ok(client.get("/api/health"))["counts"]
    text = ("JAKARTA - Menteri Luar Negeri Indonesia bertemu Menteri Luar Negeri Jepang di Tokyo pada "
            "Senin (4/3/2024). Keduanya sepakat memperluas kerja sama perdagangan.")
    body = ok(client.post("/api/analyze", json={"text": text, "title": "Uji", "published": "2024-03-05"}))
    expected = analyze(text, doc="text", title="Uji", published="2024-03-05").to_dict()
    got = body["article"]
    assert got["events"], "the text says who met whom"
    names = [e.pop("cameo_name") for e in got["events"]]
    assert names == [query.cameo_name(e["cameo"]) for e in expected["events"]]
    assert got == json.loads(json.dumps(expected))
    assert got["title"] == "Uji" and got["published"].startswith("2024-03-05")
    assert ok(client.get("/api/health"))["counts"] == before


def test_index_and_static_files_are_served_and_need_no_network(client):
    index = client.get("/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', index.text)
    assert sorted(assets) == ["/static/app.js", "/static/style.css"]
    for path in assets:
        response = client.get(path)
        assert response.status_code == 200 and response.text
    assert "javascript" in client.get("/static/app.js").headers["content-type"]
    for name in ("index.html", "app.js", "style.css"):
        assert not re.search(r"https?://", (api.WEB / name).read_text(encoding="utf-8")), name


def test_concurrent_requests_each_get_their_own_cursor(client):
    doc = ok(client.get("/api/articles", params={"limit": 1}))["articles"][0]["doc"]
    urls = ["/api/events?limit=1000", f"/api/articles/{doc}", "/api/dyads", "/api/timeline"] * 8
    expected = {url: client.get(url).json() for url in set(urls)}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda url: (url, client.get(url)), urls))
    for url, response in answers:
        assert response.status_code == 200 and response.json() == expected[url]


def test_openapi_lists_every_route(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/api/events", "/api/events/{event_id}", "/api/timeline", "/api/entities", "/api/dyads",
            "/api/articles", "/api/articles/{doc}", "/api/analyze", "/api/health"} <= paths


def test_serve_command_runs_uvicorn_on_the_store(api_store, monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    result = CliRunner().invoke(cli, ["serve", "--db", str(api_store), "--port", "8123"])
    assert result.exit_code == 0, result.output
    [(app, options)] = calls
    assert options == {"host": "127.0.0.1", "port": 8123}
    assert TestClient(app).get("/api/health").json()["store"] == str(api_store)


def test_serve_refuses_a_missing_store(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 1 and "store" in result.output.lower()
