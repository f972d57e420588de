"""Question → Pieces: the metrics, fields, values, filters, numbers and cues it mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from text_to_num import alpha2digit

from customer360.assistant.lexicon import (
    ARTICLES,
    COMMON_WORD_VALUES,
    Entry,
    Lexicon,
    surface,
    tokens,
)
from customer360.assistant.periods import Period, read_grain, read_pick, read_time
from customer360.assistant.words import CUE_WORDS, FUNCTION_WORDS, expand_abbreviations
from customer360.semantic.query import Grain, Operator

_COMPARATORS: tuple[tuple[str, Operator], ...] = (
    (r"older than", ">"),
    (r"younger than", "<"),
    (r"at least|no less than|minimum of|>=", ">="),
    (r"at most|no more than|maximum of|<=", "<="),
    (
        r"more than|over|above|greater than|exceed(?:s|ed|ing)?|higher than|topped|surpassed"
        r"|passed|crossed|>",
        ">",
    ),
    (r"less than|fewer than|under|below|lower than|<", "<"),
)
# Comparisons whose wording names the fact: "older than 65" is about age.
IMPLICIT_FIELD = {"older than": "age", "younger than": "age"}
_NUMBER = (
    r"\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)\s*(k|m|thousand|million)?\b\s*(%|percent)?"
    r"(\s*(?:dollars?|usd|bucks)\b)?"
)
_TOP_N = re.compile(
    r"\b(top|bottom|first|best|worst|highest|lowest|largest|smallest|biggest)\s+(\d+)\b"
    r"|\b(\d+)\s+(highest|largest|biggest|most|lowest|smallest|least)\b"
)
# "the 3 segments with the lowest ...": a small count, a few words, then a superlative.
_N_THEN_SUPERLATIVE = re.compile(
    r"\b(\d{1,3})\s+(?:[a-z&-]+\s+){1,4}?(?:with|by|having|that have|of)?\s*(?:the\s+)?"
    r"(highest|largest|biggest|most|lowest|smallest|least|fewest)\b"
)
GROUP_CUES = frozenset({"by", "per", "each", "across", "every", "between"})
COUNT_CUES = ("how many", "number of", "count of", "count", "distribution", "how much of")
DESC_WORDS = frozenset(
    {
        "highest",
        "most",
        "largest",
        "biggest",
        "top",
        "max",
        "maximum",
        "greatest",
        "best",
        "increased",
        "steepest",
        "sharpest",
    }
)
ASC_WORDS = frozenset(
    {"lowest", "least", "fewest", "smallest", "bottom", "min", "minimum", "worst", "decreased"}
)
AGG_WORDS = {
    "average": "avg",
    "mean": "avg",
    "total": "sum",
    "sum": "sum",
    "median": "median",
    "maximum": "max",
    "max": "max",
    "minimum": "min",
    "min": "min",
}
# Operators that negate the value, named filter or yes/no field right after them.
NEGATORS = frozenset(
    {"not", "non", "outside", "excluding", "exclude", "except", "without", "no", "never", "neither"}
)
NEGATOR_PAIRS = frozenset(
    {
        ("other", "than"),
        ("apart", "from"),
        ("aside", "from"),
        ("not", "counting"),
        ("leave", "out"),
        ("leaving", "out"),
        ("left", "out"),
    }
)
# Negators that can deny that rows exist at all: "customers with no transactions".
EXISTENCE_NEGATORS = frozenset({"no", "never", "without"})
# Operators written after what they negate: "setting Travel aside".
POSTFIX_NEGATORS = frozenset({"aside"})
# Words a negation may skip to reach what it negates ("not in the Travel category").
NEGATION_LINKS = frozenset(
    {
        *("in", "the", "a", "an", "from", "of", "at", "on", "via", "by", "using", "any", "with"),
        *("have", "ha", "has", "had", "hold", "own", "use", "used", "make", "made", "buy"),
        *("bought", "shop", "shopped", "been", "be", "are", "is", "were", "was", "ever"),
        *("those", "anything", "single", "live", "living", "located", "based", "one"),
    }
)
COORDINATORS = frozenset({"and", "or", "nor"})
# Words rules read as operators: never "corrected" into another word ("neither" is not "either").
OPERATOR_WORDS = NEGATORS | COORDINATORS | {w for pair in NEGATOR_PAIRS for w in pair}
FUZZY_MIN_LENGTH = 5
AT_THE_TIME = re.compile(
    r"\b(?:at the time|at that time|back then|at the point)"
    r"(?: of (?:the |each |every )?(?:purchase|transaction|sale|payment)s?)?\b"
)
FUZZY_MIN_SCORE = 85
READABLE_WORDS = tuple(w for w in FUNCTION_WORDS | CUE_WORDS if len(w) >= FUZZY_MIN_LENGTH)
SHORT_WORDS = frozenset(w for w in FUNCTION_WORDS | CUE_WORDS if 3 <= len(w) < FUZZY_MIN_LENGTH)
LIST_CUES = frozenset(
    {"show", "list", "find", "which", "who", "give", "display", "get", "identify", "whose", "name"}
)


@dataclass
class Numeric:
    op: Operator
    value: float
    position: int
    money: bool
    field: str | None = None


@dataclass
class Span:
    start: int
    end: int
    entries: tuple[Entry, ...]
    negated: bool = False
    plural: bool = False

    @property
    def entry(self) -> Entry:
        return self.entries[0]


@dataclass
class Pieces:
    words: list[str]
    spans: list[Span]
    unknown: list[str]
    numerics: list[Numeric]
    periods: tuple[Period, ...]
    grain: Grain | None
    limit: int | None
    descending: bool | None
    count_cue: bool
    list_cue: bool
    lowered: str
    used_spans: set[int] = field(default_factory=set)
    corrections: tuple[str, ...] = ()
    # "which month …": one period of the grain is the answer.
    pick_one: bool = False
    # "card type at the time of purchase": attributes as they were, not as they are.
    at_the_time: bool = False
    # Numbers no rule could attach to a measure ("more than 500" of what?).
    unresolved: list[str] = field(default_factory=list)
    # Model names a rule folded into another ("share" + "spend" → the spend share metric).
    absorbed: set[str] = field(default_factory=set)
    # Where a named filter read as a value of a field stood ("premium cardholders" → card_type).
    field_positions: dict[str, int] = field(default_factory=dict)

    @property
    def window(self) -> Period | None:
        return self.periods[0] if len(self.periods) == 1 else None

    def of_kind(self, kind: str) -> list[tuple[int, Span]]:
        return [(i, s) for i, s in enumerate(self.spans) if s.entry.kind == kind]

    def before(self, span: Span, n: int = 1) -> list[str]:
        return self.words[max(0, span.start - n) : span.start]


def _expand_state_codes(question: str, lexicon: Lexicon, names: dict[str, str]) -> str:
    if question.isupper():
        return question
    return re.sub(
        r"\b([A-Z]{2})\b",
        lambda m: names.get(m[1], m[1]) if m[1] in lexicon.state_codes else m[1],
        question,
    )


def _identifiers(text: str, lexicon: Lexicon) -> tuple[list[Entry], str]:
    """Ids written in the question ("CUST00000042"), as values of their field, each replaced
    by a slot so no other rule reads its digits."""
    found: list[Entry] = []
    for name, pattern in lexicon.identifiers:
        prefix = re.sub(r"\\(.)", r"\1", pattern[2:].split("\\d")[0])

        def slot(match: re.Match[str], name: str = name, prefix: str = prefix) -> str:
            found.append(Entry("value", name, prefix + match[0][len(prefix) :]))
            return f" zzid{len(found) - 1} "

        text = re.sub(pattern, slot, text, flags=re.I)
    return found, text


def _numerics(text: str) -> tuple[list[tuple[Operator, float, bool, str | None]], str]:
    found: list[tuple[Operator, float, bool, str | None]] = []
    for pattern, op in _COMPARATORS:
        regex = re.compile(
            rf"\b(?:{pattern}){_NUMBER}" if pattern[0].isalpha() else rf"(?:{pattern}){_NUMBER}"
        )
        while match := regex.search(text):
            value = float(match[1].replace(",", ""))
            value *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get(match[2] or "", 1)
            money = "$" in match[0] or bool(match[2]) or bool(match[4])
            text = f"{text[: match.start()]} zznum{len(found)} {text[match.end() :]}"
            found.append((op, value, money, IMPLICIT_FIELD.get(pattern)))
    return found, text


def extract(question: str, lexicon: Lexicon, as_of: date, states: dict[str, str]) -> Pieces:
    """Split a question into what the model knows (spans) and what it does not (unknown)."""
    original = _expand_state_codes(question, lexicon, {v: k for k, v in states.items()})
    text = original.lower().replace("’", "'").replace("n't", " not").replace("'s ", " ")
    text = re.sub(r"\b(is|are|do|does|did|have|has|was|were|had)nt\b", r"\1 not", text)
    text = expand_abbreviations(text)
    # "one" stays a word ("which one"); "two" and up become digits.
    text = alpha2digit(text.replace("zznum", " "), "en", threshold=2)
    text = re.sub(r"\ban? (\d)", r"\1", text)  # "more than a 100" (text2num keeps the article)
    text = re.sub(r"\b(top|bottom|first|last|best|worst) two\b", r"\1 2", text)  # kept by text2num
    ids, text = _identifiers(text, lexicon)
    text = re.sub(r"\bhalf an? (\d+)\b", lambda m: str(int(m[1]) // 2), text)
    at_the_time = bool(AT_THE_TIME.search(text))
    text = AT_THE_TIME.sub(" ", text)
    time = read_time(text, as_of)
    text = time.text
    for phrase in lexicon.grain_phrases:  # "average monthly spend" is a measure, not a grain
        text = text.replace(phrase, phrase.replace(" ", "_"))
    picked, text = read_pick(text)
    grain, text = read_grain(text)
    grain = grain or picked
    numbers, text = _numerics(text)
    limit: int | None = None
    descending: bool | None = None
    if match := _TOP_N.search(text):
        limit = int(match[2] or match[3])
        word = match[1] or match[4]
        descending = word not in ("bottom", "worst", "lowest", "smallest", "least", "fewest")
        text = f"{text[: match.start()]} {'top' if descending else 'bottom'} {text[match.end() :]}"
    elif match := _N_THEN_SUPERLATIVE.search(text):
        limit = int(match[1])
        descending = match[2] not in ("lowest", "smallest", "least", "fewest")
        text = text[: match.start(1)] + " " + text[match.end(1) :]
    kept = [i for i, w in enumerate(surface(text)) if w not in ARTICLES]
    words = [tokens(text)[i] for i in kept]
    plural = [surface(text)[i] != tokens(text)[i] for i in kept]
    spans: list[Span] = []
    unknown: list[str] = []
    numerics: list[Numeric] = []
    negations: list[int] = []
    words, corrections = _spellcheck(words, lexicon)
    i = 0
    while i < len(words):
        slot = re.fullmatch(r"zznum(\d+)", words[i])
        if slot and int(slot[1]) < len(numbers):
            op, value, money, implicit = numbers[int(slot[1])]
            numerics.append(Numeric(op, value, i, money, implicit))
            i += 1
            continue
        slot = re.fullmatch(r"zzid(\d+)", words[i])
        if slot and int(slot[1]) < len(ids):
            spans.append(Span(i, i + 1, (ids[int(slot[1])],)))
            i += 1
            continue
        if i == 0 and words[0] in LIST_CUES:  # "Name the six merchants …": a request
            unknown.append(words[0])
            i += 1
            continue
        if tuple(words[i : i + 2]) in NEGATOR_PAIRS:
            negations.append(i)
            i += 2
            continue
        if words[i] in NEGATORS:
            negations.append(i)
            i += 1
            continue
        for length in range(min(lexicon.max_len, len(words) - i), 0, -1):
            entries = _prefer_verbatim(
                tuple(
                    e
                    for e in lexicon.lookup(tuple(words[i : i + length]))
                    if _value_allowed(e, original)
                ),
                original,
            )
            if entries:
                if words[max(0, i - 2) : i] in (["how", "many"], ["number", "of"], ["count", "of"]):
                    # "number of card upgrades" counts them: the metric before the filter
                    entries = tuple(sorted(entries, key=lambda e: e.kind != "metric"))
                spans.append(Span(i, i + length, entries, plural=any(plural[i : i + length])))
                i += length
                break
        else:
            unknown.append(words[i])
            i += 1
    spans = _drop_compound_heads(spans, words, unknown)
    for position, word in enumerate(words):
        if word in POSTFIX_NEGATORS:  # "leaving California and Texas aside"
            before = [s for s in spans if s.end <= position and s.entry.kind == "value"]
            if before and before[-1].end == position:
                _negate_preceding(before[-1], words, spans)
                unknown.remove(word)  # read as the operator, so accounted for
    for position in negations:
        target = _negation_target(position, words, spans)
        if target is None:
            unknown.append(words[position])
        else:
            target.negated = True
            _negate_coordinated(target, words, spans)
    for word in words:
        if descending is None and word in DESC_WORDS:
            descending = True
        elif descending is None and word in ASC_WORDS:
            descending = False
    return Pieces(
        words=words,
        spans=spans,
        unknown=unknown,
        numerics=numerics,
        periods=time.periods,
        grain=grain,
        limit=limit,
        descending=descending,
        count_cue=any(re.search(rf"\b{cue.strip()}\b", text) for cue in COUNT_CUES),
        list_cue=bool(words) and (words[0] in LIST_CUES or "customer" in words[:1]),
        lowered=text,
        corrections=tuple(corrections),
        pick_one=picked is not None,
        at_the_time=at_the_time,
    )


def _negation_target(position: int, words: list[str], spans: list[Span]) -> Span | None:
    """The value, named filter or yes/no field a negation operator applies to."""
    cursor = position + (2 if tuple(words[position : position + 2]) in NEGATOR_PAIRS else 1)
    for span in spans:
        if span.start < cursor:
            continue
        between = words[cursor : span.start]
        if any(w not in NEGATION_LINKS for w in between):
            return None
        if span.entry.kind in ("value", "filter") or span.entry.yes_no:
            return span
        tables = any(e.kind == "table" for e in span.entries)
        if tables and words[position] in EXISTENCE_NEGATORS:
            return span  # "no transactions in June", "without any purchases": none of those rows
        return None
    return None


def _drop_compound_heads(spans: list[Span], words: list[str], unknown: list[str]) -> list[Span]:
    """ "airline tickets": a head-word match right after a value of the same field is a noun of
    that value's phrase, not a second value ("Ticket Agencies"); it is reported, not used."""
    kept: list[Span] = []
    for span in spans:
        previous = kept[-1] if kept else None
        if (
            span.entry.kind == "value"
            and span.entry.head
            and previous is not None
            and previous.entry.kind == "value"
            and previous.entry.name == span.entry.name
            and previous.end == span.start
        ):
            unknown.extend(words[span.start : span.end])
            continue
        kept.append(span)
    return kept


