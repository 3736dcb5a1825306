"""``conflict-map review import EDITED --out DIR``: an analyst's edits of an export become review entries."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("review")
def review_group() -> None:
    """Corrections that survive every rebuild (the review file; see README)."""


@review_group.command("import")
@click.argument("edited", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The build folder whose events.geojson the edits are compared with.")
@click.option("--review", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The review CSV to add the entries to (default: DIR/review.csv).")
def import_command(edited: Path, out_dir: Path, review: Path | None) -> None:
    """Turn the differences between EDITED (.geojson or .gpkg) and the last build into review entries.

    A feature removed becomes drop, a point moved becomes move (lat/lon), a changed
    event_type retype, changed fatalities/injured set, a changed note note, reviewed set
    to true reviewed.  Entries already in the review file are not added twice.
    """
    from geo.review import load_review, write_review
    from maps.review_import import edits_as_corrections

    target = review or out_dir / "review.csv"
    if target.suffix.lower() != ".csv":
        raise click.UsageError(f"{target}: review import writes a .csv review file; name one with --review")
    existing = load_review(target) if target.exists() else []
    found, warnings = edits_as_corrections(edited, out_dir / "events.geojson")
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    known = {tuple(sorted(c.row().items())) for c in existing}
    added = [c for c in found if tuple(sorted(c.row().items())) not in known]
    if added:
        write_review(target, [*existing, *added])
    click.echo(f"conflict-map review import: {len(added)} correction{'s' if len(added) != 1 else ''} added to "
               f"{target} ({len(found) - len(added)} already there); the next build applies them", err=True)
    click.echo(str(target))
