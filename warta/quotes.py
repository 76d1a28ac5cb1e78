"""Stage ``quotes``: direct and indirect speech with its speaker.

Indonesian news marks speech in a few fixed ways, which plain rules over tokens find reliably:

- a direct quote followed by a verb of saying and the speaker: "“...,” kata X", "ujar X", "tulis X";
- a speaker, a verb of saying and a direct quote: "X mengatakan, “...”";
- indirect speech: "X mengatakan bahwa ...", "X menegaskan ...";
- "menurut X, ...".

The speaker is the nearest coded mention on the side the construction puts it ("tulis kantor berita X, yang
mengutip sumber tanpa nama" gives X: the first mention after the verb). Verbs of saying are lemmas in
``warta/data/events/speech_verbs.tsv``.
"""

from __future__ import annotations

import functools
import re

from .data import read_tsv
from .doc import Article, Mention, Quote, Sentence, Token
from .pipeline import stage

_QUOTE_RE = re.compile(r"“([^”]{2,})”|\"([^\"]{2,})\"|«([^»]{2,})»")
_SPEAKER_WINDOW = 6  # tokens between a verb of saying and its speaker
_MENURUT_LEMMAS = frozenset({"turut", "menurut"})  # "menurut X" (according to X), however it is lemmatised


@functools.cache
def _speech_verbs() -> dict[str, frozenset[str]]:
    by_position: dict[str, set[str]] = {}
    for row in read_tsv("events/speech_verbs.tsv"):
        by_position.setdefault(row["position"], set()).add(row["lemma"])
    return {k: frozenset(v) for k, v in by_position.items()}


def _mention_near(mentions: list[Mention], start: int, end: int, *, first: bool) -> Mention | None:
    """The first (or last) coded mention inside [start, end)."""
    inside = [m for m in mentions if m.start >= start and m.end <= end]
    if not inside:
        return None
    return min(inside, key=lambda m: m.start) if first else max(inside, key=lambda m: m.end)


def _speaker_after(sentence: Sentence, offset: int, mentions: list[Mention]) -> Mention | None:
    """The speaker of a quote ending at ``offset``: ", kata X" or ", X mengatakan" after it."""
    after = [t for t in sentence.tokens if t.start >= offset]
    verbs = _speech_verbs()["after"] | _speech_verbs()["before"]
    for n, token in enumerate(after[: _SPEAKER_WINDOW + 4]):
        if token.lemma in verbs or token.text.lower() == "menurut":
            window_end = after[min(n + _SPEAKER_WINDOW, len(after) - 1)].end
            return _mention_near(mentions, token.end, window_end, first=True) or _mention_near(
                mentions, offset, token.start, first=False
            )
    return None


@functools.cache
def _pronouns() -> frozenset[str]:
    """Third-person pronouns that can name a speaker ("kata dia", "ujarnya"), from the context lexicon."""
    return frozenset(row["cue"] for row in read_tsv("events/context.tsv") if row["kind"] == "speaker")


def _pronoun_after(sentence: Sentence, offset: int) -> bool:
    """Whether a quote ending at ``offset`` is attributed to a pronoun: ", kata dia", ", ujarnya"."""
    after = [t for t in sentence.tokens if t.start >= offset][:_SPEAKER_WINDOW]
    verbs = _speech_verbs()["after"]
    return any(
        a.lemma in verbs and b.text.lower() in _pronouns() for a, b in zip(after, after[1:], strict=False)
    )


def _person_back(mentions_by: dict[int, list[Mention]], sentence: int, offset: int) -> Mention | None:
    """The person a speaker pronoun takes up: the first person named in the nearest sentence back (this one
    before the quote included) that names one; news names a speaker, then quotes them as "dia"."""
    for index in range(sentence, max(-1, sentence - 3), -1):
        people = [
            m for m in mentions_by.get(index, []) if m.type == "PER" and (index < sentence or m.end <= offset)
        ]
        if people:
            return min(people, key=lambda m: m.start)
    return None


