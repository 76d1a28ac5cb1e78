"""The time stage: find temporal expressions, fix the publication date, and date events.

Recognition is one precompiled regular expression: an alternation of rules (full dates, numeric
dates, datelines with clock times and zones, month and year expressions, relative phrases, counts of
units, weekdays) built once from the lexicons under ``warta/data/time/``. Each match is normalised
TIMEX3-style against the publication date (the anchor) by small Python functions. With no anchor the
year is never guessed: values stay unresolved (``XXXX-05``, ``XXXX-WXX-5``) or None.

Why rules and not dateparser (measured by ``benchmarks/bench_time.py``): dateparser 1.5.0
(``languages=['id']``, one reused ``DateDataParser``) only *parses* a string it is given; it does not find
expressions in running text. Given the exact span of the 136 dated expressions of
``tests/fixtures/timexes.tsv`` and the row's anchor as ``RELATIVE_BASE``, it gets 38% right (it misses
"hari Jumat", "Desember lalu", "akhir pekan lalu", "awal bulan ini", bare months, weeks and weekends, and
fills a missing day from the anchor) at 1.1-1.7 ms per expression; the rules get 100% of them while
reading the whole sentence in 0.1-0.2 ms. So dateparser is called only where the rules cannot read a
string: an input ``published`` in neither ISO 8601 nor RFC 2822, and a short header line holding a year
that the grammar does not read as a date.

Speed: the grammar is tried only where a rule can begin (a digit, "(", or the first word of a lexicon
entry, found by one trie-shaped regex over the lowercased text); running the big alternation at every
character costs five times more. On the first 300 IndoSum news articles the stage costs 4.1-4.8 times a
plain regex word tokenisation of the same text (about 0.5 ms per article on a shared 2-core machine).

Anchors, in order (each only where it falls 0-3 days before ``published``: an input date is often a crawl
or an update, IndoSum's typically 0-2 days after the story):

- The *writing day* resolves deictic expressions ("hari ini", "kemarin", "pekan lalu"): a header or
  dateline date, else a dated URL (``/2017/11/14/``, ``/20171114...``) one to three days before the input
  date, else ``published``. Each timex records it in ``Timex.anchor``.
- The *reporting day* (:func:`reporting_date`, with its source ``speech``, ``dateline``, ``url`` or
  ``published``) dates what the article reports as done without a date of its own: the latest day a
  statement is dated with ("kata X di Mapolda, Selasa (14/11/2017)"), else the writing day, else
  ``published``. Those events get it with precision ``publication``.

Weekdays resolve to the most recent such day on or before the anchor (in 3,000 IndoSum articles a weekday
given with its date falls on the anchor's own day 750 times and a week before it 12 times) unless the
clause is future ("akan", "mendatang", "depan") or the weekday says "lalu"/"kemarin"; a bare weekday naming
the writing day when every statement is dated before it is the week before; "Rabu ini" is this ISO
week's; a bare weekday repeating one given with its date ("Rabu (4/1/2017) ... Rabu") is that date; weeks
("pekan lalu") are Monday-Sunday date intervals; "<bulan> lalu" is the most recent such month begun, the
anchor's own included (counted in IndoSum: see ``lalu`` in ``data/time/cues.tsv``); a bare month is the
nearest past-or-current one.

Event dates (:func:`event_date`): the event's own clause date; nothing for what has not happened ("belum
menangkap") and only its own date for a planned, future, negated or habitual event; a date carried within
its paragraph; else the reporting day.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

from .data import read_tsv
from .doc import Article, Sentence, Timex, Token
from .pipeline import stage

# Granularity of a timex -> precision of an event date that takes it.
_PRECISION = {"datetime": "datetime", "day": "day", "week": "interval", "month": "month", "year": "year",
              "interval": "interval"}


# --------------------------------------------------------------------------------------------- lexicon
@dataclass(frozen=True)
class _Lexicon:
    """The time lexicons, keyed by lowercase surface form."""

    months: dict[str, int]
    abbreviations: frozenset[str]
    weekdays: dict[str, int]
    numbers: dict[str, str]
    units: dict[str, str]
    parts_of_day: dict[str, str]
    zones: dict[str, str]
    relative: dict[str, tuple[str, str, str]]  # phrase -> (unit, offset, part)
    cues: dict[str, frozenset[str]]  # role -> words


@functools.cache
def _lexicon() -> _Lexicon:
    cues: dict[str, set[str]] = {}
    for row in read_tsv("time/cues.tsv"):
        cues.setdefault(row["role"], set()).add(row["word"].lower())
    months = read_tsv("time/months.tsv")
    return _Lexicon(
        months={r["name"].lower(): int(r["month"]) for r in months},
        abbreviations=frozenset(r["name"].lower() for r in months if r["abbreviation"]),
        weekdays={r["name"].lower(): int(r["weekday"]) for r in read_tsv("time/weekdays.tsv")},
        numbers={r["word"].lower(): r["value"] for r in read_tsv("time/numbers.tsv")},
        units={r["word"].lower(): r["unit"] for r in read_tsv("time/units.tsv")},
        parts_of_day={r["word"].lower(): r["code"] for r in read_tsv("time/parts_of_day.tsv")},
        zones={r["name"]: r["offset"] for r in read_tsv("time/zones.tsv")},
        relative={r["phrase"].lower(): (r["unit"], r["offset"], r["part"])
                  for r in read_tsv("time/relative.tsv")},
        cues={role: frozenset(words) for role, words in cues.items()},
    )


# --------------------------------------------------------------------------------------------- grammar
def _words(words, *, caps: bool = False) -> str:
    """A regular expression for any of ``words``, spaces matching any run of spaces.

    :param caps: only the capitalised and upper-case forms (weekday and month names, which Indonesian
        capitalises, so a lowercase "minggu" stays the noun "week"); otherwise any case.
    """
    if not caps:
        return f"(?i:{_trie(sorted({w.lower() for w in words}))})"
    return _trie(sorted({f for w in words for f in (w[:1].upper() + w[1:], w.upper())}))


def _trie(words: list[str]) -> str:
    """A regex alternation of ``words`` factored by common prefix, longest match first: Python's engine
    tries the branches of an alternation one by one, so a flat list of a hundred words is slow."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + emit(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


