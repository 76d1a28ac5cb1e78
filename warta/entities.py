"""The ``entities`` stage: find the actors an article names, merge them into one identity each, code them.

Written by hand because no package recognises Indonesian named entities offline (see
``../shared/notes/offline-nlp.md``). The stage reads the language stage's tokens (words it split off, such
as "-nya", joined back on) as parallel lists, with their capitalisation and, as an extra cue, their POS
tags; only capitalised words and the first words of known names and role phrases start anything, so most
tokens cost one set probe. It reads, in order:

1. gazetteer hits (``warta/data/actors``: states from CLDR and ISO, hand-written short forms, nicknames,
   metonyms, IGOs and armed groups, and the curated ``people.tsv`` of leaders and institutions), longest
   match first over word tokens, case-sensitive for acronyms;
2. role phrases from ``roles.tsv`` ("juru bicara", "pejabat militer", "kantor berita"). Indonesian noun
   phrases are head-first, so the first role of a phrase gives its role and the first country in it
   gives its country: "kantor berita milik pemerintah Rusia" is Russian media, not the government;
3. capitalised runs (names), split at titles, gazetteer hits and digits (equipment such as "Il-62").

A title before a name ("Presiden Rusia Vladimir Putin") or an apposition after it ("X, juru bicara ...")
gives the person's code; a title without a country takes it from the curated list, another mention of the
same person, a possessive ("Penasihat ...-nya" names the last person's country) or, last, the article's
dominant country; ``Mention.rule`` says which. A bare role noun ("polisi", "warga", "Menteri
Pertanian") is an actor of the story's country (``nominal+home``): the dateline's, else the country its
coded actors and places name most, Indonesia on ties; but where its sentence happens abroad ("warga sipil
di Gaza") it is of that place's country (``nominal+clause``), except for roles that act abroad for their
state (government, military, intelligence). An adjectival role word ("militer", "media") after a noun is
a modifier ("latihan militer") unless a state follows it ("media Australia") or the noun is an
installation it owns ("pos polisi", "pangkalan militer"). Inside a title the institution gives the role
("Juru bicara KPK X" is IDNJUD), parliamentary committees excepted ("Ketua Pansus Angket KPK" sits in the
DPR); parties (``parties_idn.tsv``) are PTY or OPP by the article's date. Also read:

- units of a body ("Direktorat ... KPK", "Dewan Pembina Partai X", "Komisi III DPR"; ``weak=unit`` in
  roles.tsv) take the body's code and are no actor without it; a capitalised body name right before an
  institution ("Dewan Pertimbangan Pegawai KPK") is that institution's unit;
- a person named right after an institution ("[title] KPK Febri X") belongs to it, unless the body is one
  whose branches are named by place ("Polsek Kebon Jeruk");
- titles only Indonesia's institutions use ("Kapolres", "AKBP", "Bupati"; ``idn_title`` in words.tsv)
  make their holder Indonesian whatever states the story names;
- names listed after a role nominal ("keempat nelayan itu, yakni A (46) dan B", "berinisial AB") take
  its role; a crowd noun ("pendukung Persib") does not name what follows it; "X (Y)" and "X alias Y" are
  one entity; honorifics ("Pak", "KH.", "dr.") are read past; a run that is a known place is a place;
- "pengamat dari Universitas Sydney, X": the school's name gives the analyst's country.

Mentions then merge into entities by name (subset of tokens, accents ignored, typos via rapidfuzz), and
each entity takes the most specific code of its mentions.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .data import read_tsv
from .doc import Article, Entity, Mention, Sentence, Token
from .language import tokenize
from .pipeline import stage

TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")  # how gazetteer and role phrases split into words
HAS_DIGIT = re.compile(r"\d").search
SENTENCE_OPENERS = frozenset(".!?\"“:;")  # a capital after these may be there by position only
MAX_TAIL = 6  # words a role phrase may run past its head before the country or name ("asal", "milik")
FUZZY_MIN_RATIO = 80  # "Psekov" ~ "Peskov" (83); unrelated surnames of the same initial stay below
FUZZY_MIN_LEN = 5
# Lines that credit people rather than report on them: bylines, photo credits ("Name / Agency / Agency"),
# and editors' initials anywhere. The line patterns are tried at line starts only.
CREDIT_LINE = re.compile(
    r"(?i)[ \t]*(?:penulis|editor|reporter|penyunting|pewarta|fotografer|foto|sumber|kontributor)[ \t]*:.*"
)
CREDIT_SLASHES = re.compile(r".*\S[ \t]+/[ \t]+\S.*[ \t]/[ \t]+\S.*")
INITIALS = re.compile(r"\([A-Za-z]{1,6}/[A-Za-z]{1,6}\)")
# A dateline ("MOSKWA, KOMPAS.com - ", "Outlet.com, Kota - ") at the start of a paragraph.
DATELINE = re.compile(r"[^\n]{0,60}?\s[-–—]\s?")
UPPER_WORD = re.compile(r"\b[A-Z]{3,}\b")  # "MOSKWA": a dateline's place in capitals
DOMAIN = re.compile(r"\w\.(?:com|id|co|net|org|tv)\b", re.I)
VERB_PREFIX = re.compile(r"^(?:me|di|ber|ter)\w{3,}$")
ROLE_TAIL_LINKS = ("untuk", "bagi", "di")  # "perwakilan khusus AS untuk Venezuela, X"
PLACE_KINDS = {"country", "short", "nickname", "historic"}
PLACE_PREFIXES = ("kota ", "kabupaten ", "provinsi ", "kab. ")
TAIL_PLACE_KINDS = PLACE_KINDS | {"metonym"}  # "koresponden ABC di Jakarta": where the role is held
# Codes given from other mentions rather than read from the mention's own words.
# Roles whose holders act abroad for their state ("pemerintah ... di Riyadh", "pangkalan ... di Suriah"):
# where a clause happens does not tell their country.
ACTS_ABROAD = {"GOV", "MIL", "SPY"}
INFERRED_RULES = {"title+dominant", "nominal+home", "nominal+clause", "title+coreference"}


@dataclass(frozen=True, slots=True)
class GazEntry:
    """A name in the gazetteer and what it denotes."""

    name: str
    code: str
    type: str  # GPE, IGO, ORG, PER, MED
    kind: str  # country, short, nickname, historic, metonym, igo, img, rebel, institution, person
    exact: bool = False
    qid: str | None = None
    roles: tuple[tuple[str, str, str], ...] = ()  # (code, start, end) for dated people

    def code_on(self, date: str | None) -> tuple[str, str]:
        """Return (code, rule) valid on ``date``: the dated role then, else the latest one."""
        if not self.roles:
            return self.code, "gazetteer"
        if date:
            for code, start, end in self.roles:
                if (not start or start <= date) and (not end or date < end):
                    return code, "people:dated"
            return self.roles[-1][0][:3], "people:inactive"  # out of office: the country only
        return self.roles[-1][0], "people:latest"


@dataclass(frozen=True, slots=True)
class Role:
    """A role phrase from roles.tsv."""

    role: str
    type: str
    adjectival: bool
    weak: bool
    body: bool = False  # a parliamentary body heads the phrase ("Ketua Pansus"): it beats the institution
    unit: bool = False  # a unit or post of some body ("Direktorat", "Wasekjen"): coded only by its owner


@dataclass(slots=True)
class _Words:
    """A sentence's tokens as parallel lists, so reading a sentence makes no object per token."""

    text: list[str]
    low: list[str]
    start: list[int]
    end: list[int]
    pos: list[str]
    word: list[bool]  # starts with a letter or digit
    cap: list[bool]  # starts with a capital letter

    def __len__(self) -> int:
        return len(self.text)

    def subset(self, keep: list[int]) -> _Words:
        return _Words(*([column[k] for k in keep] for column in (self.text, self.low, self.start, self.end,
                                                                self.pos, self.word, self.cap)))


