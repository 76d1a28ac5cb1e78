"""Stories: near-duplicate articles, online story clustering and cross-article event resolution.

Three jobs, run after the per-article stages, over a feed that may never end:

1. **Copies.** A syndicated wire story or a lightly edited repost is found by MinHash (datasketch) and
   LSH band keys over 5-word shingles of the body, dateline and outlet header left out, so one story
   from two outlets matches. Copies are linked into a duplicate group, never deleted; the group's
   canonical copy is the earliest published, then the longest text, then the smallest id.
2. **Stories.** :meth:`StoryIndex.assign` puts each new article in a story as it arrives. A copy joins
   its original's story. Other articles are compared with the stories found through an inverted index
   keyed on (salient term, month): TF-IDF cosine over content words, entity names and country codes,
   and a time window, so the same actors years apart make two stories. Retrieval never scans all
   stories: it reads a few capped posting lists.
3. **Events.** :func:`joins` and :func:`resolve` merge the events of one story that are the same
   happening (same dyad of countries, compatible CAMEO roots, compatible dates) and count how many
   articles and how many independent sources (duplicate groups) report it; the store links each new
   event as it is written (:meth:`warta.store.Store.add_many`), :func:`resolve_events` runs that in memory.

The state of :class:`StoryIndex` lives in DuckDB tables of the store (``migrations/0002_stories.sql``),
read per new article through indexed lookups, so memory does not grow with the store. Run
``python -m warta.stories --eval tests/fixtures/stories`` for
B-cubed scores on the labelled fixture corpus.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import hashlib
import json
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
from datasketch import LeanMinHash, MinHash

from .data import read_tsv
from .doc import Article, Entity, Event

# --- near-duplicates -------------------------------------------------------------------------------
# 5-word shingles: long enough that two different articles on one topic share almost none, short
# enough that one edited word spoils only 5 of ~100 shingles of a short article.
SHINGLE_WORDS = 5
# 128 permutations give a Jaccard estimate with standard error ~0.04, enough to tell a copy (J >= 0.6
# in the fixture corpus) from a rewrite (J <= 0.1).
NUM_PERM = 128
MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"  # datasketch 2's default; saved signatures must be read back with it
# Copies in tests/fixtures/stories measure J = 0.54-0.93 after small edits and a new header; the
# closest rewrite of one happening measures J = 0.07 (docs/stories.md), so 0.5 sits in the wide gap.
DUPLICATE_JACCARD = 0.5
# LSH banding: 16 bands of 3 rows (48 of the 128 permutations) make a pair with Jaccard 0.5 a candidate
# with probability 1 - (1 - 0.5^3)^16 = 0.88, 0.6 -> 0.98, 0.7 -> 0.9996. The band keys are rows of an
# indexed table in the store (datasketch's in-memory MinHashLSH took ~9 KB per article and broke the
# 1 GB budget at 100,000 articles), so each band costs one 8-byte key per article, on disk.
LSH_BANDS, LSH_ROWS = 16, 3
# A dateline/outlet header ("JAKARTA, KOMPAS.com - ") ends within this many characters of the start.
HEADER_MAX_CHARS = 80

# --- story clustering ------------------------------------------------------------------------------
# Words shorter than this are almost all function words ("di", "ke", "ini").
MIN_TERM_CHARS = 3
# Salient terms kept per article (TF-IDF top-k) and per story centroid: enough to describe a news
# story, small enough that 100,000 articles fit in memory.
ARTICLE_TERMS = 30
STORY_TERMS = 80
# Extra term frequency for a named entity or a country code: names and actors identify a story more
# than the words around them.
ENTITY_BOOST = 2.0
# Extra frequency for the words of the title and the lead sentence: they state the happening, while
# the background paragraphs of two different stories about the same actors read alike.
LEAD_BOOST = 1.0
# Articles published more than this many days outside a story's date range start a new story: news
# stories rarely run longer than a few weeks without a break; the same actors years apart stay apart.
STORY_WINDOW_DAYS = 21
# Document frequencies from a background corpus (IndoSum, CC BY-SA 4.0; rebuilt with ``python -m
# warta.stories --build-df``), so a young index already knows "yang" from "tsunami". Terms seen in fewer
# than BACKGROUND_MIN_DF of its articles are left out: they are rare anyway.
BACKGROUND_DF = "stories_df.tsv"
BACKGROUND_MIN_DF = 3
BACKGROUND_DOCUMENTS = "__documents__"
# Similarity halves for every this many days between an article and the story's date range (the
# time decay of TDT systems): a story quiet for two weeks needs a much closer article to go on.
STORY_HALF_LIFE_DAYS = 7.0
# Time-decayed cosine needed to join a story. Swept over 0.15-0.4 on tests/fixtures/stories: articles
# of one story score 0.25-0.65 against it, a different story with the same actors two weeks earlier
# 0.38 before decay and 0.1 after; 0.2 gave the best F1 over shuffled feed orders short of 0.15.
STORY_SIMILARITY = 0.2
# An undated article cannot be placed in any window, so it is compared only with the stories of other
# undated articles (bucket UNDATED), and needs a closer match. Its copies are still found (LSH is global).
UNDATED_STORY_SIMILARITY = 0.3
# Only this many terms of an article are posted and looked up, and each posting list keeps only its
# most recent stories: retrieval costs O(LOOKUP_TERMS x MAX_POSTING) whatever the size of the index.
LOOKUP_TERMS = 15
MAX_POSTING = 50
MAX_CANDIDATES = 30
# Articles assigned between two writes of the batched state (StoryIndex.flush) when no store drives it.
FLUSH_EVERY = 200
UNDATED = "*"
# Summary: sentences kept per article as candidates, sentences in a story summary.
SENTENCE_CANDIDATES = 4
SUMMARY_SENTENCES = 3
# A country is one of a story's actors when at least this share of its original articles name it.
STORY_ACTOR_SHARE = 0.5

# --- event resolution ------------------------------------------------------------------------------
# CAMEO roots that careful coders swap for one happening (the alternatives ../shared/gold lists per
# event): appeal/demand (02, 10), intend/consult (03, 04), a visit, a deployment or a delivery
# (04, 06, 07), diplomatic/material cooperation (05, 06), disapprove/threaten (11, 13), fight/assault
# (18, 19). Compatibility is not transitive: every pair of roots in a resolved event must be compatible.
CAMEO_ROOT_FAMILIES = (
    frozenset({"02", "10"}),
    frozenset({"03", "04"}),
    frozenset({"04", "06", "07"}),
    frozenset({"05", "06"}),
    frozenset({"11", "13"}),
    frozenset({"18", "19"}),
)
# Probability that one independent source reporting an event with this modality is right; combined
# across sources by noisy-OR. Hedged reports ("dilaporkan") count less than assertions; plans less still.
MODALITY_RELIABILITY = {
    "asserted": 0.6,
    "reported": 0.45,
    "intended": 0.35,
    "hypothetical": 0.2,
    "negated": 0.6,
}
DEFAULT_RELIABILITY = 0.4

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“A-Z0-9])")
_HEADER_DASH = re.compile(r"\s[-–—]\s")
_DOMAIN = re.compile(r"\b\w+\.(?:com|co\.id|id|net|org|tv)\b", re.IGNORECASE)
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
_PRECISION_RANK = {"day": 0, "interval": 1, "week": 1, "month": 2, "year": 3}


# ===================================================================================================
# Text features
# ===================================================================================================


def body_text(article: Article) -> str:
    """Return the article's text without the title line and the dateline/outlet header.

    The header ("JAKARTA, KOMPAS.com - ", "Liputan6.com, Caracas - ") differs between two outlets'
    copies of one wire story, so it must not count for or against a match.
    """
    text = article.text or article.raw
    if article.title and text.startswith(article.title):
        text = text[len(article.title) :]
    text = text.lstrip()
    dash = _HEADER_DASH.search(text, 0, HEADER_MAX_CHARS)
    if dash:
        header = text[: dash.start()]
        # A header is a place and/or an outlet, not a clause: few words, a domain or capitals.
        if len(header.split()) <= 6 and (_DOMAIN.search(header) or header.split(",")[0].isupper()):
            text = text[dash.end() :]
    return text


def words(text: str) -> list[str]:
    """Return the lowercased words of ``text``, punctuation dropped."""
    return _WORD.findall(text.lower())


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Return the set of ``size``-word shingles of ``text`` (the whole text when it is shorter)."""
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def minhash(text: str) -> LeanMinHash:
    """Return the MinHash signature of the shingles of ``text``."""
    signature = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)
    signature.update_batch([s.encode("utf-8") for s in shingles(text)])
    return LeanMinHash(signature)


