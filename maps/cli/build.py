"""``conflict-map build ARTICLES... --out DIR``: events, GIS exports and the map, incrementally."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from .options import engine_options, lexicon_option, open_gazetteer, overrides_option, review_option, say_unreadable


@click.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for events.geojson, events.gpkg, events.csv, map.html (and its .cache/).")
@click.option("--offline", is_flag=True,
              help="No tile server: the shipped boundaries are the basemap; fail if anything would be fetched.")
@click.option("--tiles", default="OpenStreetMap", show_default=True, metavar="NAME",
              help="Basemap: an xyzservices provider name (e.g. Esri.WorldImagery); ignored with --offline.")
@click.option("--title", default=None, metavar="TEXT", help="The map's title (default: conflict-map: N events).")
@click.option("--force", is_flag=True, help="Re-process every article, ignoring the cache of earlier builds.")
@click.option("--watch", is_flag=True,
              help="Keep running and rebuild whenever an article is added, edited or removed (Ctrl-C stops).")
@click.option("-v", "--verbose", is_flag=True, help="Say what is processed, reused and how long each step took.")
@review_option
@lexicon_option
@overrides_option
@engine_options
def build(articles: tuple[str, ...], out_dir: Path, offline: bool, tiles: str, title: str | None, force: bool,
          watch: bool, verbose: bool, review: Path | None, lexicon_files: tuple[Path, ...], overrides,
          engine: str, workers: int, scheduler: str | None) -> None:
    """Build events and a layered map from ARTICLES (files, folders or globs) into --out.

    Re-running re-processes only the articles added or changed since the last build
    (with --engine dask, the finished partitions in DIR/store instead); --watch does so
    as soon as an article changes, keeping everything else in memory.  The review file
    (--review, or DIR/review.csv or DIR/review.toml) is applied on every run.
    """
    from maps.tiles import tile_provider

    if watch and (engine != "local" or workers > 1):
        raise click.UsageError("--watch works with the local engine only (no --workers/--engine)")
    if not offline:
        tile_provider(tiles)  # a wrong name fails now, not after the whole corpus
    started = time.perf_counter()
    warned: list[str] = []
    builder = make_builder(out_dir, overrides=overrides, lexicon_files=lexicon_files, review=review,
                           engine=engine, workers=workers, scheduler=scheduler, verbose=verbose,
                           offline=offline, tiles=tiles, title=title, rebuilds=watch)
    from maps.watch import file_contents

    rules = [path for path in (overrides or builder.gazetteer.settings.overrides, *lexicon_files) if path]
    loaded = file_contents(rules)  # the overrides and lexicons as the builder read them
    result = run_job(builder, articles, force=force, on_warning=lambda w: (warned.append(str(w)), _warn(w)))
    report(result, started, builder)
    if watch:
        from maps.watch import rebuild_on_changes

        def rebuilt(result, started: float, builder) -> None:
            report(result, started, builder, rebuilt=True)

        rebuild_on_changes(builder, lambda: make_builder(out_dir, overrides=overrides, lexicon_files=lexicon_files,
                                                         review=review, verbose=verbose, offline=offline,
                                                         tiles=tiles, title=title, rebuilds=True),
                           articles, said=set(warned), rules=rules, loaded=loaded, on_rebuilt=rebuilt,
                           say=lambda line: click.echo(line, err=True))


def make_builder(out_dir: Path, *, overrides: Path | None, lexicon_files: tuple[Path, ...], review: Path | None,
                 engine: str = "local", workers: int = 1, scheduler: str | None = None, verbose: bool = False,
                 render: bool = True, rebuilds: bool = False, **drawing):  # -> maps.build.Builder
    """The Builder of a command's options (checks first that --out can be written, and --scheduler)."""
    from maps.build import Builder, check_out_dir
    from maps.progress import Reporter

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    check_out_dir(out_dir)  # an unwritable --out fails now, not after the extraction
    return Builder(out_dir, gazetteer=open_gazetteer(overrides), lexicon_files=lexicon_files,
                   reporter=Reporter(verbose=verbose), render=render, review=review, engine=engine,
                   workers=workers, scheduler=scheduler, rebuilds=rebuilds, **drawing)