@dataclass(slots=True)
class _Item:
    """A span of tokens [i, j) recognised as a gazetteer hit (G), role (R), or name run (N)."""

    kind: str
    i: int
    j: int
    entry: GazEntry | None = None
    role: Role | None = None
    possessive: bool = False
    name_type: str = "PER"


@dataclass(slots=True)
class _Lexicon:
    gaz: dict[tuple[str, ...], GazEntry]
    gaz_exact: dict[tuple[str, ...], GazEntry]
    gaz_max: int
    roles: dict[tuple[str, ...], Role]
    roles_max: int
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    # First token -> the phrase lengths starting with it, longest first: most tokens start nothing,
    # so a lookup there costs one dict probe instead of one tuple per possible length.
    gaz_first: dict[str, tuple[int, ...]] = field(default_factory=dict)
    roles_first: dict[str, tuple[int, ...]] = field(default_factory=dict)
    starts: frozenset[str] = frozenset()  # first words of every gazetteer name and role phrase
    stops: frozenset[str] = frozenset()  # words that stop a phrase and are never names
    not_names: frozenset[str] = frozenset()  # stops and portfolio words

    def __post_init__(self) -> None:
        self.starts = frozenset(self.gaz_first) | frozenset(self.roles_first)
        w = self.words
        self.stops = w["function"] | w["pronoun"] | w["calendar"] | w["widget"]
        self.not_names = self.stops | w["portfolio"]


