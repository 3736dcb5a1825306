"""Byte-for-byte check that a change leaves the outputs as they were.

Run:  python bench/same_outputs.py save REF    (before a change: inputs and outputs into REF)
      python bench/same_outputs.py check REF   (after it: the same inputs again, every output diffed)

Input sets, each run through the installed ``conflict-map`` in a fresh process:

- ``dev``: every JSONL file of ../shared/corpus/dev (``extract`` of the whole folder, and
  ``parse`` of each file);
- ``examples``: examples/dispatches (``extract``);
- ``benchmarks``: every JSONL file of ../shared/corpus/benchmarks (``parse`` and ``extract``
  of each file);
- ``eval``: ``conflict-map eval`` of every gold set (dev, event_location, case2021_task2,
  seeds, the benchmarks and the example dispatches), so every accuracy figure is compared too;
- ``long``: two synthetic long articles made from the example dispatches (as
  ``article_size_bench.py``: a ``prose`` one and a ``flat`` one with no sentence ends), the
  case where performance work on long texts could change what is found (``extract`` and
  ``parse``).  ``save`` writes them into REF/inputs so ``check`` reads the very same texts.

Compared: events.geojson and events.csv of each ``extract``, the JSON of each ``parse``, the
report of each ``eval``.
Prints one line per output (same / DIFFERENT, with the first differing line) and exits 1 on
any difference.  REF lies outside the repository: corpus-derived outputs are never committed.
"""

from __future__ import annotations

import argparse
import difflib
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DEV = CORPUS / "dev"
BENCHMARKS = CORPUS / "benchmarks"
GOLD_SETS = (DEV, CORPUS / "event_location", CORPUS / "case2021_task2", CORPUS / "seeds.gold.jsonl",
             *sorted(BENCHMARKS.glob("*.jsonl")), ROOT / "examples" / "dispatches.gold.jsonl")
EXAMPLES = ROOT / "examples" / "dispatches"
COMPARED = ("events.geojson", "events.csv")
LONG_SIZES = {"prose": 400_000, "flat": 200_000}  # bytes of UTF-8 per synthetic article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("save", "check"))
    parser.add_argument("ref", type=Path, help="reference folder (outside the repository)")
    parser.add_argument("--dev", type=Path, default=DEV, help=f"the dev corpus folder (default {DEV})")
    args = parser.parse_args()
    ref = args.ref.resolve()
    if ref.is_relative_to(ROOT):
        parser.error("REF must lie outside the repository (it holds corpus-derived outputs)")
    inputs = ref / "inputs"
    if args.mode == "save":
        if ref.exists():
            shutil.rmtree(ref)
        _write_long_articles(inputs)
        _run_all(args.dev, inputs, ref / "outputs")
        print(f"saved: {ref}")
        return
    with tempfile.TemporaryDirectory(prefix="same-outputs-") as scratch:
        _run_all(args.dev, inputs, Path(scratch))
        different = _compare(ref / "outputs", Path(scratch))
    print("all outputs byte-identical" if not different else f"{different} output(s) DIFFERENT")
    sys.exit(1 if different else 0)


def _run_all(dev: Path, inputs: Path, out: Path) -> None:
    """Every extract and parse of the input sets, outputs under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[str, list[str]]] = [
        ("extract-dev", ["extract", str(dev)]),
        ("extract-examples", ["extract", str(EXAMPLES)]),
        ("extract-long", ["extract", str(inputs)]),
    ]
    jobs += [(f"parse-dev-{p.stem}", ["parse", "--json", str(p)]) for p in sorted(dev.glob("*.jsonl"))]
    jobs += [(f"parse-long-{p.stem}", ["parse", "--json", str(p)]) for p in sorted(inputs.glob("*.txt"))]
    for path in sorted(BENCHMARKS.glob("*.jsonl")):
        jobs += [(f"parse-{path.stem}", ["parse", "--json", str(path)]),
                 (f"extract-{path.stem}", ["extract", str(path)])]
    jobs += [(f"eval-{path.stem.removesuffix('.gold')}", ["eval", str(path)]) for path in GOLD_SETS if path.exists()]
    for name, command in jobs:
        started = time.perf_counter()
        if command[0] == "extract":
            _cli(command + ["--out", str(out / name)])
        else:
            (out / f"{name}.{'txt' if command[0] == 'eval' else 'json'}").write_bytes(_cli(command))
        print(f"{name}: {time.perf_counter() - started:.1f} s", flush=True)


def _cli(arguments: list[str]) -> bytes:
    command = [sys.executable, "-c", "from maps.cli.main import cli; cli()", *arguments]
    done = subprocess.run(command, capture_output=True, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"same_outputs: conflict-map {' '.join(arguments)} failed:\n{done.stderr.decode(errors='replace')}")
    return done.stdout


def _compare(ref: Path, new: Path) -> int:
    """Number of outputs that differ; prints one line per output."""
    different = 0
    expected = sorted([*ref.glob("*.json"), *ref.glob("*.txt"), *(p for name in COMPARED for p in ref.glob(f"*/{name}"))])
    expected = [p.relative_to(ref) for p in expected]
    for relative in expected:
        old_bytes, new_path = (ref / relative).read_bytes(), new / relative
        new_bytes = new_path.read_bytes() if new_path.exists() else b""
        if old_bytes == new_bytes:
            print(f"same       {relative}")
            continue
        different += 1
        diff = list(difflib.unified_diff(old_bytes.decode(errors="replace").splitlines(),
                                         new_bytes.decode(errors="replace").splitlines(), lineterm="", n=0))
        print(f"DIFFERENT  {relative}" + ("" if new_path.exists() else " (missing)"))
        for line in diff[2:6]:
            print(f"    {line[:200]}")
    return different


def _write_long_articles(inputs: Path) -> None:
    """The synthetic long articles (seeded), as article_size_bench.py makes them."""
    sys.path.insert(0, str(ROOT / "bench"))
    from article_size_bench import _article
    from extract_bench import _templates, synthesize

    from geo.pipeline import Pipeline

    templates = _templates()
    warm = Pipeline().run(templates)
    per_copy = max(len(t.text.encode()) for t in templates)
    pool = synthesize(templates, warm, max(LONG_SIZES.values()) // per_copy * 2 + 10, random.Random(7))
    inputs.mkdir(parents=True, exist_ok=True)
    for shape, size in LONG_SIZES.items():
        (inputs / f"long_{shape}.txt").write_text(_article(pool, size, shape), encoding="utf-8")


if __name__ == "__main__":
    main()
