"""What a document's other names *could* be read as, to judge one reading of a name by.

The ranker (:mod:`geo.ranking`) compares each reading with the best readings of the other names,
but those may be wrong in the same way: alone, Athens reads Greece and Henderson County reads
Illinois, while together they are the pair in Texas.  Here every reading of every name counts:
how many of the other names have a reading in the same admin-1 unit or country (plainly, and with
each name's vote split among the units its readings span), and how many have one within 50 or
200 km (Huntsville beside Walker County is the one in Texas, Walker County's seat).  Names with the
same readings (one name written twice) count once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from gazetteer.place import Place

__all__ = ["Coherence", "NEAR_KM"]

NEAR_KM = (50.0, 200.0)
_CELL_DEG = 2.0  # grid cell (degrees) of the nearby search
_EARTH_DIAMETER_KM = 12_742.0
_POINT_KINDS = ("city", "district", "admin1")  # readings with a meaningful point


class Coherence:
    """The readings of a document's distinct names, indexed by admin-1 unit, country and grid cell."""

    def __init__(self, readings: Sequence[Sequence[Place]]) -> None:
        self._ids: dict[frozenset[Place], int] = {}
        for places in readings:
            if places:
                self._ids.setdefault(frozenset(places), len(self._ids))
        self.names = len(self._ids)
        self._admin1_names: Counter[str] = Counter()
        self._country_names: Counter[str] = Counter()
        self._admin1_votes: dict[str, float] = {}
        self._country_votes: dict[str, float] = {}
        cells: dict[tuple[int, int], list[tuple[float, float, int]]] = {}
        for places, name in self._ids.items():
            units, countries = _units(places)
            self._admin1_names.update(units)
            self._country_names.update(countries)
            for code in units:
                self._admin1_votes[code] = self._admin1_votes.get(code, 0.0) + 1.0 / len(units)
            for iso in countries:
                self._country_votes[iso] = self._country_votes.get(iso, 0.0) + 1.0 / len(countries)
            for p in places:
                if p.kind in _POINT_KINDS:
                    cells.setdefault(_cell(p.lat, p.lon), []).append((math.radians(p.lat), math.radians(p.lon), name))
        self._cells = {key: np.asarray(rows, dtype=float) for key, rows in cells.items()}

    def support(self, place: Place, own: Sequence[Place]) -> tuple[float, ...]:
        """For one reading ``place`` of a name whose readings are ``own``: the shares of the *other* names
        that could be read in its admin-1 unit and in its country, the same as split votes, and the shares
        with a reading within each of :data:`NEAR_KM`."""
        own_set = frozenset(own)
        units, countries = _units(own_set)
        others = max(1, self.names - (own_set in self._ids))
        code, iso = place.admin1_code or "", place.country_iso2 or ""
        admin1 = self._admin1_names.get(code, 0) - (code in units)
        country = self._country_names.get(iso, 0) - (iso in countries)
        admin1_votes = self._admin1_votes.get(code, 0.0) - (1.0 / len(units) if code in units else 0.0)
        country_votes = self._country_votes.get(iso, 0.0) - (1.0 / len(countries) if iso in countries else 0.0)
        near = self._near(place, self._ids.get(own_set, -1)) if place.kind in _POINT_KINDS else (0,) * len(NEAR_KM)
        return (max(0, admin1) / others, max(0, country) / others, max(0.0, admin1_votes) / others,
                max(0.0, country_votes) / others, *(n / others for n in near))

    def _near(self, place: Place, own: int) -> tuple[int, ...]:
        """How many other names have a reading within each of :data:`NEAR_KM` of ``place``."""
        lat, lon = math.radians(place.lat), math.radians(place.lon)
        row, col = _cell(place.lat, place.lon)
        reach = math.ceil(NEAR_KM[-1] / (111.2 * _CELL_DEG * max(0.05, math.cos(lat)))) + 1  # columns each side
        found = [self._cells[key] for r in (row - 1, row, row + 1)
                 for c in range(col - reach, col + reach + 1) if (key := (r, c)) in self._cells]
        if not found:
            return (0,) * len(NEAR_KM)
        points = np.vstack(found)
        points = points[points[:, 2] != own]
        h = (np.sin((points[:, 0] - lat) / 2) ** 2
             + math.cos(lat) * np.cos(points[:, 0]) * np.sin((points[:, 1] - lon) / 2) ** 2)
        km = _EARTH_DIAMETER_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        return tuple(len(np.unique(points[km <= radius, 2])) for radius in NEAR_KM)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL_DEG), math.floor(lon / _CELL_DEG)


def _units(places: frozenset[Place]) -> tuple[frozenset[str], frozenset[str]]:
    return (frozenset(p.admin1_code for p in places if p.admin1_code),
            frozenset(p.country_iso2 for p in places if p.country_iso2))
