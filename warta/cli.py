"""The ``warta`` command line: thin Click commands over the library.

Each command parses its options, calls one library function and prints. Errors the library raises
(:class:`~warta.errors.WartaError`) are shown as one line, without a traceback, with exit status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any

import click
from rich.console import Console

from . import export, query
from . import gold as gold_module
from .doc import Article
from .errors import SettingError, WartaError
from .pipeline import Pipeline
from .store import DEFAULT_PATH, Store

TIMELINE_TABLE = {"when": "date (precision)", "actor1": "actor 1", "cameo": "CAMEO", "cameo_name": "action",
                  "actor2": "actor 2", "evidence_text": "evidence", "reports": "articles/sources",
                  "sources": "sources"}
STORY_TABLE = {"id": "story", "title": "title", "first_published": "from", "last_published": "to",
               "actors": "actors", "articles": "articles", "sources": "sources", "events": "events",
               "summary": "summary"}
ENTITY_TABLE = {"name": "name", "code": "code", "type": "type", "aliases": "aliases", "mentions": "mentions",
                "articles": "articles"}


class _Group(click.Group):
    """Turn library errors into one-line messages."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WartaError as error:
            raise click.ClickException(str(error)) from error


def _db_option(func):
    return click.option("--db", default=DEFAULT_PATH, show_default=True, envvar="WARTA_DB",
                        help="The DuckDB store (or set WARTA_DB).")(func)


def _format_option(*choices: str, default: str = "table"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


def _analysed(sources: Iterable[str], *, pipeline: Pipeline | None = None,
              rejects: bool = False) -> Iterator[Article | Any]:
    """Yield analysed articles from ``sources``, reporting each rejected input on stderr as it comes.

    With ``rejects``, rejected inputs are yielded too, in their place (for the store to record).
    """
    from .ingest import read  # here, not at the top: the HTML and feed readers are slow to import

    for item in (pipeline or Pipeline()).pipe(read(sources)):
        if isinstance(item, Article):
            yield item
            continue
        click.echo(f"rejected {item.source}: {item.reason}", err=True)
        if rejects:
            yield item


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="warta")
def cli():
    """Turn Indonesian news into CAMEO event data: analyse, store, query, export.

    \b
    Example:
      warta ingest articles/ --db warta.duckdb && warta timeline --db warta.duckdb --actor VEN
    """


@cli.command()
@_format_option("jsonl", "table", default="jsonl")
@click.argument("sources", nargs=-1, required=True)
def analyze(fmt: str, sources: tuple[str, ...]):
    """Analyse articles; print one JSON object per article.

    With --format table, print a table of their events instead. SOURCES are files, directories (read
    recursively) or - for standard input. Inputs that cannot be read are reported on stderr and the rest
    go on; the exit status is 1 only when no article could be read.

    \b
    Example:
      warta analyze article.txt pages/ feed.xml
      cat article.txt | warta analyze - --format table
    """
    if fmt == "jsonl":
        count = export.write_jsonl((a.to_dict() for a in _analysed(sources)), sys.stdout)
    else:
        with Store(":memory:") as store:
            result = store.add_many(_analysed(sources))
            count = result.added + result.unchanged
            export.write_rows(query.timeline(store), "table", sys.stdout, console=Console(),
                              columns=TIMELINE_TABLE | {"doc": "doc"}, title="events")
    if not count:
        raise click.ClickException("No article could be read.")


@cli.command()
@_db_option
@click.argument("sources", nargs=-1, required=True)
def ingest(db: str, sources: tuple[str, ...]):
    """Analyse articles and store them (idempotent).

    Re-ingesting an article already stored by the same stage versions changes nothing.
    Inputs that cannot be read are reported on stderr and recorded in the store's rejects table.

    \b
    Example:
      warta ingest examples/articles --db warta.duckdb
    """
    pipeline = Pipeline()
    with Store(db) as store:
        result = store.add_many(_analysed(sources, pipeline=pipeline, rejects=True), pipeline.versions)
        stories, resolved = store.con.execute(
            "SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM resolved_events)").fetchone()
    click.echo(f"{db}: {result.added} article(s) added, {result.updated} updated, {result.unchanged} "
               f"unchanged, {result.rejected} rejected; {result.events} event(s) written; the store holds "
               f"{stories} story(ies) and {resolved} resolved event(s).")
    if result.with_errors:
        click.echo(f"{result.with_errors} article(s) stored with a stage error: see `warta explain DOC "
                   f"--db {db}`.", err=True)