@functools.cache
def _grammar() -> re.Pattern[str]:
    """Compile every rule into one alternation; each rule's groups are prefixed with its name."""
    lex = _lexicon()
    cue = lex.cues
    full_months = [m for m in lex.months if m not in lex.abbreviations]
    mon = _words(full_months, caps=True)
    abbr = _words(lex.abbreviations, caps=True)
    monx = f"(?:{mon}|{abbr}\\.?)"
    wd = _words(lex.weekdays)
    wd_caps = _words(lex.weekdays, caps=True)
    year = r"(?:1[5-9]|20)\d\d"
    day = r"(?:[12]\d|3[01]|0?[1-9])"
    zone = _words(lex.zones, caps=True)
    pod = _words(lex.parts_of_day)
    past_future = _words(cue["past"] | cue["future"])
    clock = (
        rf"(?:\s*[|,\-–]?\s*(?:(?:(?:{_words(cue['approx'])})\s+)?(?:{_words(cue['clock_word'])})\s*(?P<hh>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)"
        rf"|(?P<hh2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)|(?P<hh3>[01]?\d|2[0-3])\.(?P<mi3>[0-5]\d)(?=\s*{zone}))"
        rf"(?!\d)(?:\s*(?P<zone>{zone}))?)?"
    )
    day_word = _words(cue["day_word"])
    month_word = _words(cue["month_word"])
    year_word = _words(cue["year_word"])
    modifier = _words(cue["modifier"])
    since = _words(cue["since"])
    prep = _words(cue["prep"])
    numbers = _words(lex.numbers)
    units = _words(lex.units)
    se_units = _words("se" + u for u in lex.units)
    directions = _words(cue["past"] | cue["future"] | cue["after"] | cue["before"] | cue["last"])
    relative = _words(lex.relative)
    weekday_relative = _words(cue["past"] | cue["future"] | cue["current"] |
                              {f"{w} {d}" for w in ("pekan", "minggu") for d in ("lalu", "depan", "ini")})
    week_ordinal = _words(cue["week_ordinal"])
    # Relative phrases of one unit: "(7/11) kemarin" restates a date, "September tahun lalu" gives a year.
    day_relative = _words(p for p, (unit, _, _) in lex.relative.items() if unit == "D")
    year_relative = _words(p for p, (unit, _, _) in lex.relative.items() if unit == "Y")
    rules = {
        # "Nomor 26 Tahun 2017", "No. 5 tahun 2010": a document's number, not a time (never resolved)
        "docnumber": rf"(?:{_words(cue['number_word'])})\.?\s*\d+\s+(?:{year_word}\s+)?{year}(?!\d)",
        # "Sabtu 23 Maret 2019", "Kamis, 28 Maret 2019 | 23:08 WIB", "20 Maret", "2 Agustus lalu"
        "textdate": rf"(?:{day_word}\s+)?(?:(?P<wd>{wd})\s*,?\s+)?(?P<d>{day})(?:\s*[-–]\s*(?P<d2>{day}))?"
                    rf"\s+(?P<m>{monx})(?:\s+(?P<y>{year})(?!\d)|\s+(?P<rel>{past_future}))?{clock}",
        # "Senin (25/3/2019)", "(23/3)", "Sabtu (23/3)"
        "numparen": rf"(?:{day_word}\s+)?(?:(?P<wd>{wd})\s*,?\s*)?\((?P<d>{day})/(?P<m>1[0-2]|0?[1-9])"
                    rf"(?:/(?P<y>{year}|\d\d))?\){clock}(?:\s+(?P<same>{day_relative}))?",
        # "23/3/2019", "Kamis, 28-03-2019"
        "numdate": rf"(?:(?P<wd>{wd})\s*,?\s*)?(?P<d>{day})(?P<sep>[/.-])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
                   rf"(?P<y>{year})(?!\d){clock}(?:\s+(?P<same>{day_relative}))?",
        "isodate": rf"(?P<y>{year})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])"
                   rf"(?:[T ](?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d\d)?)?(?![\d:])",
        # "1990-1991", "tahun 2018/2019"
        "yearrange": rf"(?:(?P<tahun>{year_word})\s+)?(?P<y>{year})\s*[-–/]\s*(?P<y2>{year}|\d\d)(?![\d/-])",
        # "Maret 2019", "awal Maret 2019", "bulan Mei 2018"
        "monthyear": rf"(?:(?P<since>{since})\s+)?(?:(?P<mod>{modifier})\s+)?(?:{month_word}\s+)?"
                     rf"(?P<m>{monx})(?:\s*[-–]\s*(?P<m2>{monx}))?\s+(?P<y>{year})(?!\d)",
        # "Desember lalu", "pada bulan Mei", "Sejak September lalu", "Mei mendatang"
        "month": rf"(?:(?P<since>{since})\s+)?(?:(?P<prep>{prep})\s+)?(?:(?P<mod>{modifier})\s+)?"
                 rf"(?:(?P<bulan>{month_word})\s+)?(?P<m>{mon})(?!\s+{year}(?!\d))"
                 rf"(?:\s+(?P<yrel>{year_relative})|\s+(?P<rel>{weekday_relative}))?",
        # "tahun 2001", "pada 2013", "akhir 2018"
        "year": rf"(?:(?P<since>{since})\s+)?(?:(?P<prep>{prep})\s+)?(?:(?P<mod>{modifier})\s+)?"
                rf"(?:(?P<tahun>{year_word})\s+)?(?P<y>{year})(?![\d.,]\d|-|\w)(?:\s+(?P<rel>{past_future}))?",
        # "akhir pekan lalu", "kemarin malam", "sejak tahun lalu"
        "relative": rf"(?:(?P<since>{since})\s+)?(?P<rel>{relative})(?:\s+(?P<pod>{pod}))?",
        # "awal bulan ini", "akhir tahun lalu"
        "modrelative": rf"(?P<mod>{modifier})\s+(?P<rel>{relative})",
        # "tiga bulan setelah", "dua hari kemudian", "3 hari lalu", "sepekan", "belasan tahun"
        "count": rf"(?:(?P<n>{numbers}|\d+)\s+(?P<unit>{units})|(?P<se>{se_units}))(?!-)"
                 rf"(?:\s+(?P<dir>{directions}))?",
        # "pukul 09.00 WIB" alone: a time on the anchor's day
        "clock": rf"(?:{_words(cue['clock_word'])})\s*(?P<hh>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?!\d)"
                 rf"(?:\s*(?P<zone>{zone}))?",
        # "hari Jumat", "Senin malam", "Jumat pekan lalu", "Sabtu"
        "weekday": rf"(?:{day_word}\s+(?P<wd>{wd})|(?P<wd2>{wd_caps})(?!\s+(?:{week_ordinal}|\d)))"
                   rf"(?:\s+(?P<pod>{pod}))?(?:\s+(?P<rel>{weekday_relative}))?{clock}",
    }
    parts = []
    for name, pattern in rules.items():
        pattern = pattern.replace(r"\s", r"[^\S\n]")  # an expression never runs over a line break
        pattern = re.sub(r"\(\?P<(\w+)>", rf"(?P<{name}__\1>", pattern)
        pattern = re.sub(r"\(\?P=(\w+)\)", rf"(?P={name}__\1)", pattern)
        parts.append(f"(?P<{name}>{pattern})")
    return re.compile(r"(?<![\w/.,-])(?:" + "|".join(parts) + r")(?!\w)")


