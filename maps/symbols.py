"""How each event type and layer looks: colour, marker shape, CSS classes.

One table, :data:`EVENT_SYMBOLS`, read by the markers, the clusters, the legend and the
visitor lines, so a colour is changed in one place.  Shapes are small inline SVGs (no icon
font, no image file): they render offline and differ in shape as well as colour, so the
map stays readable for colour-blind readers and in greyscale prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.event_types import EVENT_TYPES, LAYER_COLOURS as _LAYER_COLOURS, LAYERS

__all__ = ["Symbol", "EVENT_SYMBOLS", "LAYER_COLOURS", "LAYER_ORDER", "layer_class", "icon_svg", "glyph_css",
           "REGION_STYLE", "MARKER_SIZE"]

#: Marker icons are MARKER_SIZE x MARKER_SIZE CSS pixels.
MARKER_SIZE = 22

_SHAPES = {
    # 22 x 22 view box, centred at (11, 11)
    "star": '<polygon points="11,1 13.6,7.4 20.5,7.9 15.2,12.3 16.9,19.1 11,15.4 5.1,19.1 6.8,12.3 1.5,7.9 8.4,7.4"/>',
    "triangle": '<polygon points="2,3 20,3 11,20"/>',
    "diamond": '<polygon points="11,1 21,11 11,21 1,11"/>',
    "circle": '<circle cx="11" cy="11" r="8.5"/>',
    "square": '<rect x="3" y="3" width="16" height="16" rx="2"/>',
    "bubble": '<path d="M3 3h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H10l-5 5v-5H3a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1z"/>',
    "hexagon": '<polygon points="11,1 19.7,6 19.7,16 11,21 2.3,16 2.3,6"/>',
    "cross": '<polygon points="8,2 14,2 14,8 20,8 20,14 14,14 14,20 8,20 8,14 2,14 2,8 8,8"/>',
    "flag": '<path d="M4 2h2v18H4zM7 3h12l-3 4.5 3 4.5H7z"/>',
    "pentagon": '<polygon points="11,1 21,8.3 17.2,20 4.8,20 1,8.3"/>',
}


@dataclass(frozen=True)
class Symbol:
    """The look of one event type."""

    label: str
    colour: str
    shape: str


#: event_type -> its symbol (every type of the contract taxonomy).
EVENT_SYMBOLS: dict[str, Symbol] = {name: Symbol(t.label, t.colour, t.shape) for name, t in EVENT_TYPES.items()}
assert all(symbol.shape in _SHAPES for symbol in EVENT_SYMBOLS.values()), "every event type needs a known shape"

#: The map layers in taxonomy order.
LAYER_ORDER: tuple[str, ...] = tuple(dict.fromkeys(LAYERS.values()))

#: layer -> colour of its clusters and of its choropleth-free accents.
LAYER_COLOURS: dict[str, str] = {layer: _LAYER_COLOURS[layer] for layer in LAYER_ORDER}
assert set(LAYER_COLOURS) == set(LAYER_ORDER), "every layer needs a colour"

#: Leaflet path options of an event placed at a region (geo_precision 2) or a country (3):
#: a hollow dashed circle in the type's colour, never clustered.
REGION_STYLE = {"weight": 2, "dashArray": "4 3", "fill": True, "fillOpacity": 0.08, "opacity": 0.9}


def layer_class(layer: str) -> str:
    """The CSS class of a layer's markers and clusters: ``cm-layer-shelling-sites``."""
    return "cm-layer-" + re.sub(r"[^a-z0-9]+", "-", layer.lower()).strip("-")


def icon_svg(event_type: str, size: int = MARKER_SIZE) -> str:
    """The inline SVG of an event type's marker (no external reference, no xmlns needed in HTML)."""
    symbol = EVENT_SYMBOLS[event_type]
    return (f'<svg width="{size}" height="{size}" viewBox="0 0 22 22" aria-hidden="true">'
            f'<g fill="{symbol.colour}" stroke="#ffffff" stroke-width="1.5">{_SHAPES[symbol.shape]}</g></svg>')


def glyph_css() -> str:
    """CSS classes ``cm-glyph-<event_type>`` drawing each type's symbol as a small background image
    (popups name a class instead of repeating the SVG: thousands of popups stay small)."""
    import base64

    rules = [".cm-glyph { display: inline-block; width: 16px; height: 16px; background-size: 16px 16px; "
             "vertical-align: middle; }"]
    for event_type in EVENT_SYMBOLS:
        svg = icon_svg(event_type, 16).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        rules.append(f'.cm-glyph-{event_type} {{ background-image: url("data:image/svg+xml;base64,{data}"); }}')
    return "\n".join(rules)
