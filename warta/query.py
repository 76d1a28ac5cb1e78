"""Questions asked of a :class:`~warta.store.Store`: events, timelines, entities and dyad trends.

Every function builds one parameterised SQL query over the ``event_rows`` view (events joined to their
article, see ``warta/migrations/0001_init.sql``) and returns plain dicts, ready for :mod:`warta.export`.
The ``iter_*`` forms stream rows for exports of any size.

Dates: an event is filed under ``when_date``, its own date where the text fixes one, else its article's
publication date (``when_source`` says which). ``since``/``until`` keep events whose date *overlaps* the
range, so an event known only as ``2019-03`` is kept by ``since="2019-03-15"``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from .data import read_tsv
from .errors import SettingError
from .store import Store

PERIODS = ("day", "week", "month", "year")

# CAMEO actor codes whose first three letters name a kind of organisation, not a country.
GROUP_PREFIXES = frozenset({"IGO", "NGO", "IMG", "MNC"})

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_CODE = re.compile(r"^[A-Z]{3}[A-Z0-9]*$")


def _date(value: str | None, name: str) -> str | None:
    if value is not None and not _DATE.match(value):
        raise SettingError(f"--{name} must be a date like 2019, 2019-03 or 2019-03-23, not {value!r}.")
    return value


def _actor_clause(code: str, columns: tuple[str, ...]) -> tuple[str, list[str]]:
    """Match a full actor code exactly, or a 3-letter country (or IGO/NGO...) prefix."""
    code = code.strip().upper()
    if not _CODE.match(code):
        raise SettingError(f"An actor is a CAMEO actor code like RUS or RUSGOV, not {code!r}.")
    column = "{}_country" if len(code) == 3 else "{}_code"
    clause = " OR ".join(f"{column.format(c)} = ?" for c in columns)
    return f"({clause})", [code] * len(columns)


def _event_filters(
    *, actor=None, actor1=None, actor2=None, root=None, since=None, until=None, source=None, doc=None,
) -> tuple[str, list[Any]]:
    """Return a WHERE clause over ``event_rows`` and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    for value, columns in ((actor, ("actor1", "actor2")), (actor1, ("actor1",)), (actor2, ("actor2",))):
        if value:
            clause, values = _actor_clause(value, columns)
            clauses.append(clause)
            params += values
    if root:
        clauses.append("root = ?")
        params.append(str(root).zfill(2))
    if _date(since, "since"):
        clauses.append("when_date >= left(?, length(when_date))")
        params.append(since)
    if _date(until, "until"):
        clauses.append("left(when_date, length(?)) <= ?")
        params += [until, until]
    if source:
        clauses.append("(source ILIKE ? OR url ILIKE ?)")
        params += [f"%{source}%"] * 2
    if doc:
        clauses.append("(doc = ? OR article_id = ?)")
        params += [doc, doc]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def events_query(*, limit: int | None = None, **filters) -> tuple[str, list[Any]]:
    """Return the SQL and parameters selecting the events :func:`events` returns, oldest first."""
    where, params = _event_filters(**filters)
    sql = f"SELECT * FROM event_rows{where} ORDER BY when_date NULLS LAST, doc, idx"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return sql, params


def resolved_query(*, limit: int | None = None, story: str | None = None, order: str | None = None,
                   **filters) -> tuple[str, list[Any]]:
    """Return the SQL and parameters selecting resolved events (``resolved_event_rows``), oldest first.

    The filters of :func:`events` keep a resolved event when at least one of its reports matches;
    ``story`` keeps one story's events.
    """
    where, params = _event_filters(**filters)
    clauses = []
    if where:
        clauses.append(f"event_id IN (SELECT resolved_id FROM event_links WHERE event_id IN "
                       f"(SELECT event_id FROM event_rows{where}))")
    if story:
        clauses.append("story_id = ?")
        params.append(story)
    sources = ("(SELECT list(DISTINCT coalesce(a.url, a.source, a.doc) "
               "ORDER BY coalesce(a.url, a.source, a.doc)) "
               "FROM event_links l JOIN articles a ON a.id = l.article_id WHERE l.resolved_id = r.event_id) "
               "AS sources")
    sql = (f"SELECT r.*, {sources} FROM resolved_event_rows r"
           + (" WHERE " + " AND ".join(clauses) if clauses else "")
           + f" ORDER BY {order or 'when_date NULLS LAST, first_seen NULLS LAST, event_id'}")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return sql, params