# ------------------------------------------------------------------------------------------- matching
@dataclass(slots=True)
class _Match:
    """A recognised expression before it is resolved against the anchor."""

    rule: str
    start: int
    end: int
    groups: dict[str, str]
    future: bool  # the clause before it is in the future tense

    def has(self, name: str) -> bool:
        return name in self.groups


_TOKEN = re.compile(r"\w+")


@functools.cache
def _starters() -> re.Pattern[str]:
    """Where a rule can begin, on lowercased text: a digit, "(" or the first word of a lexicon entry."""
    lex = _lexicon()
    phrases = [*lex.months, *lex.weekdays, *lex.numbers, *lex.relative, *("se" + u for u in lex.units)]
    for role in ("day_word", "since", "prep", "modifier", "month_word", "year_word", "clock_word",
                 "number_word"):
        phrases.extend(lex.cues[role])
    firsts = sorted({m.group() for p in phrases if (m := _TOKEN.search(p))})
    return re.compile(rf"\(|\b(?:\d+|{_trie(firsts)}(?!\w))")


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Run the grammar only where a rule can start: the whole alternation tried at every character costs
    about 3 ms per article; tried where a starting word is found it costs a tenth of that."""
    grammar = _grammar()
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lowercase is longer: scan every position
        yield from grammar.finditer(text)
        return
    end = 0
    for start in (m.start() for m in _starters().finditer(lowered)):
        if start < end:
            continue
        m = grammar.match(text, start)
        if m:
            end = m.end()
            yield m


def _find(text: str) -> Iterator[_Match]:
    lex = _lexicon()
    future_tense = lex.cues["future_tense"]
    for m in _candidates(text):
        rule = m.lastgroup or ""
        prefix = rule + "__"
        groups = {k[len(prefix):]: v for k, v in m.groupdict().items()
                  if v is not None and k.startswith(prefix)}
        start = _span_start(rule, m, prefix, groups)
        if start is None:
            continue
        yield _Match(rule, start, m.end(), groups, _in_future_clause(text, start, future_tense))


def _in_future_clause(text: str, start: int, future_tense: frozenset[str]) -> bool:
    """Whether the clause before offset ``start`` is in the future tense ("akan", "dijadwalkan")."""
    clause = re.split(r"[.;:!?\n]|,\s", text[max(0, start - 80):start])[-1]
    return any(w in future_tense for w in clause.lower().split())


def _span_start(rule: str, m: re.Match[str], prefix: str, groups: dict[str, str]) -> int | None:
    """Where the span begins, or None when the match is not a time expression after all.

    A bare month needs a cue ("bulan", "lalu", a preposition); the preposition before a month stays out of
    the span ("pada bulan Mei" -> "bulan Mei") but one before a bare year is in it ("pada 2013").
    """
    if rule == "docnumber":
        return None
    if rule == "month" and not groups.keys() & {"since", "prep", "mod", "bulan", "rel", "yrel"}:
        return None
    if rule == "year" and not groups.keys() & {"since", "prep", "mod", "tahun", "rel"} and \
            not _is_bare_year(m.string, m.start(), m.end()):
        return None
    if "since" in groups:
        return m.start()
    if rule == "month" and "prep" in groups:
        after_prep = [n for n in ("mod", "bulan", "m") if n in groups]
        return m.start(prefix + after_prep[0])
    if rule == "year" and "prep" in groups:
        if "mod" in groups or "tahun" in groups:
            return m.start(prefix + ("mod" if "mod" in groups else "tahun"))
        if groups["prep"].lower() not in _lexicon().cues["year_span"]:
            return m.start(prefix + "y")
    return m.start()


def _is_bare_year(text: str, start: int, end: int) -> bool:
    """A four-digit year with no cue is a year ("Pemilu 2014", "APBN 2018", "Piala Dunia 2018") unless
    it counts or prices something: after a quantity word or a currency, or before a measure word."""
    cues = _lexicon().cues
    before = re.findall(r"[\w$]+", text[max(0, start - 20):start].lower())
    after = re.match(r"\s*(\w+)", text[end:end + 20])
    if before and (before[-1] in cues["quantity"] or before[-1] in cues["currency"]):
        return False
    return not (after and after.group(1).lower() in cues["measure"])


# ------------------------------------------------------------------------------------------ resolving
def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + k
    return index // 12, index % 12 + 1


def _week(d: date) -> str:
    """The ISO week (Monday to Sunday) holding ``d``, as a date interval."""
    monday = d - timedelta(days=d.isoweekday() - 1)
    return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"


def _month_value(month: int, rel: str | None, future: bool, anchor: date | None) -> str:
    """The year of a month named without one: "Desember lalu", "bulan Mei", "Mei mendatang"."""
    if anchor is None:
        return f"XXXX-{month:02d}"
    lex = _lexicon()
    rel = (rel or "").lower()
    if rel in lex.cues["past"]:  # the latest such month begun: "Agustus lalu" in August is this August
        year = anchor.year if month <= anchor.month else anchor.year - 1
    elif rel in lex.cues["future"] or future:
        year = anchor.year if month >= anchor.month else anchor.year + 1
    elif rel in lex.cues["current"]:
        year = anchor.year
    else:  # nearest past-or-current
        year = anchor.year if month <= anchor.month else anchor.year - 1
    return f"{year}-{month:02d}"


def _day_month(day: int, month: int, weekday: int | None, rel: str | None, future: bool,
               anchor: date | None) -> date | str | None:
    """A day and month without a year: the nearest such date to the anchor that fits the clues."""
    if anchor is None:
        return f"XXXX-{month:02d}-{day:02d}"
    lex = _lexicon()
    rel = (rel or "").lower()
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if weekday is not None and any(c.isoweekday() == weekday for c in candidates):
        candidates = [c for c in candidates if c.isoweekday() == weekday]
    if rel in lex.cues["past"]:
        candidates = [c for c in candidates if c <= anchor] or candidates
    elif rel in lex.cues["future"] or future:
        candidates = [c for c in candidates if c >= anchor] or candidates
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor))


def _fit_weekday(found: date, weekday: int, anchor: date) -> date:
    """Repair a date near the anchor whose weekday disagrees with it ("Selasa (14/4)" written on 14 March
    for "(14/3)"): the nearest same day of a month around the anchor that falls on that weekday."""
    if found.isoweekday() == weekday or abs((found - anchor).days) > 62:
        return found
    fits = []
    for k in (-1, 0, 1):
        year, month = _add_months(anchor.year, anchor.month, k)
        try:
            candidate = date(year, month, found.day)
        except ValueError:
            continue
        if candidate.isoweekday() == weekday and abs((candidate - anchor).days) <= 31:
            fits.append(candidate)
    fits.sort(key=lambda c: abs((c - anchor).days))
    if not fits or (len(fits) > 1 and abs((fits[0] - anchor).days) == abs((fits[1] - anchor).days)):
        return found
    return fits[0]


def _weekday(weekday: int, rel: str | None, future: bool, anchor: date) -> date:
    """The day a weekday named alone refers to (see the module docstring)."""
    lex = _lexicon()
    words = (rel or "").lower().split()
    week_shift = None
    if len(words) == 2:  # "Jumat pekan lalu": that weekday in the previous/next/this ISO week
        week_shift = -1 if words[1] in lex.cues["past"] else 1 if words[1] in lex.cues["future"] else 0
        monday = anchor - timedelta(days=anchor.isoweekday() - 1) + timedelta(weeks=week_shift)
        return monday + timedelta(days=weekday - 1)
    first = words[0] if words else ""
    if first in lex.cues["current"]:  # "Jumat ini": this week's, even in a future clause
        return anchor + timedelta(days=weekday - anchor.isoweekday())
    if first in lex.cues["future"] or (future and first not in lex.cues["past"]):
        ahead = (weekday - anchor.isoweekday()) % 7 or 7
        return anchor + timedelta(days=ahead)
    if first in lex.cues["past"]:  # "Senin lalu", "Senin kemarin": before the anchor's day
        return anchor - timedelta(days=(anchor.isoweekday() - weekday) % 7 or 7)
    return anchor - timedelta(days=(anchor.isoweekday() - weekday) % 7)


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _clock(groups: dict[str, str]) -> tuple[int, int] | None:
    for hh, mi in (("hh", "mi"), ("hh2", "mi2"), ("hh3", "mi3")):
        if hh in groups:
            return int(groups[hh]), int(groups[mi])
    return None


def _resolve(match: _Match, anchor: date | None) -> tuple[str | None, str] | None:
    """Return (value, granularity) of a match, or None when it is no valid date after all."""
    lex = _lexicon()
    g = match.groups
    rule = match.rule
    if rule in ("textdate", "numparen", "numdate", "isodate"):
        month = lex.months[g["m"].lower().rstrip(".")] if rule == "textdate" else int(g["m"])
        day = int(g["d"])
        weekday = lex.weekdays.get(g.get("wd", "").lower())
        if "y" in g:
            year = int(g["y"]) if len(g["y"]) == 4 else 2000 + int(g["y"])
            try:
                found: date | str | None = date(year, month, day)
            except ValueError:
                return None
        else:
            found = _day_month(day, month, weekday, g.get("rel"), match.future, anchor)
        if found is None:
            return None
        if weekday is not None and isinstance(found, date) and anchor is not None:
            found = _fit_weekday(found, weekday, anchor)
        value = found if isinstance(found, str) else found.isoformat()
        if "d2" in g:  # "23-24 Maret 2019"
            return f"{value}/{value[:8]}{int(g['d2']):02d}", "interval"
        clock = _clock(g)
        if clock:
            return f"{value}T{clock[0]:02d}:{clock[1]:02d}", "datetime"
        return value, "day"
    if rule == "yearrange":
        first, second = g["y"], g["y2"]
        if len(second) == 2:
            second = first[:2] + second
        return (f"{first}/{second}", "interval") if second > first else None
    if rule == "monthyear":
        month = lex.months[g["m"].lower().rstrip(".")]
        value = f"{g['y']}-{month:02d}"
        if "m2" in g:  # "November-Desember 2017"; "Desember-Januari 2018" starts the year before
            last = lex.months[g["m2"].lower().rstrip(".")]
            first_year = int(g["y"]) - (last < month)
            return f"{first_year}-{month:02d}/{g['y']}-{last:02d}", "interval"
        return _since(value, "month", g, anchor)
    if rule == "month":
        month = lex.months[g["m"].lower()]
        if "yrel" in g:  # "September tahun lalu"
            offset = int(lex.relative[re.sub(r"\s+", " ", g["yrel"].lower())][1])
            value = f"{anchor.year + offset}-{month:02d}" if anchor else f"XXXX-{month:02d}"
            return _since(value, "month", g, anchor)
        value = _month_value(month, g.get("rel"), match.future, anchor)
        return _since(value, "month", g, anchor)
    if rule == "year":
        return _since(g["y"], "year", g, anchor)
    if rule in ("relative", "modrelative"):
        unit, offset, part = lex.relative[re.sub(r"\s+", " ", g["rel"].lower())]
        if "pod" in g and unit == "D" and not part:
            part = lex.parts_of_day[g["pod"].lower()]
        value, granularity = _relative(unit, offset, part, match.future, anchor)
        return _since(value, granularity, g, anchor)
    if rule == "count":
        return _count(g, anchor)
    if rule == "clock":
        day = anchor.isoformat() if anchor else "XXXX-XX-XX"
        return f"{day}T{int(g['hh']):02d}:{g['mi']}", "datetime"
    if rule == "weekday":
        weekday = lex.weekdays[(g.get("wd") or g["wd2"]).lower()]
        part = f"T{lex.parts_of_day[g['pod'].lower()]}" if "pod" in g else ""
        clock = _clock(g)
        if clock:
            part = f"T{clock[0]:02d}:{clock[1]:02d}"
        if anchor is None:
            return f"XXXX-WXX-{weekday}{part}", "datetime" if part else "day"
        found = _weekday(weekday, g.get("rel"), match.future, anchor)
        return found.isoformat() + part, "datetime" if part else "day"
    raise AssertionError(rule)


def _since(value: str | None, granularity: str, g: dict[str, str], anchor: date | None):
    """"sejak X" is the interval from X to the anchor; unresolved without an anchor."""
    if "since" not in g or value is None or granularity in ("duration", "unknown"):
        return value, granularity
    if anchor is None or "X" in value:
        return None, "interval"
    return f"{value.split('/')[0]}/{anchor.isoformat()}", "interval"


def _relative(unit: str, offset: str, part: str, future: bool, anchor: date | None) -> tuple[str | None, str]:
    if unit == "REF":
        return part, "unknown"
    granularity = {"D": "day", "W": "week", "M": "month", "Y": "year", "WE": "interval"}[unit]
    if part:
        granularity = "datetime"
    if anchor is None:
        return ("XXXX-WXX" if unit == "W" else None), granularity
    if unit == "WE":
        # The weekend whose Sunday is before the anchor (lalu), of the anchor's ISO week (ini), or after.
        sunday = anchor + timedelta(days=7 - anchor.isoweekday())
        shift = {"-1": -1, "0": 0, "1": 1}.get(offset)
        if shift is None:  # bare "akhir pekan": the coming one in a future clause, else the latest begun
            shift = 0 if future or anchor.isoweekday() >= 6 else -1
        sunday += timedelta(weeks=shift)
        return f"{(sunday - timedelta(days=1)).isoformat()}/{sunday.isoformat()}", "interval"
    k = int(offset)
    if unit == "D":
        value = (anchor + timedelta(days=k)).isoformat()
        return (f"{value}T{part}" if part else value), granularity
    if unit == "W":
        return _week(anchor + timedelta(weeks=k)), granularity
    if unit == "M":
        year, month = _add_months(anchor.year, anchor.month, k)
        return f"{year}-{month:02d}", granularity
    return str(anchor.year + k), granularity


def _count(g: dict[str, str], anchor: date | None) -> tuple[str | None, str]:
    """"tiga hari lalu" is a date; "tiga bulan setelah", "sepekan" are durations (TIMEX3 ``P3M``)."""
    lex = _lexicon()
    if "se" in g:
        n, unit = "1", lex.units[g["se"].lower()[2:]]
    else:
        n, unit = lex.numbers.get(re.sub(r"\s+", " ", g["n"].lower()), g["n"]), lex.units[g["unit"].lower()]
    direction = re.sub(r"\s+", " ", g.get("dir", "").lower())
    clock_unit = unit in ("H", "MIN")
    duration = f"PT{n}{unit[0]}" if clock_unit else f"P{n}{unit}"
    past = direction in lex.cues["past"]
    ahead = direction in lex.cues["future"] and direction != "ke depan"
    if not (past or ahead) or clock_unit or unit not in ("D", "W", "M", "Y"):
        return duration, "duration"
    if n == "X":
        return ("PAST_REF" if past else "FUTURE_REF"), "unknown"
    k = int(n) * (-1 if past else 1)
    granularity = {"D": "day", "W": "week", "M": "month", "Y": "year"}[unit]
    if anchor is None:
        return None, granularity
    return _relative(unit, str(k), "", False, anchor)


# ----------------------------------------------------------------------------------- publication date
def _parse_input_date(value: str) -> tuple[str, date] | None:
    """Return (ISO string, date) for an input ``published``: ISO 8601, RFC 2822 (RSS), or Indonesian
    ("Senin, 25 Maret 2019 10:00 WIB") through dateparser."""
    try:
        return value, date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        parsed: datetime | None = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        parsed = _dateparser().get_date_data(value).date_obj
    if parsed is None:
        return None
    iso = parsed.isoformat() if (parsed.hour, parsed.minute) != (0, 0) else parsed.date().isoformat()
    return iso, parsed.date()


@functools.cache
def _dateparser():
    """One reused Indonesian parser: language detection costs up to 2 s per call (notes/offline-nlp.md)."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["id"], settings={"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past"})


