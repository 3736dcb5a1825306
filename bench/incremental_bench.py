"""Incremental ``conflict-map build``: a 1,000-article corpus, full build vs rebuild after editing one file.

Run:  python bench/incremental_bench.py [--articles 1000] [--online] [--keep DIR]

The corpus replicates the example dispatches in their own formats (.txt, .md, .html,
.jsonl) with small perturbations: the publication date moves by one day every round
through the dispatches (so relative dates such as "on Sunday" give new events) and each
copy ends with its own desk note.  Each build is a real ``conflict-map build`` process (start-up,
gazetteer, pipeline, joins, exports and map included), ``--offline`` unless ``--online``:

1. full build into an empty folder;
2. rebuild with nothing changed;
3. rebuild after appending a sentence to one article: only that article is re-processed;
4. ``build --watch``: the same edit to five other articles, one at a time, while the
   watching process runs; each rebuild's own time (from the change seen to the outputs
   written, as the process reports it) and the wall time from the write until it is done.

Prints the wall-clock times and the full / incremental ratios (aim >= 10).
"""

from __future__ import annotations

import argparse
import datetime
import json
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dispatches"
TARGET_RATIO = 10


def make_corpus(folder: Path, count: int) -> list[Path]:
    """At least ``count`` articles: perturbed copies of the dispatches, each in its own format.

    ``.txt``/``.md`` get a later ``Published:`` date and a closing desk note; the HTML page a
    later ``<meta name="date">``/``<time>`` and a note paragraph inside ``<article>``; each
    JSONL record a later ``published`` and a note (one file, two articles).  The date moves
    by one day per round through the dispatches.
    """
    sources = sorted(EXAMPLES.iterdir())
    folder.mkdir(parents=True, exist_ok=True)
    paths, articles, number = [], 0, 0
    while articles < count:
        source = sources[number % len(sources)]
        shift = datetime.timedelta(days=number // len(sources))
        note = f"Desk note {number}: figures may be revised."
        text = source.read_text(encoding="utf-8")
        if source.suffix in (".txt", ".md"):
            text = _shift_dates(text, r"(Published: )(\d{4}-\d{2}-\d{2})", shift).rstrip() + f"\n\n{note}\n"
            articles += 1
        elif source.suffix == ".html":
            text = _shift_dates(text, r'(content="|datetime=")(\d{4}-\d{2}-\d{2})', shift)
            text = text.replace("</article>", f"  <p>{note}</p>\n</article>", 1)
            articles += 1
        elif source.suffix == ".jsonl":
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
            for record in records:
                record["id"] = f"{record['id']}_{number:04d}"
                record["published"] = (datetime.date.fromisoformat(record["published"]) + shift).isoformat()
                record["text"] = record["text"].rstrip() + f"\n\n{note}\n"
            text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
            articles += len(records)
        else:
            number += 1
            continue
        path = folder / f"a{number:04d}_{source.name}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        number += 1
    return paths


def _shift_dates(text: str, pattern: str, shift: datetime.timedelta) -> str:
    return re.sub(pattern, lambda m: m.group(1) + (datetime.date.fromisoformat(m.group(2)) + shift).isoformat(),
                  text)


def run_build(corpus: Path, out: Path, offline: bool) -> tuple[float, str]:
    command = [*_conflict_map(), "build", str(corpus), "--out", str(out), "-v"]
    if offline:
        command.append("--offline")
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return seconds, result.stderr


def watch_rebuilds(corpus: Path, out: Path, offline: bool, edits: list[Path]) -> list[tuple[float, float, str]]:
    """(seconds the rebuild reports, seconds from the write to its summary, summary) per edited file."""
    command = [*_conflict_map(), "build", str(corpus), "--out", str(out), "--watch", "-v"]
    if offline:
        command.append("--offline")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()
    log: list[str] = []

    def wait_for(prefix: str) -> str:
        while True:
            try:
                line = lines.get(timeout=120)
            except queue.Empty:
                process.kill()
                raise SystemExit("build --watch said nothing for 120 s:\n" + "".join(log[-20:])) from None
            log.append(line)
            if line.startswith(prefix):
                return line

    results = []
    try:
        wait_for("watching ")
        time.sleep(1.0)  # let the watcher settle
        for path in edits:
            written = time.perf_counter()
            path.write_text(path.read_text(encoding="utf-8") + "Rockets also struck Tartar on Sunday.\n",
                            encoding="utf-8")
            summary = wait_for("conflict-map rebuilt:")
            wall = time.perf_counter() - written
            timings = next((line for line in reversed(log) if line.startswith("timings:")), "").strip()
            reported = float(re.search(r" in ([0-9.]+) s", summary).group(1))
            results.append((reported, wall, f"{summary.removeprefix('conflict-map rebuilt: ').strip()}\n"
                                            f"      {timings}"))
    finally:
        process.terminate()
        process.wait(timeout=60)
    return results


def _conflict_map() -> list[str]:
    script = Path(sys.executable).with_name("conflict-map")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from maps.cli.main import cli; cli()"]


def _summary(stderr: str) -> str:
    line = next((line for line in stderr.splitlines() if line.startswith("conflict-map build:")), "")
    timings = next((line for line in stderr.splitlines() if line.startswith("timings:")), "")
    return f"{line.removeprefix('conflict-map build: ')}\n      {timings}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--online", action="store_true", help="Build online maps (tiles, CDN links).")
    parser.add_argument("--keep", type=Path, default=None, help="Keep corpus and outputs in this folder.")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="incremental-bench-"))
    corpus, out = folder / "corpus", folder / "out"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    paths = make_corpus(corpus, args.articles)
    offline = not args.online
    full, log = run_build(corpus, out, offline)
    print(f"full build        {full:7.1f} s   {_summary(log)}", flush=True)
    unchanged, log = run_build(corpus, out, offline)
    print(f"nothing changed   {unchanged:7.1f} s   {_summary(log)}", flush=True)
    edited = next(path for path in paths[len(paths) // 2:] if path.suffix == ".txt")
    edited.write_text(edited.read_text(encoding="utf-8") + "Rockets also struck Tartar on Sunday.\n",
                      encoding="utf-8")
    incremental, log = run_build(corpus, out, offline)
    processed = re.findall(r"^processed (\S+):", log, re.MULTILINE)
    print(f"one file edited   {incremental:7.1f} s   {_summary(log)}", flush=True)
    print(f"re-processed: {', '.join(processed)}")
    ratio = full / incremental
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"full / incremental (re-run)  = {ratio:5.1f}x (aim >= {TARGET_RATIO}x: {verdict})", flush=True)

    edits = [path for path in paths[len(paths) // 4:] if path.suffix == ".txt" and path != edited][:5]
    rebuilds = watch_rebuilds(corpus, out, offline, edits)
    for reported, wall, summary in rebuilds:
        print(f"--watch rebuild   {reported:7.2f} s   (write to done {wall:.2f} s) {summary}")
    reported = statistics.median(r for r, _, _ in rebuilds)
    wall = statistics.median(w for _, w, _ in rebuilds)
    for label, seconds in (("--watch rebuild", reported), ("--watch write to done", wall)):
        ratio = full / seconds
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        print(f"full / {label:<22}= {ratio:5.1f}x (median {seconds:.2f} s; aim >= {TARGET_RATIO}x: {verdict})")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