def iter_resolved(store: Store, *, limit: int | None = None, story: str | None = None,
                  **filters) -> Iterator[dict[str, Any]]:
    """Yield resolved events (one per happening, copies merged), streaming; filters as :func:`events`."""
    sql, params = resolved_query(limit=limit, story=story, **filters)
    return store.rows(sql, params)


def iter_events(store: Store, *, limit: int | None = None, **filters) -> Iterator[dict[str, Any]]:
    """Yield stored events matching the filters of :func:`events`, streaming them from the store."""
    sql, params = events_query(limit=limit, **filters)
    return store.rows(sql, params)


def events(
    store: Store, actor: str | None = None, actor1: str | None = None, actor2: str | None = None,
    root: str | None = None, since: str | None = None, until: str | None = None, source: str | None = None,
    doc: str | None = None, limit: int | None = None,
) -> list[dict[str, Any]]:
    """Return stored events, each a dict of the ``event_rows`` columns.

    :param actor: a CAMEO actor code (``RUSGOV``) or a 3-letter prefix (``RUS``), matched on either side.
    :param actor1: the same, for the source actor only.
    :param actor2: the same, for the target actor only.
    :param root: a CAMEO root code (``19`` or ``2`` for ``02``).
    :param since: keep events dated on or after this ISO date (or month, or year).
    :param until: keep events dated on or before it.
    :param source: a substring of the article's source name or URL, case-insensitive.
    :param doc: an article's doc name or id.
    :param limit: at most this many events.
    """
    return list(iter_events(store, actor=actor, actor1=actor1, actor2=actor2, root=root, since=since,
                            until=until, source=source, doc=doc, limit=limit))


@functools.cache
def _cameo_names() -> dict[str, str]:
    return {row["code"]: row["name"] for row in read_tsv("cameo/codes.tsv")}


def cameo_name(code: str | None) -> str | None:
    """Return the CAMEO codebook name of an event code ("Make statement..."), or None."""
    return _cameo_names().get(code or "")


def timeline(store: Store, actor: str | None = None, doc: str | None = None,
             story: str | None = None) -> list[dict[str, Any]]:
    """Return resolved events (one per happening) in the order they happened, each with its sources.

    Events dated by the text come first in date order; those only dated by their article's publication
    follow, flagged by ``when_source == "publication"``, since their real date is unknown. A row is a
    resolved event (see :func:`iter_resolved`): the representative report's evidence and ``source``,
    ``sources`` (URL or source name of every reporting article), ``num_articles``, ``num_sources``,
    ``confidence``. Each row adds, for display, ``when`` (date and precision), ``actor1`` and ``actor2``
    (name and code), ``cameo_name`` and ``reports`` (articles/independent sources).

    :param actor: a CAMEO actor code or 3-letter prefix, matched on either side.
    :param doc: events reported by one article (its doc name or id).
    :param story: one story's events (a story id, see :func:`stories`).
    """
    sql, params = resolved_query(
        actor=actor, doc=doc, story=story,
        order="when_source = 'event' DESC, when_date NULLS LAST, first_seen NULLS LAST, doc, evidence_start",
    )
    rows = list(store.rows(sql, params))
    for row in rows:
        precision = "publication" if row["when_source"] == "publication" else row["date_precision"]
        row["when"] = f"{row['when_date'] or '?'} ({precision})"
        row["cameo_name"] = cameo_name(row["cameo"])
        row["reports"] = f"{row['num_articles']}/{row['num_sources']}"
        for n in (1, 2):
            name, code = row[f"actor{n}_name"], row[f"actor{n}_code"]
            row[f"actor{n}"] = f"{name} ({code or '?'})" if name else code
    return rows


