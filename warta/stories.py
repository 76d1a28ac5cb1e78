"""Stories: near-duplicate articles, online story clustering and cross-article event resolution.

Three jobs, run after the per-article stages, over a feed that may never end:

1. **Copies.** A syndicated wire story or a lightly edited repost is found by MinHash/LSH (datasketch)
   over 5-word shingles of the body, dateline and outlet header left out, so one story from two outlets
   matches. Copies are linked into a duplicate group, never deleted; the group's canonical copy is the
   earliest published, then the longest text, then the smallest id.
2. **Stories.** :meth:`StoryIndex.assign` puts each new article in a story as it arrives. A copy joins
   its original's story. Other articles are compared with the stories found through an inverted index
   keyed on (salient term, month): TF-IDF cosine over content words, entity names and country codes,
   and a time window, so the same actors years apart make two stories. Retrieval never scans all
   stories: it reads a few capped posting lists.
3. **Events.** :func:`resolve_events` merges the events of one story that are the same happening (same
   dyad of countries, compatible CAMEO roots, compatible dates) and counts how many articles and how
   many independent sources (duplicate groups) report it.

The state lives in :class:`StoryIndex`, saved as JSON plus a NumPy array of MinHash signatures (no
pickle), so the store can persist it. Run ``python -m warta.stories --eval tests/fixtures/stories`` for
B-cubed scores on the labelled fixture corpus.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import json
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .data import read_tsv
from .doc import Article, Entity, Event

FORMAT_VERSION = 1

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
# with probability 1 - (1 - 0.5^3)^16 = 0.88, 0.6 -> 0.98, 0.7 -> 0.9996. datasketch's optimum for 0.5
# (25 bands of 5) costs ~9 KB per article in Python sets and broke the 1 GB budget at 100,000 articles.
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


@dataclass(slots=True)  # slots: 100,000 of them must fit in memory
class ArticleEntry:
    """What the index keeps of one article: enough to cluster, title and summarise, not the text."""

    id: str
    row: int  # row of its MinHash signature
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


@dataclass(slots=True)  # slots: 100,000 of them must fit in memory
class Story:
    """A story: articles about one happening, copies included."""

    id: str
    articles: list[str]
    first: int | None = None  # proleptic ordinals of the earliest and latest publication
    last: int | None = None
    centroid: dict[str, float] = field(default_factory=dict)  # term -> summed frequency
    countries: dict[str, int] = field(default_factory=dict)  # code -> original articles naming it
    originals: int = 0  # articles that are not copies of an earlier one


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


class StoryIndex:
    """Online story clustering and near-duplicate detection over a stream of analysed articles.

    ``assign(article)`` is idempotent on ``Article.id``; ``save(folder)`` and ``StoryIndex.load(folder)``
    persist the state without pickle.
    """

    def __init__(self) -> None:
        self.articles: dict[str, ArticleEntry] = {}
        self.stories: dict[str, Story] = {}
        self.groups: dict[str, list[str]] = {}  # duplicate group -> member ids
        self.doc_freq: Counter[str] = Counter()
        self.num_docs = 0  # originals counted in doc_freq
        self.postings: dict[str, list[str]] = {}  # "month|term" -> story ids, most recent last
        self._signatures: list[np.ndarray] = []
        self._row_ids: list[str] = []
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))

    def __len__(self) -> int:
        return len(self.articles)

    # --- assignment --------------------------------------------------------------------------------

    def assign(self, article: Article) -> str:
        """Put ``article`` in a story and return the story id (the same id if it was assigned before)."""
        if article.id in self.articles:
            return self.articles[article.id].story
        body = body_text(article)
        signature = minhash(body)
        original = self.find_copy(signature)
        day = day_of(article.published)
        sentences = split_sentences(article, body)
        title = (article.title or (sentences[0] if sentences else body[:120])).strip()
        entry = ArticleEntry(
            id=article.id,
            row=len(self._row_ids),
            story="",
            group=article.id,
            published=article.published,
            day=day,
            length=len(body),
            source=article.source,
            title=title,
            terms={},
            countries=sorted(countries(article)),
        )
        if original is not None:
            entry.group = original.group
            entry.story = original.story
        else:
            counts = term_counts(article, body)
            self._count_terms(counts)
            entry.terms = dict(
                sorted(counts.items(), key=lambda kv: -kv[1] * self.idf(kv[0]))[:ARTICLE_TERMS]
            )
            entry.sentences = self._central_sentences(sentences, entry.terms)
            best = self.best_story(entry.terms, day)
            entry.story = best.id if best else article.id
        self._add(entry, signature)
        return entry.story

    def find_copy(self, signature: LeanMinHash) -> ArticleEntry | None:
        """Return the earlier article ``signature`` is a near-duplicate of (the closest), or None."""
        best, best_jaccard = None, DUPLICATE_JACCARD
        for row in self._lsh.query(signature):
            jaccard = float(np.mean(self._signatures[row] == signature.hashvalues))
            if jaccard >= best_jaccard:
                best, best_jaccard = self.articles[self._row_ids[row]], jaccard
        return best

    def best_story(self, terms: dict[str, float], day: int | None) -> Story | None:
        """Return the most similar story within the time window, if similar enough to join."""
        vector = self._weights(terms)
        threshold = STORY_SIMILARITY if day is not None else UNDATED_STORY_SIMILARITY
        best, best_score = None, threshold
        for story in self.candidates(vector, day):
            if not self._in_window(story, day):
                continue
            score = _cosine(vector, self._weights(story.centroid)) * self._decay(story, day)
            if score >= best_score:
                best, best_score = story, score
        return best

    def candidates(self, vector: dict[str, float], day: int | None) -> list[Story]:
        """Return the stories sharing salient terms with ``vector`` in its time buckets (capped)."""
        if day is None:
            buckets = [UNDATED]
        else:
            months = {month_key(day + offset) for offset in (-STORY_WINDOW_DAYS, 0, STORY_WINDOW_DAYS)}
            buckets = sorted(months)
        hits: Counter[str] = Counter()
        for term in sorted(vector, key=vector.__getitem__, reverse=True)[:LOOKUP_TERMS]:
            for bucket in buckets:
                for story_id in self.postings.get(f"{bucket}|{term}", ()):
                    hits[story_id] += vector[term]
        return [self.stories[story_id] for story_id, _ in hits.most_common(MAX_CANDIDATES)]

    def idf(self, term: str) -> float:
        """Return the inverse document frequency of ``term`` in the background corpus and the index."""
        documents, freq = background_df()
        background = freq.get(term[1:] if term[0] == "^" else term, 0)
        return math.log((documents + self.num_docs + 1) / (background + self.doc_freq.get(term, 0) + 1))

    def _weights(self, counts: dict[str, float]) -> dict[str, float]:
        return {t: (1 + math.log(c)) * self.idf(t) for t, c in counts.items() if c > 0}

    def _count_terms(self, counts: Counter[str]) -> None:
        self.num_docs += 1
        self.doc_freq.update(counts.keys())

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
        """Record ``entry`` in its group, its story, the posting lists and the LSH index."""
        self.articles[entry.id] = entry
        self.groups.setdefault(entry.group, []).append(entry.id)
        story = self.stories.setdefault(entry.story, Story(entry.story, []))
        story.articles.append(entry.id)
        if entry.day is not None:
            story.first = entry.day if story.first is None else min(story.first, entry.day)
            story.last = entry.day if story.last is None else max(story.last, entry.day)
        if entry.terms:
            story.originals += 1
            for code in entry.countries:
                story.countries[code] = story.countries.get(code, 0) + 1
            if story.originals == 1:
                # Most stories keep one article: share its term dict until a second one joins.
                story.centroid = entry.terms
            else:
                if story.originals == 2:
                    story.centroid = dict(story.centroid)
                for term, count in entry.terms.items():
                    story.centroid[term] = story.centroid.get(term, 0.0) + count
            if len(story.centroid) > STORY_TERMS:
                kept = sorted(story.centroid.items(), key=lambda kv: -kv[1] * self.idf(kv[0]))[:STORY_TERMS]
                story.centroid = dict(kept)
            self._post(entry)
        self._signatures.append(np.asarray(signature.hashvalues, dtype=np.uint32))
        self._row_ids.append(entry.id)
        self._lsh.insert(entry.row, signature, check_duplication=False)

    def _post(self, entry: ArticleEntry) -> None:
        """Post the story of ``entry`` under its most salient terms (lists, not dicts: memory)."""
        bucket = month_key(entry.day) if entry.day is not None else UNDATED
        salient = sorted(entry.terms, key=lambda t: -entry.terms[t] * self.idf(t))[:LOOKUP_TERMS]
        for term in salient:
            posting = self.postings.setdefault(f"{bucket}|{term}", [])
            if entry.story in posting:
                posting.remove(entry.story)
            posting.append(entry.story)
            if len(posting) > MAX_POSTING:
                del posting[0]

    # --- reading -----------------------------------------------------------------------------------

    def canonical(self, group: str) -> str:
        """Return the canonical copy of a duplicate group: earliest published, longest, smallest id."""
        members = [self.articles[a] for a in self.groups[group]]
        return min(members, key=lambda e: (e.day if e.day is not None else math.inf, -e.length, e.id)).id

    def story(self, story_id: str) -> StorySummary:
        """Return the title, dates, actors, summary and copies of a story."""
        story = self.stories[story_id]
        entries = [self.articles[a] for a in story.articles]
        originals = [e for e in entries if e.terms] or entries
        centroid = self._weights(story.centroid)
        central = max(originals, key=lambda e: (_cosine(self._weights(e.terms), centroid), -entries.index(e)))
        pool = list(dict.fromkeys(s for e in originals for s in e.sentences))
        ranked = sorted(pool, key=lambda s: -_cosine(self._weights(Counter(words(s))), centroid))
        actors = [
            code
            for code, n in sorted(story.countries.items(), key=lambda kv: (-kv[1], kv[0]))
            if n >= STORY_ACTOR_SHARE * max(story.originals, 1)
        ]
        groups: dict[str, list[str]] = {}
        for group in dict.fromkeys(e.group for e in entries):
            canonical = self.canonical(group)
            groups[canonical] = [a for a in self.groups[group] if a != canonical]
        return StorySummary(
            id=story.id,
            title=central.title,
            first_published=date.fromordinal(story.first).isoformat() if story.first else None,
            last_published=date.fromordinal(story.last).isoformat() if story.last else None,
            actors=actors,
            summary=ranked[:SUMMARY_SENTENCES],
            articles=list(story.articles),
            duplicate_groups=groups,
            num_sources=len(groups),
        )

    # --- persistence -------------------------------------------------------------------------------

    def save(self, folder: str | Path) -> None:
        """Write the index to ``folder``: ``index.json`` and ``signatures.npy`` (no pickle)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        state = {
            "format": FORMAT_VERSION,
            "num_perm": NUM_PERM,
            "seed": MINHASH_SEED,
            "num_docs": self.num_docs,
            "doc_freq": self.doc_freq,
            "articles": [asdict(self.articles[a]) for a in self._row_ids],
            "stories": [asdict(s) for s in self.stories.values()],
        }
        with (folder / "index.json").open("w", encoding="utf-8") as handle:
            json.dump(state, handle, ensure_ascii=False)
        signatures = np.stack(self._signatures) if self._signatures else np.zeros((0, NUM_PERM), np.uint32)
        np.save(folder / "signatures.npy", signatures, allow_pickle=False)

    @classmethod
    def load(cls, folder: str | Path) -> StoryIndex:
        """Read an index written by :meth:`save`; the LSH tables and posting lists are rebuilt."""
        folder = Path(folder)
        with (folder / "index.json").open(encoding="utf-8") as handle:
            state = json.load(handle)
        if (
            state["format"] != FORMAT_VERSION
            or state["num_perm"] != NUM_PERM
            or state["seed"] != MINHASH_SEED
        ):
            raise ValueError(f"{folder}: story index written with other parameters; rebuild it.")
        signatures = np.load(folder / "signatures.npy", allow_pickle=False)
        index = cls()
        index.num_docs = state["num_docs"]
        index.doc_freq = Counter(state["doc_freq"])
        for raw in state["stories"]:
            index.stories[raw["id"]] = Story(**raw)
        for raw, row in zip(state["articles"], signatures, strict=True):
            entry = ArticleEntry(**raw)
            index.articles[entry.id] = entry
            index.groups.setdefault(entry.group, []).append(entry.id)
            if entry.terms:
                index._post(entry)
            index._signatures.append(row)
            index._row_ids.append(entry.id)
            index._lsh.insert(
                entry.row,
                LeanMinHash(seed=MINHASH_SEED, hashvalues=row, scheme=MINHASH_SCHEME),
                check_duplication=False,
            )
        return index


