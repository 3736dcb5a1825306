"""Scale-out benchmark: articles/s of the local engine (1 and 2 processes) and of Dask (2 workers).

Run:  python bench/scale_bench.py [--articles 20000] [--keep]

Builds a synthetic corpus from the example dispatches (sentences shuffled, place names
swapped, dates moved) as JSON Lines files in a temporary folder, then measures:

- articles/s of ``run_local`` with 1 process and with 2 worker processes, and of
  ``run_dask`` on a LocalCluster of 2 workers (start-up included: opening the gazetteer,
  starting the pool or the cluster), and the ratio 2 workers / 1 process (aim >= 1.8, the throughput issue's target);
- peak resident memory per worker process;
- a Dask run in which one worker is killed (SIGKILL) once a third of the partitions are
  stored: its event count and ids must equal those of the undisturbed run;
- from the measured cost per article, the workers needed for 1 million articles a day.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dispatches"
PARTITION_BYTES = 256 * 1024  # about 200 synthetic articles per task
ARTICLES_PER_FILE = 1000
TARGET_RATIO = 1.8
DAY_SECONDS = 86_400
UTILISATION = 0.5  # plan for half-busy workers: bursts, retries, the dedup stage, reruns

#: Place names swapped for one another, per language (as written in the dispatches, nominative).
PLACES = {
    "en": ["Ganja", "Stepanakert", "Jabrayil", "Fuzuli", "Tartar", "Aghdam", "Barda", "Shusha", "Lachin", "Goris",
           "Mingachevir", "Beylagan", "Baku", "Rabat", "Yerevan", "Guzanli"],
    "fr": ["Gandja", "Stepanakert", "Bakou", "Barda", "Tartar", "Rabat", "Erevan", "Choucha", "Goris"],
    "ru": ["Гянджа", "Степанакерт", "Джебраил", "Физули", "Тертер", "Агдам", "Барда", "Шуша", "Баку", "Ереван"],
    "ar": ["كنجة", "جبرائيل", "خانكندي", "ستيباناكيرت", "ترتر", "بردعة", "شوشا", "أغدام", "باكو", "الرباط"],
}
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")
_PUBLISHED_LINE = re.compile(r"^Published: \d{4}-\d{2}-\d{2}$", re.MULTILINE)


# --------------------------------------------------------------------------- corpus


def synthetic_corpus(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` perturbed copies of the dispatches as JSONL files of ARTICLES_PER_FILE records."""
    from geo.read import find_inputs, read_articles

    templates = list(read_articles(find_inputs([EXAMPLES])))
    rng = random.Random(seed)
    paths: list[Path] = []
    handle = None
    for number in range(count):
        if number % ARTICLES_PER_FILE == 0:
            if handle:
                handle.close()
            paths.append(folder / f"day-{len(paths):03d}.jsonl")
            handle = paths[-1].open("w", encoding="utf-8")
        template = templates[number % len(templates)]
        handle.write(json.dumps(_perturb(template, number, rng), ensure_ascii=False) + "\n")
    if handle:
        handle.close()
    return paths


def _perturb(article, number: int, rng: random.Random) -> dict[str, object]:
    published = datetime.date.fromisoformat(article.published or "2020-10-10")
    published += datetime.timedelta(days=rng.randint(-180, 180))
    names = PLACES.get(article.lang or "en", PLACES["en"])
    present = [name for name in names if name in article.text]
    swap = dict(zip(present, rng.sample(names, len(present)), strict=True))
    paragraphs = []
    for paragraph in article.text.split("\n\n"):
        sentences = _SENTENCE_END.split(paragraph)
        head, body = sentences[:1], sentences[1:]
        rng.shuffle(body)
        paragraphs.append(" ".join(head + body))
    text = "\n\n".join(paragraphs)
    if swap:
        text = re.sub("|".join(map(re.escape, sorted(swap, key=len, reverse=True))), lambda m: swap[m.group(0)], text)
    text = _PUBLISHED_LINE.sub(f"Published: {published.isoformat()}", text)
    return {"id": f"syn-{number:06d}-{article.article_id}", "text": text, "title": article.title,
            "url": article.url, "published": published.isoformat()}


# --------------------------------------------------------------------------- memory


class PeakSampler:
    """The peak resident memory (VmHWM) of every descendant process, sampled in a thread."""

    def __init__(self, interval: float = 0.2) -> None:
        self.peaks: dict[int, float] = {}
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self._interval):
            for child in me.children(recursive=True):
                peak = _vm_hwm_mb(child.pid)
                if peak:
                    self.peaks[child.pid] = max(peak, self.peaks.get(child.pid, 0.0))

    def workers(self, n: int) -> list[float]:
        """The ``n`` largest peaks (the workers; helpers such as the resource tracker are small)."""
        return sorted(self.peaks.values(), reverse=True)[:n]


def _vm_hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def own_peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- runs


def run_one_process(paths: list[Path]) -> tuple[float, float, list, float]:
    """Wall seconds, CPU seconds, events, peak MB."""
    from geo.engines import PipelineSpec, run_local

    started, cpu = time.perf_counter(), time.process_time()
    pipeline = PipelineSpec.load().build()
    extraction = run_local(paths, workers=1, pipeline=pipeline)
    pipeline.frame(extraction.events)  # the joined frame, as the Dask run gives it
    return time.perf_counter() - started, time.process_time() - cpu, extraction.events, own_peak_mb()


