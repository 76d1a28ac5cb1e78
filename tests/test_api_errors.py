"""Every error the API gives, whatever raised it, has one shape: {"ok", "error", "errors", "status"}."""

import pytest
from fastapi.testclient import TestClient
from test_api import api_store  # noqa: F401 -- the shared session store (built once, reused)

from warta import api, query
from warta.errors import StoreError


@pytest.fixture(scope="module")
def client(api_store):  # noqa: F811
    with TestClient(api.create_app(api_store, max_body=10_000), raise_server_exceptions=False) as test_client:
        yield test_client


def assert_error(response, status: int, says: str = "") -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"ok", "error", "errors", "status"}
    assert body["ok"] is False and body["status"] == status
    assert body["errors"] and body["error"] == body["errors"][0]
    assert all(isinstance(message, str) and message for message in body["errors"])
    assert says.lower() in body["error"].lower(), body["error"]
    return body


@pytest.mark.parametrize(("url", "says"), [
    ("/api/articles/no-such-doc", "no article"),
    ("/api/events/123", "no event 123"),
    ("/api/no-such-route", "not found"),
    ("/static/no-such-file.js", "not found"),
])
def test_not_found(client, url, says):
    assert_error(client.get(url), 404, says)


@pytest.mark.parametrize(("url", "says"), [
    ("/api/events?since=kemarin", "--since must be a date"),
    ("/api/events?until=2019/03/01", "--until must be a date"),
    ("/api/events?actor=rus!", "actor"),
    ("/api/events?actor1=12", "actor"),
    ("/api/events?limit=5000", "at most 1000"),
    ("/api/timeline?actor=RU-S", "actor"),
    ("/api/dyads?period=decade", "--period"),
    ("/api/dyads?pair=RUS-VEN-USA", "--pair"),
])
def test_bad_filters(client, url, says):
    assert_error(client.get(url), 400, says)


@pytest.mark.parametrize(("url", "says"), [
    ("/api/events?limit=-1", "query.limit"),
    ("/api/events?offset=x", "query.offset"),
    ("/api/events?format=xml", "query.format"),
    ("/api/events/not-a-number", "path.event_id"),
    ("/api/articles?limit=100000", "query.limit"),
])
def test_validation_errors_have_the_same_shape(client, url, says):
    assert_error(client.get(url), 422, says)


def test_every_validation_error_is_listed(client):
    body = assert_error(client.get("/api/events?limit=-1&offset=-2"), 422)
    assert len(body["errors"]) == 2


@pytest.mark.parametrize(("payload", "status", "says"), [
    ({}, 422, "body.text"),
    ({"text": ""}, 422, "body.text"),
    ({"text": 5}, 422, "body.text"),
    ({"text": "   \n "}, 400, "empty"),
])
def test_analyze_refuses_bad_bodies(client, payload, status, says):
    assert_error(client.post("/api/analyze", json=payload), status, says)


def test_analyze_refuses_malformed_json(client):
    response = client.post("/api/analyze", content=b'{"text": ', headers={"content-type": "application/json"})
    assert_error(response, 422, "json")


def test_analyze_refuses_a_large_body(client):
    text = "Presiden bertemu menteri. " * 1000  # 26 kB; this app takes 10 kB
    assert_error(client.post("/api/analyze", json={"text": text}), 413, "over 10000 bytes")


def test_analyze_refuses_a_large_body_sent_without_a_length(client):
    chunks = (b'{"text": "' + b"a" * 3000, b"b" * 3000, b"c" * 3000, b"d" * 3000 + b'"}')
    response = client.post("/api/analyze", content=iter(chunks), headers={"content-type": "application/json"})
    assert_error(response, 413, "over 10000 bytes")


def test_wrong_method(client):
    body = assert_error(client.post("/api/events"), 405)
    assert body["error"] == "Method Not Allowed"


def test_an_unexpected_error_keeps_the_shape_and_hides_the_details(client, monkeypatch):
    def broken(store):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(query, "entities", broken)
    body = assert_error(client.get("/api/entities"), 500, "internal error")
    assert "secret" not in body["error"]


def test_create_app_refuses_what_is_not_a_store(tmp_path):
    with pytest.raises(StoreError):
        api.create_app(tmp_path / "missing.duckdb")
    empty = tmp_path / "empty.duckdb"
    import duckdb

    duckdb.connect(str(empty)).close()
    with pytest.raises(StoreError, match="not a Warta store"):
        api.create_app(empty)