_ABSOLUTE = ("textdate", "numparen", "numdate", "isodate")


def _is_full_date(match: _Match) -> bool:
    return match.rule in _ABSOLUTE and "y" in match.groups and "d2" not in match.groups


def _dateline(text: str, full: list[tuple[_Match, str]]) -> str | None:
    """The date of the header or dateline ("Jakarta, 14 Juni 2020." on a line of its own, "Kamis, 28 Maret
    2019 | 23:08 WIB"), among the article's full dates in text order."""
    header_end = _header_end(text)
    for match, value in full:
        if match.start >= header_end:
            break
        line_start = text.rfind("\n", 0, match.start) + 1
        line_end = text.find("\n", match.end)
        line_end = len(text) if line_end < 0 else line_end
        rest = text[line_start:match.start] + " " + text[match.end:line_end]
        dash_after = re.match(r"\s*\)?\s*[-–—|]", text[match.end:line_end])
        if len(re.findall(r"\w+", rest)) <= 4 or (match.start - line_start <= 60 and dash_after):
            return _with_zone(value, match.groups.get("zone"))
    return None


def _published(text: str, matches: list[tuple[_Match, str | None, str]]) -> tuple[str, str] | None:
    """Find the publication date in the text: dateline, cited report date, or the latest full date."""
    lex = _lexicon()
    full = [(m, v) for m, v, _ in matches if _is_full_date(m) and v]
    dateline = _dateline(text, full)
    if dateline:
        return dateline, "dateline"
    # A cited report date is the publication date only if nothing in the article is later (a bound
    # against an old report quoted in a later story).
    latest = max((v[:10] for m, v in full if not m.future and m.groups.get("rel") is None), default="")
    cite = lex.cues["cite"]
    for match, value in full:
        if value[:10] < latest:
            continue
        before = text[max(0, match.start - 100):match.start]
        before = re.split(r"[.;!?\n]", before)[-1]
        if any(w in cite for w in re.findall(r"\w+", before.lower())):
            return _with_zone(value, match.groups.get("zone")), "cited"
    header = _header_by_dateparser(text[:_header_end(text)])
    if header:
        return header, "dateline"
    # A date in a future clause or with "mendatang" is a plan, not the day of writing.
    said = [(m, v) for m, v in full if not m.future and m.groups.get("rel") is None]
    # Newsrooms date what was said with its weekday, "kata X, Kamis (18/8/2016)": the latest such date
    # is the day of writing or the day before (a birth date or a law's date carries no weekday).
    reported = [v[:10] for m, v in said if m.groups.get("wd") and
                date.fromisoformat(v[:10]).isoweekday() == lex.weekdays[m.groups["wd"].lower()]]
    if reported:
        return max(reported), "text-date"
    if said:
        return max(v[:10] for _, v in said), "latest-date"
    return None


