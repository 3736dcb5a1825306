"""``conflict-map geocode NAME``: ranked places for a name."""

from __future__ import annotations

import json

import click

from .options import open_gazetteer, overrides_option
from .tables import print_table


@click.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of candidates.")
@click.option("--lang", metavar="XX", default=None, help="Language of the name (ISO 639-1), a ranking hint.")
@click.option("--country", metavar="ISO2", default=None, help="Only places in this country.")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True, help="Candidates to print.")
@overrides_option
def geocode(name: str, as_json: bool, lang: str | None, country: str | None, limit: int, overrides) -> None:
    """Resolve NAME (any spelling, any script) to ranked places."""
    from gazetteer import Context

    gazetteer = open_gazetteer(overrides)
    context = Context(lang=lang, country=country.upper() if country else None)
    candidates = gazetteer.resolve(name, context, limit=limit)
    if as_json:
        click.echo(json.dumps([c.as_json() for c in candidates], ensure_ascii=False, indent=2))
        return
    if not candidates:
        click.echo(f"no place found for {name!r}", err=True)
        raise SystemExit(1)
    rows = [(f"{c.score:.2f}", c.place.name, c.place.kind, c.place.country_iso2 or "", c.place.admin1 or "",
             f"{c.place.lat:.4f}", f"{c.place.lon:.4f}", str(c.place.geonameid or ""), c.method) for c in candidates]
    print_table(("score", "name", "kind", "country", "admin-1", "lat", "lon", "geonameid", "method"), rows)