def _subject_end(tokens: list[Token], n: int) -> int:
    """The offset left of which the subject of the verb at token ``n`` ends: before a relative clause set off
    by commas ("X, yang merupakan sekutu Y, mengatakan ...": X speaks, not Y)."""
    if n < 1 or tokens[n - 1].text != ",":
        return tokens[n].start if n < len(tokens) else tokens[-1].end
    for k in range(n - 2, 0, -1):
        if tokens[k].text == ",":
            return tokens[k].start if tokens[k + 1].text.lower() == "yang" else tokens[n].start
    return tokens[n].start


def _speaker_before(sentence: Sentence, offset: int, mentions: list[Mention]) -> Mention | None:
    """The speaker of a quote starting at ``offset``: "X mengatakan, “...”"."""
    before = [t for t in sentence.tokens if t.end <= offset]
    verb = next(
        (
            n
            for n in range(len(before) - 1, max(-1, len(before) - 5), -1)
            if before[n].lemma in _speech_verbs()["before"] and before[n].voice == "active"
        ),
        None,
    )
    if verb is None:
        return None
    return _mention_near(mentions, sentence.start, min(offset, _subject_end(before, verb)), first=False)


def _direct(article: Article, mentions_by: dict[int, list[Mention]]) -> list[Quote]:
    quotes: list[Quote] = []
    for match in _QUOTE_RE.finditer(article.text):
        start, end = match.span()
        sentence = article.sentence_at(start)
        if sentence is None or len(match.group(0).split()) < 3:  # a scare-quoted word is no quote
            continue
        closing = article.sentence_at(end - 1) or sentence
        speaker = _speaker_after(closing, end, mentions_by.get(closing.index, [])) or _speaker_before(
            sentence, start, mentions_by.get(sentence.index, [])
        )
        if speaker is None and _pronoun_after(closing, end):
            speaker = _person_back(mentions_by, sentence.index, start)
        quotes.append(
            Quote(
                article.text[start:end],
                start,
                end,
                sentence.index,
                speaker.text if speaker else None,
                speaker.code if speaker else None,
                True,
            )
        )
    return quotes


def _indirect(article: Article, mentions_by: dict[int, list[Mention]], taken: list[Quote]) -> list[Quote]:
    """Reported clauses: "X mengatakan (bahwa) ...", "menurut X, ..." up to the sentence end."""
    quotes: list[Quote] = []
    verbs = _speech_verbs()["before"]
    for sentence in article.sentences:
        mentions = mentions_by.get(sentence.index)
        if not mentions:  # no speaker can be found: most sentences end here
            continue
        tokens = sentence.tokens
        inside = [q for q in taken if q.start < sentence.end and q.end > sentence.start]
        for n, token in enumerate(tokens):
            if token.lemma not in verbs and token.lemma not in _MENURUT_LEMMAS:  # one set lookup per word
                continue
            lower = token.text.lower()
            if lower != "menurut" and token.lemma not in verbs:
                continue
            if any(q.start <= token.start < q.end for q in inside):
                continue
            if lower == "menurut":
                speaker = _mention_near(
                    mentions, token.end, tokens[min(n + _SPEAKER_WINDOW, len(tokens) - 1)].end, first=True
                )
                start = next((t.end for t in tokens[n + 1 :] if t.text == ","), None)
                if speaker is None or start is None:
                    continue
            elif token.lemma in verbs and token.voice == "active":
                speaker = _mention_near(mentions, sentence.start, _subject_end(tokens, n), first=False)
                if speaker is None:
                    continue
                start = token.end
            else:
                continue
            text = article.text[start : sentence.end].strip()
            if len(text.split()) < 3:
                continue
            begin = article.text.index(text, start)
            quotes.append(
                Quote(text, begin, begin + len(text), sentence.index, speaker.text, speaker.code, False)
            )
            break  # one reported clause per sentence: the first verb of saying governs the rest
    return quotes


@stage("quotes", requires=["article.sentences", "article.mentions"], assigns=["article.quotes"])
def quotes(article: Article) -> Article:
    """Fill ``article.quotes`` with direct quotes and reported clauses, each with its speaker."""
    mentions_by: dict[int, list[Mention]] = {}
    for mention in article.mentions:
        if mention.code:
            mentions_by.setdefault(mention.sentence, []).append(mention)
    direct = _direct(article, mentions_by)
    article.quotes = sorted(direct + _indirect(article, mentions_by, direct), key=lambda q: q.start)
    return article
