"""Places the gazetteer lacks, kept as event places: "gunmen killed nine villagers in Tombrakou, in Mopti region".

A name the recognizer reads as a place it cannot resolve (:meth:`Recognizer.unlisted`: "in Tombrakou", "the
village of Kalbouna", "بلدة دير الوادي") becomes a *locality*: the name as the text gives it, at the point of the
nearest town, district, admin-1 unit or named area its sentence names, with ``geo_precision`` 2 — as ACLED codes
a village it cannot find at the nearest unit it can.  A name whose sentence gives no such unit is left out: a
country's centroid says nothing of where a village is.  Localities are event places only; ``parse`` reports the
gazetteer's toponyms alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from gazetteer import LOCALITY, Place
from gazetteer.normalize import fold, script_of

from .lexicon import Lexicon
from .model import Toponym
from .recognize import Mention, Recognizer
from .text import sentences, tokenize

__all__ = ["localities", "with_localities"]

_HOLDERS = ("city", "district", "admin1", "area")  # the kinds of place that may hold a locality
_QUOTES = frozenset("\"“”«»„‘")  # not the apostrophe of an elision: "la zone d'Al-Kabra"
_APPOSITION = 4  # words of an apposition that names a person ("Kalimbo, the mayor of the town")
_REACH = 160  # characters at most between a locality and the unit said to hold it


def localities(recognizer: Recognizer, text: str, recognised: Sequence[tuple[Toponym, Mention]],
               lang: str | None = None) -> list[tuple[Toponym, Mention]]:
    """The unlisted place names of ``text`` that a sentence puts in a known unit, as toponyms at that unit's point,
    each with the mention of its own sentence.  One sense per document: every mention of a name takes the unit the
    first sentence that gives one puts it in ("… villages of Mopti region, Kalbouna among them. … in Kalbouna, two
    people were killed")."""
    spans = recognizer.unlisted(text, [(t.start, t.end) for t, _ in recognised], lang)
    bounds = [s.start for s in sentences(text)]
    lexicon = recognizer.lexicon
    readings = []
    held: dict[str, tuple[Toponym, Mention]] = {}  # folded name -> the unit a sentence puts it in
    for start, end in spans:
        if not _reads_as_place(lexicon, text, start, end):
            continue
        sentence = bisect_right(bounds, start) - 1
        holder = _holder(lexicon, text, recognised, sentence, start, end)
        if holder is not None and holder[0].place.kind == "city" and lexicon.is_word("district", _next_word(text, end)):
            continue  # "в Заводском районе Харькова": a district of the town, whose event is the town's
        readings.append((start, end, sentence, holder))
        if holder is not None:
            held.setdefault(fold(text[start:end]), holder)
    found = []
    for start, end, sentence, holder in readings:
        holder = holder or held.get(fold(text[start:end]))
        if holder is None:
            continue
        unit, mention = holder
        name = text[start:end]
        place = Place(name=name, lat=unit.place.lat, lon=unit.place.lon, kind=LOCALITY,
                      country_iso2=unit.place.country_iso2, admin1=unit.place.admin1,
                      admin1_code=unit.place.admin1_code, ref=f"{unit.place.key}/{fold(name)}")
        found.append((Toponym(start, end, name, place, unit.score, LOCALITY),
                      replace(mention, start=start, end=end, surface=name, queries=[], single_word=" " not in name,
                              script=script_of(name), objections=(), sentence=sentence)))
    return found


def with_localities(recognizer: Recognizer, text: str, recognised: Sequence[tuple[Toponym, Mention]],
                    lang: str | None = None) -> list[tuple[Toponym, Mention]]:
    """``recognised`` and the :func:`localities` of the text, in text order: the places events may sit at."""
    return sorted([*recognised, *localities(recognizer, text, recognised, lang)], key=lambda pair: pair[0].start)


def _reads_as_place(lexicon: Lexicon, text: str, start: int, end: int) -> bool:
    """Whether an unlisted name may be a village rather than a group, an outlet or a person: not before a word of
    armed forces or a title ("Sabeyi fighters", "a Sabeyi commander"), not in quotes ("according to «Kalimbo»",
    an outlet), not after a title or a speech verb over one word ("the regional governor Ostap Verbynko",
    "повідомили у Генштабі": who tells, not where), nor beside a title in an apposition ("Kalimbo, the mayor of the
    town", "the mayor of the city, Ostap Verbynko")."""
    after = _next_word(text, end)
    if lexicon.is_word("forces", after) or lexicon.is_word("titles", after):
        return False
    if text[max(0, start - 1):start] in _QUOTES:
        return False
    if text[end:end + 2] == ", " and any(lexicon.is_word("titles", t.text)
                                         for t in tokenize(text, end, min(len(text), end + 60))[:_APPOSITION]):
        return False  # "Kalimbo, the mayor of the town": a person
    before = tokenize(text, max(0, start - 80), start)
    # "the mayor of the city, Ostap Verbynko": a title a few words before and a comma
    reach = _APPOSITION + 2 if text[max(0, start - 2):start] == ", " else 2
    return not any(lexicon.is_word("titles", t.text) for t in before[-reach:]) \
        and not any(lexicon.is_word("speech", t.text) for t in before[-2:])


def _next_word(text: str, end: int) -> str:
    """The word right after ``end``, or ''."""
    words = tokenize(text, end, min(len(text), end + 40))
    return words[0].text if words else ""


def _listed_beside(lexicon: Lexicon, gap: str) -> bool:
    """Whether the words between two places only list them side by side: a comma or a list word, and place nouns at
    most ("Tombrakou et Kalbouna", "منطقة الوادي، منطقة التلة"); "Tombrakou in Mopti region" or "Kalbouna, à l'ouest
    de Mopti" put one in the other."""
    words = re.findall(r"[^\W\d_]+", gap)
    listing = [w for w in words if lexicon.is_word("list", w) or w == "و"]
    return bool(listing or re.search(r"[,،]", gap)) and all(
        lexicon.is_word("list", w) or w == "و" or lexicon.is_place_noun(w) for w in words)


def _holder(lexicon: Lexicon, text: str, recognised: Sequence[tuple[Toponym, Mention]], sentence: int, start: int,
            end: int) -> tuple[Toponym, Mention] | None:
    """The nearest unit of the locality's sentence that may hold it (after it first on a tie: "Tombrakou in Mopti
    region"), within :data:`_REACH` characters, no other place between them, but for a place listed beside it
    (:func:`_listed_beside`)."""
    best: tuple[int, int, tuple[Toponym, Mention]] | None = None
    named = [t for t, _ in recognised]
    for toponym, mention in recognised:
        if mention.sentence != sentence or toponym.place.kind not in _HOLDERS or "org" in mention.objections:
            continue
        before = toponym.end <= start
        gap = start - toponym.end if before else toponym.start - end
        lo, hi = (toponym.end, start) if before else (end, toponym.start)
        if gap < 0 or gap > _REACH or _listed_beside(lexicon, text[lo:hi]) \
                or any(lo <= t.start and t.end <= hi for t in named):
            continue
        rank = (gap, int(before))
        if best is None or rank < best[:2]:
            best = (*rank, (toponym, mention))
    return best[2] if best is not None else None
