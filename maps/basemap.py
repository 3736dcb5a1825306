"""The offline basemap: the shipped Natural Earth countries, and the admin-1 units of the countries with events.

Used instead of tiles for ``--offline`` maps (no tile server is reachable) and by the
offline minimap.  Polygons are simplified for the screen, not for analysis.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["basemap_geojson", "BASEMAP_NAME", "BASEMAP_ATTRIBUTION", "MAX_ADMIN1_COUNTRIES"]

BASEMAP_NAME = "Plain basemap (offline)"
BASEMAP_ATTRIBUTION = "Boundaries: Natural Earth (public domain), shipped with conflict-map"
#: Admin-1 outlines are drawn for at most this many countries (the ones with most events).
MAX_ADMIN1_COUNTRIES = 6

_COUNTRY_TOLERANCE = 0.05  # degrees
_ADMIN1_TOLERANCE = 0.02
_GRID = 0.001


def basemap_geojson(countries_with_events: Iterable[str] = ()) -> dict[str, Any]:
    """A FeatureCollection: every country (``kind`` "country"), then the admin-1 units of
    ``countries_with_events`` (``kind`` "admin1", first :data:`MAX_ADMIN1_COUNTRIES` given)."""
    import geopandas
    import pandas as pd
    import shapely

    from geo.join import admin1_polygons, country_polygons

    nations = country_polygons()[["country_iso2", "geometry"]].copy()
    nations["geometry"] = _screen(nations.geometry, _COUNTRY_TOLERANCE)
    nations["kind"] = "country"
    wanted = list(dict.fromkeys(code for code in countries_with_events if isinstance(code, str)))
    wanted = wanted[:MAX_ADMIN1_COUNTRIES]
    units = admin1_polygons()
    units = units[units["country_iso2"].isin(wanted)][["country_iso2", "geometry"]].copy()
    units["geometry"] = _screen(units.geometry, _ADMIN1_TOLERANCE)
    units["kind"] = "admin1"
    frame = geopandas.GeoDataFrame(pd.concat([nations, units], ignore_index=True), geometry="geometry",
                                   crs="EPSG:4326")
    frame = frame[~shapely.is_empty(frame.geometry.values)]
    return frame[["kind", "country_iso2", "geometry"]].to_geo_dict(drop_id=True)


def _screen(geometry, tolerance: float):
    """Simplified and snapped to a 0.001° grid: small enough to embed, fine at country zooms."""
    import shapely

    simplified = geometry.simplify(tolerance, preserve_topology=True)
    return shapely.set_precision(simplified.values, _GRID)
