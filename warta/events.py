"""Stage ``events``: code who did what to whom as CAMEO events, from lemma patterns and argument frames.

No Indonesian event coder ships as a library (PETRARCH and its dictionaries read English parse trees), so
Warta codes from its own lexicon, ``warta/data/events/patterns.tsv``: each row names a trigger lemma (a
verb such as *kirim* or a nominalisation such as *serangan*), optionally a complement (*kirim + bantuan*,
*minta + maaf*) and how its arguments are found. Indonesian is SVO and marks voice on the verb, so argument
rules over token positions carry far:

- actor1 is the subject: the nearest coded mention before the trigger that no preposition governs; in a
  passive (*diserang oleh X*) it is the agent after *oleh*;
- actor2 is the object: the first mention after the trigger, directly or after a target preposition
  (*kepada*, *terhadap*, *ke*); a noun's possessor (*kunjungan X ke Y*) or *dari X* is its actor1;
- coordinated mentions (*dari X, Y, dan Z*) give one event each; joint actions with a coordinated subject
  (*X dan Y menandatangani*) give X -> Y.

- a noun inside another trigger's object ("mengecam serangan X terhadap Y") is an event of its own possessor
  only, never of the sentence's subject;
- a peN-an noun of a transitive act (frame ``patient``: "penangkapan X", "pemeriksaan terhadap X") takes
  its possessor or oblique as actor2 and the light verb's subject or "oleh X" as actor1; other nouns also
  take "oleh X" as their actor; a relative clause's subject is its head ("X yang menyerang", "X, yang ...,
  V"); a trigger inside a relative clause ("demo X yang menolak Y di Z") takes the bare object Y from the
  trigger before it but leaves it its prepositional arguments ("di Z"); a passive verb's "-nya"
  ("dikunjunginya") is the person named just before, an active verb's ("menangkapnya") the person (or quoted
  speaker) named last in the two sentences before; "yakni X, Y dan Z" lists the trigger's arguments;
- a protest named inside another phrase ("di depan demonstrasi X", "pelarangan demonstrasi") is background
  and is coded only with a target of its own;
- a few actors come from the article around the sentence (``context.tsv``), conservatively: "kedua negara"
  is the two countries the nearest earlier sentence names together (none if it names more), a subject
  "ia"/"dia" the one person the previous sentence names (or, opening a sentence, that sentence's quoted
  speaker or subject), and aid sent to no named recipient goes to the article's one foreign counterpart when
  there is exactly one;
- inside a quote the speaker acts where the subject is the speaker's side: "kami"/"saya", "pihaknya", none
  where the quote opens, a light verb's noun ("“Kami siap memberikan bantuan”"); in reported speech also
  "mereka"/"dia"; never a noun subject ("“Skema itu memberi bantuan”");
- subjects carry over: "X mengecam Y dan meminta Z" (Y is an object, X asks), "X tidak ..., tetapi malah
  mendukung Z", "X pulang setelah bertemu Z", "Setelah bertemu Z, X ..." and "Usai diperiksa Z, X ...";
  an uncoded head of a relative clause ("kelompok yang menyerang Z") or a pronoun ("..., kami akan
  menelusuri") holds the subject slot so no earlier name stands in for it;
- nouns of urging take the clause after "agar" as their target ("desakan dari X agar Y ...").

Modality comes from cue words (``modality.tsv``) near the trigger; conditionals and questions yield no
event. A negated action keeps its own code with negated=true ("tidak akan menghadiri" is a negated 040);
only an explicit refusal ("menolak menghadiri") or a pattern's own negated code makes it a rejection (12).
Headlines in Title Case are not coded: the POS tagger misses their verbs and the body restates the same event
in a full sentence (a sentence-case headline is coded like any sentence). Patterns are indexed by lemma: two
set tests (lemmas, word forms) rule out most sentences, and a sentence with no coded mention, pronoun,
clitic or quoted speaker is skipped before its mentions are mapped to tokens; complements are
tested against their first words before any search.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from .data import read_tsv
from .doc import Actor, Article, Event, Evidence, Mention, Quote, Sentence, Token
from .pipeline import stage

# How far (in tokens) each search looks; small windows keep clauses apart.
_NEG_WINDOW = 3
_INTENT_WINDOW = 5
_COMPLEMENT_WINDOW = 4
_RIGHT_WINDOW = 15
_PREP_GAP = 3  # words allowed between a preposition and the mention it governs ("terhadap kapal X")

# When a planned action is announced, CAMEO codes the intent (03, 13), not the action.
_DEFAULT_INTENT = {
    "04": "036",
    "05": "032",
    "06": "031",
    "07": "033",
    "08": "035",
    "15": "138",
    "16": "131",
    "17": "137",
    "18": "138",
    "19": "138",
    "20": "138",
}
# An explicitly refused cooperative action ("menolak mengirim") is a rejection; a negated one ("tidak akan
# menghadiri") keeps its own code with negated=true unless its pattern names a code for the negation.
_DEFAULT_REFUSAL = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}
_APPEAL_ROOTS = frozenset({"02", "10"})  # their target may follow "agar"/"untuk" ("mendesak agar X ...")
_ADVERB_TAGS = ("ADV", "RB", "MD", "JJ", "NEG")  # words between a subject and its predicate ("juga", "tidak")
_PURPOSE = ("agar", "supaya")  # "mendesak agar X ...", "desakan dari Y supaya X ...": X is urged


@dataclass(frozen=True)
class Pattern:
    """One row of patterns.tsv."""

    rule: str
    words: tuple[str, ...]
    form: str
    complements: tuple[tuple[str, ...], ...]
    cameo: str
    from_role: str
    joint: bool
    target_optional: bool
    negated_code: str
    intent_code: str
    preps: frozenset[str]
    frame: str

    @property
    def specificity(self) -> int:
        return len(self.words) * 10 + max((len(c) for c in self.complements), default=0)


@dataclass(frozen=True)
class Code:
    """One CAMEO code of the ontology."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None


@dataclass
class _Match:
    index: int  # trigger token
    last: int  # last token of trigger and complement
    pattern: Pattern
    consumed: frozenset[int]
    nested: bool = False  # a noun inside another trigger's object: only its own possessor acts


@dataclass
class _Group:
    """Coordinated mentions that fill one argument slot, with the preposition governing them. No mentions:
    the slot is held by an actor the entities stage did not code ("kelompok yang menyerang X")."""

    mentions: list[Mention]
    first: int  # first token
    last: int  # last token
    prep: str


# ------------------------------------------------------------------------------------------- lexicons


@functools.cache
def ontology() -> dict[str, Code]:
    """Return the CAMEO codes of ``cameo/codes.tsv`` by code."""
    return {
        row["code"]: Code(
            row["code"], row["name"], float(row["goldstein"]), int(row["quad_class"]), row["plover"] or None
        )
        for row in read_tsv("cameo/codes.tsv")
    }


