"""Casualty figures of an event: how many were killed and injured, as the sentence says.

A figure is a number (digits, Arabic-Indic digits or a number word of any pack) within a
few words of a casualty word of the packs ("killing 6 civilians", "19 people were killed",
"двоє загиблих", "مقتل 25 شخصا", "trois morts"); people nouns ("civilians", "людей") and
approximation words ("at least", "щонайменше") may stand between.  "at least N" and
ranges ("10-15") give the lowest figure; a year or a day of a date is no figure; a figure
beside a cumulative word ("in total", "since the start of the war") is a war's toll, not
this event's.  When the sentence gives no figure, its neighbour may (the toll is often
the next sentence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lexicon import Lexicon
from .text import MARKS

__all__ = ["find_casualties", "figures"]

_TOKEN = re.compile(rf"\d+(?:[.,]\d{{3}})*|[^\W\d_](?:[^\W\d_]|[{MARKS}])*(?:['’ʼ][^\W\d_]+)*")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_REACH = 4  # words between a figure and its casualty word, people nouns and fillers included
_RANGE = re.compile(r"^\s*(?:-|–|—|to|à|a|до|ila)\s*$")


def find_casualties(lexicon: Lexicon, sentence: str, neighbours: Sequence[str] = ()) -> tuple[int | None, int | None]:
    """(killed, injured) the sentence reports, or a neighbour when the sentence gives none."""
    killed, injured = figures(lexicon, sentence)
    if killed is None and injured is None:
        for text in neighbours:
            killed, injured = figures(lexicon, text)
            if killed is not None or injured is not None:
                break
    return killed, injured


def figures(lexicon: Lexicon, text: str) -> tuple[int | None, int | None]:
    """The highest killed and injured figures of one sentence (each None when not given)."""
    plain = text.translate(_ARABIC_DIGITS)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(plain)]
    found: dict[str, int] = {}
    for i, (start, end, word) in enumerate(tokens):
        value = _value(lexicon, word)
        if value is None or _is_date_or_year(lexicon, tokens, i, word):
            continue
        if i > 0 and tokens[i - 1][2].isdigit() and _RANGE.match(text[tokens[i - 1][1]:start]):
            continue  # the upper end of "10-15"
        kind = _kind_near(lexicon, tokens, i, plain)
        if kind is None or _cumulative_near(lexicon, tokens, i):
            continue
        found[kind] = max(found.get(kind, 0), value)
    return found.get("killed"), found.get("injured")


def _value(lexicon: Lexicon, word: str) -> int | None:
    if word[0].isdigit():
        digits = re.sub(r"[.,]", "", word)
        return int(digits) if len(digits) <= 6 else None
    return lexicon.number(word)


def _is_date_or_year(lexicon: Lexicon, tokens: list[tuple[int, int, str]], i: int, word: str) -> bool:
    if word.isdigit() and len(word) == 4 and 1900 <= int(word) <= 2100:
        return True
    neighbours = [tokens[j][2] for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
    return word.isdigit() and any(lexicon.is_word("calendar", w) for w in neighbours)


def _kind_near(lexicon: Lexicon, tokens: list[tuple[int, int, str]], i: int, text: str) -> str | None:
    """"killed" or "injured": the casualty word nearest the figure, with no other figure between;
    at equal distance the one not cut off by a comma or a list word ("two killed, three injured")."""
    best: tuple[float, str] | None = None
    for j in range(max(0, i - _REACH), min(len(tokens), i + _REACH + 1)):
        if j == i:
            continue
        word = tokens[j][2]
        kind = "killed" if lexicon.is_word("killed", word) else "injured" if lexicon.is_word("injured", word) else None
        if kind is None:
            continue
        lo, hi = min(i, j), max(i, j)
        if any(_value(lexicon, w) is not None for _, _, w in tokens[lo + 1:hi]):
            continue
        gap = text[tokens[lo][1]:tokens[hi][0]]
        cut = bool(re.search(r"[,;،]", gap)) or any(lexicon.is_word("list", w) for _, _, w in tokens[lo + 1:hi]) \
            or (j > i and word[:1] == "و" and lexicon.is_word("list", "و"))
        cost = abs(j - i) + (1.5 if cut else 0.0)
        if best is None or cost < best[0]:
            best = (cost, kind)
    return best[1] if best else None


def _cumulative_near(lexicon: Lexicon, tokens: list[tuple[int, int, str]], i: int) -> bool:
    window = tokens[max(0, i - 6):i + 7]
    return any(lexicon.is_word("cumulative", w) for _, _, w in window)
