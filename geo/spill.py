"""A corpus's events merged with bounded memory: held until there are many, then written to bucket files.

Every decision of :func:`geo.dedup.deduplicate` stays within one (event type, place): the reports it merges,
the publication dates it redates, the days of a visit it joins.  So the events can be cut into buckets by
that pair, each bucket merged alone in the order its events came, and the buckets' merged events read back
together in output order (:func:`geo.model.output_order`): the same events, in the same order, as one
merge of them all, while memory holds one bucket and a few events of each.
"""

from __future__ import annotations

import heapq
import pickle
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .dedup import deduplicate
from .model import Event, output_order

__all__ = ["EventSpill", "SPILL_EVENTS", "BUCKETS"]

#: Events held in memory before they are written to the bucket files: a corpus of up to ~2,500 articles is
#: merged in memory.  Held events cost ~1 kB each, the spill nothing measurable (5,000 articles: the same time
#: with a spill every 1,000 events); at three quarters of an extract of 20,000 articles, 28 MB less than with 50,000.
SPILL_EVENTS = 10_000
#: Bucket files of a spilled merge: each holds about 1/BUCKETS of the events while it is merged.
BUCKETS = 16
#: Merged events per record of a bucket's result: what the final reading holds of each bucket.
_RECORD_EVENTS = 256


class EventSpill:
    """Events added article by article; :meth:`merged` gives them deduplicated, in output order.

    Use as a context manager: the bucket files (in a temporary folder, created only when the events
    outgrow ``limit``, default :data:`SPILL_EVENTS`) are removed on leaving.
    """

    def __init__(self, *, limit: int | None = None, buckets: int = BUCKETS) -> None:
        self.limit = SPILL_EVENTS if limit is None else limit
        self.buckets = buckets
        if self.limit < 1 or buckets < 1:
            raise ValueError("limit and buckets must be at least 1")
        self._held: list[Event] = []
        self._folder: Path | None = None
        self._files: list[IO[bytes]] = []

    def __enter__(self) -> "EventSpill":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def spilled(self) -> bool:
        """Whether events went to the bucket files (the corpus outgrew the limit)."""
        return self._folder is not None

    def add(self, events: Iterable[Event]) -> None:
        """Hold ``events`` (one article's, in its order); written out once more than ``limit`` are held."""
        self._held.extend(events)
        if len(self._held) >= self.limit:
            self._spill()

    def merged(self) -> Iterator[Event]:
        """Every event added, merged (:func:`geo.dedup.deduplicate`) and in output order; read once."""
        if not self.spilled:
            held, self._held = self._held, []
            yield from deduplicate(held)
            return
        self._spill()
        assert self._folder is not None
        results = []
        for number, file in enumerate(self._files):
            file.close()
            results.append(self._merge_bucket(Path(file.name), self._folder / f"merged-{number}.pickle"))
        self._files = []
        yield from heapq.merge(*(_records(path) for path in results), key=output_order)

    def close(self) -> None:
        """Remove the bucket files (and forget the events held)."""
        for file in self._files:
            file.close()
        self._files, self._held = [], []
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def _spill(self) -> None:
        """Append the held events to their buckets' files, each bucket's in the order they came."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="conflict-map-merge-"))
            self._files = [(self._folder / f"bucket-{n}.pickle").open("wb") for n in range(self.buckets)]
        parts: list[list[Event]] = [[] for _ in range(self.buckets)]
        for event in self._held:
            parts[zlib.crc32(f"{event.event_type}\x1f{event.place_key}".encode()) % self.buckets].append(event)
        for file, part in zip(self._files, parts, strict=True):
            if part:
                pickle.dump(part, file, protocol=pickle.HIGHEST_PROTOCOL)
        self._held = []

    @staticmethod
    def _merge_bucket(bucket: Path, result: Path) -> Path:
        """Merge one bucket's events into ``result`` (records of a few events, in output order)."""
        events = [event for record in _records_of(bucket) for event in record]
        bucket.unlink()
        merged = deduplicate(events)
        del events
        with result.open("wb") as file:
            for start in range(0, len(merged), _RECORD_EVENTS):
                pickle.dump(merged[start:start + _RECORD_EVENTS], file, protocol=pickle.HIGHEST_PROTOCOL)
        return result


def _records_of(path: Path) -> Iterator[list[Event]]:
    """The pickled lists of events in ``path``, one after the other."""
    with path.open("rb") as file:
        while True:
            try:
                yield pickle.load(file)
            except EOFError:
                return


def _records(path: Path) -> Iterator[Event]:
    """The events of ``path``'s records, in order."""
    for record in _records_of(path):
        yield from record
