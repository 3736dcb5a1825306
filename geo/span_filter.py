"""Is this spotted name a place here? The learned span filter of toponym recognition.

Every name the spotter finds becomes a row of language-neutral features: how it is written
and where (capitals, sentence start, headline, the word before and after, how everyday its words
are: "White House" is two, a list or a
"Town, State" qualification), what the recognition rules object to (a longer capitalised
name around it, an organisation head, a person's name in this document, an everyday word),
and what the gazetteer offers for it (kind, capital or seat, population, how the name
matched, its score without the document's context and what the context adds to it, never
what it takes away: a roundup of one-line items keeps every place each line gives).  A logistic regression
(``geo/models/toponym_span.json``, fitted by ``scripts/fit_toponym_models.py`` on the public
geoparsing corpora and the dev corpus) turns a row into the probability that the words are a
toponym; the recogniser keeps the names above the model's threshold.

The classic rules are features too (``rule_*``: which of them would have rejected the name),
so the model starts from what they knew and learns how much each one is worth.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gazetteer.place import Candidate, Context

from .ranking import joins

if TYPE_CHECKING:
    from .recognize import Mention

__all__ = ["SPAN_FEATURES", "OBJECTIONS", "CLASSIC_RULES", "Neighbourhood", "neighbourhoods", "span_features"]

#: What the spotting rules may object to (a ``Mention``'s ``objections``).
OBJECTIONS = ("org", "facility", "longer_next", "longer_prev", "common_cased", "person", "common_script_word",
              "inside_name")
#: The classic acceptance rules, by the name of the rule that rejects (``Recognizer._classic_verdict``).
CLASSIC_RULES = ("title_town", "acronym_town", "code_word", "foreign_alternate", "common_cased_town",
                 "everyday_word", "weak_position", "arabic_weak", "low_score")
_KINDS = ("country", "continent", "area", "admin1", "district", "city")
_METHODS = ("exact", "alternate", "normalised", "override")
_SCRIPTS = ("latin", "cyrillic", "arabic")

SPAN_FEATURES: tuple[str, ...] = (
    "bias",
    *(f"script_{s}" for s in _SCRIPTS),
    "words", "single_word", "zipf", "zipf_caseless", "zipf_cyrillic", "words_zipf", "acronym", "all_caps",
    "abbreviation",
    "weak_position", "shouted_zipf", "after_title", "after_locative", "after_path", "after_name_of", "place_noun",
    "inflected",
    "suffixed",
    "before_unknown_name",
    *(f"objection_{o}" for o in OBJECTIONS), "objected",
    "next_speech", "qualified_by_next", "qualifies_previous", "in_list", "repeats", "located",
    *(f"kind_{k}" for k in _KINDS), "capital", "seat", "log_population",
    *(f"method_{m}" for m in _METHODS),
    "score", "first_score", "context_gain", "supported",
    *(f"rule_{r}" for r in CLASSIC_RULES), "classic_accept",
)


@dataclass(frozen=True)
class Neighbourhood:
    """What the text around a mention says, worked out over the document's mentions."""

    next_speech: bool = False  # "Nelson said"
    qualified_by_next: bool = False  # "Caddo, Okla." (for Caddo)
    qualifies_previous: bool = False  # "Caddo, Okla." (for Okla.)
    in_list: bool = False  # "Becker, Clay, Douglas and Grant"
    repeats: int = 1  # mentions of the same words in the document
    located: bool = False  # a mention of the same reading in the document is placed by its words: after a locative
    #                        or path word, beside a place noun, or in a "Town, Region" pair (one sense per document)


