"""``conflict-map map EVENTS.geojson --out map.html``: the map of an existing (maybe hand-corrected) GeoJSON."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .options import open_gazetteer


@click.command("map")
@click.argument("events_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write; its folder must exist.")
@click.option("--offline", is_flag=True,
              help="No tile server: the shipped boundaries are the basemap; fail if anything would be fetched.")
@click.option("--tiles", default="OpenStreetMap", show_default=True, metavar="NAME",
              help="Basemap: an xyzservices provider name; ignored with --offline.")
@click.option("--title", default=None, metavar="TEXT", help="The map's title (default: conflict-map: N events).")
@click.option("-v", "--verbose", is_flag=True, help="Say what was drawn.")
def map_command(events_file: Path, out_file: Path, offline: bool, tiles: str, title: str | None,
                verbose: bool) -> None:
    """Draw EVENTS_FILE (a GeoJSON or GeoPackage of events, e.g. an events.gpkg corrected in QGIS) as a layered map."""
    from maps.build import ensure_offline_assets
    from maps.events_file import read_events_file
    from maps.progress import Reporter
    from maps.render import render_map
    from maps.tiles import tile_provider

    _refuse_overwriting_data(events_file, out_file)
    if not offline:
        tile_provider(tiles)
    gazetteer = open_gazetteer()
    area_files = tuple(gazetteer.settings.area_files)
    frame = read_events_file(events_file, area_files=area_files)
    reporter = Reporter(verbose=verbose)
    if offline:
        ensure_offline_assets(reporter)
    with reporter.task("Drawing the map"):
        summary = render_map(frame, out_file, offline=offline, tiles=tiles, title=title, area_files=area_files,
                             gazetteer=gazetteer)
    reporter.detail(f"layers: {summary['per_layer']}; visitor lines: {summary['visitor_lines']}")
    works = "works with no internet" if summary["scripts"] == "inlined" else f"scripts {summary['scripts']}"
    click.echo(f"{summary['drawn']} events drawn, {summary['bytes'] / 1e6:.1f} MB, {works}", err=True)
    click.echo(str(out_file))


def _refuse_overwriting_data(events_file: Path, out_file: Path) -> None:
    """--out must not be the events file itself, nor any other existing file that is not a web page:
    the user's corrected GeoJSON is not to be replaced by HTML."""
    from geo.errors import OutputError

    if out_file.exists() and events_file.exists() and os.path.samefile(events_file, out_file):
        raise OutputError(f"{out_file}: --out is the events file itself; name another file (map.html)")
    if out_file.exists() and out_file.suffix.lower() not in (".html", ".htm"):
        raise OutputError(f"{out_file}: exists and is not a web page (.html); name another file (map.html)")
