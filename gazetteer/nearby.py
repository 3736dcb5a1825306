"""The distance from a place to the nearest of a document's places, in time independent of their number.

A long article resolves many names against many places already resolved; comparing each
candidate with every one of them made recognition quadratic in article size.  Here the
places sit in a numpy array (one vectorised haversine a query) and answers are memoised
per place, so each distinct candidate costs one pass.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .place import Place

__all__ = ["NearbyPlaces"]

_EARTH_DIAMETER_KM = 12_742.0


class NearbyPlaces:
    """The places of a context that count as neighbours (by default cities and admin-1 units)."""

    def __init__(self, places: Iterable["Place"], kinds: tuple[str, ...] = ("city", "admin1")) -> None:
        chosen = list(dict.fromkeys(p for p in places if p.kind in kinds))
        self._keys = [p.key for p in chosen]
        self._index: dict[str, list[int]] = {}
        for i, key in enumerate(self._keys):
            self._index.setdefault(key, []).append(i)
        self._lat = np.radians(np.array([p.lat for p in chosen], dtype=float))
        self._lon = np.radians(np.array([p.lon for p in chosen], dtype=float))
        self._cos_lat = np.cos(self._lat)
        self._memo: dict[tuple["Place", "Place | None"], float] = {}

    def __bool__(self) -> bool:
        return bool(self._keys)

    def nearest_km(self, place: "Place", besides: "Place | None" = None) -> float:
        """Great-circle distance from ``place`` to the nearest other neighbour (inf when none), ``besides``
        (another reading of the same name) not counted either."""
        found = self._memo.get((place, besides))
        if found is None:
            found = self._memo[(place, besides)] = self._nearest(place, besides)
        return found

    def _nearest(self, place: "Place", besides: "Place | None") -> float:
        if not self._keys:
            return math.inf
        lat, lon = math.radians(place.lat), math.radians(place.lon)
        h = np.sin((self._lat - lat) / 2) ** 2 + math.cos(lat) * self._cos_lat * np.sin((self._lon - lon) / 2) ** 2
        km = _EARTH_DIAMETER_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        km[self._index.get(place.key, [])] = math.inf  # not itself
        if besides is not None:
            km[self._index.get(besides.key, [])] = math.inf
        return float(km.min())
