"""The ``language`` stage: sentences, tokens with offsets, POS tags, lemmas and voice.

Written here because nothing that ships offline does it for Indonesian news (see
``../shared/notes/offline-nlp.md``): spaCy's ``id`` tokenizer splits ``IL-62`` and ``23/3/2019`` and keeps
``-nya`` attached, its sentencizer ignores newlines and abbreviations, nlp-id has no sentence splitter and
its tagger downloads from a hub, and Sastrawi mis-stems ``mengunjungi`` and ``memerangi``. So:

* tokens come from one regular expression plus a ``-nya``/``-lah``/``-kah``/``-pun`` clitic rule whose
  exceptions are data (``warta/data/language/``), following the conventions of nlp-id's POS corpus;
* sentences are cut on those tokens: a newline always ends one (scraped lines are paragraphs), a period
  after a listed abbreviation or a single letter (``Dr.``, ``M. Yamin``, ``S.H.``) never does;
* POS tags come from a CRF we train on nlp-id's corpus with python-crfsuite (``scripts/train_postag.py``),
  decoded here with scores summed once per word type (:class:`_PosTagger`), the same tags faster;
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
import struct
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import numpy as np

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


_CLITICS = frozenset({"nya", "lah", "kah", "pun"})


@functools.cache
def _splittable_groups() -> frozenset[int]:
    """Return the group numbers of the token pattern's word kinds, the only ones a clitic splits."""
    groups = _token_re().groupindex
    return frozenset({groups["plain"], groups["word"]})


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split ``text`` into tokens whose offsets are ``offset`` plus their place in ``text``.

    Numbers (``1.000``, ``3,5``, ``23/3/2019``, ``23.08``), hyphenated words (``obat-obatan``, ``IL-62``),
    domains (``KOMPAS.com``), URLs and e-mail addresses stay whole; ``-nya`` and the particles are split
    off as in nlp-id's corpus; every other mark is a token of its own.
    """
    tokens: list[Token] = []
    append = tokens.append
    splittable = _splittable_groups()
    for match in _token_re().finditer(text):
        start, end = match.span()
        piece = match.group()
        # Cheap tests first: most tokens are short or end in no clitic.
        if end - start >= 5 and piece[-3:].lower() in _CLITICS and match.lastindex in splittable:
            cut = _clitic_split(piece)
            if cut < end - start:
                append(Token(piece[:cut], offset + start, offset + start + cut))
                append(Token(piece[cut:], offset + start + cut, offset + end))
                continue
        append(Token(piece, offset + start, offset + end))
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
    first, j, n = 0, 0, len(tokens)
    # Only terminal marks can end a sentence: find them in one pass, then look around each.
    for i in [i for i, t in enumerate(tokens) if t.text in _TERMINALS or t.text.startswith("..")]:
        if i < j:
            continue  # absorbed into the previous mark's run
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


_TYPES_MAX = 1 << 17  # word types whose scores are kept (about 50 MB); the table starts over when full
_PRUNE_SLACK = 1e-9  # prune a label only when it loses by more than rounding could explain


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


def _crf_weights() -> tuple[tuple[str, ...], dict[str, int], np.ndarray, np.ndarray]:
    """Return the model's labels, attribute ids, state weights (attributes x labels) and transitions.

    Names and ids come from python-crfsuite (``Tagger.info()``); the weights are read from the model
    file's feature chunk as the doubles crfsuite stores, because ``info()`` prints them to six decimals.
    The chunk layout is crfsuite's ``crf1d`` model format (version 100), checked before it is read.
    """
    info = _tagger().info()
    labels = tuple(sorted(info.labels, key=lambda label: int(info.labels[label])))
    attributes = {attribute: int(index) for attribute, index in info.attributes.items()}
    with resources.as_file(resources.files("warta") / "models" / _MODEL) as file:
        data = file.read_bytes()
    magic, _size, kind, version = struct.unpack_from("<4sI4sI", data)
    (offset,) = struct.unpack_from("<I", data, 28)
    chunk, _chunk_size, count = struct.unpack_from("<4sII", data, offset)
    if (magic, kind, version, chunk) != (b"lCRF", b"FOMC", 100, b"FEAT"):
        raise WartaError(f"POS model {_MODEL} is not a crfsuite crf1d model (version 100).")
    layout = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
    features = np.frombuffer(data, dtype=layout, count=count, offset=offset + 12)
    # One extra all-zero row: attributes the model never saw point there and add nothing.
    state = np.zeros((len(attributes) + 1, len(labels)))
    trans = np.zeros((len(labels), len(labels)))
    kept = features[features["type"] == 0]
    state[kept["src"], kept["dst"]] = kept["weight"]
    kept = features[features["type"] == 1]
    trans[kept["src"], kept["dst"]] = kept["weight"]
    return labels, attributes, state, trans


class _PosTagger:
    """Viterbi decoding of the shipped CRF, with each word type's scores summed once.

    python-crfsuite trains the model and remains the reference (``tests/test_language.py`` checks that
    both give the same tags), but its tagger converts and looks up eleven feature strings per token on
    every call, which cost more than the rest of the stage. A token's label scores are a sum over its own
    word's features and its neighbours' (``word_features``), so the three parts a word type contributes
    (its own, as the left neighbour, as the right neighbour) are summed from the weights the first time it
    is seen and kept in a table. A label is then dropped where it cannot win whatever its neighbours' labels
    are (its gap to the best label exceeds anything transitions can make up), which leaves 1.4 labels a token
    on news, and a plain Viterbi runs over the rest, breaking ties toward the lower label id as crfsuite does.
    """

    def __init__(self) -> None:
        self.labels, self.attributes, self.state, trans = _crf_weights()
        self.trans = trans.tolist()
        self.unknown = len(self.state) - 1
        # gap[best][j]: the most the transitions in and out can favour label j over label best.
        into = (trans[:, :, None] - trans[:, None, :]).max(axis=0)  # [j, b] = max_p T[p, j] - T[p, b]
        out_of = (trans[:, None, :] - trans[None, :, :]).max(axis=2)  # [j, b] = max_n T[j, n] - T[b, n]
        self.gap = np.ascontiguousarray((into + out_of).T) + _PRUNE_SLACK
        self.bits = 1 << np.arange(len(self.labels), dtype=np.int64)
        self.by_mask: dict[int, tuple[int, ...]] = {}
        self.types: dict[str, int] = {}
        # Row 0 stands for the sentence edge: what the first token gets from before it ("-1none", "bos")
        # and the last from after it ("1none", "eos").
        self.table = np.zeros((1024, 3, len(self.labels)))
        (before,), (after,) = _EDGES[-1], _EDGES[1]
        self.table[0, 1] = self._scores([before, "bos"])
        self.table[0, 2] = self._scores([after, "eos"])

    def _scores(self, features) -> np.ndarray:
        return self.state[[self.attributes.get(f, self.unknown) for f in features]].sum(axis=0)

    def _add_types(self, words: list[str]) -> None:
        """Sum the scores of word types not seen before, all at once."""
        first = len(self.types) + 1
        need = first + len(words)
        if need > len(self.table):
            grown = np.zeros((max(need, 2 * len(self.table)), *self.table.shape[1:]))
            grown[: len(self.table)] = self.table
            self.table = grown
        # Per word, its own features then those it lends at -1 and at +1: one gather, three sums.
        features: list[str] = []
        for word in words:
            own, lent = word_features(word)
            features += own
            features += lent[-1]
            features += lent[1]
        own, lent = word_features(words[0])
        bounds = [0, len(own), len(own) + len(lent[-1])]
        get, unknown = self.attributes.get, self.unknown
        block = self.state[[get(f, unknown) for f in features]].reshape(len(words), -1, len(self.labels))
        self.table[first:need] = np.add.reduceat(block, bounds, axis=1)
        self.types.update(zip(words, range(first, need), strict=True))

    def _candidates(self, mask: int) -> tuple[int, ...]:
        labels = tuple(j for j in range(len(self.labels)) if mask >> j & 1)
        self.by_mask[mask] = labels
        return labels

    def tag(self, sentences: list[list[str]]) -> list[str]:
        """Return the tags of the words of ``sentences``, one flat list in order."""
        words = [word for sentence in sentences for word in sentence]
        if not words:
            return []
        types = self.types
        if len(types) + len(words) >= _TYPES_MAX:
            types.clear()  # start over rather than grow without bound on a long stream
        get = types.get
        ids = [get(word, 0) for word in words]
        if 0 in ids:
            self._add_types(list(dict.fromkeys(w for w, i in zip(words, ids, strict=True) if not i)))
            ids = [types[word] for word in words]
        # The article as one row of type ids, each sentence between edge rows (id 0), so that every
        # word's neighbours are the rows beside it: [0, w1 .. wn, 0, v1 .. vm, 0].
        row = [0]
        at = 0
        for sentence in sentences:
            row += ids[at : at + len(sentence)]
            row.append(0)
            at += len(sentence)
        ext = np.array(row)
        table = self.table
        # Edge rows get scores too; they are skipped below.
        scores = table[ext[1:-1], 0] + table[ext[:-2], 1] + table[ext[2:], 2]
        best = scores.argmax(axis=1)
        alive = scores.max(axis=1)[:, None] - scores <= self.gap[best]
        path = best.tolist()
        masks = (alive @ self.bits).tolist()
        # Score row q is the word (or edge) at row[q + 1].
        ambiguous = [q for q, mask in enumerate(masks) if mask & (mask - 1) and row[q + 1]]
        if ambiguous:
            # A word left with one label fixes the path there, so each run of ambiguous words is
            # decoded on its own, between the fixed labels (or sentence edges) around it.
            by_mask = self.by_mask
            candidates = [by_mask.get(masks[q]) or self._candidates(masks[q]) for q in ambiguous]
            emissions = scores[ambiguous].tolist()
            first = 0
            for k, position in enumerate(ambiguous):
                after = position + 1
                if k + 1 < len(ambiguous) and ambiguous[k + 1] == after:
                    continue
                begin = ambiguous[first]
                left = path[begin - 1] if row[begin] else None
                right = path[after] if row[after + 1] else None
                run = slice(first, k + 1)
                path[begin:after] = self._viterbi(candidates[run], emissions[run], left, right)
                first = k + 1
        labels = self.labels
        return [labels[j] for j, q in zip(path, row[1:-1], strict=True) if q]

    def _viterbi(self, candidates, rows, left: int | None, right: int | None) -> list[int]:
        """Return the best labels of a run of words between fixed labels ``left`` and ``right``.

        ``candidates`` holds each word's possible labels and ``rows`` each word's scores for all labels;
        ``None`` stands for a sentence edge. Ties go to the lower label, as in crfsuite.
        """
        trans = self.trans
        prev = candidates[0]
        emit = rows[0]
        if left is None:
            score = [emit[j] for j in prev]
        else:
            into = trans[left]
            score = [into[j] + emit[j] for j in prev]
        back: list[list[int]] = []
        for cur, emit in zip(candidates[1:], rows[1:], strict=True):
            pointers, new = [], []
            for j in cur:
                best, top = 0, score[0] + trans[prev[0]][j]
                for i in range(1, len(prev)):
                    value = score[i] + trans[prev[i]][j]
                    if value > top:
                        best, top = i, value
                pointers.append(best)
                new.append(top + emit[j])
            score = new
            back.append(pointers)
            prev = cur
        if right is not None:
            score = [s + trans[i][right] for i, s in zip(prev, score, strict=True)]
        best = score.index(max(score))
        path = [prev[best]]
        for t in range(len(candidates) - 1, 0, -1):
            best = back[t - 1][best]
            path.append(candidates[t - 1][best])
        path.reverse()
        return path


@functools.cache
def _pos_tagger() -> _PosTagger:
    return _PosTagger()


def pos_tag(words: list[str]) -> list[str]:
    """Return the nlp-id POS tag of each word of one sentence."""
    return _pos_tagger().tag([words]) if words else []


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
    spans: list[tuple[int, list[Token]]] = []
    for line_start, line_end in _lines(text):
        paragraph = paragraph_of(line_start)
        tokens = tokenize(text[line_start:line_end], line_start)
        spans.extend((paragraph, tokens[a:b]) for a, b in _sentence_token_spans(tokens))
    # One tagging call for the whole article: the per-call work is shared by all its sentences.
    tags = _pos_tagger().tag([[t.text for t in words] for _, words in spans]) if spans else []
    sentences: list[Sentence] = []
    at = 0
    for paragraph, words in spans:
        for token in words:
            token.pos = tag = tags[at]
            at += 1
            if tag in _NO_MORPHOLOGY:
                token.lemma = token.text.lower()
                continue
            token.lemma, voice, token.nominal = analyze_word(token.text)
            token.voice = voice if tag == "VB" else None
        start, end = words[0].start, words[-1].end
        sentences.append(Sentence(len(sentences), start, end, text[start:end], words, paragraph))
    article.sentences = sentences
    return article