def stories(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """Return the stored stories, most recent first: id, title, date range, actors, counts, summary.

    ``articles`` counts every article, copies included; ``sources`` counts duplicate groups (copies of
    one wire story count once); ``events`` counts the story's resolved events.
    """
    index = store.stories
    ids = list(reversed(index.story_ids()))[:limit]
    events = dict(store.con.execute(
        "SELECT story_id, count(*) FROM resolved_events WHERE story_id IN (SELECT unnest(?::VARCHAR[])) "
        "GROUP BY story_id", [ids]).fetchall()) if ids else {}
    rows = []
    for story_id in ids:
        summary = index.story(story_id)
        rows.append({
            "id": summary.id, "title": summary.title, "first_published": summary.first_published,
            "last_published": summary.last_published, "actors": summary.actors,
            "articles": len(summary.articles), "sources": summary.num_sources,
            "events": events.get(story_id, 0), "summary": summary.summary,
            "duplicate_groups": summary.duplicate_groups,
        })
    return rows


def entities(store: Store) -> list[dict[str, Any]]:
    """Return the entities of all stored articles, grouped by name and code, most mentioned first.

    Each has ``name``, ``code``, ``type``, ``aliases`` (every spelling seen), ``mentions`` (total count)
    and ``articles`` (how many articles name it).
    """
    return list(store.rows(
        """
        SELECT name, code, mode(type) AS type,
               list_sort(list_distinct(flatten(list(aliases)))) AS aliases,
               sum(mention_count)::INTEGER AS mentions,
               count(DISTINCT article_id)::INTEGER AS articles
        FROM entities
        GROUP BY name, code
        ORDER BY mentions DESC, name, code NULLS LAST
        """
    ))


def _bucket(period: str) -> str:
    """SQL for the period an event falls in.

    Its own date where precise enough; else its publication date if that lies within the event's
    coarser date (a month-dated event in an article of that month); else NULL, rather than a wrong period.
    """
    if period == "year":
        return "left(when_date, 4)"
    width = 7 if period == "month" else 10
    day = (f"CASE WHEN length(when_date) >= {width} THEN left(when_date, {width}) "
           f"WHEN starts_with(published, when_date) THEN left(published, {width}) END")
    if period == "week":
        return f"strftime(try_cast({day} AS DATE), '%G-W%V')"
    return day


def dyads(store: Store, pair: str | None = None, period: str = "month") -> list[dict[str, Any]]:
    """Return cooperation and conflict per country pair and period.

    Counts resolved events (one per happening: repeats, copies of a wire story and other outlets'
    reports of it count once), so a story syndicated to ten outlets does not weigh ten times.
    One row per (``actor1``, ``actor2``, ``period``): ``events``, ``reports`` (the articles behind
    them), ``goldstein_sum``, ``goldstein_mean`` and ``quad1`` to ``quad4`` (verbal and material
    cooperation, verbal and material conflict), all per resolved event. A side is the
    actor's country (``RUS`` for ``RUSMIL``), or for an international or non-governmental organisation its
    whole code (``IGOUNO``), so the UN and ASEAN are not lumped together. Events without two coded actors
    are left out.

    :param pair: ``RUS-VEN`` keeps that directed pair only; ``RUS`` keeps pairs with RUS on either side.
    :param period: ``day``, ``week`` (ISO, ``2019-W11``), ``month`` or ``year``.
    """
    if period not in PERIODS:
        raise SettingError(f"--period must be one of {', '.join(PERIODS)}, not {period!r}.")
    clauses = ["actor1 IS NOT NULL", "actor2 IS NOT NULL"]
    params: list[Any] = []
    if pair:
        sides = [c.strip().upper() for c in pair.split("-")]
        if len(sides) > 2 or not all(_CODE.match(c) for c in sides):
            raise SettingError(f"--pair is two actors like RUS-VEN or IDN-IGOUNO, or one, not {pair!r}.")
        if len(sides) == 2:
            clauses.append("actor1 = ? AND actor2 = ?")
            params += sides
        else:
            clauses.append("(actor1 = ? OR actor2 = ?)")
            params += sides * 2
    groups = ", ".join(f"'{g}'" for g in sorted(GROUP_PREFIXES))
    sides_sql = ", ".join(
        f"CASE WHEN actor{n}_country IN ({groups}) THEN actor{n}_code ELSE actor{n}_country END AS actor{n}"
        for n in (1, 2)
    )
    quads = ", ".join(f"count(*) FILTER (WHERE quad_class = {q})::INTEGER AS quad{q}" for q in range(1, 5))
    return list(store.rows(
        f"""
        SELECT actor1, actor2, {_bucket(period)} AS period,
               count(*)::INTEGER AS events,
               sum(num_articles)::INTEGER AS reports,
               round(sum(goldstein), 2) AS goldstein_sum,
               round(avg(goldstein), 2) AS goldstein_mean,
               {quads}
        FROM (SELECT * EXCLUDE (actor1_name, actor2_name), {sides_sql} FROM resolved_event_rows)
        WHERE {" AND ".join(clauses)}
        GROUP BY ALL
        ORDER BY period NULLS LAST, actor1, actor2
        """,
        params,
    ))
