"""Ranking the places a name may stand for.

A candidate's score is ``match * (prior + support) / (1 + possible)``:

- ``match`` — how the name matched: 1.0 the place's own name or an alternate
  name as written, 0.7 only after normalisation (مراكش written with the Arabic
  kaf is Marrakesh; Urdu's مراکش is Morocco); times 0.92 when an Arabic clitic
  had to be stripped, times 0.8 for a code (IATA/ICAO: GAO is Guantánamo's airport; it matches only
  as written), times 0.9 for a non-Latin form tagged with another
  language than the document's;
- ``prior`` — what a reader assumes with no context: countries first, then
  continents and named areas, national capitals, namesake towns of an admin-1
  unit (Jabrayil in Jabrayil district), admin-1 units, then populated places by
  population;
- ``support`` — what the document says: same country as a country it mentions,
  same admin-1 unit or near a place already resolved, the kind expected, a name
  in the document's language; ``possible`` is the most support this context could
  give, so scores stay in 0..1 and comparable across contexts.

With context, the document wins: a text full of Idaho places makes Moscow the
one in Idaho.
"""

from __future__ import annotations

import math
import unicodedata

from .index import GazetteerIndex
from .memo import WORDS, memoised
from .normalize import fold, query_keys, script_of
from .overrides import Overrides
from .place import Candidate, Context, Place
from .sources import CODE

__all__ = ["Resolver", "prior"]

_EMPTY = Context()
_KIND_PRIOR = {"country": 1.0, "continent": 0.95, "area": 0.93, "admin1": 0.72, "district": 0.6}
_CAPITAL_PRIOR = 0.9
_SEAT_PRIOR = 0.8
_SUPPORT = {"country": 0.45, "admin1": 0.3, "near": 0.3, "kind": 0.25, "lang": 0.05}
_NEAR_KM = ((50.0, 1.0), (200.0, 0.66), (500.0, 0.33))
_NORMALISED_MATCH = 0.7
_CODE_MATCH = 0.8  # an airport-like code loses to every real name
_FOREIGN_FORM = 0.9  # a non-Latin name tagged with another language than the document's


def prior(place: Place) -> float:
    """How likely a reader takes a name for this place with no context, 0..1."""
    if place.kind != "city":
        return _KIND_PRIOR[place.kind]
    if place.rank == 2:
        return _CAPITAL_PRIOR
    if place.rank == 1:
        return _SEAT_PRIOR
    return 0.3 + 0.45 * min(1.0, math.log10(place.population + 1) / 7)


@memoised(WORDS)
def place_key(place: Place) -> str:
    """The lookup key of a place's own name."""
    return fold(place.name)


class Resolver:
    """Ranks the places of an index (and user overrides) for a name in a context."""

    def __init__(self, index: GazetteerIndex, overrides: Overrides | None = None) -> None:
        self.index = index
        self.overrides = overrides or Overrides()
        self._lookup = memoised(WORDS)(index.lookup)

    def resolve(self, name: str, context: Context | None = None, *, limit: int = 10) -> list[Candidate]:
        """Ranked candidates for ``name``, best first, at most ``limit``."""
        context = context or _EMPTY
        written = unicodedata.normalize("NFC", name.strip()).casefold()
        found: dict[Place, Candidate] = {}
        for place in self.overrides.match(name):
            if not context.country or place.country_iso2 == context.country:
                found[place] = Candidate(place, 1.0, "override", name)
        possible = self._possible_support(context)
        foreign_script = script_of(name) != "latin"
        matches = [(key, clitic_factor, place, form, lang) for key, clitic_factor in query_keys(name)
                   for place, form, lang in self._lookup(key)]
        # the reading of this very name the context already holds supports no namesake near it as a neighbour
        # ("London" beside London is no City of London, known as "London" too)
        own = next((place for _, _, place, _, _ in matches if place in context.place_set), None)
        if context.nearby:  # the distances _support asks for, in one pass
            context.nearby.nearest_km_many((m[2] for m in matches if m[2].kind == "city"), own)
        for key, clitic_factor, place, form, lang in matches:
            best = found.get(place)  # a place hashes in Python: looked up once a match
            if best is not None and best.method == "override":
                continue
            if lang == CODE and form != name.strip():
                continue  # "Gao" is no GAO (Guantánamo's airport)
            if context.country and place.country_iso2 != context.country:
                continue
            same_form = unicodedata.normalize("NFC", form).casefold() == written
            if place.kind == "area":
                method = "area"
            elif same_form:
                # the place's own name, even written without its marks (Rafah for Rafaḩ)
                method = "exact" if key == place_key(place) else "alternate"
            else:
                method = "normalised"
            match = (1.0 if same_form else _NORMALISED_MATCH) * clitic_factor * (_CODE_MATCH if lang == CODE else 1.0)
            if context.lang and lang and lang != context.lang and not form.isascii() and foreign_script:
                match *= _FOREIGN_FORM
            support = self._support(place, lang, context, own)
            score = match * (prior(place) + support) / (1.0 + possible)
            if best is None or score > best.score:
                found[place] = Candidate(place, score, method, form)
        ranked = sorted(found.values(), key=lambda c: (-c.score, -c.place.population, c.place.ref))
        return ranked[:limit]

    @staticmethod
    def _possible_support(context: Context) -> float:
        if context.is_empty and not context.lang:
            return 0.0
        possible = 0.0
        if context.countries:
            possible += _SUPPORT["country"]
        if context.admin1_codes:
            possible += _SUPPORT["admin1"]
        if context.nearby:
            possible += _SUPPORT["near"]
        if context.kind:
            possible += _SUPPORT["kind"]
        if context.lang:
            possible += _SUPPORT["lang"]
        return possible

    @staticmethod
    def _support(place: Place, lang: str | None, context: Context, own: Place | None = None) -> float:
        support = 0.0
        if place.country_iso2 and place.country_iso2 in context.countries:
            support += _SUPPORT["country"]
        if place.admin1_code and place.admin1_code in context.admin1_codes:
            support += _SUPPORT["admin1"]
        if context.kind and place.kind == context.kind:
            support += _SUPPORT["kind"]
        if context.lang and lang == context.lang:
            support += _SUPPORT["lang"]
        if place.kind == "city":
            nearest = context.nearby.nearest_km(place, own)
            for radius, weight in _NEAR_KM:
                if nearest <= radius:
                    support += _SUPPORT["near"] * weight
                    break
        return support
