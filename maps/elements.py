"""The folium elements of an events map that folium does not have as such.

- :class:`EventMap`: a ``folium.Map`` that loads only Leaflet and jQuery (folium's popups
  need jQuery; Bootstrap, Font Awesome and awesome-markers are not used).
- :class:`MapSetup`: the page's CSS and the ``window.conflictMap`` object (shared marker
  icons, the layers, marker counts) the other elements and the browser tests use.
- :class:`EventLayer`: a FeatureGroup that registers itself in ``conflictMap.layers``.
- :class:`EventMarkers`: the events of one layer from one JSON array, built in the browser
  (a FastMarkerCluster that batches, and also serves the unclustered region markers).
- :class:`Legend`, :class:`PlaceSearch`: controls (the filters, date range and list are in
  :mod:`maps.filters`); :class:`Started` ends the page's scripts.
- :class:`BasemapLayer`, :class:`BasemapMiniMap`: the shipped basemap (the tiles' fallback, the offline base).

Text from articles reaches these elements already escaped (:mod:`maps.popups`); data
embedded in scripts goes through :func:`script_json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster, MiniMap, Search
from folium.template import Template

from .escape import bmp_only
from .symbols import EVENT_SYMBOLS, LAYER_COLOURS, MARKER_SIZE, glyph_css, icon_svg, layer_class

#: Screens up to this many CSS pixels wide get the phone layout.
NARROW_PX = 600

__all__ = ["NARROW_PX", "EventMap", "MapSetup", "Started", "FitEvents", "LayerControl", "EventLayer", "EventMarkers",
           "VisitorLines", "Legend", "PlaceSearch", "HtmlControl", "RawElement", "RawRender", "BasemapLayer",
           "BasemapMiniMap", "script_json", "CLUSTER_OPTIONS"]


class NamedOnce:
    """Mixin: branca's ``get_name`` (camelified class name and id) worked out once per element;
    a page asks it thousands of times."""

    def get_name(self) -> str:
        name = self.__dict__.get("_name_once")
        if name is None:
            name = self.__dict__["_name_once"] = super().get_name()  # type: ignore[misc]
        return name


class RawElement(NamedOnce, Element):
    """Text put on the page as is.

    branca turns what an element renders into a *new Jinja template* (``Element(text)``) and
    renders that again with the page: text containing ``{{ ... }}`` would be evaluated at
    build time (article text running code), and compiling thousands of templates is slow.
    Our elements hand their output over in a RawElement instead.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawElement"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class RawRender(NamedOnce):
    """Mixin for MacroElements: render the ``header``/``html``/``script`` macros once, into
    :class:`RawElement` s, after declaring the element's scripts and stylesheets (as
    folium's JSCSSMixin does) and, for a layer, adding it to its parent (as folium's Layer)."""

    def render(self, **kwargs: Any) -> None:
        from branca.element import CssLink, JavascriptLink
        from folium.elements import ElementAddToElement

        figure = self.get_root()
        for name, url in getattr(self, "default_js", None) or []:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", None) or []:
            figure.header.add_child(CssLink(url), name=name)
        if isinstance(self, folium.map.Layer) and self.show:
            self.add_child(ElementAddToElement(element_name=self.get_name(),
                                               element_parent_name=self._parent.get_name()),
                           name=self.get_name() + "_add")
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                getattr(figure, part).add_child(RawElement(macro(self, kwargs)), name=self.get_name())
        for child in list(self._children.values()):
            child.render(**kwargs)


#: Leaflet.markercluster options of every layer's cluster group.
CLUSTER_OPTIONS = {"chunkedLoading": True, "showCoverageOnHover": False, "maxClusterRadius": 45,
                   "spiderfyOnMaxZoom": True}