def countries(article: Article) -> set[str]:
    """Return the country codes (first three letters of CAMEO codes) of the article's entities and events."""
    codes = {e.code[:3] for e in article.entities if e.code}
    for event in article.events:
        codes.update(a.code[:3] for a in (event.actor1, event.actor2) if a is not None and a.code)
    return codes


def content_words(text: str) -> Counter[str]:
    """Return the words of ``text`` that can carry content (long enough, not numbers) with their counts."""
    return Counter(w for w in words(text) if len(w) >= MIN_TERM_CHARS and not w.isdigit())


def term_counts(article: Article, body: str) -> Counter[str]:
    """Return the article's terms and frequencies: topic words, and names (``^`` + a capitalised word,
    ``=`` + an entity's name, ``@`` + a country code), which :func:`is_name` tells apart.

    A word capitalised inside a sentence is a name or part of one ("Caracas", "Presiden"); Indonesian
    capitalises nothing else there, so this needs no word list and works before the entities stage.
    """
    counts = content_words(body)
    lead = (article.title or "") + " " + (_SENTENCE_END.split(body, maxsplit=1)[0] if body else "")
    for word, count in content_words(lead).items():
        counts[word] += LEAD_BOOST * count
    for match in _WORD.finditer(body):
        word = match.group()
        if word[0].isupper() and word.lower() in counts and not _starts_sentence(body, match.start()):
            lowered = word.lower()
            counts["^" + lowered] += counts.pop(lowered)
    for entity in article.entities:
        counts["=" + entity.name.lower()] += ENTITY_BOOST
    for code in countries(article):
        counts["@" + code] += ENTITY_BOOST
    return counts


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"“‘'(")
    return not before or before[-1] in ".!?\n:"


def is_name(term: str) -> bool:
    """Return whether a term of :func:`term_counts` is a name rather than a topic word."""
    return term[0] in "^=@"