def span_features(mention: "Mention", best: Candidate, first: Candidate | None, context: Context,
                  around: Neighbourhood, zipf: float, verdict: str | None) -> list[float]:
    """The feature row of one spotted name (order of :data:`SPAN_FEATURES`)."""
    place = best.place
    letters = mention.surface.replace(".", "").replace(" ", "")
    first_score = first.score if first is not None else 0.0
    row: list[float] = [1.0]
    row += [float(mention.script == s) for s in _SCRIPTS]
    words = mention.surface.count(" ") + 1
    # in a script without capitals every word looks like a name: how everyday it is weighs more there; in Cyrillic,
    # whose word lists hold fewer place names than English's, an everyday word is likelier the word ("Ваш")
    row += [min(words, 4) / 4, float(mention.single_word), zipf / 8 if mention.single_word else 0.0,
            zipf / 8 if mention.single_word and mention.script == "arabic" else 0.0,
            zipf / 8 if mention.single_word and mention.script == "cyrillic" else 0.0,
            zipf / 8 if not mention.single_word else 0.0,
            float(letters.isupper() and len(letters) <= 4), float(letters.isupper() and len(letters) > 4),
            float(mention.surface.endswith("."))]
    # capitals in a headline written in capitals say nothing: an everyday word there is the word ("BARIŞ", peace),
    # while a dateline's capitals ("KYIV, March 3") stand alone
    row += [float(mention.weak_position), zipf / 8 if mention.single_word and mention.shouted else 0.0,
            float(mention.after_title), float(mention.after_locative), float(mention.after_path),
            float(mention.after_name_of),
            float(mention.place_noun), float(mention.inflected), float(mention.suffixed),
            float(mention.before_unknown_name)]
    row += [float(o in mention.objections) for o in OBJECTIONS] + [float(bool(mention.objections))]
    row += [float(around.next_speech), float(around.qualified_by_next), float(around.qualifies_previous),
            float(around.in_list), math.log(around.repeats), float(around.located)]
    row += [float(place.kind == k) for k in _KINDS]
    row += [float(place.rank == 2), float(place.rank == 1),
            math.log10(place.population + 1) / 7 if place.kind == "city" else 0.0]
    row += [float(best.method == m) for m in _METHODS]
    supported = bool(place.country_iso2 and place.country_iso2 in context.countries)
    # context may help a name, never erase one whose own evidence is good (a roundup's single mentions)
    row += [max(best.score, first_score), first_score, max(0.0, best.score - first_score), float(supported)]
    row += [float(verdict == r) for r in CLASSIC_RULES] + [float(verdict is None)]
    return row


def neighbourhoods(text: str, spans: Sequence[tuple[int, int, str, str]], speech: Sequence[bool],
                   is_list_word: Callable[[str], bool], placed: Sequence[bool] = (),
                   readings: Sequence[Hashable] = ()) -> list[Neighbourhood]:
    """The :class:`Neighbourhood` of each of ``spans`` (start, end, surface, kind of its best reading; in
    text order); ``speech[i]`` tells whether a speech verb follows span ``i``, ``placed[i]`` whether its own words
    place it (a locative or path word before it, a place noun beside it) and ``readings[i]`` is its best reading."""
    counts: dict[str, int] = {}
    for _, _, surface, _ in spans:
        counts[surface] = counts.get(surface, 0) + 1
    gaps = [text[a[1]:b[0]] for a, b in zip(spans, spans[1:])]
    # "Caddo, Okla.": a town, a comma, its region or country
    qualifies = [gap == ", " and a[3] in ("city", "district") and b[3] in ("admin1", "country")
                 for gap, a, b in zip(gaps, spans, spans[1:])]
    listed = [not q and joins(gap, is_list_word) for gap, q in zip(gaps, qualifies)]
    located: set[Hashable] = set()
    for i, (reading, own) in enumerate(zip(readings, placed)):
        if own or (i < len(gaps) and qualifies[i]) or (i > 0 and qualifies[i - 1]):
            located.add(reading)
    result = []
    for i, (_, _, surface, _) in enumerate(spans):
        result.append(Neighbourhood(
            next_speech=speech[i],
            qualified_by_next=i < len(gaps) and qualifies[i],
            qualifies_previous=i > 0 and qualifies[i - 1],
            in_list=(i < len(gaps) and listed[i]) or (i > 0 and listed[i - 1]),
            repeats=counts[surface],
            located=bool(readings) and readings[i] in located,
        ))
    return result
