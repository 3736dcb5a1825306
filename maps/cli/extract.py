"""``conflict-map extract ARTICLES... --out DIR``: events and GIS exports, no map."""

from __future__ import annotations

from pathlib import Path

import click

from .options import exit_if_empty, lexicon_option, open_gazetteer, overrides_option, read_inputs


@click.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for events.geojson, events.gpkg and events.csv.")
@lexicon_option
@overrides_option
def extract(articles: tuple[str, ...], out_dir: Path, lexicon_files: tuple[Path, ...], overrides) -> None:
    """Extract events from ARTICLES (files, folders or globs of .txt .md .html .jsonl) into --out."""
    from geo.pipeline import Pipeline

    inputs = read_inputs(articles)
    exit_if_empty(inputs, articles)
    pipeline = Pipeline(open_gazetteer(overrides), lexicon_files=lexicon_files)
    extraction = pipeline.run(inputs)
    written = pipeline.export(extraction.events, out_dir)
    counts = ", ".join(f"{n} {kind}" for kind, n in extraction.counts().items()) or "none"
    click.echo(f"{len(inputs)} articles, {len(extraction.events)} events ({counts})", err=True)
    for path in written.values():
        click.echo(str(path))