def split_sentences(article: Article, body: str) -> list[str]:
    """Return the article's sentences (the language stage's where it ran) inside the body."""
    if article.sentences:
        return [s.text for s in article.sentences if s.text in body]
    return [s.strip() for s in _SENTENCE_END.split(body) if s.strip()]


def day_of(value: str | None) -> int | None:
    """Return the proleptic ordinal of an ISO date or datetime (a month counts as its first day)."""
    match = _DATE_PREFIX.match(value or "")
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month), int(day or 1)).toordinal()
    except ValueError:
        return None


def month_key(day: int) -> str:
    """Return ``YYYY-MM`` of a proleptic ordinal."""
    return date.fromordinal(day).strftime("%Y-%m")


@functools.cache
def background_df() -> tuple[int, dict[str, int]]:
    """Return the background corpus's document count and document frequencies (warta/data)."""
    rows = read_tsv(BACKGROUND_DF)
    freq = {row["term"]: int(row["df"]) for row in rows}
    return freq.pop(BACKGROUND_DOCUMENTS), freq


def build_background_df(source: str | Path, target: str | Path) -> int:
    """Count the document frequency of content words over a JSON Lines corpus (gzip or not); return N.

    Streams the corpus one record at a time, so memory is bounded by the vocabulary.
    """
    freq: Counter[str] = Counter()
    documents = 0
    opener = gzip.open if str(source).endswith(".gz") else open
    with opener(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("text") or ""
            freq.update(content_words(body_text(Article(doc="", id="", raw=text, text=text))).keys())
            documents += 1
    with open(target, "w", encoding="utf-8") as out:
        out.write(
            f"# Document frequencies of content words in {Path(source).name} (warta.stories --build-df)\n"
        )
        out.write("term\tdf\tsource\n")
        out.write(f"{BACKGROUND_DOCUMENTS}\t{documents}\t{Path(source).parent.name}\n")
        for term, count in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])):
            if count >= BACKGROUND_MIN_DF:
                out.write(f"{term}\t{count}\t{Path(source).parent.name}\n")
    return documents


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values())))


# ===================================================================================================
# The index
# ===================================================================================================


@dataclass
class ArticleEntry:
    """What the index keeps of one article: enough to cluster, title and summarise, not the text."""

    id: str
    seq: int  # arrival order
    story: str
    group: str  # duplicate group: the id of its first-seen member
    published: str | None
    day: int | None
    length: int
    source: str | None
    title: str
    terms: dict[str, float]  # salient term -> frequency (ARTICLE_TERMS of them); empty for a copy
    sentences: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


@dataclass
class Story:
    """A story: articles about one happening, copies included."""

    id: str
    first: int | None = None  # proleptic ordinals of the earliest and latest publication
    last: int | None = None
    centroid: dict[str, float] = field(default_factory=dict)  # term -> summed frequency
    countries: dict[str, int] = field(default_factory=dict)  # code -> original articles naming it
    originals: int = 0  # articles that are not copies of an earlier one
    articles: int = 0


@dataclass
class StorySummary:
    """A story as a reader sees it."""

    id: str
    title: str
    first_published: str | None
    last_published: str | None
    actors: list[str]
    summary: list[str]
    articles: list[str]
    duplicate_groups: dict[str, list[str]]  # canonical article id -> its copies
    num_sources: int


def band_keys(hashvalues: np.ndarray) -> list[int]:
    """Return the LSH band keys of a MinHash signature: each band of LSH_ROWS values hashed to 63 bits.

    Two signatures share a key when they agree on a whole band (or, rarely, on a hash collision, which
    the full Jaccard check that follows rejects). The band number is hashed in, so bands never mix.
    """
    rows = np.asarray(hashvalues, dtype="<u4")[: LSH_BANDS * LSH_ROWS].reshape(LSH_BANDS, LSH_ROWS)
    return [
        int.from_bytes(hashlib.blake2b(band.tobytes(), digest_size=8, salt=bytes([n])).digest(), "big") >> 1
        for n, band in enumerate(rows)
    ]


def _canonical_order(entry: ArticleEntry) -> tuple:
    return (entry.day if entry.day is not None else math.inf, -entry.length, entry.id)


def _story_row(row: tuple) -> Story:
    story_id, first, last, centroid, codes, originals, articles = row
    return Story(story_id, first, last, json.loads(centroid or "{}"), json.loads(codes or "{}"), originals,
                 articles)


