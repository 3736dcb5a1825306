"""Casualty figures of an event: how many were killed and injured, as the sentence says.

The rules follow the annotation guideline of the corpus (``fatalities`` / ``injured``): the
number killed or wounded in this event as the text states it, the lowest figure of a range
or of "at least N", 0 when it says nobody was hurt, nothing for vague words ("dozens") or
for a war's cumulative toll.

A *figure* is a number in digits ("19", "1,200", "1.200", "1 200", Arabic-Indic digits) or in
words of any pack ("two", "vingt-cinq", "treinta y cinco", "двадцать пять", "خمسة وعشرين");
it is tied to the casualty word (pack lists ``killed``, ``injured``) that fits it best:

* a casualty word after the figure, the figure its subject or count ("19 people were
  killed", "трое погибших", "13 kişi de yaralandı"): two words may stand between, more when
  the figure counts people ("three members of the tribal forces were killed"), but then not
  across a comma, "and" or the victims' own noun ("300 people attended the funeral of the
  soldiers killed");
* a casualty word before the figure, the figure its object ("killing at least 19 people",
  "مقتل 25 شخصا"): two words at most, five when the figure ends the clause ("the death toll
  from the strike rose to 25."), never behind the figure's own place or agent preposition
  ("killed in 3 strikes").

People nouns (``people``), approximation words (``approximate``: "at least", "не менее"),
demonyms and ages cost nothing in between, auxiliaries (``passive``: "were") half; a comma or a
list word ("and") costs more, so in "seven dead and thirty wounded" each figure goes to its own
word.  Each casualty word keeps the figure that fits it best ("40 drones ..., killing two":
two).  Figures joined by "and" that each count people add up ("two civilians and seven policemen
were wounded": 9), so do a victim and a relative named after them ("a man and his 13-year-old
son": 2); the part after an inclusion word (``subset``: "including", "dont", "بينهم", "в том
числе") belongs to the figure before it ("11 dead, among them three babies": 11; the commas
around it part nothing); a figure in a gapped clause takes the casualty word before it ("three
died in Kharkiv and two in Sumy").  With no figure, a singular noun or verb of one victim
(``singular``: "a man", "погиб мужчина", "استشهاد شخص", "was killed", "murió") is 1, and a
phrase of ``unharmed`` ("no casualties", "без жертв", "لا إصابات") 0: to the fatalities only
when it names deaths alone ("no one was killed", "can kaybı yok"), else to both.  A figure near
a ``cumulative`` word or phrase ("since the start of the war") is a war's toll, not this
event's.  Not figures: years and days of dates, ages and measures ("25-year-old", "52-летний", a
number beside a word of ``ages``: "45 ans", "45 лет", "aged 45"), times, percentages, the upper
end of "10-15", a count of weapons or places ("5 missiles", "3 villages"), and a number word
that is also a word of another list unless a person or a casualty word follows it ("d'une
unité", "once again", "Sept.").

Multi-word entries of the lists match as phrases, token by token ("at least", "не менее",
"al menos", "en az", "no one was hurt").  A figure the sentence lacks may come from the next
sentence (the toll often follows), unless that sentence dates itself with a day the event's
sentence does not name (then it tells another event).  Of several figures of one kind the
highest counts, or, when the caller gives the place's offset, the one told nearest it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, TypeVar

from gazetteer.memo import Memo
from gazetteer.normalize import fold

from .event_types import EVENT_TYPES
from .lexicon import Lexicon, strip_arabic_prefixes
from .text import MARKS

__all__ = ["figures", "find_casualties"]

# Numbers: digits grouped by thousands ("1,200", "1.200", "1 200", "1٬200"), or plain digits, with a Turkish case
# suffix ("25'e", "3'ü"); words with their combining marks and inner apostrophes (п'ять, n'a).
_TOKEN = re.compile(
    rf"(?:(?<!\d)\d{{1,3}}(?:(?:[.,٬]|[ \u00a0\u202f\u2009](?=\d{{3}}(?!\d)))\d{{3}})+(?![\d])|\d+)(?:['’][^\W\d_]+)?"
    rf"|[^\W\d_](?:[^\W\d_]|[{MARKS}])*(?:['’ʼ][^\W\d_](?:[^\W\d_]|[{MARKS}])*)*"
)
_ELISION = re.compile(r"^(?:[dDlLjJmMnNsStTcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu)['’ʼ](?=[^\W\d_])")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_RANGE = re.compile(r"^\s*(?:-|–|—|to|à|a|до|ila|/)\s*$")
_HYPHEN = "-‐‑–"
_CUT = re.compile(r"[,;:،؛()\[\]«»\"“”—–]|\s-\s")
_BEFORE_REACH = 2  # non-free words between a figure and the casualty word after it
_SUBJECT_REACH = 7  # ... when the figure counts people ("three members of the tribal forces were killed")
_OBJECT_REACH = 2  # non-free words between a casualty word and the figure after it
_TOLL_REACH = 5  # ... when the figure ends the clause or counts people ("the death toll from the strike rose to 25.")
_SINGULAR_REACH = 2
_CUMULATIVE_REACH = 6
_SUBSET_REACH = 8
_NOUN_REACH = 4  # words before a singular noun joined to another victim ("and his 13-year-old son")
_PHRASE_LISTS = ("approximate", "cumulative", "subset", "unharmed", "singular")


@dataclass
class _Token:
    start: int
    end: int
    text: str
    key: str
    value: int | None = None  # a number's value
    kind: str | None = None  # "killed" / "injured": a casualty word
    free: bool = False  # costs nothing between a figure and its casualty word
    marks: set[str] = field(default_factory=set)  # phrase lists the token is part of
    gone: bool = False  # inside an inclusion clause ("including three children") or a zero phrase


@dataclass
class _Figure:
    first: int  # token indices
    last: int
    value: int
    people: bool  # counts people ("22 people", "deux soldats", a singular noun)
    singular: bool = False


def find_casualties(lexicon: Lexicon, sentence: str, neighbours: Sequence[str] = (),
                    at: int | None = None) -> tuple[int | None, int | None]:
    """(killed, injured) the sentence reports; a figure it lacks may come from a neighbour (the next sentence).

    ``at``: the offset in ``sentence`` of the event's place, when the caller knows it: of several figures of one
    kind, the one told nearest the place is the event's ("five were killed in A, while in B two people died").
    Without it, the highest."""
    killed, injured = figures(lexicon, sentence, at)
    for text in neighbours:
        if killed is not None and injured is not None:
            break
        if _dates_itself(lexicon, text, sentence):
            continue
        other_killed, other_injured = figures(lexicon, text)
        if other_killed is None and other_injured is None:
            continue
        killed = other_killed if killed is None else killed
        injured = other_injured if injured is None else injured
        break
    return killed, injured


_SENTENCES = 512  #: the sentences a per-sentence memo keeps: an article's, read again for each of its events
_MEMO: Memo = Memo(_SENTENCES)  # (lexicon, sentence, offset) -> (killed, injured)


def figures(lexicon: Lexicon, text: str, at: int | None = None) -> tuple[int | None, int | None]:
    """The killed and injured figures of one sentence (each None when not given); with ``at``, of several figures of
    a kind the one nearest that offset, else the highest.  Memoised: a sentence is read for each of its events
    and again as the next sentence of the one before."""
    return _remembered(_MEMO, (id(lexicon), text, at), lambda: _figures_of(lexicon, text, at)
                       if _may_tell_a_toll(lexicon, text) else (None, None))


_CUE_MEMO: Memo = Memo()  # (lexicon, word) -> a casualty word or the first of a zero phrase
_TOLL_TEXTS: Memo = Memo(_SENTENCES)  # (lexicon, sentence) -> may tell a toll


T = TypeVar("T")


def _remembered(memo: Memo, key: Any, compute: Callable[[], T]) -> T:
    """``memo[key]``, computed the first time it is asked for (and kept by :meth:`Memo.keep`)."""
    found = memo.get(key)
    return memo.keep(key, compute()) if found is None else found


def _may_tell_a_toll(lexicon: Lexicon, text: str) -> bool:
    """A cheap first look: a casualty word, or the first word of a zero phrase ("no casualties"); memoised
    per sentence (read once for each place in it)."""
    return _remembered(_TOLL_TEXTS, (id(lexicon), text), lambda: _has_toll_word(lexicon, text))


def _has_toll_word(lexicon: Lexicon, text: str) -> bool:
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word[0].isdecimal():
            continue
        if _remembered(_CUE_MEMO, (id(lexicon), word), lambda: lexicon.is_word("killed", word)
                       or lexicon.is_word("injured", word) or _first_word_of(lexicon, "unharmed", word)):
            return True
    return False


def _first_word_of(lexicon: Lexicon, name: str, word: str) -> bool:
    _, firsts = _entries(lexicon, name)
    return lexicon.is_word(name, word) or fold(word) in firsts or strip_arabic_prefixes(fold(word)) in firsts


def _figures_of(lexicon: Lexicon, text: str, at: int | None) -> tuple[int | None, int | None]:
    plain = text.translate(_ARABIC_DIGITS)
    tokens = _tokens(lexicon, plain)
    if not any(t.kind for t in tokens) and not any("unharmed" in t.marks for t in tokens):
        return None, None
    _mark_subsets(lexicon, tokens, plain)
    units = _figures(lexicon, tokens, plain)
    found: dict[str, tuple[float, int]] = {}  # kind -> (-distance to the place or 0, value): the highest wins
    singular: dict[str, tuple[float, int]] = {}
    best_for_word: dict[int, float] = {}
    attached: list[tuple[_Figure, int, float]] = []
    gapped: list[tuple[_Figure, int, float]] = []
    for unit in units:
        choice = _casualty_word(lexicon, tokens, unit, plain)
        if choice is not None:
            attached.append((unit, *choice))
            best_for_word[choice[0]] = min(best_for_word.get(choice[0], 99.0), choice[1])
        elif attached and _gapped(lexicon, tokens, unit, plain):  # "three died in Kharkiv and two in Sumy"
            gapped.append((unit, attached[-1][1], -1.0))
    for unit, word, cost in attached + gapped:
        if cost > best_for_word[word] or _cumulative_near(tokens, unit):
            continue
        kind = tokens[word].kind
        target = singular if unit.singular else found
        here = [unit.first, unit.last] if cost < 0 else [unit.first, unit.last, word]  # a gapped figure: itself
        start, end = min(tokens[j].start for j in here), max(tokens[j].end for j in here)
        rank = (0.0 if at is None else -_distance(lexicon, tokens, plain, at, start, end), unit.value)
        target[kind] = max(target.get(kind, rank), rank)
    for kind, rank in singular.items():
        found.setdefault(kind, rank)
    for token in tokens:  # a singular verb ("was killed", "погиб", "murió") with no figure: one victim
        if token.kind and "singular" in token.marks and not token.gone and "unharmed" not in token.marks:
            found.setdefault(token.kind, (0.0, 1))
    for kind in _unharmed(lexicon, tokens):
        found.setdefault(kind, (0.0, 0))
    killed, injured = found.get("killed"), found.get("injured")
    return (None if killed is None else killed[1]), (None if injured is None else injured[1])


# --- tokens -------------------------------------------------------------------------------------------------


def _tokens(lexicon: Lexicon, text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        start, word = match.start(), match.group()
        if elision := _ELISION.match(word):
            start += len(elision.group())
            word = word[len(elision.group()):]
        token = _Token(start, match.end(), word, fold(word))
        if word[0].isdecimal():  # not isdigit: "²" is a digit but no decimal one, and int() refuses it
            digits = re.sub(r"\D", "", word)
            token.value = int(digits) if len(digits) <= 7 else None
        else:
            token.value = lexicon.number(word)
            if lexicon.is_word("killed", word):
                token.kind = "killed"
            elif lexicon.is_word("injured", word):
                token.kind = "injured"
            token.free = token.kind is None and (
                lexicon.is_word("people", word) or lexicon.is_word("approximate", word)
                or lexicon.is_demonym_form(word))
        tokens.append(token)
    _mark_phrases(lexicon, tokens, text)
    return tokens


def _mark_phrases(lexicon: Lexicon, tokens: list[_Token], text: str) -> None:
    """Mark the tokens of every entry of the phrase lists, multi-word entries matched as phrases."""
    bare = [strip_arabic_prefixes(t.key) for t in tokens]  # each token without a clitic, once for every list
    for name in _PHRASE_LISTS:
        words = lexicon.words.get(name)
        if words is None:
            continue
        longest, firsts = _entries(lexicon, name)
        i = 0
        while i < len(tokens):
            matched = 0
            top = longest if tokens[i].key in firsts or bare[i] in firsts else 1
            for n in range(min(top, len(tokens) - i), 0, -1):
                if _phrase_at(lexicon, name, tokens, i, n, text):
                    matched = n
                    break
            for token in tokens[i:i + matched]:
                token.marks.add(name)
                if name == "approximate" and token.kind is None:
                    token.free = True
            i += max(matched, 1)


_ENTRIES: dict[tuple[int, str], tuple[Lexicon, int, frozenset[str]]] = {}


def _entries(lexicon: Lexicon, name: str) -> tuple[int, frozenset[str]]:
    """The number of words of the longest entry of a list and the first words of its multi-word entries (memoised
    per lexicon)."""
    key = (id(lexicon), name)
    known = _ENTRIES.get(key)
    if known is None or known[0] is not lexicon:
        words = lexicon.words[name]
        entries = [e.split() for e in (*words.words, *words.stems)]
        known = _ENTRIES[key] = (lexicon, max((len(e) for e in entries), default=1),
                                 frozenset(e[0] for e in entries if len(e) > 1))
    return known[1], known[2]


def _phrase_at(lexicon: Lexicon, name: str, tokens: list[_Token], i: int, n: int, text: str) -> bool:
    if n == 1:
        return lexicon.is_word(name, tokens[i].text)
    span = tokens[i:i + n]
    if any(t.value is not None and t.text[0].isdecimal() for t in span):
        return False
    words = lexicon.words[name]
    joined = " ".join(t.key for t in span)
    keys = {joined, fold(text[span[0].start:span[-1].end])}
    keys.add(" ".join([strip_arabic_prefixes(span[0].key), *(t.key for t in span[1:])]))
    return any(key in words and key.count(" ") == n - 1 for key in keys)


# --- figures ------------------------------------------------------------------------------------------------


def _figures(lexicon: Lexicon, tokens: list[_Token], text: str) -> list[_Figure]:
    """The figures of the sentence: numbers (compounds joined), "A people and B people" summed, singular nouns."""
    units: list[_Figure] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.gone or token.value is None or "unharmed" in token.marks:
            if not token.gone and token.value is None and lexicon.is_word("singular", token.text) \
                    and not _after_figure(lexicon, tokens, i):
                units.append(_Figure(i, i, 1, True, singular=True))
            i += 1
            continue
        value, last = _compound(lexicon, tokens, i, text)
        if _not_a_figure(lexicon, tokens, i, last, text):
            for token in tokens[i:last + 1]:
                token.value = None
                token.free = text[token.end:token.end + 1] in _HYPHEN  # "52-летний": an adjective
            i = last + 1
            continue
        units.append(_Figure(i, last, value, _counts_people(lexicon, tokens, last, text)))
        i = last + 1
    units = _drop_upper_ends(lexicon, tokens, units, text)
    return _sum_lists(lexicon, tokens, units, text)


def _compound(lexicon: Lexicon, tokens: list[_Token], i: int, text: str) -> tuple[int, int]:
    """The value of the number starting at token i and its last token: "twenty five", "vingt-cinq", "two hundred",
    "خمسة وعشرين", "сто двадцать", "2 thousand"."""
    value = tokens[i].value or 0
    j = i
    if tokens[i].text[0].isdecimal() and i + 1 < len(tokens):  # "52 mil", "12 thousand", "3 тысячи"
        scale = tokens[i + 1]
        if scale.value in (100, 1000) and not scale.text[0].isdecimal() and value < scale.value \
                and text[tokens[i].end:scale.start].strip() == "":
            return value * scale.value, i + 1
    while j + 1 < len(tokens) and not tokens[i].text[0].isdecimal():
        nxt = tokens[j + 1]
        gap = text[tokens[j].end:nxt.start]
        if (j + 2 < len(tokens) and lexicon.is_word("list", nxt.text) and tokens[j + 2].value is not None
                and not tokens[j + 2].text[0].isdecimal() and value >= 20 and value % 10 == 0
                and tokens[j + 2].value < 10):
            value += tokens[j + 2].value  # "treinta y cinco", "trente et un", "one hundred and five"
            j += 2
            continue
        number = nxt.value
        arabic_and = number is not None and nxt.key[:1] == "و" and nxt.key not in lexicon.numbers
        if number is None or nxt.text[0].isdecimal() or gap.strip(" " + _HYPHEN) != "":
            break
        if number in (100, 1000) and value < number:
            value *= number
        elif number == 12 and 1 < value < 12 and not tokens[j].text[0].isdecimal():
            value *= number  # "two dozen"
        elif (value >= 20 and value % 10 == 0 and value < 100 and number < 10) or (value == 10 and number < 10) \
                or (value in (60, 80) and 10 <= number < 20):
            value += number  # "twenty five", "dix-sept", "soixante-dix"
        elif value == 4 and number == 20:
            value = 80  # "quatre-vingt"
        elif value >= 100 and value % 100 == 0 and number < 100:
            value += number
        elif value < 10 and (number == 10 or (number % 10 == 0 and 20 <= number < 100 and arabic_and)):
            value += number  # "ثلاثة عشر", "خمسة وعشرين"
        else:
            break
        j += 1
    return value, j


def _not_a_figure(lexicon: Lexicon, tokens: list[_Token], i: int, last: int, text: str) -> bool:
    """A year, a day of a date, an age or measure ("25-year-old"), a time, a percentage, "one" as an article,
    a count of weapons or places ("5 missiles")."""
    first, end = tokens[i], tokens[last]
    word = first.text
    if word.isdecimal() and len(word) == 4 and 1900 <= int(word) <= 2100 and first is end:
        return True
    around = [tokens[j] for j in (i - 1, last + 1) if 0 <= j < len(tokens)]
    if word[0].isdecimal() and any(lexicon.is_word("calendar", t.text) for t in around):
        return True
    if _age(lexicon, tokens, i, last, text):
        return True
    after = text[end.end:end.end + 2]
    before = text[max(0, first.start - 1):first.start]
    if after[:1] in _HYPHEN and after[1:2].isalpha():
        return True  # 25-year-old, 52-летний, 155-mm
    if after[:1] in ":%٪" or before in (":", "$", "€", "£", "№", "#") or (after[:1] in ".," and after[1:2].isdecimal()):
        return True
    if before in ".,/" and text[max(0, first.start - 2):first.start - 1].isdecimal():
        return True  # the second part of "22.02", "1,5"
    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    if not word[0].isdecimal() and _ambiguous(lexicon, tokens, i, last) \
            and not _word_counts(lexicon, tokens, i, last, text):
        return True
    # "5 missiles", "3 villages", "two drones": a count of weapons or places
    return nxt is not None and not nxt.free and nxt.kind is None and not text[end.end:nxt.start].strip() and (
        any(EVENT_TYPES[t].family == "remote violence" for t in lexicon.cue_types(nxt.text))
        or (lexicon.is_word("fillers", nxt.text) and len(nxt.key) > 3) or lexicon.is_word("calendar", nxt.text))


def _age(lexicon: Lexicon, tokens: list[_Token], i: int, last: int, text: str) -> bool:
    """Whether a number is an age: an age word right after it ("45 ans", "45 лет", "45 عاما"), or right before it
    when no person follows ("aged 45 was killed", not "this year 12 people were killed")."""
    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    if nxt is not None and lexicon.is_word("ages", nxt.text) and not text[tokens[last].end:nxt.start].strip():
        return True
    previous = tokens[i - 1] if i > 0 else None
    return previous is not None and lexicon.is_word("ages", previous.text) \
        and not text[previous.end:tokens[i].start].strip() \
        and not (nxt is not None and (lexicon.is_word("people", nxt.text) or lexicon.is_word("singular", nxt.text)))


def _ambiguous(lexicon: Lexicon, tokens: list[_Token], i: int, last: int) -> bool:
    """Whether a number word is also a word of some list ("sept" September, "une" a, "bir" a, "once", "الاثنين"
    Monday): the packs are merged."""
    return any(tokens[j].key in words for j in range(i, last + 1)
               for name, words in lexicon.words.items() if name not in _COUNTED)


def _word_counts(lexicon: Lexicon, tokens: list[_Token], i: int, last: int, text: str) -> bool:
    """Whether an ambiguous number word is a count here: right before a person or a casualty word ("sept morts",
    "une personne", "bir kız"), or right after a casualty word and ending the clause ("killing one.")."""
    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    if nxt is not None and not _CUT.search(text[tokens[last].end:nxt.start]) and (
            nxt.kind or lexicon.is_word("people", nxt.text) or lexicon.is_word("singular", nxt.text)):
        return True
    previous = next((tokens[j] for j in range(i - 1, -1, -1) if not tokens[j].free), None)
    return previous is not None and previous.kind is not None and (
        nxt is None or _CUT.search(text[tokens[last].end:nxt.start]) is not None)


_COUNTED = ("killed", "injured", "people", "singular")


def _counts_people(lexicon: Lexicon, tokens: list[_Token], last: int, text: str) -> bool:
    """Whether a people noun follows the figure within three words, with no casualty word or comma between."""
    for j in range(last + 1, min(len(tokens), last + 4)):
        token = tokens[j]
        if token.kind or token.value is not None or _CUT.search(text[tokens[j - 1].end:token.start]):
            return False
        if lexicon.is_word("people", token.text) or lexicon.is_word("singular", token.text):
            return True
    return False


def _after_figure(lexicon: Lexicon, tokens: list[_Token], i: int) -> bool:
    """Whether a singular noun follows a figure ("two soldier...", "bir adam"): the figure counts it, unless a list
    word joins it to the figure's own noun ("bir adam ve oğlu": a second victim)."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if tokens[j].value is not None:
            return True
        if lexicon.is_word("list", tokens[j].text):
            return False
    return False