def run_pool(paths: list[Path], workers: int) -> tuple[float, float, list, list[float]]:
    """Wall seconds, CPU seconds of the workers, events, peak MB per worker."""
    import resource

    from geo.engines import run_local
    from geo.frame import events_frame
    from geo.join import join_regions

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with PeakSampler() as sampler:
        started = time.perf_counter()
        extraction = run_local(paths, workers=workers, partition_bytes=PARTITION_BYTES)
        join_regions(events_frame(extraction.events))  # the joined frame, as the Dask run gives it
        seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, extraction.events, sampler.workers(workers)


def start_cluster(workers: int):
    from distributed import Client

    from geo.engines.dask import local_cluster

    cluster = local_cluster(workers)  # the engine's own LocalCluster settings
    return cluster, Client(cluster)


def run_dask(paths: list[Path], store: Path, workers: int, *, kill_after: float | None = None):
    """Seconds (cluster start included), the run, and what was killed; kill_after: share of partitions."""
    from geo.engines import plan_partitions, run_dask as engine

    started = time.perf_counter()
    cluster, client = start_cluster(workers)
    killed: list[str] = []
    watcher = None
    if kill_after is not None:
        total = len(plan_partitions(paths, partition_bytes=PARTITION_BYTES))
        pids = client.run(os.getpid)
        watcher = threading.Thread(target=_kill_when, args=(store, math.ceil(total * kill_after), pids, killed),
                                   daemon=True)
        watcher.start()
    try:
        run = engine(paths, client=client, store=store, partition_bytes=PARTITION_BYTES)
        seconds = time.perf_counter() - started
        cpu = sum(client.run(time.process_time).values())  # of the workers alive now
    finally:
        client.close()
        cluster.close()
    if watcher:
        watcher.join(timeout=1)
    return seconds, cpu, run, killed


def _kill_when(store: Path, stored: int, pids: dict[str, int], killed: list[str]) -> None:
    """SIGKILL the first worker once ``stored`` partitions are in the store (a process this bench started)."""
    while len(list(store.glob("part-*.parquet"))) < stored:
        time.sleep(0.05)
    address, pid = sorted(pids.items())[0]
    os.kill(pid, signal.SIGKILL)
    killed.append(f"{address} (pid {pid}) after {stored} partitions")


# --------------------------------------------------------------------------- report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000, help="synthetic articles (default 20,000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus and stores")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="conflict-map-scale-"))
    try:
        started = time.perf_counter()
        (work / "corpus").mkdir()
        paths = synthetic_corpus(work / "corpus", args.articles)
        size = sum(path.stat().st_size for path in paths)
        print(f"corpus: {args.articles} articles in {len(paths)} JSONL files, {size / 1e6:.1f} MB "
              f"({time.perf_counter() - started:.1f} s to write) in {work}")

        one_s, one_cpu, one_events, one_peak = run_one_process(paths)
        report("local, 1 process", args.articles, one_s, one_cpu, [one_peak])
        pool_s, pool_cpu, pool_events, pool_peaks = run_pool(paths, 2)
        report("local, --workers 2", args.articles, pool_s, pool_cpu, pool_peaks)
        dask_s, dask_cpu, dask_run, _ = run_dask(paths, work / "store", 2)
        report("dask, 2 workers", dask_run.articles, dask_s, dask_cpu, list(dask_run.worker_peak_mb.values()))
        print("dask stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in dask_run.seconds.items()))

        print(f"ratio local 2 workers / 1 process: {one_s / pool_s:.2f} (aim >= {TARGET_RATIO}); "
              f"on idle cores, from CPU seconds: {2 * one_cpu / pool_cpu:.2f}")
        print(f"ratio dask 2 workers / 1 process:  {one_s / dask_s:.2f}; "
              f"on idle cores, from CPU seconds: {2 * one_cpu / dask_cpu:.2f}")
        ids = [e.event_id for e in one_events]
        print(f"events: 1 process {len(one_events)}, pool {len(pool_events)}, dask {len(dask_run.events)}; "
              f"same ids: {ids == [e.event_id for e in pool_events] == [e.event_id for e in dask_run.events]}")

        kill_s, _, kill_run, killed = run_dask(paths, work / "store-killed", 2, kill_after=1 / 3)
        same = [e.event_id for e in kill_run.events] == [e.event_id for e in dask_run.events]
        print(f"dask with a worker killed ({', '.join(killed) or 'kill came too late'}): {kill_s:.1f} s, "
              f"{kill_run.articles} articles, {len(kill_run.events)} events, failed partitions "
              f"{len(kill_run.failed)}; equals the undisturbed run: {same and kill_run.articles == dask_run.articles}")

        per_article = max(one_s, one_cpu) / args.articles
        daily = 1_000_000 * per_article
        print(f"cost: {per_article * 1000:.1f} ms of one worker per article (1-process run, start-up included; "
              f"dask workers {dask_cpu / dask_run.articles * 1000:.1f} ms CPU); "
              f"1M articles = {daily / 3600:.1f} worker-hours")
        print(f"1M articles/day: {math.ceil(daily / (DAY_SECONDS * UTILISATION))} worker(s) at "
              f"{UTILISATION:.0%} utilisation; within 1 hour: {math.ceil(daily / 3600)} workers; "
              f"memory {max(dask_run.worker_peak_mb.values()):.0f} MB per worker")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def report(name: str, articles: int, seconds: float, cpu: float, peaks: list[float]) -> None:
    memory = ", ".join(f"{peak:.0f}" for peak in peaks)
    load = os.getloadavg()[0]
    print(f"{name:20s} {seconds:6.1f} s  {articles / seconds:6.1f} articles/s  CPU {cpu:6.1f} s  "
          f"peak MB per worker: {memory}  (load average {load:.1f} on {os.cpu_count()} cores)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
