"""Stories: near-duplicate articles, online story clustering and cross-article event resolution.

Three jobs, run after the per-article stages, over a feed that may never end:

1. **Copies.** A syndicated wire story or a lightly edited repost is found by MinHash (datasketch) and
   LSH band keys over 5-word shingles of the body, dateline and outlet header left out, so one story
   from two outlets matches. Copies are linked into a duplicate group, never deleted; the group's
   canonical copy is the earliest published, then the longest text, then the smallest id.
2. **Stories.** :meth:`StoryIndex.assign_many` puts each new article in a story, in arrival order. A copy
   joins its original's story. Other articles are compared with the stories found through an inverted
   index keyed on (salient term, month): TF-IDF cosine over content words, entity names and country codes,
   and a time window, so the same actors years apart make two stories. Retrieval never scans all
   stories: it reads a few capped posting lists.
3. **Events.** :func:`joins` and :func:`resolve` merge the events of one story that are the same
   happening (same dyad of countries, compatible CAMEO roots, compatible dates) and count how many
   articles and how many independent sources (duplicate groups) report it; the store links each new
   event as it is written (:meth:`warta.store.Store.add_many`), :func:`resolve_events` runs that in memory.

The state of :class:`StoryIndex` lives in DuckDB tables of the store (``migrations/0002_stories.sql``),
read a batch of new articles at a time with a few set-based queries (:meth:`StoryIndex.assign_many`),
so memory does not grow with the store. Run
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
from datasketch import MinHash

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
# Posting lists read ahead per article of a batch: a margin over LOOKUP_TERMS, as the articles before
# it in the batch shift the IDF a little (a list the look-ahead missed is read when needed).
PREFETCH_TERMS = 20
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


def signatures(texts: Iterable[str]) -> list[np.ndarray]:
    """Return the MinHash signatures (hash values) of the shingles of each text.

    ``MinHash.generator`` draws the permutations once for all the texts, which halves the cost.
    """
    shingled = ([s.encode("utf-8") for s in shingles(text)] for text in texts)
    return [m.hashvalues for m in MinHash.generator(
        shingled, num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)]


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
    end = start  # skip back over spaces, quotes and brackets without copying the text before
    while end and text[end - 1] in " \"“‘'(":
        end -= 1
    return not end or text[end - 1] in ".!?\n:"


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


@dataclass
class Incoming:
    """A new article's features, computed for a whole batch before its lookups."""

    article: Article
    body: str
    signature: np.ndarray  # the MinHash hash values
    keys: list[int]  # its LSH band keys
    day: int | None
    sentences: list[str]
    counts: Counter[str]  # term_counts, used if the article turns out not to be a copy

    @classmethod
    def batch(cls, articles: list[Article]) -> list[Incoming]:
        """Return the features of each article (MinHash signatures computed together)."""
        bodies = [body_text(article) for article in articles]
        return [
            cls(article, body, signature, band_keys(signature), day_of(article.published),
                split_sentences(article, body), term_counts(article, body))
            for article, body, signature in zip(articles, bodies, signatures(bodies), strict=True)
        ]


class StoryIndex:
    """Online story clustering and near-duplicate detection over a stream of analysed articles.

    The state lives in DuckDB tables (``warta/migrations/0002_stories.sql``) on the connection of a
    :class:`warta.store.Store`, so memory stays bounded whatever the number of articles. Without a
    connection, the index opens an in-memory store of its own.

    :meth:`assign_many` takes a batch the way DuckDB wants it (a statement costs about a millisecond,
    whatever its size): it computes every article's signature, band keys and terms, reads what the
    batch needs with a few set-based queries (band-key hits with their signatures, document
    frequencies, the posting lists and stories each article would look up against the store as it
    is), assigns the articles in order in memory, each seeing the ones before it (a story started by
    the third is a candidate for the seventh), and writes the new rows with one statement per table.
    A read the look-ahead did not foresee (the batch's own articles shift the IDF and the posting
    lists a little) is made when it is needed, so the result is the one-article-at-a-time result.
    Nothing is kept between calls: the tables are the state. Idempotent on ``Article.id``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        if con is None:
            from .store import Store  # the store imports this module

            self._own_store = Store(":memory:")
            con = self._own_store.con
        self.con = con
        self.reads = 0  # read queries made, look-ahead included (the benchmark reports them per batch)

    def __len__(self) -> int:
        return self.con.execute("SELECT count(*) FROM story_articles").fetchone()[0]

    def _begin(self) -> None:
        """Start a call from what the tables hold: the counters, and empty caches of reads and writes."""
        state = dict(self.con.execute("SELECT name, value FROM story_state").fetchall())
        self._documents, self._seq = state["documents"], state["seq"]
        self._df: dict[str, int] = {}  # document frequencies read from story_terms
        self._new_df: Counter[str] = Counter()  # terms of this call's originals
        self._idf: dict[str, float] = {}  # idf() of the current counts
        # article -> (seq, story, group, signature), read then added
        self._copies: dict[str, tuple[int, str, str, np.ndarray]] = {}
        self._bands: dict[int, list[str]] = {}  # band key -> articles, read then added
        self._lists: dict[str, dict[str, int]] = {}  # posting -> story -> seq, as read
        self._posted: dict[str, dict[str, int]] = {}  # posting -> story -> seq, this call's
        self._recent_lists: dict[str, list[str]] = {}  # posting -> _recent(), until it is posted to
        self._cache: dict[str, Story] = {}  # stories read or changed
        self._stored: set[str] = set()  # ids of the cached stories that are in the table
        self._changed: set[str] = set()
        self._added: list[tuple[ArticleEntry, Incoming]] = []

    # --- assignment --------------------------------------------------------------------------------

    def assign(self, article: Article) -> str:
        """Put ``article`` in a story and return the story id (the same id if it was assigned before)."""
        return self.assign_many([article])[0].story

    def assign_many(self, articles: Iterable[Article]) -> list[ArticleEntry]:
        """Put each article in a story, in order, and return their entries (idempotent on ``Article.id``:
        an article assigned before, in this batch or an earlier one, keeps its entry)."""
        articles = list(articles)
        if not articles:
            return []
        self._begin()
        entries = {e.id: e for e in self._entries(list({a.id for a in articles}))}
        fresh: dict[str, Article] = {}
        for article in articles:
            if article.id not in entries:
                fresh.setdefault(article.id, article)
        incoming = Incoming.batch(list(fresh.values()))
        if incoming:
            self._prefetch(incoming)
            for item in incoming:
                entries[item.article.id] = self._assign(item)
            self._write()
        return [entries[a.id] for a in articles]

    def _prefetch(self, incoming: list[Incoming]) -> None:
        """Read what the batch will need with a few set-based queries.

        Band-key hits and the document frequencies of the articles' own words are read exactly; the
        posting lists (PREFETCH_TERMS per article, a margin over LOOKUP_TERMS) and candidate stories
        are those each article would look up against the store as it stands.
        """
        self._read_copies([key for item in incoming for key in item.keys])
        self._fetch_df({t for item in incoming for t in item.counts}
                       | {w for item in incoming for s in item.sentences for w in words(s)})
        # Guess each article's terms as if it were the batch's first (exact for the first): it counts
        # in its own IDF; the articles before it shift the IDF a little more.
        self._documents += 1
        self._new_df = Counter(dict.fromkeys({t for item in incoming for t in item.counts}, 1))
        self._idf = {}
        lookups = []
        for item in incoming:
            vector = self._weights(self._salient(item.counts))
            lookups.append(self._posting_keys(vector, item.day, PREFETCH_TERMS))
        self._documents -= 1
        self._new_df = Counter()
        self._idf = {}
        self._read_lists([posting for postings, _ in lookups for posting in postings])
        wanted = {story for postings, weights in lookups for story in self._best_hits(postings, weights)}
        self._read_stories([*wanted, *(story for _, story, _, _ in self._copies.values())])
        self._fetch_df(t for story in self._cache.values() for t in story.centroid)

    def _assign(self, item: Incoming) -> ArticleEntry:
        """Assign one new article against the index as the articles before it left it."""
        article, body, sentences = item.article, item.body, item.sentences
        title = (article.title or (sentences[0] if sentences else body[:120])).strip()
        entry = ArticleEntry(
            id=article.id, seq=self._seq + 1, story="", group=article.id, published=article.published,
            day=item.day, length=len(body), source=article.source, title=title, terms={},
            countries=sorted(countries(article)),
        )
        original = self.find_copy(item)
        if original is not None:
            entry.story, entry.group = original
        else:
            counts = item.counts
            self._documents += 1  # the article counts in its own IDF, as in a batch TF-IDF
            self._new_df.update(counts.keys())
            self._idf = {}
            entry.terms = self._salient(counts)
            entry.sentences = self._central_sentences(sentences, entry.terms)
            best = self.best_story(entry.terms, item.day)
            entry.story = best.id if best else article.id
        self._add(entry, item)
        return entry

    def _salient(self, counts: Counter[str]) -> dict[str, float]:
        return dict(sorted(counts.items(), key=lambda kv: -kv[1] * self.idf(kv[0]))[:ARTICLE_TERMS])

    def find_copy(self, item: Incoming) -> tuple[str, str] | None:
        """Return the story and duplicate group of the earlier article ``item`` is a near-duplicate of
        (the closest; the first seen among equals), or None."""
        hits = {article for key in item.keys for article in self._bands.get(key, ())}
        best, best_jaccard = None, DUPLICATE_JACCARD
        for article in sorted(hits, key=lambda a: self._copies[a][0]):
            _, story, group, stored = self._copies[article]
            jaccard = float(np.mean(stored == item.signature))
            if jaccard > best_jaccard or (jaccard == best_jaccard and best is None):
                best, best_jaccard = (story, group), jaccard
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
        best = self._best_hits(*self._posting_keys(vector, day, LOOKUP_TERMS))
        self._read_stories(best)
        return [self._cache[story_id] for story_id in best if story_id in self._cache]

    @staticmethod
    def _posting_keys(vector: dict[str, float], day: int | None, terms: int) -> tuple[list[str], list[float]]:
        """Return the posting lists of the ``terms`` most salient terms of ``vector`` and their weights."""
        if day is None:
            buckets = [UNDATED]
        else:
            offsets = (-STORY_WINDOW_DAYS, 0, STORY_WINDOW_DAYS)
            buckets = sorted({month_key(day + offset) for offset in offsets})
        lookup = sorted(vector, key=vector.__getitem__, reverse=True)[:terms]
        return [f"{bucket}|{term}" for term in lookup for bucket in buckets], \
            [vector[term] for term in lookup for _ in buckets]

    def _best_hits(self, postings: list[str], weights: list[float]) -> list[str]:
        """Return the MAX_CANDIDATES stories with the highest summed weight in these posting lists."""
        self._read_lists(postings)
        hits: Counter[str] = Counter()
        for posting, weight in zip(postings, weights, strict=True):
            for story_id in self._recent(posting):
                hits[story_id] += weight
        return sorted(hits, key=lambda story_id: (-hits[story_id], story_id))[:MAX_CANDIDATES]

    def _recent(self, posting: str) -> list[str]:
        """Return the MAX_POSTING most recent stories of a (read) posting list, this call's included."""
        recent = self._recent_lists.get(posting)
        if recent is None:
            found = self._lists[posting]
            posted = self._posted.get(posting)
            if posted:  # a story posted again moves to the list's end
                found = found | posted
            ranked = sorted(((seq, story_id) for story_id, seq in found.items()), reverse=True)
            recent = self._recent_lists[posting] = [story_id for _, story_id in ranked[:MAX_POSTING]]
        return recent

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of ``term`` in the background corpus and the index.

        The index's part is read from ``story_terms`` by :meth:`_fetch_df` before it is needed. Values
        are kept until the counts change (the next original article), as an article asks for the same
        terms many times (its words, its sentences, the centroids of its candidate stories).
        """
        value = self._idf.get(term)
        if value is None:
            documents, freq = background_df()
            background = freq.get(term[1:] if term[0] == "^" else term, 0)
            seen = self._df.get(term, 0) + self._new_df.get(term, 0)
            value = self._idf[term] = math.log((documents + self._documents + 1) / (background + seen + 1))
        return value

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

    def _add(self, entry: ArticleEntry, item: Incoming) -> None:
        """Add ``entry`` to the call's state: its band keys, its story and its postings."""
        self._added.append((entry, item))
        self._copies[entry.id] = (entry.seq, entry.story, entry.group, item.signature)
        for key in item.keys:
            self._bands.setdefault(key, []).append(entry.id)
        self._seq = entry.seq
        if entry.story == entry.id:  # a new story: named by its first article, so not in the table
            story = self._cache[entry.story] = Story(entry.story)
        else:
            self._read_stories([entry.story])
            story = self._cache[entry.story]
        self._changed.add(story.id)
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

    def _post(self, entry: ArticleEntry) -> None:
        """Post the story of ``entry`` under its most salient terms, as the newest of each list.

        A story already in a list moves to its end; lists longer than MAX_POSTING lose their oldest when
        the call writes (reads take the MAX_POSTING most recent meanwhile).
        """
        bucket = month_key(entry.day) if entry.day is not None else UNDATED
        salient = sorted(entry.terms, key=lambda t: -entry.terms[t] * self.idf(t))[:LOOKUP_TERMS]
        for term in salient:
            posting = f"{bucket}|{term}"
            self._posted.setdefault(posting, {})[entry.story] = entry.seq
            self._recent_lists.pop(posting, None)

    def _write(self) -> None:
        """Write the call's new rows (one statement per table), counters and document frequencies, and
        cut the posting lists it grew to their MAX_POSTING most recent stories."""
        from .store import insert, registered  # the store imports this module

        con = self.con
        insert(con, "story_articles", [
            (e.id, e.seq, e.story, e.group, e.published, e.day, e.length, e.source, e.title,
             json.dumps(e.terms, ensure_ascii=False) if e.terms else None, e.sentences, e.countries,
             item.signature.tolist())
            for e, item in self._added
        ])
        insert(con, "story_bands", [(key, e.id) for e, item in self._added for key in item.keys])
        changed = [self._cache[story_id] for story_id in sorted(self._changed)]
        stale = [story.id for story in changed if story.id in self._stored]
        if stale:
            con.execute("DELETE FROM stories WHERE id IN (SELECT unnest(?::VARCHAR[]))", [stale])
        insert(con, "stories", [
            (s.id, s.first, s.last, json.dumps(s.centroid, ensure_ascii=False), json.dumps(s.countries),
             s.originals, s.articles)
            for s in changed
        ])
        postings = [(posting, story, seq) for posting, posted in self._posted.items()
                    for story, seq in posted.items()]
        if postings:
            posted = {"posting": [p for p, _, _ in postings], "story": [s for _, s, _ in postings]}
            with registered(con, "_posted", posted):
                con.execute("DELETE FROM story_postings WHERE (posting, story_id) IN "
                            "(SELECT posting, story FROM _posted)")
                insert(con, "story_postings", postings)
                con.execute(f"""
                    DELETE FROM story_postings WHERE rowid IN (
                        SELECT rowid FROM story_postings WHERE posting IN (SELECT posting FROM _posted)
                        QUALIFY row_number() OVER (PARTITION BY posting ORDER BY seq DESC) > {MAX_POSTING})
                """)
        insert(con, "story_terms", list(self._new_df.items()),
               conflict="ON CONFLICT (term) DO UPDATE SET df = story_terms.df + excluded.df")
        con.execute(
            "UPDATE story_state SET value = CASE name WHEN 'documents' THEN ? ELSE ? END",
            [self._documents, self._seq],
        )

    # --- reading -----------------------------------------------------------------------------------

    def _fetch_df(self, terms: Iterable[str]) -> None:
        missing = list({t for t in terms if t not in self._df})
        if not missing:
            return
        for term in missing:
            self._idf.pop(term, None)
        self._df.update(dict.fromkeys(missing, 0))
        self._df.update(self._select("SELECT term, df FROM story_terms WHERE term IN (SELECT key FROM _keys)",
                                     missing))

    def _read_copies(self, keys: list[int]) -> None:
        """Read the stored articles sharing a band key with ``keys``: arrival, story, group, signature."""
        rows = self._select(
            """
            SELECT a.article_id, h.keys, a.seq, a.story_id, a.group_id, a.signature
            FROM (SELECT article_id, list(band_key) AS keys FROM story_bands
                  WHERE band_key IN (SELECT key::BIGINT FROM _keys) GROUP BY article_id) h
            JOIN story_articles a ON a.article_id = h.article_id
            """,
            keys,
        )
        for article_id, found, seq, story, group, signature in rows:
            self._copies[article_id] = (seq, story, group, np.asarray(signature, dtype=np.uint32))
            for key in found:
                self._bands.setdefault(key, []).append(article_id)

    def _read_lists(self, postings: list[str]) -> None:
        missing = [p for p in dict.fromkeys(postings) if p not in self._lists]
        if not missing:
            return
        for posting in missing:
            self._lists[posting] = {}
        for posting, story_id, seq in self._select(
            "SELECT posting, story_id, seq FROM story_postings WHERE posting IN (SELECT key FROM _keys)",
            missing,
        ):
            self._lists[posting][story_id] = seq

    def _read_stories(self, story_ids: Iterable[str]) -> None:
        missing = [s for s in dict.fromkeys(story_ids) if s not in self._cache]
        if not missing:
            return
        rows = self._select(
            "SELECT id, first_day, last_day, centroid, countries, originals, articles FROM stories "
            "WHERE id IN (SELECT key FROM _keys)",
            missing,
        )
        for row in rows:
            story = _story_row(row)
            self._cache[story.id] = story
            self._stored.add(story.id)

    def _select(self, sql: str, keys: list) -> list[tuple]:
        """Run a query over the relation ``_keys(key)`` of a batch's keys; return its rows."""
        from .store import registered  # the store imports this module

        self.reads += 1
        with registered(self.con, "_keys", {"key": keys}):
            return self.con.execute(sql).fetchall()

    def _entries(self, article_ids: list[str]) -> Iterator[ArticleEntry]:
        rows = self.con.execute(
            "SELECT article_id, seq, story_id, group_id, published, day, length, source, title, terms, "
            "sentences, countries FROM story_articles "
            "WHERE article_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq",
            [article_ids],
        ).fetchall()
        for *fields, terms, sentences, codes in rows:
            yield ArticleEntry(*fields, json.loads(terms or "{}"), list(sentences or []), list(codes or []))

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
        self._begin()
        self._read_stories([story_id])
        story = self._cache[story_id]
        entries = self.members(story_id)
        originals = [e for e in entries if e.terms] or entries
        pool = list(dict.fromkeys(s for e in originals for s in e.sentences))
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