def _drop_upper_ends(lexicon: Lexicon, tokens: list[_Token], units: list[_Figure], text: str) -> list[_Figure]:
    """The lowest figure of a range: "10-15", "10 to 15", "two or three", "between 10 and 15"."""
    kept: list[_Figure] = []
    for unit in units:
        if kept and not unit.singular and not kept[-1].singular and kept[-1].last + 1 >= unit.first - 1:
            previous = kept[-1]
            gap = text[tokens[previous.last].end:tokens[unit.first].start]
            between = tokens[previous.last + 1:unit.first]
            in_range = bool(_RANGE.match(gap)) or (
                len(between) == 1 and lexicon.is_word("list", between[0].text) and not previous.people)
            if in_range and previous.value <= unit.value:
                kept[-1] = _Figure(previous.first, unit.last, previous.value, unit.people or previous.people)
                continue
        kept.append(unit)
    return kept


def _sum_lists(lexicon: Lexicon, tokens: list[_Token], units: list[_Figure], text: str) -> list[_Figure]:
    """"two civilians and seven policemen", "a man and a woman": one figure, their sum."""
    merged: list[_Figure] = []
    for unit in units:
        if merged and merged[-1].people and unit.people and _joined(lexicon, tokens, merged[-1], unit, text):
            previous = merged[-1]
            merged[-1] = _Figure(previous.first, unit.last, previous.value + unit.value, True,
                                 previous.singular and unit.singular)
        else:
            merged.append(unit)
    return merged


