"""Time per MB of one article, from 0.1 to 10 MB: flat means linear in article size.

Run:  python bench/article_size_bench.py [--sizes 0.1 1 5 10] [--shape prose|flat]

Writes one synthetic article of each size to a temp folder and times, in this process,
reading it (``read_articles``), extracting (``Pipeline.run``) and exporting
(``Pipeline.export``).  ``prose``: the example dispatches with their city names swapped
for real GeoNames cities (as ``extract_bench.py``), so a long article names thousands of
distinct places; ``flat``: the same text with no sentence-final punctuation or line break
(a table flattened to text), the case that made the work per sentence explode.
The gazetteer is warmed first.  Wall seconds, and CPU seconds of this process (steadier on a
machine shared with other jobs), each per MB; peak RSS so far.  Target: flat seconds per MB,
10 MB under 60 s.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_bench import _templates, synthesize  # noqa: E402

TARGET_SECONDS_10MB = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1.0, 5.0, 10.0], help="article sizes in MB")
    parser.add_argument("--shape", choices=("prose", "flat"), default="prose")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from geo.pipeline import Pipeline
    from geo.read import read_articles

    pipeline = Pipeline()
    templates = _templates()
    warm = pipeline.run(templates)
    rng = random.Random(args.seed)
    per_copy = max(len(t.text.encode()) for t in templates)
    pool = synthesize(templates, warm, int(max(args.sizes) * 1e6 / per_copy * 2) + 10, rng)
    print(f"{'MB':>6} {'read s':>8} {'run s':>8} {'export s':>9} {'total s':>8} {'s/MB':>7} {'cpu s':>8} "
          f"{'cpu s/MB':>9} {'events':>7} {'peak MB':>8}")
    per_mb = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp, f"article_{size:g}MB.txt")
            path.write_text(_article(pool, int(size * 1e6), args.shape), encoding="utf-8")
            megabytes = path.stat().st_size / 1e6
            cpu = time.process_time()
            t0 = time.perf_counter()
            articles = list(read_articles([path]))
            t1 = time.perf_counter()
            extraction = pipeline.run(articles)
            t2 = time.perf_counter()
            pipeline.export(extraction.events, Path(tmp, "out"))
            t3 = time.perf_counter()
            cpu = time.process_time() - cpu
            per_mb.append((t3 - t0) / megabytes)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{megabytes:6.2f} {t1 - t0:8.2f} {t2 - t1:8.2f} {t3 - t2:9.2f} {t3 - t0:8.2f} "
                  f"{per_mb[-1]:7.2f} {cpu:8.2f} {cpu / megabytes:9.2f} {len(extraction.events):7d} {peak:8.0f}",
                  flush=True)
    print(f"s/MB largest / smallest: {per_mb[-1] / per_mb[0]:.2f} (1.0 is flat); "
          f"target: 10 MB under {TARGET_SECONDS_10MB:.0f} s")


def _article(pool: list, size: int, shape: str) -> str:
    """Articles of ``pool`` joined (blank line between) up to ``size`` bytes of UTF-8."""
    parts, total = [], 0
    for article in pool:
        if total >= size:
            break
        parts.append(article.text)
        total += len(article.text.encode()) + 2
    text = "\n\n".join(parts)
    if shape == "flat":
        text = re.sub(r"[.!?؟…\n]+", " ", text)
    return text.encode()[:size].decode("utf-8", "ignore")


if __name__ == "__main__":
    main()