@functools.cache
def patterns() -> dict[str, tuple[Pattern, ...]]:
    """Return the patterns indexed by the first word of their trigger, most specific first."""
    index: dict[str, list[Pattern]] = {}
    for number, row in enumerate(read_tsv("events/patterns.tsv"), start=1):
        words = tuple(row["trigger"].split())
        complements = tuple(tuple(c.split()) for c in row["complement"].split("|") if c)
        label = row["trigger"].replace(" ", "_") + (f"+{complements[0][0]}" if complements else "")
        pattern = Pattern(
            rule=f"patterns.tsv:{number} {label}",
            words=words,
            form=row["form"] or "any",
            complements=complements,
            cameo=row["cameo"],
            from_role=row["from"],
            joint=row["joint"] == "y",
            target_optional=row["target"] == "optional",
            negated_code=row["negated"],
            intent_code=row["intent"],
            preps=frozenset(p for p in row["preps"].split("|") if p),
            frame=row["frame"],
        )
        index.setdefault(words[0], []).append(pattern)
    return {k: tuple(sorted(v, key=lambda p: -p.specificity)) for k, v in index.items()}


@functools.cache
def cues() -> dict[str, frozenset[str] | tuple[str, ...]]:
    """Return the cue words of ``modality.tsv`` by kind."""
    kinds: dict[str, set[str]] = {}
    for row in read_tsv("events/modality.tsv"):
        kinds.setdefault(row["kind"], set()).add(row["cue"])
    found = {k: frozenset(v) for k, v in kinds.items()}
    return found | {"false_friend": tuple(sorted(kinds.get("false_friend", ())))}  # for str.startswith


@functools.cache
def context_cues() -> dict[str, frozenset[str]]:
    """Return the words of ``context.tsv`` (actors found from the article around them) by kind, and under
    "first_words" the first word of every pair or person cue."""
    kinds: dict[str, set[str]] = {}
    for row in read_tsv("events/context.tsv"):
        kinds.setdefault(row["kind"], set()).add(row["cue"])
    words = kinds.get("pair", set()) | kinds.get("person", set())
    kinds["first_words"] = {cue.split()[0] for cue in words}
    return {k: frozenset(v) for k, v in kinds.items()}


# -------------------------------------------------------------------------------------------- matching


def _word_matches(lemma: str, surface: str, word: str) -> bool:
    """A lexicon word matches a token's lemma, or prefixes its surface form ("pasukan" in "pasukannya")."""
    return lemma == word or surface == word or (len(word) >= 4 and surface.startswith(word))


def _form_ok(token: Token, form: str) -> bool:
    if form == "verb":
        return not token.nominal and (token.voice is not None or token.pos.startswith("VB"))
    if form == "noun":
        return token.nominal or token.pos.startswith("NN") or token.voice is None
    if form == "affixed":
        return token.voice is not None
    if form == "active":  # "X sepakat", not "yang disepakati": a passive relative clause recalls a past act
        return _form_ok(token, "verb") and token.voice != "passive"
    if form == "passive":  # "diamankan polisi" is an arrest; "mengamankan lokasi" only guards a place
        return token.voice == "passive"
    return True


def _find_word(
    lemmas: list[str],
    lower: list[str],
    in_mention: list[int | None],
    start: int,
    window: int,
    word: str,
    stop: str = "",
) -> int | None:
    """The first token matching ``word`` within ``window`` words after ``start`` (a name counts as one word:
    "menetapkan Gubernur X Y sebagai tersangka"), not past a token of lemma ``stop`` (in "meminta X meminta
    maaf" the first *meminta* has no complement: the second one owns it)."""
    steps = 0
    for j in range(start + 1, len(lower)):
        if in_mention[j] is None or in_mention[j] != in_mention[j - 1]:
            steps += 1
            if steps > window:
                return None
        if _word_matches(lemmas[j], lower[j], word):
            return j
        if lemmas[j] == stop:
            return None
    return None


def _sequence(
    lemmas: list[str],
    lower: list[str],
    in_mention: list[int | None],
    start: int,
    alternative: tuple[str, ...],
    stop: str,
) -> tuple[int, ...] | None:
    found: list[int] = []
    at: int | None = start
    for k, word in enumerate(alternative):
        window = _COMPLEMENT_WINDOW if k == 0 else 2
        at = _find_word(lemmas, lower, in_mention, at, window, word, stop if k == 0 else "")
        if at is None:
            return None
        found.append(at)
    return tuple(found)


def _complement(
    tokens: list[Token],
    lemmas: list[str],
    lower: list[str],
    in_mention: list[int | None],
    i: int,
    start: int,
    pattern: Pattern,
) -> tuple[int, ...] | None:
    """Token indexes of the first complement alternative found right after ``start``; () if none needed.

    A passive verb's patient usually comes first ("Perjanjian itu ditandatangani oleh X"), so a passive
    trigger also looks for its complement in the few words before it.
    """
    if not pattern.complements:
        return ()
    for alternative in pattern.complements:
        found = _sequence(lemmas, lower, in_mention, start, alternative, lemmas[i])
        if found is not None:
            return found
    if tokens[i].voice == "passive":
        for alternative in pattern.complements:
            begin = max(-1, i - 1 - _COMPLEMENT_WINDOW)
            found = _sequence(lemmas, lower, in_mention, begin, alternative, lemmas[i])
            if found is not None and found[-1] < i:
                return found
    return None


@functools.lru_cache(maxsize=4096)
def _candidates(lemma: str, surface: str) -> tuple[tuple[Pattern, ...], frozenset[str], tuple[str, ...]]:
    """Patterns whose trigger starts with this token, most specific first, with the first words of their
    complements (as a set, and those long enough to match a prefix) so one pass over the nearby tokens tells
    whether any complement can match at all. Cached per word form."""
    index = patterns()
    by_lemma = index.get(lemma, ())
    by_surface = index.get(surface, ()) if surface != lemma else ()
    if not (by_lemma or by_surface) or surface.startswith(cues()["false_friend"]):
        return (), frozenset(), ()  # "mempertahankan" (keep) is no "menahan" (detain)
    # An exact word form outranks its lemma at equal specificity: "memperingatkan" (warn), "mengingatkan".
    found = (
        by_lemma
        if not by_surface
        else tuple(
            sorted((*by_surface, *(p for p in by_lemma if p not in by_surface)), key=lambda p: -p.specificity)
        )
    )
    heads = frozenset(c[0] for p in found for c in p.complements)
    return found, heads, tuple(h for h in heads if len(h) >= 4)


# How far a complement may sit, in tokens, counting the words of a name: a bound for the quick test.
_NEAR = 12


def _complement_near(
    token: Token,
    lemmas: list[str],
    lower: list[str],
    i: int,
    heads: frozenset[str],
    prefixes: tuple[str, ...],
) -> bool:
    """Whether any complement's first word is near the trigger at ``i`` (set tests over slices)."""
    begin = max(0, i - 1 - _COMPLEMENT_WINDOW) if token.voice == "passive" else i + 1
    words = lower[begin : i + _NEAR]
    return not (heads.isdisjoint(lemmas[begin : i + _NEAR]) and heads.isdisjoint(words)) or (
        bool(prefixes) and any(w.startswith(prefixes) for w in words)
    )


def _match_at(
    tokens: list[Token], lemmas: list[str], lower: list[str], in_mention: list[int | None], i: int
) -> _Match | None:
    candidates, heads, prefixes = _candidates(lemmas[i], lower[i])
    if not candidates:
        return None
    token = tokens[i]
    complement_possible: bool | None = None  # tested once, and only if a pattern with a complement fits
    for pattern in candidates:
        if not _form_ok(token, pattern.form):
            continue
        if pattern.complements:
            if complement_possible is None:
                complement_possible = _complement_near(token, lemmas, lower, i, heads, prefixes)
            if not complement_possible:
                continue
        last = i
        for word in pattern.words[1:]:
            if last + 1 < len(tokens) and _word_matches(lemmas[last + 1], lower[last + 1], word):
                last += 1
            else:
                break
        else:
            complement = _complement(tokens, lemmas, lower, in_mention, i, last, pattern)
            if complement is None:
                continue
            # Words between the trigger and a distant complement ("mengancam akan mengenakan tarif") belong
            # to this event: they start no event of their own.
            end = max((last, *complement))
            between = (j for j in range(last + 1, end) if in_mention[j] is None)
            return _Match(i, end, pattern, frozenset((*range(i + 1, last + 1), *complement, *between)))
    return None


