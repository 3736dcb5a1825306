"""The events GeoDataFrame: one row per event, the contract properties as columns, a Point each.

Every later step (spatial joins, exports, maps) takes and returns this frame, so its
columns, dtypes and row order are fixed here, in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gazetteer.place import Place

from .model import EVENT_TYPES, Event

if TYPE_CHECKING:
    import geopandas

__all__ = ["PROPERTY_COLUMNS", "COLUMN_DTYPES", "SORT_COLUMNS", "events_frame", "frame_from_records", "sort_events"]


def _property_names() -> tuple[str, ...]:
    """The contract property names, in contract order, as ``Event.properties()`` gives them."""
    blank = Event(event_type=EVENT_TYPES[0], place=Place(name="", lat=0.0, lon=0.0, kind="city"),
                  place_mention="", date=None, date_precision=None, actors=(), confidence=0.0)
    return tuple(blank.properties())


#: The feature properties of the output contract, in output order.
PROPERTY_COLUMNS: tuple[str, ...] = _property_names()

#: Rows are sorted by these columns (missing dates sort first, as "").
SORT_COLUMNS: tuple[str, ...] = ("event_type", "date", "place_name", "event_id")

#: Column dtypes; columns not named here are object (``actors``, ``actor_mentions``, ``sources``: lists).
_STRING_COLUMNS = ("event_id", "event_type", "layer", "date", "date_precision", "date_start", "date_end",
                   "place_name", "place_mention", "country_iso2", "admin1", "admin1_code", "area",
                   "acled_event_type", "acled_sub_event_type", "note")
_NULLABLE_INT_COLUMNS = ("geonameid", "geo_precision", "fatalities", "injured")
#: The dtype of each typed contract column (declared here only; :mod:`geo.codec` uses it too).
COLUMN_DTYPES: dict[str, str] = {**dict.fromkeys(_STRING_COLUMNS, "str"),
                                 **dict.fromkeys(_NULLABLE_INT_COLUMNS, "Int64"),
                                 "confidence": "float64", "reviewed": "bool"}


def events_frame(events: Sequence[Event]) -> "geopandas.GeoDataFrame":
    """The events as a GeoDataFrame in EPSG:4326, sorted for deterministic output.

    Parameters
    ----------
    events
        The events; each becomes one row.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`PROPERTY_COLUMNS` plus ``geometry`` (``Point(lon, lat)``), a fresh
        ``RangeIndex``, rows sorted by :data:`SORT_COLUMNS`.  No events give an empty frame
        with the same columns.
    """
    records = [event.properties() for event in events]
    lons = [event.place.lon for event in events]
    lats = [event.place.lat for event in events]
    return sort_events(frame_from_records(records, lons, lats))


def frame_from_records(records: Sequence[Mapping[str, Any]], lons: Iterable[float],
                       lats: Iterable[float]) -> "geopandas.GeoDataFrame":
    """A frame of the events' shape from property mappings and coordinates (rows kept in order).

    The contract columns come first, in contract order, then any other keys in the order
    first met (``areas`` after a spatial join); a contract key missing from every record is
    an all-null column.
    """
    import geopandas
    import numpy as np
    import pandas as pd
    import shapely

    extra = [key for key in dict.fromkeys(key for record in records for key in record)
             if key not in PROPERTY_COLUMNS]
    columns = [*PROPERTY_COLUMNS, *extra]
    data = {column: pd.Series([record.get(column) for record in records], dtype=object)
            for column in columns}
    frame = pd.DataFrame(data, columns=columns)
    for column, dtype in COLUMN_DTYPES.items():
        frame[column] = frame[column].astype(dtype)
    points = shapely.points(np.asarray(list(lons), dtype=float), np.asarray(list(lats), dtype=float))
    return geopandas.GeoDataFrame(frame, geometry=geopandas.GeoSeries(points, crs="EPSG:4326"))


def sort_events(frame: "geopandas.GeoDataFrame") -> "geopandas.GeoDataFrame":
    """The frame sorted by :data:`SORT_COLUMNS` (nulls as ""), with a fresh ``RangeIndex``."""
    keys = frame[list(SORT_COLUMNS)].astype(object).where(frame[list(SORT_COLUMNS)].notna(), "")
    order = keys.astype(str).sort_values(list(SORT_COLUMNS), kind="stable").index
    return frame.loc[order].reset_index(drop=True)
