"""Choropleths of event counts: per admin-1 unit and per named area, with tooltips.

Counts come from the joined events frame (``admin1_code`` and ``area``, see
:func:`geo.join.join_regions`): an event counts in its admin-1 unit, and in the smallest
named area holding it (Nagorno-Karabakh, not also South Caucasus and Caucasus): nested
areas would otherwise paint a whole continent for a few events in one city.  Tooltips
name regions as people do (the unit and its country), never by an internal id.
Polygons are the shipped ones (:func:`geo.join.admin1_polygons`,
:func:`geo.join.named_area_polygons`), simplified for the screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from typing import TYPE_CHECKING, Any

from geo.count_classes import RAMP, class_breaks, ramp_for
from geo.model import EVENT_TYPES

from .escape import escape_text
from .screen import screen_geometry
from .symbols import EVENT_SYMBOLS

if TYPE_CHECKING:
    import geopandas
    import pandas

__all__ = ["RAMP", "Choropleth", "admin1_choropleth", "area_choropleth", "class_breaks", "ramp_for"]

#: (regions up to, simplification tolerance in degrees): coarser when a map has many regions.
_TOLERANCES = ((50, 0.005), (300, 0.02), (None, 0.05))


@dataclass
class Choropleth:
    """A FeatureCollection of counted regions and its classes.

    Each feature's properties: ``n_events``, ``fill``, ``tooltip`` (escaped HTML), ``label``
    (the escaped human name the tooltip starts with) and ``match``: the value an event's
    ``event_field`` fact has when it counts here (:func:`maps.popups.event_facts`), so the
    page can recount the regions from the events the filters keep.
    """

    name: str
    geojson: dict[str, Any]
    breaks: list[int]
    event_field: str = "u"

    @property
    def regions(self) -> int:
        return len(self.geojson["features"])


def admin1_choropleth(frame: "geopandas.GeoDataFrame") -> Choropleth:
    """Events per admin-1 unit (units sharing an ISO 3166-2 code are dissolved into one)."""
    from geo.join import admin1_polygons

    counts = _counts(frame["admin1_code"], frame["event_type"])
    units = admin1_polygons()
    units = units[units["iso_3166_2"].isin(counts.index)]
    units = units.dissolve("iso_3166_2", aggfunc="first", sort=True).reset_index()
    units = units.rename(columns={"iso_3166_2": "key"})[["key", "name", "country_iso2", "geometry"]]
    units["match"] = units["key"]
    return _choropleth("Events per admin-1 unit", units, counts, event_field="u")


def area_choropleth(frame: "geopandas.GeoDataFrame",
                    area_files: Iterable[str | PathLike[str]] = ()) -> Choropleth:
    """Events per named area, each event in the smallest area holding it; larger areas drawn first."""
    from geo.join import named_area_polygons

    counts = _counts(frame["area"], frame["event_type"])
    areas = named_area_polygons(area_files).drop_duplicates("area")
    key_of = dict(zip(areas["area"], areas["area_id"], strict=True))
    counts = counts[counts.index.isin(list(key_of))]
    counts.index = [key_of[name] for name in counts.index]
    areas = areas[areas["area_id"].isin(counts.index)].sort_values(["size", "area_id"], ascending=[False, True])
    areas = areas.assign(key=areas["area_id"], name=areas["area"], match=areas["area"])
    areas = areas[["key", "name", "country_iso2", "match", "geometry"]]
    return _choropleth("Events per named area", areas, counts, event_field="g")


# --------------------------------------------------------------------------- helpers


def _counts(keys: "pandas.Series", event_types: "pandas.Series") -> "pandas.DataFrame":
    """Per key (non-null): ``n_<type>`` per event type and ``n_events``, sorted by key."""
    from geo.counts import region_counts

    return region_counts(keys, event_types)


def _choropleth(name: str, regions: "geopandas.GeoDataFrame", counts: "pandas.DataFrame", *,
                event_field: str) -> Choropleth:
    import shapely

    regions = regions[regions["key"].isin(counts.index)].copy()
    breaks = class_breaks(counts["n_events"].tolist())
    tolerance = next(t for limit, t in _TOLERANCES if limit is None or len(regions) <= limit)
    regions["geometry"] = screen_geometry(regions.geometry, tolerance)
    rows = counts.reindex(regions["key"])
    regions["n_events"] = rows["n_events"].to_numpy()
    regions["fill"] = [_colour_of(n, breaks) for n in regions["n_events"]]
    regions["label"] = [_label(region_name, country) for region_name, country
                        in zip(regions["name"], regions["country_iso2"], strict=True)]
    regions["tooltip"] = [_tooltip(label, row)
                          for label, (_, row) in zip(regions["label"], rows.iterrows(), strict=True)]
    regions = regions[~shapely.is_empty(regions.geometry.values)]
    # only our own values and escaped text: folium compiles what GeoJson renders as a Jinja template
    regions["match"] = [escape_text(value) for value in regions["match"]]
    collection = regions[["n_events", "fill", "tooltip", "label", "match", "geometry"]].to_geo_dict(drop_id=True)
    for number, feature in enumerate(collection["features"]):
        feature["id"] = str(number)
    return Choropleth(name, collection, breaks, event_field)


def _colour_of(count: int, breaks: list[int]) -> str:
    colours = ramp_for(breaks)
    for bound, colour in zip(breaks, colours, strict=True):
        if count <= bound:
            return colour
    return RAMP[-1]


def _label(name: Any, country: Any) -> str:
    """``<b>Ganja</b> (Azerbaijan)``, escaped: how a tooltip names a region."""
    from .popups import country_name

    label = escape_text(name if isinstance(name, str) and name else "unnamed region")
    where = f" ({escape_text(country_name(country))})" if isinstance(country, str) and country else ""
    return f"<b>{label}</b>{where}"


def _tooltip(label: str, row: "pandas.Series") -> str:
    """``<b>Ganja</b> (Azerbaijan)<br>3 events: shelling 2 · armed clash 1`` (escaped)."""
    figures = ((t, int(row[f"n_{t}"])) for t in EVENT_TYPES)
    parts = [f"{EVENT_SYMBOLS[t].label.lower()} {n}" for t, n in figures if n]
    total = int(row["n_events"])
    return f"{label}<br>{total} event{'s' if total != 1 else ''}: {escape_text(' · '.join(parts))}"
