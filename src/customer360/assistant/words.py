"""Word classes the reader accounts for without a model entry, and write requests.

Every word of a question is consumed by a rule (a model phrase, a number, a period, a negation,
a superlative…), is listed here, or is reported back to the user. Only words that carry no
meaning a query could lose belong in `FUNCTION_WORDS`; words that carry meaning are read by the
rule named next to them in `CUE_WORDS`.
"""

from __future__ import annotations

import re

FUNCTION_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads best as prose
        # articles, prepositions, conjunctions, pronouns, auxiliaries
        "a an the of in on for with to and or at from into as than per via about within "
        "is are was were be been being am do doe does did done have has ha had having "
        "will would can could should shall may might must "
        "i me my we u our you your they them their it it its this that these those there here "
        "who whom whose which what where when how why "
        "s t ll ve re d "
        # requests and generic verbs of asking and having
        "show list find give display get tell see view want know need like please let "
        "identify name return pull report provide pls plz "
        "make made come came account accounting hold holding "
        "currently current now right overall altogether ever so far up "
        "also just only really all any some every each both either instead "
        "everything anything everyone anyone someone somebody well "
        "go goes went gone going get gets got getting receive received "
        "single whole entire overall place places crowd bunch folk folks so far anyway actually "
        "bucket buckets band app base out ok okay if related record process processed "
        "everybody averaged averaging id ids fine individual handled handle recorded logged booked "
        "brought still listed shown "
        "data figure figures number numbers value values info information result results "
        "breakdown broken split distribution look looking trend trends perform performs "
        "located live lives living based reside residing "
        "people person one ones thing things kind kinds type level group "
        "something anything nor too also well while whilst today currently presently "
        # follow-up verbs that narrow the previous answer ("narrow that down to …")
        "narrow filter restrict limit limited keep pay paid paying "
        "it 's"
    ).split()
)

# Words a named rule reads (pieces.py / parser.py); listed so that reading them is not "unknown".
CUE_WORDS = frozenset(
    (  # noqa: SIM905
        # superlatives and order (pieces.DESC_WORDS / ASC_WORDS, _TOP_N)
        "top bottom highest lowest largest smallest biggest greatest most least fewest "
        "max maximum min minimum best worst first last rank ranked ranking order ordered sorted "
        "increased decreased "
        # aggregations (pieces.AGG_WORDS) and counts (pieces.COUNT_CUES)
        "average mean median typical total sum count many much "
        # grouping (pieces.GROUP_CUES) and comparisons (two values or two periods)
        "by across between among compare compared comparison versus v vs against "
        # change words for period comparisons (parser.CHANGE_WORDS)
        "drop fall fell decline change changed growth grew increase decrease difference "
        "rise rose jump shift saw see off steepest sharpest "
        # shares (share metrics) and numeric comparisons (pieces._COMPARATORS)
        "rate "
        "more less over under above below greater fewer higher lower least exceeding "
        # listing subjects read by the listing rule
        "customer transaction target candidate "
        # verbs linking people to their rows or describing a state: they add no condition of
        # their own, the values and measures around them do ("customers who used Mobile",
        # "cardholders sitting in High Risk", "merchants that took in over $100k")
        "use used using buy bought shop shopped purchased make made had happen happened "
        "occur occurred transact transacted distinct unique different "
        "carry carries carried sit sitting sits classed classified flagged marked labelled "
        "labeled tagged rack racked pull pulled take took taken bring brought fill filled "
        "put charged through grant granted extend extended hold holds holding held stack "
        "qualify qualifies qualified count counted fall falls slip slipped move moved go "
        "went knock knocked spend spending earn earned generate generated ring rang run ran "
        "setting leaving "
        # units of numbers (pieces._numerics)
        "dollar usd "
        # "break it down by": grouping
        "break down same"
    ).split()
)

# Nouns for the people a question is about: the subject, not a measure ("customers over 60").
# Verbs meaning "made purchases": people who "transacted" / "shopped" in June have rows, in
# June, in the table the model calls by PURCHASE_NOUN.
PURCHASE_VERBS = frozenset(
    {"transact", "transacted", "transacting", "shop", "shopped", "buy", "bought", "purchased"}
    | {"spent"}
    | {"pay", "paid", "paying"}
)
PURCHASE_NOUN = "purchase"

PEOPLE_NOUNS = frozenset({"customer", "cardholder", "client", "spender", "member", "user"})

# Shorthand business users type, spelled out before reading (whole words only).
ABBREVIATIONS = {
    "%": " percent",
    "pct": "percent",
    "cust": "customers",
    "custs": "customers",
    "txn": "transaction",
    "txns": "transactions",
    "trx": "transactions",
    "amt": "amount",
    "qty": "quantity",
    "yr": "year",
    "yrs": "years",
    "qtr": "quarter",
    "mo": "month",
    "mos": "months",
    "e-comm": "ecommerce",
    "ecomm": "ecommerce",
    "attrition": "churn",  # the business word for the model's
    "r": "are",
    "u": "you",
    "ur": "your",
    "a dozen": "12",
    "dozen": "12",
    "avg": "average",
    "#": " number",
}
_ABBREVIATION = re.compile(
    r"[%#]|\b(?:" + "|".join(re.escape(k) for k in ABBREVIATIONS if k not in ("%", "#")) + r")\b",
    re.I,
)


