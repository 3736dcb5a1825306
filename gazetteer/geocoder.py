"""The gazetteer as a geopy backend, with an optional, cached, rate-limited online fallback."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from .core import Gazetteer
from .index import default_cache_dir
from .place import Candidate, Context

__all__ = ["OfflineGazetteer", "CachedFallback"]


class CachedFallback:
    """Wrap an online geopy geocoder: rate limited (geopy's RateLimiter) and cached on disk.

    Parameters
    ----------
    geocoder:
        Any geopy geocoder instance (``Nominatim(user_agent=...)``, ...).
    cache_path:
        SQLite file holding earlier answers; a query is sent online once.
    min_delay_seconds:
        Minimum delay between two online calls.
    """

    def __init__(self, geocoder: Geocoder, cache_path: Path, *, min_delay_seconds: float = 1.0) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.geocoder = geocoder
        self._service = type(geocoder).__name__
        self._geocode: Callable[..., Any] = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds)
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(cache_path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS answers (service TEXT, query TEXT, language TEXT, "
                         "answer TEXT, PRIMARY KEY (service, query, language))")

    def geocode(self, query: str, *, language: str | None = None) -> list[Location]:
        """Locations for ``query`` from the cache, else from the online service."""
        key = (self._service, query, language or "")
        row = self._db.execute("SELECT answer FROM answers WHERE service=? AND query=? AND language=?", key).fetchone()
        if row is None:
            kwargs: dict[str, Any] = {"exactly_one": False}
            if language:
                kwargs["language"] = language
            found = self._geocode(query, **kwargs) or []
            answer = [[loc.address, loc.latitude, loc.longitude, loc.raw] for loc in found]
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?,?)", (*key, json.dumps(answer, default=str)))
            self._db.commit()
        else:
            answer = json.loads(row[0])
        return [Location(address, Point(lat, lon), {**raw, "method": "fallback", "service": self._service})
                for address, lat, lon, raw in answer]


class OfflineGazetteer(Geocoder):
    """geopy backend over the offline gazetteer.

    Parameters
    ----------
    gazetteer:
        An open :class:`~gazetteer.core.Gazetteer`; default: ``Gazetteer.open()`` with the user's settings.
    fallback:
        An online geopy geocoder to consult when the offline answer is missing or scores below
        ``min_score``; default: the one named in the user's configuration, if any (off by default).
    min_score:
        Threshold below which an offline answer counts as weak.
    """

    def __init__(self, *, gazetteer: Gazetteer | None = None, fallback: Geocoder | None = None,
                 min_score: float | None = None, user_agent: str | None = None) -> None:
        super().__init__(user_agent=user_agent)
        self.gazetteer = gazetteer or Gazetteer.open()
        settings = self.gazetteer.settings.fallback
        self.min_score = min_score if min_score is not None else (settings.min_score if settings else 0.5)
        if fallback is None and settings is not None:
            from geopy.geocoders import get_geocoder_for_service

            fallback = get_geocoder_for_service(settings.geocoder)(**settings.options)
        cache_dir = self.gazetteer.settings.cache_dir or default_cache_dir()
        self.fallback = (CachedFallback(fallback, cache_dir / "fallback.sqlite",
                                        min_delay_seconds=settings.min_delay_seconds if settings else 1.0)
                         if fallback is not None else None)

    def geocode(self, query: str, *, exactly_one: bool = True, language: str | None = None,
                country: str | None = None, limit: int = 10) -> Location | list[Location] | None:
        """Locations for ``query``, best first; one Location (or None) when ``exactly_one``.

        ``raw`` holds geonameid, kind, country, admin1, admin1_code, score and method.
        """
        context = Context(lang=language, country=country.upper() if country else None)
        candidates = self.gazetteer.resolve(query, context, limit=1 if exactly_one else limit)
        locations = [self._location(candidate) for candidate in candidates]
        if self.fallback is not None and (not candidates or candidates[0].score < self.min_score):
            locations = self.fallback.geocode(query, language=language) + locations
        if exactly_one:
            return locations[0] if locations else None
        return locations

    def reverse(self, query: Any, *, exactly_one: bool = True, language: str | None = None
                ) -> Location | list[Location] | None:
        """The nearest populated place to ``query`` (a (lat, lon) pair, Point or "lat, lon")."""
        point = Point(query)
        nearest = self.gazetteer.reverse(point.latitude, point.longitude)
        if nearest is None:
            return None if exactly_one else []
        place, km = nearest
        location = self._location(Candidate(place, 1.0, "reverse"), distance_km=round(km, 3))
        return location if exactly_one else [location]

    def _location(self, candidate: Candidate, **extra: Any) -> Location:
        place = candidate.place
        country = self.gazetteer.country(place.country_iso2) if place.kind != "country" else None
        parts = [place.name, place.admin1 if place.kind == "city" else None, country.name if country else None]
        address = ", ".join(part for part in parts if part)
        raw = {**candidate.as_json(), "country": place.country_iso2, **extra}
        return Location(address, Point(place.lat, place.lon), raw)

