"""``render_map``: an events frame (or events) to one self-contained ``map.html``.

The page holds, bottom to top: a basemap (online tiles over the shipped, labelled boundaries
that take over when no tile loads; for ``--offline`` the shipped boundaries alone),
choropleths of events per admin-1 unit and per named area, one layer per layer of the
taxonomy, the visitor lines and a density layer; and as controls a layer control, a legend,
the filters with their date range, chart and event list (:mod:`maps.filters`, :mod:`maps.date_range`), a
place search, fullscreen, a minimap and a measuring tool.  Scripts and stylesheets are
inlined (:mod:`maps.assets`); when they cannot be, the page says so in words.  The view
fits the events, or what the URL hash says.

Same input, same bytes: folium's random element ids are replaced by a counter while the
map is built and rendered.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import OutputError

from .errors import OfflineReferenceError
from .tiles import DEFAULT_TILES

if TYPE_CHECKING:
    import folium
    import geopandas

    from geo.model import Event

__all__ = ["render_map", "map_html", "build_map", "MapSummary", "asset_elements", "deterministic_ids"]


class MapSummary(dict):
    """What a rendered map shows: ``events``, ``drawn``, ``per_layer``, ``regional``, ``dates``, ``bytes``,
    and ``scripts`` ("inlined", or "loaded from the internet (why)")."""


def render_map(data: "geopandas.GeoDataFrame | Sequence[Event]", path: str | PathLike[str], *,
               offline: bool = False, tiles: str = DEFAULT_TILES, title: str | None = None,
               canvas_threshold: int | None = None, area_files: Iterable[str | PathLike[str]] = (),
               gazetteer=None) -> MapSummary:
    """Write the map of ``data`` to ``path`` atomically (a temporary file, then ``os.replace``).

    Parameters
    ----------
    data
        An events frame (:func:`geo.frame.events_frame`, joined with
        :func:`geo.join.join_regions` or not) or a sequence of :class:`geo.model.Event`.
    path
        The HTML file to write; its folder must exist.
    offline
        Draw the shipped polygons instead of tiles and require every script inlined (from
        npm packages cached at first use, see :mod:`maps.assets`).  Raises
        :class:`maps.errors.OfflineReferenceError` if the page would still fetch anything.
        Without it, scripts are inlined too when they can be had, tiles are online and the
        shipped polygons are their automatic fallback.
    tiles
        An xyzservices provider name for the online basemap (ignored with ``offline``).
    title
        The page title, also heading the legend (default: "conflict-map: N events").
    canvas_threshold
        Above this many events the circles are drawn on one canvas, not as one SVG path
        each (default :data:`maps.layers.CANVAS_THRESHOLD`).
    area_files
        Extra named-area files, as given to :func:`geo.join.join_regions`.
    gazetteer
        For the visitors' capitals (default: the user's gazetteer).

    Returns
    -------
    MapSummary
        Counts of what the map shows and the file size.

    Raises
    ------
    OutputError
        The file cannot be written (the message names it); nothing is left behind.
    """
    target = Path(path)
    frame = _as_frame(data, area_files)
    try:
        html, summary = map_html(frame, offline=offline, tiles=tiles, title=title,
                                 canvas_threshold=canvas_threshold, area_files=area_files, gazetteer=gazetteer)
    except OfflineReferenceError as error:
        raise OfflineReferenceError(f"{target}: {error}") from None
    _write_atomic(target, html)
    summary["bytes"] = target.stat().st_size
    return summary


def map_html(frame: "geopandas.GeoDataFrame", *, offline: bool = False, tiles: str = DEFAULT_TILES,
             title: str | None = None, canvas_threshold: int | None = None,
             area_files: Iterable[str | PathLike[str]] = (), gazetteer=None) -> tuple[str, MapSummary]:
    """The HTML page of the map of a joined events frame, and its summary (see :func:`render_map`)."""
    from .assets import remote_references
    from .elements import RawElement, Started

    with deterministic_ids():
        folium_map, summary = build_map(frame, offline=offline, tiles=tiles, title=title,
                                        canvas_threshold=canvas_threshold, area_files=area_files, gazetteer=gazetteer)
        Started().add_to(folium_map)
        root = folium_map.get_root()
        _set_title(root, title or f"conflict-map: {summary['events']} events")
        missing = _inline_scripts(root, required=offline)
        root.html.add_child(RawElement(_startup_html(missing)), name="conflict_map_startup")
        html = root.render()
    summary["scripts"] = "inlined" if missing is None else f"loaded from the internet ({missing})"
    if offline:
        remote = remote_references(html)
        if remote:
            more = f" (and {len(remote) - 1} more)" if len(remote) > 1 else ""
            raise OfflineReferenceError(f"the --offline page would still fetch {remote[0]}{more}")
    return html, summary


def build_map(frame: "geopandas.GeoDataFrame", *, offline: bool = False, tiles: str = DEFAULT_TILES,
              title: str | None = None, canvas_threshold: int | None = None,
              area_files: Iterable[str | PathLike[str]] = (), gazetteer=None) -> tuple["folium.Map", MapSummary]:
    """The folium map of a joined events frame (not rendered), and its summary."""
    import folium
    from folium.plugins import Fullscreen, MeasureControl

    from .basemap import BASEMAP_ATTRIBUTION, BASEMAP_NAME, NARROW_EXTRA_ZOOM, basemap_geojson, basemap_labels
    from .choropleth import admin1_choropleth, area_choropleth
    from .elements import (BasemapLayer, BasemapMiniMap, EventMap, FitEvents, LayerControl, Legend, MapSetup,
                           PlaceSearch)
    from .date_range import DateRange
    from .filters import DensityLayer, EventFilters, FilteredChoropleth
    from .layers import CANVAS_THRESHOLD, add_event_layers, add_visitor_lines, event_points
    from .legend import legend_html
    from .popups import country_name
    from .symbols import EVENT_SYMBOLS
    from .search import search_entries
    from .tiles import tile_provider

    area_files = tuple(area_files)
    points = event_points(frame)
    threshold = CANVAS_THRESHOLD if canvas_threshold is None else canvas_threshold
    canvas = len(points) > threshold
    # Leaflet.markercluster needs the map's own maxZoom when no tile layer gives one (offline)
    folium_map = EventMap(location=None, tiles=None, control_scale=True, prefer_canvas=canvas, world_copy_jump=True,
                          **{"maxZoom": 18, "minZoom": 1})
    MapSetup().add_to(folium_map)

    countries = [code for code, _ in Counter(p.properties.get("country_iso2") for p in points).most_common()
                 if isinstance(code, str)]
    tile_layer = None
    if not offline:
        provider = tile_provider(tiles)
        tile_layer = folium.TileLayer(tiles=provider, name=provider.name, overlay=False, control=True)
        tile_layer.add_to(folium_map)
    place_labels = [(name, p.lat, p.lon) for p in points
                    if p.precision == 1 and isinstance(name := p.properties.get("place_name"), str) and name]
    basemap = BasemapLayer(basemap_geojson(countries), basemap_labels(countries, place_labels, gazetteer=gazetteer),
                           name=BASEMAP_NAME, attribution=BASEMAP_ATTRIBUTION, narrow_extra_zoom=NARROW_EXTRA_ZOOM,
                           tiles=tile_layer)
    basemap.add_to(folium_map)

    bounds = _bounds(points)
    if bounds:  # before any layer: markercluster 1.1.0 breaks on a move while it is still clustering
        FitEvents(bounds).add_to(folium_map)

    ramps: list[tuple[str, list[int], bool]] = []
    for number, choropleth in enumerate((admin1_choropleth(frame), area_choropleth(frame, area_files))):
        if choropleth.regions:
            layer = _choropleth_layer(choropleth, show=number == 0)
            layer.add_to(folium_map)
            FilteredChoropleth(layer, choropleth).add_to(folium_map)
            ramps.append((choropleth.name, choropleth.breaks, number == 0))

    add_event_layers(folium_map, points)
    lines = add_visitor_lines(folium_map, points, gazetteer=gazetteer)
    DensityLayer(show=False).add_to(folium_map)

    type_counts = Counter(point.event_type for point in points)
    regional = sum(point.precision != 1 for point in points)
    dates = sorted({d for p in points if isinstance(d := p.properties.get("date"), str) and d})
    LayerControl(collapsed=False, position="topright").add_to(folium_map)
    Legend(legend_html(type_counts, regional=regional, ramps=ramps, dated=bool(dates)),
           summary=title or "Legend").add_to(folium_map)
    places = search_entries(points, gazetteer=gazetteer, area_files=area_files)
    if places:
        PlaceSearch(places).add_to(folium_map)
    Fullscreen(position="topleft").add_to(folium_map)
    MeasureControl(position="topleft", primary_length_unit="kilometers", secondary_length_unit="miles",
                   primary_area_unit="sqkilometers").add_to(folium_map)
    BasemapMiniMap(basemap, toggle_display=True, position="bottomleft").add_to(folium_map)
    days = sorted({_day(d) for d in dates} - {None})
    present = [t for t in EVENT_SYMBOLS if type_counts.get(t)]
    EventFilters(types=[(t, EVENT_SYMBOLS[t].label, EVENT_SYMBOLS[t].colour) for t in present],
                 countries=sorted(((code, country_name(code)) for code in set(countries)), key=lambda pair: pair[1]),
                 regions=sorted({name for p in points if isinstance(name := p.properties.get("admin1"), str) and name}),
                 ).add_to(folium_map)
    if days:
        DateRange(days[0], days[-1]).add_to(folium_map)

    summary = MapSummary(events=len(frame), drawn=len(points), regional=regional, dates=len(dates),
                         per_layer={layer: sum(1 for p in points if p.layer == layer)
                                    for layer in dict.fromkeys(p.layer for p in points) if layer},
                         per_type=dict(sorted(type_counts.items())), visitor_lines=lines, canvas=canvas,
                         offline=offline)
    return folium_map, summary


def asset_elements() -> list[type]:
    """The element classes whose scripts and stylesheets an offline map may need (``conflict-map assets install``)."""
    from folium.plugins import Fullscreen, MarkerCluster, MeasureControl, MiniMap, Search

    from .elements import EventMap
    from .filters import DensityLayer

    return [EventMap, MarkerCluster, Search, Fullscreen, MeasureControl, MiniMap, DensityLayer]


# --------------------------------------------------------------------------- helpers


@contextmanager
def deterministic_ids() -> Iterator[None]:
    """Folium/branca element ids from a counter instead of ``os.urandom`` while inside the block."""
    from branca.element import Element

    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{next(counter):x}")
    try:
        yield
    finally:
        Element._generate_id = original


def _as_frame(data: Any, area_files: Iterable[str | PathLike[str]]) -> "geopandas.GeoDataFrame":
    import geopandas

    from geo.frame import PROPERTY_COLUMNS, events_frame
    from geo.join import join_regions

    if isinstance(data, geopandas.GeoDataFrame):
        missing = [column for column in PROPERTY_COLUMNS if column not in data.columns]
        if missing:
            raise ValueError(f"events frame lacks column(s) {', '.join(missing)}: build it with geo.frame.events_frame")
        frame = data
    else:
        frame = events_frame(list(data))
    if "areas" not in frame.columns:
        frame = join_regions(frame, area_files=area_files)
    return frame


def _choropleth_layer(choropleth, *, show: bool) -> "folium.GeoJson":
    import folium

    return folium.GeoJson(
        choropleth.geojson, name=choropleth.name, overlay=True, control=True, show=show, smooth_factor=1.0,
        style_function=lambda feature: {"fillColor": feature["properties"]["fill"], "fillOpacity": 0.45,
                                        "color": "#6b5d50", "weight": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        zoom_on_click=False,
    )


def _day(date: str) -> str | None:
    """The first day a date of any precision covers (``2020-10`` -> ``2020-10-01``), None if it is not a date."""
    import datetime

    text = {4: date + "-01-01", 7: date + "-01"}.get(len(date), date[:10])
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _bounds(points) -> list[list[float]] | None:
    if not points:
        return None
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


#: Why the scripts could not be inlined, once per process: a build (or a --watch) does not retry npm each time.
_UNAVAILABLE: list[str] = []


def _inline_scripts(root, *, required: bool) -> str | None:
    """Inline the page's scripts and stylesheets (:func:`maps.assets.inline_assets`); None when done,
    else why not (raised instead when ``required``, i.e. for ``--offline``)."""
    from .assets import inline_assets
    from .errors import AssetError

    try:
        inline_assets(root, install=required or not _UNAVAILABLE)
    except AssetError as error:
        if required:
            raise
        if not _UNAVAILABLE:
            _UNAVAILABLE.append(str(error))
        return _UNAVAILABLE[0]
    return None


def _startup_html(missing: str | None) -> str:
    """Words shown over the map until its scripts have run (:class:`maps.elements.Started` removes
    them): a page whose scripts cannot load says why instead of staying blank."""
    from .escape import escape_text

    if missing is None:
        text = ("Loading the map… If this message stays, this browser could not run the map's scripts "
                "(JavaScript may be turned off).")
    else:
        text = ("This map's scripts (Leaflet and its plugins) could not be put inside the page when it was "
                f"built ({missing}), so it loads them from the internet. If this message stays, there is no "
                "connection: run 'conflict-map assets install' once while online, then build the map again "
                "and it will work with no internet.")
    return f'<div id="cm-startup" class="cm-startup" role="status">{escape_text(text)}</div>'


def _set_title(root, title: str) -> None:
    from .elements import RawElement
    from .escape import escape_text

    root.header.add_child(RawElement(f"<title>{escape_text(title)}</title>"), name="conflict_map_title")


def _write_atomic(path: Path, html: str) -> None:
    """Write the page with :func:`gazetteer.atomic.write_atomic`, errors as :class:`OutputError`."""
    from gazetteer.atomic import write_atomic

    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{path}: cannot write: folder {folder} does not exist")
    try:
        write_atomic(path, html)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
