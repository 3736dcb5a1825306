"""The date range of the filter panel: two handles on a real time scale, and play with a window.

One slider, two handles (``from`` and ``to``), one step per day from the first to the last
event date, so a year's gap is a year long.  Both handles at the ends filter nothing by
date (undated events show too).  Play moves the ``to`` handle through time with a window
behind it (every earlier day, the last 7 days, that day).  It lives inside the panel of
:class:`maps.filters.EventFilters` (``conflictMap.filters``), whose state (``from``,
``to``) it sets and follows (the URL hash, a chart bar, "Clear filters"), and it keeps the
page's ``conflictMap.timeSlider`` (``showUpTo(day)``, ``apply(offset)``).
"""

from __future__ import annotations

from datetime import date

from branca.element import MacroElement
from folium.template import Template

from .elements import RawRender

__all__ = ["DateRange", "DATE_RANGE_CSS"]

#: The two handles share one track: each range input is transparent but its thumb.
DATE_RANGE_CSS = """
.cm-range { grid-column: 1 / -1; margin-top: 2px; }
.cm-range-head { display: flex; justify-content: space-between; gap: 8px; color: #555; }
.cm-range-label { color: #222; font-variant-numeric: tabular-nums; }
.cm-range-track { position: relative; height: 22px; margin: 0 2px; }
.cm-range-track::before { content: ""; position: absolute; left: 7px; right: 7px; top: 10px; height: 3px;
  background: #cfc9bf; border-radius: 2px; }
.cm-range-fill { position: absolute; top: 10px; height: 3px; background: #1f77b4; border-radius: 2px; }
.cm-range-track input[type=range] { position: absolute; left: 0; top: 0; width: 100%; height: 22px; margin: 0;
  background: none; pointer-events: none; -webkit-appearance: none; appearance: none; }
.cm-range-track input[type=range]::-webkit-slider-runnable-track { background: none; }
.cm-range-track input[type=range]::-webkit-slider-thumb { pointer-events: auto; -webkit-appearance: none;
  width: 14px; height: 14px; border-radius: 50%; background: #1f77b4; border: 2px solid #fff;
  box-shadow: 0 0 0 1px #1f77b4; cursor: pointer; }
.cm-range-track input[type=range]::-moz-range-thumb { pointer-events: auto; width: 12px; height: 12px;
  border-radius: 50%; background: #1f77b4; border: 2px solid #fff; box-shadow: 0 0 0 1px #1f77b4; cursor: pointer; }
.cm-range-track input[type=range]::-moz-range-track { background: none; }
.cm-range-play { display: flex; gap: 6px; align-items: center; }
.cm-range-play button { font-size: 12px; cursor: pointer; }
.cm-range-play select { font-size: 12px; }
"""


