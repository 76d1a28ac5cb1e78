"""Read news articles as they are found and make :class:`~warta.doc.Article` records of them.

Inputs: plain text as scraped (``.txt``), HTML pages (``.html``; trafilatura finds the main text, title,
site and date), JSON Lines records (``.jsonl``, ``.jsonl.gz``; ``text`` or ``html`` plus optional ``id``,
``url``, ``source``, ``title``, ``published``), RSS/Atom feeds (``.rss``, ``.atom``, ``.xml``; feedparser),
WARC archives (``.warc``, ``.warc.gz``; warcio, HTML response records), directories (recursive, sorted)
and ``-`` for standard input. A file whose extension says nothing is recognised by its first bytes.

Every article gets ``id``, the first 16 hex digits of the SHA-256 of its raw text with line endings
normalised, so ingesting the same text twice gives the same id, and ``doc``, a readable name: the file's
stem, the record's ``id``, or for feed entries and WARC records ``<file stem>:<hash of the URL>``.

Bad input never stops a batch and is never dropped silently: each empty, binary, wrongly encoded, huge
or malformed document becomes one :class:`Rejected` with the reason, and reading goes on.

Encoding policy: bytes are decoded as UTF-8 (a BOM is allowed; UTF-16 is read when it has a BOM).
Bytes that are not valid UTF-8 are decoded as cp1252, the usual legacy encoding of Indonesian web text
(Latin script, mostly ASCII), and the article carries a note in ``errors`` saying so; when that
decoding leaves much of the text outside ASCII, the guess is unsafe and the document is rejected.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from .doc import Article
from .errors import BadInput

MAX_BYTES = 5_000_000  # per document: a news article is rarely over 100 kB; more is a dump or a mistake
META_KEYS = ("title", "source", "url", "published")

# Formats by file name ending; anything else is sniffed from its first bytes.
_KIND_BY_SUFFIX = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl.gz", ".ndjson.gz": "jsonl.gz",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".warc.gz": "warc", ".arc.gz": "warc",
}
_SUFFIXES = sorted(_KIND_BY_SUFFIX, key=len, reverse=True)
_STREAMED = {"jsonl", "jsonl.gz", "warc"}  # read record by record: the file may hold a whole corpus
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls other than tab, newlines, form feed
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption"}


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input document that could not be read as an article, and why."""

    doc: str
    source: str  # the file (and record) it came from
    reason: str


def content_id(text: str) -> str:
    """Return the stable id of a raw text: 16 hex digits of the SHA-256 of it with ``\\n`` line endings."""
    return hashlib.sha256(_normalise_newlines(text).encode("utf-8")).hexdigest()[:16]


def article_from_text(text: str, *, doc: str, meta: dict[str, Any] | None = None) -> Article:
    """Make an article of ``text`` as found (boilerplate included).

    :param text: the raw text; line endings are normalised to ``\\n``.
    :param doc: the name to give it.
    :param meta: input metadata (``title``, ``source``, ``url``, ``published``) that overrides what the
        text says; empty values are dropped.
    """
    raw = _normalise_newlines(text)
    clean_meta = {k: v for k, v in (meta or {}).items() if v not in (None, "")}
    return Article(doc=doc, id=content_id(raw), raw=raw, url=clean_meta.get("url"), meta=clean_meta)


def read(
    sources: Iterable[str | Path] | str | Path, *, max_bytes: int = MAX_BYTES
) -> Iterator[Article | Rejected]:
    """Yield an article or a rejection for every document in ``sources``, in order.

    :param sources: files, directories (read recursively in sorted order, hidden files skipped) or ``-``
        for standard input.
    :param max_bytes: the largest document accepted, in bytes (per record for JSON Lines and WARC).
    """
    if isinstance(sources, str | Path):
        sources = [sources]
    for source in sources:
        if str(source) == "-":
            stream = _read_stream(sys.stdin.buffer, name="stdin", kind=None, max_bytes=max_bytes)
            yield from _safely(stream, doc="stdin", source="stdin")
            continue
        path = Path(source)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from _read_file(child, max_bytes=max_bytes)
        elif path.is_file():
            yield from _read_file(path, max_bytes=max_bytes)
        else:
            yield Rejected(_stem(path), str(path), "no such file or directory")


