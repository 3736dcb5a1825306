"""The one event codec: :class:`~geo.model.Event` ⇄ plain JSON records, and ⇄ table rows.

Every place that keeps events outside memory goes through here: the article cache
(``maps/article_cache.py``, JSON), the Dask event store (``geo/engines/store.py``,
GeoParquet rows) and the Dask merge (records between tasks).  The record is made from
the dataclass fields themselves, so a field added to ``Event``, ``Source`` or ``Place``
travels through every engine without a change here.

Rows hold the whole record as JSON text (``record``) beside a few plain columns that a
GeoParquet reader can query; their dtypes are the events frame's (:data:`geo.frame.COLUMN_DTYPES`).
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from gazetteer.place import Place

from .model import Event, Source

if TYPE_CHECKING:
    import geopandas
    import pandas

__all__ = ["event_record", "event_from_record", "record_text", "event_from_text", "ROW_COLUMNS", "row_dtype",
           "rows_of_events", "events_from_rows"]

_TUPLES = {f.name for f in fields(Event) if str(f.type).startswith("tuple")}

#: The columns of an events table besides ``geometry``, in order: the place in the run
#: (``seq``), the first source's article, a few contract columns, and the whole ``record``.
ROW_COLUMNS: tuple[str, ...] = ("seq", "article_id", "event_id", "event_type", "place_key", "date", "place_name",
                                "confidence", "fatalities", "injured", "record")


def event_record(event: Event) -> dict[str, Any]:
    """Every field of ``event`` as plain JSON values (:func:`event_from_record` gives it back equal)."""
    record: dict[str, Any] = {}
    for f in fields(event):
        value = getattr(event, f.name)
        if f.name == "place":
            value = _fields(value)
        elif f.name == "sources":
            value = [_fields(source) for source in value]
        elif isinstance(value, tuple):
            value = list(value)
        record[f.name] = value
    return record


def event_from_record(record: dict[str, Any]) -> Event:
    """The event of an :func:`event_record` (KeyError or TypeError for a record of another shape)."""
    values = dict(record)
    values["place"] = Place(**record["place"])
    values["sources"] = [Source(**source) for source in record["sources"]]
    for name in _TUPLES & values.keys():
        values[name] = tuple(values[name])
    return Event(**values)


def record_text(event: Event) -> str:
    """The record of ``event`` as one line of JSON (sorted keys: the same event, the same text)."""
    return json.dumps(event_record(event), ensure_ascii=False, sort_keys=True)


def event_from_text(text: str) -> Event:
    return event_from_record(json.loads(text))


def _fields(value: Any) -> dict[str, Any]:
    return {f.name: getattr(value, f.name) for f in fields(value)}


# --------------------------------------------------------------------------- rows


def row_dtype(name: str) -> str:
    """The dtype of a row column: the events frame's for the contract columns."""
    from .frame import COLUMN_DTYPES

    return {"seq": "int64", "article_id": "str", "place_key": "str", "record": "str"}.get(name) \
        or COLUMN_DTYPES[name]


def rows_of_events(events: list[Event]) -> "geopandas.GeoDataFrame":
    """One row per event (``seq`` its order), Points at the places, EPSG:4326."""
    import geopandas
    import numpy as np
    import pandas as pd
    import shapely

    values: dict[str, list[Any]] = {
        "seq": list(range(len(events))),
        "article_id": [event.sources[0].article_id if event.sources else None for event in events],
        "event_id": [event.event_id for event in events],
        "event_type": [event.event_type for event in events],
        "place_key": [event.place_key for event in events],
        "date": [event.date for event in events],
        "place_name": [event.place.name for event in events],
        "confidence": [event.confidence for event in events],
        "fatalities": [event.fatalities for event in events],
        "injured": [event.injured for event in events],
        "record": [record_text(event) for event in events],
    }
    frame = pd.DataFrame({name: pd.Series(values[name], dtype=row_dtype(name)) for name in ROW_COLUMNS})
    points = shapely.points(np.array([e.place.lon for e in events], dtype=float),
                            np.array([e.place.lat for e in events], dtype=float))
    return geopandas.GeoDataFrame(frame, geometry=geopandas.GeoSeries(points, crs="EPSG:4326"))


def events_from_rows(rows: "pandas.DataFrame") -> list[Event]:
    """The events of rows, in row order (other columns such as ``geometry`` are ignored)."""
    return [event_from_text(text) for text in rows["record"].tolist()]
