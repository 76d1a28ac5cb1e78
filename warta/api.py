"""The HTTP API and web UI: thin FastAPI routes over :mod:`warta.query`, :mod:`warta.store` and the pipeline.

``create_app(db_path)`` serves one store, read-only. Every JSON answer is ``{"ok": true, ...}``; every error,
whatever raised it (a :class:`~warta.errors.WartaError`, an unknown route, a failed validation, a body too
large), is ``{"ok": false, "error": "...", "errors": [...], "status": N}`` with that HTTP status. The web UI
(``warta/web/``) is plain HTML, CSS and JavaScript served from the package: it needs no network.

The app holds one read-only DuckDB connection and gives each request a cursor of its own: a DuckDB
connection is not thread-safe, but each cursor is a connection of its own to the same database, and costs
about 0.5 ms where opening the file costs about 60 ms (measured on the bundled sample). Holding the file
open means ``warta ingest`` cannot write to it while the server runs: DuckDB allows one writing process or
several reading ones, not both.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from contextlib import asynccontextmanager
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import warta

from . import export, query
from .errors import BadInput, SettingError, WartaError
from .pipeline import analyze as analyze_text
from .store import Store, event_id

WEB = Path(__file__).parent / "web"

# The largest request body: POST /api/analyze runs the whole pipeline inside the request; a news article
# is rarely over 100 kB, so 1 MB leaves room and still answers within seconds. More is for `warta ingest`.
MAX_BODY_BYTES = 1_000_000

PAGE_SIZE = 100  # events per JSON page unless ?limit= says otherwise
MAX_PAGE = 1000  # JSON pages are built in memory; csv, jsonl and gdelt stream without a cap
STREAM_CHUNK = 500  # rows per chunk written to a streamed export

EXPORTS = {  # format -> (media type, file extension)
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "gdelt": ("text/tab-separated-values; charset=utf-8", "tsv"),
}


class _Cursor(Store):
    """A store for one request: a cursor on the app's shared read-only connection (see the module doc)."""

    def __init__(self, shared: Store):  # not Store.__init__: there is nothing to open or migrate
        self.path = shared.path
        self.con = shared.con.cursor()


class AnalyzeRequest(BaseModel):
    """A text to analyse without storing it, with the metadata that overrides what the text says."""

    text: str = Field(min_length=1, description="The article as found, boilerplate included.")
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = Field(None, description="ISO date or datetime of publication.")
    doc: str = Field("text", description="The name to give the article.")


class _BodyLimit:
    """ASGI middleware refusing request bodies over ``limit`` bytes with a 413 in the API's error shape.

    Starlette's own limit answers 413 in plain text whenever the request declares its length.
    """

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = (f"The request body is over {self.limit} bytes: send a shorter text, or store large inputs "
                   "with `warta ingest`.")
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            return await _error(413, [message])(scope, receive, send)
        received = 0

        async def limited() -> Message:  # for bodies sent without a length, or longer than declared
            nonlocal received
            got = await receive()
            received += len(got.get("body", b""))
            if received > self.limit:
                raise HTTPException(413, message)  # FastAPI re-raises it to the handler below
            return got

        await self.app(scope, limited, send)


def _error(status: int, messages: list[str], headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"ok": False, "error": messages[0], "errors": messages, "status": status},
                        status_code=status, headers=headers)


def _validation_message(error: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid"))


def _store(request: Request) -> Iterator[Store]:
    """Dependency: a cursor store for this request, closed after the response (streamed ones too)."""
    store = _Cursor(request.app.state.store)
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(_store)]


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """An event row for JSON: ``event_id`` as a string, since 56-bit ids exceed JavaScript's exact 2**53."""
    if row.get("event_id") is not None:
        row["event_id"] = str(row["event_id"])
    if "cameo" in row and "cameo_name" not in row:
        row["cameo_name"] = query.cameo_name(row["cameo"])
    return row


def _stream(rows: Iterable[dict[str, Any]], fmt: str) -> Iterator[str]:
    """Yield an export of ``rows`` in chunks, written by :func:`warta.export.write_rows`.

    CSV writes its header with each chunk's first row, so it is kept from the first chunk only.
    """
    rows = iter(rows)
    first = True
    while chunk := list(islice(rows, STREAM_CHUNK)):
        out = io.StringIO()
        export.write_rows(chunk, fmt, out)
        text = out.getvalue()
        if fmt == "csv" and not first:
            text = text.split("\n", 1)[1]
        first = False
        yield text