class StoryIndex:
    """Online story clustering and near-duplicate detection over a stream of analysed articles.

    The state lives in DuckDB tables (``warta/migrations/0002_stories.sql``) on the connection of a
    :class:`warta.store.Store`, so memory stays bounded whatever the number of articles: each new
    article reads its LSH band keys, a few posting lists and the document frequencies of its own terms
    through indexed lookups, and writes its rows. Without a connection, the index opens an in-memory
    store of its own. ``assign(article)`` is idempotent on ``Article.id``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        if con is None:
            from .store import Store  # the store imports this module

            self._own_store = Store(":memory:")
            con = self._own_store.con
        self.con = con
        self._df: dict[str, int] = {}  # document frequencies read from story_terms for the call under way
        self.discard()

    def discard(self) -> None:
        """Forget what :meth:`flush` has not written (after a rolled-back transaction) and reread."""
        state = dict(self.con.execute("SELECT name, value FROM story_state").fetchall())
        self._documents, self._seq = state["documents"], state["seq"]
        self._pending_df: Counter[str] = Counter()  # term counts not yet added to story_terms
        self._pending_postings: set[str] = set()  # posting lists that may have grown past MAX_POSTING
        self._unflushed = 0

    def flush(self) -> None:
        """Write the batched state: counters, document frequencies, and posting lists cut to length.

        Per-article statements cost DuckDB about a millisecond each, so what can wait for the end of a
        batch does (the store calls this before each commit; :meth:`assign` every FLUSH_EVERY articles).
        """
        self.con.execute(
            "UPDATE story_state SET value = CASE name WHEN 'documents' THEN ? ELSE ? END",
            [self._documents, self._seq],
        )
        if self._pending_df:
            self.con.execute(
                "INSERT INTO story_terms SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]) "
                "ON CONFLICT (term) DO UPDATE SET df = story_terms.df + excluded.df",
                [list(self._pending_df), list(self._pending_df.values())],
            )
        if self._pending_postings:
            self.con.execute(
                f"""
                DELETE FROM story_postings WHERE rowid IN (
                    SELECT rowid FROM story_postings WHERE posting IN (SELECT unnest(?::VARCHAR[]))
                    QUALIFY row_number() OVER (PARTITION BY posting ORDER BY seq DESC) > {MAX_POSTING})
                """,
                [list(self._pending_postings)],
            )
        self._pending_df = Counter()
        self._pending_postings = set()
        self._unflushed = 0

    def __len__(self) -> int:
        return self.con.execute("SELECT count(*) FROM story_articles").fetchone()[0]

    # --- assignment --------------------------------------------------------------------------------

    def assign(self, article: Article) -> str:
        """Put ``article`` in a story and return the story id (the same id if it was assigned before)."""
        found = self.con.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ?", [article.id]).fetchone()
        if found is not None:
            return found[0]
        self._df = {}
        body = body_text(article)
        signature = minhash(body)
        original = self.find_copy(signature)
        day = day_of(article.published)
        sentences = split_sentences(article, body)
        title = (article.title or (sentences[0] if sentences else body[:120])).strip()
        entry = ArticleEntry(
            id=article.id, seq=self._seq + 1, story="", group=article.id, published=article.published,
            day=day,
            length=len(body), source=article.source, title=title, terms={},
            countries=sorted(countries(article)),
        )
        counts: Counter[str] = Counter()
        if original is not None:
            entry.group = original.group
            entry.story = original.story
        else:
            counts = term_counts(article, body)
            self._fetch_df([*counts, *(w for s in sentences for w in words(s))])
            self._documents += 1  # the article counts in its own IDF, as in a batch TF-IDF
            self._pending_df.update(counts.keys())
            entry.terms = dict(
                sorted(counts.items(), key=lambda kv: -kv[1] * self.idf(kv[0]))[:ARTICLE_TERMS]
            )
            entry.sentences = self._central_sentences(sentences, entry.terms)
            best = self.best_story(entry.terms, day)
            entry.story = best.id if best else article.id
        self._add(entry, signature)
        self._unflushed += 1
        if self._unflushed >= FLUSH_EVERY:
            self.flush()
        return entry.story

    def find_copy(self, signature: LeanMinHash) -> ArticleEntry | None:
        """Return the earlier article ``signature`` is a near-duplicate of (the closest), or None."""
        hits = self.con.execute(
            "SELECT DISTINCT article_id FROM story_bands WHERE band_key IN (SELECT unnest(?::BIGINT[]))",
            [band_keys(signature.hashvalues)],
        ).fetchall()
        if not hits:
            return None
        best, best_jaccard = None, DUPLICATE_JACCARD
        for entry, stored in self._entries([h[0] for h in hits], signatures=True):
            jaccard = float(np.mean(stored == signature.hashvalues))
            if jaccard > best_jaccard or (jaccard == best_jaccard and best is None):
                best, best_jaccard = entry, jaccard
        return best

    def best_story(self, terms: dict[str, float], day: int | None) -> Story | None:
        """Return the most similar story within the time window, if similar enough to join."""
        vector = self._weights(terms)
        threshold = STORY_SIMILARITY if day is not None else UNDATED_STORY_SIMILARITY
        stories = [s for s in self.candidates(vector, day) if self._in_window(s, day)]
        self._fetch_df([t for s in stories for t in s.centroid])
        best, best_score = None, threshold
        for story in stories:
            score = _cosine(vector, self._weights(story.centroid)) * self._decay(story, day)
            if score >= best_score:
                best, best_score = story, score
        return best

    def candidates(self, vector: dict[str, float], day: int | None) -> list[Story]:
        """Return the stories sharing salient terms with ``vector`` in its time buckets (capped).

        Reads the posting lists of the LOOKUP_TERMS most salient terms in the months the window touches,
        each cut to its MAX_POSTING most recent stories, and keeps the MAX_CANDIDATES best-hit stories.
        """
        if day is None:
            buckets = [UNDATED]
        else:
            offsets = (-STORY_WINDOW_DAYS, 0, STORY_WINDOW_DAYS)
            buckets = sorted({month_key(day + offset) for offset in offsets})
        lookup = sorted(vector, key=vector.__getitem__, reverse=True)[:LOOKUP_TERMS]
        postings = [f"{bucket}|{term}" for term in lookup for bucket in buckets]
        weights = [vector[term] for term in lookup for _ in buckets]
        rows = self.con.execute(  # one row per (posting, story): _post moves a story to a list's end
            "SELECT posting, story_id, seq FROM story_postings "
            "WHERE posting IN (SELECT unnest(?::VARCHAR[]))",
            [postings],
        ).fetchall()
        lists: dict[str, list[tuple[int, str]]] = {}
        for posting, story_id, seq in rows:
            lists.setdefault(posting, []).append((seq, story_id))
        weight = dict(zip(postings, weights, strict=True))
        hits: Counter[str] = Counter()
        for posting, found in lists.items():
            for _, story_id in sorted(found, reverse=True)[:MAX_POSTING]:
                hits[story_id] += weight[posting]
        best = sorted(hits, key=lambda story_id: (-hits[story_id], story_id))[:MAX_CANDIDATES]
        stories = {s.id: s for s in self._stories(best)}
        return [stories[story_id] for story_id in best if story_id in stories]

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of ``term`` in the background corpus and the index.

        The index's part is read from ``story_terms`` by :meth:`_fetch_df` before it is needed.
        """
        documents, freq = background_df()
        background = freq.get(term[1:] if term[0] == "^" else term, 0)
        seen = self._df.get(term, 0) + self._pending_df.get(term, 0)
        return math.log((documents + self._documents + 1) / (background + seen + 1))

    def _fetch_df(self, terms: Iterable[str]) -> None:
        missing = list({t for t in terms if t not in self._df})
        if not missing:
            return
        self._df.update(dict.fromkeys(missing, 0))
        self._df.update(self.con.execute(
            "SELECT term, df FROM story_terms WHERE term IN (SELECT unnest(?::VARCHAR[]))", [missing]
        ).fetchall())

    def _weights(self, counts: dict[str, float]) -> dict[str, float]:
        return {t: (1 + math.log(c)) * self.idf(t) for t, c in counts.items() if c > 0}

    def _central_sentences(self, sentences: list[str], terms: dict[str, float]) -> list[str]:
        vector = self._weights(terms)
        scored = sorted(
            sentences, key=lambda s: -_cosine(self._weights(Counter(words(s))), vector) if s else 0.0
        )
        return scored[:SENTENCE_CANDIDATES]

    @staticmethod
    def _decay(story: Story, day: int | None) -> float:
        if day is None or story.first is None or story.last is None:
            return 1.0
        gap = max(story.first - day, day - story.last, 0)
        return 0.5 ** (gap / STORY_HALF_LIFE_DAYS)

    @staticmethod
    def _in_window(story: Story, day: int | None) -> bool:
        if day is None or story.first is None or story.last is None:
            return True
        return story.first - STORY_WINDOW_DAYS <= day <= story.last + STORY_WINDOW_DAYS

    def _add(self, entry: ArticleEntry, signature: LeanMinHash) -> None:
        """Write ``entry``, its band keys, its story and its postings."""
        con = self.con
        con.execute(
            "INSERT INTO story_articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [entry.id, entry.seq, entry.story, entry.group, entry.published, entry.day, entry.length,
             entry.source, entry.title, json.dumps(entry.terms, ensure_ascii=False) if entry.terms else None,
             entry.sentences, entry.countries, [int(v) for v in signature.hashvalues]],
        )
        con.execute(
            "INSERT INTO story_bands SELECT unnest(?::BIGINT[]), ?",
            [band_keys(signature.hashvalues), entry.id],
        )
        self._seq = entry.seq
        existing = self._stories([entry.story])
        story = existing[0] if existing else Story(entry.story)
        story.articles += 1
        if entry.day is not None:
            story.first = entry.day if story.first is None else min(story.first, entry.day)
            story.last = entry.day if story.last is None else max(story.last, entry.day)
        if entry.terms:
            story.originals += 1
            for code in entry.countries:
                story.countries[code] = story.countries.get(code, 0) + 1
            for term, count in entry.terms.items():
                story.centroid[term] = story.centroid.get(term, 0.0) + count
            if len(story.centroid) > STORY_TERMS:
                self._fetch_df(story.centroid)
                kept = sorted(story.centroid.items(), key=lambda kv: -kv[1] * self.idf(kv[0]))[:STORY_TERMS]
                story.centroid = dict(kept)
            self._post(entry)
        values = [story.first, story.last, json.dumps(story.centroid, ensure_ascii=False),
                  json.dumps(story.countries), story.originals, story.articles, story.id]
        if existing:
            con.execute(
                "UPDATE stories SET first_day = ?, last_day = ?, centroid = ?, countries = ?, originals = ?, "
                "articles = ? WHERE id = ?",
                values,
            )
        else:
            con.execute("INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?)", [values[-1], *values[:-1]])

    def _post(self, entry: ArticleEntry) -> None:
        """Post the story of ``entry`` under its most salient terms, as the newest of each list.

        A story already in a list moves to its end; lists longer than MAX_POSTING lose their oldest when
        the index is flushed (reads take the MAX_POSTING most recent meanwhile).
        """
        bucket = month_key(entry.day) if entry.day is not None else UNDATED
        salient = sorted(entry.terms, key=lambda t: -entry.terms[t] * self.idf(t))[:LOOKUP_TERMS]
        postings = [f"{bucket}|{term}" for term in salient]
        self.con.execute(
            "DELETE FROM story_postings WHERE posting IN (SELECT unnest(?::VARCHAR[])) AND story_id = ?",
            [postings, entry.story],
        )
        self.con.execute(
            "INSERT INTO story_postings SELECT unnest(?::VARCHAR[]), ?, ?", [postings, entry.story, entry.seq]
        )
        self._pending_postings.update(postings)

    # --- reading -----------------------------------------------------------------------------------

    def _entries(self, article_ids: list[str], *, signatures: bool = False) -> Iterator:
        rows = self.con.execute(
            "SELECT article_id, seq, story_id, group_id, published, day, length, source, title, terms, "
            "sentences, countries, signature FROM story_articles "
            "WHERE article_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq",
            [article_ids],
        ).fetchall()
        for *fields, terms, sentences, codes, signature in rows:
            entry = ArticleEntry(*fields, json.loads(terms or "{}"), list(sentences or []), list(codes or []))
            yield (entry, np.asarray(signature, dtype=np.uint32)) if signatures else entry

    def _stories(self, story_ids: list[str]) -> list[Story]:
        rows = self.con.execute(
            "SELECT id, first_day, last_day, centroid, countries, originals, articles FROM stories "
            "WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [story_ids],
        ).fetchall()
        return [_story_row(row) for row in rows]

    def entry(self, article_id: str) -> ArticleEntry | None:
        """Return what the index keeps of an article (its story and duplicate group), or None."""
        return next(iter(self._entries([article_id])), None)

    def members(self, story_id: str) -> list[ArticleEntry]:
        """Return the articles of a story in arrival order."""
        ids = [r[0] for r in self.con.execute(
            "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY seq", [story_id]).fetchall()]
        return list(self._entries(ids))

    def story_ids(self) -> list[str]:
        """Return the id of every story, the most recently published last (undated first)."""
        return [r[0] for r in self.con.execute(
            "SELECT id FROM stories ORDER BY last_day NULLS FIRST, id").fetchall()]

    def canonical(self, group: str) -> str:
        """Return the canonical copy of a duplicate group: earliest published, longest, smallest id."""
        ids = [r[0] for r in self.con.execute(
            "SELECT article_id FROM story_articles WHERE group_id = ?", [group]).fetchall()]
        return min(self._entries(ids), key=_canonical_order).id

    def story(self, story_id: str) -> StorySummary:
        """Return the title, dates, actors, summary and copies of a story."""
        (story,) = self._stories([story_id])
        entries = self.members(story_id)
        originals = [e for e in entries if e.terms] or entries
        pool = list(dict.fromkeys(s for e in originals for s in e.sentences))
        self._df = {}
        self._fetch_df([*story.centroid, *(t for e in originals for t in e.terms),
                        *(w for s in pool for w in words(s))])
        centroid = self._weights(story.centroid)
        central = max(originals, key=lambda e: (_cosine(self._weights(e.terms), centroid), -entries.index(e)))
        ranked = sorted(pool, key=lambda s: -_cosine(self._weights(Counter(words(s))), centroid))
        actors = [
            code
            for code, n in sorted(story.countries.items(), key=lambda kv: (-kv[1], kv[0]))
            if n >= STORY_ACTOR_SHARE * max(story.originals, 1)
        ]
        groups: dict[str, list[str]] = {}
        for group in dict.fromkeys(e.group for e in entries):
            members = [e for e in entries if e.group == group]
            canonical = min(members, key=_canonical_order)
            groups[canonical.id] = [e.id for e in members if e is not canonical]
        return StorySummary(
            id=story.id,
            title=central.title,
            first_published=date.fromordinal(story.first).isoformat() if story.first else None,
            last_published=date.fromordinal(story.last).isoformat() if story.last else None,
            actors=actors,
            summary=ranked[:SUMMARY_SENTENCES],
            articles=[e.id for e in entries],
            duplicate_groups=groups,
            num_sources=len(groups),
        )


