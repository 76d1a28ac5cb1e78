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
import operator
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


_CHUNKS: dict[str, tuple] = {}  # the tokens of each chunk type (text between spaces) seen
_CHUNKS_MAX = 200_000  # chunk types kept; a full cache starts over
_WHOLE = ("whole",)  # what _CHUNKS holds for a chunk that is one token and ends no sentence (most do)


def _chunk_tokens(chunk: str) -> tuple:
    """Return the tokens of ``chunk``, a piece of text between spaces, as three tuples (or ``_WHOLE``).

    They hold the tokens' texts, their offsets in ``chunk``, and the indexes of those that may end a
    sentence.
    """
    # (start, end, whether a clitic may split it) of each piece the token pattern matches. Most chunks are
    # a word, or a word and a mark ("kata," "itu."), where the pattern could only find that word (its
    # first word kind, ``plain``) and that mark: those skip it.
    if chunk.isalnum():
        spans = [(0, len(chunk), True)]
    elif chunk[:-1].isalnum():
        spans = [(0, len(chunk) - 1, True), (len(chunk) - 1, len(chunk), False)]
    else:
        splittable = _splittable_groups()
        spans = [(*match.span(), match.lastindex in splittable) for match in _token_re().finditer(chunk)]
    pieces: list[str] = []
    offsets: list[int] = []
    marks: list[int] = []
    for start, end, splits in spans:
        piece = chunk[start:end]
        if splits and end - start >= 5 and piece[-3:].lower() in _CLITICS:
            cut = _clitic_split(piece)
            if cut < end - start:
                pieces += (piece[:cut], piece[cut:])
                offsets += (start, start + cut)
                continue
        if _is_terminal(piece):
            marks.append(len(pieces))
        pieces.append(piece)
        offsets.append(start)
    if pieces == [chunk] and not marks:
        return _WHOLE
    return tuple(pieces), tuple(offsets), tuple(marks)


def _tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    """Return the texts and start offsets of the tokens of ``text``, and the indexes of its terminal marks.

    No token spans a space, so the text is cut at spaces first, and news repeats its chunks ("kata",
    "itu," "dia."): the token pattern, the costliest step, runs once per chunk type. Tokens stay two flat
    lists until they are tagged, so that each :class:`Token` is created once, whole.
    """
    chunks = _CHUNKS
    if len(chunks) > _CHUNKS_MAX:
        chunks.clear()
    words: list[str] = []
    starts: list[int] = []
    marks: list[int] = []
    find = text.find
    at = 0
    for chunk in text.split():
        at = find(chunk, at)
        found = chunks.get(chunk)
        if found is None:
            found = chunks[chunk] = _chunk_tokens(chunk)
        if found is _WHOLE:
            words.append(chunk)
            starts.append(at)
        else:
            pieces, offsets, ends = found
            if ends:
                marks += map(len(words).__add__, ends)
            words += pieces
            starts += map(at.__add__, offsets)
        at += len(chunk)
    return words, starts, marks


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split ``text`` into tokens whose offsets are ``offset`` plus their place in ``text``.

    Numbers (``1.000``, ``3,5``, ``23/3/2019``, ``23.08``), hyphenated words (``obat-obatan``, ``IL-62``),
    domains (``KOMPAS.com``), URLs and e-mail addresses stay whole; ``-nya`` and the particles are split
    off as in nlp-id's corpus; every other mark is a token of its own.
    """
    words, starts, _ = _tokens(text)
    return [
        Token(word, offset + start, offset + start + len(word))
        for word, start in zip(words, starts, strict=True)
    ]


# ------------------------------------------------------------------------------------------- sentences

_TERMINALS = frozenset({".", "!", "?", "…"})
_CLOSERS = frozenset({'"', "”", "’", "'", ")", "]", "»"})
_OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", "«"})


@functools.cache
def _abbreviations() -> frozenset[str]:
    return frozenset(row["abbreviation"].lower() for row in read_tsv(_LANG + "abbreviations.tsv"))


def _is_terminal(text: str) -> bool:
    return text in _TERMINALS or text.startswith("..")


def _ends_sentence(words: list[str], starts: list[int], line: int, i: int, j: int) -> bool:
    """Return whether a sentence ends before token ``j``, given a terminal mark at token ``i``.

    ``line`` is the index of the first token of the line: nothing before it is looked at.
    """
    mark, after = words[i], words[j]
    before = words[i - 1] if i > line else ""
    # "Dr. Budi", "Jl. Merdeka", "M. Yamin", "S.H.": a title or an initial, not the end of a sentence.
    if (
        mark == "."
        and before
        and starts[i - 1] + len(before) == starts[i]
        and (before.lower() in _abbreviations() or (len(before) == 1 and before.isalpha()))
    ):
        return False
    first = after[0]
    if starts[j] == starts[j - 1] + len(words[j - 1]):
        # No space: "(23/3/2019).Courtesy" or "kata dia.Kemudian" is a scraping slip, "S.Sos" is not.
        return (
            mark == "."
            and first.isupper()
            and (before in _CLOSERS or (len(before) >= 3 and before.isalpha() and before.islower()))
        )
    return first.isupper() or first.isdigit() or after in _OPENERS


def _sentence_cuts(
    words: list[str], starts: list[int], marks: list[int], line: int, end: int
) -> Iterator[int]:
    """Yield the index after the last token of each sentence of the line of tokens ``line`` to ``end``.

    ``marks`` holds the indexes of the line's terminal marks: only they can end a sentence.
    """
    j = line
    for i in marks:
        if i < j:
            continue  # absorbed into the previous mark's run
        j = i + 1
        # Absorb "?!" runs and quotes or brackets closed right after the mark: `."` belongs before the cut.
        while (
            j < end
            and starts[j] == starts[j - 1] + len(words[j - 1])
            and (_is_terminal(words[j]) or words[j] in _CLOSERS)
        ):
            j += 1
        if j < end and _ends_sentence(words, starts, line, i, j):
            yield j
    yield end


_LINE = re.compile(r"[^\n]+")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield the ``(start, end)`` of each line holding something other than spaces."""
    for match in _LINE.finditer(text):
        if not match.group().isspace():
            yield match.span()