def _find_triggers(
    tokens: list[Token], lemmas: list[str], lower: list[str], in_mention: list[int | None]
) -> list[_Match]:
    """The trigger matches of a sentence, minus those inside another trigger's complement or object."""
    index = patterns()
    matches = [
        m
        for i in range(len(tokens))
        if in_mention[i] is None
        and (lemmas[i] in index or lower[i] in index)
        and (m := _match_at(tokens, lemmas, lower, in_mention, i))
    ]
    consumed = set().union(*(m.consumed for m in matches)) if matches else set()
    preps = _all_preps()
    kept: list[_Match] = []
    for m in matches:
        if m.index in consumed:
            continue
        # A noun right inside another trigger's object ("memblokir konvoi bantuan", "mengecam serangan X
        # terhadap Y") is an event only of its own possessor, never of the sentence's subject; a noun right
        # after a noun trigger modifies it ("tawaran perundingan") and is no event.
        if (
            kept
            and (tokens[m.index].nominal or tokens[m.index].voice is None)
            and 0 < m.index - kept[-1].last <= 3
            and not any(
                tokens[j].text.lower() in preps or tokens[j].pos.startswith("VB")
                for j in range(kept[-1].last + 1, m.index)
            )
        ):
            if m.index == kept[-1].last + 1 and tokens[kept[-1].index].voice is None:
                continue
            m.nested = True
        kept.append(m)
    return kept


@functools.cache
def _all_preps() -> frozenset[str]:
    c = cues()
    return c["target_prep"] | c["agent_prep"] | c["source_prep"] | c["other_prep"]


# ------------------------------------------------------------------------------------------- arguments


