"""The clean stage: drop boilerplate lines, normalise whitespace and quotes, find title, outlet and dateline.

Scraped news keeps the page around the story: related links ("Baca juga: ..."), ad slots, video
prompts, comment and login widgets, share buttons, image file names, photo credits, bylines. Clean
drops those *lines* (patterns in ``warta/data/clean/boilerplate.tsv``) and keeps each one, as it was,
in ``article.removed`` so a user can audit what went. It never rewrites a story line beyond
whitespace and quotes, with three narrow exceptions, each also recorded in ``removed``:

- a related link in brackets inside a paragraph ("(Baca juga: ...)"); an unbracketed one inside a
  paragraph stays, since nothing marks where its headline ends and the story resumes;
- a photo credit or editor code at the end of a line ("... (23/3/2019).Courtesy via Twitter",
  "... (FT/akm)");
- a caption a scraper doubled on one line ("<caption> <credit> <caption>"), of which one copy stays.

Subheadings and photo captions are part of the story and stay. The title line and the date header
lines stay in ``text`` too: later stages read them. Lines keep their order; a blank line in the input
between two kept lines becomes one blank line, so paragraphs stay visible.

No library does this for Indonesian scraped text (trafilatura and jusText work on HTML structure,
which plain text has lost), hence this module.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .data import read_tsv
from .doc import Article
from .errors import BadLexicon
from .pipeline import stage

# Character-for-character (or deletion) normalisation: unusual spaces become spaces, invisible
# characters go, curly quotes become straight ones, so later stages match one form.
_TRANSLATION = (
    dict.fromkeys(map(ord, "\t\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                      "\u2009\u200a\u202f\u205f\u3000"), " ")
    | dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"), None)
    | dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"), '"')
    | dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032"), "'")
)
_SPACE_RUNS = re.compile(r" {2,}")
_DOMAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,6}")
_DIGIT = re.compile(r"\d")

_TITLE_MAX_CHARS = 200  # Indonesian headlines run to about 150 characters; a longer line is prose
_DATELINE_LINES = 6  # the dateline opens the story, after title, date and caption lines if any
_CAPTION_PREFIX = 30  # characters a doubled caption's copies must share before a repeat is trusted
_CAPTION_CREDIT_MAX = 80  # longest credit between a doubled caption's copies


@dataclass(frozen=True)
class _Rules:
    """The compiled patterns of ``warta/data/clean/``."""

    line: re.Pattern[str]
    inline: re.Pattern[str]
    trailing: re.Pattern[str]
    datelines: tuple[re.Pattern[str], ...]
    outlets: dict[str, str]
    rubrics: frozenset[str]


@functools.cache
def _rules() -> _Rules:
    """Load and compile the boilerplate, dateline and outlet tables once."""
    by_kind: dict[str, list[str]] = {"line": [], "inline": [], "trailing": []}
    for row in read_tsv("clean/boilerplate.tsv"):
        if row["kind"] not in by_kind:
            raise BadLexicon(f"clean/boilerplate.tsv: unknown kind {row['kind']!r}.")
        flags = "?i:" if row["ignore_case"] == "yes" else "?:"
        by_kind[row["kind"]].append(f"({flags}{row['pattern']})")
    try:
        line, inline, trailing = (re.compile("|".join(by_kind[k])) for k in ("line", "inline", "trailing"))
        trailing = re.compile(f"(?:{trailing.pattern})$")
        datelines = tuple(re.compile(row["pattern"]) for row in read_tsv("clean/datelines.tsv"))
    except re.error as error:
        raise BadLexicon(f"warta/data/clean/: a pattern does not compile: {error}.") from error
    outlets = {row["name"]: row["domain"] for row in read_tsv("clean/outlets.tsv")}
    rubrics = frozenset(row["name"] for row in read_tsv("clean/rubrics.tsv"))
    return _Rules(line, inline, trailing, datelines, outlets, rubrics)


def normalize_line(line: str) -> str:
    """Return ``line`` with straight quotes, plain single spaces and no invisible characters."""
    return _SPACE_RUNS.sub(" ", line.translate(_TRANSLATION)).strip()


@stage(
    "clean",
    requires=["article.raw"],
    assigns=["article.text", "article.removed", "article.title", "article.source", "article.dateline",
             "article.paragraphs"],
)
def clean(article: Article) -> Article:
    """Drop boilerplate, normalise the text, and set title, source and dateline (input metadata wins)."""
    rules = _rules()
    removed: list[str] = []
    kept: list[tuple[str, str, bool]] = []  # (input line, clean line, a blank line came before it)
    blank_before = False
    for raw_line in article.raw.split("\n"):
        line = normalize_line(raw_line)
        if not line:
            blank_before = True
            continue
        if rules.line.fullmatch(line):
            removed.append(raw_line)
            continue
        line = _strip_within(line, rules, removed)
        if line:
            kept.append((raw_line, line, blank_before))
            blank_before = False

    parts: list[str] = []
    paragraphs: list[tuple[int, int]] = []
    offset = 0
    for index, (_, line, blank) in enumerate(kept):
        if index:
            separator = "\n\n" if blank else "\n"
            parts.append(separator)
            offset += len(separator)
        parts.append(line)
        paragraphs.append((offset, offset + len(line)))
        offset += len(line)

    title = _title(kept)
    place, outlet = _dateline(kept[1 if title else 0 : _DATELINE_LINES], rules)
    article.text = "".join(parts)
    article.removed = removed
    article.paragraphs = paragraphs
    article.title = article.meta.get("title") or title
    article.source = article.meta.get("source") or outlet
    article.dateline = place
    return article


def _strip_within(line: str, rules: _Rules, removed: list[str]) -> str:
    """Return ``line`` without a doubled caption copy, bracketed related links and a trailing credit."""
    if len(line) >= 2 * _CAPTION_PREFIX:
        repeat = line.find(line[:_CAPTION_PREFIX], 1)
        copy = line[repeat:] if repeat > 0 else ""
        if copy and line.startswith(copy) and 0 <= repeat - len(copy) <= _CAPTION_CREDIT_MAX:
            removed.append(line[len(copy):].strip())
            line = copy
    if "(" in line or "[" in line:
        stripped = rules.inline.sub(lambda m: removed.append(m.group().strip()) or "", line)
        if stripped != line:
            line = _SPACE_RUNS.sub(" ", stripped).strip()
    match = rules.trailing.search(line)
    if match:
        removed.append(match.group().strip())
        line = line[: match.start()].rstrip()
    return line


def _title(kept: list[tuple[str, str, bool]]) -> str | None:
    """Return the first line when it looks like a headline, in the publisher's characters.

    A headline is short, does not end like a sentence or a lead-in, is not a date line, and has more
    text after it; the first line of many scraped texts is already the story's first sentence.
    """
    if len(kept) < 2:
        return None
    raw_line, line, _ = kept[0]
    if len(line) > _TITLE_MAX_CHARS or line.endswith((":", ",", ";")):
        return None
    if line.endswith(".") and not line.endswith("..."):
        return None
    if len(_DIGIT.findall(line)) > 0.15 * len(line):  # "Kamis, 28 Maret 2019 | 23:08 WIB"
        return None
    if _dateline([kept[0]], _rules()) != (None, None):
        return None
    # Keep the publisher's quotes unless a rule edited the line.
    return " ".join(raw_line.split()) if normalize_line(raw_line) == line else line


def _dateline(lines: list[tuple[str, str, bool]], rules: _Rules) -> tuple[str | None, str | None]:
    """Return the (place, outlet domain) of the first dateline opening one of ``lines``."""
    for _, line, _ in lines:
        for pattern in rules.datelines:
            match = pattern.match(line)
            if not match:
                continue
            groups = match.groupdict()
            outlet = _outlet_domain(groups.get("outlet"), rules)
            place = groups.get("place")
            if groups.get("outlet") is not None and outlet is None:
                continue  # not a known outlet: the line is not a dateline of this shape
            if place and not _is_place(place, rules):
                continue
            if place and place.isupper():
                place = place.title()  # "MOSKWA" -> "Moskwa"
            return place, outlet
    return None, None


def _is_place(name: str, rules: _Rules) -> bool:
    """Tell whether a dateline's place slot holds a place, not an outlet or a rubric label ("OPINI")."""
    lowered = name.lower()
    if _DOMAIN.fullmatch(name) or lowered in rules.outlets:
        return False
    return lowered not in rules.rubrics and lowered.split(" ", 1)[0] not in rules.rubrics


def _outlet_domain(name: str | None, rules: _Rules) -> str | None:
    """Return the domain of an outlet as a dateline names it ("KOMPAS.com", "ANTARA News")."""
    if not name:
        return None
    if _DOMAIN.fullmatch(name):
        return name.lower()
    return rules.outlets.get(name.lower())