def _segment(text: str) -> tuple[list[str], list[int], list[tuple[int, int, int]]]:
    """Return the tokens of ``text`` (their texts and start offsets) and its sentences.

    A sentence is ``(line, first, stop)``: the start offset of its line and the range of its tokens.
    """
    words, starts, marks = _tokens(text)
    sentences: list[tuple[int, int, int]] = []
    upto = 0
    for line_start, line_end in _lines(text):
        first = bisect.bisect_left(starts, line_start)
        end = bisect.bisect_left(starts, line_end, first)
        at, upto = upto, bisect.bisect_left(marks, end, upto)
        for stop in _sentence_cuts(words, starts, marks[at:upto], first, end):
            sentences.append((line_start, first, stop))
            first = stop
    return words, starts, sentences


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the sentences of ``text``; a newline always ends one."""
    words, starts, sentences = _segment(text)
    return [(starts[a], starts[b - 1] + len(words[b - 1])) for _, a, b in sentences]


# ------------------------------------------------------------------------------------------------- POS

_MODEL = "postag.crfsuite"


_WINDOW = (-1, 1)  # ±2 measured 99.47% vs 99.39% held-out, at about 1.4x the tagging cost
_EDGES = {k: (f"{k}none",) for k in _WINDOW}


def _type_features(word: str) -> tuple[str, ...]:
    """Return a word's 7 own CRF features, then the 2 it lends the next word, then the 2 the previous."""
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
    return (
        "w=" + lower,
        "s=" + shape,
        "p2=" + lower[:2],
        "p3=" + lower[:3],
        "x2=" + lower[-2:],
        "x3=" + lower[-3:],
        "h" if "-" in word else "nh",
        "-1w=" + lower,
        "-1s=" + shape,
        "1w=" + lower,
        "1s=" + shape,
    )


_OWN, _LENT_AFTER = 7, 9  # where _type_features' parts start: own at 0, then lent at -1, then at +1