class _Clause:
    """The tokens and coded mentions of one sentence, with the lookups argument rules need."""

    def __init__(self, sentence: Sentence, mentions: list[Mention], lemmas: list[str], lower: list[str]):
        self.tokens = sentence.tokens
        self.lemmas = lemmas
        self.lower = lower
        self.in_mention: list[int | None] = [None] * len(self.tokens)
        self.mentions: list[Mention] = []
        self.spans: list[tuple[int, int]] = []
        starts = [t.start for t in self.tokens]
        ends = [t.end for t in self.tokens]
        # Longest mention first, so "Presiden Rusia Vladimir Putin" wins over "Rusia" inside it.
        for mention in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
            # The tokens overlapping the mention: from the first ending after its start to the last
            # starting before its end (token offsets are sorted).
            first, last = bisect_right(ends, mention.start), bisect_left(starts, mention.end) - 1
            if first > last or any(self.in_mention[j] is not None for j in range(first, last + 1)):
                continue
            for j in range(first, last + 1):
                self.in_mention[j] = len(self.mentions)
            self.mentions.append(mention)
            self.spans.append((first, last))

    def mention_ending_at(self, j: int) -> int | None:
        k = self.in_mention[j] if 0 <= j < len(self.tokens) else None
        return k if k is not None and self.spans[k][1] == j else None

    def governing_prep(self, k: int, floor: int) -> tuple[str, int | None]:
        """The preposition before mention ``k`` (not looking left of ``floor``) and a mention it is joined
        with, if any: ("kepada", None) for "kepada Presiden X"; ("", 3) for "Y dan X" with Y mention 3."""
        c = cues()
        j = self.spans[k][0] - 1
        gap = 0
        while j >= floor and gap <= _PREP_GAP:
            word = self.lower[j]
            if word in c["coordinator"]:
                previous = self.mention_ending_at(j - 1)
                if previous is None and word != "," and self.lower[j - 1 : j] == [","]:
                    previous = self.mention_ending_at(j - 2)
                if previous is not None:
                    return "", previous
                return "", None
            if word in c["apposition"]:  # "yakni X, Y dan Z" lists the trigger's own argument
                return word, None
            if word in _all_preps():
                if word in c["source_prep"]:  # "kepada mitranya dari X": X is the addressee
                    earlier = self.lower[max(floor, j - 2) : j]
                    return next((w for w in earlier if w in c["target_prep"]), word), None
                return word, None
            if self.in_mention[j] is not None or word in c["boundary"] or self.tokens[j].pos.startswith("VB"):
                return "", None
            gap += 1
            j -= 1
        return "", None

    def group_of(self, k: int, floor: int) -> _Group:
        """The coordination group mention ``k`` ends, with the preposition governing its first member."""
        c = cues()
        members = [k]
        prep, previous = self.governing_prep(k, floor)
        # "X, Y, dan Z" coordinates; "menurut X, Y ..." does not: a comma joins only after a word coordinator.
        after = self.lower[self.spans[k][1] + 1 : self.spans[k][1] + 2]
        worded = bool(after) and after[0] in c["coordinator"]
        while previous is not None and previous not in members:
            between = self.lower[self.spans[previous][1] + 1 : self.spans[members[0]][0]]
            if not worded and all(w == "," for w in between):
                break
            worded = True
            members.insert(0, previous)
            prep, previous = self.governing_prep(previous, floor)
        return _Group([self.mentions[m] for m in members], self.spans[members[0]][0], self.spans[k][1], prep)

    def right_groups(
        self,
        start: int,
        stop: int,
        *,
        cross_purpose: bool,
        own: frozenset[int] = frozenset(),
        relative: int | None = None,
    ) -> list[_Group]:
        """Coordination groups after token ``start`` up to ``stop`` or a clause boundary; a verb in ``own``
        (part of the trigger's complement) does not end the search. Past token ``relative`` (a relative
        clause's verb) a group without a preposition is that verb's object and is skipped."""
        c = cues()
        groups: list[_Group] = []
        j = start + 1
        end = min(stop, start + 1 + _RIGHT_WINDOW, len(self.tokens))
        while j < end:
            word = self.lower[j]
            k = self.in_mention[j]
            if k is not None and self.spans[k][0] <= start:  # the trigger's own complement ("personelnya")
                j = self.spans[k][1] + 1
                continue
            if k is not None:
                # Extend over coordinated mentions ("X, Y, dan Z").
                last_k = k
                q = self.spans[k][1] + 1
                while q < len(self.tokens):
                    if self.lower[q] in c["coordinator"]:
                        r = q + 1
                        if r < len(self.tokens) and self.lower[r] in c["coordinator"]:
                            r += 1
                        if r < len(self.tokens) and self.in_mention[r] is not None:
                            last_k = self.in_mention[r]
                            q = self.spans[last_k][1] + 1
                            continue
                    break
                group = self.group_of(last_k, start + 1)
                if group.first > self.spans[k][0] and self._opens_clause(group.last + 1):
                    group = self.group_of(k, start + 1)  # "bertemu X, Y mengunjungi Z": Y starts a clause
                if relative is None or group.first < relative or group.prep:
                    groups.append(group)
                j = group.last + 1
                continue
            if (
                word in c["boundary"]
                and not (cross_purpose and word in _PURPOSE)
                and not (word in c["apposition"] and not groups)
            ):
                break
            predicate = (
                self.tokens[j].pos.startswith("VB") and self.tokens[j].voice and self.lower[j - 1] != "yang"
            )
            if (word == "," and groups) or (predicate and not cross_purpose and j not in own):
                break
            j += 1
        return groups

    def _opens_clause(self, j: int) -> bool:
        """Whether a predicate starts at token ``j`` (after a few adverbs): the name before is its subject."""
        for k in range(j, min(j + 3, len(self.tokens))):
            if self.tokens[k].pos.startswith("VB"):
                return True
            if not self.tokens[k].pos.startswith(_ADVERB_TAGS):
                return False
        return False

    def bare_agent(self, last: int, first: int) -> bool:
        """Whether a mention at ``first`` is a passive verb's agent without "oleh": right after it, or after
        a few title words ("diultimatum Ketua Umum Partai X Budi": the mention may be the name alone)."""
        between = range(last + 1, first)
        return len(between) <= 4 and all(
            self.in_mention[j] is None and self.tokens[j].pos.startswith("NN") for j in between
        )

    def _skip_relative(self, j: int) -> int:
        """The token to resume the subject search at, left of token ``j``: before a relative clause set off
        by commas ("X, yang berupaya ..., menuduh Y": X is the subject, not a name inside the clause)."""
        if j < 1 or self.lower[j] != ",":
            return j
        for k in range(j - 1, max(0, j - 30), -1):
            word = self.lower[k]
            if word in cues()["boundary"]:
                return j
            if word == "," and self.lower[k + 1] == "yang":
                return k - 1
        return j

    def _object_of(self, group: _Group, i: int) -> int | None:
        """The active verb whose object ``group`` is, when only a conjunction (and adverbs) stand between the
        group and the trigger at ``i`` ("X mengecam uji coba Y dan meminta Z"): the trigger shares that verb's
        subject. None where the group may be the trigger's own subject ("X dan Y menandatangani")."""
        c = cues()
        between = range(group.last + 1, i)
        joiners = c["coordinator"] | c["boundary"]
        if not any(self.lower[j] in joiners and self.lower[j].isalpha() for j in between) or any(
            self.tokens[j].pos.startswith(("NN", "VB", "PR")) or self.lower[j] in _all_preps()
            for j in between
        ):  # only "dan", "serta" and adverbs: "X menyebut Y melanggar Z dan meminta" is too far to tell
            return None
        j = group.first - 1
        for _ in range(5):  # a few head nouns between verb and name: "mengecam uji coba Y"
            if j < 0 or self.in_mention[j] is not None or self.lower[j] in _all_preps():
                return None
            if self.tokens[j].pos.startswith("VB"):
                break
            if not self.tokens[j].pos.startswith("NN"):
                return None
            j -= 1
        token = self.tokens[j] if j >= 0 else None
        if token is None or token.voice != "active" or self.lower[j - 1 : j] == ["yang"]:
            return None
        return j

    def fronted_subject(self, i: int) -> _Group | None:
        """The subject of a sentence-initial adverbial clause without one of its own ("Setelah bertemu X, Y
        mengunjungi Z"; "Usai diperiksa X, Y pulang"): the coded subject right after the clause's comma.
        The clause must open with a subordinator (tagged SC, or a clause boundary word) followed only by
        adverbs, auxiliaries or adjectives up to the trigger at ``i``."""
        c = cues()
        if not self.lower or not (self.tokens[0].pos == "SC" or self.lower[0] in c["boundary"]):
            return None
        if any(
            self.in_mention[j] is not None
            or self.tokens[j].pos.startswith(("NN", "PR"))
            or self.lower[j] == ","
            for j in range(1, i)
        ):
            return None  # "Saat polisi tiba, ...": the clause has a subject of its own
        comma = next((j for j in range(i + 1, len(self.tokens)) if self.lower[j] == ","), None)
        if comma is None or any(
            self.lower[j] in c["boundary"] and self.lower[j] not in ("(", ")") for j in range(i + 1, comma)
        ):
            return None
        k = self.in_mention[comma + 1] if comma + 1 < len(self.tokens) else None
        if k is None or self.spans[k][0] != comma + 1:
            return None
        after = self.lower[self.spans[k][1] + 1 : self.spans[k][1] + 2]
        if not after or after[0] in c["coordinator"] or after[0] in c["boundary"]:
            return None  # "Setelah bertemu X, Y, dan Z, ...": a list, not a main clause
        return _Group([self.mentions[k]], *self.spans[k], "")

    def continues(self, i: int) -> bool:
        """Whether the clause of token ``i`` keeps the previous subject: it opens with a conjunction that says
        so ("sehingga"), or a conjunction word followed by the predicate with no subject of its own ("X tidak
        mendorong Y, tetapi malah mendukung Z"; "X pulang setelah bertemu Y")."""
        c = cues()
        at = next((j for j in range(i - 1, -1, -1) if self.lower[j] in c["boundary"]), None)
        if at is None:
            return False
        if self.lower[at] in c["continuation"]:
            return True
        return (
            at > 0
            and self.lower[at].isalpha()
            and all(self.tokens[j].pos.startswith(_ADVERB_TAGS) for j in range(at + 1, i))
        )

    def left_subject(
        self, i: int, floor: int = 0, *, cross: bool = False
    ) -> tuple[_Group | None, list[_Group], _Group | None]:
        """(subject, obliques with a target preposition, "oleh" agent) before token ``i`` in its clause;
        obliques left of ``floor`` (another trigger) belong to that trigger. ``cross`` ignores clause ends."""
        c = cues()
        obliques: list[_Group] = []
        agent = None
        j = self._skip_relative(i - 1)
        while j >= 0:
            word = self.lower[j]
            if word == ")" and "(" in self.lower[max(0, j - 6) : j]:
                # "Komisi Pemberantasan Korupsi (KPK) yakin ...": an acronym in brackets ends no clause.
                j = max(k for k in range(max(0, j - 6), j) if self.lower[k] == "(") - 1
                continue
            if not cross and word in c["boundary"]:
                break
            if word == "yang" and not obliques and agent is None:
                # "X yang menyerang ...": the relative clause's head is its subject, whatever governs it
                # ("dari warga yang berunjuk rasa").
                head = j - 1 if self.lower[j - 1 : j] != [","] else j - 2
                k = self.mention_ending_at(head)
                if k is not None:  # the head alone: a comma before it may set off an apposition, not a list
                    return _Group([self.mentions[k]], *self.spans[k], ""), obliques, agent
                if (
                    head >= 0
                    and self.in_mention[head] is None
                    and self.tokens[head].pos.startswith("NN")
                    and self.tokens[head].text.islower()
                ):  # "kelompok yang menyerang X": an uncoded head acts, and no one else may stand in for it
                    return _Group([], head, head, ""), obliques, agent
            k = self.in_mention[j]
            if (
                k is None
                and word in _personal_pronouns()
                and word not in context_cues().get("person", ())
                and not obliques
                and agent is None
            ):  # "..., kami akan menelusuri": the pronoun is the subject, not a name before it ("X ..., maka
                break  # dia meminta" still looks back: dia is most often X)
            if k is not None:
                group = self.group_of(k, 0)
                if group.prep == "":
                    verb = self._object_of(group, i)
                    if verb is not None:  # "X mengecam Y dan meminta Z": Y is the first verb's object
                        return self.left_subject(verb, floor, cross=cross)[0], obliques, agent
                    return group, obliques, agent
                if group.prep in c["agent_prep"] and agent is None:
                    agent = group
                elif group.prep in c["target_prep"] and group.first > floor:
                    obliques.append(group)
                j = group.first - 1
                continue
            j -= 1
        return None, obliques, agent


