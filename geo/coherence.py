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
        self._cells = cells
        self._support: dict[tuple[Place, ...], list[tuple[float, ...]]] = {}  # a name written again asks again

    def support(self, readings: Sequence[Place]) -> list[tuple[float, ...]]:
        """For each reading of one name (``readings``, all of them): the shares of the *other* names that
        could be read in its admin-1 unit and in its country, the same as split votes, and the shares with
        a reading within each of :data:`NEAR_KM`."""
        key = tuple(readings)
        if key not in self._support:
            self._support[key] = self._rows(readings)
        return self._support[key]

    def _rows(self, readings: Sequence[Place]) -> list[tuple[float, ...]]:
        own_set = frozenset(readings)
        units, countries = _units(own_set)
        name = self._ids.get(own_set, -1)
        others = max(1, self.names - (name >= 0))
        rows = []
        for place in readings:
            code, iso = place.admin1_code or "", place.country_iso2 or ""
            admin1 = self._admin1_names.get(code, 0) - (code in units)
            country = self._country_names.get(iso, 0) - (iso in countries)
            admin1_votes = self._admin1_votes.get(code, 0.0) - (1.0 / len(units) if code in units else 0.0)
            country_votes = self._country_votes.get(iso, 0.0) - (1.0 / len(countries) if iso in countries else 0.0)
            near = self._near(place, name) if place.kind in _POINT_KINDS else (0,) * len(NEAR_KM)
            rows.append((max(0, admin1) / others, max(0, country) / others, max(0.0, admin1_votes) / others,
                         max(0.0, country_votes) / others, *(n / others for n in near)))
        return rows

    def _near(self, place: Place, own: int) -> tuple[int, ...]:
        """How many other names have a reading within each of :data:`NEAR_KM` of ``place`` (a few points
        a cell: plain arithmetic beats numpy's call overhead)."""
        lat, lon = math.radians(place.lat), math.radians(place.lon)
        cos_lat = math.cos(lat)
        row, col = _cell(place.lat, place.lon)
        reach = math.ceil(NEAR_KM[-1] / (111.2 * _CELL_DEG * max(0.05, cos_lat))) + 1  # columns each side
        nearest: dict[int, float] = {}
        for r in (row - 1, row, row + 1):
            for c in range(col - reach, col + reach + 1):
                for plat, plon, name in self._cells.get((r, c), ()):
                    if name == own:
                        continue
                    h = math.sin((plat - lat) / 2) ** 2 + cos_lat * math.cos(plat) * math.sin((plon - lon) / 2) ** 2
                    km = _EARTH_DIAMETER_KM * math.asin(min(1.0, math.sqrt(h)))
                    if km < nearest.get(name, math.inf):
                        nearest[name] = km
        return tuple(sum(km <= radius for km in nearest.values()) for radius in NEAR_KM)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL_DEG), math.floor(lon / _CELL_DEG)


def _units(places: frozenset[Place]) -> tuple[frozenset[str], frozenset[str]]:
    return (frozenset(p.admin1_code for p in places if p.admin1_code),
            frozenset(p.country_iso2 for p in places if p.country_iso2))