@functools.lru_cache(maxsize=200_000)
def word_features(word: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]]]:
    """Return a word's own CRF features and, per offset, the features it lends a neighbour.

    Cached per word form: building feature strings costs more than tagging, and news repeats its words.
    """
    features = _type_features(word)
    return features[:_OWN], {-1: features[_OWN:_LENT_AFTER], 1: features[_LENT_AFTER:]}


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
    on news, and Viterbi runs over the rest, breaking ties toward the lower label id as crfsuite does.
    """

    def __init__(self) -> None:
        self.labels, self.attributes, self.state, self.trans = _crf_weights()
        trans = self.trans
        self.unknown = len(self.state) - 1
        # gap[best][j]: the most the transitions in and out can favour label j over label best.
        into = (trans[:, :, None] - trans[:, None, :]).max(axis=0)  # [j, b] = max_p T[p, j] - T[p, b]
        out_of = (trans[:, None, :] - trans[None, :, :]).max(axis=2)  # [j, b] = max_n T[j, n] - T[b, n]
        self.gap = np.ascontiguousarray((into + out_of).T) + _PRUNE_SLACK
        # The transitions with one more label standing for a sentence edge, to and from which they are 0:
        # adding 0.0 changes no score, so words next to an edge need no case of their own.
        self.edge_trans = np.zeros((len(self.labels) + 1, len(self.labels) + 1))
        self.edge_trans[:-1, :-1] = trans
        self.ones = np.ones(len(self.labels))
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
        features = list(itertools.chain.from_iterable(map(_type_features, words)))
        ids = np.fromiter(
            map(self.attributes.get, features, itertools.repeat(self.unknown)), np.intp, len(features)
        )
        block = self.state.take(ids, axis=0)
        block = block.reshape(len(words), -1, len(self.labels))
        parts = self.table[first:need]
        # The first weight plus the sum of the rest: the order np.add.reduceat sums in (the same floats),
        # at less cost.
        np.add(block[:, 0], block[:, 1:_OWN].sum(axis=1), out=parts[:, 0])
        np.add(block[:, _OWN], block[:, _OWN + 1 : _LENT_AFTER].sum(axis=1), out=parts[:, 1])
        np.add(block[:, _LENT_AFTER], block[:, _LENT_AFTER + 1 :].sum(axis=1), out=parts[:, 2])
        self.types.update(zip(words, range(first, need), strict=True))

    def tag(self, words: list[str], stops: list[int]) -> list[str]:
        """Return the tags of ``words``, the words of one or more sentences in a row.

        ``stops`` holds the index after each sentence's last word, the last one ``len(words)``.
        """
        if not words:
            return []
        types = self.types
        if len(types) + len(words) >= _TYPES_MAX:
            types.clear()  # start over rather than grow without bound on a long stream
        ids = list(map(types.get, words))
        if None in ids:
            self._add_types(list(dict.fromkeys(itertools.compress(words, map(operator.not_, ids)))))
            ids = list(map(types.__getitem__, words))
        # The article as one row of type ids, each sentence between edge rows (id 0), so that every
        # word's neighbours are the rows beside it: [0, w1 .. wn, 0, v1 .. vm, 0].
        row = [0]
        at = 0
        for stop in stops:
            row += ids[at:stop]
            row.append(0)
            at = stop
        # Few numpy calls, each on the whole article: on small arrays a call costs more than its work.
        row = np.fromiter(row, np.intp, len(row))
        rows = self.table.take(row, axis=0)
        # Score row q is the word (or edge) at row[q + 1]; edge rows are scored too, then left out.
        scores = rows[1:-1, 0] + rows[:-2, 1] + rows[2:, 2]
        word = row[1:-1] != 0
        best = scores.argmax(axis=1)
        # Reductions along a row of 16 are slow in numpy; a gather and a matrix product are not.
        n = len(self.labels)
        top = scores.take(best + np.arange(0, len(scores) * n, n))
        alive = top[:, None] - scores <= self.gap.take(best, axis=0)
        ambiguous = np.flatnonzero((alive.dot(self.ones) > 1) & word)  # more than one label left
        path = self._decode(scores, alive, best, word, ambiguous) if len(ambiguous) else best
        return list(map(self.labels.__getitem__, path[word].tolist()))

    def _decode(self, scores, alive, best, word, ambiguous) -> np.ndarray:
        """Return the best labels of the score rows, given the ``ambiguous`` ones (rows left more than one).

        A word left with one label fixes the path there, so each run of ambiguous words is decoded on its
        own, between the fixed labels (or sentence edges) around it; all runs at once, one numpy step per
        word of the longest. Labels pruned are scored -inf; ties go to the lower label, as in crfsuite.
        """
        n = len(self.labels)
        # Runs, as the index in ``ambiguous`` of their first word and their length, longest first, so
        # that the runs still going at each step are a prefix of them.
        head = np.flatnonzero(np.concatenate(([True], ambiguous[1:] != ambiguous[:-1] + 1)))
        length = np.concatenate((head[1:], [len(ambiguous)])) - head
        order = np.argsort(-length, kind="stable")
        head, length = head[order], length[order]
        going = (len(head) - np.cumsum(np.bincount(length)))[:-1].tolist()  # runs going at step t
        begin = ambiguous[head]
        # The fixed label before and after each run: fixed[q + 1] is score row q's, n for an edge.
        fixed = np.concatenate(([n], np.where(word, best, n), [n]))
        emit = np.where(alive[ambiguous], scores[ambiguous], -np.inf)  # row i: ambiguous[i]'s scores
        edge_trans = self.edge_trans
        score = edge_trans[fixed[begin], :n] + emit[head]
        back = []
        for t in range(1, len(going)):
            k = going[t]
            step = score[:k, :, None] + self.trans  # [run, from, to]
            back.append(step.argmax(axis=1))
            score[:k] = step.max(axis=1) + emit[head[:k] + t]
        label = (score + edge_trans[:n, fixed[begin + length + 1]].T).argmax(axis=1)
        path = best.copy()
        path[begin + length - 1] = label
        for t in range(len(going) - 1, 0, -1):
            k = going[t]
            label[:k] = back[t - 1][np.arange(k), label[:k]]
            path[begin[:k] + t - 1] = label[:k]
        return path


@functools.cache
def _pos_tagger() -> _PosTagger:
    return _PosTagger()


def pos_tag(words: list[str]) -> list[str]:
    """Return the nlp-id POS tag of each word of one sentence."""
    return _pos_tagger().tag(words, [len(words)])


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


class _Morphology(dict):
    """``(word, tag)`` -> ``(lemma, voice, nominal)``, each worked out the first time it is looked up.

    A dict rather than an LRU cache: a hit stays in C (``map(cache.__getitem__, ...)``), and it holds no
    linked entry objects for the garbage collector to walk.
    """

    def __missing__(self, key: tuple[str, str]) -> tuple[str, str | None, bool]:
        word, tag = key
        if tag in _NO_MORPHOLOGY:
            fields = word.lower(), None, False
        else:
            lemma, voice, nominal = analyze_word(word)
            fields = lemma, voice if tag == "VB" else None, nominal
        self[key] = fields
        return fields


_MORPHOLOGY = _Morphology()
_MORPHOLOGY_MAX = 200_000  # (word, tag) pairs kept; a full cache starts over


@stage("language", requires=["article.text"], assigns=["article.sentences"])
def language(article: Article) -> Article:
    """Fill ``article.sentences`` with tokens tagged for POS, lemma, voice and nominalisation."""
    text = article.text
    words, starts, spans = _segment(text)
    article.sentences = []
    if not words:
        return article
    # One tagging call for the whole article: the per-call work is shared by all its sentences.
    tags = _pos_tagger().tag(words, [stop for _, _, stop in spans])
    # Column by column in C loops (map, zip): per token, no Python code runs but Token's own __init__.
    if len(_MORPHOLOGY) > _MORPHOLOGY_MAX:
        _MORPHOLOGY.clear()
    lemmas, voices, nominals = zip(*map(_MORPHOLOGY.__getitem__, zip(words, tags, strict=True)), strict=True)
    ends = list(map(operator.add, starts, map(len, words)))
    tokens = list(map(Token, words, starts, ends, lemmas, tags, voices, nominals))
    paragraph_of = _paragraph_index(article)
    line = paragraph = -1
    for line_start, first, stop in spans:
        if line_start != line:
            line, paragraph = line_start, paragraph_of(line_start)
        start, end = starts[first], ends[stop - 1]
        article.sentences.append(
            Sentence(len(article.sentences), start, end, text[start:end], tokens[first:stop], paragraph)
        )
    return article