# ===================================================================================================
# Cross-article event resolution
# ===================================================================================================


@dataclass
class ResolvedEvent:
    """One happening as reported across the articles of a story, copies merged."""

    id: int  # the event id of its first report: the GDELT GlobalEventID
    story: str
    actor1: str | None  # the most frequent full CAMEO actor code
    actor2: str | None
    cameo: str
    root: str
    roots: list[str]  # every root the articles used
    date: str | None  # the most precise date the reports agree on
    date_precision: str
    modality: str
    negated: bool
    num_mentions: int
    num_articles: int
    num_sources: int  # duplicate groups: copies of one wire story count once
    first_seen: str | None  # earliest and latest publication of a reporting article
    last_seen: str | None
    confidence: float
    evidence: list[dict]
    # The representative report (earliest published, with the chosen CAMEO code): its article, actor
    # names, event type and scores stand for the resolved event in GDELT and PLOVER exports.
    article: str = ""
    actor1_name: str | None = None
    actor2_name: str | None = None
    plover: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    place: str | None = None
    attribution: str | None = None
    span: tuple[int, int] | None = None  # the days every dated report allows (their intersection)


@dataclass
class Report:
    """One article's event as a report of a resolved event."""

    event_id: int
    event: Event
    article: str
    group: str  # the article's duplicate group
    published: str | None


