"""``conflict-map parse FILE``: the place names of an article (or of every article of a JSONL file)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import lexicon_option, open_gazetteer, overrides_option, stream_inputs
from .tables import print_table


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (always JSON lines for a .jsonl input).")
@click.option("--demonyms", is_flag=True,
              help="Tag demonyms (American, Palestinians) as their country, as the public corpora do.")
@lexicon_option
@overrides_option
def parse(source: Path, as_json: bool, demonyms: bool, lexicon_files: tuple[Path, ...], overrides) -> None:
    """Recognise and resolve the toponyms of SOURCE (an article, or a .jsonl file of articles)."""
    from geo.collector import one_article
    from geo.lexicon import load_lexicon
    from geo.read import read_ahead
    from geo.recognize import Recognizer

    articles = read_ahead(stream_inputs((str(source),)))
    recognizer = Recognizer(open_gazetteer(overrides), load_lexicon(tuple(sorted(lexicon_files))))
    batch = source.suffix.lower() == ".jsonl"
    for article in articles:
        with one_article():
            found = recognizer.toponyms(article.text, article.lang)
            if demonyms:
                found = recognizer.with_demonyms(article.text, found)
        toponyms = [t.as_json() for t in found]
        if batch:
            click.echo(json.dumps({"id": article.article_id, "toponyms": toponyms}, ensure_ascii=False))
        elif as_json:
            click.echo(json.dumps(toponyms, ensure_ascii=False, indent=2))
        else:
            _print_table(article.article_id, toponyms)


def _print_table(article_id: str, toponyms: list[dict]) -> None:
    rows = [(str(t["start"]), str(t["end"]), t["name"], t["place"], t["kind"], t["country_iso2"] or "",
             f"{t['lat']:.4f}", f"{t['lon']:.4f}", f"{t['score']:.2f}") for t in toponyms]
    print_table(("start", "end", "mention", "place", "kind", "country", "lat", "lon", "score"), rows, title=article_id)
