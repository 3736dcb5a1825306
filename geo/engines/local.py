"""The local engine: one process, or a pool of worker processes on this machine.

With ``workers=1`` it is :meth:`geo.pipeline.Pipeline.run` over :func:`geo.read.read_articles`.
With more, the corpus is cut into partitions (:mod:`geo.engines.partition`); each worker
process builds its Pipeline once (pool initializer) and reads and processes whole
partitions, so only file names go out and only results come back.  The results are
merged in input order and deduplicated as in one process: the events are the same.

>>> extraction = run_local(find_inputs(["articles/"]), workers=2)  # doctest: +SKIP
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path

from ..dedup import deduplicate
from ..model import Article
from ..pipeline import Extraction, Pipeline
from ..read import ReadWarning, read_articles
from .partition import PARTITION_BYTES, FailedPartition, Partition, PartitionOutput, extract_partition, \
    plan_partitions, report_outcome
from .spec import PipelineSpec, pipeline_for

__all__ = ["run_local"]

Progress = Callable[[int, int], None]


def run_local(paths_or_articles: Iterable[str | Path | Article], *, workers: int = 1,
              pipeline: Pipeline | None = None, spec: PipelineSpec | None = None,
              partition_bytes: int = PARTITION_BYTES,
              on_warning: Callable[[ReadWarning], None] | None = None,
              on_failure: Callable[[FailedPartition], None] | None = None,
              progress: Progress | None = None) -> Extraction:
    """Extract the events of a corpus on this machine.

    Parameters
    ----------
    paths_or_articles
        Article files (as from :func:`geo.read.find_inputs`), or, with ``workers=1`` only,
        :class:`~geo.model.Article` objects already read.
    workers
        Processes.  1 runs in this process; more start a pool ('spawn' context).
    pipeline
        The Pipeline for ``workers=1`` (default: built from ``spec``).
    spec
        How the workers build their Pipeline (default: :meth:`PipelineSpec.load`).
    partition_bytes
        About how many bytes of article files each task reads (see :func:`plan_partitions`).
    on_warning
        Called with each :class:`~geo.read.ReadWarning`, in input order: inputs skipped,
        and, for a partition that failed, one per article it held.
    on_failure
        Called with each partition that failed (its articles are left out, the rest kept).
    progress
        Called with (partitions done, partitions in all) as the pool works.

    Returns
    -------
    Extraction
        Per-article results in input order and the deduplicated events, equal to the
        result of ``workers=1``.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    items = list(paths_or_articles)
    given = sum(isinstance(item, Article) for item in items)
    if given and (workers > 1 or given < len(items)):
        raise TypeError("run_local takes file paths, or Article objects with workers=1 only "
                        "(with workers > 1 the worker processes read the articles)")
    if workers == 1:
        pipeline = pipeline or (spec or PipelineSpec.load()).build()
        return pipeline.run(items if given else read_articles(items, on_warning=on_warning))
    partitions = plan_partitions(items, partition_bytes=partition_bytes)
    outputs = _run_pool(partitions, spec or PipelineSpec.load(), workers, on_warning, on_failure, progress)
    results = [result for output in outputs for result in output.results]
    return Extraction(results, deduplicate(event for result in results for event in result.events))


def _run_pool(partitions: list[Partition], spec: PipelineSpec, workers: int,
              on_warning: Callable[[ReadWarning], None] | None,
              on_failure: Callable[[FailedPartition], None] | None,
              progress: Progress | None) -> list[PartitionOutput]:
    """The outputs of the partitions that succeeded, in partition order; warnings reported in that order."""
    if not partitions:
        return []
    context = multiprocessing.get_context("spawn")
    outcomes: dict[int, PartitionOutput | FailedPartition] = {}
    reported = 0
    with ProcessPoolExecutor(max_workers=min(workers, len(partitions)), mp_context=context,
                             initializer=_start_worker, initargs=(spec,)) as pool:
        futures: dict[Future[PartitionOutput], Partition] = {
            pool.submit(_extract, partition, spec): partition for partition in partitions}
        for done, future in enumerate(as_completed(futures), start=1):
            partition = futures[future]
            try:
                outcomes[partition.number] = future.result()
            except Exception as error:  # noqa: BLE001 - one partition's failure must not stop the run
                outcomes[partition.number] = FailedPartition(partition, f"{type(error).__name__}: {error}")
            while reported in outcomes:  # report warnings in input order as the prefix completes
                report_outcome(outcomes[reported], on_warning, on_failure)
                reported += 1
            if progress:
                progress(done, len(partitions))
    return [outcome for _, outcome in sorted(outcomes.items()) if isinstance(outcome, PartitionOutput)]


def _start_worker(spec: PipelineSpec) -> None:
    """Pool initializer: open the gazetteer and build the Pipeline once per worker process."""
    pipeline_for(spec)


def _extract(partition: Partition, spec: PipelineSpec) -> PartitionOutput:
    return extract_partition(partition, pipeline_for(spec))