def _header_end(text: str) -> int:
    """The end of the header: the title, date and dateline lines before the first long paragraph."""
    offset = 0
    for line in text.split("\n")[:8]:
        offset += len(line) + 1
        if len(line) > 200:
            return offset
    return offset


def _header_by_dateparser(header: str) -> str | None:
    """A short header line with a year the grammar did not read as a date ("March 28, 2019")."""
    for line in header.split("\n"):
        line = line.strip()
        if 6 <= len(line) <= 60 and re.search(r"\b(?:19|20)\d\d\b", line) and not re.search(r"\d{5}", line):
            parsed = _dateparser().get_date_data(line)
            if parsed.date_obj is not None and parsed.period == "day":
                return parsed.date_obj.date().isoformat()
    return None


def _with_zone(value: str, zone: str | None) -> str:
    """"2019-03-28T23:08" + WIB -> "2019-03-28T23:08:00+07:00"."""
    if "T" not in value:
        return value
    return f"{value}:00{_lexicon().zones.get(zone or '', '')}"


# ---------------------------------------------------------------------------------------------- stage
@stage("time", requires=["article.text"],
       assigns=["article.timexes", "article.published", "article.published_source"])
def time(article: Article) -> Article:
    """Find and normalise the article's temporal expressions and its publication date."""
    text = article.text
    found = list(_find(text))
    anchor: date | None = None
    published = article.meta.get("published")
    parsed = _parse_input_date(str(published)) if published else None
    if parsed:
        article.published, anchor = parsed
        article.published_source = "input"
        anchor = _writing_day(text, found, article, anchor)
    else:
        # Absolute dates resolve without an anchor; find the publication date among them first.
        absolute = [(m, *_resolve(m, None)) for m in found if _is_full_date(m)]
        guess = _published(text, [(m, v, g) for m, v, g in absolute if v])
        if guess:
            article.published, article.published_source = guess
            anchor = date.fromisoformat(guess[0][:10])
        else:
            article.published = article.published_source = None
    timexes: list[Timex] = []
    matches: list[_Match] = []
    for match in found:
        resolved = _resolve(match, anchor)
        if resolved is None:
            continue
        sentence = article.sentence_at(match.start)
        timexes.append(Timex(
            text=text[match.start:match.end], start=match.start, end=match.end,
            sentence=sentence.index if sentence else -1, value=resolved[0], granularity=resolved[1],
            anchor=anchor.isoformat() if anchor else None, rule=match.rule,
        ))
        matches.append(match)
    if anchor is not None:
        if any(m.rule == "weekday" and (t.value or "").startswith(anchor.isoformat())
               for t, m in zip(timexes, matches, strict=True)):  # rare: most articles skip the lookup
            article.timexes = timexes  # read by reporting_date
            report = reporting_date(article)
            if report and report[1] == "speech" and report[0] < anchor.isoformat():
                _weekday_before_report(article, matches, anchor, date.fromisoformat(report[0]))
        _resolve_in_context(timexes, matches)
    article.timexes = timexes
    return article


