"""Which of the places a name may stand for is meant here? The learned ranker of toponym resolution.

The gazetteer proposes candidates and scores them with its hand formula (``gazetteer.resolve``:
how the name matched, a prior by kind and population, the document's support).  This module
describes each candidate with that score and what the document as a whole says about it —
the share of the document's other places in the same country and the same admin-1 unit, the
distance to the nearest of them, whether its country is named, and how many of the other names
*could* be read in its admin-1 unit or country (Athens beside Henderson County is the pair in
Texas, though each alone reads Greece and Illinois) — and a logistic regression
(``geo/models/toponym_rank.json``, fitted by ``scripts/fit_toponym_models.py``) gives the
probability that the candidate is the place meant; the likeliest wins.  A text full of Texas
towns makes Paris the one in Texas; a brief about Greece keeps Athens in Greece.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from gazetteer.nearby import NearbyPlaces
from gazetteer.place import Candidate, Place

from .coherence import NEAR_KM as _COULD_KM
from .coherence import Coherence

__all__ = ["RANK_FEATURES", "DocumentPlaces", "rank_features", "list_siblings", "joins", "MAX_CANDIDATES"]

MAX_CANDIDATES = 20  # candidates ranked per name
_KINDS = ("country", "continent", "area", "admin1", "district", "city")
_METHODS = ("exact", "alternate", "normalised", "override")
_NEAR_KM = (50.0, 200.0, 1000.0)

RANK_FEATURES: tuple[str, ...] = (
    "bias", "score", "score_share", "first", "log_candidates",
    *(f"kind_{k}" for k in _KINDS), "capital", "seat", "log_population", "most_populous",
    *(f"method_{m}" for m in _METHODS),
    "country_share", "admin1_share", "country_named", *(f"near_{int(km)}" for km in _NEAR_KM),
    "admin1_could", "country_could", "admin1_votes", "country_votes", *(f"could_near_{int(km)}" for km in _COULD_KM),
    "population_rank", "written_as_matched", "listed", "list_kind", "list_kind_country", "unit_named", "town_named",
)


def list_siblings(names: Sequence[tuple[int, int, str, Sequence[Place]]],
                  is_list_word: Callable[[str], bool]) -> list[tuple[int, ...]]:
    """For each of a document's names (start, end, the text right after it, its readings, best first; in text
    order), the indices of the names listed with it: a run of names joined by ", ", "; " or a list word ("and",
    "or").  A town followed by its region or country ("Stroud, Ontario") is qualified, not listed, unless it
    may be a unit of that kind itself ("Oklahoma, Pennsylvania": two states)."""
    links = []
    for (_, end, after, readings), (start, _, _, following) in pairwise(names):
        gap = after[:start - end] if 0 <= start - end <= len(after) else None
        place, next_kind = readings[0], following[0].kind
        qualifies = (gap == ", " and place.kind in ("city", "district") and next_kind in ("admin1", "country")
                     and not any(p.kind == next_kind for p in readings))
        links.append(gap is not None and not qualifies and joins(gap, is_list_word))
    result: list[tuple[int, ...]] = []
    run: list[int] = []
    for i in range(len(names)):
        run.append(i)
        if i == len(names) - 1 or not links[i]:
            result.extend(tuple(j for j in run if j != k) for k in run)
            run = []
    return result


def joins(gap: str, is_list_word: Callable[[str], bool]) -> bool:
    """Whether the text between two names joins them in a list (", " or " and ")."""
    words = gap.strip(" ,;").split()
    return gap in (", ", "; ", "، ") or (len(words) == 1 and is_list_word(words[0]))


@dataclass(frozen=True)
class DocumentPlaces:
    """The best readings of a document's names (one per name), and every reading of each, to judge a
    candidate by."""

    places: tuple[Place, ...]
    readings: tuple[tuple[Place, ...], ...] = ()  # each name's candidate places

    @cached_property
    def coherence(self) -> Coherence:
        """What each name could be read as: admin-1 units, countries, points."""
        return Coherence(self.readings)

    @cached_property
    def nearby(self) -> NearbyPlaces:
        """The document's towns and admin-1 units, for the distance to the nearest (linear time)."""
        return NearbyPlaces(self.places, kinds=("city", "district", "admin1"))

    def counts(self) -> tuple[Counter[str], Counter[str], frozenset[str]]:
        """The best readings per country and per admin-1 unit, and the countries named."""
        countries = Counter(p.country_iso2 for p in self.places if p.country_iso2)
        admin1 = Counter(p.admin1_code for p in self.places if p.admin1_code)
        named = frozenset(p.country_iso2 for p in self.places if p.kind == "country" and p.country_iso2)
        return countries, admin1, named