def _country(mention: Mention) -> str:
    return (mention.code or "")[:3]


def _pair_before(coded: dict[int, list[Mention]], sentence: int, offset: int) -> list[Mention] | None:
    """The two parties of "kedua negara": the nearest sentence back (this one up to ``offset`` included) that
    names exactly two countries; None where that sentence names more (ambiguous) or none is near."""
    for index in range(sentence, max(-1, sentence - 3), -1):
        first: dict[str, Mention] = {}
        for mention in coded.get(index, []):
            if index < sentence or mention.end <= offset:
                first.setdefault(_country(mention), mention)
        if len(first) == 2:
            return list(first.values())
        if len(first) > 2:
            return None
    return None


def _person_before(coded: dict[int, list[Mention]], sentence: int) -> Mention | None:
    """The antecedent of a subject "ia"/"dia": the one person of the nearest earlier sentence with people."""
    for index in range(sentence - 1, max(-1, sentence - 3), -1):
        people = [m for m in coded.get(index, []) if m.type == "PER"]
        if people:
            identities = {m.entity if m.entity is not None else m.code for m in people}
            return people[-1] if len(identities) == 1 else None
    return None


def _topic_person(article: Article, coded: dict[int, list[Mention]], sentence: int) -> Mention | None:
    """The person a subject "ia"/"dia" takes up where the sentence before names several: the speaker of its
    direct quote ("“...,” kata X. Ia menambahkan ..."), else its subject, a person named before any verb and
    governed by no preposition ("X menyerahkan bantuan kepada Y. Dia juga ...")."""
    index = sentence - 1
    if index < 0 or index >= len(article.sentences):
        return None
    people = [m for m in coded.get(index, []) if m.type == "PER"]
    speakers = [q for q in article.quotes if q.sentence == index and q.direct and q.speaker_code]
    if speakers:
        quote = speakers[-1]
        return next((m for m in people if m.text == quote.speaker and m.start >= quote.end), None)
    tokens = article.sentences[index].tokens
    first = min(people, key=lambda m: m.start, default=None)
    if first is None:
        return None
    before = [t for t in tokens if t.end <= first.start]
    if any(t.pos.startswith("VB") for t in before) or (before and before[-1].text.lower() in _all_preps()):
        return None
    return first


def _context_mentions(
    sentence: Sentence,
    lower: list[str],
    coded: dict[int, list[Mention]],
    article: Article | None = None,
) -> tuple[list[Mention], dict[int, Mention]]:
    """Mentions for words whose actor the article gives around them: "kedua negara" (with its second party in
    the returned dict, by id of the first) and a subject pronoun. Conservative: only unambiguous ones."""
    cues_ = context_cues()
    pair_cues, person_cues = cues_.get("pair", frozenset()), cues_.get("person", frozenset())
    found: list[Mention] = []
    partners: dict[int, Mention] = {}
    tokens = sentence.tokens
    if cues_["first_words"].isdisjoint(lower):
        return found, partners
    starts = cues()["boundary"] | cues()["coordinator"] | cues()["continuation"]
    for n, token in enumerate(tokens):
        word = lower[n]
        if word not in cues_["first_words"]:
            continue
        two = f"{word} {tokens[n + 1].text.lower()}" if n + 1 < len(tokens) else ""
        if two in pair_cues or word in pair_cues:
            end = tokens[n + 1].end if two in pair_cues else token.end
            pair = _pair_before(coded, sentence.index, token.start)
            if pair:
                a, b = pair
                mention = Mention(
                    a.text, token.start, end, sentence.index, a.type, a.code, a.entity, rule="pair"
                )
                partners[id(mention)] = b
                found.append(mention)
        elif word in person_cues and (n == 0 or tokens[n - 1].text.lower() in starts):
            person = _person_before(coded, sentence.index)
            if (
                person is None
                and article is not None
                and coded.get(sentence.index - 1)
                and not any(m.start < token.start for m in coded.get(sentence.index, []))
            ):  # "X mengakui bahwa dia ...": dia may be X; the sentence before is no guide
                person = _topic_person(article, coded, sentence.index)
            if person is not None:
                found.append(
                    Mention(
                        person.text,
                        token.start,
                        token.end,
                        sentence.index,
                        "PER",
                        person.code,
                        person.entity,
                        rule="pronoun",
                    )
                )
    return found, partners


def _implied_target(coded: dict[int, list[Mention]], sentence: int, actor: Mention) -> Mention | None:
    """The one foreign country the article names before this sentence, as the target of an action that
    names none ("Banjir melanda X. Y mengirim bantuan."); None where there are several."""
    counterparts: dict[str, Mention] = {}
    for index in range(sentence):
        for mention in coded.get(index, []):
            if _country(mention) != _country(actor) and not _country(mention).startswith("IG"):
                counterparts[_country(mention)] = mention
    return next(iter(counterparts.values())) if len(counterparts) == 1 else None


def _clitic_person(clause: _Clause, i: int, coded: dict[int, list[Mention]], sentence: int) -> _Group | None:
    """The person a passive verb's "-nya" stands for ("Negara yang dikunjunginya ..."): the last person named
    before it in the sentence, else the one person of the sentence before, else that sentence's first person
    (the topic a following clitic usually takes up)."""
    before = [k for k, (_, last) in enumerate(clause.spans) if last < i and clause.mentions[k].type == "PER"]
    if before:
        k = before[-1]
        return _Group([clause.mentions[k]], *clause.spans[k], "")
    person = _person_before(coded, sentence) or next(
        (m for m in coded.get(sentence - 1, []) if m.type == "PER"), None
    )
    if person is None:
        return None
    token = clause.tokens[i]
    mention = Mention(
        person.text, token.start, token.end, sentence, "PER", person.code, person.entity, rule="clitic"
    )
    return _Group([mention], -1, -1, "")


def _clitic_object(
    article: Article, coded: dict[int, list[Mention]] | None, sentence: int, offset: int
) -> _Group | None:
    """The person an active verb's "-nya" stands for ("polisi menangkapnya"): the last person named in the
    two sentences before, or the speaker of a quote there if named later ("...," urainya)."""
    if coded is None:
        return None
    people = [m for index in (sentence - 2, sentence - 1) for m in coded.get(index, []) if m.type == "PER"]
    best = max(people, key=lambda m: m.end, default=None)
    best_end = best.end if best is not None else -1
    begin = article.sentences[max(0, sentence - 2)].start
    for quote in article.quotes:
        if quote.speaker_code and max(begin, best_end) < quote.end <= offset:
            best = Mention(
                quote.speaker or "", quote.start, quote.start, quote.sentence, "PER", quote.speaker_code
            )
            best_end = quote.end
    if best is None:
        return None
    mention = Mention(best.text, offset, offset, sentence, "PER", best.code, best.entity, rule="clitic")
    return _Group([mention], -1, -1, "")


