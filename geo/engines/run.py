"""One call for whichever engine the user chose: :func:`run_engine` and its result :class:`EngineRun`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Event
from ..read import ReadWarning
from .partition import PARTITION_BYTES
from .spec import PipelineSpec

if TYPE_CHECKING:
    import geopandas

    from ..pipeline import Pipeline

__all__ = ["ENGINES", "EngineRun", "run_engine"]

#: The engine names of ``--engine``.
ENGINES = ("local", "dask")


@dataclass
class EngineRun:
    """Articles read, merged events, and the joined frame (computed on first use for the local engine).

    :class:`maps.build.Builder` takes the events from here and writes every output the same
    way for every engine.
    """

    articles: int
    events: list[Event]
    area_files: tuple[Path, ...] = ()
    _frame: "geopandas.GeoDataFrame | None" = field(default=None, repr=False)
    #: the place-like names no gazetteer entry matched -> the articles naming each
    unresolved: Counter[str] = field(default_factory=Counter)

    @property
    def frame(self) -> "geopandas.GeoDataFrame":
        """The events frame joined to countries, admin-1 units and named areas (what maps are drawn from)."""
        if self._frame is None:
            from ..frame import events_frame
            from ..join import join_regions

            self._frame = join_regions(events_frame(self.events), area_files=self.area_files)
        return self._frame


def run_engine(paths: Sequence[str | Path], *, engine: str = "local", workers: int = 1,
               scheduler: str | None = None, store: Path | None = None, spec: PipelineSpec | None = None,
               pipeline: "Pipeline | None" = None, partition_bytes: int = PARTITION_BYTES,
               on_warning: Callable[[ReadWarning], None] | None = None,
               progress: Callable[[int, int], None] | None = None) -> EngineRun:
    """Extract the events of ``paths`` with the local engine (``workers`` processes) or the Dask engine.

    Parameters
    ----------
    paths
        Article files, as from :func:`geo.read.find_inputs`.
    engine
        One of :data:`ENGINES`.
    workers, scheduler, store, partition_bytes, progress
        As for :func:`run_local` / :func:`run_dask`; ``store`` (``DIR/store``) is required for dask.
    spec
        How worker processes build their Pipeline (default: the user's settings).
    pipeline
        The Pipeline of this process, used by the local engine with one worker.
    on_warning
        Called with each input skipped (and each article of a partition that failed).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose from {', '.join(ENGINES)}")
    if engine == "dask":
        from .dask import run_dask

        if store is None:
            raise ValueError("the dask engine needs a store folder (DIR/store)")
        spec = spec or PipelineSpec.load(pin_cache=scheduler is None)
        result = run_dask(paths, scheduler=scheduler, workers=workers, store=store, spec=spec,
                          partition_bytes=partition_bytes, on_warning=on_warning, progress=progress)
        return EngineRun(result.articles, result.events, spec.area_files, result.frame, unresolved=result.unresolved)
    from .local import run_local

    spec = spec or PipelineSpec.load()
    extraction = run_local(paths, workers=workers, pipeline=pipeline, spec=spec, partition_bytes=partition_bytes,
                           on_warning=on_warning, progress=progress)
    area_files = pipeline.area_files if pipeline is not None else spec.area_files
    unresolved = Counter(name for result in extraction.articles for name in result.unresolved)
    return EngineRun(len(extraction.articles), extraction.events, tuple(area_files), unresolved=unresolved)
