"""Default QGIS styles stored in the GeoPackage, so its layers open styled.

QGIS (and the OGC GeoPackage convention it follows) keeps styles in a ``layer_styles``
table: one row per layer, ``useAsDefault`` = 1 for the one applied when the layer is
added.  The ``events`` layer is categorised by ``layer`` (the event family), each family in
its colour of ``geo/event_types.toml``; the polygon layers (``countries``, ``admin1``,
``areas``) are graduated by ``n_events`` with the choropleth ramp of
:mod:`geo.count_classes`.  Every value that comes from data is XML-escaped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .count_classes import class_breaks, ramp_for
from .event_types import LAYER_COLOURS

__all__ = ["STYLE_NAME", "events_style", "counts_style", "write_layer_styles"]

#: The name every default style is stored under.
STYLE_NAME = "conflict-map"

_HEADER = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256),
  styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT,
  owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)"""


def events_style() -> str:
    """QML: points categorised by ``layer``, one colour per event family."""
    categories, symbols = [], []
    for number, (layer, colour) in enumerate(LAYER_COLOURS.items()):
        categories.append(f'<category render="true" symbol="{number}" value={quoteattr(layer)} '
                          f'label={quoteattr(layer)}/>')
        symbols.append(_symbol("marker", number, "SimpleMarker", {
            "name": "circle", "color": _rgba(colour), "size": "3", "size_unit": "MM",
            "outline_color": "35,35,35,255", "outline_width": "0.3", "outline_style": "solid"}))
    renderer = (f'<renderer-v2 type="categorizedSymbol" attr="layer" symbollevels="0" forceraster="0" '
                f'enableorderby="0"><categories>{"".join(categories)}</categories>'
                f'<symbols>{"".join(symbols)}</symbols></renderer-v2>')
    return _qml(renderer)


def counts_style(counts: Sequence[int]) -> str:
    """QML: polygons graduated by ``n_events`` in the choropleth classes of ``counts``."""
    breaks = class_breaks(list(counts))
    ranges, symbols = [], []
    lower = 0
    for number, (upper, colour) in enumerate(zip(breaks, ramp_for(breaks), strict=True)):
        label = f"{lower + 1}" if upper == lower + 1 else f"{lower + 1} – {upper}"
        ranges.append(f'<range render="true" symbol="{number}" lower="{lower}" upper="{upper}" '
                      f'label={quoteattr(label)}/>')
        symbols.append(_symbol("fill", number, "SimpleFill", {
            "color": _rgba(colour, 200), "style": "solid", "outline_color": "90,90,90,255",
            "outline_width": "0.26", "outline_style": "solid"}))
        lower = upper
    renderer = (f'<renderer-v2 type="graduatedSymbol" attr="n_events" graduatedMethod="GraduatedColor" '
                f'symbollevels="0" forceraster="0" enableorderby="0"><ranges>{"".join(ranges)}</ranges>'
                f'<symbols>{"".join(symbols)}</symbols></renderer-v2>')
    return _qml(renderer)


def write_layer_styles(path: str | Path, styles: Mapping[str, tuple[str, str]]) -> None:
    """Store ``styles`` (layer -> (QML, description)) as the default styles of the GeoPackage at ``path``.

    The ``layer_styles`` table is created (and listed in ``gpkg_contents`` as an attributes
    table, as QGIS does) when missing; a layer's earlier default of the same name is replaced.
    """
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(_SCHEMA)
        db.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) "
                   "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles')")
        for layer, (qml, description) in styles.items():
            row = db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
            geometry = row[0] if row else None
            db.execute("DELETE FROM layer_styles WHERE f_table_name = ? AND styleName = ?", (layer, STYLE_NAME))
            db.execute("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                       "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) "
                       "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL)",
                       (layer, geometry, STYLE_NAME, qml, description))


def _qml(renderer: str) -> str:
    return f'{_HEADER}<qgis version="3.28.0" styleCategories="Symbology">{renderer}</qgis>\n'


def _symbol(kind: str, number: int, layer_class: str, options: Mapping[str, str]) -> str:
    """A one-layer QGIS symbol; its properties both as ``<Option>`` (QGIS ≥ 3.26) and ``<prop>`` (older)."""
    option = "".join(f'<Option type="QString" name={quoteattr(k)} value={quoteattr(v)}/>' for k, v in options.items())
    props = "".join(f"<prop k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in options.items())
    return (f'<symbol type="{kind}" name="{number}" alpha="1" clip_to_extent="1" force_rhr="0">'
            f'<layer class="{layer_class}" enabled="1" locked="0" pass="0">'
            f'<Option type="Map">{option}</Option>{props}</layer></symbol>')


def _rgba(colour: str, alpha: int = 255) -> str:
    """``#rrggbb`` as QGIS's ``r,g,b,a``."""
    value = colour.lstrip("#")
    return ",".join(str(int(value[i:i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"
