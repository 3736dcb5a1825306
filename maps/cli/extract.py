"""``conflict-map extract ARTICLES... --out DIR``: events and GIS exports, no map."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from .options import exit_if_empty, lexicon_option, open_gazetteer, overrides_option, read_inputs


def engine_options(command: Callable) -> Callable:
    """``--engine``, ``--workers`` and ``--scheduler``, for the commands that extract events."""
    options = (
        click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="local: this machine (--workers processes); dask: a dask.distributed cluster, "
                          "per-partition results kept in DIR/store so a re-run resumes."),
        click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Worker processes on this machine (the local engine's pool, or the local Dask cluster)."),
        click.option("--scheduler", metavar="ADDRESS", default=None,
                     help="A running Dask scheduler (tcp://host:8786) for --engine dask, instead of a local "
                          "cluster; workers must see the article files and DIR."),
    )
    for option in reversed(options):
        command = option(command)
    return command


@click.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for events.geojson, events.gpkg and events.csv.")
@lexicon_option
@overrides_option
@engine_options
def extract(articles: tuple[str, ...], out_dir: Path, lexicon_files: tuple[Path, ...], overrides,
            engine: str, workers: int, scheduler: str | None) -> None:
    """Extract events from ARTICLES (files, folders or globs of .txt .md .html .jsonl) into --out."""
    from geo.pipeline import Pipeline
    from maps.build import check_out_dir

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    if engine == "local" and workers == 1:
        check_out_dir(out_dir)  # an unwritable --out fails now, not after the extraction
        inputs = read_inputs(articles, out=out_dir)
        exit_if_empty(inputs, articles)
        pipeline = Pipeline(open_gazetteer(overrides), lexicon_files=lexicon_files)
        extraction = pipeline.run(inputs)
        written = pipeline.export(extraction.events, out_dir)
        print_summary(len(inputs), extraction.counts(), written)
        return
    run = extract_events(articles, out_dir=out_dir, engine=engine, workers=workers, scheduler=scheduler,
                         lexicon_files=lexicon_files, overrides=overrides)
    print_summary(run.articles, run.counts(), run.export(out_dir))


def extract_events(articles: tuple[str, ...], *, out_dir: Path, engine: str, workers: int, scheduler: str | None,
                   lexicon_files: tuple[Path, ...], overrides: Path | None):  # -> geo.engines.EngineRun
    """Run the chosen engine on ARTICLES, warnings and progress on stderr; exit 1 when none is readable.

    The gazetteer is opened here first (its index built if needed, override problems
    reported), so the workers only open it.  The dask engine keeps its store in ``out_dir/store``.
    """
    from geo.engines import PipelineSpec, run_engine
    from geo.pipeline import Pipeline
    from geo.read import find_inputs
    from maps.build import check_out_dir

    check_out_dir(out_dir)  # an unwritable --out fails now, not after the extraction
    paths = find_inputs(list(articles), on_warning=_warn, exclude=[out_dir])
    pipeline = Pipeline(open_gazetteer(overrides), lexicon_files=lexicon_files)
    spec = PipelineSpec.load(overrides=overrides, lexicon_files=lexicon_files, pin_cache=scheduler is None)
    run = run_engine(paths, engine=engine, workers=workers, scheduler=scheduler, store=out_dir / "store",
                     spec=spec, pipeline=pipeline, on_warning=_warn, progress=_progress_line())
    if not run.articles:
        exit_if_empty([], articles)
    return run


def print_summary(articles: int, counts: dict[str, int], written: dict[str, Path]) -> None:
    """One line of counts on stderr, then the paths written, one a line."""
    described = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "none"
    click.echo(f"{articles} articles, {sum(counts.values())} events ({described})", err=True)
    for path in written.values():
        click.echo(str(path))


def _warn(warning: object) -> None:
    click.echo(f"warning: {warning}", err=True)


def _progress_line() -> Callable[[int, int], None] | None:
    """``partitions 12/40`` rewritten in place on a terminal; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\rpartitions {done}/{total}", err=True, nl=done == total)

    return show
