"""The event layers of a map: one FeatureGroup per layer of the taxonomy, and the visitor lines.

Inside each layer, events at a place (``geo_precision`` 1) are clustered (one cluster
group per layer, so a shelling never merges with a visit), and events placed at a region
or a country (2, 3) are hollow dashed circles beside the clusters: drawn at a centroid,
they must not add up into a false hotspot.  The markers are built in the browser from one
JSON array per group (:class:`maps.elements.EventMarkers`), not one folium element each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import folium

from geo.model import LAYERS

from .capitals import origin_of, visitor_of
from .elements import EventLayer, EventMarkers, VisitorLines
from .escape import escape_text
from .popups import country_name, event_facts, popup_html, tooltip_text
from .symbols import EVENT_SYMBOLS, LAYER_ORDER, REGION_STYLE, layer_class

if TYPE_CHECKING:
    import geopandas

__all__ = ["EventPoint", "event_points", "add_event_layers", "add_visitor_lines",
           "CANVAS_THRESHOLD", "VISITOR_LAYER", "REGION_RADIUS"]

#: Above this many events the circles are drawn on one canvas rather than as one SVG path each.
CANVAS_THRESHOLD = 2000
#: Name of the optional layer of lines from a visitor's capital to the place visited.
VISITOR_LAYER = "Visitor → place lines"
#: geo_precision -> radius (px) of the hollow circle of an event placed at a region or country.
REGION_RADIUS = {2: 13, 3: 21}


@dataclass(frozen=True)
class EventPoint:
    """One event ready to draw: where, how precisely, and its contract properties."""

    lat: float
    lon: float
    precision: int
    properties: dict[str, Any]

    @property
    def event_type(self) -> str:
        return str(self.properties.get("event_type") or "")

    @property
    def layer(self) -> str | None:
        return LAYERS.get(self.event_type)


def event_points(frame: "geopandas.GeoDataFrame") -> list[EventPoint]:
    """The drawable events of an events frame, in frame order (rows without coordinates left out)."""
    import numpy as np
    import shapely

    columns = [column for column in frame.columns if column != frame.geometry.name]
    values = frame[columns].astype(object)
    plain = values.where(values.notna(), None).to_dict("records")
    geometry = frame.geometry.to_numpy()
    xs, ys = shapely.get_x(geometry), shapely.get_y(geometry)
    points = []
    for record, lon, lat in zip(plain, xs.tolist(), ys.tolist(), strict=True):
        if not (math.isfinite(lon) and math.isfinite(lat)):
            continue
        precision = record.get("geo_precision")
        precision = int(precision) if isinstance(precision, int | float | np.integer) and precision in (2, 3) else 1
        points.append(EventPoint(lat, lon, precision, record))
    return points


def add_event_layers(parent: folium.Map, points: Sequence[EventPoint]) -> dict[str, EventLayer]:
    """Add every layer of the taxonomy (empty ones too, so the layer control always lists them)."""
    layers: dict[str, EventLayer] = {}
    for layer in LAYER_ORDER:
        group = EventLayer(name=layer, overlay=True, control=True, show=True)
        group.add_to(parent)
        layers[layer] = group
        members = [point for point in points if point.layer == layer]
        at_places = [point for point in members if point.precision == 1]
        at_regions = [point for point in members if point.precision != 1]
        _add_markers(group, layer, at_places, at_regions)
    return layers


def add_visitor_lines(parent: folium.Map, points: Sequence[EventPoint], *, gazetteer=None,
                      show: bool | None = None) -> int:
    """Lines from each visitor's capital to the place visited (visits only); returns the number drawn.

    The visitor is the first actor other than the host country (:func:`maps.capitals.visitor_of`);
    several visits along the same line make one thicker line.  Each line knows its visits'
    event ids, so the filters show it only while one of them is shown (:class:`VisitorLines`).
    """
    journeys: dict[tuple[str, float, float, str], list[str]] = {}
    for point in points:
        if point.event_type != "visit":
            continue
        visitor = visitor_of(point.properties.get("actors") or (), point.properties.get("country_iso2"))
        if visitor:
            key = (visitor, round(point.lat, 5), round(point.lon, 5), str(point.properties.get("place_name") or ""))
            journeys.setdefault(key, []).append(str(point.properties.get("event_id") or ""))
    rows = []
    for (visitor, lat, lon, place), event_ids in sorted(journeys.items()):
        origin = origin_of(visitor, gazetteer)
        if origin is None or (abs(origin.lat - lat) < 1e-6 and abs(origin.lon - lon) < 1e-6):
            continue
        where = origin.name if origin.is_capital else f"{origin.name} (country centre)"
        text = escape_text(f"{country_name(origin.iso2)}: from {where} → {place}")
        rows.append([round(origin.lat, 5), round(origin.lon, 5), lat, lon, text, event_ids])
    if not rows:
        return 0
    VisitorLines(rows, name=VISITOR_LAYER, colour=EVENT_SYMBOLS["visit"].colour,
                 show=len(rows) <= 200 if show is None else show).add_to(parent)
    return len(rows)


# --------------------------------------------------------------------------- helpers


def _add_markers(group: EventLayer, layer: str, at_places: Sequence[EventPoint],
                 at_regions: Sequence[EventPoint]) -> None:
    css = layer_class(layer)
    if at_places:
        rows = [_row(point) for point in at_places]
        EventMarkers(rows, cluster=True, css_class=css).add_to(group)
    if at_regions:
        rows = [[*_row(point), REGION_RADIUS[point.precision], EVENT_SYMBOLS[point.event_type].colour]
                for point in at_regions]
        style = {**REGION_STYLE, "className": f"cm-region {css}"}
        EventMarkers(rows, cluster=False, css_class=css, style=style).add_to(group)


def _row(point: EventPoint) -> list[Any]:
    return [round(point.lat, 6), round(point.lon, 6), point.event_type, point.properties.get("date"),
            point.properties.get("event_id"), popup_html(point.properties), tooltip_text(point.properties),
            event_facts(point.properties)]
