"""A header read by what its words mean: split into words (Latin word by word, Chinese by the
longest word of the lexicon, multipliers such as ``1.5x`` / ``150%`` / ``1.5倍`` / ``x2``, units in
brackets, both halves of a bilingual label) and each word mapped to a concept (concepts.yaml).
Which concepts make which field is declared in fields.yaml (``compose:``); headers.py asks this
module only when no phrase of the lexicon names the header word for word.

Words no concept knows are ignored — never guessed into their nearest neighbour. A misspelt
word may be corrected into the word it is (one or two letters off a word of the lexicon, as OCR
misreads them), never into a word of another concept class.

The matching is spaCy's: a blank multi-language tokenizer and a PhraseMatcher over the lexicon
(Chinese characters are tokens of their own, so a Chinese word is a run of tokens).
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import spacy
from rapidfuzz import fuzz, process
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from extractors.fields import LANGUAGES, fold_chinese
from preaudit.core.yamlio import load as load_yaml_text

_CJK_CHAR = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
#: 1.5x, x1.5, ×2, 150%, 1.5倍, 2.0 (alone, after an OT word): a premium multiplier
_MULTIPLIER = re.compile(r"(?:(?<![\d.])(\d(?:\.\d{1,2})?)\s*(?:x|×|倍|times)(?![a-z])|(?:x|×)\s*(\d(?:\.\d{1,2})?)(?![\d.])"
                         r"|(?<![\d.])([1-4][0-9]{2})\s*%)", re.I)
_BARE_MULTIPLIER = re.compile(r"(?<![\d.])([1-3]\.[05]0?)(?![\d.%])")
_SEPARATORS = re.compile(r"[_/\\|()\[\]{}（）【】:：,，;；、.·]+")
#: spaCy's vocabulary is shared and grows as texts are tokenised; documents are read in threads
#: (Prefect's task runner), so a text is tokenised and matched under this lock
SPACY_LOCK = threading.RLock()
READINGS_KEPT = 20_000  # header texts whose reading a reader keeps
_DECIMAL = re.compile(r"(\d)\.(\d)")
DAY_TYPES = ("weekday", "restday", "holiday")


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, frozenset[str]]          # folded word → its concepts
    classes: dict[str, str]                   # concept → its class (day_type, measure, side)
    function_words: frozenset[str] = frozenset()  # "of", "的", "của": read past, never counted

    def phrases_holding(self, texts: Iterable[str]) -> frozenset[str]:
        """The lexicon's phrases (more than one word; a Chinese word of three characters or more)
        that are one of the texts or contain one: what the leave-one-out test takes out with a
        header, so that it is read by its words alone. Single words stay: they are the vocabulary."""
        gone = [fold(t) for t in texts]
        return frozenset(w for w in self.words if _is_phrase(w) and any(g and g in w for g in gone))


def _folded_case(text: str) -> str:
    return fold_chinese(_CAMEL.sub(" ", unicodedata.normalize("NFKC", text)).lower())


def _spaced(text: str) -> str:
    text = _DECIMAL.sub(r"\1<pt>\2", text)  # 1.5 keeps its point; "Emp.No." loses its dots
    text = _SEPARATORS.sub(" ", text).replace("-", " ").replace("<pt>", ".")
    return " ".join(_CJK_CHAR.sub(r" \1 ", text).split())


def fold(text: str) -> str:
    """Width, case and Traditional Chinese folded; separators to spaces; Chinese spaced out."""
    return _spaced(_folded_case(text))


def parse_lexicon(text: str) -> Lexicon:
    raw = load_yaml_text(text)
    classes = {c: cls for cls, members in (raw.get("classes") or {}).items() for c in members}
    words: dict[str, set[str]] = {}
    for concept, by_language in (raw.get("concepts") or {}).items():
        if set(by_language) - set(LANGUAGES):
            raise ValueError(f"concepts.yaml {concept}: words are given by language ({', '.join(LANGUAGES)})")
        for language in LANGUAGES:
            for word in by_language.get(language) or ():
                words.setdefault(fold(str(word)), set()).add(concept)
    for word, concepts in (raw.get("compounds") or {}).items():
        words[fold(str(word))] = set(concepts)  # a compound says all it means
    known = set(classes) | {c for cs in words.values() for c in cs}
    for word, concepts in words.items():
        for c in concepts:
            if c not in known:
                raise ValueError(f"concepts.yaml: {word!r} names an unknown concept {c!r}")
    return Lexicon({w: frozenset(c) for w, c in words.items()}, classes,
                   frozenset(fold(str(w)) for w in raw.get("function_words") or ()))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return parse_lexicon(Path(__file__).with_name("concepts.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _nlp():
    return spacy.blank("xx")


def _unspaced(text: str) -> str:
    return text.replace(" ", "") if _CJK_CHAR.search(text) else text


def _is_phrase(word: str) -> bool:
    """More than one word: English words apart, a Chinese word of three characters or more
    (a Vietnamese word is often two syllables: "phụ cấp" is one word)."""
    if _CJK_CHAR.search(word):
        return len(word.split()) >= 3
    return len(word.split()) >= (2 if word.isascii() else 3)


_MATCHERS: dict[int, tuple[Lexicon, PhraseMatcher, dict[int, str], list[str]]] = {}


def _matcher_for(lex: Lexicon) -> tuple[PhraseMatcher, dict[int, str], list[str]]:
    """One PhraseMatcher per lexicon, built once (every mapper of a run shares it)."""
    with SPACY_LOCK:
        return _build_matcher(lex)


def _build_matcher(lex: Lexicon) -> tuple[PhraseMatcher, dict[int, str], list[str]]:
    cached = _MATCHERS.get(id(lex))
    if cached is None or cached[0] is not lex:
        nlp = _nlp()
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        ids: dict[int, str] = {}
        for word in lex.words:
            key = f"concept-word:{word}"
            ids[nlp.vocab.strings.add(key)] = word
            matcher.add(key, [nlp.make_doc(word)])
        for word in lex.function_words:  # several tokens ("个 人"): matched like a word, then read past
            if " " in word and word not in lex.words:
                key = f"function-word:{word}"
                ids[nlp.vocab.strings.add(key)] = word
                matcher.add(key, [nlp.make_doc(word)])
        latin = sorted({w for w in lex.words if len(w) >= 4 and w.isascii() and w.isalpha()})
        cached = _MATCHERS[id(lex)] = (lex, matcher, ids, latin)
    return cached[1], cached[2], cached[3]


@dataclass
class Reading:
    """What a header's words say: the concepts, the words that said them, the words left over."""

    concepts: frozenset[str]
    words: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)   # (word, its concepts)
    unknown: list[str] = field(default_factory=list)
    corrected: list[tuple[str, str]] = field(default_factory=list)           # (as written, read as)
    multiplier: float | None = None
    #: why a concept could not be settled (a multiplier the jurisdiction's premiums do not tell)
    doubt: str | None = None

    def of_class(self, cls: str, classes: Mapping[str, str]) -> set[str]:
        return {c for c in self.concepts if classes.get(c) == cls}

    def unknown_words(self) -> float:
        """Words not understood (a Chinese character counts half a word; numbers not at all)."""
        return sum(0.5 if _CJK_CHAR.fullmatch(w) else 0 if w.replace(".", "").isdigit() else 1 for w in self.unknown)

    def describe(self) -> str:
        said = ", ".join(f"{w}→{'+'.join(c)}" for w, c in self.words) or "no known word"
        extra = f"; multiplier {self.multiplier:g}" if self.multiplier else ""
        fixed = "".join(f"; read {a!r} as {b!r}" for a, b in self.corrected)
        left = f"; ignored {', '.join(self.unknown)}" if self.unknown else ""
        return said + extra + fixed + left


