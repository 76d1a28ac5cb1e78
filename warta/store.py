"""The DuckDB store: analysed articles, their records, and the inputs that could not be read.

The schema lives in versioned SQL files under ``warta/migrations/`` (``0001_init.sql``, ...), applied in
order and recorded in ``schema_migrations``, so a store written by an older Warta is upgraded in place.

Rows are inserted column-wise, one ``INSERT ... SELECT`` per table per batch over NumPy arrays
(:func:`insert`): DuckDB runs that hundreds of times faster than ``executemany`` with one parameter set
per row, and it needs neither pandas nor Arrow. :meth:`Store.add_many` writes a batch of articles in one
transaction, story assignment and event resolution included.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy as np

from .doc import Actor, Article, Entity, Event, Evidence, Mention, Quote, Sentence, Timex
from .errors import StoreError
from .stories import Report, ResolvedEvent, StoryIndex, joins, narrow, resolution_key, resolve

DEFAULT_PATH = "warta.duckdb"

# Tables holding one row per record of an article, keyed on article_id; deleted with it.
RECORD_TABLES = ("sentences", "entities", "mentions", "timexes", "quotes", "events")

# Column name -> DuckDB type, in insert order, for every table Store writes.
COLUMNS: dict[str, dict[str, str]] = {
    "articles": {
        "id": "VARCHAR", "doc": "VARCHAR", "title": "VARCHAR", "source": "VARCHAR", "url": "VARCHAR",
        "published": "VARCHAR", "published_source": "VARCHAR", "dateline": "VARCHAR", "text": "VARCHAR",
        "removed": "VARCHAR[]", "paragraphs": "INTEGER[][]", "errors": "VARCHAR[]", "meta": "JSON",
        "versions": "JSON", "added_at": "TIMESTAMP",
    },
    "sentences": {
        "article_id": "VARCHAR", "idx": "INTEGER", "char_start": "INTEGER", "char_end": "INTEGER",
        "paragraph": "INTEGER",
    },
    "entities": {
        "article_id": "VARCHAR", "idx": "INTEGER", "name": "VARCHAR", "type": "VARCHAR", "code": "VARCHAR",
        "aliases": "VARCHAR[]", "qid": "VARCHAR", "mention_count": "INTEGER",
    },
    "mentions": {
        "article_id": "VARCHAR", "idx": "INTEGER", "entity": "INTEGER", "text": "VARCHAR",
        "char_start": "INTEGER", "char_end": "INTEGER", "sentence": "INTEGER", "type": "VARCHAR",
        "code": "VARCHAR", "role_text": "VARCHAR", "rule": "VARCHAR",
    },
    "timexes": {
        "article_id": "VARCHAR", "idx": "INTEGER", "text": "VARCHAR", "char_start": "INTEGER",
        "char_end": "INTEGER", "sentence": "INTEGER", "value": "VARCHAR", "granularity": "VARCHAR",
        "anchor": "VARCHAR", "rule": "VARCHAR",
    },
    "quotes": {
        "article_id": "VARCHAR", "idx": "INTEGER", "text": "VARCHAR", "char_start": "INTEGER",
        "char_end": "INTEGER", "sentence": "INTEGER", "speaker": "VARCHAR", "speaker_code": "VARCHAR",
        "direct": "BOOLEAN",
    },
    "events": {
        "event_id": "BIGINT", "article_id": "VARCHAR", "idx": "INTEGER",
        "actor1_name": "VARCHAR", "actor1_code": "VARCHAR", "actor1_country": "VARCHAR",
        "actor1_entity": "INTEGER",
        "actor2_name": "VARCHAR", "actor2_code": "VARCHAR", "actor2_country": "VARCHAR",
        "actor2_entity": "INTEGER",
        "cameo": "VARCHAR", "root": "VARCHAR", "plover": "VARCHAR", "goldstein": "DOUBLE",
        "quad_class": "INTEGER", "date": "VARCHAR", "date_precision": "VARCHAR", "modality": "VARCHAR",
        "negated": "BOOLEAN", "evidence_sentence": "INTEGER", "evidence_start": "INTEGER",
        "evidence_end": "INTEGER", "evidence_text": "VARCHAR", "rule": "VARCHAR", "attribution": "VARCHAR",
        "place": "VARCHAR", "mentions": "INTEGER",
    },
    "rejects": {"doc": "VARCHAR", "source": "VARCHAR", "reason": "VARCHAR", "seen_at": "TIMESTAMP"},
    "event_links": {
        "event_id": "BIGINT", "article_id": "VARCHAR", "resolved_id": "BIGINT", "group_id": "VARCHAR",
        "published": "VARCHAR",
    },
    "resolved_events": {
        "event_id": "BIGINT", "story_id": "VARCHAR", "article_id": "VARCHAR",
        "actor1_name": "VARCHAR", "actor1_code": "VARCHAR", "actor1_country": "VARCHAR",
        "actor2_name": "VARCHAR", "actor2_code": "VARCHAR", "actor2_country": "VARCHAR",
        "cameo": "VARCHAR", "root": "VARCHAR", "roots": "VARCHAR[]", "plover": "VARCHAR",
        "goldstein": "DOUBLE",
        "quad_class": "INTEGER", "date": "VARCHAR", "date_precision": "VARCHAR", "modality": "VARCHAR",
        "negated": "BOOLEAN", "intended": "BOOLEAN", "span_start": "INTEGER", "span_end": "INTEGER",
        "num_mentions": "INTEGER", "num_articles": "INTEGER", "num_sources": "INTEGER",
        "first_seen": "VARCHAR", "last_seen": "VARCHAR", "confidence": "DOUBLE",
        "evidence_sentence": "INTEGER", "evidence_start": "INTEGER", "evidence_end": "INTEGER",
        "evidence_text": "VARCHAR", "place": "VARCHAR", "attribution": "VARCHAR",
    },
    # The story index (warta.stories.StoryIndex writes them through insert()).
    "story_articles": {
        "article_id": "VARCHAR", "seq": "BIGINT", "story_id": "VARCHAR", "group_id": "VARCHAR",
        "published": "VARCHAR", "day": "INTEGER", "length": "INTEGER", "source": "VARCHAR",
        "title": "VARCHAR", "terms": "JSON", "sentences": "VARCHAR[]", "countries": "VARCHAR[]",
        "signature": "UINTEGER[]",
    },
    "stories": {
        "id": "VARCHAR", "first_day": "INTEGER", "last_day": "INTEGER", "centroid": "JSON",
        "countries": "JSON", "originals": "INTEGER", "articles": "INTEGER",
    },
    "story_bands": {"band_key": "BIGINT", "article_id": "VARCHAR"},
    "story_postings": {"posting": "VARCHAR", "story_id": "VARCHAR", "seq": "BIGINT"},
    "story_terms": {"term": "VARCHAR", "df": "INTEGER"},
}
# DuckDB's buffer pool may otherwise grow to 80% of the machine's memory; the house budget is 1 GB for
# the whole process, and DuckDB spills to disk beyond this.
MEMORY_LIMIT = "512MB"

_MIGRATION_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")


class RejectedInput(Protocol):
    """An input ingest could not read (``warta.ingest.Rejected``)."""

    doc: str
    source: str
    reason: str


@dataclass
class AddResult:
    """What :meth:`Store.add_many` did: articles by outcome, and what it wrote."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    events: int = 0
    with_errors: int = 0  # articles written with a stage error in Article.errors

    def __iadd__(self, other: AddResult) -> AddResult:
        for name in ("added", "updated", "unchanged", "rejected", "events", "with_errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def event_id(article_id: str, index: int) -> int:
    """Return a stable 56-bit integer id for event ``index`` of an article (GDELT needs integers)."""
    digest = hashlib.blake2b(f"{article_id}/{index}".encode(), digest_size=7).digest()
    return int.from_bytes(digest, "big")


def _country(code: str | None) -> str | None:
    return code[:3] if code else None


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple], *, conflict: str = "") -> None:
    """Insert ``rows`` (tuples in the column order of :data:`COLUMNS`) with one statement.

    The columns reach DuckDB as NumPy object arrays (:func:`registered`), which it scans about ten
    times faster than list parameters (``unnest(?)``). It guesses an object array's type from a sample,
    so each value is first made the column's type (an int among floats would make a DOUBLE column
    INTEGER and truncate the floats), and lists travel as JSON text (an empty first list would make the
    type NULL[]). ``conflict`` is an ``ON CONFLICT`` clause.
    """
    if not rows:
        return
    columns = COLUMNS[table]
    values, select = {}, []
    for name, kind, column in zip(columns, columns.values(), zip(*rows, strict=True), strict=True):
        convert = _CONVERT.get(kind.partition("[")[1] or kind)
        values[name] = column if convert is None else [None if v is None else convert(v) for v in column]
        select.append(f"{name}::JSON::{kind}" if kind.endswith("]") else f"{name}::{kind}")
    with registered(con, "_warta_rows", values):
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(select)} FROM _warta_rows "
                    f"{conflict}")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list]) -> Iterator[None]:
    """Make ``columns`` (name -> values of one type, or None) a relation ``name`` for the statements run
    inside: how a batch's keys are joined against a table, faster than an ``IN (SELECT unnest(?))``."""
    frame = {}
    for column, values in columns.items():
        frame[column] = np.empty(len(values), dtype=object)
        frame[column][:] = values
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)


