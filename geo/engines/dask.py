"""The Dask engine: the same pipeline on a ``dask.distributed`` cluster, for corpora one machine cannot hold.

1. The client plans partitions from file names and sizes (:mod:`geo.engines.partition`).
2. One task per partition reads its articles and runs the Pipeline on a worker (built once
   per worker process: :class:`PipelinePlugin`, :func:`geo.engines.spec.pipeline_for`) and
   writes the raw events to ``store/part-<hash>.parquet`` (:mod:`geo.engines.store`).  The
   hash covers the partition's inputs and the pipeline's fingerprint: a stored partition is
   never recomputed, so re-running resumes and a daily run only adds the new partitions.
   Dask retries a failed task (``retries``) and reschedules the tasks of a worker that
   died; a partition that keeps failing is reported, one warning per article it held.
3. The stored rows are shuffled on (``event_type``, ``place_key``) and deduplicated per
   group in input order with :func:`geo.dedup.deduplicate`.  The key leaves out the date
   on purpose: ``deduplicate`` gives an event dated only by its article's publication the
   explicit date of the same type and place a few days before, so all dates of one type and
   place must meet in one partition for the result to equal the local engine's.
4. The merged events are joined to countries, admin-1 units and named areas per partition
   (dask-geopandas; each worker loads the polygons once) and collected as the events frame.

The outputs cover the inputs of the run (the store may hold more, from other runs).
Workers and client must see the same paths (the articles and ``store``).

>>> run = run_dask(find_inputs(["articles/"]), workers=2, store=Path("out/store"))  # doctest: +SKIP
>>> run.export(Path("out"))  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dedup import deduplicate
from ..errors import InputError, OutputError
from ..frame import frame_from_records, sort_events
from ..join import join_regions
from ..model import Event, count_by_type, output_order
from ..read import ReadWarning
from .partition import PARTITION_BYTES, FailedPartition, Partition, extract_partition, partition_digest, \
    peak_rss_mb, plan_partitions, report_outcome
from .spec import PipelineSpec, pipeline_for
from ..codec import event_from_text, events_from_rows, record_text, row_dtype
from .store import STORE_COLUMNS, StoredPartition, read_rows, read_stored, store_path, write_partition

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # run_dask says what to install
    WorkerPlugin = object  # type: ignore[assignment,misc]

if TYPE_CHECKING:
    import geopandas
    import pandas
    from distributed import Client, LocalCluster

__all__ = ["run_dask", "DaskRun", "PipelinePlugin", "local_cluster"]

Progress = Callable[[int, int], None]

#: Shuffle partitions per worker thread for the dedup and join stage.
_SHUFFLE_PER_THREAD = 2


@dataclass
class DaskRun:
    """The result of :func:`run_dask`.

    ``events`` are the merged events (as :func:`geo.dedup.deduplicate` orders them),
    ``frame`` the events frame joined to the regions (as :meth:`Pipeline.frame` gives it),
    ``stored`` the partitions on disk (``computed`` False for those reused), ``failed``
    the partitions left out, ``worker_peak_mb`` each worker's peak resident memory,
    ``seconds`` the wall time of each stage (``connect``, ``partitions``, ``merge``).
    """

    articles: int
    events: list[Event]
    frame: "geopandas.GeoDataFrame"
    stored: list[StoredPartition] = field(default_factory=list)
    failed: list[FailedPartition] = field(default_factory=list)
    area_files: tuple[Path, ...] = ()
    worker_peak_mb: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def unresolved(self) -> Counter[str]:
        """The place-like names no gazetteer entry matched -> the articles naming each, over every partition."""
        return sum((stored.unresolved for stored in self.stored), Counter())

    @property
    def computed(self) -> int:
        """Partitions computed by this run."""
        return sum(stored.computed for stored in self.stored)

    @property
    def reused(self) -> int:
        """Partitions found finished in the store."""
        return sum(not stored.computed for stored in self.stored)

    def counts(self) -> dict[str, int]:
        return count_by_type(self.events)

    def export(self, out_dir: Path) -> dict[str, Path]:
        """Write events.geojson, events.gpkg and events.csv into ``out_dir`` (as the local engine)."""
        from ..export import write_outputs

        return write_outputs(self.frame, out_dir, area_files=self.area_files)


def run_dask(paths: Iterable[str | Path], *, scheduler: str | None = None, workers: int = 1, store: Path,
             spec: PipelineSpec | None = None, client: "Client | None" = None,
             partition_bytes: int = PARTITION_BYTES, retries: int = 2,
             on_warning: Callable[[ReadWarning], None] | None = None,
             on_failure: Callable[[FailedPartition], None] | None = None,
             progress: Progress | None = None) -> DaskRun:
    """Extract the events of a corpus on a Dask cluster, keeping per-partition results in ``store``.

    Parameters
    ----------
    paths
        Article files (as from :func:`geo.read.find_inputs`), visible to the workers.
    scheduler
        The address of the user's scheduler (``tcp://host:8786``); None starts a
        ``LocalCluster`` of ``workers`` processes with one thread each.
    workers
        Worker processes of the local cluster (ignored with ``scheduler`` or ``client``).
    store
        The folder of the partitioned GeoParquet event store (``DIR/store``); created if missing.
    spec
        How the workers build their Pipeline (default: :meth:`PipelineSpec.load`, with the
        cache directory pinned to this process's for a local cluster).
    client
        An existing ``distributed.Client`` to use instead (left open).
    partition_bytes
        About how many bytes of article files each task reads.
    retries
        How many times Dask retries a partition that raised, before it is reported.
    on_warning
        Called with each :class:`~geo.read.ReadWarning`, in input order: inputs skipped,
        and, for a partition that failed, one per article it held.
    on_failure
        Called with each partition that failed.
    progress
        Called with (partitions done, partitions in all).

    Raises
    ------
    InputError
        Dask is not installed, or the scheduler cannot be reached.
    OutputError
        ``store`` cannot be created.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    _require_dask()
    spec = spec or PipelineSpec.load(pin_cache=scheduler is None and client is None)
    partitions = plan_partitions(paths, partition_bytes=partition_bytes)
    store = Path(store).resolve()
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{store}: cannot create the event store: {error.strerror or error}") from None
    if not partitions:
        return DaskRun(0, [], _empty_frame(spec.area_files), area_files=spec.area_files)
    clock = _Clock()
    with _connect(client, scheduler, workers) as active:
        active.register_plugin(PipelinePlugin(spec), name=f"conflict-map-pipeline-{_token(spec)}")
        clock.lap("connect")
        stored, failed = _extract(active, partitions, spec, store, retries, on_warning, on_failure, progress)
        clock.lap("partitions")
        events, frame = _merge(stored, spec.area_files, sum(active.nthreads().values()) or 1)
        clock.lap("merge")
        peaks = active.run(peak_rss_mb)
    return DaskRun(sum(s.articles for s in stored), events, frame, stored, failed, spec.area_files, peaks,
                   clock.laps)


class _Clock:
    """Wall seconds between laps."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now


# --------------------------------------------------------------------------- cluster


def _require_dask() -> None:
    try:
        import dask_geopandas  # noqa: F401
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as error:
        raise InputError(f"--engine dask needs dask[distributed], dask-geopandas and pyarrow ({error.name} is "
                         "missing): pip install 'dask[distributed]' dask-geopandas pyarrow") from None


@contextmanager
def _connect(client: "Client | None", scheduler: str | None, workers: int) -> Iterator["Client"]:
    """The given client, a client of the user's scheduler, or a client of a new local cluster."""
    from distributed import Client

    if client is not None:
        yield client
        return
    if scheduler:
        try:
            remote = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise InputError(f"{scheduler}: cannot reach the Dask scheduler ({error}); check the address, "
                             "or leave out --scheduler to start a local cluster") from None
        with remote:
            yield remote
        return
    try:
        cluster = local_cluster(workers)
    except (OSError, TimeoutError, RuntimeError) as error:  # no loopback interface, no free port, ...
        raise InputError(f"cannot start a local Dask cluster on 127.0.0.1 ({type(error).__name__}: {error}); "
                         "use the local engine, or --scheduler with a running cluster") from None
    with cluster, Client(cluster) as local:
        yield local


def local_cluster(workers: int, *, dashboard: bool = False) -> "LocalCluster":
    """A LocalCluster of ``workers`` single-threaded processes, quiet, without the statistical profiler.

    The profiler samples the worker thread's stack every 10 ms: a cost of several per cent
    for tasks that are pure Python, as ours are.
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False}):  # the nannies pass it to the workers
        # loopback only, and no dashboard (it shows paths, logs and worker details) unless asked for
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                            dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": dashboard},
                            silence_logs=logging.CRITICAL)


class PipelinePlugin(WorkerPlugin):
    """A worker plugin that builds the Pipeline of ``spec`` when a worker (re)starts."""

    idempotent = True

    def __init__(self, spec: PipelineSpec) -> None:
        self.spec = spec

    def setup(self, worker: Any) -> None:
        pipeline_for(self.spec)

    def teardown(self, worker: Any) -> None:
        pass


def _token(spec: PipelineSpec) -> str:
    import hashlib

    return hashlib.sha256(repr(spec).encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- stage 1: partitions to the store


def _extract(client: "Client", partitions: list[Partition], spec: PipelineSpec, store: Path, retries: int,
             on_warning: Callable[[ReadWarning], None] | None,
             on_failure: Callable[[FailedPartition], None] | None,
             progress: Progress | None) -> tuple[list[StoredPartition], list[FailedPartition]]:
    """Run one task per partition; the stored partitions and the failed ones, in partition order."""
    from distributed import as_completed

    run = uuid.uuid4().hex[:8]
    keys = [f"conflict-map-partition-{run}-{partition.number}" for partition in partitions]
    futures = client.map(_store_partition, partitions, spec=spec, store=str(store), fingerprint=spec.fingerprint(),
                         key=keys, retries=retries, pure=False)
    by_key = dict(zip(keys, partitions, strict=True))
    outcomes: dict[int, StoredPartition | FailedPartition] = {}
    reported = 0
    for done, future in enumerate(as_completed(futures), start=1):
        partition = by_key[future.key]
        try:
            outcomes[partition.number] = future.result()
        except Exception as error:  # noqa: BLE001 - one partition's failure must not stop the run
            outcomes[partition.number] = FailedPartition(partition, f"{type(error).__name__}: {error}",
                                                         attempts=retries + 1)
        future.release()
        while reported in outcomes:  # warnings in input order, as the prefix completes
            report_outcome(outcomes[reported], on_warning, on_failure)
            reported += 1
        if progress:
            progress(done, len(partitions))
    ordered = [outcomes[number] for number in sorted(outcomes)]
    return ([o for o in ordered if isinstance(o, StoredPartition)],
            [o for o in ordered if isinstance(o, FailedPartition)])


def _store_partition(partition: Partition, *, spec: PipelineSpec, store: str, fingerprint: str) -> StoredPartition:
    """On a worker: the stored partition if its file exists, else read, process and store it."""
    path = store_path(Path(store), partition_digest(partition, fingerprint))
    if path.exists():
        try:
            stored = read_stored(path, partition)
            if len(read_rows(str(path))) == stored.events:  # every page decodes: a damaged part is never trusted
                return stored
        except Exception:  # noqa: BLE001 - an unreadable or damaged file is recomputed
            pass
    output = extract_partition(partition, pipeline_for(spec))
    events = [event for result in output.results for event in result.events]
    unresolved = Counter(name for result in output.results for name in result.unresolved)
    return write_partition(path, partition, events, len(output.results), output.warnings, unresolved)


# --------------------------------------------------------------------------- stage 2: dedup and joins


def _merge(stored: list[StoredPartition], area_files: tuple[Path, ...],
           threads: int) -> tuple[list[Event], "geopandas.GeoDataFrame"]:
    """The merged events and the joined events frame of the stored partitions (on the cluster)."""
    import dask.dataframe as dd
    import dask_geopandas

    with_events = [s for s in stored if s.events]
    if not with_events:
        return [], _empty_frame(area_files)
    rows = dd.from_map(_load_rows, [s.number for s in with_events], [str(s.path) for s in with_events],
                       meta=_rows_meta(), enforce_metadata=False)
    shuffled = rows.shuffle(on="group", npartitions=max(1, min(len(with_events), _SHUFFLE_PER_THREAD * threads)),
                            shuffle_method="tasks")
    merged = shuffled.map_partitions(_deduplicate_rows, meta=_deduplicated_meta())
    points = dask_geopandas.from_dask_dataframe(
        merged, geometry=dask_geopandas.points_from_xy(merged, "lon", "lat", crs="EPSG:4326"))
    joined = points.map_partitions(_join_partition, area_files, meta=_join_partition(_empty_points(), area_files))
    frame = joined.compute().reset_index(drop=True)  # each partition counts its rows from 0
    events = sorted((event_from_text(text) for text in frame["event"].tolist()), key=output_order)
    return events, sort_events(frame.drop(columns="event"))


def _load_rows(ordinal: int, path: str) -> "pandas.DataFrame":
    """The rows of one store file with ``part`` (its place in the run) and ``group`` (the shuffle key)."""
    rows = read_rows(path)
    rows.insert(0, "part", ordinal)
    rows["group"] = rows["event_type"] + "\x1f" + rows["place_key"]
    return rows[list(_rows_meta().columns)]


def _rows_meta() -> "pandas.DataFrame":
    import pandas as pd

    columns = {"part": pd.Series(dtype="int64"), **{name: pd.Series(dtype=row_dtype(name)) for name in STORE_COLUMNS},
               "group": pd.Series(dtype="str")}
    return pd.DataFrame(columns)


def _deduplicate_rows(rows: "pandas.DataFrame") -> "pandas.DataFrame":
    """The merged events of rows holding whole (type, place) groups, as JSON records and coordinates."""
    import pandas as pd

    ordered = rows.sort_values(["part", "seq"], kind="stable")
    events = deduplicate(events_from_rows(ordered))
    return pd.DataFrame({
        "event": pd.Series([record_text(e) for e in events], dtype="str"),
        "lon": pd.Series([e.place.lon for e in events], dtype="float64"),
        "lat": pd.Series([e.place.lat for e in events], dtype="float64"),
    })


def _deduplicated_meta() -> "pandas.DataFrame":
    return _deduplicate_rows(_rows_meta())


def _empty_points() -> "geopandas.GeoDataFrame":
    import geopandas

    frame = _deduplicated_meta()
    return geopandas.GeoDataFrame(frame, geometry=geopandas.points_from_xy(frame["lon"], frame["lat"]),
                                  crs="EPSG:4326")


def _join_partition(points: "geopandas.GeoDataFrame", area_files: tuple[Path, ...]) -> "geopandas.GeoDataFrame":
    """The events frame of merged events, joined to the regions, with each event's JSON record in ``event``."""
    import pandas

    events = [event_from_text(text) for text in points["event"].tolist()]
    geometry = points.geometry
    frame = frame_from_records([event.properties() for event in events], geometry.x.tolist(), geometry.y.tolist())
    joined = join_regions(frame, area_files=area_files)
    joined["areas"] = joined["areas"].astype(object)  # lists (an empty frame would say float)
    joined["event"] = pandas.Series(points["event"].to_numpy(), index=joined.index, dtype="str")
    return joined


def _empty_frame(area_files: tuple[Path, ...]) -> "geopandas.GeoDataFrame":
    return _join_partition(_empty_points(), area_files).drop(columns="event")