class ConceptReader:
    """Reads header texts into concepts with one lexicon (built once; the matcher is spaCy's)."""

    def __init__(self, lex: Lexicon | None = None, premiums: Mapping[str, float] | None = None,
                 skip: Iterable[str] = ()):
        """``skip``: words of the lexicon not to use (the leave-one-out test's)."""
        self.lex = lex or lexicon()
        self.premiums = dict(premiums or {})
        self._skip = frozenset(skip)
        self._matcher, self._ids, latin = _matcher_for(self.lex)
        self._latin = [w for w in latin if w not in self._skip]
        self._readings: dict[str, Reading] = {}

    def day_type_of(self, multiplier: float) -> tuple[str | None, str | None]:
        """The day type a premium multiplier names through the jurisdiction's premiums, and
        the doubt when it names none or several."""
        if not self.premiums:
            return None, f"multiplier {multiplier:g}: no premiums known to tell its day type"
        named = [t for t in DAY_TYPES if abs(self.premiums.get(t, -1) - multiplier) < 1e-6]
        if len(named) == 1:
            return named[0], None
        if len(named) == len([t for t in DAY_TYPES if t in self.premiums]):
            return None, None  # one premium for every day type: the multiplier says nothing of the day
        if not named:
            return None, f"multiplier {multiplier:g} is none of the premiums ({self._premium_text()})"
        return None, f"multiplier {multiplier:g} is the premium of {' and '.join(named)}"

    def _premium_text(self) -> str:
        return ", ".join(f"{t} {v:g}" for t, v in self.premiums.items())

    def read(self, text: str) -> Reading:
        """What a header text says (kept per text: the header scan reads each cell under every kind
        and every candidate header row)."""
        cached = self._readings.get(text)
        if cached is None:
            if len(self._readings) > READINGS_KEPT:
                self._readings.clear()
            cached = self._readings[text] = self._read(text)
        return cached

    def _read(self, text: str) -> Reading:
        folded = _folded_case(text)
        multiplier = None
        found = _MULTIPLIER.search(folded)
        if found:
            number = next(g for g in found.groups() if g)
            multiplier = float(number) / (100 if found.group(3) else 1)
            folded = folded[:found.start()] + " " + folded[found.end():]
        folded = _spaced(folded)
        with SPACY_LOCK:  # one vocabulary for every reader: tokens are added to it as texts are read
            doc = _nlp().make_doc(folded)
            spans = filter_spans([Span(doc, s, e, label=m) for m, s, e in self._matcher(doc)
                                  if self._ids[m] not in self._skip])  # the longest words win
        covered = set()
        words: list[tuple[str, tuple[str, ...]]] = []
        concepts: set[str] = set()
        for span in sorted(spans, key=lambda s: s.start):
            word = self._ids[span.label]
            covered.update(range(span.start, span.end))
            if word not in self.lex.words:  # a function word of several tokens: read past
                continue
            words.append((_unspaced(span.text), tuple(sorted(self.lex.words[word]))))
            concepts |= self.lex.words[word]
        unknown, corrected = [], []
        for token in doc:
            if token.i in covered or not token.text.strip() or token.is_punct or token.lower_ in self.lex.function_words:
                continue
            fixed = self._corrected(token.text)
            if fixed:
                corrected.append((token.text, fixed))
                words.append((token.text, tuple(sorted(self.lex.words[fixed]))))
                concepts |= self.lex.words[fixed]
            else:
                unknown.append(token.text)
        if multiplier is None and "overtime" in concepts:
            bare = _BARE_MULTIPLIER.search(" ".join(unknown))  # "OT 1.5", "加班 2.0"
            if bare:
                multiplier = float(bare.group(1))
                unknown = [u for u in unknown if u != bare.group(1)]
        doubt = None
        if multiplier is not None and "overtime" in concepts and not concepts & set(DAY_TYPES):
            day, doubt = self.day_type_of(multiplier)
            if day:
                concepts.add(day)
        return Reading(frozenset(concepts), words, unknown, corrected, multiplier, doubt)

    def _corrected(self, token: str) -> str | None:
        """A misspelt Latin word (as OCR misreads one: 'Emp1oyee', 'Overtlme') read as the
        lexicon's word it is, one or two letters off; short words and other scripts never."""
        if len(token) < 5 or not token.isascii() or not self._latin:
            return None
        cutoff = 80 if len(token) <= 6 else 85
        found = process.extractOne(token, self._latin, scorer=fuzz.ratio, score_cutoff=cutoff)
        if not found or found[0] not in self.lex.words:
            return None
        return found[0]