def script_json(value: Any) -> str:
    """``value`` as JSON that can sit inside an HTML ``<script>`` block (no ``</`` nor ``<!--``)
    and inside a Jinja template (no ``{{``, ``{%`` nor ``{#``: structurally impossible in JSON,
    so any is inside a string, where ``\\u007b`` is the same character); characters beyond U+FFFF
    as their JSON escapes (:func:`maps.escape.bmp_only`)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
    return bmp_only(_JINJA_OPENING.sub(r"\\u007b", text), _json_escape)


def _json_escape(char: str) -> str:
    """A character beyond U+FFFF as JSON writes it in ASCII: its UTF-16 surrogate pair, escaped."""
    return json.dumps(char)[1:-1]


_JINJA_OPENING = re.compile(r"\{(?=[{%#])")


class EventMap(folium.Map):
    """A folium map that declares only the assets it uses: Leaflet and jQuery."""

    default_js = [(name, url) for name, url in folium.Map.default_js if name in ("leaflet", "jquery")]
    default_css = [(name, url) for name, url in folium.Map.default_css if name == "leaflet_css"]
    assert len(default_js) == 2 and len(default_css) == 1, "folium renamed its Leaflet/jQuery assets"


_CSS = """
.cm-icon { background: none; border: none; }
.cm-icon svg { display: block; width: 100%; height: 100%; filter: drop-shadow(0 1px 1px rgba(0,0,0,.5)); }
.cm-icon .cm-badge { position: absolute; right: -9px; top: -7px; min-width: 14px; padding: 0 3px; border-radius: 8px;
  background: #b00020; color: #fff; font: bold 10px/14px system-ui, sans-serif; text-align: center;
  box-shadow: 0 0 0 1.5px #fff; }
.marker-cluster.cm-cluster { background: none; }
.marker-cluster.cm-cluster div { width: 30px; height: 30px; margin: 5px; border-radius: 50%; color: #fff;
  font: bold 12px/30px system-ui, sans-serif; text-align: center; border: 2px solid #fff;
  box-shadow: 0 0 0 4px rgba(0,0,0,.12); }
/* cluster colours */
.cm-popup { font: 13px/1.35 system-ui, sans-serif; }
.cm-popup-head { display: flex; gap: 6px; align-items: center; font-weight: 600; color: #333; }
.cm-popup-place { font-size: 15px; font-weight: 700; margin: 2px 0 6px; }
.cm-popup table.cm-facts { border-collapse: collapse; margin-bottom: 4px; }
.cm-popup table.cm-facts th { text-align: left; padding: 1px 8px 1px 0; color: #666; font-weight: normal;
  vertical-align: top; white-space: nowrap; }
.cm-popup .cm-sources-head { font-weight: 600; margin-top: 4px; }
.cm-popup ol.cm-sources { padding-left: 18px; margin: 2px 0; max-height: 260px; overflow-y: auto; }
.cm-popup blockquote { margin: 3px 0 6px; padding-left: 6px; border-left: 3px solid #ccc; color: #222; }
.cm-popup mark { background: #ffe066; padding: 0 1px; }
.cm-popup .cm-article, .cm-popup .cm-outlet { color: #777; }
.cm-popup .cm-toll { color: #a00; }
.leaflet-control-layers { font: 13px/1.35 system-ui, sans-serif; }
.leaflet-control-layers label { margin: 1px 0; }
.cm-legend, .cm-notice { background: rgba(255,255,255,.93); padding: 6px 9px; border-radius: 5px;
  box-shadow: 0 1px 5px rgba(0,0,0,.35); font: 12px/1.4 system-ui, sans-serif; color: #222; }
.cm-legend h4 { margin: 0 0 4px; font-size: 13px; }
.cm-legend summary { cursor: pointer; font-weight: 600; max-width: 260px; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.cm-legend details[open] summary { margin-bottom: 4px; }
.cm-legend .cm-row { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.cm-legend .cm-count { color: #666; margin-left: auto; padding-left: 8px; }
.cm-legend .cm-ramp { display: flex; margin-top: 2px; }
.cm-legend .cm-ramp span { flex: 1; height: 8px; }
.cm-legend .cm-note { color: #555; max-width: 230px; white-space: normal; margin-top: 4px; }
.cm-notice { max-width: 240px; display: flex; align-items: flex-start; gap: 2px; padding: 2px 4px 2px 7px;
  font-size: 11px; background: rgba(255,255,255,.85); }
.cm-notice summary { cursor: pointer; color: #444; white-space: nowrap; }
.cm-notice .cm-notice-text { margin: 2px 0; }
.cm-notice .cm-close { border: none; background: none; font-size: 14px; line-height: 1; cursor: pointer;
  padding: 0 2px 0 4px; color: #555; }
.cm-filters { background: rgba(255,255,255,.95); padding: 5px 8px; border-radius: 5px; max-width: 380px;
  box-shadow: 0 1px 5px rgba(0,0,0,.35); font: 12px/1.4 system-ui, sans-serif; color: #222;
  max-height: max(180px, calc(100vh - 570px)); overflow-y: auto; }
.cm-filters summary { cursor: pointer; font-weight: 600; }
.cm-filter-form { display: grid; grid-template-columns: 1fr 1fr; gap: 2px 10px; margin: 4px 0; }
.cm-field span { display: block; color: #555; }
.cm-field select, .cm-field input { width: 100%; box-sizing: border-box; font-size: 12px; }
.cm-filters .cm-reset { grid-column: 1 / -1; justify-self: start; font-size: 12px; cursor: pointer; }
.cm-chart { display: block; width: 100%; height: 54px; margin-top: 4px; background: #faf8f3; }
.cm-chart rect { cursor: pointer; }
.cm-event-list { border-collapse: collapse; width: 100%; }
.cm-event-list th { text-align: left; cursor: pointer; color: #555; font-weight: 600; position: sticky; top: 0;
  background: #fff; padding: 2px 4px; }
.cm-event-list td { padding: 2px 4px; border-top: 1px solid #eee; vertical-align: top; }
.cm-event-list tbody tr { cursor: pointer; }
.cm-event-list tbody tr:hover { background: #fff3c4; }
@media (max-width: NARROW_PXpx) {
  .cm-legend { max-height: 55vh; overflow-y: auto; }
  .cm-legend summary { max-width: 28vw; }
  .cm-filters { max-width: calc(100vw - 80px); max-height: calc(100vh - 430px); }
  .cm-filter-form { grid-template-columns: 1fr; }
  .cm-notice { max-width: calc(100vw - 150px); }
  .cm-popup ol.cm-sources { max-height: 30vh; }
  .leaflet-control-attribution { max-width: 40vw; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .leaflet-control-scale { display: none; }
}
.cm-startup { position: fixed; z-index: 5000; top: 30%; left: 50%; transform: translateX(-50%);
  max-width: min(520px, 90vw); padding: 14px 18px; background: #fff; border: 1px solid #c9c1b4; border-radius: 6px;
  font: 15px/1.45 system-ui, sans-serif; color: #222; box-shadow: 0 2px 10px rgba(0,0,0,.25); }
.leaflet-marker-icon.cm-label { transition: none !important; }  /* markercluster animates every marker icon */
.cm-label span { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  font: 11px/1.2 system-ui, sans-serif; color: #555; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.cm-label-country span { font-size: 12px; font-weight: 600; letter-spacing: .04em; color: #6b6358;
  text-transform: uppercase; }
.cm-label-capital span { color: #222; }
.cm-label-capital span::before { content: "\\25C9 "; }
.cm-label-admin1 span { font-style: italic; color: #8a8174; }
.cm-label-place span { color: #111; font-weight: 600; transform: translate(8px, -50%); }
"""


class MapSetup(RawRender, MacroElement):
    """The page's CSS and ``window.conflictMap``: icons per event type, layers, counting helpers.

    Add it to the map before any other element: its script must run first.
    """

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var conflictMap = window.conflictMap = (function () {
                var icons = {};
                var svgs = {{ this.icons_json }};
                Object.keys(svgs).forEach(function (type) {
                    icons[type] = L.divIcon({html: svgs[type], className: 'cm-icon ' + {{ this.classes_json }}[type],
                                             iconSize: [{{ this.size }}, {{ this.size }}],
                                             iconAnchor: [{{ this.size // 2 }}, {{ this.size // 2 }}],
                                             popupAnchor: [0, -{{ this.size // 2 }}],
                                             tooltipAnchor: [{{ this.size // 2 }}, 0]});
                });
                // a marker whose event killed people: larger, with the toll in a badge
                var badged = {};
                function icon(type, killed) {
                    if (!(killed > 0)) { return icons[type]; }
                    var key = type + ' ' + killed;
                    if (!badged[key]) {
                        var size = killed >= 50 ? 34 : killed >= 10 ? 30 : 26;
                        badged[key] = L.divIcon({html: svgs[type] + '<span class="cm-badge">' + Number(killed) + '</span>',
                                                 className: 'cm-icon cm-icon-toll ' + {{ this.classes_json }}[type],
                                                 iconSize: [size, size], iconAnchor: [size / 2, size / 2],
                                                 popupAnchor: [0, -size / 2], tooltipAnchor: [size / 2, 0]});
                    }
                    return badged[key];
                }
                function clusterIcon(cssClass) {
                    return function (cluster) {
                        return L.divIcon({html: '<div><span>' + cluster.getChildCount() + '</span></div>',
                                          className: 'marker-cluster cm-cluster ' + cssClass,
                                          iconSize: L.point(40, 40)});
                    };
                }
                function isCluster(layer) {
                    return typeof L.MarkerClusterGroup === 'function' && layer instanceof L.MarkerClusterGroup;
                }
                // Every event marker of a layer, with the group that holds it (cluster or layer).
                function entries(name) {
                    var group = layers[name], found = [];
                    if (!group) { return found; }
                    group.eachLayer(function (child) {
                        if (isCluster(child)) {
                            child.getLayers().forEach(function (m) { found.push({marker: m, container: child}); });
                        } else if (child.options && 'eventId' in child.options) {
                            found.push({marker: child, container: group});
                        } else if (child instanceof L.LayerGroup) {
                            child.eachLayer(function (m) {
                                if (m.options && 'eventId' in m.options) { found.push({marker: m, container: child}); }
                            });
                        }
                    });
                    return found;
                }
                var layers = {};
                // a phone: controls and legend collapsed, no minimap, popups as wide as the screen allows
                var narrow = window.matchMedia('(max-width: {{ this.narrow_px }}px)').matches;
                return {
                    map: {{ this._parent.get_name() }}, icons: icons, icon: icon, layers: layers, clusterIcon: clusterIcon,
                    isCluster: isCluster, entries: entries, narrow: narrow, choropleths: [],
                    popupOptions: {maxWidth: Math.max(200, Math.min(420, window.innerWidth - 80)),
                                   autoPanPadding: narrow ? [10, 10] : [40, 40]},
                    count: function (name) { return entries(name).length; },
                    total: function () {
                        return Object.keys(layers).reduce(function (n, name) { return n + entries(name).length; }, 0);
                    }
                };
            })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapSetup"
        colours = "\n".join(f".marker-cluster.cm-cluster.{layer_class(layer)} div {{ background: {colour}; }}"
                            for layer, colour in LAYER_COLOURS.items())
        self.css = _CSS.replace("/* cluster colours */", colours + "\n" + glyph_css()).replace("NARROW_PX", str(NARROW_PX))
        self.css += ".leaflet-container { background: #d7e6ee; }\n"  # the sea, under the shipped basemap
        self.icons_json = script_json({event_type: icon_svg(event_type) for event_type in EVENT_SYMBOLS})
        self.classes_json = script_json({event_type: layer_class(_layer_of(event_type))
                                         for event_type in EVENT_SYMBOLS})
        self.size = MARKER_SIZE
        self.narrow_px = NARROW_PX


def _layer_of(event_type: str) -> str:
    from geo.model import layer_of

    return layer_of(event_type)


class EventLayer(RawRender, folium.FeatureGroup):
    """A layer of the taxonomy (``Shelling sites``, ...): a FeatureGroup known to ``conflictMap.layers``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.featureGroup({{ this.options|tojavascript }});
            conflictMap.layers[{{ this.layer_name|tojson }}] = {{ this.get_name() }};
        {% endmacro %}
    """)


class VisitorLines(RawRender, folium.FeatureGroup):
    """The visitor -> place lines, built in the browser from rows
    ``[origin lat, origin lon, lat, lon, tooltip (escaped), [event ids]]``; a line is as thick as
    the visits shown along it and hidden when the filters show none (``conflictMap.lines``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.featureGroup();
            conflictMap.lines = (function (group) {
                var lines = {{ this.rows_json }}.map(function (r) {
                    var line = L.polyline([[r[0], r[1]], [r[2], r[3]]], {color: {{ this.colour|tojson }}, opacity: 0.75,
                                                                         dashArray: '6 5', weight: 1.5});
                    line.bindTooltip(function () { return r[4] + ': ' + line.visits + ' visit' + (line.visits === 1 ? '' : 's'); },
                                     {sticky: true});
                    return {line: line, events: r[5]};
                });
                function show(shownIds) {
                    var drawn = 0;
                    lines.forEach(function (l) {
                        var visits = l.events.filter(function (id) { return !shownIds || shownIds.has(id); }).length;
                        l.line.visits = visits;
                        if (visits) {
                            l.line.setStyle({weight: 1.5 + Math.min(visits, 6)});
                            if (!group.hasLayer(l.line)) { group.addLayer(l.line); }
                            drawn += 1;
                        } else if (group.hasLayer(l.line)) { group.removeLayer(l.line); }
                    });
                    return drawn;
                }
                show(null);
                return {group: group, show: show, drawn: function () { return group.getLayers().length; }};
            })({{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, rows: Sequence[Sequence[Any]], *, name: str, colour: str, show: bool) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "VisitorLines"
        self.rows_json = script_json([list(row) for row in rows])
        self.colour = colour


class EventMarkers(RawRender, JSCSSMixin, MacroElement):
    """Events of one layer from one JSON array, built in the browser: one element per layer
    instead of three per event keeps the page and the build small and fast at any size.

    Each row is ``[lat, lon, event_type, date, event_id, popup_html, tooltip_html, facts]``
    (HTML already escaped; ``facts`` from :func:`maps.popups.event_facts`), one row a line so
    that maps diff cleanly.  With ``cluster`` the markers go into one ``L.markerClusterGroup``
    added in a single ``addLayers`` call (folium's FastMarkerCluster adds them one by one);
    without, they are hollow circle markers (``style``; each row adds its radius and colour)
    added straight to the layer.  Popups are bound as strings: no template literal.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var rows = {{ this.rows_json }};
                {%- if this.cluster %}
                var group = L.markerClusterGroup({{ this.options|tojavascript }});
                group.options.iconCreateFunction = conflictMap.clusterIcon({{ this.css_class|tojson }});
                {%- else %}
                var group = L.featureGroup();
                var style = {{ this.style_json }};
                {%- endif %}
                var markers = new Array(rows.length);
                for (var i = 0; i < rows.length; i++) {
                    var r = rows[i];
                    {%- if this.cluster %}
                    var m = L.marker([r[0], r[1]], {icon: conflictMap.icon(r[2], r[7].k), eventType: r[2], eventDate: r[3],
                                                    eventId: r[4], facts: r[7]});
                    {%- else %}
                    var m = L.circleMarker([r[0], r[1]], Object.assign({eventType: r[2], eventDate: r[3], eventId: r[4],
                                           facts: r[7], radius: r[8], color: r[9], fillColor: r[9]}, style));
                    {%- endif %}
                    m.bindPopup(r[5], conflictMap.popupOptions);
                    if (r[6]) { m.bindTooltip(r[6], {sticky: true}); }
                    markers[i] = m;
                }
                {%- if this.cluster %}
                group.addLayers(markers);
                {%- else %}
                for (var j = 0; j < markers.length; j++) { group.addLayer(markers[j]); }
                {%- endif %}
                group.addTo({{ this._parent.get_name() }});
                return group;
            })();
        {% endmacro %}
    """)

    def __init__(self, rows: Sequence[Sequence[Any]], *, cluster: bool, css_class: str,
                 style: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self._name = "EventMarkers"
        self.rows_json = "[\n" + ",\n".join(script_json(list(row)) for row in rows) + "\n]" if rows else "[]"
        self.cluster = cluster
        self.css_class = css_class
        self.options = dict(CLUSTER_OPTIONS)
        self.style_json = script_json(dict(style or {}))
        self.default_js = list(MarkerCluster.default_js) if cluster else []
        self.default_css = list(MarkerCluster.default_css) if cluster else []


class FitEvents(RawRender, MacroElement):
    """Fit the view to the events at once (folium's FitBounds animates, and a map animating its
    first zoom ignores the reader's first drag), clear of the controls: on a wide screen the
    left column (search, zoom, the filter panel's summary, the basemap note, the minimap: up
    to ~230 px) and the right one (layer control and legend: ~250 px) cover no marker."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, Object.assign(
                conflictMap.narrow ? {{ this.narrow_padding|tojson }} : {{ this.wide_padding|tojson }},
                {maxZoom: {{ this.max_zoom }}, animate: false}));
        {% endmacro %}
    """)

    def __init__(self, bounds: Sequence[Sequence[float]], *, max_zoom: int = 9) -> None:
        super().__init__()
        self._name = "FitEvents"
        self.wide_padding = {"paddingTopLeft": [250, 40], "paddingBottomRight": [280, 40]}
        self.narrow_padding = {"paddingTopLeft": [50, 50], "paddingBottomRight": [20, 70]}
        self.bounds = [list(corner) for corner in bounds]
        self.max_zoom = int(max_zoom)


class Started(RawRender, MacroElement):
    """The last script of the page: removes the words shown until the map runs (``#cm-startup``).
    Add it to the map after every other element."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function () {
                var notice = document.getElementById('cm-startup');
                if (notice) { notice.parentNode.removeChild(notice); }
                conflictMap.started = true;
            })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "Started"


class LayerControl(folium.LayerControl):
    """folium's layer control, expanded on a wide screen and collapsed to its button on a phone."""

    _template = Template("""
        {% macro script(this,kwargs) %}
            var {{ this.get_name() }} = L.control.layers(
                { {%- for key, val in this.base_layers.items() %}{{ key|tojson }}: {{ val }},{% endfor %} },
                { {%- for key, val in this.overlays.items() %}{{ key|tojson }}: {{ val }},{% endfor %} },
                Object.assign({{ this.options|tojavascript }}, {collapsed: conflictMap.narrow})
            ).addTo({{ this._parent.get_name() }});
            conflictMap.layerControl = {{ this.get_name() }};
        {% endmacro %}
    """)


class HtmlControl(RawRender, MacroElement):
    """A Leaflet control (inside the map, so it stays in fullscreen) showing prepared, escaped HTML."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function () {
                var control = L.control({position: {{ this.position|tojson }}});
                control.onAdd = function () {
                    var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                    div.innerHTML = {{ this.html_json }};
                    if (conflictMap.narrow) {
                        div.querySelectorAll('details').forEach(function (d) { d.open = false; });
                    }
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    // parts tied to a layer (a choropleth's ramp) show while the layer does
                    {{ this._parent.get_name() }}.on('overlayadd overlayremove', function (e) {
                        div.querySelectorAll('[data-layer]').forEach(function (part) {
                            if (part.getAttribute('data-layer') === e.name) {
                                part.style.display = e.type === 'overlayadd' ? '' : 'none';
                            }
                        });
                    });
                    return div;
                };
                control.addTo({{ this._parent.get_name() }});
            })();
        {% endmacro %}
    """)

    def __init__(self, html: str, *, css_class: str, position: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html_json = script_json(html)
        self.css_class = css_class
        self.position = position


def Legend(html: str, *, summary: str = "Legend", position: str = "bottomright") -> HtmlControl:  # noqa: N802
    """The legend (symbols per event type, the region marker, the choropleth ramps) under ``summary``
    (the map's title, or "Legend"), open on a wide screen and closed on a phone."""
    from .escape import escape_text

    return HtmlControl(f'<details class="cm-legend-box" open><summary>{escape_text(summary)}</summary>{html}</details>',
                       css_class="cm-legend", position=position)


class PlaceSearch(RawRender, Search):
    """folium's Search control (Leaflet.Search, same assets) over every name of the event places
    and named areas (:func:`maps.search.search_entries`).

    Names are data, never markup: each result row is built with ``textContent``
    (Leaflet.Search's own rows use ``innerHTML``, so a place name such as
    ``Ganja<img src=x onerror=...>`` from a user's GeoJSON would run).  A query matches any
    alias of an entry (case and accents aside, as :func:`maps.search.search_key`); the row
    shows the entry's label and, when the match was another name, that name.  Pressing
    Enter on an alias goes to its place too.  Pasted or composed text (``input`` events,
    phone keyboards) searches as typed keys do.  A match moves the map there and rings it.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var entries = {{ this.entries_json }};
                function key(text) {
                    return String(text).normalize('NFD').replace(/[\\u0300-\\u036f]/g, '')
                        .toLowerCase().replace(/\\s+/g, ' ').trim();
                }
                var byLabel = new Map(), keyed = [];
                entries.forEach(function (e) {
                    var latlng = L.latLng(e[1], e[2]);
                    byLabel.set(e[0], latlng);
                    keyed.push({label: e[0], latlng: latlng,
                                names: [e[0]].concat(e[3]).map(function (n) { return {name: n, key: key(n)}; })});
                });
                var matched = new Map();
                function find(text) {
                    var query = key(text), first = [], inside = [];
                    matched.clear();
                    if (!query) { return []; }
                    keyed.forEach(function (e) {
                        var best = null, rank = 3;
                        e.names.forEach(function (n) {
                            var r = n.key === query ? 0 : n.key.indexOf(query) === 0 ? 1 : n.key.indexOf(query) > 0 ? 2 : 3;
                            if (r < rank) { rank = r; best = n.name; }
                        });
                        if (rank < 3) { matched.set(e.label, best); (rank < 2 ? first : inside).push([rank, e]); }
                    });
                    var order = function (a, b) { return a[0] - b[0] || (a[1].label < b[1].label ? -1 : 1); };
                    return first.sort(order).concat(inside.sort(order)).map(function (x) { return x[1]; });
                }
                var CmSearch = L.Control.Search.extend({
                    onAdd: function (map) {  // pasted text and phone keyboards send 'input', not always 'keyup'
                        var container = L.Control.Search.prototype.onAdd.call(this, map);
                        L.DomEvent.on(this._input, 'input', function () { this._handleKeypress({keyCode: 0}); }, this);
                        return container;
                    },
                    _getLocation: function (text) {
                        if (byLabel.has(text)) { return byLabel.get(text); }
                        var hits = find(text);
                        return hits.length ? hits[0].latlng : false;
                    }
                });
                var control = new CmSearch({
                    sourceData: function (text, respond) { respond(entries); return null; },
                    formatData: function () { return Object.create(null); },
                    filterData: function (text) {
                        var records = Object.create(null);
                        find(text).forEach(function (e) { records[e.label] = e.latlng; });
                        return records;
                    },
                    buildTip: function (label) {
                        var row = document.createElement('li');
                        row.textContent = label;
                        var alias = matched.get(label);
                        if (alias && alias !== label && key(alias) !== key(label)) {
                            var note = document.createElement('small');
                            note.className = 'cm-search-alias';
                            note.textContent = ' \u2014 ' + alias;
                            row.appendChild(note);
                        }
                        return row;
                    },
                    initial: false, autoType: false, tooltipLimit: 12, delayType: 150, zoom: {{ this.zoom }},
                    textPlaceholder: {{ this.placeholder|tojson }}, position: {{ this.position|tojson }},
                    collapsed: true, hideMarkerOnCollapse: true,
                    marker: {icon: false, animate: true, circle: {radius: 18, weight: 3, color: '#e03', fill: false}}
                });
                {{ this._parent.get_name() }}.addControl(control);
                conflictMap.search = {control: control, find: function (text) {
                    return find(text).map(function (e) { return e.label; });
                }};
                return control;
            })();
        {% endmacro %}
    """)

    def __init__(self, entries: Sequence[Any], *, zoom: int = 9, placeholder: str = "Search a place",
                 position: str = "topleft") -> None:
        MacroElement.__init__(self)
        self._name = "PlaceSearch"
        self.entries_json = script_json([[entry.label, round(entry.lat, 5), round(entry.lon, 5),
                                          [alias for alias in entry.aliases if alias != entry.label]]
                                         for entry in entries])
        self.zoom = int(zoom)
        self.placeholder = placeholder
        self.position = position


class BasemapLayer(RawRender, folium.map.Layer):
    """The shipped basemap: country and admin-1 polygons in a pane beneath the tiles, and labels.

    With ``tiles`` (the online tile layer) the polygons wait under the tiles, and if the
    tiles fail before any has loaded (no internet), the page removes the tile layer, shows
    the labels and says so in a notice: the fallback is automatic.  Without ``tiles`` (an
    ``--offline`` map) it is the map's base layer, labels on, with the same notice.  Labels
    (``[escaped text, lat, lon, class, zoom]``, :func:`maps.basemap.basemap_labels`) show from
    their zoom, :data:`maps.basemap.NARROW_EXTRA_ZOOM` later on a phone.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_data = {{ this.data_json }};
            var {{ this.get_name() }} = (function () {
                var map = {{ this._parent.get_name() }};
                ['cm-basemap', 'cm-labels'].forEach(function (name, i) {
                    var pane = map.createPane(name);
                    pane.style.zIndex = i ? 350 : 150;
                    pane.style.pointerEvents = 'none';
                });
                var polygons = L.geoJSON({{ this.get_name() }}_data, {
                    pane: 'cm-basemap', interactive: false, attribution: {{ this.attribution|tojson }},
                    style: function (feature) {
                        return feature.properties.kind === 'admin1'
                            ? {color: '#b9b3a8', weight: 0.6, fill: false}
                            : {color: '#9b958c', weight: 0.9, fillColor: '#f3efe6', fillOpacity: 1};
                    }
                });
                // labels by the zoom they show from (a phone: {{ this.narrow_extra }} later)
                var later = conflictMap.narrow ? {{ this.narrow_extra }} : 0, groups = {}, ranked = [];
                {{ this.labels_json }}.forEach(function (l) {
                    var from = l[4] + later;
                    var marker = L.marker([l[1], l[2]], {
                        pane: 'cm-labels', interactive: false, keyboard: false, labelZoom: from,
                        icon: L.divIcon({className: 'cm-label cm-label-' + l[3], iconSize: [0, 0],
                                         html: '<span>' + l[0] + '</span>'})});
                    (groups[from] || (groups[from] = L.layerGroup())).addLayer(marker);
                    ranked.push(marker);  // most important first
                });
                var state = {fallback: false, labels: groups};
                // a label that would overlap a more important one already shown stays hidden; all boxes
                // are read before any style is written (one layout, not one per label)
                function declutter() {
                    var shown = ranked.filter(function (marker) { return marker._icon && marker._icon.firstChild; });
                    var boxes = shown.map(function (marker) {
                        var r = marker._icon.firstChild.getBoundingClientRect();
                        return [r.left - 2, r.top - 1, r.right + 2, r.bottom + 1];
                    });
                    var kept = [], hidden = boxes.map(function (box) {
                        var clash = kept.some(function (k) {
                            return box[0] < k[2] && k[0] < box[2] && box[1] < k[3] && k[1] < box[3];
                        });
                        if (!clash) { kept.push(box); }
                        return clash;
                    });
                    shown.forEach(function (marker, i) {
                        marker._icon.firstChild.style.visibility = hidden[i] ? 'hidden' : '';
                    });
                }
                function showLabels() {
                    var zoom = map.getZoom();
                    Object.keys(groups).forEach(function (c) {
                        var show = state.fallback && zoom >= +c;
                        if (show && !map.hasLayer(groups[c])) { map.addLayer(groups[c]); }
                        if (!show && map.hasLayer(groups[c])) { map.removeLayer(groups[c]); }
                    });
                    if (state.fallback) { declutter(); }
                }
                function fallBack(reason, short) {
                    if (state.fallback) { return; }
                    state.fallback = true;
                    state.reason = reason;
                    if (!map.hasLayer(polygons)) { map.addLayer(polygons); }
                    // a small chip, not a box over the map: the sentence opens from it; x hides it
                    var notice = L.control({position: 'bottomleft'});
                    notice.onAdd = function () {
                        var div = L.DomUtil.create('div', 'cm-notice cm-basemap-notice');
                        div.title = reason;
                        var details = L.DomUtil.create('details', '', div);
                        L.DomUtil.create('summary', '', details).textContent = short;
                        L.DomUtil.create('div', 'cm-notice-text', details).textContent = reason;
                        var close = L.DomUtil.create('button', 'cm-close', div);
                        close.type = 'button'; close.textContent = '\u00d7'; close.title = 'Hide this note';
                        close.setAttribute('aria-label', 'Hide this note');
                        L.DomEvent.on(close, 'click', function () { notice.remove(); state.notice = null; });
                        L.DomEvent.disableClickPropagation(div);
                        return div;
                    };
                    notice.addTo(map);
                    state.notice = notice;
                    showLabels();
                }
                map.on('zoomend', showLabels);
                {%- if this.tiles %}
                var tiles = {{ this.tiles.get_name() }}, loaded = false;
                map.addLayer(polygons);
                tiles.on('tileload', function () { loaded = true; });
                tiles.on('tileerror', function () {
                    if (loaded) { return; }
                    map.removeLayer(tiles);
                    fallBack({{ this.fallback_text|tojson }}, {{ this.fallback_short|tojson }});
                });
                {%- else %}
                map.whenReady(function () { fallBack({{ this.offline_text|tojson }}, {{ this.offline_short|tojson }}); });
                {%- endif %}
                conflictMap.basemap = state;
                return polygons;
            })();
        {% endmacro %}
    """)

    def __init__(self, geojson: Mapping[str, Any], labels: Sequence[Sequence[Any]], *, name: str, attribution: str,
                 narrow_extra_zoom: int, tiles: folium.TileLayer | None = None) -> None:
        super().__init__(name=name, overlay=False, control=tiles is None, show=tiles is None)
        self._name = "BasemapLayer"
        self.data_json = script_json(geojson)
        self.labels_json = script_json([list(label) for label in labels])
        self.narrow_extra = int(narrow_extra_zoom)
        self.attribution = attribution
        self.tiles = tiles
        shipped = "the Natural Earth boundaries shipped with conflict-map, labelled as you zoom in"
        self.fallback_text = f"No tile server could be reached: the basemap is {shipped}."
        self.offline_text = f"Offline map: the basemap is {shipped}."
        self.fallback_short = "No tiles: shipped basemap"
        self.offline_short = "Offline basemap"


class BasemapMiniMap(RawRender, MiniMap):
    """folium's MiniMap (same assets) drawing the offline basemap's countries instead of tiles."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = conflictMap.narrow ? null : new L.Control.MiniMap(
                L.geoJSON({{ this.basemap.get_name() }}_data, {
                    interactive: false,
                    filter: function (feature) { return feature.properties.kind !== 'admin1'; },
                    style: {color: '#9b958c', weight: 0.5, fillColor: '#f3efe6', fillOpacity: 1}
                }),
                {{ this.options|tojavascript }}
            );
            if ({{ this.get_name() }}) { {{ this._parent.get_name() }}.addControl({{ this.get_name() }}); }
        {% endmacro %}
    """)

    def __init__(self, basemap: BasemapLayer, **options: Any) -> None:
        super().__init__(tile_layer=None, **options)
        self._name = "BasemapMiniMap"
        self.basemap = basemap
