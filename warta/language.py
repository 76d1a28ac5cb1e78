"""The ``language`` stage: sentences, tokens with offsets, POS tags, lemmas and voice.

Written here because nothing that ships offline does it for Indonesian news (see
``../shared/notes/offline-nlp.md``): spaCy's ``id`` tokenizer splits ``IL-62`` and ``23/3/2019`` and keeps
``-nya`` attached, its sentencizer ignores newlines and abbreviations, nlp-id has no sentence splitter and
its tagger downloads from a hub, and Sastrawi mis-stems ``mengunjungi`` and ``memerangi``. So:

* tokens come from one regular expression plus a ``-nya``/``-lah``/``-kah``/``-pun`` clitic rule whose
  exceptions are data (``warta/data/language/``), following the conventions of nlp-id's POS corpus;
* sentences are cut on those tokens: a newline always ends one (scraped lines are paragraphs), a period
  after a listed abbreviation or a single letter (``Dr.``, ``M. Yamin``, ``S.H.``) never does;
* POS tags come from a CRF we train on nlp-id's corpus (``scripts/train_postag.py``);
* lemmas come from nlp-id's lemma dictionary and root-word list, then from our affix rules; the affix
  also gives voice (meN- active, di-/ter- passive) and nominalisations (peN-an, per-an, ke-an, -an).
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import itertools
import json
import re
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

from .data import read_tsv
from .doc import Article, Sentence, Token
from .errors import WartaError
from .pipeline import stage

_LANG = "language/"

# ---------------------------------------------------------------------------------------------- tokens


@functools.cache
def _token_re() -> re.Pattern[str]:
    """Return the token pattern; alternatives are tried in order, so the longest kinds come first."""
    tlds = "|".join(
        re.escape(row["tld"]) for row in sorted(read_tsv(_LANG + "domains.tsv"), key=lambda r: -len(r["tld"]))
    )
    letter = r"[^\W\d_]"
    alnum = r"[^\W_]"
    return re.compile(
        rf"""
        (?P<url>https?://[^\s"'<>()]*[^\s"'<>().,;:!?]|www\.[^\s"'<>()]*[^\s"'<>().,;:!?])
        |(?P<plain>(?>{alnum}++(?:[-'’]{alnum}++)*+)(?![.,:/@]?[^\W_]))  # most words: one scan, done
        |(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
        |(?P<domain>{alnum}[\w-]*(?:\.{alnum}[\w-]*)*\.(?:{tlds})(?!\w))
        |(?P<num>\d+(?:[.,:/]\d+)*(?:-{alnum}+)*)
        |(?P<cur>{letter}+(?=\d+(?:[.,]\d+)+))  # "Rp5.000": the unit, then the number
        |(?P<word>{alnum}+(?:[-'’]{alnum}+)*)
        |(?P<ellipsis>\.{{2,}}|…)
        |(?P<punct>\S)
        """,
        re.VERBOSE | re.IGNORECASE,
    )


@functools.cache
def _nya_whole() -> frozenset[str]:
    return frozenset(row["word"].lower() for row in read_tsv(_LANG + "nya_whole.tsv"))


@functools.cache
def _particle_whole() -> frozenset[str]:
    return frozenset(row["word"].lower() for row in read_tsv(_LANG + "particle_whole.tsv"))


@functools.lru_cache(maxsize=100_000)
def _clitic_split(word: str) -> int:
    """Return where a clitic starts in ``word`` (``len(word)`` when it has none).

    ``-nya`` splits off after at least three letters unless the word is listed whole (``sebelumnya``,
    ``bertanya``); ``-lah``/``-kah``/``-pun`` split off only when what precedes is a root word and the
    whole is not, because masalah, telah, langkah and maupun end the same way.
    """
    lower = word.lower()
    if "-" in word or not word.isalpha():
        return len(word)
    if lower.endswith("nya") and len(lower) >= 6 and lower not in _nya_whole():
        return len(word) - 3
    if lower.endswith(("lah", "kah", "pun")) and len(lower) >= 5 and lower not in _particle_whole():
        roots = _roots()
        if lower[:-3] in roots and lower not in roots:
            return len(word) - 3
    return len(word)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split ``text`` into tokens whose offsets are ``offset`` plus their place in ``text``.

    Numbers (``1.000``, ``3,5``, ``23/3/2019``, ``23.08``), hyphenated words (``obat-obatan``, ``IL-62``),
    domains (``KOMPAS.com``), URLs and e-mail addresses stay whole; ``-nya`` and the particles are split
    off as in nlp-id's corpus; every other mark is a token of its own.
    """
    tokens: list[Token] = []
    for match in _token_re().finditer(text):
        start, end = match.span()
        piece = match.group()
        if len(piece) >= 5 and match.lastgroup in ("plain", "word"):
            cut = _clitic_split(piece)
            if cut < len(piece):
                tokens.append(Token(piece[:cut], offset + start, offset + start + cut))
                tokens.append(Token(piece[cut:], offset + start + cut, offset + end))
                continue
        tokens.append(Token(piece, offset + start, offset + end))
    return tokens


# ------------------------------------------------------------------------------------------- sentences

_TERMINALS = frozenset({".", "!", "?", "…"})
_CLOSERS = frozenset({'"', "”", "’", "'", ")", "]", "»"})
_OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", "«"})


@functools.cache
def _abbreviations() -> frozenset[str]:
    return frozenset(row["abbreviation"].lower() for row in read_tsv(_LANG + "abbreviations.tsv"))


def _is_terminal(text: str) -> bool:
    return text in _TERMINALS or text.startswith("..")


def _ends_sentence(tokens: list[Token], i: int, j: int) -> bool:
    """Return whether a sentence ends before ``tokens[j]``, given a terminal mark at ``tokens[i]``."""
    mark, after = tokens[i], tokens[j]
    if mark.text == "." and i > 0 and tokens[i - 1].end == mark.start:
        before = tokens[i - 1].text
        # "Dr. Budi", "Jl. Merdeka", "M. Yamin", "S.H.": a title or an initial, not the end of a sentence.
        if before.lower() in _abbreviations() or (len(before) == 1 and before.isalpha()):
            return False
    first = after.text[0]
    if after.start == tokens[j - 1].end:
        # No space: "(23/3/2019).Courtesy" or "kata dia.Kemudian" is a scraping slip, "S.Sos" is not.
        before = tokens[i - 1].text if i > 0 else ""
        return (
            mark.text == "."
            and first.isupper()
            and (before in _CLOSERS or (len(before) >= 3 and before.isalpha() and before.islower()))
        )
    return first.isupper() or first.isdigit() or after.text in _OPENERS


def _sentence_token_spans(tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Yield ``(first, stop)`` token index ranges of the sentences of one line."""
    first, i, n = 0, 0, len(tokens)
    while i < n:
        if not _is_terminal(tokens[i].text):
            i += 1
            continue
        j = i + 1
        # Absorb "?!" runs and quotes or brackets closed right after the mark: `."` belongs before the cut.
        while (
            j < n
            and tokens[j].start == tokens[j - 1].end
            and (_is_terminal(tokens[j].text) or tokens[j].text in _CLOSERS)
        ):
            j += 1
        if j < n and _ends_sentence(tokens, i, j):
            yield first, j
            first = j
        i = j
    if first < n:
        yield first, n


_LINE = re.compile(r"[^\n]+")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield the ``(start, end)`` of each line holding something other than spaces."""
    for match in _LINE.finditer(text):
        if not match.group().isspace():
            yield match.span()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the sentences of ``text``; a newline always ends one."""
    spans = []
    for start, end in _lines(text):
        tokens = tokenize(text[start:end], start)
        spans.extend((tokens[a].start, tokens[b - 1].end) for a, b in _sentence_token_spans(tokens))
    return spans


# ------------------------------------------------------------------------------------------------- POS

_MODEL = "postag.crfsuite"


_WINDOW = (-1, 1)  # ±2 measured 99.47% vs 99.39% held-out, at about 1.4x the tagging cost
_EDGES = {k: (f"{k}none",) for k in _WINDOW}


@functools.lru_cache(maxsize=200_000)
def word_features(word: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]]]:
    """Return a word's own CRF features and, per offset, the features it lends a neighbour.

    Cached per word form: building feature strings costs more than tagging, and news repeats its words.
    """
    lower = word.lower()
    if word[0].isdigit() and any(c.isdigit() for c in word[1:]) or word.isdigit():
        shape = "num"
    elif word.isupper():
        shape = "upper"
    elif word[0].isupper():
        shape = "title"
    elif word.isalpha():
        shape = "lower"
    else:
        shape = "other"
    own = (
        "w=" + lower,
        "s=" + shape,
        "p2=" + lower[:2],
        "p3=" + lower[:3],
        "x2=" + lower[-2:],
        "x3=" + lower[-3:],
        "h" if "-" in word else "nh",
    )
    lent = {k: (f"{k}w={lower}", f"{k}s={shape}") for k in _WINDOW}
    return own, lent


def sentence_features(words: list[str]) -> list[list[str]]:
    """Return the CRF feature lists of a sentence: each word's own and its neighbours' at -1 and +1."""
    feats = [word_features(w) for w in words]
    n = len(feats)
    out = []
    for i, (own, _) in enumerate(feats):
        row = list(own)
        for k in _WINDOW:
            j = i + k
            row += feats[j][1][k] if 0 <= j < n else _EDGES[k]
        out.append(row)
    if out:
        out[0].append("bos")
        out[-1].append("eos")
    return out


@functools.cache
def _tagger():
    import pycrfsuite  # imported here: only the POS step needs the C extension

    path = resources.files("warta") / "models" / _MODEL
    if not path.is_file():
        raise WartaError(f"POS model {_MODEL} is missing; run scripts/train_postag.py.")
    tagger = pycrfsuite.Tagger()
    with resources.as_file(path) as file:
        tagger.open(str(file))
    return tagger


def pos_tag(words: list[str]) -> list[str]:
    """Return the nlp-id POS tag of each word of one sentence."""
    return _tagger().tag(sentence_features(words)) if words else []


# ---------------------------------------------------------------------------------------------- lemmas


def nlp_id_data(name: str) -> Path:
    """Return the path of nlp-id's data file ``name`` without importing nlp-id.

    Its ``__init__`` imports modules that need huggingface-hub, which is not installed.
    """
    spec = importlib.util.find_spec("nlp_id")
    if spec is None or not spec.submodule_search_locations:
        raise WartaError("nlp-id is not installed: pip install --no-deps nlp-id==0.1.23")
    return Path(spec.submodule_search_locations[0]) / "data" / name


@functools.cache
def _roots() -> frozenset[str]:
    words = nlp_id_data("root-word.txt").read_text(encoding="utf-8").split()
    return frozenset(words) | {row["root"] for row in read_tsv(_LANG + "roots.tsv")}


@functools.cache
def _lemma_dict() -> dict[str, str]:
    with nlp_id_data("lemma_dict.json").open(encoding="utf-8") as handle:
        return json.load(handle)


_VOWELS = frozenset("aeiou")


def _unprefix(word: str) -> list[str]:
    """Return the stems ``word`` may have under one prefix, meN-/peN- allomorphs first."""
    out: list[str] = []
    for nasal in ("me", "pe"):
        if not word.startswith(nasal) or len(word) < 5:
            continue
        rest = word[2:]
        if rest.startswith("nge") and len(rest) <= 6:
            out.append(rest[3:])  # menge- before one-syllable roots: mengecat, mengebom
        if rest.startswith("ng"):
            tail = rest[2:]
            out += [tail, "k" + tail] if tail[:1] in _VOWELS else [tail]  # mengambil, mengirim, menggugat
        elif rest.startswith("ny"):
            out += ["s" + rest[2:], rest]  # menyerang; menyanyi
        elif rest.startswith("m"):
            tail = rest[1:]
            out += ["p" + tail, rest] if tail[:1] in _VOWELS else [tail]  # memukul, memakan; membawa
        elif rest.startswith("n"):
            tail = rest[1:]
            out += ["t" + tail, rest] if tail[:1] in _VOWELS else [tail]  # menolak, menanti; mendengar
        elif rest[:1] in "lrwy":
            out.append(rest)  # melihat, merusak
        if nasal == "pe" and rest.startswith("r"):
            out.append(rest[1:])  # per-: pertemuan, perdamaian
    for prefix in ("ber", "ter", "be", "te", "di", "ke", "se"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            out.append(word[len(prefix) :])
    return out


def _suffix_stems(word: str) -> list[str]:
    """Return ``word`` and what is left of it without -kan, -an or -i."""
    out = [word]
    for suffix in ("kan", "an", "i"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)])
    return out


def _rule_lemma(word: str) -> str:
    """Return the first affix analysis of ``word`` that ends in a known root, or ``word`` itself."""
    roots = _roots()
    bases = [word]
    for particle in ("lah", "kah", "pun"):
        if word.endswith(particle) and len(word) > 6:
            bases.append(word[:-3])
    for base in list(bases):
        for clitic in ("nya", "ku", "mu"):
            if base.endswith(clitic) and len(base) - len(clitic) >= 3:
                bases.append(base[: -len(clitic)])
    for base in bases:
        for stem in _suffix_stems(base):
            if stem != word and stem in roots:
                return stem
            for once in _unprefix(stem):
                if once in roots:
                    return once
                for twice in _unprefix(once):  # memper-, diper-, diber-, keber-
                    if twice in roots:
                        return twice
    return word


@functools.lru_cache(maxsize=200_000)
def lemmatize(word: str) -> str:
    """Return the lowercase root of ``word`` (``dikirimkan`` -> ``kirim``); numbers and marks as they are."""
    lower = word.lower()
    if not lower.replace("-", "").isalpha() or len(lower) <= 3:
        return lower
    if lower in _roots():
        return lower
    known = _lemma_dict().get(lower)
    if known:
        return known
    if "-" in lower:
        # Reduplication: "monyet-monyet", "obat-obatan", "bertanya-tanya" share a root; "IL-62" does not.
        parts = lower.split("-")
        if len(parts) == 2 and (parts[0] in parts[1] or parts[1] in parts[0]):
            return lemmatize(min(parts, key=len))
        return lower
    return _rule_lemma(lower)


@functools.lru_cache(maxsize=200_000)
def analyze_word(word: str) -> tuple[str, str | None, bool]:
    """Return ``(lemma, voice, nominal)`` of ``word`` from its affixes, out of context.

    voice is "active" for meN- (and bare -kan/-i) forms, "passive" for di- and ter- forms, else None;
    nominal is True for peN-an, per-an, ke-an and -an nouns built on a root. The stage keeps voice only
    on words tagged VB (ter- also makes superlatives and tersebut).
    """
    lemma = lemmatize(word)
    lower = word.lower()
    if lemma == lower or not lower.isalpha():
        return lemma, None, False
    if lower.startswith(lemma):
        prefix = ""
    else:
        # The root's first letter may have merged with a nasal (menolak, mengirim): find the rest of it.
        at = lower.find(lemma[1:], 1)
        prefix = lower[:at] if at > 0 else lower[:3]
    voice = None
    if prefix.startswith("me"):
        voice = "active"
    elif prefix.startswith(("di", "ter")):
        voice = "passive"
    elif not prefix and lower in (lemma + "kan", lemma + "i"):
        voice = "active"  # headline and imperative active without meN-: "amankan"
    # -an on the root itself (penolakan, not mengirimkan), with peN-, per-, ke- or nothing before it.
    ends_an = lower.endswith(lemma[1:] + "an")
    nominal = ends_an and (prefix.startswith(("pe", "ke")) or lower == lemma + "an")
    return lemma, voice, nominal


# ----------------------------------------------------------------------------------------------- stage

_NO_MORPHOLOGY = frozenset({"NNP", "FW", "NUM", "SYM"})  # names and symbols keep their surface form


def _paragraph_index(article: Article) -> Callable[[int], int]:
    """Return a function from a line's start offset to its paragraph number."""
    if not article.paragraphs:
        counter = itertools.count()  # each non-empty line is a paragraph; lines come in order
        return lambda _start: next(counter)
    starts = [start for start, _ in article.paragraphs]
    return lambda start: max(bisect.bisect_right(starts, start) - 1, 0)


@stage("language", requires=["article.text"], assigns=["article.sentences"])
def language(article: Article) -> Article:
    """Fill ``article.sentences`` with tokens tagged for POS, lemma, voice and nominalisation."""
    text = article.text
    paragraph_of = _paragraph_index(article)
    sentences: list[Sentence] = []
    for line_start, line_end in _lines(text):
        paragraph = paragraph_of(line_start)
        tokens = tokenize(text[line_start:line_end], line_start)
        for a, b in _sentence_token_spans(tokens):
            words = tokens[a:b]
            for token, tag in zip(words, pos_tag([t.text for t in words]), strict=True):
                token.pos = tag
                if tag in _NO_MORPHOLOGY:
                    token.lemma = token.text.lower()
                    continue
                token.lemma, voice, token.nominal = analyze_word(token.text)
                token.voice = voice if tag == "VB" else None
            start, end = words[0].start, words[-1].end
            sentences.append(Sentence(len(sentences), start, end, text[start:end], words, paragraph))
    article.sentences = sentences
    return article
