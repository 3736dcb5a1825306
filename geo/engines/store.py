"""The event store: one GeoParquet file per partition under ``DIR/store/``, named by its inputs' hash.

A file holds the partition's events before deduplication, one row each, losslessly, in
the rows of :mod:`geo.codec` (each event's whole record as JSON text beside plain columns
``event_type``, ``place_key``, ``date``, ``fatalities`` ... and a Point geometry), so the
dataset can be read by any GeoParquet reader and the events come back equal to those
written.  The partition's article count, read warnings and unknown place names ride in the file's metadata
(``DataFrame.attrs``) with the store's :data:`STORE_FORMAT`, so a finished partition is
never read again to be reported, and a file of another format is computed again.  A file
is written under a temporary name and renamed into place: a file that exists is complete.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gazetteer.atomic import atomic_path

from ..codec import ROW_COLUMNS, events_from_rows, row_dtype, rows_of_events
from ..model import Event
from ..read import ReadWarning
from .partition import Partition

if TYPE_CHECKING:
    import pandas

__all__ = ["STORE_COLUMNS", "STORE_FORMAT", "StoredPartition", "store_path", "write_partition", "read_stored",
           "read_rows", "events_from_rows"]

#: The columns of a store file besides ``geometry``, in file order (:data:`geo.codec.ROW_COLUMNS`).
STORE_COLUMNS: tuple[str, ...] = ROW_COLUMNS
#: The layout of a store file; a file of another format is not read (its partition is computed again).
STORE_FORMAT = 4  # 3: the codec's rows (the whole record as JSON); 4: the unknown place names' counts
_ATTRS_KEY = "conflict_map"


@dataclass
class StoredPartition:
    """A partition whose events are on disk: where, how many articles and events, what warnings, and the
    place-like names no gazetteer entry matched (-> the articles naming each, for the build's summary)."""

    number: int
    path: Path
    articles: int
    events: int
    warnings: list[ReadWarning]
    computed: bool
    unresolved: Counter[str] = field(default_factory=Counter)


def store_path(store: Path, digest: str) -> Path:
    return store / f"part-{digest}.parquet"


# --------------------------------------------------------------------------- files


def write_partition(path: Path, partition: Partition, events: list[Event], articles: int,
                    warnings: list[ReadWarning], unresolved: Counter[str]) -> StoredPartition:
    """Write the events of ``partition`` to ``path`` (atomically) with its manifest."""
    frame = rows_of_events(events)
    frame.attrs[_ATTRS_KEY] = {
        "format": STORE_FORMAT,
        "articles": articles,
        "events": len(events),
        "inputs": [[part.path, part.start, part.end] for part in partition.parts],
        "warnings": [_relative(warning, partition) for warning in warnings],
        "unresolved": dict(unresolved),
    }
    with atomic_path(path) as temporary:
        frame.to_parquet(temporary, index=False)
    return StoredPartition(partition.number, path, articles, len(events), warnings, computed=True,
                           unresolved=Counter(unresolved))


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
                           warnings, computed=False, unresolved=Counter(manifest.get("unresolved", {})))


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
    return frame.astype({name: row_dtype(name) for name in STORE_COLUMNS})