def _speaker_group(quote: Quote | None) -> _Group | None:
    """The speaker of the quote an event sits in, as an argument group."""
    if quote is None or quote.speaker_code is None:
        return None
    mention = Mention(quote.speaker or "", quote.start, quote.start, quote.sentence, "", quote.speaker_code)
    return _Group([mention], -1, -1, "")


def _light_verb_speaker(
    clause: _Clause, match: _Match, speaker: _Group | None, direct: bool
) -> _Group | None:
    """A quote's speaker as the actor of a noun that a light verb governs inside the quote when the verb's
    subject is the speaker's side ("“Kami siap memberikan bantuan ...,” kata X"); a bare noun ("“Serangan itu
    brutal,” kata X") or a noun subject ("“Skema itu memberi bantuan”") is no act of the speaker."""
    j = match.index - 1
    if speaker is None or j < 0 or match.nested:
        return None
    token = clause.tokens[j]
    if token.voice != "active" or not token.pos.startswith("VB"):
        return None
    return speaker if _speaker_side(clause, j, speaker, direct) else None


def _speaker_side(clause: _Clause, i: int, speaker: _Group, direct: bool) -> bool:
    """Whether the subject of the predicate at token ``i``, inside a quote, is its speaker or the speaker's
    organisation: a first-person pronoun ("kami akan ..."), a noun with "-nya" ("pihaknya", "timnya"), or
    no subject at all where the quote or sentence starts. In reported speech a third-person pronoun is the
    speaker too ("X mengatakan mereka akan ..."); in a direct quote it is someone else."""
    c = cues()
    opening = speaker.mentions[0].start  # a quote's speaker group sits at the quote's start
    for k in range(i - 1, max(-1, i - 6), -1):
        token, word = clause.tokens[k], clause.lower[k]
        if token.end <= opening:
            return True  # "X mengatakan tidak akan ...": the reported clause opens with its predicate
        if word == "untuk" or (k == i - 1 and token.voice == "active" and clause.tokens[i].voice is None):
            continue  # "kami antusias untuk membantu", "saya mengucapkan terima kasih": look further back
        if word == "nya":  # reported speech: mostly the speaker ("X mengungkapkan kecewanya ..."); a direct
            before = k - 2  # quote: "pihaknya", "timnya" opening the clause, not "kehidupannya" in an object
            return not direct or (
                clause.tokens[k - 1].pos.startswith("NN")
                and clause.in_mention[k - 1] is None
                and (
                    before < 0
                    or clause.tokens[before].end <= opening
                    or clause.lower[before] in c["boundary"]
                    or clause.lower[before] in c["coordinator"]
                )
            )
        if word in _personal_pronouns():
            return not (direct and _third_person(word))
        if word in c["boundary"] or word in c["coordinator"]:
            if k == 0 or clause.tokens[k - 1].end <= opening:
                return True  # "“Untuk ..." opens the quote with the predicate
            # A clause joined to an earlier one ("kita akan ... saat memanggil X") keeps its pronoun subject;
            # a relative clause's or a name's ("kejadian yang ... tetapi menjadi rusuh") is no speaker's.
            for j in range(k - 1, -1, -1):
                if (
                    clause.tokens[j].end <= opening
                    or clause.lower[j] == "yang"
                    or clause.in_mention[j] is not None
                ):
                    return False
                if clause.lower[j] in _personal_pronouns():
                    return not (direct and _third_person(clause.lower[j]))
            return False
        if not (token.pos.startswith(_ADVERB_TAGS) or (token.pos.startswith("VB") and not token.voice)):
            return False  # a noun subject ("skema itu"), or another predicate ("siap", "ingin": auxiliaries)
    return i < 5  # the sentence opens with the predicate


@functools.cache
def _personal_pronouns() -> frozenset[str]:
    """Personal pronouns ("kami", "mereka"; not "ini", which the tagger also calls a pronoun)."""
    return frozenset(row["word"] for row in read_tsv("actors/words.tsv") if row["kind"] == "pronoun")


def _third_person(word: str) -> bool:
    """Whether a pronoun names someone other than the speaker: the kinds person ("dia"), speaker ("-nya") and
    group ("mereka", where ``context.tsv`` lists it) of ``context.tsv``."""
    kinds = context_cues()
    return any(word in kinds.get(kind, ()) for kind in ("person", "speaker", "group"))


def _arguments(
    clause: _Clause,
    match: _Match,
    previous: int,
    stop: int,
    speaker: _Group | None,
    clitic: _Group | None = None,
    relative: int | None = None,
    direct: bool = False,
) -> tuple[_Group | None, _Group | None]:
    """(actor1, actor2) groups for one trigger, by its frame, voice and the prepositions around it.
    ``clitic`` is the person a passive verb's "-nya" names as its agent ("dikunjunginya"); past token
    ``relative`` (a trigger in a relative clause) only prepositional arguments are the trigger's; ``direct``
    says whether ``speaker`` speaks in a direct quote (where "mereka" is not the speaker)."""
    c = cues()
    pattern, token = match.pattern, clause.tokens[match.index]
    root = pattern.cameo[:2]
    subject, obliques, left_agent = clause.left_subject(match.index, previous)
    # Objects may sit between the trigger and a distant complement ("menuntut agar X keluar").
    trigger_end = match.index + len(pattern.words) - 1
    # A group the complement heads ("menarik personel militernya") is no argument unless a name follows
    # the complement word ("mengakui negara Palestina", "mengusir diplomat Estonia").
    right = [
        g
        for g in clause.right_groups(
            trigger_end, stop, cross_purpose=root in _APPEAL_ROOTS, own=match.consumed, relative=relative
        )
        if g.first not in match.consumed
        or any(j not in match.consumed and clause.tokens[j].pos == "NNP" for j in range(g.first, g.last + 1))
    ]
    if pattern.frame == "venue":  # "berunjuk rasa di gedung DPR" targets it; "di Jakarta" is only a place
        right = [g for g in right if g.prep != "di" or g.mentions[0].type not in ("GPE", "LOC")]
    targets = c["target_prep"] | pattern.preps | c["apposition"]
    is_noun = token.nominal or (
        token.voice is None and pattern.form != "verb" and not token.pos.startswith("VB")
    )

    if pattern.frame == "speaker":
        possessor = next((g for g in right if g.prep in ("", "dari") and g.first - match.last <= 2), None)
        if not (speaker or left_agent or subject):  # "X menekankan bahwa agresi Y ...": X speaks
            subject = clause.left_subject(match.index, cross=True)[0]
        return speaker or left_agent or subject, possessor
    if is_noun:
        possessor = next(
            (
                g
                for g in right
                if (g.first == match.last + 1 or (g.prep == "" and g.first - match.last <= 3))
                and clause.lower[g.first - 1] not in _PURPOSE  # "imbauan agar X ...": X is urged
            ),
            None,
        )
        agent = next((g for g in right if g.prep in c["agent_prep"]), None)  # "serangan ... oleh X"
        if pattern.frame == "patient" and token.nominal:
            # "penangkapan X", "pemeriksaan terhadap X": the noun's possessor or oblique undergoes it; with
            # both ("pemeriksaan KPK terhadap X") the possessor acts. The light verb's subject acts else.
            oblique = next((g for g in right if g.prep in targets and g is not possessor), None)
            if oblique is not None and agent is None:
                agent = possessor
            if match.nested:
                return agent, oblique or possessor
            actor = agent or subject or _light_verb_speaker(clause, match, speaker, direct)
            return actor, oblique or possessor
        # "impor dari X", "permintaan bantuan dari X": X is the addressee where the pattern says so.
        from_target = pattern.from_role == "actor2"
        source = (
            possessor
            or (None if from_target else next((g for g in right if g.prep in c["source_prep"]), None))
            or agent
        )
        target = next((g for g in right if g.prep in targets and g is not source), None)
        if from_target:
            origin = next((g for g in right if g.prep in c["source_prep"]), None)
            source, target = (source or origin, target) if target is not None else (source, origin)
        between = next((g for g in right if g.prep == "antara" and len(g.mentions) > 1), None)
        if pattern.joint and source is None and between is not None:  # "pertemuan antara X dan Y"
            return between, None
        if match.nested:
            return source, target
        window = [clause.lower[j] for j in range(max(0, match.index - 4), match.index)]
        if any(w in c["receive"] for w in window):
            return source, target or subject
        # An oblique before the noun ("mengirim surat kepada X, berisi permohonan ...") is its addressee only
        # when no earlier trigger in the sentence can claim it.
        if target is None and obliques and previous < 0:
            target = obliques[0]
        if target is None and root in _APPEAL_ROOTS:  # "desakan dari X agar Y ...": Y is urged
            target = next(
                (g for g in right if clause.lower[g.first - 1] in _PURPOSE and g is not source), None
            )
        return source or subject or _light_verb_speaker(clause, match, speaker, direct), target
    if token.voice == "passive":
        agent = (
            next(
                (
                    g
                    for g in right
                    if g.prep in c["agent_prep"] or (g.prep == "" and clause.bare_agent(match.last, g.first))
                ),
                None,
            )
            or left_agent
            or clitic
        )
        target = (
            subject
            or clause.fronted_subject(match.index)  # "Usai diperiksa X, Y ...": Y underwent it
            or next((g for g in right if g is not agent and g.prep in targets), None)
        )
        return agent, target
    if subject is None and clause.continues(match.index):  # "X berang sehingga mendesak ...": X goes on
        subject = clause.left_subject(match.index, cross=True)[0]
    if subject is None:  # "Setelah bertemu X, Y ...": the main clause's subject
        subject = clause.fronted_subject(match.index)
    if subject is None and speaker is not None and _speaker_side(clause, match.index, speaker, direct):
        subject = speaker  # "“Kami berhubungan dengan ...”", "X mengatakan pihaknya akan ...": the speaker
    allowed = targets | {""} | (c["source_prep"] if pattern.from_role == "actor2" else frozenset())
    target = next((g for g in right if g.prep in allowed), None)
    if target is None and obliques and previous < 0:  # else the oblique is the earlier trigger's
        target = obliques[0]
    return subject, target