def decode(data: bytes) -> tuple[str, str | None]:
    """Return ``data`` as text and a note when it was not UTF-8 (see the module's encoding policy).

    :raises BadInput: when the bytes are binary or no safe decoding exists.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as error:
            raise BadInput(f"not valid UTF-16 despite its byte-order mark: {error.reason}") from error
    if b"\x00" in data:
        raise BadInput("binary data (NUL bytes), not text")
    try:
        text, note = data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        text = data.decode("cp1252", errors="replace")
        if len(_NON_ASCII.findall(text)) > 0.2 * len(text):
            raise BadInput(
                f"not valid UTF-8 (byte {error.start}) and too much non-ASCII to guess the encoding"
            ) from error
        note = f"ingest: not valid UTF-8 (first bad byte at {error.start}); decoded as cp1252"
    return text, note


def _read_file(path: Path, *, max_bytes: int) -> Iterator[Article | Rejected]:
    """Yield the documents of one file, rejecting the file itself when it cannot be read."""
    kind = _kind(path)
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except OSError as error:
        yield Rejected(_stem(path), str(path), f"cannot read: {error.strerror or error}")
        return
    if kind not in _STREAMED and size > max_bytes:
        handle.close()
        yield Rejected(_stem(path), str(path), f"too large: {size} bytes, the limit is {max_bytes}")
        return
    with handle:
        stream = _read_stream(handle, name=str(path), kind=kind, max_bytes=max_bytes)
        yield from _safely(stream, doc=_stem(path), source=str(path))


def _safely(
    documents: Iterator[Article | Rejected], *, doc: str, source: str
) -> Iterator[Article | Rejected]:
    """Yield ``documents``; a stream that breaks off (truncated gzip, read error) ends in one rejection."""
    try:
        yield from documents
    except (OSError, EOFError) as error:
        yield Rejected(doc, source, f"cannot read further: {error}")


def _read_stream(
    handle: IO[bytes], *, name: str, kind: str | None, max_bytes: int
) -> Iterator[Article | Rejected]:
    """Yield the documents of a binary stream of the given kind (sniffed when ``None``)."""
    stem = _stem(Path(name))
    if kind is None:
        if not hasattr(handle, "peek"):
            handle = io.BufferedReader(handle)  # type: ignore[arg-type]
        kind = _sniff(handle.peek(512)[:512])
    if kind == "jsonl.gz":
        with gzip.open(handle) as lines:
            yield from _read_jsonl(lines, name=name, max_bytes=max_bytes)
        return
    if kind == "jsonl":
        yield from _read_jsonl(handle, name=name, max_bytes=max_bytes)
        return
    if kind == "warc":
        yield from _read_warc(handle, name=name, max_bytes=max_bytes)
        return
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Rejected(stem, name, f"too large: over {max_bytes} bytes")
        return
    if kind == "feed":
        yield from _read_feed(data, name=name, max_bytes=max_bytes)
        return
    try:
        text, note = decode(data)
    except BadInput as error:
        yield Rejected(stem, name, str(error))
        return
    if kind == "html":
        yield _from_html(text, doc=stem, source=name, note=note)
    else:
        yield _checked(text, doc=stem, source=name, meta=None, note=note, max_bytes=max_bytes)


def _read_jsonl(lines: Iterable[bytes], *, name: str, max_bytes: int) -> Iterator[Article | Rejected]:
    """Yield one article or rejection per non-blank line of a JSON Lines stream."""
    stem = _stem(Path(name))
    for number, line in enumerate(lines, start=1):
        where, fallback_doc = f"{name}:{number}", f"{stem}:{number}"
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield Rejected(fallback_doc, where, f"too large: {len(line)} bytes, the limit is {max_bytes}")
            continue
        try:
            record = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            yield Rejected(fallback_doc, where, f"malformed JSON: {error}")
            continue
        if not isinstance(record, dict):
            yield Rejected(fallback_doc, where, f"a JSON {type(record).__name__}, not an object")
            continue
        doc = str(record.get("id") or fallback_doc)
        meta = {k: str(record[k]) for k in META_KEYS if record.get(k) not in (None, "")}
        text, html = record.get("text"), record.get("html")
        if isinstance(text, str) and text.strip():
            yield _checked(text, doc=doc, source=where, meta=meta, note=None, max_bytes=max_bytes)
        elif isinstance(html, str) and html.strip():
            yield _from_html(html, doc=doc, source=where, meta=meta)
        else:
            yield Rejected(doc, where, "no text: the record needs a non-empty 'text' or 'html' string")


def _read_feed(data: bytes, *, name: str, max_bytes: int) -> Iterator[Article | Rejected]:
    """Yield one article or rejection per RSS/Atom entry; a feed that does not parse is one rejection."""
    import feedparser  # imported here: it costs start-up time and only feeds need it

    stem = _stem(Path(name))
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"malformed feed: {problem}" if problem else "a feed with no entries"
        yield Rejected(stem, name, reason)
        return
    feed_source = _hostname(parsed.feed.get("link"))
    # feedparser reads what it can of a broken feed; say so on everything taken from it
    damage = f"malformed feed: {parsed.get('bozo_exception')}" if parsed.get("bozo") else None
    for number, entry in enumerate(parsed.entries, start=1):
        key = entry.get("id") or entry.get("link") or entry.get("title") or str(number)
        doc = f"{stem}:{_short_hash(key)}"
        where = f"{name}#{number}"
        body = entry.get("content", [{}])[0].get("value") or entry.get("summary") or ""
        title = (entry.get("title") or "").strip()
        text = _html_fragment_text(body)
        if not text.strip():
            reason = "a feed entry with no content or summary"
            yield Rejected(doc, where, f"{reason} ({damage})" if damage else reason)
            continue
        if title and not text.startswith(title):
            text = f"{title}\n\n{text}"
        meta = {
            "title": title,
            "url": entry.get("link"),
            "source": _hostname(entry.get("link")) or feed_source,
            "published": _feed_date(entry),
        }
        yield _checked(text, doc=doc, source=where, meta=meta, note=damage and f"ingest: {damage}",
                       max_bytes=max_bytes)


def _read_warc(handle: IO[bytes], *, name: str, max_bytes: int) -> Iterator[Article | Rejected]:
    """Yield one article or rejection per HTML response record (status 200) of a WARC archive.

    Other records (requests, metadata, images, redirects, errors) are not articles and are skipped.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    stem = _stem(Path(name))
    try:
        for record in ArchiveIterator(handle):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if not content_type.startswith(_HTML_TYPES) or record.http_headers.get_statuscode() != "200":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            doc, where = f"{stem}:{_short_hash(url)}", f"{name}#{url}"
            data = record.content_stream().read(max_bytes + 1)
            if len(data) > max_bytes:
                yield Rejected(doc, where, f"too large: over {max_bytes} bytes")
                continue
            try:
                text, note = decode(data)
            except BadInput as error:
                yield Rejected(doc, where, str(error))
                continue
            yield _from_html(text, doc=doc, source=where, meta={"url": url}, note=note)
    except ArchiveLoadFailed as error:
        yield Rejected(stem, name, f"malformed WARC: {error}")
    except Exception as error:  # warcio fails on broken records in many ways; the batch goes on
        yield Rejected(stem, name, f"malformed WARC: {type(error).__name__}: {error}")