def _writing_day(text: str, found: list[_Match], article: Article, published: date) -> date:
    """The day the story was written, given an input date that may be a crawl or an update: a header or
    dateline date up to three days before it, else a dated URL one to three days before it (IndoSum's
    dates are often its crawl day), else the input date. "hari ini" and "kemarin" count from this day."""
    header_end = _header_end(text)
    header = [(m, _resolve(m, None)) for m in found if m.start < header_end and _is_full_date(m)]
    full = [(m, resolved[0]) for m, resolved in header if resolved and resolved[0]]
    dateline = _dateline(text, full) if full else None
    if dateline and 0 <= (published - date.fromisoformat(dateline[:10])).days <= 3:
        return date.fromisoformat(dateline[:10])
    written = _url_date(article.meta.get("url") or article.url or "")
    if written and 1 <= (published - written).days <= 3:
        return written
    return published


def _weekday_before_report(article: Article, matches: list[_Match], anchor: date, report: date) -> None:
    """A bare past weekday naming the writing day itself ("Sabtu" written on a Saturday) is that day, as
    Indonesian news names the day of what it reports, unless every statement the article reports is dated
    before that day: then it is the week before. ("diresmikan pada hari Jumat ... mendarat pada hari Sabtu
    ... kata X kepada wartawan, Jumat", written on a Saturday: Sabtu is a week before.) Changed in place."""
    speech = _speech_dated(article)
    for timex, match in zip(article.timexes, matches, strict=True):
        g = match.groups
        if match.rule != "weekday" or "rel" in g or match.future or timex.start in speech or \
                not (timex.value or "").startswith(anchor.isoformat()):
            continue
        day = _weekday(anchor.isoweekday(), None, False, report)
        timex.value, timex.anchor = day.isoformat() + timex.value[10:], report.isoformat()