# Python value -> the value DuckDB must see for a column type (see insert); "[" stands for any list.
_CONVERT = {
    "[": functools.partial(json.dumps, ensure_ascii=False),
    "DOUBLE": float,
    "INTEGER": int,
    "BIGINT": int,
    "BOOLEAN": bool,
}


def migrations() -> list[tuple[int, str, str]]:
    """Return the schema migrations shipped with Warta as (version, name, sql), in version order."""
    found = []
    for item in resources.files("warta").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(item.name)
        if match:
            found.append((int(match.group(1)), item.name, item.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    """A DuckDB database of analysed articles; ``":memory:"`` for a throwaway one.

    Use as a context manager, or call :meth:`close`. Opening applies any migration not yet applied.
    """

    def __init__(self, path: str | Path = DEFAULT_PATH, *, read_only: bool = False):
        self.path = str(path)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except (duckdb.Error, OSError) as error:
            raise StoreError(f"Cannot open the store {self.path}: {error}") from error
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        if read_only:
            version = self.schema_version()
            if version == 0:
                raise StoreError(f"{self.path} is not a Warta store: run `warta ingest` first.")
            if version < migrations()[-1][0]:
                raise StoreError(f"{self.path} was written by an older Warta: open it once with "
                                 "`warta ingest` (any input) to upgrade it.")
        else:
            self.migrate()
        self.stories = StoryIndex(self.con)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self.con.close()

    def schema_version(self) -> int:
        """Return the highest migration applied, 0 for an empty database."""
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()[0]
        if not exists:
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    def migrate(self) -> list[str]:
        """Apply, each in its own transaction, the migrations newer than the store; return their names."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name VARCHAR NOT NULL, applied_at TIMESTAMP DEFAULT current_timestamp)"
        )
        current = self.schema_version()
        applied = []
        for version, name, sql in migrations():
            if version <= current:
                continue
            try:
                self.con.execute("BEGIN TRANSACTION")
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name]
                )
                self.con.execute("COMMIT")
            except duckdb.Error as error:
                self.con.execute("ROLLBACK")
                raise StoreError(f"Migration {name} failed on {self.path}: {error}") from error
            applied.append(name)
        return applied

    # -- writing -------------------------------------------------------------------------------------

    def add(self, article: Article, versions: dict[str, str] | None = None) -> str:
        """Store one analysed article; return ``"added"``, ``"updated"`` or ``"unchanged"``.

        Idempotent on ``Article.id``: an article already stored with the same stage ``versions`` is left
        as it is; with other versions its rows are replaced in the same transaction.
        """
        result = self.add_many([article], versions)
        return next(name for name in ("added", "updated", "unchanged") if getattr(result, name))

    def add_many(
        self, items: Iterable[Article | RejectedInput], versions: dict[str, str] | None = None,
        *, batch: int = 200,
    ) -> AddResult:
        """Store a stream of articles and rejected inputs (``warta.ingest.Rejected``).

        Idempotent as :meth:`add` is; a rejected input replaces an earlier record of the same doc and
        source. One transaction per ``batch`` items, not per article: on a file, a commit costs more than
        a whole batch's inserts (measured: about 30 articles/s one by one, over 1,000/s in batches).
        """
        total = AddResult()
        pending: list[Article | RejectedInput] = []
        for item in items:
            pending.append(item)
            if len(pending) >= batch:
                total += self._write(pending, versions)
                pending = []
        if pending:
            total += self._write(pending, versions)
        return total

    def _write(self, items: list[Article | RejectedInput], versions: dict[str, str] | None) -> AddResult:
        """Write one batch in one transaction: skip articles stored by the same versions, replace others."""
        result = AddResult()
        now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC
        versions_json = json.dumps(versions or {}, sort_keys=True)
        articles: dict[str, Article] = {}
        rejects: dict[tuple[str, str], RejectedInput] = {}
        for item in items:
            if isinstance(item, Article):
                if item.id in articles:
                    result.unchanged += 1
                articles.setdefault(item.id, item)
            else:
                rejects[(item.doc, item.source)] = item
        result.rejected = len(rejects)
        self.con.execute("BEGIN TRANSACTION")
        try:
            stored = dict(
                self.con.execute(
                    "SELECT id, versions FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                    [list(articles)],
                ).fetchall()
            ) if articles else {}
            fresh = []
            for article_id, article in articles.items():
                if article_id not in stored:
                    result.added += 1
                elif json.loads(stored[article_id]) == json.loads(versions_json):
                    result.unchanged += 1
                    continue
                else:
                    result.updated += 1
                fresh.append(article)
            replaced = [a.id for a in fresh if a.id in stored]
            touched = self._unlink(replaced) if replaced else {}
            if replaced:
                for table in (*RECORD_TABLES, "articles"):
                    key = "id" if table == "articles" else "article_id"
                    self.con.execute(
                        f"DELETE FROM {table} WHERE {key} IN (SELECT unnest(?::VARCHAR[]))", [replaced]
                    )
            if rejects:
                self.con.execute(
                    "DELETE FROM rejects WHERE (doc, source) IN "
                    "(SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]))",
                    [[d for d, _ in rejects], [s for _, s in rejects]],
                )
                self._insert("rejects", [(r.doc, r.source, r.reason, now) for r in rejects.values()])
            rows = _rows(fresh, versions_json, now)
            for table, table_rows in rows.items():
                self._insert(table, table_rows)
            touched |= self._link(fresh)
            self._refresh(touched)
            result.events = len(rows["events"])
            result.with_errors = sum(1 for a in fresh if a.errors)
            self.con.execute("COMMIT")
        except Exception as error:  # leave no transaction open, whatever failed
            self.con.execute("ROLLBACK")
            if isinstance(error, duckdb.Error):
                raise StoreError(f"Cannot write to the store {self.path}: {error}") from error
            raise
        return result

    def _unlink(self, article_ids: list[str]) -> dict[int, str]:
        """Drop the links of replaced articles' events; return the resolved events they touched."""
        touched = dict(self.con.execute(
            "SELECT event_id, story_id FROM resolved_events WHERE event_id IN "
            "(SELECT resolved_id FROM event_links WHERE article_id IN (SELECT unnest(?::VARCHAR[])))",
            [article_ids],
        ).fetchall())
        self.con.execute("DELETE FROM event_links WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                         [article_ids])
        return touched

    def _link(self, articles: list[Article]) -> dict[int, str]:
        """Assign the articles to stories and link each of their events to a resolved event of its story.

        An event joins the first resolved event of its story it is compatible with (``stories.joins``)
        that no other event of the same article reports (the events stage already merges an article's
        repeats, so two events of one article are two happenings), else starts one named by its own id.
        The batch is assigned at once (:meth:`StoryIndex.assign_many`), the resolved events of its
        stories are read with one query, and its events are linked in order in memory, each seeing the
        links of the events before it. Returns the resolved events touched, with their story.
        """
        entries = self.stories.assign_many(articles)
        reporting = [(a, e) for a, e in zip(articles, entries, strict=True) if a.events]
        stored: dict[str, dict[int, tuple]] = {}  # story -> resolved id -> (story, key, roots, span)
        if reporting:
            for rid, story, a1, a2, negated, intended, roots, start, end in self.con.execute(
                "SELECT event_id, story_id, actor1_country, actor2_country, negated, intended, roots, "
                "span_start, span_end FROM resolved_events WHERE story_id IN (SELECT unnest(?::VARCHAR[])) "
                "ORDER BY first_seen NULLS LAST, event_id",
                [list({entry.story for _, entry in reporting})],
            ).fetchall():
                stored.setdefault(story, {})[rid] = (
                    story, (a1, a2, negated, intended), set(roots or []),
                    (start, end) if start is not None else None)
        touched: dict[int, str] = {}
        states: dict[int, tuple] = {}  # resolved id -> (story, key, roots, span), this batch's changes
        reported: dict[int, set[str]] = {}  # resolved id -> articles linked to it in this batch
        links = []
        for article, entry in reporting:
            found = dict(stored.get(entry.story, {}))
            found |= {rid: state for rid, state in states.items() if state[0] == entry.story}
            for index, event in enumerate(article.events):
                key = resolution_key(event)
                target = next((rid for rid, (_, k, roots, span) in found.items()
                               if k == key and article.id not in reported.get(rid, ())
                               and joins(roots, span, event)), None)
                own_id = event_id(article.id, index)
                if target is None:
                    target, found[own_id] = own_id, (entry.story, key, set(), None)
                story, key, roots, span = found[target]
                found[target] = states[target] = (story, key, roots | {event.root[:2]}, narrow(span, event))
                touched[target] = story
                reported.setdefault(target, set()).add(article.id)
                links.append((own_id, article.id, target, entry.group, article.published))
        self._insert("event_links", links)
        return touched

    def _reports(self, resolved_ids: list[int] | None = None) -> dict[int, list[Report]]:
        """Return the reports of resolved events (all of them when ``resolved_ids`` is None)."""
        where = "WHERE resolved_id IN (SELECT unnest(?::BIGINT[]))" if resolved_ids is not None else ""
        links = self.con.execute(
            f"SELECT event_id, article_id, resolved_id, group_id, published FROM event_links {where}",
            [resolved_ids] if resolved_ids is not None else [],
        ).fetchall()
        events = {
            row["event_id"]: _event(row)
            for row in self.rows("SELECT * FROM events WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                                 [list({link[1] for link in links})])
        }
        reports: dict[int, list[Report]] = {}
        for own_id, article_id, resolved_id, group, published in links:
            reports.setdefault(resolved_id, []).append(
                Report(own_id, events[own_id], article_id, group, published))
        return reports

    def _refresh(self, touched: dict[int, str]) -> None:
        """Recompute the resolved events ``touched`` (id -> story) from their reports."""
        if not touched:
            return
        ids = list(touched)
        reports = self._reports(ids)
        self.con.execute("DELETE FROM resolved_events WHERE event_id IN (SELECT unnest(?::BIGINT[]))", [ids])
        self._insert("resolved_events", [
            _resolved_row(resolve(rid, touched[rid], found)) for rid, found in reports.items()
        ])

    def resolved_events(self) -> list[ResolvedEvent]:
        """Return every resolved event with all its evidence, in order of first report (small stores)."""
        stories = dict(self.con.execute("SELECT event_id, story_id FROM resolved_events").fetchall())
        resolved = [resolve(rid, stories[rid], found) for rid, found in self._reports().items()]
        return sorted(resolved, key=lambda r: (r.first_seen or "", r.id))

    def _insert(self, table: str, rows: list[tuple]) -> None:
        insert(self.con, table, rows)

    # -- reading -------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Return the number of rows in each table."""
        return {
            table: self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", *RECORD_TABLES, "rejects")
        }

    def rows(
        self, sql: str, params: list[Any] | None = None, *, size: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Run a query and yield its rows as dicts, fetching ``size`` rows at a time."""
        try:
            cursor = self.con.execute(sql, params or [])
        except duckdb.Error as error:
            raise StoreError(f"Query failed on {self.path}: {error}") from error
        names = [d[0] for d in cursor.description]
        while chunk := cursor.fetchmany(size):
            for row in chunk:
                yield dict(zip(names, row, strict=True))

    def article(self, key: str) -> Article | None:
        """Rebuild the stored article whose id or doc is ``key`` (the latest added, for a doc), or None."""
        found = next(self.rows(
            "SELECT * FROM articles WHERE id = ? OR doc = ? ORDER BY id = ? DESC, added_at DESC LIMIT 1",
            [key, key, key],
        ), None)
        if found is None:
            return None
        text = found["text"] or ""

        def records(table: str) -> list[dict[str, Any]]:
            return list(self.rows(f"SELECT * FROM {table} WHERE article_id = ? ORDER BY idx", [found["id"]]))

        mentions = records("mentions")
        by_entity: dict[int, list[int]] = {}
        for m in mentions:
            if m["entity"] is not None:
                by_entity.setdefault(m["entity"], []).append(m["idx"])
        return Article(
            doc=found["doc"], id=found["id"], raw="", text=text, title=found["title"],
            source=found["source"], url=found["url"], published=found["published"],
            published_source=found["published_source"], dateline=found["dateline"],
            removed=list(found["removed"] or []), paragraphs=[tuple(p) for p in found["paragraphs"] or []],
            errors=list(found["errors"] or []), meta=json.loads(found["meta"] or "{}"),
            sentences=[
                Sentence(s["idx"], s["char_start"], s["char_end"], text[s["char_start"]:s["char_end"]],
                         paragraph=s["paragraph"] or 0)
                for s in records("sentences")
            ],
            mentions=[
                Mention(m["text"], m["char_start"], m["char_end"], m["sentence"], m["type"], m["code"],
                        m["entity"], m["role_text"], m["rule"] or "")
                for m in mentions
            ],
            entities=[
                Entity(e["idx"], e["name"], e["type"], e["code"], list(e["aliases"] or []),
                       by_entity.get(e["idx"], []), e["qid"])
                for e in records("entities")
            ],
            timexes=[
                Timex(t["text"], t["char_start"], t["char_end"], t["sentence"], t["value"], t["granularity"],
                      t["anchor"], t["rule"] or "")
                for t in records("timexes")
            ],
            quotes=[
                Quote(q["text"], q["char_start"], q["char_end"], q["sentence"], q["speaker"],
                      q["speaker_code"], q["direct"])
                for q in records("quotes")
            ],
            events=[_event(e) for e in records("events")],
        )


def _actor(row: dict[str, Any], n: int) -> Actor | None:
    name, code = row[f"actor{n}_name"], row[f"actor{n}_code"]
    if name is None and code is None:
        return None
    return Actor(name or "", code, row[f"actor{n}_entity"])


def _event(row: dict[str, Any]) -> Event:
    return Event(
        actor1=_actor(row, 1), actor2=_actor(row, 2), cameo=row["cameo"], root=row["root"],
        plover=row["plover"], goldstein=row["goldstein"], quad_class=row["quad_class"], date=row["date"],
        date_precision=row["date_precision"], modality=row["modality"], negated=row["negated"],
        evidence=Evidence(row["evidence_sentence"], row["evidence_start"], row["evidence_end"],
                          row["evidence_text"]),
        rule=row["rule"], attribution=row["attribution"], place=row["place"], mentions=row["mentions"],
    )


def _resolved_row(r: ResolvedEvent) -> tuple:
    """A resolved event as a row of ``resolved_events``; the first evidence is the representative's."""
    first = r.evidence[0]
    span = r.span or (None, None)
    return (
        r.id, r.story, r.article, r.actor1_name, r.actor1, _country(r.actor1), r.actor2_name, r.actor2,
        _country(r.actor2), r.cameo, r.root, r.roots, r.plover, r.goldstein, r.quad_class, r.date,
        r.date_precision, r.modality, r.negated, r.modality == "intended", span[0], span[1], r.num_mentions,
        r.num_articles, r.num_sources, r.first_seen, r.last_seen, r.confidence, first["sentence"],
        first["start"], first["end"], first["text"], r.place, r.attribution,
    )


def _rows(articles: list[Article], versions_json: str, added_at: datetime) -> dict[str, list[tuple]]:
    """Flatten articles into rows per table, in the column order of :data:`COLUMNS`."""
    rows: dict[str, list[tuple]] = {table: [] for table in ("articles", *RECORD_TABLES)}
    for a in articles:
        rows["articles"].append((
            a.id, a.doc, a.title, a.source, a.url, a.published, a.published_source, a.dateline, a.text,
            list(a.removed), [list(p) for p in a.paragraphs], list(a.errors),
            json.dumps(a.meta, ensure_ascii=False, default=str), versions_json, added_at,
        ))
        rows["sentences"] += [(a.id, s.index, s.start, s.end, s.paragraph) for s in a.sentences]
        rows["entities"] += [
            (a.id, i, e.name, e.type, e.code, list(e.aliases), e.qid, len(e.mentions))
            for i, e in enumerate(a.entities)
        ]
        rows["mentions"] += [
            (a.id, i, m.entity, m.text, m.start, m.end, m.sentence, m.type, m.code, m.role_text, m.rule)
            for i, m in enumerate(a.mentions)
        ]
        rows["timexes"] += [
            (a.id, i, t.text, t.start, t.end, t.sentence, t.value, t.granularity, t.anchor, t.rule)
            for i, t in enumerate(a.timexes)
        ]
        rows["quotes"] += [
            (a.id, i, q.text, q.start, q.end, q.sentence, q.speaker, q.speaker_code, q.direct)
            for i, q in enumerate(a.quotes)
        ]
        for i, e in enumerate(a.events):
            one, two = e.actor1 or Actor("", None), e.actor2 or Actor("", None)
            rows["events"].append((
                event_id(a.id, i), a.id, i,
                one.name if e.actor1 else None, one.code, _country(one.code), one.entity,
                two.name if e.actor2 else None, two.code, _country(two.code), two.entity,
                e.cameo, e.root, e.plover, e.goldstein, e.quad_class, e.date, e.date_precision, e.modality,
                e.negated, e.evidence.sentence, e.evidence.start, e.evidence.end, e.evidence.text, e.rule,
                e.attribution, e.place, e.mentions,
            ))
    return rows