class DateRange(RawRender, MacroElement):
    """The two-handle date range (see the module docstring); add it after :class:`maps.filters.EventFilters`.

    Parameters
    ----------
    first, last
        The first and last event day (``YYYY-MM-DD``).
    interval_ms
        Milliseconds between two steps of play.
    """

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            (function () {
                var filters = conflictMap.filters, panel = filters.panel;
                var first = Date.parse({{ this.first|tojson }}), days = {{ this.days }};
                function day(offset) { return new Date(first + offset * 86400000).toISOString().slice(0, 10); }
                function offsetOf(text, fallback) {
                    var t = Date.parse(String(text || '').slice(0, 10));
                    return isFinite(t) ? Math.max(0, Math.min(days, Math.round((t - first) / 86400000))) : fallback;
                }
                var box = L.DomUtil.create('div', 'cm-field cm-range');
                var head = L.DomUtil.create('div', 'cm-range-head', box);
                L.DomUtil.create('span', '', head).textContent = 'Dates';
                var label = L.DomUtil.create('span', 'cm-range-label', head);
                var track = L.DomUtil.create('div', 'cm-range-track', box);
                var fill = L.DomUtil.create('div', 'cm-range-fill', track);
                function handle(name, value) {
                    var input = L.DomUtil.create('input', 'cm-range-' + name, track);
                    input.type = 'range'; input.min = 0; input.max = days; input.step = 1; input.value = value;
                    input.setAttribute('aria-label', name === 'from' ? 'First day shown' : 'Last day shown');
                    return input;
                }
                var low = handle('from', 0), high = handle('to', days);
                var controls = L.DomUtil.create('div', 'cm-range-play', box);
                var play = L.DomUtil.create('button', '', controls);
                play.type = 'button'; play.textContent = '\\u25b6'; play.title = 'Play through the dates';
                var windowSelect = L.DomUtil.create('select', '', controls);
                windowSelect.title = 'Which days each step of play shows';
                [['0', 'all earlier days'], ['7', 'last 7 days'], ['1', 'that day']].forEach(function (o) {
                    var option = document.createElement('option');
                    option.value = o[0]; option.textContent = o[1];
                    windowSelect.appendChild(option);
                });
                panel.form.insertBefore(box, panel.reset);

                function draw() {
                    var a = +low.value, b = +high.value, whole = a <= 0 && b >= days;
                    var span = days || 1;
                    fill.style.left = 'calc(7px + (100% - 14px) * ' + (a / span) + ')';
                    fill.style.width = 'calc((100% - 14px) * ' + ((b - a) / span) + ')';
                    label.textContent = whole ? 'all dates' : day(a) + ' \\u2013 ' + day(b);
                    // the handle at the far end stays reachable when both meet there
                    low.style.zIndex = a >= days ? 3 : 1;
                }
                function fromHandles() {
                    var a = +low.value, b = +high.value;
                    filters.state.from = a > 0 ? day(a) : '';
                    filters.state.to = b < days ? day(b) : '';
                    draw();
                    return filters.apply();
                }
                function follow() {  // the state changed elsewhere: the hash, a chart bar, "Clear filters"
                    low.value = offsetOf(filters.state.from, 0);
                    high.value = offsetOf(filters.state.to, days);
                    draw();
                }
                L.DomEvent.on(low, 'input change', function () {
                    if (+low.value > +high.value) { high.value = low.value; }
                    fromHandles();
                });
                L.DomEvent.on(high, 'input change', function () {
                    if (+high.value < +low.value) { low.value = high.value; }
                    fromHandles();
                });
                function showWindow(offset) {  // the window of play ending at offset
                    var span = +windowSelect.value;
                    high.value = Math.max(0, Math.min(days, offset));
                    low.value = span === 0 ? 0 : Math.max(0, +high.value - span + 1);
                    return fromHandles();
                }
                L.DomEvent.on(windowSelect, 'change', function () { showWindow(+high.value); });
                var timer = null;
                function stop() { clearInterval(timer); timer = null; play.textContent = '\\u25b6'; }
                L.DomEvent.on(play, 'click', function () {
                    if (timer) { stop(); return; }
                    if (+high.value >= days) { showWindow(0); }
                    play.textContent = '\\u275a\\u275a';
                    var step = Math.max(1, Math.ceil(days / 60));
                    timer = setInterval(function () {
                        showWindow(Math.min(days, +high.value + step));
                        if (+high.value >= days) { stop(); }
                    }, {{ this.interval }});
                });
                filters.onChange(follow);
                follow();
                conflictMap.timeSlider = {
                    first: {{ this.first|tojson }}, days: days, from: low, to: high, slider: high, apply: showWindow,
                    showUpTo: function (date) { windowSelect.value = '0'; return showWindow(offsetOf(date, days)); },
                    setRange: function (a, b) { low.value = a; high.value = b; return fromHandles(); }
                };
            })();
        {% endmacro %}
    """)

    def __init__(self, first: str, last: str, *, interval_ms: int = 500) -> None:
        super().__init__()
        self._name = "DateRange"
        self.css = DATE_RANGE_CSS
        self.first = first
        self.days = max(0, (date.fromisoformat(last) - date.fromisoformat(first)).days)
        self.interval = int(interval_ms)
