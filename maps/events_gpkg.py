"""The ``events`` layer of a GeoPackage as GeoJSON-like features, for :mod:`maps.events_file`.

``build`` writes ``events.gpkg`` with dates as Date fields (a month's or a year's first
day), lists as JSON text and the flat fields of :mod:`geo.gis_fields`; QGIS saves it back
alike.  Here each row becomes a feature whose properties read as the GeoJSON's: the
date in its precision again (``2020-10`` for a month), nulls as None, the flat fields
(derived, recomputed on export) dropped.  Points are taken to WGS84 when the layer has
another CRS.
"""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.gis_fields import FLAT_COLUMNS

from .errors import EventsFileError

if TYPE_CHECKING:
    import geopandas

__all__ = ["EVENTS_LAYER", "SQLITE_MAGIC", "plain_cell", "read_gpkg_events", "read_gpkg_features"]

#: The layer holding the events (as ``build`` names it).
EVENTS_LAYER = "events"
#: The first bytes of every SQLite file, so of every GeoPackage.
SQLITE_MAGIC = b"SQLite format 3\x00"
#: date_precision -> characters of an ISO date it keeps.
_DATE_CHARS = {"month": 7, "year": 4}


def read_gpkg_features(path: Path) -> list[dict[str, Any]]:
    """The features of the ``events`` layer (at least one); :class:`EventsFileError` names the problem."""
    import shapely

    frame = read_gpkg_events(path)
    if frame.empty:
        raise EventsFileError(f"{path}: the '{EVENTS_LAYER}' layer holds no features")
    geometries = frame.geometry.to_numpy()
    columns = [column for column in frame.columns if column != frame.geometry.name and column not in FLAT_COLUMNS]
    rows = frame[columns].astype(object).to_dict("records")
    features = []
    for row, geometry in zip(rows, geometries, strict=True):
        shape = None if geometry is None or shapely.is_empty(geometry) else json.loads(shapely.to_geojson(geometry))
        features.append({"type": "Feature", "geometry": shape, "properties": _properties(row)})
    return features


def read_gpkg_events(path: Path) -> "geopandas.GeoDataFrame":
    """The ``events`` layer, in WGS84 (possibly empty); :class:`EventsFileError` names the problem."""
    import pyogrio

    layers = _layers(path)
    if EVENTS_LAYER not in layers:
        named = ", ".join(layers) if layers else "none"
        raise EventsFileError(f"{path}: the GeoPackage has no '{EVENTS_LAYER}' layer (layers: {named}); "
                              "give the events.gpkg that build wrote")
    try:
        frame = pyogrio.read_dataframe(path, layer=EVENTS_LAYER)
    except Exception as error:  # pyogrio's DataSourceError / DataLayerError, GDAL's messages
        raise EventsFileError(f"{path}: cannot read the '{EVENTS_LAYER}' layer: {_first_line(error)}") from None
    if not hasattr(frame, "geometry") or getattr(frame, "_geometry_column_name", None) not in frame.columns:
        raise EventsFileError(f"{path}: the '{EVENTS_LAYER}' layer has no geometry; every event needs a Point")
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    return frame


def _layers(path: Path) -> list[str]:
    import pyogrio

    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise EventsFileError(f"{path}: no such file") from None
    except OSError as error:
        raise EventsFileError(f"{path}: cannot read: {error.strerror or error}") from None
    if header != SQLITE_MAGIC:
        raise EventsFileError(f"{path}: not a GeoPackage (not an SQLite file); give the events.gpkg that build "
                              "wrote, or a GeoJSON")
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as error:  # not SQLite, a damaged file, not a GeoPackage
        raise EventsFileError(f"{path}: not a readable GeoPackage: {_first_line(error)}") from None


def _properties(row: dict[str, Any]) -> dict[str, Any]:
    properties = {key: plain_cell(value) for key, value in row.items()}
    date, precision = properties.get("date"), properties.get("date_precision")
    if isinstance(date, str) and precision in _DATE_CHARS:
        properties["date"] = date[:_DATE_CHARS[precision]]
    return properties


def plain_cell(value: Any) -> Any:
    """A cell as a JSON-like value: nulls None, dates ISO text, whole floats of integer fields ints."""
    import pandas as pd

    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | datetime.datetime | datetime.date):
        return value.date().isoformat() if isinstance(value, datetime.datetime) else value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return plain_cell(value.item())
    return value


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
