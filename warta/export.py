"""Write query results out: a Rich table, CSV, JSON Lines, GDELT 2.0 Events and Mentions TSV, PLOVER
JSON Lines or Parquet.

Text formats stream: rows are written one at a time as the query yields them, so an export of any size
runs in constant memory (the Rich table, meant for a terminal, is the exception). Parquet is written by
DuckDB's own ``COPY``, so it needs no pyarrow. The GDELT column mapping is documented in docs/gdelt.md.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import duckdb
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .data import read_tsv
from .doc import Article
from .errors import SettingError, StoreError
from .query import GROUP_PREFIXES, cameo_name, events_query, resolved_query
from .store import Store
from .stories import DEFAULT_RELIABILITY, MODALITY_RELIABILITY

FORMATS = ("table", "csv", "jsonl", "gdelt", "gdelt-mentions", "plover", "parquet")
# Formats whose rows are resolved events (one per happening) rather than one per article's report.
RESOLVED_FORMATS = ("gdelt", "plover")

# The 16 columns of a GDELT 2.0 Mentions record, in the order of the GDELT 2.0 Event Codebook.
GDELT_MENTION_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)
# Stored reports with what a Mentions record needs: their resolved event, and where in the evidence
# sentence each actor is first named (the mention of the actor's entity), -1 when it is not.
MENTIONS_SQL = """
SELECT l.resolved_id, r.added_at AS event_added_at, e.*, length(a.text) AS doc_length,
    coalesce((SELECT min(m.char_start) FROM mentions m WHERE m.article_id = e.article_id
              AND m.entity = e.actor1_entity AND m.sentence = e.evidence_sentence), -1) AS actor1_offset,
    coalesce((SELECT min(m.char_start) FROM mentions m WHERE m.article_id = e.article_id
              AND m.entity = e.actor2_entity AND m.sentence = e.evidence_sentence), -1) AS actor2_offset
FROM ({events}) e
JOIN event_links l ON l.event_id = e.event_id AND l.article_id = e.article_id
JOIN resolved_event_rows r ON r.event_id = l.resolved_id
JOIN articles a ON a.id = e.article_id
ORDER BY l.resolved_id, e.published NULLS LAST, e.article_id, e.idx
"""

# The 61 columns of a GDELT 2.0 Events record, in the order of the GDELT 2.0 Event Codebook (V2.0).
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO), *(f"Actor2Geo_{c}" for c in _GEO), *(f"ActionGeo_{c}" for c in _GEO),
    "DATEADDED", "SOURCEURL",
)


# The columns the terminal table shows for events, with their headers.
EVENT_TABLE = {"when_date": "date", "date_precision": "precision", "actor1_code": "actor 1",
               "actor2_code": "actor 2", "cameo": "CAMEO", "goldstein": "Goldstein", "modality": "modality",
               "evidence_text": "evidence", "doc": "doc"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """Write rows as CSV with a header from the first row (lists joined by ``; ``); return the count."""
    writer = None
    count = 0
    for row in rows:
        if writer is None:
            writer = csv.writer(out)
            writer.writerow(row.keys())
        writer.writerow(_cell(v) for v in row.values())
        count += 1
    return count


def write_jsonl(rows: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """Write one JSON object per row; return the count."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
        count += 1
    return count


def table(rows: Iterable[Mapping[str, Any]], columns: Mapping[str, str] | None = None,
          title: str | None = None) -> Table:
    """Return a Rich table of ``rows``; ``columns`` maps row keys to headers (default: every key)."""
    rows = list(rows)
    columns = columns or {key: key for key in (rows[0] if rows else {})}
    result = Table(title=title, show_lines=False, expand=False)
    for header in columns.values():
        result.add_column(header, overflow="fold")
    for row in rows:
        result.add_row(*(Text(_cell(row.get(key))) for key in columns))
    if not rows:
        result.caption = "no rows"
    return result


