"""The distance from a place to the nearest of a document's places, in time independent of their number.

A long article resolves many names against many places already resolved; comparing each
candidate with every one of them made recognition quadratic in article size.  Here the
places sit in numpy arrays sorted by latitude and answers are memoised per place: a query
computes the haversine only for the places in a band of latitude around it, widened until
the nearest found is nearer than anything outside the band can be (a place ``d`` radians of
latitude away is at least ``d`` times the Earth's radius away), so the answer is the one a
pass over every place gives, to the last bit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .place import Place

__all__ = ["NearbyPlaces", "great_circle_km"]

_EARTH_DIAMETER_KM = 12_742.0


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The haversine distance in km between two points given in degrees, on the Earth of the nearby search."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return _EARTH_DIAMETER_KM * math.asin(min(1.0, math.sqrt(h)))


class NearbyPlaces:
    """The places of a context that count as neighbours (by default cities and admin-1 units)."""

    def __init__(self, places: Iterable["Place"], kinds: tuple[str, ...] = ("city", "admin1")) -> None:
        chosen = list(dict.fromkeys(p for p in places if p.kind in kinds))
        order = np.argsort(np.radians(np.array([p.lat for p in chosen], dtype=float)), kind="stable")
        chosen = [chosen[i] for i in order]
        self._keys = [p.key for p in chosen]
        self._index: dict[str, list[int]] = {}
        for i, key in enumerate(self._keys):
            self._index.setdefault(key, []).append(i)
        self._lat = np.radians(np.array([p.lat for p in chosen], dtype=float))  # ascending
        self._lon = np.radians(np.array([p.lon for p in chosen], dtype=float))
        self._cos_lat = np.cos(self._lat)
        self._memo: dict[tuple["Place", "Place | None"], float] = {}

    def __bool__(self) -> bool:
        return bool(self._keys)

    def nearest_km(self, place: "Place", besides: "Place | None" = None) -> float:
        """Great-circle distance from ``place`` to the nearest other neighbour (inf when none), ``besides``
        (another reading of the same name) not counted either."""
        if not self._keys:  # no neighbours (the shared empty context): nothing to remember
            return math.inf
        found = self._memo.get((place, besides))
        if found is None:
            found = self._memo[(place, besides)] = self._nearest(place, besides)
        return found

    def nearest_km_many(self, places: Iterable["Place"], besides: "Place | None" = None) -> list[float]:
        """:meth:`nearest_km` of each of ``places``; in a small context, the ones not yet known in one pass."""
        places = list(places)
        if not self._keys:
            return [math.inf] * len(places)
        todo = [p for p in dict.fromkeys(places) if (p, besides) not in self._memo]
        if len(todo) > 1 and len(self._keys) <= _WHOLE_PASS:
            for place, km in zip(todo, self._nearest_all(todo, besides)):
                self._memo[(place, besides)] = km
        return [self.nearest_km(p, besides) for p in places]

    def _nearest_all(self, places: list["Place"], besides: "Place | None") -> list[float]:
        """The haversine distance from each of ``places`` to the nearest of all neighbours but its own (and
        ``besides``') entries (:meth:`_haversine_km`, one row per place)."""
        lat = np.radians(np.array([p.lat for p in places], dtype=float))[:, None]
        lon = np.radians(np.array([p.lon for p in places], dtype=float))[:, None]
        km = self._haversine_km(lat, np.cos(lat), lon, 0, len(self._keys))
        besides_out = self._index.get(besides.key, []) if besides else []
        for row, place in enumerate(places):
            km[row, [*self._index.get(place.key, []), *besides_out]] = math.inf
        return km.min(axis=1).tolist()

    def _nearest(self, place: "Place", besides: "Place | None") -> float:
        lat, lon = math.radians(place.lat), math.radians(place.lon)
        left_out = [*self._index.get(place.key, []), *(self._index.get(besides.key, []) if besides else [])]
        if len(self._keys) <= _WHOLE_PASS:  # a band search costs more than one pass over a few places
            return self._nearest_in(0, len(self._keys), lat, lon, left_out)
        band = _FIRST_BAND
        while True:
            lo, hi = (int(i) for i in np.searchsorted(self._lat, (lat - band, lat + band), side="left"))
            if lo == 0 and hi == len(self._keys):
                return self._nearest_in(0, hi, lat, lon, left_out)
            found = self._nearest_in(lo, hi, lat, lon, left_out)
            if found < _EARTH_DIAMETER_KM / 2 * band * (1 - 1e-9):  # nothing outside the band is as near
                return found
            band *= 4

    def _nearest_in(self, lo: int, hi: int, lat: float, lon: float, left_out: list[int]) -> float:
        """The haversine distance to the nearest of the places ``lo:hi`` (in latitude order) but those left out."""
        if lo >= hi:
            return math.inf
        km = self._haversine_km(lat, math.cos(lat), lon, lo, hi)
        inside = [i - lo for i in left_out if lo <= i < hi]
        km[inside] = math.inf  # not itself, nor another reading of the same name
        return float(km.min())

    def _haversine_km(self, lat: float | np.ndarray, cos_lat: float | np.ndarray, lon: float | np.ndarray, lo: int,
                      hi: int) -> np.ndarray:
        """The haversine distances from a point (``lat``, ``lon`` in radians, ``cos_lat`` its cosine; scalars, or
        columns of several points) to the places ``lo:hi`` in latitude order: one row per point."""
        h = (np.sin((self._lat[lo:hi] - lat) / 2) ** 2
             + cos_lat * self._cos_lat[lo:hi] * np.sin((self._lon[lo:hi] - lon) / 2) ** 2)
        return _EARTH_DIAMETER_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


_WHOLE_PASS = 256  # contexts up to this many places are searched in one pass
_FIRST_BAND = math.radians(0.5)  # about 55 km of latitude either side; four times wider at each step