@cli.command()
@_db_option
@click.option("--actor", help="Actor code (RUSGOV) or country (RUS), either side.")
@click.option("--actor1", help="Source actor code or country.")
@click.option("--actor2", help="Target actor code or country.")
@click.option("--root", help="CAMEO root code, e.g. 19.")
@click.option("--since", help="Events dated on or after this date (2019, 2019-03, 2019-03-01).")
@click.option("--until", help="Events dated on or before this date.")
@click.option("--source", help="Part of the source's name or URL.")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many events.")
@click.option("--resolved", is_flag=True,
              help="One row per resolved event (copies and rewrites merged), not per article's report.")
@_format_option(*export.FORMATS)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file, not stdout.")
def events(db: str, fmt: str, output: str | None, limit: int | None, resolved: bool, **filters):
    """Query stored events and export them.

    Formats: a table, CSV, JSON Lines, GDELT 2.0 Events TSV (one row per resolved event, with
    NumMentions/NumSources/NumArticles), GDELT 2.0 Mentions TSV (one row per report), PLOVER JSON Lines
    (one object per resolved event) or Parquet; see docs/gdelt.md.
    \b
    Example:
      warta events --db warta.duckdb --actor RUS --root 19 --since 2019-01-01
      warta events --db warta.duckdb --format gdelt --output events.tsv
      warta events --db warta.duckdb --format gdelt-mentions --output mentions.tsv
      warta events --db warta.duckdb --format plover --output events.plover.jsonl
      warta events --db warta.duckdb --format parquet --resolved --output events.parquet
    """
    resolved = resolved or fmt in export.RESOLVED_FORMATS
    with Store(db, read_only=True) as store:
        if fmt == "parquet":
            if not output:
                raise SettingError("--format parquet needs --output FILE.")
            count = export.write_parquet(store, output, limit=limit, resolved=resolved, **filters)
            click.echo(f"{count} event(s) written to {output}", err=True)
            return
        if fmt == "gdelt-mentions":
            rows = export.iter_mentions(store, limit=limit, **filters)
        elif resolved:
            rows = query.iter_resolved(store, limit=limit, **filters)
        else:
            rows = query.iter_events(store, limit=limit, **filters)
        with click.open_file(output or "-", "w", encoding="utf-8") as out:
            export.write_rows(rows, fmt, out, columns=export.EVENT_TABLE, title="events",
                              console=None if output else Console())


@cli.command()
@_db_option
@click.option("--actor", help="Actor code (VENGOV) or country (VEN), either side.")
@click.option("--doc", help="Events reported by one article (its doc name or id).")
@click.option("--story", help="One story's events (an id from `warta stories`).")
@_format_option("table", "csv", "jsonl")
def timeline(db: str, actor: str | None, doc: str | None, story: str | None, fmt: str):
    """Show stored events in the order they happened, one line per happening.

    Each with its date and precision, actors, CAMEO code and name, evidence, how many articles and
    independent sources report it, and the URL (or source name) of each.
    Events the text does not date are listed last, under their article's publication date.

    \b
    Example:
      warta timeline --db warta.duckdb --actor VEN
      warta timeline --db warta.duckdb --story ID --format jsonl
    """
    with Store(db, read_only=True) as store:
        rows = query.timeline(store, actor=actor, doc=doc, story=story)
    export.write_rows(rows, fmt, sys.stdout, console=Console(), columns=TIMELINE_TABLE, title="timeline")


@cli.command()
@_db_option
@_format_option("table", "csv", "jsonl")
def entities(db: str, fmt: str):
    """List stored entities with codes, aliases, mentions.

    \b
    Example:
      warta entities --db warta.duckdb --format csv > entities.csv
    """
    with Store(db, read_only=True) as store:
        rows = query.entities(store)
    export.write_rows(rows, fmt, sys.stdout, console=Console(), columns=ENTITY_TABLE, title="entities")


@cli.command()
@_db_option
@click.option("--pair", help="A directed country pair (RUS-VEN) or one country (RUS).")
@click.option("--period", type=click.Choice(query.PERIODS), default="month", show_default=True)
@click.option("--chart", type=click.Path(dir_okay=False),
              help="Also plot the trend to this PNG or SVG file (Goldstein sum and mean, QuadClass counts).")
@_format_option("table", "csv", "jsonl")
def dyads(db: str, pair: str | None, period: str, fmt: str, chart: str | None):
    """Show cooperation and conflict per country pair.

    Per pair and period: events, Goldstein sum and mean, and counts per QuadClass 1-4.
    \b
    Example:
      warta dyads --db warta.duckdb --pair RUS-VEN --period month
      warta dyads --db warta.duckdb --pair RUS-VEN --period week --chart rus-ven.png --format csv
    """
    with Store(db, read_only=True) as store:
        rows = query.dyads(store, pair=pair, period=period)
    if chart:
        export.dyad_chart(rows, chart, title=f"{pair or 'all pairs'} per {period}")
        click.echo(f"chart written to {chart}", err=True)
    export.write_rows(rows, fmt, sys.stdout, console=Console(), title=f"dyads per {period}")