# ===================================================================================================
# Cross-article event resolution
# ===================================================================================================


@dataclass
class ResolvedEvent:
    """One happening as reported across the articles of a story, copies merged."""

    id: str
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


@dataclass
class _Mention:
    article: Article
    event: Event
    group: str
    interval: tuple[int, int] | None


def resolve_events(articles: Iterable[Article], index: StoryIndex | None = None) -> list[ResolvedEvent]:
    """Merge the events of ``articles`` that are the same happening into resolved events.

    Events merge when they are in the same story, have the same countries in the same order, the same
    polarity, both or neither intended (announced plans stay apart from acts), compatible CAMEO roots
    (:data:`CAMEO_ROOT_FAMILIES`, checked pairwise) and overlapping
    dates (an unknown date is compatible with any). ``confidence`` is the noisy-OR over independent
    sources (duplicate groups) of :data:`MODALITY_RELIABILITY`, each group counting its best report.

    :param articles: analysed articles; they are assigned to ``index`` (a new one when None) first.
    """
    index = index if index is not None else StoryIndex()
    clusters: dict[tuple, list[list[_Mention]]] = {}
    for article in articles:
        story = index.assign(article)
        group = index.articles[article.id].group
        for event in article.events:
            key = (
                story,
                event.actor1.code[:3] if event.actor1 and event.actor1.code else None,
                event.actor2.code[:3] if event.actor2 and event.actor2.code else None,
                event.negated,
                event.modality == "intended",  # a plan and the act are two happenings
            )
            mention = _Mention(article, event, group, date_interval(event.date, event.date_precision))
            for cluster in clusters.setdefault(key, []):
                if _joins(mention, cluster):
                    cluster.append(mention)
                    break
            else:
                clusters[key].append([mention])
    resolved = [_resolve(key[0], cluster, index) for key, found in clusters.items() for cluster in found]
    return sorted(resolved, key=lambda r: (r.first_seen or "", r.id))


