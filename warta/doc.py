"""The typed records that flow through the pipeline.

One :class:`Article` is created by ingest and filled in by each stage in turn, like a spaCy ``Doc``.
Every character offset (``start``/``end``) in every record is an offset into ``Article.text``, the
cleaned text, so evidence can always be cut back out of it: ``article.text[start:end]``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Token:
    """A word or punctuation mark, with its offsets and morphology."""

    text: str
    start: int
    end: int
    lemma: str = ""  # lowercase root ("kirim" for "dikirimkan"); the surface form keeps voice
    pos: str = ""  # nlp-id tagset: NN NNP VB IN PR ADV JJ SC DT NUM CC FW NEG SYM RP UH
    voice: str | None = None  # "active" (meN-), "passive" (di-, ter-), None elsewhere
    nominal: bool = False  # a nominalisation (peN-an, per-an, ke-an, -an) of a verb root


@dataclass(slots=True)
class Sentence:
    """A sentence of the clean text, with its tokens."""

    index: int
    start: int
    end: int
    text: str
    tokens: list[Token] = field(default_factory=list)
    paragraph: int = 0


@dataclass(slots=True)
class Mention:
    """One place in the text where an entity is named (or referred to by a pronoun)."""

    text: str
    start: int
    end: int
    sentence: int
    type: str  # PER, ORG, GPE (states, their capitals and metonyms), IGO, LOC, MED
    code: str | None = None  # CAMEO actor code this mention gives, e.g. "RUSGOV"
    entity: int | None = None  # index into Article.entities
    role_text: str | None = None  # the title or apposition that gave the role ("juru bicara ...")
    rule: str = ""


@dataclass(slots=True)
class Entity:
    """One real-world actor, however many spellings and mentions it has in the article."""

    id: int
    name: str  # canonical name
    type: str
    code: str | None
    aliases: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)  # indexes into Article.mentions
    qid: str | None = None  # Wikidata QID where the curated list knows it


@dataclass(slots=True)
class Timex:
    """A temporal expression, normalised TIMEX3-style against its anchor."""

    text: str
    start: int
    end: int
    sentence: int
    value: str | None  # "2019-03-23", "2019-03", "2019", "2019-03-23/2019-03-24", "XXXX-05", None
    granularity: str = "day"  # datetime, day, week, month, year, interval, duration, unknown
    anchor: str | None = None  # the date it was resolved against
    rule: str = ""


@dataclass(slots=True)
class Quote:
    """Direct or indirect speech with its speaker."""

    text: str
    start: int
    end: int
    sentence: int
    speaker: str | None = None
    speaker_code: str | None = None
    direct: bool = True


@dataclass(slots=True)
class Actor:
    """An event participant: a name as the text gives it and its CAMEO actor code."""

    name: str
    code: str | None
    entity: int | None = None


@dataclass(slots=True)
class Evidence:
    """Where an event is said: sentence index, character span and the words."""

    sentence: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Event:
    """A coded event: who did what to whom, when, where, how sure, and from which words."""

    actor1: Actor | None
    actor2: Actor | None
    cameo: str
    root: str
    plover: str | None
    goldstein: float | None
    quad_class: int | None
    date: str | None
    date_precision: str  # day, month, year, interval, publication, unknown
    modality: str  # asserted, reported, intended, negated, hypothetical
    negated: bool
    evidence: Evidence
    rule: str
    attribution: str | None = None  # who says so ("Peskov", "Sputnik")
    place: str | None = None
    mentions: int = 1  # repeats of this happening in the article, merged


@dataclass
class Article:
    """A news article and everything the pipeline finds in it."""

    doc: str  # the input file's stem or the record's id
    id: str  # stable content hash of the raw input
    raw: str
    text: str = ""
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date or datetime, None when the article does not say
    published_source: str | None = None  # input, dateline, text-date, latest-date
    dateline: str | None = None  # the place of the dateline ("Caracas")
    removed: list[str] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # input metadata that overrides the text's

    def sentence_at(self, offset: int) -> Sentence | None:
        """Return the sentence containing character ``offset`` of the clean text."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the article in the stable output contract (docs/schema.md)."""
        entities = [
            {
                "name": e.name,
                "code": e.code,
                "type": e.type,
                "aliases": e.aliases,
                "qid": e.qid,
                "mentions": [
                    {"text": m.text, "start": m.start, "end": m.end}
                    for m in (self.mentions[i] for i in e.mentions)
                ],
            }
            for e in self.entities
        ]
        return {
            "doc": self.doc,
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published,
            "published_source": self.published_source,
            "dateline": self.dateline,
            "text": self.text,
            "removed": self.removed,
            "entities": entities,
            "timexes": [
                {
                    "text": t.text,
                    "start": t.start,
                    "end": t.end,
                    "value": t.value,
                    "granularity": t.granularity,
                }
                for t in self.timexes
            ],
            "quotes": [
                {"speaker": q.speaker, "speaker_code": q.speaker_code, "text": q.text,
                 "start": q.start, "end": q.end, "direct": q.direct}
                for q in self.quotes
            ],
            "events": [asdict(e) for e in self.events],
            "errors": self.errors,
        }