def _joined(lexicon: Lexicon, tokens: list[_Token], left: _Figure, right: _Figure, text: str) -> bool:
    """Whether only people nouns and one list word or comma (and an article, a possessive or an age before a singular
    noun) stand between two figures: "two civilians and seven policemen", "three soldiers, a child", "a man and his
    son", "un homme et son fils", "رجل وابنه" (Arabic "و" joined to the second noun)."""
    between = range(left.last + 1, right.first)
    joins = [j for j in between if lexicon.is_word("list", tokens[j].text)]
    # the noun a number word counts ("un homme": "un" is the figure) stands with it
    others = [j for j in between if j not in joins and not tokens[j].free
              and not (j == left.last + 1 and left.people and lexicon.is_word("singular", tokens[j].text))]
    if len(joins) > 1 or any(tokens[j].kind or tokens[j].gone for j in between):
        return False
    if not joins and "," not in text[tokens[left.last].end:tokens[right.first].start] \
            and not (right.singular and not others and _and_noun(lexicon, tokens[right.first])):
        return False
    # a possessive and an age may stand before the second noun: "and his 13-year-old son"
    after = joins[0] if joins else left.last
    return all(right.singular and after < j and right.first - j <= _NOUN_REACH for j in others)


def _and_noun(lexicon: Lexicon, token: _Token) -> bool:
    """Whether a word is Arabic "و" + a singular noun (وابنه), not a noun of its own."""
    return token.key[:1] == "و" and token.key not in lexicon.words["singular"] \
        and lexicon.is_word("singular", token.text)


