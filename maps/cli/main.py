"""The ``conflict-map`` command group; each subcommand lives in its own module."""

from __future__ import annotations

import sys

import click

from .gazetteer_info import gazetteer_group
from .geocode import geocode


class _Group(click.Group):
    """Turns the project's errors into one line on stderr and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from gazetteer.errors import GazetteerError

        try:
            return super().invoke(ctx)
        except GazetteerError as error:
            click.echo(f"conflict-map: error: {error}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("conflict-map: interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="conflict-map")
def cli() -> None:
    """Geoparse conflict news into events, GIS exports and layered maps, offline."""


cli.add_command(geocode)
cli.add_command(gazetteer_group)
