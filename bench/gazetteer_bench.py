"""Gazetteer benchmarks: cold index build, warm CLI geocode, and resolve() throughput.

Run:  python bench/gazetteer_bench.py [--skip-cold]
Prints figures and the ratios to the targets (build < 60 s and < 2 GB peak,
warm ``conflict-map geocode Baku --json`` < 1.0 s, 10,000 resolve() calls < 1 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path



def cold_build(cache: Path) -> tuple[float, float]:
    """Seconds and peak MB of a first run that builds the index in an empty cache."""
    code = "from gazetteer import Gazetteer; from gazetteer.config import Settings; " \
           f"Gazetteer.open(Settings(cache_dir={str(cache)!r}))"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb


def warm_geocode(cache: Path, runs: int = 7) -> list[float]:
    """Wall seconds of ``conflict-map geocode Baku --json`` with a built index."""
    env = {**os.environ, "CONFLICT_MAP_CACHE_DIR": str(cache)}
    exe = shutil.which("conflict-map") or str(Path(sys.executable).with_name("conflict-map"))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run([exe, "geocode", "Baku", "--json"], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
        assert json.loads(out.stdout)[0]["geonameid"] == 587084
    return times


def resolve_throughput(cache: Path, calls: int = 10_000) -> tuple[float, dict[str, int]]:
    """Seconds for ``calls`` resolve() calls on distinct names sampled across scripts."""
    from gazetteer import Gazetteer
    from gazetteer.config import Settings
    from gazetteer.normalize import script_of

    gazetteer = Gazetteer.open(Settings(cache_dir=cache))
    db = sqlite3.connect(gazetteer.index.path)
    rows = [name for (name,) in db.execute("SELECT name FROM names")]
    rng = random.Random(7)
    by_script: dict[str, list[str]] = {}
    for name in rng.sample(rows, 400_000):
        by_script.setdefault(script_of(name), []).append(name)
    # a news-like mix: mostly Latin, then Arabic and Cyrillic, some other scripts
    mix = {"latin": 0.55, "arabic": 0.2, "cyrillic": 0.2, "other": 0.05}
    names: list[str] = []
    for script, share in mix.items():
        names += list(dict.fromkeys(by_script[script]))[: int(calls * share)]
    rng.shuffle(names)
    started = time.perf_counter()
    for name in names:
        gazetteer.resolve(name)
    seconds = time.perf_counter() - started
    return seconds, {script: int(calls * share) for script, share in mix.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-cold", action="store_true", help="reuse the user cache instead of a cold build")
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="conflict-map-bench-"))
    try:
        if args.skip_cold:
            from gazetteer.index import default_cache_dir

            cache = default_cache_dir()
        else:
            seconds, peak = cold_build(cache)
            print(f"cold index build: {seconds:.1f} s (target < 60 s, ratio {seconds / 60:.2f}); "
                  f"peak RSS {peak:.0f} MB (target < 2048 MB, ratio {peak / 2048:.2f})")
        times = warm_geocode(cache)
        median = statistics.median(times)
        print(f"warm `conflict-map geocode Baku --json`: median {median:.3f} s, min {min(times):.3f} s, "
              f"max {max(times):.3f} s over {len(times)} runs (target < 1.0 s, ratio {median:.2f})")
        seconds, mix = resolve_throughput(cache)
        print(f"10,000 resolve() calls on distinct names {mix}: {seconds:.3f} s "
              f"({10_000 / seconds:,.0f} calls/s; target < 1 s, ratio {seconds:.2f})")
    finally:
        if not args.skip_cold:
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
