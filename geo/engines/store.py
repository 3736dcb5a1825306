"""The event store: one GeoParquet file per partition under ``DIR/store/``, named by its inputs' hash.

A file holds the partition's events before deduplication, one row each, losslessly:
the place, actors, actor mentions and sources as JSON text beside plain columns
(``event_type``, ``place_key``, ``date``, ``fatalities`` ...) and a Point geometry, so the
dataset can be read by any GeoParquet reader and the events come back equal to those
written.  The partition's article count and read warnings ride in the file's metadata
(``DataFrame.attrs``) with the store's :data:`STORE_FORMAT`, so a finished partition is
never read again to be reported, and a file of another format is computed again.  A file
is written under a temporary name and renamed into place: a file that exists is complete.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gazetteer.place import Place

from ..model import Event, Source
from ..read import ReadWarning
from .partition import Partition

if TYPE_CHECKING:
    import geopandas
    import pandas

__all__ = ["STORE_COLUMNS", "STORE_FORMAT", "StoredPartition", "store_path", "write_partition", "read_stored",
           "event_record", "event_from_record", "events_from_rows", "rows_of_events"]

#: The columns of a store file besides ``geometry``, in file order.
STORE_COLUMNS: tuple[str, ...] = ("seq", "article_id", "event_id", "event_type", "place_key", "date",
                                  "date_precision", "place_name", "place", "place_mention", "actors",
                                  "actor_mentions", "confidence", "fatalities", "injured", "sources")
#: The layout of a store file; a file of another format is not read (its partition is computed again).
STORE_FORMAT = 2  # 2: actor_mentions, fatalities, injured
_INT_COLUMNS = ("seq",)
_NULLABLE_INT_COLUMNS = ("fatalities", "injured")
_FLOAT_COLUMNS = ("confidence",)
_ATTRS_KEY = "conflict_map"


@dataclass
class StoredPartition:
    """A partition whose events are on disk: where, how many articles and events, what warnings."""

    number: int
    path: Path
    articles: int
    events: int
    warnings: list[ReadWarning]
    computed: bool


def store_path(store: Path, digest: str) -> Path:
    return store / f"part-{digest}.parquet"


# --------------------------------------------------------------------------- events <-> records


def event_record(event: Event) -> dict[str, Any]:
    """Every field of an event as plain JSON values (``event_from_record`` gives it back equal)."""
    return {"event_type": event.event_type, "place": _fields(event.place), "place_mention": event.place_mention,
            "date": event.date, "date_precision": event.date_precision, "actors": list(event.actors),
            "confidence": event.confidence, "sources": [_fields(source) for source in event.sources],
            "fatalities": event.fatalities, "injured": event.injured, "actor_mentions": list(event.actor_mentions)}


def event_from_record(record: dict[str, Any]) -> Event:
    """The event of an :func:`event_record` (KeyError or TypeError for a record of another shape)."""
    return Event(event_type=record["event_type"], place=Place(**record["place"]),
                 place_mention=record["place_mention"], date=record["date"],
                 date_precision=record["date_precision"], actors=tuple(record["actors"]),
                 confidence=record["confidence"], sources=[Source(**source) for source in record["sources"]],
                 fatalities=record["fatalities"], injured=record["injured"],
                 actor_mentions=tuple(record["actor_mentions"]))


def _fields(value: Any) -> dict[str, Any]:
    return {f.name: getattr(value, f.name) for f in fields(value)}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --------------------------------------------------------------------------- rows


def rows_of_events(events: list[Event]) -> "geopandas.GeoDataFrame":
    """The store rows of ``events`` (``seq`` their order), Points at the places, EPSG:4326."""
    import geopandas
    import numpy as np
    import pandas as pd
    import shapely

    columns: dict[str, list[Any]] = {name: [] for name in STORE_COLUMNS}
    for seq, event in enumerate(events):
        record = event_record(event)
        values = {"seq": seq, "article_id": event.sources[0].article_id if event.sources else None,
                  "event_id": event.event_id, "event_type": event.event_type, "place_key": event.place_key,
                  "date": event.date, "date_precision": event.date_precision, "place_name": event.place.name,
                  "place": _dumps(record["place"]), "place_mention": event.place_mention,
                  "actors": _dumps(record["actors"]), "actor_mentions": _dumps(record["actor_mentions"]),
                  "confidence": event.confidence, "fatalities": event.fatalities, "injured": event.injured,
                  "sources": _dumps(record["sources"])}
        for name in STORE_COLUMNS:
            columns[name].append(values[name])
    frame = pd.DataFrame({name: pd.Series(values, dtype=_dtype(name)) for name, values in columns.items()})
    points = shapely.points(np.array([e.place.lon for e in events], dtype=float),
                            np.array([e.place.lat for e in events], dtype=float))
    return geopandas.GeoDataFrame(frame, geometry=geopandas.GeoSeries(points, crs="EPSG:4326"))


def events_from_rows(rows: "pandas.DataFrame") -> list[Event]:
    """The events of store rows, in row order (extra columns such as ``geometry`` are ignored)."""
    import pandas as pd

    def null(value: Any) -> bool:
        return value is None or value is pd.NA or (isinstance(value, float) and value != value)

    def text(value: Any) -> str | None:
        return None if null(value) else value

    def count(value: Any) -> int | None:
        return None if null(value) else int(value)

    events = []
    for (event_type, place, mention, date, precision, actors, actor_mentions, confidence, fatalities, injured,
         sources) in zip(rows["event_type"].tolist(), rows["place"].tolist(), rows["place_mention"].tolist(),
                         rows["date"].tolist(), rows["date_precision"].tolist(), rows["actors"].tolist(),
                         rows["actor_mentions"].tolist(), rows["confidence"].tolist(), rows["fatalities"].tolist(),
                         rows["injured"].tolist(), rows["sources"].tolist(), strict=True):
        events.append(event_from_record({
            "event_type": event_type, "place": json.loads(place), "place_mention": text(mention),
            "date": text(date), "date_precision": text(precision), "actors": json.loads(actors),
            "actor_mentions": json.loads(actor_mentions), "confidence": float(confidence),
            "fatalities": count(fatalities), "injured": count(injured), "sources": json.loads(sources)}))
    return events


def _dtype(name: str) -> str:
    if name in _INT_COLUMNS:
        return "int64"
    if name in _NULLABLE_INT_COLUMNS:
        return "Int64"
    return "float64" if name in _FLOAT_COLUMNS else "str"


# --------------------------------------------------------------------------- files


def write_partition(path: Path, partition: Partition, events: list[Event], articles: int,
                    warnings: list[ReadWarning]) -> StoredPartition:
    """Write the events of ``partition`` to ``path`` (atomically) with its manifest."""
    frame = rows_of_events(events)
    frame.attrs[_ATTRS_KEY] = {
        "format": STORE_FORMAT,
        "articles": articles,
        "events": len(events),
        "inputs": [[part.path, part.start, part.end] for part in partition.parts],
        "warnings": [_relative(warning, partition) for warning in warnings],
    }
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        frame.to_parquet(temporary, index=False)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return StoredPartition(partition.number, path, articles, len(events), warnings, computed=True)


def read_stored(path: Path, partition: Partition) -> StoredPartition:
    """The manifest of a stored partition (the file's metadata only, not its rows).

    Raises ValueError for a file of another :data:`STORE_FORMAT` (its partition is computed again).
    """
    import pyarrow.parquet as pq

    metadata = pq.read_schema(path).metadata or {}
    manifest = json.loads(metadata.get(b"PANDAS_ATTRS", b"{}")).get(_ATTRS_KEY, {})
    if manifest.get("format") != STORE_FORMAT:
        raise ValueError(f"{path}: store format {manifest.get('format')!r}, not {STORE_FORMAT}")
    warnings = [_absolute(entry, partition) for entry in manifest.get("warnings", [])]
    return StoredPartition(partition.number, path, int(manifest.get("articles", 0)), int(manifest.get("events", 0)),
                           warnings, computed=False)


def _relative(warning: ReadWarning, partition: Partition) -> list[Any]:
    """A warning as (part index, what follows the file name, problem): stored apart from where the files are."""
    for index, part in enumerate(partition.parts):
        if warning.path == part.path or warning.path.startswith(part.path + ":"):
            return [index, warning.path[len(part.path):], warning.problem]
    return [None, warning.path, warning.problem]


def _absolute(entry: list[Any], partition: Partition) -> ReadWarning:
    index, suffix, problem = entry
    prefix = partition.parts[index].path if index is not None and index < len(partition.parts) else ""
    return ReadWarning(prefix + suffix, problem)


def read_rows(path: str) -> "pandas.DataFrame":
    """The rows of a store file without the geometry (every value needed to rebuild its events)."""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=list(STORE_COLUMNS))
    frame = table.to_pandas()
    return frame.astype({name: _dtype(name) for name in STORE_COLUMNS})