def _day(value: str | None) -> date | None:
    """The calendar day of an ISO date or datetime, or None when it is not precise to the day."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _actor_columns(code: str | None, name: str | None) -> list[str]:
    """Actor Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1/2, Type1/2/3."""
    code = code or ""
    prefix, rest = code[:3], code[3:]
    if prefix in GROUP_PREFIXES:  # IGOUNO: no country, known group UNO, type IGO
        country, group, role = "", rest[:3], prefix
    else:  # RUSMIL: country RUS, type MIL
        country, group, role = prefix, "", rest
    return [code, (name or "").upper(), country, group, "", "", "", role[:3], role[3:6], ""]


def gdelt_row(event: Mapping[str, Any]) -> list[str]:
    """Return one stored event (a row of ``event_rows``) as the 61 GDELT 2.0 Events fields.

    Day, MonthYear, Year and FractionDate give the event's own date where the text fixes the day, else
    the article's publication date; empty when neither is known.
    """
    own = _day(event.get("date")) if event.get("date_precision") not in ("publication", None) else None
    when = own or _day(event.get("published"))
    dates = ["", "", "", ""]
    if when:
        fraction = when.year + when.timetuple().tm_yday / 365
        dates = [when.strftime("%Y%m%d"), when.strftime("%Y%m"), str(when.year), f"{fraction:.4f}"]
    cameo = event.get("cameo") or ""
    added = event.get("added_at")
    goldstein = event.get("goldstein")
    row = [
        str(event["event_id"]), *dates,
        *_actor_columns(event.get("actor1_code"), event.get("actor1_name")),
        *_actor_columns(event.get("actor2_code"), event.get("actor2_name")),
        "1" if event.get("is_root") else "0", cameo, cameo[:3], event.get("root") or cameo[:2],
        _cell(event.get("quad_class")), "" if goldstein is None else f"{goldstein:g}",
        str(event.get("num_mentions") or event.get("mentions") or 1), str(event.get("num_sources") or 1),
        str(event.get("num_articles") or 1), "",
        *([""] * 8), *([""] * 8),
        "", _cell(event.get("place")), *([""] * 6),
        added.strftime("%Y%m%d%H%M%S") if isinstance(added, datetime) else "",
        event.get("url") or event.get("source") or event.get("doc") or "",
    ]
    return [cell.replace("\t", " ").replace("\n", " ") for cell in row]


def _timestamp(value: Any) -> str:
    return value.strftime("%Y%m%d%H%M%S") if isinstance(value, datetime) else ""


def gdelt_mention_row(mention: Mapping[str, Any]) -> list[str]:
    """Return one stored report (a row of :data:`MENTIONS_SQL`) as the 16 GDELT 2.0 Mentions fields."""
    one, two = mention.get("actor1_offset", -1), mention.get("actor2_offset", -1)
    in_sentence = (one is not None and one >= 0) and (mention.get("actor2_code") is None or two >= 0)
    reliability = MODALITY_RELIABILITY.get(mention.get("modality") or "", DEFAULT_RELIABILITY)
    row = [
        str(mention["resolved_id"]), _timestamp(mention.get("event_added_at")),
        _timestamp(mention.get("added_at")), "1",  # 1 = WEB
        mention.get("source") or "", mention.get("url") or mention.get("doc") or "",
        str((mention.get("evidence_sentence") or 0) + 1), str(one), str(two),
        str(mention.get("evidence_start") if mention.get("evidence_start") is not None else -1),
        "1" if in_sentence else "0", str(round(100 * reliability)), _cell(mention.get("doc_length")),
        "", "", "",
    ]
    return [cell.replace("\t", " ").replace("\n", " ") for cell in row]


def iter_mentions(store: Store, **filters) -> Iterator[dict[str, Any]]:
    """Yield the stored reports matching the filters of :func:`warta.query.events`, by resolved event."""
    sql, params = events_query(**filters)
    return store.rows(MENTIONS_SQL.format(events=sql), params)


@functools.cache
def _plover_modes() -> dict[str, str]:
    return {row["cameo"]: row["mode"] for row in read_tsv("plover/modes.tsv")}


def plover_record(event: Mapping[str, Any]) -> dict[str, Any]:
    """Return a resolved event (a row of ``resolved_event_rows``) in the PLOVER/POLECAT event shape.

    ``event_type`` is the PLOVER type; ``mode`` comes from the CAMEO code (``warta/data/plover/modes.tsv``)
    where the code fixes one; ``context`` is ``military`` when an actor is a military, else empty:
    Warta codes no other context yet. See docs/gdelt.md for the field by field mapping.
    """
    cameo = event.get("cameo") or ""
    modes = _plover_modes()
    mode = next((modes[cameo[:n]] for n in (4, 3) if cameo[:n] in modes), None)
    codes = [event.get("actor1_code") or "", event.get("actor2_code") or ""]

    def actor(n: int) -> dict[str, Any] | None:
        code = event.get(f"actor{n}_code")
        if code is None and event.get(f"actor{n}_name") is None:
            return None
        return {"name": event.get(f"actor{n}_name"), "code": code, "country": event.get(f"actor{n}_country")}

    return {
        "id": str(event["event_id"]),
        "event_type": event.get("plover"),
        "mode": mode,
        "context": ["military"] if any(c[3:6] == "MIL" for c in codes) else [],
        "actor": actor(1),
        "recipient": actor(2),
        "date": event.get("date"),
        "date_precision": event.get("date_precision"),
        "location": event.get("place"),
        "modality": event.get("modality"),
        "negated": event.get("negated"),
        "cameo": cameo,
        "goldstein": event.get("goldstein"),
        "quad_class": event.get("quad_class"),
        "story": event.get("story_id"),
        "num_articles": event.get("num_articles"),
        "num_sources": event.get("num_sources"),
        "confidence": event.get("confidence"),
        "evidence": {"text": event.get("evidence_text"), "article": event.get("article_id"),
                     "url": event.get("url"), "sentence": event.get("evidence_sentence"),
                     "start": event.get("evidence_start"), "end": event.get("evidence_end")},
        "sources": list(event.get("sources") or []),
    }


def write_gdelt(events: Iterable[Mapping[str, Any]], out: TextIO, *, header: bool = False) -> int:
    """Write events as GDELT 2.0 Events TSV (no header row unless asked, as GDELT ships it)."""
    if header:
        out.write("\t".join(GDELT_COLUMNS) + "\n")
    return _write_lines((gdelt_row(event) for event in events), out)


def _write_lines(rows: Iterable[list[str]], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write("\t".join(row) + "\n")
        count += 1
    return count


def write_parquet(store: Store, path: str | Path, *, limit: int | None = None, resolved: bool = False,
                  **filters) -> int:
    """Write the events matching ``filters`` (see :func:`warta.query.events`) to a Parquet file.

    With ``resolved``, one row per resolved event (``resolved_event_rows``) instead of per report.
    """
    sql, params = (resolved_query if resolved else events_query)(limit=limit, **filters)
    target = str(path).replace("'", "''")
    try:
        store.con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet)", params)
        return store.con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()[0]
    except duckdb.Error as error:
        raise StoreError(f"Cannot write {path}: {error}") from error


def dyad_chart(rows: Iterable[Mapping[str, Any]], path: str | Path, *, title: str = "") -> int:
    """Plot dyad rows (:func:`warta.query.dyads`) to a PNG or SVG file; return the periods plotted.

    Top: Goldstein sum (bars) and mean (line) per period; bottom: events per QuadClass, stacked. Rows of
    several pairs are summed per period. Uses matplotlib's Agg backend (no display needed).
    """
    if Path(path).suffix.lower() not in (".png", ".svg"):
        raise SettingError(f"--chart writes a .png or .svg file, not {path}.")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals: dict[str, dict[str, float]] = {}
    for row in rows:
        if row.get("period") is None:
            continue
        total = totals.setdefault(row["period"], {"events": 0, "sum": 0.0, "quad1": 0, "quad2": 0, "quad3": 0,
                                                  "quad4": 0})
        total["events"] += row["events"]
        total["sum"] += row["goldstein_sum"] or 0.0
        for q in range(1, 5):
            total[f"quad{q}"] += row[f"quad{q}"]
    periods = sorted(totals)
    figure, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(max(6, len(periods) * 0.5), 6))
    x = range(len(periods))
    top.bar(x, [totals[p]["sum"] for p in periods], color="#8aa", label="Goldstein sum")
    top.plot(x, [totals[p]["sum"] / totals[p]["events"] for p in periods], color="#a33", marker="o",
             label="Goldstein mean")
    top.axhline(0, color="black", linewidth=0.5)
    top.legend(loc="upper left")
    top.set_title(title)
    names = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
    colors = ("#6a6", "#264", "#d84", "#a22")
    base = [0.0] * len(periods)
    for q, (name, color) in enumerate(zip(names, colors, strict=True), start=1):
        counts = [totals[p][f"quad{q}"] for p in periods]
        bottom.bar(x, counts, bottom=base, color=color, label=name)
        base = [b + c for b, c in zip(base, counts, strict=True)]
    bottom.set_ylabel("events")
    bottom.legend(loc="upper left", fontsize="small")
    bottom.set_xticks(list(x), periods, rotation=45, ha="right")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return len(periods)


def write_rows(rows: Iterable[Mapping[str, Any]], fmt: str, out: TextIO, *, console: Console | None = None,
               columns: Mapping[str, str] | None = None, title: str | None = None) -> int:
    """Write rows in a text format (``table``, ``csv``, ``jsonl``, ``gdelt`` for events); return the count."""
    if fmt == "csv":
        return write_csv(rows, out)
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    if fmt == "gdelt":
        return write_gdelt(rows, out)
    if fmt == "gdelt-mentions":
        return _write_lines((gdelt_mention_row(row) for row in rows), out)
    if fmt == "plover":
        return write_jsonl((plover_record(row) for row in rows), out)
    if fmt == "table":
        rendered = table(rows, columns, title)
        console = console or Console(file=out)
        if rendered.columns:
            console.print(rendered)
        else:  # nothing to show, not even column names
            console.print(f"{title or 'result'}: no rows")
        return rendered.row_count
    raise SettingError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")


def explain(article: Article) -> Iterator[str]:
    """Yield Rich markup lines showing each sentence with its entities, timexes, quotes and events.

    Each finding names the rule that made it, so a user sees why an event was coded.
    """
    def q(words: str | None) -> str:  # a piece of the text, quoted so its bounds show
        return escape(repr(words)) if words else "-"

    def c(value: Any) -> str:  # a code or value
        return escape(_cell(value)) or "-"

    yield (f"[bold]{escape(article.doc)}[/bold]  id {escape(article.id)}  source {c(article.source)}  "
           f"published {c(article.published)} ({c(article.published_source)})")
    for error in article.errors:
        yield f"[red]error:[/red] {escape(error)}"
    findings: dict[int, list[str]] = {}
    for m in article.mentions:
        role = f"  role: {q(m.role_text)}" if m.role_text else ""
        findings.setdefault(m.sentence, []).append(
            f"  entity  {q(m.text)} {c(m.type)} {c(m.code)}{role}  [dim]{escape(m.rule)}[/dim]")
    for t in article.timexes:
        findings.setdefault(t.sentence, []).append(
            f"  time    {q(t.text)} = {c(t.value)} ({c(t.granularity)})  [dim]{escape(t.rule)}[/dim]")
    for quote in article.quotes:
        findings.setdefault(quote.sentence, []).append(
            f"  quote   {c(quote.speaker)} ({c(quote.speaker_code)}): {q(quote.text)}")
    for e in article.events:
        one = f"{c(e.actor1.name)} {c(e.actor1.code)}" if e.actor1 else "-"
        two = f"{c(e.actor2.name)} {c(e.actor2.code)}" if e.actor2 else "-"
        modality = e.modality + (", negated" if e.negated else "")
        findings.setdefault(e.evidence.sentence, []).append(
            f"  [bold]event[/bold]   {one} -> {e.cameo} {c(cameo_name(e.cameo))} -> {two}; "
            f"date {c(e.date)} ({e.date_precision}), {modality}; evidence {q(e.evidence.text)}  "
            f"[dim]{escape(e.rule)}[/dim]")
    if not article.sentences:
        yield f"\n(no sentences) {escape(article.text)}"
    for sentence in article.sentences:
        yield f"\n[cyan]\\[{sentence.index}][/cyan] {escape(sentence.text)}"
        yield from findings.get(sentence.index, [])