_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)([/-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?:\d{4,6})?(?=[/_-]|$)")


def _url_date(url: str) -> date | None:
    """The date a news URL carries: ``/2017/11/14/``, ``/20171004084014-32-...``, ``/read/20160922/``."""
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        return None


def _resolve_in_context(timexes: list[Timex], matches: list[_Match]) -> None:
    """Resolve, in place, what the anchor alone cannot: expressions that count from the story's own dates.

    - A bare weekday that repeats a weekday given with its date ("Rabu (4/1/2017) ... Rabu") is that date,
      not the same weekday a week earlier.
    - "tiga hari kemudian", "dua hari sebelumnya" count from the last day the story gave (TIMEX3 anchors
      them on the reference time, not on the publication date).
    - A clock time alone ("sekitar pukul 15.10") is on the last day given in its or the two sentences before.
    """
    lex = _lexicon()
    dated: dict[int, list[Timex]] = {}  # weekday -> explicit dates with that weekday named
    for timex, match in zip(timexes, matches, strict=True):
        weekday = lex.weekdays.get(match.groups.get("wd", "").lower())
        if match.rule in _ABSOLUTE and weekday and timex.granularity in ("day", "datetime") and \
                date.fromisoformat(timex.value[:10]).isoweekday() == weekday:
            dated.setdefault(weekday, []).append(timex)
    last_day: Timex | None = None
    for timex, match in zip(timexes, matches, strict=True):
        g = match.groups
        if match.rule == "weekday" and "rel" not in g:
            weekday = lex.weekdays[(g.get("wd") or g["wd2"]).lower()]
            same = dated.get(weekday, [])
            earlier = [t for t in same if t.start < timex.start]
            explicit = earlier[-1] if earlier else (same[0] if same else None)
            if explicit is not None:
                timex.value = explicit.value[:10] + (timex.value[10:] if "T" in timex.value else "")
        elif match.rule == "count" and last_day is not None and \
                g.get("dir", "").lower() in lex.cues["later"] | lex.cues["earlier"]:
            found = re.fullmatch(r"P(\d+)([DWMY])", timex.value or "")
            if found:
                k = int(found.group(1)) * (1 if g["dir"].lower() in lex.cues["later"] else -1)
                shifted = _shift(last_day.value, found.group(2), k)
                if shifted:
                    timex.value, timex.granularity = shifted
        elif match.rule == "clock" and last_day is not None and 0 <= timex.sentence - last_day.sentence <= 2:
            timex.value = last_day.value[:10] + timex.value[10:]
        if timex.granularity in ("day", "datetime") and re.match(r"\d{4}-\d\d-\d\d", timex.value or ""):
            last_day = timex


# ------------------------------------------------------------------------------------- reporting date
_REPORT_WINDOW = 3  # days a reporting date may precede the publication date
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_CUT = frozenset({'"', "“", "”", ":", ";", "bahwa", "yang"})  # before these, words belong to the report
_SAID_ON = frozenset({"textdate", "numparen", "numdate", "isodate", "weekday", "relative"})  # rules of a day


def _speech_dated(article: Article) -> frozenset[int]:
    """Start offsets of the timexes that date a statement rather than what it reports.

    Indonesian news dates what was said at the end of its attribution ("..., kata Argo di Mapolda Metro
    Jaya, Selasa (14/11/2017).", "ujarnya saat dihubungi, Rabu (28/9)", "menurut kantornya pada Rabu"), or
    right before a speech verb ("Kapuspenkum di Jakarta, Senin, menyatakan ..."). Such a day is when the
    reporter heard it, not when the happenings it reports took place.
    """
    cues = _lexicon().cues
    after = cues["speech_after"] | cues["cite"]
    near = after | cues["speech"]
    text = article.text
    found = set()
    for t in article.timexes:
        if t.rule not in _SAID_ON or t.granularity not in ("day", "datetime") or \
                not _DAY.match(t.value or ""):
            continue
        sentence = article.sentences[t.sentence] if 0 <= t.sentence < len(article.sentences) else None
        lo, hi = (sentence.start, sentence.end) if sentence else (max(0, t.start - 300), t.end + 100)
        following = re.match(r"\s*,?\s*(\w+)", text[t.end:hi])
        if following and following.group(1).lower() in cues["speech"]:
            found.add(t.start)
            continue
        # Back from the timex: the nearest cue before a quote, "bahwa" or "yang" (words of the report);
        # a speech verb followed by a comma introduces the report ("X mengatakan, Anton hari ini ...").
        # A cue opening the sentence ("Diberitakan Reuters, X ditangkap ... pada Sabtu (15/7)") introduces
        # the report: only a date right after it ("Diberitakan Reuters, Kamis (24/8), ...") is its own.
        tokens = re.findall(r"\w+|[\"“”:;,]", text[lo:t.start].lower())[::-1]
        total = sum(token not in _CUT and token != "," for token in tokens)
        words = 0
        for i, token in enumerate(tokens):
            if token in _CUT or words >= 25:
                break
            if token == ",":
                continue
            if token in near and not (token in cues["speech"] and i and tokens[i - 1] == ","):
                tail = re.findall(r"\w+", text[t.end:hi])
                ends = len(tail) <= 4 or re.match(r"\s*,", text[t.end:hi])
                if words < 4 or (token in after and ends and total - words > 2):
                    found.add(t.start)
                break
            words += 1
    return frozenset(found)


def reporting_date(article: Article) -> tuple[str, str] | None:
    """The day the article reports from, and how it was found; None without a publication date.

    In this order, each only if it falls 0-3 days before ``published`` (an input date is often a crawl or
    an update, IndoSum's typically 0-2 days after the story):

    1. ``speech``: the latest day a statement is dated with ("kata X, Selasa (14/11/2017)");
    2. ``dateline``: the header or dateline date, and ``url``: a date in the URL (the day the story was
       written, which also anchors "hari ini" and "kemarin");
    3. ``published`` itself.

    Events told as done with no date of their own take this day (precision ``publication``).
    """
    if not article.published:
        return None
    published = date.fromisoformat(article.published[:10])

    def fits(day: date) -> bool:
        return 0 <= (published - day).days <= _REPORT_WINDOW

    speech = _speech_dated(article)
    said = [d for t in article.timexes if t.start in speech and fits(d := date.fromisoformat(t.value[:10]))]
    if said:
        return max(said).isoformat(), "speech"
    written = next((t.anchor for t in article.timexes if t.anchor and t.rule != "weekday"), None)
    url = _url_date(article.meta.get("url") or article.url or "")
    if written and written != published.isoformat() and fits(date.fromisoformat(written)):
        return written, "url" if url and url.isoformat() == written else "dateline"
    if url and fits(url):
        return url.isoformat(), "url"
    return published.isoformat(), "published"


# ---------------------------------------------------------------------------------------- event dates
def _usable(timex: Timex, speech: frozenset[int] = frozenset()) -> bool:
    """Whether a timex can date an event: not a duration, not the day of a statement."""
    return timex.granularity != "duration" and timex.start not in speech


def _as_event_date(timex: Timex) -> tuple[str | None, str]:
    if timex.value is None or "X" in timex.value or timex.granularity == "unknown":
        return None, "unknown"
    return timex.value, _PRECISION.get(timex.granularity, "unknown")


def _clause_bounds(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause of [start, end) within [lo, hi): split at ';' and at ', sementara/namun/tetapi...'."""
    breaks = re.compile(r";|,\s+(?:sementara|sedangkan|namun|tetapi|tapi|padahal)\b", re.IGNORECASE)
    left = lo
    for m in breaks.finditer(text, lo, start):
        left = m.end()
    m = breaks.search(text, end, hi)
    return left, (m.start() if m else hi)


def _governing(article: Article, sentence: int, start: int, end: int, speech: frozenset[int],
               before: int | None = None) -> Timex | None:
    """The timex that governs [start, end) in sentence ``sentence``, if the sentence has one (ending by
    offset ``before`` when given)."""
    inside = [t for t in article.timexes if t.sentence == sentence and _usable(t, speech)
              and (before is None or t.end <= before)]
    if not inside:
        return None
    bounds = article.sentences[sentence] if 0 <= sentence < len(article.sentences) else None
    lo, hi = (bounds.start, bounds.end) if bounds else (0, len(article.text))
    left, right = _clause_bounds(article.text, start, end, lo, hi)
    text = article.text
    after = [t for t in inside
             if t.start >= start and t.end <= right and not _in_relative_clause(text, t, end)]
    if after:
        return min(after, key=lambda t: t.start)
    before_event = [t for t in inside if left <= t.start < start and not _in_relative_clause(text, t, start)]
    if before_event:
        return max(before_event, key=lambda t: t.start)
    # A timex among the sentence's first few words sets the time of the whole sentence.
    initial = [t for t in inside if t.start < start and len(article.text[lo:t.start].split()) <= 3]
    return initial[0] if initial else None


def _in_relative_clause(text: str, timex: Timex, start: int) -> bool:
    """Whether ``timex`` sits in a relative clause closed before offset ``start``: in "Erdogan, yang mencari
    suara dalam referendum April nanti, menuduh ..." April dates the seeking, not the accusing."""
    opened = text.rfind(", yang ", 0, timex.start)
    return opened >= 0 and "," not in text[opened + 1:timex.start] and "," in text[timex.end:start]


def _shift(value: str, unit: str, k: int) -> tuple[str, str] | None:
    """Move an ISO date (or the start of an interval) by k units, keeping the unit's precision."""
    try:
        base = date.fromisoformat(value.split("/")[0][:10])
    except ValueError:
        return None
    if unit == "D":
        return (base + timedelta(days=k)).isoformat(), "day"
    if unit == "W":
        return (base + timedelta(weeks=k)).isoformat(), "day"
    if unit == "M":
        year, month = _add_months(base.year, base.month, k)
        return f"{year}-{month:02d}", "month"
    if unit == "Y":
        return str(base.year + k), "year"
    return None


def _status(article: Article, sentence: int, start: int, end: int) -> str:
    """How the event at [start, end) stands, from the words before its verb: ``done``, ``unrealised``
    (planned, future or negated: "tidak akan menghadiri", "menjadwalkan pemeriksaan"), ``habitual``
    ("terus memantau", "masih memeriksa") or ``not_yet`` ("belum menangkap")."""
    if not 0 <= sentence < len(article.sentences):
        return "done"
    cues = _lexicon().cues
    tokens = article.sentences[sentence].tokens

    def word(token: Token) -> str:  # a capitalised word inside the sentence is a name ("Jawa Tengah")
        return token.text.lower() if token.text[:1].islower() or token is tokens[0] else ""

    span = [t for t in tokens if start <= t.start < end]
    verb = next((i for i, t in enumerate(span) if t.pos == "VB"), None)
    words = [word(t) for t in (span[:verb + 1] if verb is not None else span[:6])]
    modal = cues["unrealised"] | cues["not_yet"] | cues["habitual"]
    previous = [t for t in tokens if t.end <= start]
    for token in reversed(previous):  # "akan", "belum juga" just before a span that starts at the verb
        if not (word(token) in modal or token.pos in ("ADV", "NEG", "MD")):
            break
        words.insert(0, word(token))
    kinds = set()
    for i, word in enumerate(words):
        if word in cues["not_yet"]:
            return "not_yet"
        if word in cues["unrealised"] and not (i + 1 < len(words) and words[i + 1] in cues["not_negation"]):
            kinds.add("unrealised")
        elif word in cues["habitual"]:
            kinds.add("habitual")
    return "unrealised" if "unrealised" in kinds else "habitual" if kinds else "done"


def _own_date(article: Article, sentence: int, start: int, end: int, speech: frozenset[int],
              before: int | None = None) -> tuple[str | None, str] | None:
    """The date the event's own sentence gives it: "<count> setelah/sebelum <this event>" measured from the
    main clause's date, else the timex governing its clause."""
    lex = _lexicon()
    timex = _governing(article, sentence, start, end, speech, before)
    for t in article.timexes:  # "X terjadi tiga bulan setelah <event>"
        if t.sentence != sentence or (timex is not None and timex.start > t.start):
            continue  # the event's own date, after "sehari sebelum", is its date
        last = t.text.lower().split()[-1]
        if t.rule == "count" and t.granularity == "duration" and t.end <= start and \
                last in lex.cues["after"] | lex.cues["before"]:
            match = re.fullmatch(r"P(\d+)([DWMY])", t.value or "")
            lo = article.sentences[sentence].start if 0 <= sentence < len(article.sentences) else 0
            base = _own_date(article, sentence, lo, t.start, speech, before=t.start)
            if match and base and base[0]:
                k = int(match.group(1)) * (-1 if last in lex.cues["after"] else 1)
                shifted = _shift(base[0], match.group(2), k)
                if shifted:
                    return shifted
    return _as_event_date(timex) if timex else None


def _carried(article: Article, sentence: int, speech: frozenset[int],
             report: str) -> tuple[str | None, str] | None:
    """A date carried to a sentence without one from its paragraph: from the previous sentences while the
    narrative goes on, or from the next one when it refers back to this happening ("Para personel tersebut
    tiba ... pada Sabtu (23/3/2019)"). A statement's date, a future date, or one in a future clause is
    never carried: the events fall back to the reporting date."""
    lex = _lexicon()
    sentences = article.sentences
    if not 0 <= sentence < len(sentences):
        return None
    by_sentence: dict[int, list[Timex]] = {}
    for t in article.timexes:
        if t.granularity != "duration":
            by_sentence.setdefault(t.sentence, []).append(t)
    if by_sentence.get(sentence):
        return None

    def past(t: Timex) -> bool:
        return t.start not in speech and bool(re.match(r"\d{4}", t.value or "")) and \
            t.value[:10] <= report and not _in_future_clause(article.text, t.start, lex.cues["future_tense"])

    def opens_shift(s: Sentence) -> bool:
        words = re.findall(r"\w+", s.text.lower())[:2]
        return " ".join(words) in lex.cues["shift"] or (bool(words) and words[0] in lex.cues["shift"])

    current, index = sentences[sentence], sentence
    while index > 0 and sentence - index < 3 and not opens_shift(current):
        previous = sentences[index - 1]
        if previous.paragraph != current.paragraph:
            break
        if by_sentence.get(previous.index):  # the nearest dated sentence decides
            dated = by_sentence[previous.index]
            carried = [t for t in dated if past(t)]
            if carried and not any(t.start in speech for t in dated):
                return _as_event_date(carried[0])
            return None
        current, index = previous, index - 1
    following = sentences[sentence + 1] if sentence + 1 < len(sentences) else None
    if following is None or following.paragraph != sentences[sentence].paragraph or opens_shift(following):
        return None
    if not any(w in lex.cues["anaphor"] for w in re.findall(r"\w+", following.text.lower())[:6]):
        return None
    ahead = [t for t in by_sentence.get(following.index, ()) if past(t)]
    if ahead and ahead[0].granularity in ("day", "datetime", "interval"):
        return _as_event_date(ahead[0])
    return None


# The last article's (timexes list, (key, (statement dates, reporting date))): one slice assignment and one
# unpacking, each atomic under the GIL, so a thread never reads another article's entry as its own.
_DATING: list = [None, None]


def _dating(article: Article) -> tuple[frozenset[int], tuple[str, str] | None]:
    """The article's statement dates and reporting date, kept for the next event of the same article
    (the event coder dates its events one by one)."""
    timexes, found = _DATING
    key = (len(article.timexes), article.published, article.text)
    if timexes is not article.timexes or found[0] != key:
        found = (key, (_speech_dated(article), reporting_date(article)))
        _DATING[:] = [article.timexes, found]
    return found[1]


def event_date(article: Article, sentence: int, start: int, end: int) -> tuple[str | None, str]:
    """Return (value, precision) for an event said in sentence ``sentence`` with evidence [start, end).

    1. Its own sentence's date: "<count> setelah/sebelum <this event>" measured from the main clause's
       date, else the timex governing its clause; a date of a statement ("kata X, Senin") does not count.
    2. An event not yet done ("belum menangkap") has no date; a planned, future or negated one ("tidak
       akan menghadiri", "menjadwalkan pemeriksaan") or a habitual one ("terus memantau") has only its own.
    3. A date carried from its paragraph (:func:`_carried`).
    4. The day it was reported, precision ``publication``: the date of a statement in its own sentence,
       else the article's :func:`reporting_date`; (None, "unknown") with no publication date.
    """
    status = _status(article, sentence, start, end)
    if status == "not_yet":
        return None, "unknown"
    speech, report = _dating(article)
    own = _own_date(article, sentence, start, end, speech)
    if own:
        return own
    if status != "done" or report is None:
        return None, "unknown"
    carried = _carried(article, sentence, speech, report[0])
    if carried:
        return carried
    said = [t for t in article.timexes if t.sentence == sentence and t.start in speech]
    return (said[0].value[:10] if said else report[0]), "publication"
