"""``conflict-map extract ARTICLES... --out DIR``: events and GIS exports, no map."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .build import make_builder, report, run_job
from .options import engine_options, lexicon_option, overrides_option, review_option


@click.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for events.geojson, events.gpkg and events.csv.")
@review_option
@lexicon_option
@overrides_option
@engine_options
def extract(articles: tuple[str, ...], out_dir: Path, review: Path | None, lexicon_files: tuple[Path, ...],
            overrides, engine: str, workers: int, scheduler: str | None) -> None:
    """Extract events from ARTICLES (files, folders or globs of .txt .md .html .jsonl) into --out."""
    started = time.perf_counter()
    builder = make_builder(out_dir, overrides=overrides, lexicon_files=lexicon_files, review=review, engine=engine,
                           workers=workers, scheduler=scheduler, render=False)
    report(run_job(builder, articles), started, builder)