def _from_html(html: str, *, doc: str, source: str, meta: dict[str, str] | None = None,
               note: str | None = None) -> Article | Rejected:
    """Make an article of an HTML page's main text, its headline as the first line.

    Markup metadata (title, URL, host, a date from meta tags, never from the body) fills what ``meta``
    leaves out; the body's dates are the time stage's to find.
    """
    import trafilatura  # imported here: it costs start-up time and only HTML needs it

    meta = dict(meta or {})
    try:
        page = trafilatura.bare_extraction(
            html, url=meta.get("url"), with_metadata=True, include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura raises many kinds on broken markup; the batch goes on
        return Rejected(doc, source, f"malformed HTML: {type(error).__name__}: {error}")
    if page is None or not (page.text or "").strip():
        return Rejected(doc, source, "no main text found in the HTML")
    text, title = page.text, (page.title or "").strip()
    if title and not text.startswith(title):
        text = f"{title}\n{text}"
    found = {"title": title, "url": page.url, "source": _hostname(page.url) or page.hostname,
             "published": page.date}
    for key, value in found.items():
        if value and not meta.get(key):
            meta[key] = value
    return _checked(text, doc=doc, source=source, meta=meta, note=note, max_bytes=None)


def _checked(text: str, *, doc: str, source: str, meta: dict[str, Any] | None, note: str | None,
             max_bytes: int | None) -> Article | Rejected:
    """Make an article of ``text``, or reject it when it is empty or too large."""
    if not text.strip():
        return Rejected(doc, source, "empty: no text")
    if len(_CONTROL.findall(text)) > 0.01 * len(text):
        return Rejected(doc, source, "binary data (control characters), not text")
    if max_bytes is not None and len(text.encode("utf-8")) > max_bytes:
        return Rejected(doc, source, f"too large: over {max_bytes} bytes of text")
    article = article_from_text(text, doc=doc, meta=meta)
    if note:
        article.errors.append(note)
    return article


def _html_fragment_text(fragment: str) -> str:
    """Return the text of an HTML fragment (a feed entry), one line per block element.

    trafilatura returns nothing for fragments this short, so lxml reads them directly.
    """
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except ParserError:
        return ""
    for element in root.iter("script", "style"):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (line.strip() for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _feed_date(entry: Any) -> str | None:
    """Return a feed entry's publication time as ISO 8601, keeping its own time zone."""
    value = entry.get("published") or entry.get("updated")
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).isoformat()  # RSS: RFC 822
    except (TypeError, ValueError):
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()  # Atom: RFC 3339
    except ValueError:
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        return datetime(*parsed[:6]).strftime("%Y-%m-%dT%H:%M:%S+00:00") if parsed else None


def _kind(path: Path) -> str | None:
    """Return the input format a file name says, or ``None`` when it says nothing."""
    return _KIND_BY_SUFFIX.get(_suffix(path.name))


def _sniff(head: bytes) -> str:
    """Return the input format its first bytes show."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith(b"\x1f\x8b"):
        return "jsonl.gz"  # gzip: the corpora we take are gzipped JSON Lines; WARCs say .warc.gz
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<"):
        return "feed" if any(tag in start for tag in (b"<rss", b"<feed", b"<rdf")) else "html"
    return "text"


def _stem(path: Path) -> str:
    """Return a file's name without its (double) extension: ``a.warc.gz`` -> ``a``."""
    suffix = _suffix(path.name)
    return path.name[: -len(suffix)] if suffix else path.stem


def _suffix(name: str) -> str:
    """Return the known extension ``name`` ends with (longest first, so ``.jsonl.gz`` beats ``.gz``)."""
    lowered = name.lower()
    return next((s for s in _SUFFIXES if lowered.endswith(s)), "")


def _hostname(url: str | None) -> str | None:
    """Return a URL's host without ``www.``."""
    if not url or "//" not in url:
        return None
    host = url.split("//", 1)[1].split("/", 1)[0].split(":", 1)[0].lower()
    return host.removeprefix("www.") or None


def _short_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