def rank_features(candidates: Sequence[Candidate], own: Place | None, document: DocumentPlaces,
                  counts: tuple[Counter[str], Counter[str], frozenset[str]], surface: str = "",
                  siblings: Sequence[Place] = (), kind_noun: str | None = None) -> list[list[float]]:
    """One feature row per candidate of one name (order of :data:`RANK_FEATURES`); ``own`` is the
    name's current best reading, left out of the document's counts; ``surface`` the name as written;
    ``siblings`` the best readings of the names listed with it ("Georgia, Oklahoma and Ohio": states, so
    Georgia is the state; see :func:`list_siblings`); ``kind_noun`` the kind a noun beside the name names ("unit":
    "the state of Washington", "Quebec province"; "town": "the city of Washington"; see ``Mention.kind_noun``)."""
    countries, admin1, named = counts
    others = max(1, len(document.places) - (own is not None))
    total = sum(c.score for c in candidates) or 1.0
    biggest = max((c.place.population for c in candidates), default=0)
    by_population = sorted({c.place.population for c in candidates if c.place.kind == "city"}, reverse=True)
    support = document.coherence.support([c.place for c in candidates])
    capital_units = {c.place.admin1_code for c in candidates if c.place.kind == "city" and c.place.rank == 2}
    nearest_km = document.nearby.nearest_km_many((c.place for c in candidates), own)  # to another name's place
    rows = []
    for rank, candidate in enumerate(candidates):
        place = candidate.place
        same_country = countries.get(place.country_iso2 or "", 0) - (own is not None and own.country_iso2 ==
                                                                      place.country_iso2 and bool(place.country_iso2))
        same_admin1 = admin1.get(place.admin1_code or "", 0) - (own is not None and own.admin1_code ==
                                                              place.admin1_code and bool(place.admin1_code))
        nearest = nearest_km[rank]
        row = [1.0, candidate.score, candidate.score / total, float(rank == 0), math.log(len(candidates))]
        row += [float(place.kind == k) for k in _KINDS]
        row += [float(place.rank == 2), float(place.rank == 1),
                math.log10(place.population + 1) / 7 if place.kind == "city" else 0.0,
                float(place.kind == "city" and place.population == biggest and biggest > 0)]
        row += [float(candidate.method == m) for m in _METHODS]
        row += [max(0, same_country) / others, max(0, same_admin1) / others,
                float(bool(place.country_iso2) and place.country_iso2 in named and place.kind != "country")]
        row += [float(nearest <= km) for km in _NEAR_KM]
        row += support[rank]
        row.append(1.0 / (1 + by_population.index(place.population)) if place.kind == "city" else 0.0)
        row.append(float(candidate.matched == surface))  # "US" is the code of the United States, not Us (France)
        same_kind = [s for s in siblings if s.kind == place.kind]
        row += [float(bool(siblings)), len(same_kind) / max(1, len(siblings)),
                sum(bool(place.country_iso2) and s.country_iso2 == place.country_iso2 for s in same_kind)
                / max(1, len(siblings))]
        # a unit named so is no capital's own unit ("the state of Washington" is no District of Columbia, "the
        # Moscow region" no federal city of Moscow)
        row += [float(kind_noun == "unit" and place.kind in ("admin1", "district") and place.admin1_code not in
                      capital_units),
                float(kind_noun == "town" and place.kind == "city")]
        rows.append(row)
    return rows
