"""The shipped basemap: Natural Earth countries, the admin-1 units of the countries with events, and labels.

Drawn beneath the tiles of every map, it is what the reader sees when no tile server can be
reached (the page switches to it by itself and says so) and the whole basemap of an
``--offline`` map; the minimap draws its countries.  Labels name the countries, their
capitals, the admin-1 units of the countries with events (closer in) and the event places.
Polygons are simplified for the screen, not for analysis.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from .screen import screen_geometry

__all__ = ["basemap_geojson", "basemap_labels", "country_label_zoom", "LABEL_MIN_ZOOM", "NARROW_EXTRA_ZOOM",
           "BASEMAP_NAME", "BASEMAP_ATTRIBUTION", "MAX_ADMIN1_COUNTRIES"]

BASEMAP_NAME = "Shipped boundaries (offline)"
BASEMAP_ATTRIBUTION = "Boundaries: Natural Earth (public domain), shipped with conflict-map"
#: Admin-1 outlines are drawn for at most this many countries (the ones with most events).
MAX_ADMIN1_COUNTRIES = 6

#: Label class -> the zoom from which its labels show (countries and capitals: at the earliest).
LABEL_MIN_ZOOM = {"country": 3, "capital": 5, "admin1": 6, "place": 7}
#: A country's label shows from the zoom of the first size it reaches, a size being the larger
#: of its area (km²) and its population / :data:`_PEOPLE_PER_KM2`: big countries first, small
#: ones (Liechtenstein, Monaco) only once there is room between their neighbours' names.
_COUNTRY_ZOOMS = ((1_000_000, 3), (200_000, 4), (50_000, 5), (10_000, 6))
_SMALLEST_COUNTRY_ZOOM = 7
_PEOPLE_PER_KM2 = 200
#: On a narrow screen (a phone) every label shows this many zooms later.
NARROW_EXTRA_ZOOM = 1

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


def basemap_labels(countries_with_events: Iterable[str], places: Iterable[tuple[str, float, float]], *,
                   gazetteer=None) -> list[list[Any]]:
    """``[text, lat, lon, class, zoom]`` for every label of the basemap (text escaped for HTML), most
    important first: the page hides a label that would overlap one before it.

    Classes (:data:`LABEL_MIN_ZOOM`): every country, every national capital, the admin-1
    units of the first :data:`MAX_ADMIN1_COUNTRIES` of ``countries_with_events``, and
    ``places`` (the event places, as ``(name, lat, lon)``).  ``zoom`` is the zoom from which
    the label shows on a wide screen: its class's, later for a small country
    (:func:`country_label_zoom`) and for the capital of one (a zoom after its country), but
    the countries with events show from the first.  Order: the countries with events, the
    other countries by size, the capitals likewise, the event places, the admin-1 units.
    """
    from .escape import escape_text

    if gazetteer is None:
        from gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    wanted = list(dict.fromkeys(code for code in countries_with_events if isinstance(code, str)))
    index = gazetteer.index
    countries = index.places_of_kind("country")
    areas = _country_areas()
    sizes = {place.country_iso2: _size(areas.get(place.country_iso2, 0.0), place.population) for place in countries}
    zooms = {code: (LABEL_MIN_ZOOM["country"] if code in wanted else _zoom_of(size)) for code, size in sizes.items()}

    def rank(country: str | None) -> tuple[int, float]:
        return (0 if country in wanted else 1, -sizes.get(country, 0.0))

    def label(place, label_class: str, zoom: int) -> list[Any]:
        return [escape_text(place.name), round(place.lat, 4), round(place.lon, 4), label_class, zoom]

    labels = [label(place, "country", zooms.get(place.country_iso2, _SMALLEST_COUNTRY_ZOOM))
              for place in sorted(countries, key=lambda place: rank(place.country_iso2))]
    capitals = index.places_of_kind("city", capitals=True)
    labels += [label(place, "capital", max(LABEL_MIN_ZOOM["capital"],
                                           zooms.get(place.country_iso2, _SMALLEST_COUNTRY_ZOOM) + 1))
               for place in sorted(capitals, key=lambda place: rank(place.country_iso2))]
    labels += [[escape_text(name), round(lat, 4), round(lon, 4), "place", LABEL_MIN_ZOOM["place"]]
               for name, lat, lon in dict.fromkeys(places)]
    labels += [label(place, "admin1", LABEL_MIN_ZOOM["admin1"])
               for place in index.places_of_kind("admin1", countries=wanted[:MAX_ADMIN1_COUNTRIES])]
    return labels


def country_label_zoom(area_km2: float, population: int) -> int:
    """The zoom from which a country's label shows on a wide screen (see :data:`_COUNTRY_ZOOMS`)."""
    return _zoom_of(_size(area_km2, population))


def _size(area_km2: float, population: int) -> float:
    return max(float(area_km2 or 0), (population or 0) / _PEOPLE_PER_KM2)


def _zoom_of(size: float) -> int:
    return next((zoom for least, zoom in _COUNTRY_ZOOMS if size >= least), _SMALLEST_COUNTRY_ZOOM)


@cache
def _country_areas() -> dict[str, float]:
    """ISO2 -> area in km² of the shipped country polygons (equal-area projection)."""
    from geo.join import country_polygons

    nations = country_polygons()
    areas = nations.geometry.to_crs("EPSG:6933").area / 1e6
    return {code: float(area) for code, area in zip(nations["country_iso2"], areas, strict=True)
            if isinstance(code, str)}


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