# --- inclusion clauses, cumulative tolls, zero -------------------------------------------------------------


def _runs(tokens: list[_Token], mark: str) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` of each longest run of tokens carrying ``mark`` (a phrase of a pack list)."""
    i = 0
    while i < len(tokens):
        if mark not in tokens[i].marks:
            i += 1
            continue
        start = i
        while i < len(tokens) and mark in tokens[i].marks:
            i += 1
        yield start, i


def _mark_subsets(lexicon: Lexicon, tokens: list[_Token], text: str) -> None:
    """Drop "including three children" after a figure: the part belongs to the figure before it."""
    done = 0  # tokens before this one are dropped already
    for start, stop in _runs(tokens, "subset"):
        if start < done:
            continue
        earlier = tokens[max(0, start - _SUBSET_REACH):start]
        if not any(t.value is not None or lexicon.is_word("singular", t.text) for t in earlier):
            continue
        end = start
        for j in range(stop, min(len(tokens), stop + _SUBSET_REACH)):
            if tokens[j].kind or (j > stop and _CUT.search(text[tokens[j - 1].end:tokens[j].start])):
                break
            end = j
        else:
            end = min(len(tokens), stop + _SUBSET_REACH) - 1
        for token in tokens[start:end + 1]:
            token.gone = True
        done = end + 1


def _cumulative_near(tokens: list[_Token], unit: _Figure) -> bool:
    window = tokens[max(0, unit.first - _CUMULATIVE_REACH):unit.last + _CUMULATIVE_REACH + 1]
    return any("cumulative" in t.marks and "approximate" not in t.marks for t in window)


def _unharmed(lexicon: Lexicon, tokens: list[_Token]) -> tuple[str, ...]:
    """The figures a zero phrase sets to 0: "no casualties" both, "no one was killed" the fatalities only."""
    kinds: set[str] = set()
    for start, stop in _runs(tokens, "unharmed"):
        named = {t.kind for t in tokens[start:stop] if t.kind}
        kinds |= {"killed"} if named == {"killed"} else {"killed", "injured"}
    return tuple(kinds)


# --- a figure's casualty word -------------------------------------------------------------------------------


def _casualty_word(lexicon: Lexicon, tokens: list[_Token], unit: _Figure, text: str) -> tuple[int, float] | None:
    """(index, cost) of the casualty word that fits the figure best, or None."""
    best: tuple[int, float] | None = None
    # the casualty word after the figure ("19 people were killed"): farther when the figure counts people, but
    # then not across a comma or a list word ("one person is between life and death" is no toll)
    reach = _SINGULAR_REACH if unit.singular else (_SUBJECT_REACH if unit.people else _BEFORE_REACH)
    cost, crossed = 0.0, False
    for j in range(unit.last + 1, len(tokens)):
        token = tokens[j]
        if token.gone or "unharmed" in token.marks:
            continue
        # the commas around a dropped inclusion clause cut nothing ("five people, including two children, were ...")
        crossed = crossed or (not tokens[j - 1].gone and _CUT.search(text[tokens[j - 1].end:token.start]) is not None) \
            or lexicon.is_word("list", token.text)
        if token.kind:
            best = (j, cost + (1.5 if _cut(lexicon, tokens, unit.last, j, text) else 0.0))
            break
        if token.value is not None or (crossed and not unit.people):
            break  # "destroyed 15 vehicles and killed ...": a count of things is no toll across "and"
        if cost > _BEFORE_REACH and token.free and (
                lexicon.is_word("people", token.text) or lexicon.is_word("singular", token.text)):
            break  # "300 people attended the funeral of the soldiers killed": the soldiers are the victims
        if not token.free:
            cost += 0.5 if lexicon.is_word("passive", token.text) else 1.0
        if cost > reach or (cost > _BEFORE_REACH and crossed):
            break
    # the casualty word before it ("killing at least 19 people", "the toll rose to 25.")
    cost, own = 0.0, True  # own: the word right before the figure (its preposition: "in 3 strikes")
    ends = _ends_object(lexicon, tokens, unit, text)
    reach = _SINGULAR_REACH if unit.singular else _OBJECT_REACH if not ends or not (
        unit.people or _clause_ends(tokens, unit.last, text)) else _TOLL_REACH
    for j in range(unit.first - 1, -1, -1):
        token = tokens[j]
        if token.gone or "unharmed" in token.marks:
            continue
        if token.kind:
            if (cost or not tokens[unit.first].text[0].isdecimal()) and not ends:
                break
            total = cost + (1.5 if _cut(lexicon, tokens, j, unit.first, text) else 0.0) + 0.25
            if best is None or total < best[1]:
                best = (j, total)
            break
        if token.free:
            continue
        if token.value is not None or own and not unit.people and not _clause_ends(tokens, unit.last, text) and any(
                lexicon.is_word(name, token.text) for name in ("locative", "agent", "source")):
            break
        own = False
        cost += 1.0
        if cost > reach:
            break
    return best


def _clause_ends(tokens: list[_Token], last: int, text: str) -> bool:
    return last + 1 >= len(tokens) or bool(_CUT.search(text[tokens[last].end:tokens[last + 1].start])) \
        or "." in text[tokens[last].end:tokens[last + 1].start]


def _distance(lexicon: Lexicon, tokens: list[_Token], text: str, at: int, start: int, end: int) -> float:
    """How far a figure told at text[start:end] is from the place at ``at``: characters, and much more across the
    start of another coordinated clause (", and", ";", or "and" opening the figure's own gapped clause: "five in
    Odesa and two in Mykolaiv")."""
    lo, hi = (at, start) if at < start else (end, at)
    if lo >= hi:
        return 0.0
    between = [j for j, t in enumerate(tokens) if lo <= t.start and t.end <= hi]
    crosses = ";" in text[lo:hi] or any(
        lexicon.is_word("list", tokens[j].text) and j > 0 and (
            "," in text[tokens[j - 1].end:tokens[j].start]
            or next((t.start for t in tokens[j + 1:] if not t.free), None) == start)
        for j in between)
    return hi - lo + (1000.0 if crosses else 0.0)


def _gapped(lexicon: Lexicon, tokens: list[_Token], unit: _Figure, text: str) -> bool:
    """Whether a figure with no casualty word of its own stands in a gapped clause, after "and" and before a place
    preposition: "three died in Kharkiv and two in Sumy", "трое погибли в Харькове и двое в Сумах"."""
    before = next((t for t in reversed(tokens[:unit.first]) if not t.free), None)
    after = next((t for t in tokens[unit.last + 1:] if not t.free), None)
    return before is not None and after is not None and lexicon.is_word("list", before.text) \
        and lexicon.is_word("locative", after.text)


def _ends_object(lexicon: Lexicon, tokens: list[_Token], unit: _Figure, text: str) -> bool:
    """Whether the figure ends the phrase it counts ("the toll rose to 25." / "to 25 people"), not "during 3 days"."""
    if unit.people or re.search(r"\d['’]", tokens[unit.last].text):  # "25'e": a Turkish case ends the phrase
        return True
    if unit.last + 1 >= len(tokens):
        return True
    nxt = tokens[unit.last + 1]
    return bool(_CUT.search(text[tokens[unit.last].end:nxt.start])) or nxt.kind is not None \
        or lexicon.is_word("list", nxt.text) or lexicon.is_word("locative", nxt.text)


def _cut(lexicon: Lexicon, tokens: list[_Token], lo: int, hi: int, text: str) -> bool:
    """Whether a comma, a list word or an Arabic "و" stands between tokens lo and hi (a dropped inclusion clause
    and the commas around it do not count)."""
    kept = [lo, *(j for j in range(lo + 1, hi) if not tokens[j].gone), hi]
    for a, b in pairwise(kept):
        if b == a + 1 and _CUT.search(text[tokens[a].end:tokens[b].start]):
            return True
    if any(lexicon.is_word("list", tokens[j].text) for j in kept[1:-1]):
        return True
    return _and_clitic(lexicon, tokens[hi])


def _and_clitic(lexicon: Lexicon, token: _Token) -> bool:
    """Whether a word is Arabic "و" + a number or casualty word (وثلاثين, وجرح), not a word of its own (وفاة)."""
    if token.key[:1] != "و" or len(token.key) < 3:
        return False
    if token.value is not None:
        return token.key not in lexicon.numbers
    return token.kind is not None and token.key not in lexicon.words[token.kind]


def _dates_itself(lexicon: Lexicon, text: str, sentence: str) -> bool:
    """Whether a neighbour names a day (weekday, month) the event's sentence does not: it tells another event."""
    own = _calendar_words(lexicon, sentence)
    return any(word not in own for word in _calendar_words(lexicon, text))


_CALENDAR_MEMO: Memo = Memo(_SENTENCES)  # (lexicon, sentence) -> its folded calendar words


def _calendar_words(lexicon: Lexicon, text: str) -> frozenset[str]:
    """The folded calendar words (weekdays, months) of a sentence; memoised (a sentence is read for each place
    in it and as the neighbour of the one before)."""
    return _remembered(_CALENDAR_MEMO, (id(lexicon), text), lambda: frozenset(
        fold(w) for w in _WORDS.findall(text) if lexicon.is_word("calendar", w)))


_WORDS = re.compile(r"[^\W\d_]+")