def roots_compatible(a: str, b: str) -> bool:
    """Return whether two CAMEO roots may describe one happening (equal or in one family)."""
    return a == b or any(a in family and b in family for family in CAMEO_ROOT_FAMILIES)


def date_interval(value: str | None, precision: str) -> tuple[int, int] | None:
    """Return the day range an event date covers, or None when it is unknown or only the publication's."""
    if not value or precision in ("publication", "unknown") or value.startswith("X"):
        return None
    start_text, _, end_text = value.partition("/")
    start = day_of(start_text)
    if start is None:
        return None
    if end_text:
        end = day_of(end_text)
        return (start, end if end is not None and end >= start else start)
    parts = start_text[:10].split("-")
    first = date.fromordinal(start)
    if len(parts) == 1:
        return (start, date(first.year, 12, 31).toordinal())
    if len(parts) == 2:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return (start, (following - timedelta(days=1)).toordinal())
    return (start, start)


def confidence(reliabilities: Iterable[float]) -> float:
    """Return the noisy-OR of independent sources' reliabilities: 1 - prod(1 - r)."""
    doubt = 1.0
    for reliability in reliabilities:
        doubt *= 1.0 - reliability
    return round(1.0 - doubt, 4)


def resolution_key(event: Event) -> tuple[str | None, str | None, bool, bool]:
    """Return what two reports of one happening must share: the countries in order, polarity, and
    whether it is a plan (a plan and the act are two happenings)."""
    return (
        event.actor1.code[:3] if event.actor1 and event.actor1.code else None,
        event.actor2.code[:3] if event.actor2 and event.actor2.code else None,
        bool(event.negated),
        event.modality == "intended",
    )


