"""Engines that run the article -> events pipeline over a corpus: on this machine or on a Dask cluster.

- :func:`run_local` (:mod:`geo.engines.local`): one process, or ``workers`` processes of a pool.
- :func:`run_dask` (:mod:`geo.engines.dask`): a ``dask.distributed`` cluster, local or the user's,
  with a partitioned GeoParquet event store that makes re-runs resume.
- :func:`run_engine` (:mod:`geo.engines.run`): either, by name, as ``--engine`` chooses.

Both give the events of :meth:`geo.pipeline.Pipeline.run` on the same inputs: same ids,
places and sources.  The workers build their Pipeline from a :class:`PipelineSpec`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .local import run_local
from .partition import PARTITION_BYTES, FailedPartition, Partition, plan_partitions
from .run import ENGINES, EngineRun, run_engine
from .spec import PipelineSpec

if TYPE_CHECKING:
    from .dask import DaskRun, run_dask

__all__ = ["run_engine", "EngineRun", "ENGINES", "run_local", "run_dask", "DaskRun", "PipelineSpec", "Partition",
           "FailedPartition", "plan_partitions", "PARTITION_BYTES"]


def __getattr__(name: str) -> Any:
    if name in ("run_dask", "DaskRun"):  # imports dask: only when asked for
        from . import dask

        return getattr(dask, name)
    raise AttributeError(name)
