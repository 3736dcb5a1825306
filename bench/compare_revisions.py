"""Extraction throughput of this working tree beside another revision, in one run.

Run:  python bench/compare_revisions.py REVISION [--articles 1000] [--rounds 2]

Checks REVISION out into a temporary git worktree, then runs ``bench/extract_bench.py``
of each tree (each with its own code on ``PYTHONPATH``, the same Python and the same
synthetic corpus) in alternation, ``--rounds`` times each, so both see the same machine
load; prints every round's articles/s of (a) ``Pipeline.run`` and (b) run + export, the
best of each, and the ratio this tree / REVISION.  Needs geotext (see extract_bench.py).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_ROW = re.compile(r"^\((a|b)\)\s.*?\s([\d,]+)\s+[\d.]+\s*$", re.MULTILINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision", help="git revision to compare with (e.g. a commit before a change)")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compare-revisions-") as scratch:
        other = Path(scratch) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), args.revision],
                       check=True, capture_output=True)
        try:
            results: dict[str, list[dict[str, int]]] = {"this tree": [], args.revision: []}
            for round_ in range(args.rounds):
                for name, tree in (("this tree", ROOT), (args.revision, other)):
                    figures = _bench(tree, args.articles)
                    results[name].append(figures)
                    print(f"round {round_ + 1} {name:>12}: run {figures['a']:>5} articles/s, "
                          f"run + export {figures['b']:>5} articles/s", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False,
                           capture_output=True)
    best = {name: {k: max(r[k] for r in rounds) for k in ("a", "b")} for name, rounds in results.items()}
    mine, theirs = best["this tree"], best[args.revision]
    print(f"\n{'best of ' + str(args.rounds):<22}{'run/s':>9}{'run+export/s':>14}")
    for name, figures in best.items():
        print(f"{name:<22}{figures['a']:>9}{figures['b']:>14}")
    print(f"{'ratio this / ' + args.revision[:8]:<22}{mine['a'] / theirs['a']:>9.2f}{mine['b'] / theirs['b']:>14.2f}")


def _bench(tree: Path, articles: int) -> dict[str, int]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, str(tree / "bench" / "extract_bench.py"), "--articles", str(articles)],
                          cwd=tree, env=env, capture_output=True, text=True, check=True)
    figures = {key: int(value.replace(",", "")) for key, value in _ROW.findall(done.stdout)}
    if set(figures) != {"a", "b"}:
        sys.exit(f"compare_revisions: could not read the figures of {tree}:\n{done.stdout[-1500:]}")
    return figures


if __name__ == "__main__":
    main()