# -------------------------------------------------------------------------------------------- modality


def _modality(clause: _Clause, i: int) -> tuple[bool, bool, bool, bool, bool]:
    """(hypothetical, negated, intended, refused, reported) for the trigger at token ``i``."""
    c = cues()
    words = clause.lower
    before: list[str] = []
    for j in range(i - 1, -1, -1):
        if words[j] in c["boundary"] or words[j] == ",":
            break
        before.append(words[j])
    hypothetical = any(w in c["hypothetical"] for w in before)
    negated = any(w in c["negation"] for w in before[:_NEG_WINDOW])
    intended = any(w in c["intent"] for w in before[:_INTENT_WINDOW])
    refused = any(w in c["refusal"] for w in before[:2]) or (
        before[:1] == ["untuk"] and before[1:2] and before[1] in c["refusal"]
    )
    reported = any(w in c["reported"] for w in words[:i])
    return hypothetical, negated, intended, bool(refused), reported


def _code(pattern: Pattern, negated: bool, intended: bool, refused: bool) -> tuple[str, bool, str]:
    """(cameo, still negated, note) after negation, refusal and intention recode the pattern's code."""
    cameo, root = pattern.cameo, pattern.cameo[:2]
    if negated and pattern.negated_code:
        return pattern.negated_code, False, " negated->" + pattern.negated_code
    if not cameo:
        return "", False, ""
    if refused and root in _DEFAULT_REFUSAL:
        code = pattern.negated_code or _DEFAULT_REFUSAL[root]
        return code, False, f" refused {cameo}->{code}"
    if refused:  # "menolak untuk menangkap X": refusing any other action rejects what was asked
        return "120", False, f" refused {cameo}->120"
    if negated:
        return cameo, True, ""
    if intended and (pattern.intent_code or root in _DEFAULT_INTENT):
        code = pattern.intent_code or _DEFAULT_INTENT[root]
        return code, False, f" intended {cameo}->{code}"
    return cameo, False, ""


# ---------------------------------------------------------------------------------------------- events


def _actor(mention: Mention | None) -> Actor | None:
    return None if mention is None else Actor(mention.text, mention.code, mention.entity)


def _same(a: Mention, b: Mention) -> bool:
    """Whether b is no other party than a: the same entity, or the same code unless both are people the
    entities stage tells apart (two politicians coded only by their country are still two parties)."""
    if a.entity is not None and a.entity == b.entity:
        return True
    if a.code != b.code:
        return False
    return not (a.type == b.type == "PER" and a.entity is not None and b.entity is not None)


def _pairs(
    actor1: _Group | None, actor2: _Group | None, joint: bool, partners: dict[int, Mention]
) -> Iterable[tuple[Mention | None, Mention | None]]:
    """One (actor1, actor2) per coordinated member; a joint action's coordinated subject pairs up. A "kedua
    negara" mention stands for its two parties."""

    def expand(group: _Group | None) -> list[Mention]:
        members = group.mentions if group else []
        return [x for m in members for x in (m, partners.get(id(m))) if x is not None]

    ones, twos = expand(actor1), expand(actor2)
    if joint and not twos and len(ones) > 1:
        first = ones[0]
        for other in ones[1:]:
            # "X dan organisasi X lainnya" acting together is one side, not a dyad.
            if (first.code or "")[:3] != (other.code or "")[:3]:
                yield first, other
        return
    for a in ones or [None]:
        for b in twos or [None]:
            yield a, b


def _speaker_inside(article: Article, sentence: Sentence) -> bool:
    """Whether a quote with a coded speaker overlaps the sentence (its speaker may be an event's actor)."""
    return any(q.speaker_code and q.start < sentence.end and q.end > sentence.start for q in article.quotes)


def _quote_at(article: Article, offset: int) -> Quote | None:
    return next((q for q in article.quotes if q.start <= offset < q.end), None)


def _event_date(article: Article, sentence: int, start: int, end: int) -> tuple[str | None, str]:
    try:
        from .time import event_date
    except ImportError:  # the time stage is optional for the coder
        return article.published, "publication" if article.published else "unknown"
    return event_date(article, sentence, start, end)


def _is_force(mention: Mention) -> bool:
    """Whether a military actor is named by its troops, ships or aircraft ("Pasukan Amerika Serikat")."""
    first = mention.text.split(maxsplit=1)[0].lower() if mention.text else ""
    return (mention.code or "").endswith("MIL") and first in context_cues().get("force", ())


def _title_case(sentence: Sentence) -> bool:
    """A Title Case line ("Putin dan Xi Minta Bantuan Hadapi AS"): a headline, not coded. The POS tagger
    misses its verbs and the body restates its event in a full sentence, where arguments are reliable; a
    headline in sentence case is coded like any sentence."""
    words = 0
    for token in sentence.tokens:
        if len(token.text) > 3 and token.text.isalpha():
            if not token.text[0].isupper():
                return False
            words += 1
    return words >= 3


