"""Whole-process throughput: ``conflict-map parse`` and ``extract`` on distinct real articles, beside geotext.

Run:  python bench/throughput_bench.py [--runs 5] [--corpora lgl,dev]   (throughput, start-up, memory, stages)
      python bench/throughput_bench.py --scale 20000                      (memory and speed against corpus size)

Throughput mode.  The articles of the named corpora (../shared/corpus/benchmarks/<name>.jsonl, and
``dev``: every file of ../shared/corpus/dev), with their ``lang`` withheld, are written into one
JSONL file in a temporary folder.  Then each command runs ``--runs`` times as a fresh process pinned
to one core, as a user runs it:

- ``conflict-map parse --json FILE`` and ``conflict-map extract FILE --out DIR`` (joins, all three
  exports and the article cache included; a new DIR each run, so no run reads another's cache):
  articles/s (median of the runs' wall times), CPU s, peak resident memory (MiB; the issue's
  targets, in decimal MB, are converted);
- start-up: ``parse`` of a file of one short article (median wall time);
- geotext (``GeoText(text)`` on every article, in a process of its own): the floor of a dictionary
  scan with no disambiguation, for scale;
- ms per article of each stage, timed in this process over one run of the pipeline (inclusive
  times: "spotting" includes the first resolution of each name, "events" the event places).

Each figure is printed beside its target (issue "Five times faster end to end") with the ratio.

Scale mode.  ``--scale N`` synthesizes N distinct articles from the example dispatches (place names
swapped, sentences shuffled, dates moved: ``extract_bench.synthesize``) and runs one ``extract`` of
the first N/4 of them, then one of all N, each in a fresh process pinned to one core, reading the
second's resident memory twice a second: articles/s, the memory at 1/8, 1/4, 1/2, 3/4 and 95 % of
the run, and the two runs' peaks.  Memory is flat in corpus size when the peak of N articles is at
most 10 % above the peak of N/4 (the end of a run, joins and exports, costs the same at any size, so
peaks are compared, not the first quarter of one run with its end).

geotext is not a project dependency: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
#: The issue's targets; its peaks, 200 and 350 MB (decimal), in MiB as the resident set is read (KiB).
TARGETS = {"parse articles/s": 500.0, "extract articles/s": 300.0, "parse start-up s": 0.3,
           "parse peak MiB": 200e6 / 2**20, "extract peak MiB": 350e6 / 2**20}
CLI = "from maps.cli.main import cli; cli()"
GEOTEXT = """
import json, sys
from geotext import GeoText
for line in open(sys.argv[1], encoding="utf-8"):
    found = GeoText(json.loads(line)["text"])
    found.cities, found.countries
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median reported)")
    parser.add_argument("--corpora", default="lgl,dev", help="comma-separated: dev and benchmark names")
    parser.add_argument("--scale", type=int, default=0, help="scale mode with this many synthetic articles")
    parser.add_argument("--no-stages", action="store_true", help="skip the in-process stage timings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="throughput-") as scratch:
        if args.scale:
            scale(Path(scratch), args.scale)
        else:
            throughput(Path(scratch), args.corpora.split(","), args.runs, stages=not args.no_stages)


# --------------------------------------------------------------------------- throughput


def throughput(scratch: Path, corpora: list[str], runs: int, *, stages: bool) -> None:
    articles = distinct_articles(corpora)
    if not articles:
        sys.exit(f"throughput_bench: no articles found for {corpora} under {CORPUS}")
    source = scratch / "articles.jsonl"
    _write_jsonl(source, articles)
    one = scratch / "one.jsonl"
    _write_jsonl(one, [{"id": "one", "text": "Shelling hit the outskirts of Kharkiv on Monday, officials said."}])
    size = sum(len(a["text"].encode()) for a in articles)
    print(f"{len(articles)} distinct articles ({', '.join(corpora)}; lang withheld), {size / len(articles) / 1000:.1f} kB "
          f"each on average; {runs} runs each, one core, whole process")
    _cli(["parse", "--json", str(source)])  # untimed: the index, the word tables and the model derived first
    rows: list[tuple[str, float, float | None, bool]] = []
    for command in ("parse", "extract"):
        # each extract into a new folder: a folder's article cache would answer a second run
        timed = [_run([sys.executable, "-c", CLI, *(["parse", "--json", str(source)] if command == "parse" else [
            "extract", str(source), "--out", str(scratch / f"out-{run}")])]) for run in range(runs)]
        wall = statistics.median(t.wall for t in timed)
        print(f"{command:8} {len(articles) / wall:8.1f} articles/s  {1000 * wall / len(articles):6.2f} ms/article  "
              f"wall {wall:6.2f} s  CPU {statistics.median(t.cpu for t in timed):6.2f} s  "
              f"peak {max(t.peak_mib for t in timed):6.0f} MiB   (runs: {', '.join(f'{t.wall:.2f}' for t in timed)} s)")
        rows += [(f"{command} articles/s", len(articles) / wall, TARGETS[f"{command} articles/s"], True),
                 (f"{command} peak MiB", max(t.peak_mib for t in timed), TARGETS[f"{command} peak MiB"], False)]
    start = statistics.median(_run([sys.executable, "-c", CLI, "parse", "--json", str(one)]).wall for _ in range(runs))
    rows.append(("parse start-up s", start, TARGETS["parse start-up s"], False))
    geotext = [_run([sys.executable, "-c", GEOTEXT, str(source)]) for _ in range(runs)]
    geotext_rate = len(articles) / statistics.median(t.wall for t in geotext)
    rows.append(("geotext articles/s", geotext_rate, None, True))
    print()
    print(f"{'figure':22} {'measured':>10} {'target':>10} {'ratio':>8}")
    for name, value, target, higher_is_better in rows:
        ratio = "" if target is None else f"{(value / target if higher_is_better else target / value):8.2f}"
        print(f"{name:22} {value:10.2f} {'' if target is None else f'{target:10.2f}':>10} {ratio}")
    parse_rate = next(value for name, value, _, _ in rows if name == "parse articles/s")
    print(f"{'parse / geotext':22} {parse_rate / geotext_rate:10.4f}")
    if stages:
        print()
        stage_times(articles)


def distinct_articles(corpora: list[str]) -> list[dict[str, str]]:
    """The articles of the named corpora as {"id", "text"} (lang withheld), each text once."""
    paths: list[Path] = []
    for name in corpora:
        paths += sorted((CORPUS / "dev").glob("*.jsonl")) if name == "dev" else [CORPUS / "benchmarks" / f"{name}.jsonl"]
    seen: set[str] = set()
    articles = []
    for path in paths:
        if not path.exists():
            sys.exit(f"throughput_bench: {path} not found")
        for line in path.read_text(encoding="utf-8").split("\n"):  # not splitlines: texts hold U+2028
            record = json.loads(line) if line.strip() else None
            if record is not None and record["text"] not in seen:
                seen.add(record["text"])
                articles.append({"id": f"{path.stem}-{record['id']}", "text": record["text"]})
    return articles


def stage_times(articles: list[dict[str, str]]) -> None:
    """Inclusive ms per article of the pipeline's stages, over one in-process run (after a warm-up article)."""
    from geo import read
    from geo.events import EventDetector
    from geo.model import Article
    from geo.pipeline import Pipeline
    from geo.recognize import Recognizer

    totals: dict[str, float] = {}
    stages = [("language detection", read, "detect_language"), ("recognition", Recognizer, "recognise"),
              ("  spotting (+ first resolution)", Recognizer, "spotted"), ("  ranking", Recognizer, "choose"),
              ("event places", Pipeline, "event_places"), ("events", EventDetector, "detect"),
              ("unresolved names", Recognizer, "unresolved")]
    for label, owner, name in stages:
        setattr(owner, name, _timed(getattr(owner, name), label, totals))
    pipeline = Pipeline()
    pipeline.process(Article("warm", "Shelling hit Kharkiv on Monday.", lang="en"))
    totals.clear()
    started = time.process_time()
    for record in articles:
        pipeline.process(Article(record["id"], record["text"], lang=read.detect_language(record["text"])))
    whole = time.process_time() - started
    print(f"stages, CPU ms per article ({len(articles)} articles, in process, inclusive):")
    print(f"  {'whole article':34} {1000 * whole / len(articles):7.2f}")
    for label, *_ in stages:
        print(f"  {label:34} {1000 * totals.get(label, 0.0) / len(articles):7.2f}")


def _timed(function: Callable, label: str, totals: dict[str, float]) -> Callable:
    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.process_time() - started
    return timed


# --------------------------------------------------------------------------- scale


def scale(scratch: Path, count: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from extract_bench import _templates, synthesize

    from geo.pipeline import Pipeline

    templates = _templates()
    pool = synthesize(templates, Pipeline().run(templates), count, random.Random(7))
    quarter_source, source = scratch / "quarter.jsonl", scratch / "articles.jsonl"
    records = [{"id": a.article_id, "text": a.text, "published": a.published} for a in pool]
    _write_jsonl(quarter_source, records[:count // 4])
    _write_jsonl(source, records)
    print(f"{count} synthetic articles; one extract of {count // 4} then one of {count}, each in a fresh process "
          f"pinned to one core, the second's resident memory read every {_SAMPLE_SECONDS} s")
    quarter = _run([sys.executable, "-c", CLI, "extract", str(quarter_source), "--out", str(scratch / "quarter")])
    samples: list[tuple[float, float]] = []
    timed = _run([sys.executable, "-c", CLI, "extract", str(source), "--out", str(scratch / "out")], samples)
    print(f"{count / timed.wall:.1f} articles/s, wall {timed.wall:.1f} s, peak {timed.peak_mib:.0f} MiB "
          f"({count // 4} articles: {count // 4 / quarter.wall:.1f} articles/s, peak {quarter.peak_mib:.0f} MiB)")
    print(f"{'share of the run':>17} {'resident MiB':>12}")
    for share in (0.125, 0.25, 0.5, 0.75, 0.95):
        at = next((mb for seconds, mb in samples if seconds >= share * timed.wall), samples[-1][1] if samples else 0)
        print(f"{share:17.0%} {at:12.0f}")
    ratio = timed.peak_mib / quarter.peak_mib
    print(f"peak of {count} articles / peak of {count // 4}: {ratio:.2f} ({'flat' if ratio <= 1.1 else 'GROWS'})")


_SAMPLE_SECONDS = 0.5


# --------------------------------------------------------------------------- processes


class _Timed:
    def __init__(self, wall: float, cpu: float, peak_mib: float) -> None:
        self.wall, self.cpu, self.peak_mib = wall, cpu, peak_mib


def _run(command: list[str], samples: list[tuple[float, float]] | None = None) -> _Timed:
    """Run ``command`` pinned to one core; its wall time, CPU time and peak resident memory (and, into
    ``samples``, its resident memory every ``_SAMPLE_SECONDS``: (seconds since the start, MiB))."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors,
                                   preexec_fn=_pin_to_one_core)
        while True:  # the child is reaped here, by wait4, which reports its usage
            pid, status, usage = os.wait4(process.pid, 0 if samples is None else os.WNOHANG)
            if pid:
                break
            samples.append((time.perf_counter() - started, _resident_mib(process.pid)))
            time.sleep(_SAMPLE_SECONDS)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            errors.seek(0)
            sys.exit(f"throughput_bench: {' '.join(command[3:])} failed:\n{errors.read().decode(errors='replace')[-2000:]}")
    return _Timed(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _resident_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)


def _pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _cli(arguments: list[str]) -> None:
    _run([sys.executable, "-c", CLI, *arguments])


def _write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


if __name__ == "__main__":
    main()