def create_app(db_path: str | Path, *, max_body: int = MAX_BODY_BYTES) -> FastAPI:
    """Return the FastAPI app serving the store at ``db_path`` read-only, with the web UI at ``/``.

    :param max_body: the largest request body accepted, in bytes; larger ones get a 413.

    :raises StoreError: when ``db_path`` cannot be opened or is not a Warta store.
    """
    shared = Store(db_path, read_only=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        shared.close()

    app = FastAPI(title="Warta", summary=warta.__doc__, lifespan=lifespan)
    app.state.store = shared
    app.add_middleware(_BodyLimit, limit=max_body)

    @app.exception_handler(WartaError)
    async def warta_error(request: Request, error: WartaError) -> JSONResponse:
        return _error(error.status, [str(error)])

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error(422, [_validation_message(e) for e in error.errors()] or ["Invalid request."])

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return _error(error.status_code, [str(error.detail)], error.headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> JSONResponse:
        return _error(500, [f"Internal error ({type(error).__name__}); the server log has the details."])

    @app.get("/api/health", tags=["store"])
    def health(store: StoreDep) -> dict[str, Any]:
        """The store served, its schema version and its row counts."""
        from importlib.metadata import version

        return {"ok": True, "version": version("warta"), "store": store.path,
                "schema_version": store.schema_version(), "counts": store.counts()}

    @app.get("/api/events", tags=["events"], response_model=None)
    def events(
        store: StoreDep,
        actor: Annotated[str | None, Query(description="Actor code (RUSGOV) or country (RUS), either side.")]
        = None,
        actor1: Annotated[str | None, Query(description="Source actor code or country.")] = None,
        actor2: Annotated[str | None, Query(description="Target actor code or country.")] = None,
        root: Annotated[str | None, Query(description="CAMEO root code, e.g. 19.")] = None,
        since: Annotated[str | None, Query(description="Dated on or after: 2019, 2019-03, 2019-03-01.")]
        = None,
        until: Annotated[str | None, Query(description="Dated on or before this date.")] = None,
        source: Annotated[str | None, Query(description="Part of the source's name or URL.")] = None,
        doc: Annotated[str | None, Query(description="One article's doc name or id.")] = None,
        limit: Annotated[int | None, Query(ge=0, description=f"JSON: default {PAGE_SIZE}, "
                                           f"at most {MAX_PAGE}; exports: all unless given.")] = None,
        offset: Annotated[int, Query(ge=0)] = 0,
        format: Annotated[Literal["json", "csv", "jsonl", "gdelt"], Query()] = "json",
    ) -> dict[str, Any] | StreamingResponse:
        """Stored events matching the filters of `warta events`, oldest first.

        As JSON, one page (`events`, `total`, `limit`, `offset`); as csv, jsonl or gdelt (GDELT 2.0 TSV),
        every matching event, streamed, exactly as `warta events --format ...` writes them: gdelt has
        one row per resolved event (copies and rewrites merged), the others one per article's report.
        """
        filters = {"actor": actor, "actor1": actor1, "actor2": actor2, "root": root, "since": since,
                   "until": until, "source": source, "doc": doc}
        if format == "json":
            limit = PAGE_SIZE if limit is None else limit
            if limit > MAX_PAGE:
                raise SettingError(f"limit is at most {MAX_PAGE} for JSON: page with offset, or stream "
                                   "every event with format=jsonl.")
        resolved = format in export.RESOLVED_FORMATS
        sql, params = (query.resolved_query if resolved else query.events_query)(**filters)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        if offset:
            sql += " OFFSET ?"
            params.append(offset)
        rows = store.rows(sql, params)
        if format != "json":
            media_type, extension = EXPORTS[format]
            return StreamingResponse(
                _stream(rows, format), media_type=media_type,
                headers={"Content-Disposition": f'attachment; filename="events.{extension}"'},
            )
        count_sql, count_params = query.events_query(**filters)
        total = next(store.rows(f"SELECT count(*) AS n FROM ({count_sql})", count_params))["n"]
        return {"ok": True, "total": total, "limit": limit, "offset": offset,
                "events": [_jsonable(row) for row in rows]}

    @app.get("/api/events/{event_id}", tags=["events"])
    def event(event_id: int, store: StoreDep) -> dict[str, Any]:
        """One stored event by its id (the GDELT GlobalEventID), with its article's fields."""
        found = next(store.rows("SELECT * FROM event_rows WHERE event_id = ?", [event_id]), None)
        if found is None:
            raise HTTPException(404, f"No event {event_id} in the store.")
        return {"ok": True, "event": _jsonable(found)}

    @app.get("/api/timeline", tags=["events"])
    def timeline(
        store: StoreDep,
        actor: Annotated[str | None, Query(description="Actor code or country, either side.")] = None,
        doc: Annotated[str | None, Query(description="One article's events only.")] = None,
    ) -> dict[str, Any]:
        """Events in the order they happened; those dated only by publication last (`when_source`)."""
        return {"ok": True, "events": [_jsonable(row) for row in query.timeline(store, actor=actor, doc=doc)]}

    @app.get("/api/entities", tags=["entities"])
    def entities(store: StoreDep) -> dict[str, Any]:
        """Entities of all stored articles, grouped by name and code, most mentioned first."""
        return {"ok": True, "entities": query.entities(store)}

    @app.get("/api/dyads", tags=["events"])
    def dyads(
        store: StoreDep,
        pair: Annotated[str | None, Query(description="RUS-VEN (directed) or RUS (either side).")] = None,
        period: Annotated[str, Query(description=f"One of {', '.join(query.PERIODS)}.")] = "month",
    ) -> dict[str, Any]:
        """Cooperation and conflict per country pair and period: events, Goldstein, QuadClass counts."""
        return {"ok": True, "period": period, "dyads": query.dyads(store, pair=pair, period=period)}

    @app.get("/api/cameo", tags=["events"])
    def cameo() -> dict[str, Any]:
        """The 20 CAMEO root codes and their codebook names (for filters)."""
        roots = [f"{n:02d}" for n in range(1, 21)]
        return {"ok": True, "roots": [{"code": code, "name": query.cameo_name(code)} for code in roots]}

    @app.get("/api/articles", tags=["articles"])
    def articles(
        store: StoreDep,
        doc: Annotated[str | None, Query(description="An article's doc name or id.")] = None,
        limit: Annotated[int, Query(ge=0, le=MAX_PAGE)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Stored articles, newest first, with their number of events."""
        where, params = ("WHERE doc = ? OR id = ?", [doc, doc]) if doc else ("", [])
        total = next(store.rows(f"SELECT count(*) AS n FROM articles {where}", params))["n"]
        rows = store.rows(
            f"""SELECT id, doc, title, source, url, published, published_source, dateline, errors,
                       (SELECT count(*) FROM events e WHERE e.article_id = a.id)::INTEGER AS events
                FROM articles a {where}
                ORDER BY published DESC NULLS LAST, doc LIMIT ? OFFSET ?""",
            [*params, limit, offset],
        )
        return {"ok": True, "total": total, "limit": limit, "offset": offset, "articles": list(rows)}

    @app.get("/api/articles/{doc}", tags=["articles"])
    def article(doc: str, store: StoreDep) -> dict[str, Any]:
        """One stored article (doc name or id): its text, sentences, entities, quotes and events.

        Each event has its `event_id` and `cameo_name`; its `evidence` span and every other offset index
        characters (Unicode code points) of `text`.
        """
        found = store.article(doc)
        if found is None:
            raise HTTPException(404, f"No article {doc!r} in the store.")
        result = found.to_dict()
        result["sentences"] = [{"index": s.index, "start": s.start, "end": s.end, "paragraph": s.paragraph}
                               for s in found.sentences]
        for i, item in enumerate(result["events"]):
            item["event_id"] = str(event_id(found.id, i))
            item["cameo_name"] = query.cameo_name(item["cameo"])
        return {"ok": True, "article": result}

    @app.post("/api/analyze", tags=["articles"])
    def analyze(body: AnalyzeRequest) -> dict[str, Any]:
        """Analyse a text with the full pipeline without storing it; the article as `warta analyze` gives it.

        Bodies over 1 MB are refused with 413: use `warta ingest` for those.
        """
        if not body.text.strip():
            raise BadInput("The text is empty.")
        meta = body.model_dump(exclude={"text", "doc"}, exclude_none=True)
        result = analyze_text(body.text, doc=body.doc, **meta).to_dict()
        for item in result["events"]:
            item["cameo_name"] = query.cameo_name(item["cameo"])
        return {"ok": True, "article": result}

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB / "index.html")

    app.mount("/static", StaticFiles(directory=WEB), name="static")
    return app