#: a header composes to a field only while it has at most one unknown word per two known ones: one
#: known word among strangers is not an understanding. preaudit's own bar, chosen on the held-out
#: catalogue's aggregate score (wrong 10.7 % with no bar, 6.7 % at one per one, 2.0 % at one per
#: two, the same 2.0 % at none), the only value tuned on it.
UNKNOWN_SHARE = 0.5

#: concepts that qualify a field without naming another: a worker's id, a day's work time
MODIFIERS = frozenset({"work", "person", "time", "duration", "card", "punch"})
#: the measures a field of each type may hold; a header naming another holds something else
_MEASURES = {"money": {"money"}, "hours": {"hours", "minutes", "duration"}, "minutes": {"minutes", "hours", "duration"},
             "days": {"days"}, "period": {"money"}}  # "salary month" is the pay period


@dataclass
class Composition:
    """The field a header's concepts make (None when they make none, or several), and why."""

    field: str | None
    part: bool = False
    concepts: frozenset[str] = frozenset()
    why: str = ""
    size: int = 0   # concepts the field's alternative needed: the more, the more specific


def compose(kind, reading: Reading, fields, classes: Mapping[str, str]) -> Composition:
    said = reading.concepts
    words = reading.describe()
    if not said:
        return Composition(None, why=f"no known word ({words})")
    if "elsewhere" in said:
        return Composition(None, concepts=said, why=f"its words name something no field holds ({words})")
    if reading.doubt and "overtime" in said:
        return Composition(None, concepts=said, why=f"{reading.doubt} ({words})")
    if reading.unknown_words() > len(reading.words) * UNKNOWN_SHARE:
        return Composition(None, concepts=said, why=f"most of its words are not known: not understood ({words})")
    found: list[tuple[int, str, bool]] = []
    for declared in fields.values():
        if kind not in declared.kinds:
            continue
        options = [(alt, False) for alt in declared.compose] + [(alt, True) for alt in declared.compose_parts]
        best = max(((len(alt), part) for alt, part in options if alt <= said and _fits(declared, alt, said, classes)),
                   default=None)
        if best:
            found.append((best[0], declared.name, best[1]))
    if not found:
        return Composition(None, concepts=said, why=f"no field is made of {'+'.join(sorted(said))} ({words})")
    top = max(n for n, _, _ in found)
    winners = sorted({(name, part) for n, name, part in found if n == top})
    if len({name for name, _ in winners}) > 1:
        return Composition(None, concepts=said, why=f"{'+'.join(sorted(said))} could be "
                                                    f"{' or '.join(name for name, _ in winners)} ({words})")
    name, part = winners[0]
    return Composition(name, part, said, f"{'+'.join(sorted(said))} → {name}{' (a part)' if part else ''} ({words})", top)


def _fits(declared, alt: frozenset[str], said: frozenset[str], classes: Mapping[str, str]) -> bool:
    """Nothing the header says beyond the alternative contradicts the field: no other day type
    or side, no measure its values cannot hold, no subject the field does not allow."""
    for cls in ("day_type", "side"):
        if not {c for c in said if classes.get(c) == cls} <= alt:
            return False
    extra = said - alt
    measures = {c for c in extra if classes.get(c) == "measure"}
    if measures and not measures <= _MEASURES.get(declared.type, set()):
        return False
    subjects = {c for c in extra if c not in classes and c not in MODIFIERS}
    return subjects <= declared.allow