def joins(roots: Iterable[str], span: tuple[int, int] | None, event: Event) -> bool:
    """Return whether ``event`` can join a resolved event with these roots and dated ``span``.

    Every pair of roots must be compatible, and every pair of dated reports must overlap; intervals
    that overlap pairwise share a common part, so checking the new date against ``span`` is enough.
    """
    if not all(roots_compatible(event.root[:2], root) for root in roots):
        return False
    interval = date_interval(event.date, event.date_precision)
    return span is None or interval is None or (interval[0] <= span[1] and span[0] <= interval[1])


def narrow(span: tuple[int, int] | None, event: Event) -> tuple[int, int] | None:
    """Return ``span`` narrowed by the dates of a joining event."""
    interval = date_interval(event.date, event.date_precision)
    if interval is None or span is None:
        return interval or span
    return (max(span[0], interval[0]), min(span[1], interval[1]))


def resolve(resolved_id: int, story: str, reports: list[Report]) -> ResolvedEvent:
    """Merge the reports of one happening into a :class:`ResolvedEvent`.

    Actor codes, CAMEO root and code and modality are the most frequent among the reports; the date is
    the most precise one (then the most often given). ``confidence`` is the noisy-OR over independent
    sources (duplicate groups) of :data:`MODALITY_RELIABILITY`, each group counting its best report.
    """
    def most_common(values: Iterable) -> object:
        return Counter(values).most_common(1)[0][0]

    events = [r.event for r in reports]
    dated = [e for e in events if date_interval(e.date, e.date_precision)]
    best_dated = min(
        dated,
        key=lambda e: (_PRECISION_RANK.get(e.date_precision, 4), -sum(d.date == e.date for d in dated)),
        default=None,
    )
    reliability: dict[str, float] = {}
    for r in reports:
        weight = MODALITY_RELIABILITY.get(r.event.modality, DEFAULT_RELIABILITY)
        reliability[r.group] = max(reliability.get(r.group, 0.0), weight)
    published = sorted(r.published for r in reports if r.published)
    root = str(most_common(e.root[:2] for e in events))
    cameo = str(most_common(e.cameo for e in events if e.root[:2] == root))
    actor1 = most_common(e.actor1.code if e.actor1 else None for e in events)
    actor2 = most_common(e.actor2.code if e.actor2 else None for e in events)
    ordered = sorted(reports, key=lambda r: (r.published or "~", r.article, r.event.evidence.start))
    first = next(r for r in ordered if r.event.cameo == cameo)  # the representative report
    ordered.remove(first)
    ordered.insert(0, first)
    representative = first.event
    span = None
    for event in events:
        span = narrow(span, event)

    def name(side: str, code: object) -> str | None:
        actors = (getattr(e, side) for e in events)
        return next((a.name for a in actors if a and a.code == code), None)

    return ResolvedEvent(
        id=resolved_id,
        story=story,
        actor1=actor1,  # type: ignore[arg-type]
        actor2=actor2,  # type: ignore[arg-type]
        cameo=cameo,
        root=root,
        roots=sorted({e.root[:2] for e in events}),
        date=best_dated.date if best_dated else None,
        date_precision=best_dated.date_precision if best_dated else "unknown",
        modality=str(most_common(e.modality for e in events)),
        negated=events[0].negated,
        num_mentions=sum(e.mentions for e in events),
        num_articles=len({r.article for r in reports}),
        num_sources=len(reliability),
        first_seen=published[0] if published else None,
        last_seen=published[-1] if published else None,
        confidence=confidence(reliability.values()),
        evidence=[  # the representative's first
            {"article": r.article, "event_id": r.event_id, "sentence": r.event.evidence.sentence,
             "start": r.event.evidence.start, "end": r.event.evidence.end, "text": r.event.evidence.text}
            for r in ordered
        ],
        article=first.article,
        actor1_name=name("actor1", actor1),
        actor2_name=name("actor2", actor2),
        plover=representative.plover,
        goldstein=representative.goldstein,
        quad_class=representative.quad_class,
        place=representative.place,
        attribution=representative.attribution,
        span=span,
    )


