"""Tokens and sentences with character offsets into the text as read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer.memo import memoised

__all__ = ["Token", "Sentence", "tokenize", "sentences", "neighbour_texts", "whole_word_spans", "MAX_SENTENCE"]

# A word: letters, with inner hyphens or apostrophes (Nagorno-Karabakh, Ma'arrat), or a dotted abbreviation (U.S., W.Va.).
# Combining marks (Arabic harakat, shadda; decomposed Latin accents) stay inside the word: قُتل, عمّان.
MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD = re.compile(rf"(?:[A-Z][a-z]{{0,3}}\.){{2,}}|[^\W\d_](?:[^\W_]|[{MARKS}]|['’ʼ‘\-‐‑](?=[^\W\d_]))*")
_POSSESSIVE = re.compile(r"['’ʼ]s$")
_ELISION = re.compile(r"^(?:[dDlLjJmMnNsStTcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu)['’ʼ](?=[^\W\d_])")
# A sentence ends at . ! ? ؟ … followed by space and a capital, a non-Latin letter, a quote or a digit;
# a line break after final punctuation, or ending a line without it (headlines, datelines), too.
_SENTENCE_END = re.compile(
    r"(?<=[.!?؟…])[\"'”’»)]*\s+(?=[\"'“‘«(]*[^\W\d_a-z]|[\"'“‘«(]*\d)|\n\s*\n|(?<=[^.!?؟…,;:\s])[ \t]*\n(?=\s*\S)"
    r"|(?<=[.!?؟…])[\"'”’»)]*[ \t]*\n(?=\s*\S)"
)
#: the longest sentence, in characters: a longer run without sentence-final punctuation (a list, a
#: table flattened to text, a page with no full stops) is cut at clause breaks, so the work per
#: sentence (quadratic in its words) stays bounded and time is linear in article size
MAX_SENTENCE = 600
_CLAUSE_BREAK = re.compile(r"[;,:]\s|\s[—–-]\s")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Capt|St|Mt|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Vol|"
    r"U\.S|U\.K|U\.N|E\.U|Inc|Corp|Co|Ltd|vs|etc|approx|ca|M|Mme|г|гг|ул|вул|просп|т\.е|т\.к)\.|\b[A-Z]\.)$"
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    elided: str = ""  # a French elided article or pronoun left outside the word ("l'" of "l'attaque")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """Word tokens of ``text[start:end]``; an English possessive 's and a French elided
    article (d', l', qu') are not part of the word.  Memoised: recognition and event
    detection tokenise the same sentences, each stage every sentence of the article in turn,
    so the pieces of the last two texts are kept whole (a bounded cache of pieces would miss
    on every sentence of a long article), whole short texts in a bounded cache."""
    if start == 0 and end is None:
        return _tokenize_whole(text)
    pieces = _pieces_of(text)
    found = pieces.get((start, end))
    if found is None:
        found = pieces[(start, end)] = _tokenize(text, start, end)
    return found


@memoised(8192)
def _tokenize_whole(text: str) -> tuple[Token, ...]:
    return _tokenize(text, 0, None)


@memoised(2)
def _pieces_of(text: str) -> dict[tuple[int, int | None], tuple[Token, ...]]:
    """The tokens of the pieces of ``text`` tokenised so far (filled by :func:`tokenize`)."""
    return {}


def _tokenize(text: str, start: int, end: int | None) -> tuple[Token, ...]:
    tokens = []
    for match in _WORD.finditer(text, start, len(text) if end is None else end):
        word = match.group()
        if "'" not in word and "’" not in word and "ʼ" not in word:
            tokens.append(Token(match.start(), match.end(), word))  # no possessive, no elision (most words)
            continue
        s, e = match.span()
        if possessive := _POSSESSIVE.search(word):
            e -= len(possessive.group())
        elided = ""
        if (elision := _ELISION.match(word)) and not _names_with_n(word, elision.group()):
            elided = elision.group()
            s += len(elided)
        if e > s:
            tokens.append(Token(s, e, text[s:e], elided))
    return tuple(tokens)


def whole_word_spans(name: str, text: str) -> list[tuple[int, int]]:
    """Where ``name`` stands in ``text`` with no word character (``\\w``) touching it, left to right and not
    overlapping: ``re.finditer(rf"(?<!\\w){re.escape(name)}(?!\\w)", text)``, without compiling a pattern for
    every name asked (which would churn ``re``'s cache of compiled patterns all through a corpus)."""
    spans: list[tuple[int, int]] = []
    at = text.find(name) if name else -1
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not _is_word_character(text[at - 1])) and (end == len(text) or not _is_word_character(text[end])):
            spans.append((at, end))
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)
    return spans


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"  # what \w matches in a str pattern


def _names_with_n(word: str, elided: str) -> bool:
    """Whether an "N'" before a capital begins a name (N'Djamena, Fada N'Gourma, N'Zérékoré), never the
    French negation, which a verb in lower case follows."""
    return elided[0] in "nN" and word[len(elided)].isupper()


@memoised(4)
def sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences (and headline or dateline lines) of ``text`` with their offsets; memoised (recognition and
    event detection read the same article one after the other)."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATIONS.search(text[max(start, match.start() - 12):match.start()]):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for s, e in (piece for span in spans for piece in _bounded(text, *span)):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append(Sentence(s, e, text[s:e]))
    return tuple(result)


def neighbour_texts(spans: Sequence[Sentence], i: int) -> list[str]:
    """The texts of the sentences before and after sentence ``i`` of ``spans`` (those there are)."""
    return [spans[j].text for j in (i - 1, i + 1) if 0 <= j < len(spans)]


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most MAX_SENTENCE characters, cut after the last clause
    break (``;`` ``,`` ``:`` or a dash) of each window, else at its last space, else hard."""
    pieces = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = max((m.end() for m in _CLAUSE_BREAK.finditer(text, start + MAX_SENTENCE // 2, limit)), default=0)
        if not cut:
            space = max(text.rfind(" ", start + MAX_SENTENCE // 2, limit), text.rfind("\n", start, limit))
            cut = space + 1 if space > start else limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces
