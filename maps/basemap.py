"""The offline basemap: the shipped Natural Earth countries, and the admin-1 units of the countries with events.

Used instead of tiles for ``--offline`` maps (no tile server is reachable) and by the
offline minimap.  Polygons are simplified for the screen, not for analysis.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from .screen import screen_geometry

__all__ = ["basemap_geojson", "BASEMAP_NAME", "BASEMAP_ATTRIBUTION", "MAX_ADMIN1_COUNTRIES"]

BASEMAP_NAME = "Plain basemap (offline)"
BASEMAP_ATTRIBUTION = "Boundaries: Natural Earth (public domain), shipped with conflict-map"
#: Admin-1 outlines are drawn for at most this many countries (the ones with most events).
MAX_ADMIN1_COUNTRIES = 6

_COUNTRY_TOLERANCE = 0.05  # degrees
_ADMIN1_TOLERANCE = 0.02


def basemap_geojson(countries_with_events: Iterable[str] = ()) -> dict[str, Any]:
    """A FeatureCollection: every country (``kind`` "country"), then the admin-1 units of
    ``countries_with_events`` (``kind`` "admin1", first :data:`MAX_ADMIN1_COUNTRIES` given)."""
    wanted = list(dict.fromkeys(code for code in countries_with_events if isinstance(code, str)))
    features = list(_country_features())
    for country in sorted(wanted[:MAX_ADMIN1_COUNTRIES]):
        features += _admin1_features(country)
    return {"type": "FeatureCollection", "features": features}


@cache
def _country_features() -> tuple[dict[str, Any], ...]:
    from geo.join import country_polygons

    nations = country_polygons()
    return tuple(_features("country", nations["country_iso2"], screen_geometry(nations.geometry, _COUNTRY_TOLERANCE)))


@cache
def _admin1_features(country: str) -> tuple[dict[str, Any], ...]:
    from geo.join import admin1_polygons

    units = admin1_polygons()
    units = units[units["country_iso2"] == country]
    return tuple(_features("admin1", units["country_iso2"], screen_geometry(units.geometry, _ADMIN1_TOLERANCE)))


def _features(kind: str, codes: Iterable[Any], geometries: Any) -> list[dict[str, Any]]:
    """GeoJSON features ``{kind, country_iso2}`` of the non-empty ``geometries``."""
    import shapely

    return [{"type": "Feature", "properties": {"kind": kind, "country_iso2": code if isinstance(code, str) else None},
             "geometry": json.loads(text)}
            for code, text, empty in zip(codes, shapely.to_geojson(geometries), shapely.is_empty(geometries),
                                         strict=True)
            if not empty]