def _negate_preceding(last: Span, words: list[str], spans: list[Span]) -> None:
    """ "California and Texas aside": the value before the operator and those listed with it."""
    last.negated = True
    current = last
    for span in reversed([s for s in spans if s.end <= last.start]):
        between = words[span.end : current.start]
        if span.entry.name != last.entry.name or any(w not in COORDINATORS for w in between):
            return
        span.negated = True
        current = span


def _negate_coordinated(first: Span, words: list[str], spans: list[Span]) -> None:
    """ "outside California and Texas": values of the same field listed after a negated one."""
    previous = first
    for span in spans:
        if span.start < first.end:
            continue
        between = words[previous.end : span.start]
        if span.entry.name != first.entry.name or any(w not in COORDINATORS for w in between):
            return
        span.negated = True
        previous = span


def _spellcheck(words: list[str], lexicon: Lexicon) -> tuple[list[str], list[str]]:
    """Misspelled words read as the one word they are close to ("Califronia", "segmnets",
    "concious", "evreybody"), before phrases are matched, so a corrected word can complete
    a phrase ("budget concious"). Long words allow one or two edits; short words only a swap
    of two neighbouring letters ("waht"), which keeps every letter. Returns the words and the
    corrections of model words (a corrected function word needs no mention)."""
    readable = lexicon.value_words + READABLE_WORDS
    fixed, notes = list(words), []
    for i, word in enumerate(words):
        if not word.isalpha() or word in lexicon.known_words or word in FUNCTION_WORDS:
            continue
        if word in CUE_WORDS or word in OPERATOR_WORDS:
            continue
        if len(word) >= FUZZY_MIN_LENGTH:
            found = process.extract(
                word, readable, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=2
            )
            close = [m[0] for m in found]
        else:
            close = [
                w
                for w in SHORT_WORDS | {k for k in lexicon.value_words if len(k) == len(word)}
                if sorted(w) == sorted(word) and OSA.distance(w, word) == 1
            ]
        if len(set(close)) != 1:
            continue
        fixed[i] = close[0]
        if close[0] in lexicon.known_words:
            notes.append(f"read '{word}' as '{close[0]}'")
    return fixed, notes


def _value_allowed(entry: Entry, original: str) -> bool:
    if entry.kind != "value" or entry.value is None:
        return True
    if entry.exact_case:
        written = entry.written or entry.value
        return re.search(rf"\b{re.escape(written)}\b", original) is not None
    if entry.value.lower() in COMMON_WORD_VALUES:
        return entry.value in original
    return True


def _prefer_verbatim(entries: tuple[Entry, ...], original: str) -> tuple[Entry, ...]:
    """Among spellings of one field's value ('Delta Air Lines', 'DELTA AIR LINES'), keep the
    one written in the question, if any; other fields' entries keep their rank."""
    verbatim = {e.name for e in entries if e.kind == "value" and e.value and e.value in original}
    return tuple(
        e
        for e in entries
        if e.kind != "value" or e.name not in verbatim or (e.value and e.value in original)
    )