def code_sentence(
    article: Article,
    sentence: Sentence,
    mentions: list[Mention],
    coded: dict[int, list[Mention]] | None = None,
) -> list[Event]:
    """Return the events of one sentence, before per-article merging. ``coded`` holds the article's coded
    mentions by sentence, for actors the context gives ("kedua negara", "ia")."""
    if not sentence.tokens or sentence.text.rstrip().endswith("?"):
        return []
    # Most sentences start no pattern: two set tests (lemmas, word forms) rule them out.
    triggers = patterns().keys()
    lemmas = [t.lemma for t in sentence.tokens]
    lower = [t.text.lower() for t in sentence.tokens]
    if (triggers.isdisjoint(lemmas) and triggers.isdisjoint(lower)) or _title_case(sentence):
        return []
    own = [m for m in mentions if m.code]
    context, partners = _context_mentions(sentence, lower, coded, article) if coded is not None else ([], {})
    if not (own or context or "nya" in lower or _speaker_inside(article, sentence)):
        return []  # no actor can be found: no coded mention, pronoun, clitic or quoted speaker
    clause = _Clause(sentence, own + context, lemmas, lower)
    matches = _find_triggers(clause.tokens, lemmas, lower, clause.in_mention)
    if not matches:
        return []
    events: list[Event] = []
    codes = ontology()
    for n, match in enumerate(matches):
        hypothetical, negated, intended, refused, reported = _modality(clause, match.index)
        if hypothetical:
            continue
        cameo, still_negated, note = _code(match.pattern, negated, intended, refused)
        if not cameo or cameo not in codes:
            continue
        # A noun nested in this trigger's object ("mengecam serangan X terhadap Y") does not end its object;
        # a trigger in a relative clause ("demo sopir yang menolak X di Y") ends only its bare objects.
        later = [m.index for m in matches[n + 1 :] if not m.nested]
        relative = next((i for i in later if "yang" in clause.lower[max(0, i - 2) : i]), None)
        stop = next((i for i in later if i != relative), len(clause.tokens))
        if relative is not None and relative > stop:
            relative = None
        previous = matches[n - 1].last if n else -1
        trigger = clause.tokens[match.index]
        quote = _quote_at(article, trigger.start)
        clitic = (
            _clitic_person(clause, match.index, coded, sentence.index)
            if coded is not None
            and trigger.voice == "passive"
            and clause.lower[match.last + 1 : match.last + 2] == ["nya"]
            else None
        )
        actor1, actor2 = _arguments(
            clause,
            match,
            previous,
            stop,
            _speaker_group(quote),
            clitic,
            relative,
            bool(quote and quote.direct),
        )
        if (
            actor2 is None
            and trigger.voice == "active"
            and clause.lower[match.last + 1 : match.last + 2] == ["nya"]
        ):  # "polisi menangkapnya": the object is the person named just before
            actor2 = _clitic_object(article, coded, sentence.index, trigger.start)
        # Declining to comment or denying needs no target, whether the pattern or a negation gives it; a
        # pattern's own 01 code (accord, condolences) names whom it is addressed to, as its column says.
        target_optional = match.pattern.target_optional or (
            cameo != match.pattern.cameo and cameo[:2] == "01"
        )
        # A protest named inside another phrase ("di depan demonstrasi X", "pelarangan demonstrasi") is its
        # background: coded only where it has a target of its own.
        background = (
            match.pattern.frame == "venue"
            and match.index > 0
            and (clause.lower[match.index - 1] in _all_preps() or clause.tokens[match.index - 1].nominal)
        )
        joint = match.pattern.joint or any(
            w in cues()["reciprocal"] for w in clause.lower[max(0, match.index - 2) : match.index]
        )
        for a, b in _pairs(actor1, actor2, joint, partners):
            if a is not None and b is not None and _same(a, b):
                b = None
            if a is None:  # no actor, no event: an event nobody did cannot be scored or queried by dyad
                continue
            if (
                b is None
                and coded is not None
                and cameo[:2] in context_cues().get("implied_root", ())
                and not clause.right_groups(match.last, stop, cross_purpose=False)
                and not _names_target(clause, match.last, stop)
            ):
                b = _implied_target(coded, sentence.index, a)
            if b is None and (background or not target_optional):
                continue
            # "Pasukan X tiba di Y": a deployment, not a visit.
            pair_cameo, pair_note = (
                ("154", note + " forces->154") if cameo == "042" and _is_force(a) else (cameo, note)
            )
            spans = [(m.start, m.end) for m in (a, b) if m is not None and m.end > m.start]
            start = min([trigger.start, *(s for s, _ in spans)])
            end = max([clause.tokens[match.last].end, *(e for _, e in spans)])
            start, end = max(start, sentence.start), min(end, sentence.end)
            date, precision = _event_date(article, sentence.index, start, end)
            code = codes[pair_cameo]
            modality = (
                "negated"
                if still_negated
                else "intended"
                if intended and not negated
                else "reported"
                if reported
                else "asserted"
            )
            events.append(
                Event(
                    actor1=_actor(a),
                    actor2=_actor(b),
                    cameo=pair_cameo,
                    root=pair_cameo[:2],
                    plover=code.plover,
                    goldstein=code.goldstein,
                    quad_class=code.quad_class,
                    date=date,
                    date_precision=precision,
                    modality=modality,
                    negated=still_negated,
                    evidence=Evidence(sentence.index, start, end, article.text[start:end]),
                    rule=match.pattern.rule + pair_note,
                    attribution=quote.speaker if quote else None,
                )
            )
    return events


def _names_target(clause: _Clause, start: int, stop: int) -> bool:
    """Whether a target preposition follows the trigger in its clause ("ke korban banjir"): the text names a
    recipient, coded or not, so none is implied."""
    c = cues()
    for j in range(start + 1, min(stop, len(clause.tokens))):
        if clause.lower[j] in c["boundary"]:
            return False
        if clause.lower[j] in c["target_prep"]:
            return True
    return False


def _merge(events: list[Event]) -> list[Event]:
    """One event per (actor1 code, CAMEO code, actor2 code, negated): repeats count in ``mentions``.

    The full code, not the root, tells happenings apart: signing a treaty (057) and voicing support (052)
    between the same pair are two events.
    """
    merged: dict[tuple, Event] = {}
    for event in events:
        key = (
            event.actor1.code if event.actor1 else None,
            event.cameo,
            event.actor2.code if event.actor2 else None,
            event.negated,
        )
        if key in merged:
            merged[key].mentions += 1
        else:
            merged[key] = event
    return list(merged.values())


@stage(
    "events",
    requires=["article.sentences", "article.mentions", "article.timexes", "article.quotes"],
    assigns=["article.events"],
)
def events(article: Article) -> Article:
    """Fill ``article.events`` with the coded events of every sentence, repeats merged."""
    by_sentence: dict[int, list[Mention]] = {}
    for mention in article.mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    coded = {k: [m for m in v if m.code] for k, v in by_sentence.items()}
    found: list[Event] = []
    for sentence in article.sentences:
        found += code_sentence(article, sentence, by_sentence.get(sentence.index, []), coded)
    article.events = _merge(found)
    return article