# Everyday idioms, said plainly before reading (each a phrase whose words alone mislead).
IDIOMS = (
    # "upgrades that took effect in 2025": the change happened then
    (r"\b(?:took|take|takes|taking|went into|go into|goes into|came into) effect\b", "happened"),
    # "new accounts opened in 2024": the accounts opened then
    (r"\bnew (accounts?)\b", r"\1"),
    # "the biggest purchase we've ever seen": ever
    (r"\b(?:we(?:'ve| have)? )?ever (?:seen|had|recorded|made)\b|\bon record\b", "ever"),
    # "upgrades by the tier they came from": the previous card type
    (
        r"\b(?:card|tier|card type|card tier) (?:that |which )?(?:they|the customers?|"
        r"customers|people|he|she) (?:came|moved|upgraded|downgraded|switched) from\b"
        r"|\b(?:card|tier|card type|card tier) (?:they|the customers?|customers|people) "
        r"had before\b",
        "previous card type",
    ),
    # "each category group (travel, retail and so on)": examples, not a filter
    (r"\([^()]*\b(?:and so on|etc\.?|e\.g\.?|for example|such as)[^()]*\)", " "),
    # "each day of the week, Monday through Sunday", "Monday first": an order, not a filter
    (
        r"\b(?:from )?(?:monday|sunday)(?:,)? (?:through|thru|to) (?:sunday|saturday)\b"
        r"|\b(?:monday|sunday) first\b|\bstarting (?:on )?(?:monday|sunday)\b",
        " ",
    ),
    # "which single day", "the single largest": one of them
    (r"\b(which|what) single\b", r"\1"),
    # "downgrades by the card they were moved to": the card of the new version
    (
        r"\b(?:card|tier|card type) (?:that |which )?(?:they|the customers?|customers|people) "
        r"(?:were |was )?(?:moved|upgraded|downgraded|switched|changed) to\b",
        "history card type",
    ),
    # "card spend", "card transactions": the bank's card is every row's
    (r"\bcard (spend|spending|transactions?|purchases?|volume|payments?)\b", r"\1"),
    # "H1 2025 next to H1 2026": side by side
    (r"\b(?:next to|alongside|side by side with)\b", "vs"),
    # "upgrades per year, year as a number": how to show it, not a condition
    (r",?\s*(?:with )?(?:the )?(?:year|month|quarter) (?:shown )?as (?:a )?(?:number|date)\b", " "),
    (r"\bmore than one\b(?!\s+(?:hundred|thousand|million|billion))", "more than 1"),
    # "the busiest day of the week": the one with the most rows
    (r"\bbusiest\b", "most"),
    (r"\b(?:quietest|slowest)\b", "fewest"),
    # "how many qualify at the moment": now
    (r"\bat (?:the|this) (?:moment|minute|present time)\b|\bas things stand\b", "now"),
    # "how are customers spread across the risk categories": their distribution by them
    (r"\b(?:spread|distributed|split up) (?:across|over|among|between)\b", "distribution by"),
    # "how many fall into each segment": are in it
    (r"\b(?:fall|falls|fell) (?:into|under|within)\b|\b(?:fall|falls) in(?= each\b)", "in"),
)


def plain_idioms(text: str) -> str:
    for pattern, plain in IDIOMS:
        text = re.sub(pattern, plain, text)
    return text


def expand_abbreviations(text: str) -> str:
    """Shorthand spelled out; British -isation spellings read as the model's -ization."""
    text = re.sub(r"\b(\w+)isation\b", r"\1ization", text)
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m[0].lower()], text)


_WRITE_VERBS = (
    r"delete|drop|update|insert|truncate|alter|remove|grant|revoke|modify|overwrite|erase|wipe|"
    r"attach|detach|pragma|install|create|replace|merge|set|execute|exec"
)
# Verbs that change an account when they command something ("upgrade every Premium customer",
# "move them to Platinum"); as nouns they are vocabulary ("upgrade rate", "change in spend").
_ACCOUNT_VERBS = (
    r"move|assign|reassign|transfer|rename|enrol|enroll|cancel|change|upgrade|downgrade|"
    r"close|block|freeze|unfreeze|raise|reset"
)
_ACCOUNT_COMMAND = re.compile(
    rf"(?:^|[;.!?]|\b(?:please|and|then|now|you|can|could|must)\b)\s*(?:{_ACCOUNT_VERBS})\b"
    r"(?!\s*(?:in|of|off|-|:|rate|rates|count|counts|history|date|dates|activity|events?|"
    r"trends?|amount|amounts|size|sizes)\b)",
    re.I,
)
# A write verb is a request when it commands ("delete all customers", "please drop …", "; drop"),
# or acts on a database object; as a noun ("the biggest drop in spend") it is vocabulary.
_IMPERATIVE = re.compile(
    rf"(?:^|[;.!?]|\b(?:please|and|then|now|you|to|can|could|must)\b)\s*(?:{_WRITE_VERBS})\b"
    r"(?!\s*(?:in|of|off|-|from \w+ to)\b)",  # "drop in spend" is a noun, not a command
    re.I,
)
_ON_OBJECT = re.compile(
    rf"\b(?:{_WRITE_VERBS})\b\s+(?:(?:the|all|every|a|an|this|that|my|our|of|from|into)\s+)*"
    r"(?:table|tables|schema|database|view|column|columns|row|rows|record|records|data|"
    r"everything|index|customers?|transactions?|warehouse|file|files)\b",
    re.I,
)


def is_write_request(question: str) -> bool:
    question = question.strip()
    return bool(
        _IMPERATIVE.search(question)
        or _ON_OBJECT.search(question)
        or _ACCOUNT_COMMAND.search(question)
    )