@cli.command()
@_db_option
@click.option("--limit", type=click.IntRange(min=0), help="At most this many stories (the most recent).")
@_format_option("table", "csv", "jsonl")
def stories(db: str, limit: int | None, fmt: str):
    """List stored stories: articles about one happening, copies merged.

    Each with its id, title, date range, actors, articles, independent sources, resolved events and
    a summary; `warta timeline --story ID` shows its events.
    \b
    Example:
      warta stories --db warta.duckdb --limit 20
    """
    with Store(db, read_only=True) as store:
        rows = query.stories(store, limit=limit)
    export.write_rows(rows, fmt, sys.stdout, console=Console(), columns=STORY_TABLE, title="stories")


@cli.command(name="eval")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold annotations (JSON Lines), by words or by reference.")
@click.option("--errors", is_flag=True, help="Also list each missed, spurious or misdated event.")
@click.option("--dataset", default=gold_module.INDOSUM, show_default=True,
              help="The articles that gold by reference points into.")
@click.option("--split", help="Score only gold records of this split (dev, report).")
@click.option("--against", type=click.Path(exists=True, dir_okay=False),
              help="Score this second coding instead of Warta's output (inter-coder agreement).")
@click.argument("sources", nargs=-1)
def evaluate(gold: str, errors: bool, dataset: str, split: str | None, against: str | None,
             sources: tuple[str, ...]):
    """Score analysed articles (or a second coder) against gold annotations.

    Prints precision, recall and F1 per component. Gold by reference (offsets into a dataset) needs no
    SOURCES: its articles are read from --dataset.
    \b
    Example:
      warta eval --gold ../shared/gold/seeds.jsonl ../shared/corpus/seeds/ --errors
      warta eval --gold gold/indosum/coder_a.jsonl --split dev
      warta eval --gold gold/indosum/coder_a.jsonl --against gold/indosum/coder_b.jsonl
    """
    from .evaluate import evaluate as score

    pairs = gold_module.read(gold, dataset=dataset, split=split)
    if against:
        second = {r["doc"]: r for r, _ in gold_module.read(against, dataset=dataset)}
        texts = {r["doc"]: source["text"] for r, source in pairs if source}
        pairs = [(r, s) for r, s in pairs if r["doc"] in second]
        predicted = [gold_module.as_prediction(second[r["doc"]], texts[r["doc"]]) for r, _ in pairs]
    elif sources:
        predicted = _analysed(sources)
    else:
        from .ingest import META_KEYS, article_from_text

        pipeline = Pipeline()
        predicted = (
            pipeline(article_from_text(s["text"], doc=s["id"], meta={k: s.get(k) for k in META_KEYS}))
            for _, s in pairs if s
        )
    click.echo(score([r for r, _ in pairs], predicted, errors=errors).render())


@cli.command()
@click.option("--db", envvar="WARTA_DB", help="Explain a stored article (by doc name or id) instead.")
@click.argument("source_or_doc")
def explain(source_or_doc: str, db: str | None):
    """Show why each entity, time and event was found.

    Prints each sentence with the entities, times, quotes and events found in it and the rule behind
    each. SOURCE_OR_DOC is a file to analyse, or with --db a stored article's doc name or id.
    \b
    Example:
      warta explain article.txt
      warta explain rusia-venezuela-2019 --db warta.duckdb
    """
    if db:
        with Store(db, read_only=True) as store:
            articles = [store.article(source_or_doc)]
        if articles[0] is None:
            raise click.ClickException(f"No article {source_or_doc!r} in {db}.")
    else:
        articles = _analysed([source_or_doc])
    console = Console(highlight=False)
    explained = 0
    for article in articles:
        for line in export.explain(article):
            console.print(line)
        explained += 1
    if not explained:
        raise click.ClickException(f"Nothing to explain in {source_or_doc} (a stored doc needs --db).")


@cli.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port.")
def serve(db: str, host: str, port: int):
    """Serve the HTTP API and the web UI over a store, read-only.

    The web UI is at / and the API reference at /docs (docs/api.md). The store stays open while the
    server runs: stop it before `warta ingest` writes to the same store.
    \b
    Example:
      warta serve --db warta.duckdb --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from .api import create_app

    app = create_app(db)
    click.echo(f"Serving {db} at http://{host}:{port}/ (Ctrl+C stops)", err=True)
    uvicorn.run(app, host=host, port=port)