def _first_index(*tables: dict[tuple[str, ...], object]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for table in tables:
        for key in table:
            lengths.setdefault(key[0].lower(), set()).add(len(key))
    return {first: tuple(sorted(ns, reverse=True)) for first, ns in lengths.items()}


def _key(text: str) -> tuple[str, ...]:
    return tuple(m.group().lower() for m in TOKEN.finditer(text))


@functools.cache
def _lexicon() -> _Lexicon:
    """Load every actor table once and index it by lowercase token tuples for longest-match lookup."""
    gaz: dict[tuple[str, ...], GazEntry] = {}
    exact: dict[tuple[str, ...], GazEntry] = {}

    def add(entry: GazEntry, name: str) -> None:
        if entry.exact:
            exact.setdefault(tuple(m.group() for m in TOKEN.finditer(name)), entry)
        else:
            gaz.setdefault(_key(name), entry)

    # Hand-written and curated tables first: they override generated names on collision.
    for row in read_tsv("actors/aliases.tsv"):
        add(GazEntry(row["name"], row["code"], row["type"], row["kind"], row["case"] == "exact"), row["name"])
    # People and parties have dated rows: one entry each, its roles in date order.
    for table, kind in (("actors/people.tsv", "person"), ("actors/parties_idn.tsv", "institution")):
        dated: dict[str, list[dict[str, str]]] = {}
        for row in read_tsv(table):
            dated.setdefault(row["name"], []).append(row)
        for name, rows in dated.items():
            rows.sort(key=lambda r: r["start"])
            first = rows[0]
            type_ = first.get("type", "ORG")
            entry = GazEntry(
                name, rows[-1]["code"], type_, kind, False, first.get("qid") or None,
                tuple((r["code"], r["start"], r["end"]) for r in rows) if type_ == "PER" or kind != "person"
                else (),
            )
            for alias in [name, *filter(None, first["aliases"].split("|"))]:
                # All-capital acronyms of institutions (TASS, AFP, PKB) match in that case only.
                if alias.isupper() and len(alias) <= 5:
                    add(GazEntry(name, entry.code, entry.type, kind, True, entry.qid, entry.roles), alias)
                else:
                    add(entry, alias)
    for row in read_tsv("actors/countries.tsv"):
        add(GazEntry(row["name"], row["code"], "GPE", "country"), row["name"])
    roles = {_key(r["phrase"]): Role(r["role"], r["type"], r["adjectival"] == "yes", r["weak"] != "no",
                                     unit=r["weak"] == "unit")
             for r in read_tsv("actors/roles.tsv")}
    words: dict[str, set[str]] = {}
    for row in read_tsv("actors/words.tsv"):
        words.setdefault(row["kind"], set()).add(row["word"])
    # Role phrases are also looked up with "-nya" stripped from their last word ("pasukannya").
    return _Lexicon(
        gaz, exact, max(len(k) for k in [*gaz, *exact]), roles, max(len(k) for k in roles),
        {k: frozenset(v) for k, v in words.items()}, _first_index(gaz, exact),
        _first_index(roles, {(k[0] + "nya",) + k[1:]: None for k in roles if len(k) == 1}),
    )


@functools.cache
def _indonesia() -> GazEntry:
    return GazEntry("Indonesia", "IDN", "GPE", "country")


@functools.lru_cache(maxsize=100_000)
def _fold(text: str) -> str:
    """Lowercase without accents: "Nicolás" and "Nicolas" are one spelling."""
    if text.isascii():
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@functools.cache
def _places() -> dict[str, str]:
    """Folded place name -> CAMEO country code, for :func:`country_of`."""
    places: dict[str, str] = {}
    for table in ("actors/regions_idn.tsv", "actors/cities.tsv", "actors/countries.tsv"):
        for row in read_tsv(table):
            places[_fold(row["name"])] = row["code"]
    for row in read_tsv("actors/aliases.tsv"):
        if row["type"] in {"GPE", "LOC"} and row["code"] != "-":
            places[_fold(row["name"])] = row["code"][:3]
    return places


@functools.cache
def _place_firsts() -> frozenset[str]:
    """The first words of every place name :func:`country_of` knows."""
    return frozenset(name.split(" ", 1)[0] for name in _places())


@functools.cache
def _cities_only() -> frozenset[str]:
    """Folded names known only as world cities: as a lone capitalised word many are also surnames
    ("Davis", "Darwin"), so a lone one is a place only after a place preposition."""
    other = {_fold(row["name"]) for table in ("actors/regions_idn.tsv", "actors/countries.tsv")
             for row in read_tsv(table)}
    return frozenset(_fold(row["name"]) for row in read_tsv("actors/cities.tsv")) - other


def country_of(name: str) -> str | None:
    """Return the CAMEO country code of a place name ("Moskwa" -> "RUS", "Kabupaten Nduga" -> "IDN").

    Knows states, capitals and seats of power, the CLDR exemplar cities and Indonesian provinces,
    regencies and cities; returns None for anything else.
    """
    folded = _fold(name.strip())
    places = _places()
    code = places.get(folded)
    if code is None and folded[:1] in "kp":  # only "kota", "kabupaten", "provinsi" and "kab." are read past
        for prefix in PLACE_PREFIXES:
            if folded.startswith(prefix):
                return places.get(folded[len(prefix):])
    return code


def _blocked_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges that name no actor: credit lines, editors' initials and the dateline prefix."""
    ranges = [(m.start(), m.end()) for m in INITIALS.finditer(text)] if "/" in text else []
    line = 0
    while line < len(text):
        end = text.find("\n", line) + 1 or len(text)
        if (m := CREDIT_LINE.match(text, line)) or "/" in text[line:end] and (
                m := CREDIT_SLASHES.match(text, line)):
            ranges.append(m.span())
        if (m := DATELINE.match(text, line)) and (DOMAIN.search(m.group()) or UPPER_WORD.search(m.group())):
            ranges.append(m.span())
        line = end
    return ranges


def _words(tokens: list[Token], article_text: str) -> _Words:
    """The language stage's tokens as parallel lists, words written together joined back.

    The language stage splits "pasukannya" into "pasukan" + "nya", "v6.0" into "v" + "6.0" and
    "dr.Budi" into three; names and role phrases are read on whole words (a name ends at a word with a
    digit, "-nya" marks a possessive role), so a word written against the word before it joins it, as
    does a period between two such words. The joined word keeps the POS of its first part.
    """
    text = [t.text for t in tokens]
    start = [t.start for t in tokens]
    end = [t.end for t in tokens]
    pos = [t.pos for t in tokens]
    low = list(map(str.lower, text))  # map() over a C method: the per-token work stays in C
    first = [t[0] for t in text]
    alnum = list(map(str.isalnum, first))
    cap = list(map(str.isupper, first))
    n = len(text)
    # Tokens written against the token before them (mostly punctuation), then those between two words.
    touching = set(itertools.compress(range(1, n), map(operator.eq, start[1:], end)))
    glued = {k for k in touching if alnum[k] and alnum[k - 1]}
    # "dr.Budi": a period written between two words joins both
    periods = {k for k in touching if text[k] == "." and alnum[k - 1] and k + 1 in touching
               and alnum[k + 1]} if "." in text else ()
    glued.update(*((k, k + 1) for k in periods))
    if not glued:
        return _Words(text, low, start, end, pos, alnum, cap)
    keep = [k for k in range(n) if k not in glued]
    ends = [end[k - 1] for k in keep[1:]]
    ends.append(end[-1])
    words = _Words([text[k] for k in keep], [low[k] for k in keep], [start[k] for k in keep], ends,
                   [pos[k] for k in keep], [alnum[k] for k in keep], [cap[k] for k in keep])
    for at in {bisect.bisect(keep, k) - 1 for k in glued}:  # the words that took others in
        words.text[at] = whole = article_text[words.start[at]:ends[at]]
        words.low[at] = whole.lower()
    return words


def _kept(words: _Words, blocked: list[tuple[int, int]], honorifics: frozenset[str]) -> _Words:
    """The words outside blocked ranges that are neither web domains, honorifics before a name ("Pak",
    "KH.", "Dr.") nor periods after an initial: the ones recognition reads, so a title reaches its name."""
    text, cap, word = words.text, words.cap, words.word
    n = len(text)
    drop = []
    for k in itertools.compress(itertools.count(), map(str.__contains__, text, itertools.repeat("."))):
        if text[k] != ".":
            if DOMAIN.search(text[k]):
                drop.append(k)
        elif 0 < k < n - 1 and len(text[k - 1]) == 1 and cap[k - 1] and cap[k + 1] and word[k + 1]:
            drop.append(k)  # "M. Hery Saripudin": the period after an initial does not end the name
    if not honorifics.isdisjoint(words.low):
        for k in itertools.compress(range(n - 1), map(honorifics.__contains__, words.low)):
            after = k + 1 + (text[k + 1] == ".")
            if (cap[k] or after > k + 1) and after < n and cap[after] and word[after]:  # "dr. Budi"
                drop += range(k, after)
    if blocked:
        drop += [k for k, a in enumerate(words.start) if any(b0 <= a < b1 for b0, b1 in blocked)]
    if not drop:
        return words
    drop_set = set(drop)
    return words.subset([k for k in range(len(words)) if k not in drop_set])


def _base(low: str) -> tuple[str, bool]:
    """Strip the possessive clitic -nya when what is left is a known word ("pasukannya")."""
    if low.endswith("nya") and len(low) > 5:
        return low[:-3], True
    return low, False


class _Reader:
    """Reads one article: items per sentence, then mentions, then entities."""

    def __init__(self, article: Article):
        self.article = article
        self.lex = _lexicon()
        self.w = self.lex.words
        published = article.meta.get("published") or article.published
        self.date = str(published)[:10] if published else None
        self.blocked = _blocked_ranges(article.text)
        self.mentions: list[Mention] = []
        self.entries: list[GazEntry | None] = []  # gazetteer entry behind each mention
        self.titled: list[Role | None] = []  # the role a title gave a mention lacking its country
        self.possessive: list[bool] = []
        self.known_names: set[str] = set()
        self.places: dict[int, list[str]] = {}  # sentence -> countries of the places it says "di" of
        self.aliases: dict[int, int] = {}  # mention -> an earlier mention it restates ("X (Y)", "X alias Y")

    # -- recognition -----------------------------------------------------------------------------
    def _verb_like(self, toks: _Words, k: int) -> bool:
        if toks.pos[k]:
            return toks.pos[k] == "VB"
        low = toks.low[k]
        return not toks.cap[k] and bool(VERB_PREFIX.match(low)) and (low,) not in self.lex.roles

    def _gaz_at(self, toks: _Words, i: int) -> tuple[int, GazEntry] | None:
        lex = self.lex
        for n in lex.gaz_first.get(toks.low[i], ()):
            j = i + n
            if j > len(toks):
                continue
            entry = lex.gaz_exact.get(tuple(toks.text[i:j]))
            if entry is None:
                entry = lex.gaz.get(tuple(toks.low[i:j]))
                # Only state names may appear in lower case ("ke venezuela"); acronyms never do.
                if entry is None or (not toks.cap[i] and entry.kind != "country"):
                    continue
                if n == 1 and len(toks.text[i]) <= 3 and toks.text[i].isupper() and entry.kind != "country":
                    continue  # "AS"-like upper-case short words only through the exact table
            if not toks.word[j - 1]:
                continue
            return j, entry
        return None

    def _role_at(self, toks: _Words, i: int) -> tuple[int, Role, bool] | None:
        roles = self.lex.roles
        for n in self.lex.roles_first.get(toks.low[i], ()):
            if i + n > len(toks):
                continue
            lows = toks.low[i:i + n]
            base, poss = _base(lows[-1])
            for key, possessive in ((tuple(lows), False), ((*lows[:-1], base), poss)):
                role = roles.get(key)
                if role:
                    return i + n, role, possessive
        return None

    def _name_token(self, toks: _Words, k: int) -> bool:
        return toks.cap[k] and toks.low[k] not in self.lex.not_names and not HAS_DIGIT(toks.text[k])

    def _items(self, toks: _Words, headline: bool) -> list[_Item]:
        lex = self.lex
        gaz_first, roles_first, starts = lex.gaz_first, lex.roles_first, lex.starts
        # Only a capitalised word or one that starts a gazetteer name or role phrase can start an item:
        # one pass finds them, and a sentence without any is done.
        candidates = itertools.compress(itertools.count(), map(operator.or_, toks.cap,
                                                               map(starts.__contains__, toks.low)))
        items: list[_Item] = []
        particles, name_parts, portfolio, org_heads = (self.w["particle"], self.w["name_part"],
                                                       self.w["portfolio"], self.w["org_head"])
        lows, caps, texts, not_names = toks.low, toks.cap, toks.text, lex.not_names
        n = len(toks)
        i = 0
        for k in candidates:
            if k < i:
                continue
            i = k
            low = toks.low[i]
            hit = low in gaz_first and self._gaz_at(toks, i)
            if hit:
                j = hit[0]
                if hit[1].kind == "institution":
                    j = self._place_after(toks, j)
                items.append(_Item("G", i, j, entry=hit[1]))
                i = j
                continue
            role = low in roles_first and self._role_at(toks, i)
            if role:
                items.append(_Item("R", i, role[0], role=role[1], possessive=role[2]))
                i = role[0]
                continue
            if low not in not_names and not HAS_DIGIT(texts[i]) and caps[i]:
                j = i + 1
                while j < n:
                    low = lows[j]
                    hit = low in gaz_first and self._gaz_at(toks, j)
                    if hit and hit[1].kind == "person" and hit[0] == j + 1 and hit[0] < n and (
                            self._name_token(toks, hit[0])):
                        j += 1  # "Raden Prabowo Argo Yuwono": a known one-word name inside another name
                        continue
                    if (not hit and caps[j] and low in name_parts and j + 1 < n and lows[j + 1] not in starts
                            and self._name_token(toks, j + 1)):
                        j += 1  # "Lukman Hakim Siregar": a title word between two names is part of the name
                        continue
                    if hit or (low in roles_first and self._role_at(toks, j)) or (
                            caps[j] and low in org_heads and lows[i] not in org_heads):
                        break  # "Agung Laksono Tim Kajian ...": a body's name starts after a person's
                    if (caps[j] and low in portfolio and lows[i] in org_heads) or (
                            caps[j] and low not in not_names and not HAS_DIGIT(texts[j])) or (
                        (low in particles or low.startswith(("al-", "el-")))
                        and j + 1 < n and self._name_token(toks, j + 1)
                    ):
                        j += 1
                        continue
                    break
                digits = j < n and toks.word[j] and bool(HAS_DIGIT(toks.text[j]))
                items.append(self._name_item(toks, i, j, headline, digits))
                i = j
        return [it for it in items if it.kind != "-"]

    def _place_prefix(self, toks: _Words, item: _Item) -> int:
        """End of the longest place name that starts the name run ("Jawa Tengah" of "Jawa Tengah X"), or 0."""
        text = self.article.text
        for n in range(min(item.j, item.i + 4), item.i, -1):
            if country_of(text[toks.start[item.i]:toks.end[n - 1]]):
                return n
        return 0

    def _place_after(self, toks: _Words, j: int) -> int:
        """End of a place name right after an institution ("Polres Lombok Barat", "Polres Metro X")."""
        start = j + (j < len(toks) and toks.low[j] == "metro")
        run = start
        while run < len(toks) and run - start < 4 and toks.cap[run] and toks.word[run]:
            run += 1
        text = self.article.text
        for n in range(run, start, -1):
            if country_of(text[toks.start[start]:toks.end[n - 1]]):
                return n
        return j

    def _name_item(self, toks: _Words, i: int, j: int, headline: bool, digits: bool) -> _Item:
        """Classify the capitalised run [i, j) as a person or body, or reject it ("-")."""
        w = self.w
        while j - i > 1 and toks.low[i] in w["common"]:
            i += 1  # "Negara Mike Pompeo": a capitalised common word before a name is not part of it
        first = toks.low[i]
        if digits or first in w["loc_head"] or first in w["event_head"]:
            return _Item("-", i, j)  # equipment ("Ilyushin Il-62"), places and events are not actors
        if j - i == 1:
            low = first
            initial = i == 0 or toks.text[i - 1] in "\"“‘'(:;"
            if low in w["common"] or low in w["particle"]:
                return _Item("-", i, j)
            if (initial or headline) and low not in self.known_names and toks.pos[i] != "NNP":
                return _Item("-", i, j)  # "Sebelumnya", "Kunjungan": capitalised by position only
            parts = tuple(low.split("-"))
            if len(parts) > 1 and all((part,) in self.lex.gaz for part in parts):
                return _Item("-", i, j)  # "Rusia-Venezuela" relates two states; each is no actor here
        elif headline and not all(low in self.known_names or pos == "NNP"
                                  for low, pos in zip(toks.low[i:j], toks.pos[i:j], strict=True)):
            return _Item("-", i, j)  # a Title Case headline capitalises every word
        acronym = j - i == 1 and toks.text[i].isupper()
        if not acronym and self._place_run(toks, i, j):
            return _Item("L", i, j)  # "Sumatera Utara", "Langkat": a known place, never a person
        return _Item("N", i, j, name_type="ORG" if first in w["org_head"] or acronym else "PER")

    def _place_run(self, toks: _Words, i: int, j: int) -> bool:
        if _fold(toks.low[i]) not in _place_firsts():
            return False  # most runs are people: one set probe rules them out
        name = self.article.text[toks.start[i]:toks.end[j - 1]]
        if not country_of(name):
            return False
        return j - i > 1 or _fold(name) not in _cities_only() or (
            i > 0 and toks.low[i - 1] in self.w["place_prep"])

    # -- mentions --------------------------------------------------------------------------------
    def _emit(self, toks, i, j, sent, type_, code, rule, entry=None, role_text=None, titled=None,
              possessive=False) -> None:
        start, end = toks.start[i], toks.end[j - 1]
        self.mentions.append(Mention(self.article.text[start:end], start, end, sent, type_, code,
                                     None, role_text, rule))
        self.entries.append(entry)
        self.titled.append(titled)
        self.possessive.append(possessive)

    def _modifier(self, toks: _Words, k: int) -> bool:
        """Whether an adjectival role word at token k modifies the noun before it ("bandara militer")."""
        if k == 0:
            return False
        if toks.pos[k - 1]:
            return toks.pos[k - 1] in {"NN", "JJ"}
        low = toks.low[k - 1]
        return (toks.word[k - 1] and not toks.cap[k - 1] and low not in self.lex.stops and low != "para"
                and not self._verb_like(toks, k - 1) and not low.endswith("nya"))

    def _role_phrase(self, toks, items, k) -> tuple[int, int, GazEntry | None, _Item | None, Role]:
        """Read the role phrase starting at items[k]: (next item, end token, country, name, role).

        A phrase that names no state but holds a title only Indonesia's institutions have ("Kapolres",
        "AKBP", "Panglima TNI", "Bupati") is Indonesian, whatever other states the story names."""
        k_next, end, country, name, role = self._read_role_phrase(toks, items, k)
        if country is None:
            titles = self.w["idn_title"]
            if any(it.kind == "R" and " ".join(toks.low[it.i:it.j]) in titles for it in items[k:k_next]):
                country = _indonesia()
        return k_next, end, country, name, role

    def _read_role_phrase(self, toks, items, k) -> tuple[int, int, GazEntry | None, _Item | None, Role]:
        head = items[k]
        role = head.role
        country: GazEntry | None = None
        name: _Item | None = None
        end = head.j
        tail = 0
        k += 1
        if role.weak and k < len(items) and items[k].kind == "R" and items[k].i == end:
            # "juru bicara militer": the refinement gives the role, the head keeps its type (a person)
            refined = items[k].role
            role = Role(refined.role, role.type, False, False, _committee(refined))
            end, k = items[k].j, k + 1
        elif _committee(role):
            role = Role(role.role, role.type, role.adjectival, role.weak, True)
        while end < len(toks) and tail <= MAX_TAIL:
            item = items[k] if k < len(items) else None
            low, text = toks.low[end], toks.text[end]
            if item and item.i == end:
                if end and toks.low[end - 1] in self.w["office"] and (
                        item.kind == "N" or item.kind == "G" and item.entry.kind == "person"):
                    return k, end, country, None, role  # "juru bicara kantor X": X owns the office
                if item.kind == "G" and item.entry.kind == "person":
                    if item.entry.type in {"ORG", "MED"} and role.type == "PER" and country is None:
                        country, end, k = item.entry, item.j, k + 1  # "koresponden Fairfax": its employer
                        continue
                    return k + 1, item.j, country, item, role
                if item.kind == "G" and item.entry.code == "-":
                    end, k, tail = item.j, k + 1, tail + 1  # "Armada Pasifik": a region is no country
                    continue
                if item.kind == "G" and country is None:
                    country, end, k = item.entry, item.j, k + 1
                    continue
                if item.kind == "L":  # "Kapolres Langkat", "Dinas Kesehatan Provinsi Aceh": the title's place
                    if country is None:
                        code = country_of(self.article.text[toks.start[item.i]:toks.end[item.j - 1]])
                        country = GazEntry(code, code, "GPE", "short")
                    end, k, tail = item.j, k + 1, tail + 1
                    continue
                nxt = items[k + 1] if k + 1 < len(items) else None
                if (item.kind == "N" and country is None and nxt and nxt.i == item.j and nxt.kind == "G" and (
                        nxt.entry.kind == "institution" or (
                            role.type in {"ORG", "MED"} and nxt.entry.kind in PLACE_KINDS))):
                    # "Gereja Katolik Filipina", "Kepala Biro Humas KPK": the unit's name, then its owner
                    end, k = item.j, k + 1
                    continue
                if item.kind == "N" and (place := self._place_prefix(toks, item)):
                    # "Kapolres Dharmasraya X", "Gubernur Jawa Tengah X", "Konsul Jenderal RI Jeddah X"
                    if country is None:
                        code = country_of(self.article.text[toks.start[item.i]:toks.end[place - 1]])
                        country = GazEntry(code, code, "GPE", "short")
                    if place == item.j:
                        end, k = item.j, k + 1
                        continue
                    return k + 1, item.j, country, _Item("N", place, item.j), role
                if item.kind == "N":
                    if " ".join(toks.low[head.i:head.j]) in self.w["group"]:
                        break  # "pendukung Persib", "penumpang Garuda": a group named after what it follows
                    return k + 1, item.j, country, item, role
                if item.kind == "R":
                    end, k, tail = item.j, k + 1, tail + 1
                    continue
                break
            if text == "," and item and item.i == end + 1 and (
                item.kind == "N" or (item.kind == "G" and item.entry.kind == "person")
            ):
                return k + 1, item.j, country, item, role  # "pemimpin oposisi, Juan Guaido"
            if (low in ROLE_TAIL_LINKS and country and item and item.i == end + 1 and (
                    item.kind in "NL" or (item.kind == "G" and item.entry.kind in TAIL_PLACE_KINDS))):
                end, k = item.j, k + 1  # "... AS untuk Venezuela": the second state is a complement
                continue
            if (low == "dari" and role.role == "EDU" and country is None and item and item.i == end + 1
                    and item.kind in "NR" and toks.low[item.i] in self.w["org_head"]):
                # "pengamat dari Universitas Sydney, X": the school, and the state its name holds
                end, k, tail = item.j, k + 1, tail + 1
                school = item
                if item.kind == "R" and k < len(items) and items[k].kind == "N" and items[k].i == end:
                    school = items[k]  # the school's own name after "Universitas"
                    end, k = school.j, k + 1
                for n in range(school.i, school.j):
                    if code := country_of(self.article.text[toks.start[n]:toks.end[school.j - 1]]):
                        country = GazEntry(code, code, "GPE", "short")
                        break
                continue
            if text == "(" and (country is not None or role.type == "ORG"):
                close = next((n for n in range(end + 1, min(end + 6, len(toks))) if toks.text[n] == ")"),
                             None)
                if close is not None:  # "Komisi Pemberantasan Korupsi (KPK) X": the acronym repeats it
                    end = close + 1
                    while k < len(items) and items[k].i < end:
                        k += 1
                    continue
            if (low == "dan" and end + 1 < len(toks) and toks.cap[end - 1] and toks.cap[end + 1]
                    and toks.low[end + 1] in self.w["portfolio"]):
                end, tail = end + 1, tail + 1  # "Menteri Pendidikan dan Kebudayaan X"
                continue
            if low in self.w["demonstrative"]:
                end, tail = end + 1, MAX_TAIL  # "tersangka pembunuhan itu, X": a demonstrative closes it
                continue
            # A plain word continues the phrase; a number ("13/12", "9,1 persen") starts something else
            # unless a name follows it (a unit's number before its place: "Kodim 0621 Bogor").
            if country is None and toks.word[end] and ((toks.cap[end] and low in self.w["portfolio"]) or (
                not toks.cap[end] and low not in self.lex.stops and not self._verb_like(toks, end)
                and (not HAS_DIGIT(text) or (end + 1 < len(toks) and toks.cap[end + 1])))):
                end, tail = end + 1, tail + 1
                continue
            break
        return k, end, country, name, role

    def _read_sentence(self, sentence: Sentence, toks: _Words, headline: bool) -> None:
        items = self._items(toks, headline)
        s = sentence.index
        named: tuple[int, int] | None = None  # the last named actor: (its end token, its mention)
        k = 0
        while k < len(items):
            item = items[k]
            if item.kind == "R":
                installation = False
                if item.role.adjectival and self._modifier(toks, item.i):
                    installation = item.i > 0 and toks.low[item.i - 1] in self.w["installation"]
                    if not installation and not self._owned(items, k):
                        k += 1
                        continue
                k_next, end, country, name, role = self._role_phrase(toks, items, k)
                if installation and name is not None:  # "markas militer Presidio": the place's name
                    k_next, end, name = k_next - 1, name.i, None
                self._role_mentions(toks, item, end, country, name, role, s)
                if name is not None:
                    named = (name.j, len(self.mentions) - 1)
                elif not role.unit and k_next < len(items) and end < len(toks) and (
                        toks.text[end] in ",:" or toks.low[end] in self.w["list_marker"]):
                    k_next = self._listed(toks, items, k_next, item, end, country, role, s)
                k = k_next
                continue
            if item.kind == "G":
                self._gaz_mention(toks, item, s)
                self._note_place(toks, item, s)
                if item.entry.type in {"PER", "ORG", "MED"}:
                    named = (item.j, len(self.mentions) - 1)
            elif item.kind == "L":
                self._note_place(toks, item, s)
                self._emit(toks, item.i, item.j, s, "LOC", None, "place")
            else:
                self._note_place(toks, item, s)
                before = items[k - 1] if k else None
                if (item.name_type == "PER" and before and before.kind == "G" and before.j == item.i
                        and before.entry.kind == "institution" and before.i and toks.text[before.i - 1] != ","
                        and toks.low[before.i] not in self.w["branch"]):
                    # "[title] KPK Febri Diansyah": a person named right after a body belongs to it
                    code = before.entry.code_on(self.date)[0]
                    self._emit(toks, item.i, item.j, s, "PER", code, "title+institution", None,
                               self.article.text[toks.start[before.i]:toks.end[before.j - 1]])
                elif (item.name_type == "ORG" and k + 1 < len(items) and items[k + 1].kind == "G"
                        and items[k + 1].i == item.j and items[k + 1].entry.kind == "institution"):
                    # "Dewan Pertimbangan Pegawai KPK": a unit named before its body is the body's
                    owner = items[k + 1]
                    self._emit(toks, item.i, item.j, s, "ORG", owner.entry.code_on(self.date)[0], "unit",
                               None, self.article.text[toks.start[owner.i]:toks.end[owner.j - 1]])
                else:
                    self._emit(toks, item.i, item.j, s, item.name_type, None, "name")
                if named and named[0] + 1 == item.i and self._alias(toks, named[0], item):
                    self.aliases[len(self.mentions) - 1] = named[1]
                named = (item.j, len(self.mentions) - 1)
                self._apposition(toks, items, k, s)
            k += 1

    @staticmethod
    def _alias(toks: _Words, after: int, item: _Item) -> bool:
        """Whether the name run ``item``, one token after the name ending at token ``after``, restates it:
        "Basuki Tjahaja Purnama (Ahok)", "X alias Y"."""
        if toks.low[after] == "alias":
            return True
        return toks.text[after] == "(" and item.j < len(toks) and toks.text[item.j] == ")"

    def _listed(self, toks, items, k, head, end, country, role, s) -> int:
        """Names listed after a role nominal take its role: "keempat nelayan itu, yakni A (46), B dan C",
        "dua tersangka berinisial AB dan CD". Returns the index of the first item not read."""
        if role.weak and country is None:
            return k  # "para anggota yakni A dan B": members of a body the phrase does not name
        n = len(toks)
        at = end + (end < n and toks.text[end] == ",")
        if at >= n or not (toks.low[at] in self.w["list_marker"] or toks.text[at] == ":"):
            return k
        at += 1 + (at + 1 < n and toks.low[at] == "antara" and toks.low[at + 1] == "lain")
        role_text = self.article.text[toks.start[head.i]:toks.end[end - 1]]
        while k < len(items) and items[k].kind == "N" and items[k].i == at:
            name = _Item("N", items[k].i, items[k].j)
            self._role_mentions(toks, head, end, country, name, role, s)
            self.mentions[-1].role_text = role_text
            at, k = name.j, k + 1
            if at + 2 < n and toks.text[at] == "(" and toks.text[at + 2] == ")":
                at += 3  # an age: "A (46)"
            if at < n and toks.text[at] == ",":
                at += 1
            if at < n and toks.low[at] in self.w["list_joiner"]:
                at += 1
        return k

    def _owned(self, items: list[_Item], k: int) -> bool:
        """Whether an adjectival role word names an actor after all: a state follows it ("media Australia",
        "militer Indonesia")."""
        role, nxt = items[k], items[k + 1] if k + 1 < len(items) else None
        return bool(nxt and nxt.i == role.j and nxt.kind == "G" and nxt.entry.kind in PLACE_KINDS)

    def _note_place(self, toks: _Words, item: _Item, s: int) -> None:
        """Record where a sentence says things happen ("di Gaza", "di Turki")."""
        if not item.i or toks.low[item.i - 1] not in self.w["locative"]:
            return
        if item.kind == "G":
            if item.entry.kind not in PLACE_KINDS | {"metonym"} and item.entry.type != "LOC":
                return
            country = item.entry.code[:3]
        else:
            country = country_of(self.article.text[toks.start[item.i]:toks.end[item.j - 1]])
        if country and country.isalpha():
            self.places.setdefault(s, []).append(country)

    def _code(self, country: GazEntry | None, role: Role) -> str | None:
        if country is None or not country.code[:3].isalpha():
            return None  # never a role without its country
        if country.kind == "institution" and role.body and not country.roles:
            return country.code[:3] + role.role  # "Ketua Pansus Angket KPK" sits in parliament, not in KPK
        if country.code.startswith(("IGO", "IMG")) or country.kind in {"institution", "rebel"} or (
                country.kind == "person" and country.type != "PER"):
            return country.code_on(self.date)[0]  # a party governs or opposes by the date
        return country.code[:3] + role.role

    def _role_mentions(self, toks, head, end, country, name, role, s) -> None:
        """Emit the mention(s) a role phrase gives: the named person or body, or the nominal actor."""
        name_start = name.i if name else end
        role_text = self.article.text[toks.start[head.i]:toks.end[max(head.i, name_start - 1)]].rstrip(" ,")
        if toks.text[name_start - 1] == ",":
            role_text = self.article.text[toks.start[head.i]:toks.end[name_start - 2]]
        code = self._code(country, role)
        if role.unit and code is None:  # "Satgas X", "Direktorat Y" of no named body: no actor to code
            if name is not None:
                self._emit(toks, name.i, name.j, s, name.name_type, None, "name")
            return
        former = head.i > 0 and toks.low[head.i - 1] in self.w["former"]
        if former and code:
            code = code[:3]  # "mantan Presiden Filipina X" is out of office: the country only
        if name is not None:
            entry = name.entry
            type_ = entry.type if entry else ("ORG" if role.type in {"ORG", "MED"} else name.name_type)
            if role.type == "MED":
                type_ = "MED"
            if code:
                rule = "title+former" if former else "title+country"
            elif entry:
                code, rule = entry.code_on(self.date)
            else:
                rule = "title"
            self._emit(toks, name.i, name.j, s, type_, code, rule, entry, role_text,
                       None if code else role, head.possessive)
        elif code:
            self._emit(toks, head.i, end, s, role.type if role.type != "PER" else "PER", code, "nominal",
                       None, role_text)
        elif head.possessive:
            self._emit(toks, head.i, end, s, role.type, None, "nominal", None, role_text, role, True)
        elif not role.weak and not former:
            # "polisi", "Menteri Pertanian", "warga": a role without its country is the story's
            self._emit(toks, head.i, end, s, role.type, None, "nominal", None, role_text, role)

    def _gaz_mention(self, toks, item, s) -> None:
        entry = item.entry
        code, rule = entry.code_on(self.date)
        type_ = entry.type
        if entry.kind == "metonym" and item.i and toks.low[item.i - 1] in self.w["place_prep"]:
            code, rule, type_ = code[:3], "place", "LOC"  # "mendarat di Caracas" is where, not who
        elif entry.kind == "metonym":
            rule = "metonym"
        elif entry.type == "LOC":
            code, rule = None, "region"  # seas and regions are places; country_of() still knows them
        self._emit(toks, item.i, item.j, s, type_, code, rule, entry)

    def _apposition(self, toks, items, k, s) -> None:
        """"X, juru bicara Kementerian Luar Negeri Rusia, ...": the role after a comma codes X."""
        name = items[k]
        if k + 1 >= len(items) or name.j >= len(toks) or toks.text[name.j] != ",":
            return
        nxt = items[k + 1]
        if nxt.kind != "R" or nxt.i != name.j + 1:
            return
        _, end, country, inner, role = self._role_phrase(toks, items, k + 1)
        mention = self.mentions[-1]
        if inner is not None:
            return
        if country is not None:
            mention.code = self._code(country, role)
        elif role.type == "PER" and name.name_type == "PER" and (
                # a generic head ("pemimpin tim") needs its principal: "kantor X", "partainya"
                toks.low[end - 1] in self.w["office"] or nxt.possessive
                or not role.weak and (end == len(toks) or toks.text[end] in ",.)")):
            self.titled[-1] = role  # "X, juru bicara partainya, ...": the country comes from elsewhere
            self.possessive[-1] = nxt.possessive
        else:
            return
        mention.rule = "apposition"
        mention.role_text = self.article.text[toks.start[nxt.i]:toks.end[end - 1]]

    # -- entities --------------------------------------------------------------------------------
    def _dominant_country(self) -> str:
        """The story's country: its dateline's, else the one its states, places and institutions name most.

        Every actor coded from its own words counts for its country, so bodies such as KPK or Polda and
        home places (Palembang, Jakarta Barat) count for Indonesia, which an Indonesian outlet seldom
        names outright; Indonesia also wins ties and stories that name no country at all.
        """
        if self.article.dateline and (code := country_of(self.article.dateline)):
            return code
        counts: Counter[str] = Counter()
        for m in self.mentions:
            if m.code and m.rule not in INFERRED_RULES and not m.code.startswith(("IGO", "IMG")):
                counts[m.code[:3]] += 1
            elif m.rule in {"name", "place"} and (place := country_of(m.text)):
                counts[place] += 1
        return max(counts, key=lambda c: (counts[c], c == "IDN"), default="IDN")

    def _entities(self) -> list[Entity]:
        entities: list[Entity] = []
        by_key: dict[str, int] = {}
        people: dict[int, set[str]] = {}  # person entity index -> folded name tokens
        order = sorted(range(len(self.mentions)), key=lambda n: -len(self.mentions[n].text))
        for n in order:
            m, entry = self.mentions[n], self.entries[n]
            named = not m.rule.startswith("nominal")
            if named and m.type in {"PER", "ORG", "MED"} and (entry is None or entry.kind == "person"):
                tokens = set(_fold(m.text).split())
                index = self._person_entity(entry, tokens, people, by_key)
                restated = self.aliases.get(n)
                if restated is not None and self.mentions[restated].entity is not None:
                    index = self.mentions[restated].entity  # "X (Y)": Y is X's other name
                elif restated is not None:
                    tokens |= set(_fold(self.mentions[restated].text).split())
                if index is None:
                    index = len(entities)
                    entities.append(Entity(index, entry.name if entry else m.text, m.type, None,
                                           qid=entry.qid if entry else None))
                    people[index] = tokens
                    if entry:
                        by_key[f"P:{entry.name}"] = index
                elif index in people:  # an alias of a body ("... (LPMP)") joins it without its tokens
                    people[index] |= tokens
            else:
                if entry:  # spellings of one state share its code; parties share a code but not a standing
                    key = f"G:{entry.name}" if entry.roles else f"G:{entry.code}"
                elif m.code:  # "pasukan AS" twice is one actor; a named body keeps its own name
                    key = f"N:{m.code}:{_fold(m.text) if m.text[0].isupper() else ''}"
                else:
                    key = f"U:{n}"
                if key not in by_key:
                    by_key[key] = len(entities)
                    entities.append(Entity(len(entities), entry.name if entry else m.text, m.type, None,
                                           qid=entry.qid if entry else None))
                index = by_key[key]
            m.entity = index
            entities[index].mentions.append(n)
        self._resolve_titles(entities)
        for entity in entities:
            entity.mentions.sort()
            entity.code = _most_specific(self.mentions[n].code for n in entity.mentions)
            entity.aliases = sorted({self.mentions[n].text for n in entity.mentions} - {entity.name})
            for n in entity.mentions:
                if self.mentions[n].code is None and entity.code:
                    self.mentions[n].code = entity.code
                    self.mentions[n].rule += "+entity"
        return entities

    def _person_entity(self, entry, tokens, people, by_key) -> int | None:
        if entry and f"P:{entry.name}" in by_key:
            return by_key[f"P:{entry.name}"]
        for index, known in people.items():
            if tokens <= known:
                return index
        if len(tokens) == 1:
            (word,) = tokens
            if len(word) >= FUZZY_MIN_LEN:
                initial = word[0]
                for index, known in people.items():
                    for k in known:
                        # a typo ("Psekov"), or a short form of a long name ("Enggar" for "Enggartiasto")
                        if k[0] == initial and len(k) >= FUZZY_MIN_LEN and (
                                k.startswith(word) or fuzz.ratio(word, k) >= FUZZY_MIN_RATIO):
                            return index
        return None

    def _clause_country(self, s: int, dominant: str) -> str:
        """The country of a bare role noun ("warga sipil") in sentence s: the story's, unless the sentence
        places itself abroad ("di Gaza", "di Turki"). A state named otherwise is often the other party
        ("bekerja sama dengan Uruguay"), so only a place the sentence happens in moves the noun there."""
        places = self.places.get(s)
        if places and dominant not in places:
            return places[0]
        return dominant

    def _resolve_titles(self, entities: list[Entity]) -> None:
        """Give a country to titles that lack one: same entity, possessive, then the dominant country."""
        dominant = None
        # "-nya" on a person's title points back to the last coded person ("Penasihat ...-nya X");
        # on a nominal ("personel militernya") to the last state named earlier in the same sentence.
        owner: dict[int, str | None] = {}
        person = state = None
        sentence = -1
        for n, m in enumerate(self.mentions):
            if m.sentence != sentence:
                sentence, state = m.sentence, None
            owner[n] = state if m.rule == "nominal" else person
            if m.code and not m.code.startswith(("IGO", "IMG")):
                state = m.code[:3]
                if m.type == "PER":
                    person = m.code[:3]
        for entity in entities:
            coded = [self.mentions[n].code for n in entity.mentions if self.mentions[n].code]
            for n in entity.mentions:
                role, m = self.titled[n], self.mentions[n]
                if role is None or m.code:
                    continue
                if coded:
                    m.code, m.rule = coded[0][:3] + role.role, "title+coreference"
                elif self.possessive[n]:
                    if owner[n]:
                        m.code, m.rule = owner[n] + role.role, f"{m.rule}+possessive"
                else:
                    dominant = dominant or self._dominant_country()
                    home = (self._clause_country(m.sentence, dominant)
                            if m.rule == "nominal" and role.role not in ACTS_ABROAD else dominant)
                    m.code = home + role.role
                    if home != dominant:
                        m.rule = "nominal+clause"
                        continue
                    m.rule = "nominal+home" if m.rule == "nominal" else "title+dominant"

    def read(self) -> Article:
        article = self.article
        sentences = article.sentences or _split(article.text)
        # Names written capitalised mid-sentence are names wherever they appear, sentence-initial too.
        read = []
        honorifics = self.w["honorific"]
        for sentence in sentences:
            every = _words(sentence.tokens or tokenize(sentence.text, sentence.start), article.text)
            ended = _ended(sentence.text)
            headline = _headline(every, ended)
            if not headline:
                text, low = every.text, every.low
                self.known_names.update(low[k] for k in itertools.compress(range(1, len(text)), every.cap[1:])
                                        if text[k - 1][-1] not in SENTENCE_OPENERS)
            blocked = [(a, b) for a, b in self.blocked if a < sentence.end and b > sentence.start]
            kept = _kept(every, blocked, honorifics)
            read.append((sentence, kept, headline if kept is every else _headline(kept, ended)))
        for sentence, kept, headline in read:
            self._read_sentence(sentence, kept, headline)
        article.mentions = self.mentions
        article.entities = self._entities()
        return article


def _headline(toks: _Words, ended: bool) -> bool:
    """Whether a line is in Title Case (a headline), where capitals say nothing about names.

    Names and titles also fill news sentences with capitals, so a line counts as a headline only
    when it has no final punctuation or capitalises a function word or verb ("Akan", "Memperdalam").
    """
    words = sum(toks.word)
    if words < 4 or sum(toks.cap) / words <= 0.5:
        return False
    if not ended:
        return True
    lex = _lexicon()
    stops, titles = lex.words["function"], lex.words["portfolio"]
    after_first = toks.word.index(True) + 1
    return any(
        cap and low not in titles and (low,) not in lex.roles and (
            low in stops or (pos == "VB" if pos else VERB_PREFIX.match(low)))  # "Dimas" is no verb
        for low, cap, pos in zip(toks.low[after_first:], toks.cap[after_first:], toks.pos[after_first:],
                                 strict=True)
    )


def _committee(role: Role) -> bool:
    """Whether a role word names a parliamentary body ("Pansus Angket KPK"): committees are named after
    what they oversee, so an institution later in the phrase is their subject, not their owner."""
    return role.type == "ORG" and role.role == "LEG"


def _ended(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", '"', "”", "’"))


def _most_specific(codes) -> str | None:
    """The code with a role beats the bare country; ties go to the most frequent."""
    counts: dict[str, int] = {}
    for c in codes:
        if c:
            counts[c] = counts.get(c, 0) + 1
    if len(counts) <= 1:
        return next(iter(counts), None)
    return max(counts, key=lambda c: (len(c) > 3, counts[c]))


def _split(text: str) -> list[Sentence]:
    """Sentences by line and full stop, for articles that did not go through the language stage."""
    out = []
    for m in re.finditer(r"[^\n.!?]+[.!?]*", text):
        if m.group().strip():
            out.append(Sentence(len(out), m.start(), m.end(), m.group()))
    return out


@stage("entities", requires=["article.sentences"], assigns=["article.mentions", "article.entities"])
def entities(article: Article) -> Article:
    """Find the article's actors, merge their mentions into entities and code them in CAMEO."""
    return _Reader(article).read()