def run_job(builder, articles: tuple[str, ...], *, force: bool = False, on_warning=None):  # -> BuildResult
    """``builder.run`` with progress on a terminal.  Its warnings (unreadable inputs) are said
    once it is done; when no article is readable, they are the error lines that end it, exit 1."""
    from maps.build import NothingToBuild

    problems: list[object] = []
    try:
        result = builder.run(articles, force=force, on_warning=problems.append, progress=_progress_line())
    except NothingToBuild:
        say_unreadable(problems, articles, readable=False)
        raise
    for problem in problems:
        (on_warning or _warn)(problem)
    return result


def _progress_line() -> Callable[[int, int], None] | None:
    """``partitions 12/40`` rewritten in place on a terminal; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\rpartitions {done}/{total}", err=True, nl=done == total)

    return show


def report(result, started: float, builder, *, rebuilt: bool = False) -> None:
    """The summary on stderr (with the step timings for ``-v``) and the written paths on stdout."""
    reporter = builder.reporter
    if reporter.verbose:
        steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in result.seconds.items())
        reporter.detail(f"timings: {steps}")
        for name, count in result.unresolved.items():
            reporter.detail(f"unresolved: {name} ({count} article{'s' if count > 1 else ''})")
    click.echo(summary_text(result, time.perf_counter() - started, offline=builder.offline, rebuilt=rebuilt,
                            command="build" if builder.render else "extract"), err=True)
    for path in result.outputs.values():
        click.echo(str(path))


def _warn(warning) -> None:
    click.echo(f"warning: {warning}", err=True)


_SHOWN_UNRESOLVED = 6


def summary_text(result, seconds: float, *, offline: bool, rebuilt: bool = False, command: str = "build") -> str:
    """The end-of-build summary: articles, events per layer and type, precision, the map."""
    from geo.model import LAYERS

    verb = "rebuilt" if rebuilt else command
    lines = [f"conflict-map {verb}: {result.articles} article{'s' if result.articles != 1 else ''} -> "
             f"{result.events} event{'s' if result.events != 1 else ''} in {seconds:.1f} s "
             f"({result.articles - result.cached} processed, {result.cached} from cache)"]
    width = max(map(len, LAYERS.values()))
    for layer in dict.fromkeys(LAYERS.values()):
        types = [(t, n) for t, n in result.per_type.items() if LAYERS.get(t) == layer]
        total = sum(n for _, n in types)
        detail = ", ".join(f"{t} {n}" for t, n in types) or "-"
        lines.append(f"  {layer:<{width}} {total:>6}   {detail}")
    lines.append(f"  placed at a region or country only: {result.regional}")
    if result.skipped:
        reasons = ", ".join(f"{count} {reason}" for reason, count in result.skipped.items())
        lines.append(f"  inputs skipped: {sum(result.skipped.values())} - {reasons}")
    if result.corrected or result.orphans:
        lines.append(f"  review: {result.corrected} correction{'s' if result.corrected != 1 else ''} applied")
    for orphan in result.orphans:
        lines.append(f"  review: the event of this correction no longer exists - {orphan} (edit or remove it)")
    if result.unresolved:
        shown = ", ".join(f"{name} ({count})" if count > 1 else name
                          for name, count in list(result.unresolved.items())[:_SHOWN_UNRESOLVED])
        more = len(result.unresolved) - _SHOWN_UNRESOLVED
        shown += f", ... {more} more" if more > 0 else ""
        lines.append(f"  places unresolved: {len(result.unresolved)} - {shown} (add them to an overrides file to place"
                     " them)")
    else:
        lines.append("  places unresolved: 0")
    map_path = result.outputs.get("map")
    if map_path is not None:
        works = "works with no internet" if result.map_scripts == "inlined" else f"scripts {result.map_scripts}"
        size = f"{result.map_bytes / 1e6:.1f} MB"
        lines.append(f"  map: {map_path} ({size}, {works}{', no tiles' if offline else ''}) - open it in a web browser")
    return "\n".join(lines)
