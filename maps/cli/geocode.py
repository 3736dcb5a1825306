"""``conflict-map geocode NAME``: ranked places for a name."""

from __future__ import annotations

import json

import click

from .options import open_gazetteer, overrides_option


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
    from rich.console import Console
    from rich.table import Table

    table = Table("score", "name", "kind", "country", "admin-1", "lat", "lon", "geonameid", "method")
    for c in candidates:
        p = c.place
        table.add_row(f"{c.score:.2f}", p.name, p.kind, p.country_iso2 or "", p.admin1 or "",
                      f"{p.lat:.4f}", f"{p.lon:.4f}", str(p.geonameid or ""), c.method)
    Console().print(table)
