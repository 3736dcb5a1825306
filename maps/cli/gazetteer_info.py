"""``conflict-map gazetteer info``: sources, versions, counts and cache location."""

from __future__ import annotations

import json

import click

from .options import open_gazetteer, overrides_option


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
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table("what", "value", show_header=False)
    table.add_row("index", f"{details['index']} ({details['index_bytes'] / 1e6:.1f} MB, built {details['built']} "
                  f"in {details['build_seconds']:.0f} s)")
    for kind, count in details["counts"].items():
        table.add_row(f"{kind}", f"{count:,}")
    for source, version in details["versions"].items():
        table.add_row(f"source {source}", version)
    table.add_row("overrides", f"{details['overrides']['file'] or '-'} ({details['overrides']['places']} places)")
    table.add_row("extra area files", ", ".join(details["area_files"]) or "-")
    table.add_row("online fallback", details["fallback"] or "off")
    table.add_row("config", details["config"] or "-")
    console.print(table)
