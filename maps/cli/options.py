"""Options and helpers shared by several commands."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import click

overrides_option = click.option(
    "--overrides", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="CSV or TOML file of names -> lat/lon that win over everything (default: from the config).",
)


def open_gazetteer(overrides: Path | None = None):  # -> gazetteer.Gazetteer
    """Open the gazetteer, saying so on stderr when the first run builds the index (:class:`IndexBuildProgress`)."""
    from gazetteer import Gazetteer
    from gazetteer.config import load_settings
    from maps.progress import IndexBuildProgress

    settings = load_settings()
    progress = IndexBuildProgress()
    try:
        gazetteer = Gazetteer.open(settings, overrides=overrides, progress=progress)
    finally:
        progress.close()
    for problem in gazetteer.overrides.problems:
        click.echo(f"warning: {problem}", err=True)
    return gazetteer


lexicon_option = click.option(
    "--lexicon", "lexicon_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra words for a language pack (same layout as geo/languages/<code>.toml, its 'code' naming the pack), "
         "or demonyms (a file whose name contains 'demonyms'); repeatable.",
)


def stream_inputs(specs: tuple[str, ...], *, out: Path | None = None) -> Iterator:  # -> Iterator[Article]
    """Articles from files, folders and globs (never from the output folder ``out``), read as they are
    asked for (the first now).  Each unreadable input is one line on stderr (:func:`say_unreadable`): a
    warning once an article has been read, else one of the error lines that end the command."""
    from geo.read import find_inputs, read_articles

    held: list[object] | None = []  # the problems met before the first article

    def note(problem: object) -> None:
        if held is None:
            say_unreadable([problem], specs, readable=True)
        else:
            held.append(problem)

    paths = find_inputs(list(specs), on_warning=note, exclude=[out] if out is not None else [])
    articles = read_articles(paths, on_warning=note)
    first = next(articles, None)
    say_unreadable(held, specs, readable=first is not None)
    held = None
    return itertools.chain([first], articles)


def say_unreadable(problems: list[object], specs: tuple[str, ...], *, readable: bool) -> None:
    """One line on stderr per unreadable input, naming it and what is wrong: a warning when
    other articles were read; otherwise an error, then exit 1 (so one bad file is one line)."""
    if readable:
        for problem in problems:
            click.echo(f"warning: {problem}", err=True)
        return
    for problem in problems:
        click.echo(f"conflict-map: error: {problem}", err=True)
    if not problems:
        click.echo(f"conflict-map: error: no readable article in {' '.join(specs)}", err=True)
    raise SystemExit(1)


review_option = click.option(
    "--review", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Review file of corrections (CSV or TOML, see README) applied to the events "
         "(default: review.csv or review.toml in --out, if there is one).",
)


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
