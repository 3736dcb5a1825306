"""Narrowing the map: one filter state applied to every layer, a linked event list, a time slider, the URL hash.

- :class:`EventFilters`: the filters (event types, country, admin-1 unit, actor, minimum
  confidence, date range)
  applied together to the markers and clusters of every layer, the choropleths, the visitor
  lines and the legend's counts;
  a chart of the events shown per day, stacked by type (a bar's click filters that day);
  a sortable list of the events shown (date, type, place, killed and injured, articles)
  whose rows fly to the event and open its popup; and the URL hash, which keeps the view,
  the filters and the open event so a link shows the same map.
- the date range of the panel is :class:`maps.date_range.DateRange`; it sets the same filter state.

The page reads what it filters on from each marker's options (``eventType``, ``eventDate``,
``facts``: :func:`maps.popups.event_facts`); list cells are set with ``textContent``.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from .elements import RawRender, script_json

__all__ = ["EventFilters", "FilteredChoropleth", "DensityLayer", "LIST_LIMIT", "DENSITY_MAX_ZOOM"]

#: The density view shows up to this zoom (a region or wider); closer in, the markers say more.
DENSITY_MAX_ZOOM = 6

#: Rows the event list shows at most (the count says how many more the filters keep).
LIST_LIMIT = 500


class EventFilters(RawRender, MacroElement):
    """The filter panel, the event list and the URL hash (``conflictMap.filters``).

    Parameters
    ----------
    types
        ``(event_type, label, colour)`` of the types on the map, in taxonomy order.
    countries
        ``(ISO2 code, name)`` of the countries of the events, by name.
    regions
        The names of the admin-1 units of the events, sorted.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function () {
                var map = {{ this._parent.get_name() }};
                var types = {{ this.types_json }}, countries = {{ this.countries_json }}, regions = {{ this.regions_json }};
                var labels = {};
                types.forEach(function (t) { labels[t[0]] = t[1]; });
                var all = [];
                Object.keys(conflictMap.layers).forEach(function (name) {
                    conflictMap.entries(name).forEach(function (e) { e.shown = true; all.push(e); });
                });
                var state = {types: null, country: '', region: '', actor: '', minConfidence: 0, from: '', to: ''};
                var sort = {key: 'date', descending: true}, listeners = [];

                function passes(e) {
                    var o = e.marker.options, f = o.facts || {}, d = o.eventDate;
                    if (state.types && !state.types.has(o.eventType)) { return false; }
                    if (state.country && f.c !== state.country) { return false; }
                    if (state.region && f.r !== state.region) { return false; }
                    if (state.actor && (f.a || '').toLowerCase().indexOf(state.actor.toLowerCase()) < 0) { return false; }
                    if (state.minConfidence > 0 && !(f.f >= state.minConfidence)) { return false; }
                    if (state.from || state.to) {
                        if (!d) { return false; }
                        // compared at the event's own precision: "2020-10" is inside 2020-10-04..2020-10-31
                        if (state.from && d < state.from.slice(0, d.length)) { return false; }
                        if (state.to && d > state.to) { return false; }
                    }
                    return true;
                }
                function apply() {
                    var changes = new Map(), counts = {};
                    all.forEach(function (e) {
                        var show = passes(e);
                        if (show) { counts[e.marker.options.eventType] = (counts[e.marker.options.eventType] || 0) + 1; }
                        if (show === e.shown) { return; }
                        e.shown = show;
                        if (!changes.has(e.container)) { changes.set(e.container, {add: [], remove: []}); }
                        changes.get(e.container)[show ? 'add' : 'remove'].push(e.marker);
                    });
                    changes.forEach(function (change, container) {
                        if (conflictMap.isCluster(container)) {
                            if (change.remove.length) { container.removeLayers(change.remove); }
                            if (change.add.length) { container.addLayers(change.add); }
                        } else {
                            change.remove.forEach(function (m) { container.removeLayer(m); });
                            change.add.forEach(function (m) { container.addLayer(m); });
                        }
                    });
                    var shown = all.filter(function (e) { return e.shown; });
                    counts.regional = shown.filter(function (e) { return !conflictMap.isCluster(e.container); }).length;
                    document.querySelectorAll('.cm-legend .cm-row[data-type]').forEach(function (row) {
                        row.querySelector('.cm-count').textContent = counts[row.getAttribute('data-type')] || 0;
                    });
                    conflictMap.choropleths.forEach(function (c) { recount(c, shown); });
                    if (conflictMap.density) { conflictMap.density.update(shown); }
                    if (conflictMap.lines) {
                        conflictMap.lines.show(new Set(shown.map(function (e) { return e.marker.options.eventId; })));
                    }
                    if (summary) { summary.textContent = 'Events and filters (' + shown.length + ' of ' + all.length + ')'; }
                    fillList(shown);
                    drawChart(shown);
                    listeners.forEach(function (listener) { listener(shown.length); });
                    saveHash();
                    return shown.length;
                }

                function recount(c, shown) {
                    var tally = {};
                    shown.forEach(function (e) {
                        var key = (e.marker.options.facts || {})[c.field], type = e.marker.options.eventType;
                        if (!key) { return; }
                        var t = tally[key] || (tally[key] = {n: 0});
                        t.n += 1; t[type] = (t[type] || 0) + 1;
                    });
                    c.layer.eachLayer(function (region) {
                        var p = region.feature.properties, t = tally[p.match] || {n: 0}, colour = c.colours[c.colours.length - 1];
                        for (var i = 0; i < c.breaks.length; i++) { if (t.n <= c.breaks[i]) { colour = c.colours[i]; break; } }
                        region.setStyle({fillColor: colour, fillOpacity: t.n ? 0.45 : 0, opacity: t.n ? 1 : 0.2});
                        var parts = types.filter(function (x) { return t[x[0]]; }).map(function (x) {
                            return x[1].toLowerCase() + ' ' + t[x[0]];
                        });
                        p.n_events = t.n;
                        p.tooltip = p.label + '<br>' + t.n + ' event' + (t.n === 1 ? '' : 's') + (parts.length ? ': ' + parts.join(' \u00b7 ') : '');
                    });
                }

                // ------------------------------------------------------------ the chart
                var chartData = [];
                function drawChart(shown) {
                    if (!chart) { return; }
                    var perDay = {}, dated = 0;
                    shown.forEach(function (e) {
                        var d = (e.marker.options.eventDate || '').slice(0, 10);
                        if (d.length !== 10) { return; }
                        var day = perDay[d] || (perDay[d] = {total: 0});
                        day.total += 1; day[e.marker.options.eventType] = (day[e.marker.options.eventType] || 0) + 1;
                        dated += 1;
                    });
                    var days = Object.keys(perDay).sort();
                    chartData = days.map(function (d) { return [d, perDay[d].total]; });
                    while (chart.firstChild) { chart.removeChild(chart.firstChild); }
                    if (!days.length) { chartNote.textContent = 'No dated event shown.'; return; }
                    var first = Date.parse(days[0]), span = Math.max(1, (Date.parse(days[days.length - 1]) - first) / 86400000 + 1);
                    var width = 340, height = 54, bar = Math.max(1, width / span - 1);
                    var top = Math.max.apply(null, days.map(function (d) { return perDay[d].total; }));
                    days.forEach(function (d) {
                        var x = (Date.parse(d) - first) / 86400000 * (width / span), y = height;
                        types.forEach(function (t) {
                            var n = perDay[d][t[0]];
                            if (!n) { return; }
                            var h = n / top * (height - 4);
                            var rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
                            rect.setAttribute('x', x.toFixed(1)); rect.setAttribute('y', (y - h).toFixed(1));
                            rect.setAttribute('width', bar.toFixed(1)); rect.setAttribute('height', h.toFixed(1));
                            rect.setAttribute('fill', t[2]);
                            rect.setAttribute('data-day', d);
                            var title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
                            title.textContent = d + ': ' + n + ' ' + t[1].toLowerCase();
                            rect.appendChild(title);
                            rect.addEventListener('click', function () { set(Object.assign(current(), {from: d, to: d})); });
                            chart.appendChild(rect);
                            y -= h;
                        });
                    });
                    chartNote.textContent = dated + ' dated events, ' + days[0] + ' to ' + days[days.length - 1]
                        + ' (most in a day: ' + top + '); click a bar for that day';
                }
                function current() {
                    return {types: state.types ? Array.from(state.types).join(',') : '', country: state.country,
                            region: state.region, actor: state.actor,
                            confidence: state.minConfidence, from: state.from, to: state.to};
                }

                // ------------------------------------------------------------ the list
                var keys = {
                    date: function (e) { return e.marker.options.eventDate || ''; },
                    type: function (e) { return labels[e.marker.options.eventType] || e.marker.options.eventType; },
                    place: function (e) { return (e.marker.options.facts || {}).p || ''; },
                    toll: function (e) { var f = e.marker.options.facts || {}; return (f.k || 0) + (f.i || 0); },
                    articles: function (e) { return (e.marker.options.facts || {}).n || 0; }
                };
                function compare(a, b) {
                    var x = keys[sort.key](a), y = keys[sort.key](b);
                    var order = x < y ? -1 : x > y ? 1 : 0;
                    return sort.descending ? -order : order;
                }
                function fillList(shown) {
                    if (!body) { return; }
                    var rows = shown.slice().sort(compare).slice(0, {{ this.limit }});
                    var fragment = document.createDocumentFragment();
                    rows.forEach(function (e) {
                        var o = e.marker.options, f = o.facts || {};
                        var tr = document.createElement('tr');
                        tr.setAttribute('data-event', o.eventId);
                        var toll = [f.k !== undefined ? f.k + ' killed' : '', f.i !== undefined ? f.i + ' injured' : '']
                            .filter(Boolean).join(', ');
                        [o.eventDate || '', labels[o.eventType] || o.eventType, f.p || '', toll, String(f.n || 0)]
                            .forEach(function (text) {
                                var td = document.createElement('td');
                                td.textContent = text;
                                tr.appendChild(td);
                            });
                        tr.addEventListener('click', function () { select(o.eventId); });
                        fragment.appendChild(tr);
                    });
                    body.textContent = '';
                    body.appendChild(fragment);
                    more.textContent = shown.length > rows.length
                        ? (shown.length - rows.length) + ' more: narrow the filters to list them' : '';
                }
                function find(eventId) {
                    for (var i = 0; i < all.length; i++) {
                        if (all[i].marker.options.eventId === eventId) { return all[i]; }
                    }
                    return null;
                }
                function select(eventId) {
                    var e = find(eventId);
                    if (!e || !e.shown) { return false; }
                    var layer = Object.keys(conflictMap.layers).filter(function (name) {
                        return conflictMap.layers[name].hasLayer(e.container) || conflictMap.layers[name] === e.container;
                    })[0];
                    if (layer && !map.hasLayer(conflictMap.layers[layer])) { map.addLayer(conflictMap.layers[layer]); }
                    if (conflictMap.isCluster(e.container)) {
                        e.container.zoomToShowLayer(e.marker, function () { e.marker.openPopup(); });
                    } else {
                        map.once('moveend', function () { e.marker.openPopup(); });
                        map.flyTo(e.marker.getLatLng(), Math.max(map.getZoom(), 7), {duration: 0.6});
                    }
                    return true;
                }

                // ------------------------------------------------------------ the URL hash
                var selected = '', restoring = true;
                function saveHash() {
                    if (restoring) { return; }
                    var c = map.getCenter(), parts = ['map=' + map.getZoom() + '/' + c.lat.toFixed(4) + '/' + c.lng.toFixed(4)];
                    if (state.types) { parts.push('types=' + Array.from(state.types).sort().join(',')); }
                    if (state.country) { parts.push('country=' + state.country); }
                    if (state.region) { parts.push('region=' + encodeURIComponent(state.region)); }
                    if (state.actor) { parts.push('actor=' + encodeURIComponent(state.actor)); }
                    if (state.minConfidence > 0) { parts.push('confidence=' + state.minConfidence); }
                    if (state.from) { parts.push('from=' + state.from); }
                    if (state.to) { parts.push('to=' + state.to); }
                    if (selected) { parts.push('event=' + selected); }
                    history.replaceState(null, '', '#' + parts.join('&'));
                }
                function readHash() {
                    var found = {};
                    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
                        var i = part.indexOf('=');
                        if (i > 0) { found[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1)); }
                    });
                    return found;
                }
                map.on('moveend', saveHash);
                map.on('popupopen', function (ev) {
                    var source = ev.popup._source;
                    selected = source && source.options && source.options.eventId || '';
                    saveHash();
                });
                map.on('popupclose', function () { selected = ''; saveHash(); });

                // ------------------------------------------------------------ the panel
                var summary = null, body = null, more = null, inputs = {}, chart = null, chartNote = null, panel = null;
                var control = L.control({position: 'topleft'});
                control.onAdd = function () {
                    var div = L.DomUtil.create('div', 'cm-filters');
                    var details = L.DomUtil.create('details', '', div);
                    summary = L.DomUtil.create('summary', '', details);
                    var form = L.DomUtil.create('div', 'cm-filter-form', details);
                    function field(label, element) {
                        var wrap = L.DomUtil.create('label', 'cm-field', form);
                        L.DomUtil.create('span', '', wrap).textContent = label;
                        wrap.appendChild(element);
                        return element;
                    }
                    var typeSelect = document.createElement('select');
                    typeSelect.multiple = true;
                    typeSelect.size = Math.min(types.length, 5);
                    types.forEach(function (t) {
                        var option = document.createElement('option');
                        option.value = t[0]; option.textContent = t[1];
                        typeSelect.appendChild(option);
                    });
                    inputs.types = field('Types (none chosen: all)', typeSelect);
                    var countrySelect = document.createElement('select');
                    [['', 'All countries']].concat(countries).forEach(function (c) {
                        var option = document.createElement('option');
                        option.value = c[0]; option.textContent = c[1];
                        countrySelect.appendChild(option);
                    });
                    inputs.country = field('Country', countrySelect);
                    var regionSelect = document.createElement('select');
                    [''].concat(regions).forEach(function (r) {
                        var option = document.createElement('option');
                        option.value = r; option.textContent = r || 'All admin-1 units';
                        regionSelect.appendChild(option);
                    });
                    inputs.region = field('Admin-1 unit', regionSelect);
                    var actorInput = document.createElement('input');
                    actorInput.type = 'search'; actorInput.placeholder = 'e.g. AZ, Russian forces';
                    inputs.actor = field('Actor', actorInput);
                    var confidence = document.createElement('input');
                    confidence.type = 'number'; confidence.min = 0; confidence.max = 1; confidence.step = 0.05;
                    confidence.value = 0;
                    inputs.confidence = field('Minimum confidence', confidence);
                    var reset = L.DomUtil.create('button', 'cm-reset', form);
                    reset.type = 'button'; reset.textContent = 'Clear filters';
                    chart = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
                    chart.setAttribute('class', 'cm-chart');
                    chart.setAttribute('viewBox', '0 0 340 54');
                    chart.setAttribute('preserveAspectRatio', 'none');
                    chart.setAttribute('role', 'img');
                    chart.setAttribute('aria-label', 'Events per day, by type');
                    details.appendChild(chart);
                    chartNote = L.DomUtil.create('div', 'cm-note cm-chart-note', details);
                    var table = L.DomUtil.create('table', 'cm-event-list', details);
                    var head = table.createTHead().insertRow();
                    [['date', 'Date'], ['type', 'Type'], ['place', 'Place'], ['toll', 'Killed, injured'],
                     ['articles', 'Articles']].forEach(function (column) {
                        var th = document.createElement('th');
                        th.textContent = column[1];
                        th.setAttribute('data-sort', column[0]);
                        th.title = 'Sort by ' + column[1].toLowerCase();
                        th.addEventListener('click', function () {
                            sort = {key: column[0], descending: sort.key === column[0] ? !sort.descending : column[0] !== 'place' && column[0] !== 'type'};
                            fillList(all.filter(function (e) { return e.shown; }));
                        });
                        head.appendChild(th);
                    });
                    body = table.createTBody();
                    more = L.DomUtil.create('div', 'cm-note', details);
                    function read() {
                        var chosen = Array.from(typeSelect.selectedOptions).map(function (o) { return o.value; });
                        state.types = chosen.length ? new Set(chosen) : null;
                        state.country = countrySelect.value;
                        state.region = regionSelect.value; state.actor = actorInput.value.trim();
                        state.minConfidence = Math.max(0, Math.min(1, parseFloat(confidence.value) || 0));
                        apply();  // the dates are the date range's (maps.date_range)
                    }
                    [typeSelect, countrySelect, regionSelect, actorInput, confidence].forEach(function (input) {
                        L.DomEvent.on(input, 'change input', read);
                    });
                    L.DomEvent.on(reset, 'click', function () { set({}); });
                    // the panel opens at its top (the filters), whatever was scrolled before
                    details.addEventListener('toggle', function () { if (details.open) { div.scrollTop = 0; } });
                    panel = {box: div, details: details, form: form, reset: reset};
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                control.addTo(map);

                function set(values) {
                    state.types = values.types ? new Set(String(values.types).split(',').filter(Boolean)) : null;
                    state.country = values.country || '';
                    state.region = values.region || ''; state.actor = values.actor || '';
                    state.minConfidence = Math.max(0, Math.min(1, parseFloat(values.confidence) || 0));
                    state.from = values.from || ''; state.to = values.to || '';
                    Array.from(inputs.types.options).forEach(function (o) {
                        o.selected = !!state.types && state.types.has(o.value);
                    });
                    inputs.country.value = state.country;
                    inputs.region.value = state.region; inputs.actor.value = state.actor;
                    inputs.confidence.value = state.minConfidence;
                    return apply();
                }

                var restored = readHash();
                set(restored);
                if (restored.map) {
                    var view = restored.map.split('/').map(Number);
                    if (view.length === 3 && view.every(isFinite)) { map.setView([view[1], view[2]], view[0], {animate: false}); }
                }
                restoring = false;
                if (restored.event) { select(restored.event); }
                saveHash();
                conflictMap.filters = {
                    state: state, set: set, apply: apply, select: select, onChange: function (f) { listeners.push(f); },
                    panel: panel,
                    shown: function () { return all.filter(function (e) { return e.shown; }).length; },
                    listed: function () { return body.rows.length; },
                    chart: function () { return chartData; }
                };
            })();
        {% endmacro %}
    """)

    def __init__(self, *, types: Sequence[tuple[str, str, str]], countries: Sequence[tuple[str, str]],
                 regions: Sequence[str] = (),
                 limit: int = LIST_LIMIT) -> None:
        super().__init__()
        self._name = "EventFilters"
        self.types_json = script_json([list(pair) for pair in types])
        self.countries_json = script_json([list(pair) for pair in countries])
        self.regions_json = script_json(list(regions))
        self.limit = int(limit)


class FilteredChoropleth(RawRender, MacroElement):
    """Ties a choropleth layer (a ``folium.GeoJson`` of :class:`maps.choropleth.Choropleth`) to the
    filters: its regions are recounted and recoloured from the events shown (``conflictMap.choropleths``),
    and outlined on hover.  Add it before :class:`EventFilters`."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function () {
                var layer = {{ this.layer.get_name() }};
                conflictMap.choropleths.push({layer: layer, field: {{ this.field|tojson }},
                                              breaks: {{ this.breaks_json }}, colours: {{ this.colours_json }}});
                layer.on('mouseover', function (e) { e.layer.setStyle({weight: 2.5}); });
                layer.on('mouseout', function (e) { e.layer.setStyle({weight: 0.8}); });
            })();
        {% endmacro %}
    """)

    def __init__(self, layer, choropleth) -> None:  # layer: folium.GeoJson, choropleth: maps.choropleth.Choropleth
        from .choropleth import ramp_for

        super().__init__()
        self._name = "FilteredChoropleth"
        self.layer = layer
        self.field = choropleth.event_field
        self.breaks_json = script_json([int(bound) for bound in choropleth.breaks])
        self.colours_json = script_json(list(ramp_for(choropleth.breaks)))


class DensityLayer(RawRender, JSCSSMixin, folium.map.Layer):
    """A heat map of the events the filters show (Leaflet.heat), drawn up to :data:`DENSITY_MAX_ZOOM`:
    where events are dense, at country or continent scale (``conflictMap.density``)."""

    default_js = [("leaflet-heat", "https://cdn.jsdelivr.net/npm/leaflet.heat@0.2.0/dist/leaflet-heat.js")]

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.layerGroup();
            conflictMap.density = (function (group) {
                var map = {{ this._parent.get_name() }};
                var heat = L.heatLayer([], {radius: 18, blur: 22, maxZoom: {{ this.max_zoom }}, minOpacity: 0.3});
                var points = [];
                function place() {
                    var wanted = map.getZoom() <= {{ this.max_zoom }};
                    if (wanted && !group.hasLayer(heat)) { group.addLayer(heat); }
                    if (!wanted && group.hasLayer(heat)) { group.removeLayer(heat); }
                }
                map.on('zoomend', place);
                place();
                return {
                    group: group, heat: heat,
                    update: function (shown) {
                        points = shown.map(function (e) { return e.marker.getLatLng(); });
                        heat.setLatLngs(points);
                    },
                    points: function () { return points.length; },
                    drawn: function () { return map.hasLayer(group) && group.hasLayer(heat); }
                };
            })({{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, *, name: str = "Density (heat, zoomed out)", show: bool = False,
                 max_zoom: int = DENSITY_MAX_ZOOM) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "DensityLayer"
        self.max_zoom = int(max_zoom)
