"""``conflict-map gazetteer info``: sources, versions, counts and cache location."""

from __future__ import annotations

import json

import click

from .options import open_gazetteer, overrides_option
from .tables import print_table


@click.group("gazetteer")
def gazetteer_group() -> None:
    """Inspect the offline gazetteer."""


@gazetteer_group.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@overrides_option
def info(as_json: bool, overrides) -> None:
    """Show the gazetteer's sources, versions, counts and cache location (builds the index if needed)."""
    details = open_gazetteer(overrides).info()
    if as_json:
        click.echo(json.dumps(details, ensure_ascii=False, indent=2))
        return
    rows = [("index", f"{details['index']} ({details['index_bytes'] / 1e6:.1f} MB, built {details['built']} "
                      f"in {details['build_seconds']:.0f} s)")]
    rows += [(kind, f"{count:,}") for kind, count in details["counts"].items()]
    rows += [(f"source {source}", version) for source, version in details["versions"].items()]
    rows += [("overrides", f"{details['overrides']['file'] or '-'} ({details['overrides']['places']} places)"),
             ("extra area files", ", ".join(details["area_files"]) or "-"),
             ("online fallback", details["fallback"] or "off"),
             ("config", details["config"] or "-")]
    print_table(("what", "value"), rows, header=False)