def _joins(mention: _Mention, cluster: list[_Mention]) -> bool:
    for other in cluster:
        if not roots_compatible(mention.event.root[:2], other.event.root[:2]):
            return False
        a, b = mention.interval, other.interval
        if a and b and (a[1] < b[0] or b[1] < a[0]):
            return False
    return True


def _resolve(story: str, cluster: list[_Mention], index: StoryIndex) -> ResolvedEvent:
    def most_common(values: Iterable) -> object:
        return Counter(values).most_common(1)[0][0]

    events = [m.event for m in cluster]
    dated = [e for e in events if date_interval(e.date, e.date_precision)]
    best_dated = min(
        dated,
        key=lambda e: (_PRECISION_RANK.get(e.date_precision, 4), -sum(d.date == e.date for d in dated)),
        default=None,
    )
    reliability: dict[str, float] = {}
    for m in cluster:
        weight = MODALITY_RELIABILITY.get(m.event.modality, DEFAULT_RELIABILITY)
        reliability[m.group] = max(reliability.get(m.group, 0.0), weight)
    published = sorted(p for p in (index.articles[m.article.id].published for m in cluster) if p)
    root = str(most_common(e.root[:2] for e in events))
    return ResolvedEvent(
        id=f"{story}:{min(m.article.id for m in cluster)}:{min(m.event.evidence.start for m in cluster)}",
        story=story,
        actor1=most_common(e.actor1.code if e.actor1 else None for e in events),  # type: ignore[arg-type]
        actor2=most_common(e.actor2.code if e.actor2 else None for e in events),  # type: ignore[arg-type]
        cameo=str(most_common(e.cameo for e in events if e.root[:2] == root)),
        root=root,
        roots=sorted({e.root[:2] for e in events}),
        date=best_dated.date if best_dated else None,
        date_precision=best_dated.date_precision if best_dated else "unknown",
        modality=str(most_common(e.modality for e in events)),
        negated=events[0].negated,
        num_mentions=sum(e.mentions for e in events),
        num_articles=len({m.article.id for m in cluster}),
        num_sources=len(reliability),
        first_seen=published[0] if published else None,
        last_seen=published[-1] if published else None,
        confidence=confidence(reliability.values()),
        evidence=[
            {
                "article": m.article.id,
                "sentence": m.event.evidence.sentence,
                "start": m.event.evidence.start,
                "end": m.event.evidence.end,
                "text": m.event.evidence.text,
            }
            for m in cluster
        ],
    )


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
    yield bcubed({a.doc: index.articles[a.id].story for a in order}, gold_stories)
    yield bcubed({a.doc: index.articles[a.id].group for a in order}, gold_duplicates)


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
