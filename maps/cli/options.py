"""Options and helpers shared by several commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

overrides_option = click.option(
    "--overrides", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="CSV or TOML file of names -> lat/lon that win over everything (default: from the config).",
)


def open_gazetteer(overrides: Path | None = None):  # -> gazetteer.Gazetteer
    """Open the gazetteer, saying so on stderr when the first run builds the index."""
    from gazetteer import Gazetteer
    from gazetteer.config import load_settings

    settings = load_settings()
    gazetteer = Gazetteer.open(settings, overrides=overrides, progress=sys.stderr.isatty())
    for problem in gazetteer.overrides.problems:
        click.echo(f"warning: {problem}", err=True)
    return gazetteer