def resolve_events(articles: Iterable[Article]) -> list[ResolvedEvent]:
    """Return the resolved events of ``articles``, stored for the purpose in an in-memory store.

    The store assigns each article to a story and links its events to resolved events as it writes
    it (:meth:`warta.store.Store.add_many`); this is the same code run without a file.
    """
    from .store import Store  # the store imports this module

    with Store(":memory:") as store:
        store.add_many(articles)
        return store.resolved_events()


# ===================================================================================================
# Evaluation
# ===================================================================================================


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Return B-cubed precision, recall and F1 of a clustering ``item -> cluster`` against the gold one."""
    items = sorted(gold)
    predicted_members: dict[str, set[str]] = {}
    gold_members: dict[str, set[str]] = {}
    for item in items:
        predicted_members.setdefault(predicted[item], set()).add(item)
        gold_members.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in items:
        same_predicted = predicted_members[predicted[item]]
        same_gold = gold_members[gold[item]]
        correct = len(same_predicted & same_gold)
        precision += correct / len(same_predicted)
        recall += correct / len(same_gold)
    precision, recall = precision / len(items), recall / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def read_labelled_corpus(folder: str | Path) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """Read a labelled story corpus: articles, and gold ``doc -> story`` and ``doc -> duplicate group``.

    ``articles.tsv`` gives each file's input metadata (source, published, country codes standing in
    for the entities stage); ``labels.tsv`` the gold story and duplicate group. A file holds the title,
    a blank line and the body, as scraped.
    """
    folder = Path(folder)
    articles = []
    for row in _read_tsv(folder / "articles.tsv"):
        raw = (folder / row["file"]).read_text(encoding="utf-8")
        title, _, body = raw.partition("\n\n")
        doc = Path(row["file"]).stem
        entities = [Entity(i, code, "GPE", code) for i, code in enumerate(row["countries"].split())]
        articles.append(
            Article(
                doc=doc,
                id=doc,
                raw=raw,
                text=body.strip(),
                title=title.strip(),
                source=row["source"],
                published=row["published"] or None,
                entities=entities,
            )
        )
    labels = _read_tsv(folder / "labels.tsv")
    stories = {Path(r["file"]).stem: r["story"] for r in labels}
    duplicates = {Path(r["file"]).stem: r["duplicate"] for r in labels}
    return articles, stories, duplicates


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def evaluate_corpus(folder: str | Path, shuffles: int = 0) -> dict[str, tuple[float, float, float]]:
    """Cluster a labelled corpus in publication order (and ``shuffles`` random orders); return B-cubed.

    Keys: ``stories``, ``duplicates`` (feed order) and, with shuffles, ``stories-worst``/``duplicates-worst``.
    """
    articles, gold_stories, gold_duplicates = read_labelled_corpus(folder)
    feed = sorted(articles, key=lambda a: (a.published or "9999", a.doc))
    results = dict(zip(("stories", "duplicates"), _score(feed, gold_stories, gold_duplicates), strict=True))
    rng = random.Random(0)
    for _ in range(shuffles):
        order = rng.sample(articles, len(articles))
        for name, scores in zip(
            ("stories", "duplicates"), _score(order, gold_stories, gold_duplicates), strict=True
        ):
            worst = results.get(name + "-worst")
            if worst is None or scores[2] < worst[2]:
                results[name + "-worst"] = scores
    return results


def _score(order: list[Article], gold_stories: dict[str, str], gold_duplicates: dict[str, str]) -> Iterator:
    index = StoryIndex()
    for article in order:
        index.assign(article)
    entries = {a.doc: index.entry(a.id) for a in order}
    yield bcubed({doc: e.story for doc, e in entries.items()}, gold_stories)
    yield bcubed({doc: e.group for doc, e in entries.items()}, gold_duplicates)


def main(argv: list[str] | None = None) -> int:
    """Print B-cubed scores on a labelled corpus, or rebuild the background document frequencies."""
    parser = argparse.ArgumentParser(prog="python -m warta.stories", description=main.__doc__)
    parser.add_argument("--eval", metavar="FOLDER", help="folder with articles.tsv and labels.tsv")
    parser.add_argument("--shuffles", type=int, default=20, help="random feed orders to try (worst reported)")
    parser.add_argument(
        "--build-df", metavar="JSONL", help=f"rebuild warta/data/{BACKGROUND_DF} from a corpus"
    )
    args = parser.parse_args(argv)
    if args.build_df:
        target = Path(__file__).parent / "data" / BACKGROUND_DF
        print(f"{build_background_df(args.build_df, target)} documents -> {target}")
    if not args.eval:
        return 0
    for name, (p, r, f1) in evaluate_corpus(args.eval, args.shuffles).items():
        print(f"{name:<18} B-cubed P={p:.3f} R={r:.3f} F1={f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
