"""The ``conflict-map`` command group; each subcommand lives in its own module."""

from __future__ import annotations

import signal
import sys

import click

from .assets import assets_group
from .build import build
from .eval import evaluate
from .extract import extract
from .gazetteer_info import gazetteer_group
from .geocode import geocode
from .map import map_command
from .parse import parse
from .review import review_group


class _Group(click.Group):
    """Turns the project's errors into one line on stderr and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from gazetteer.errors import GazetteerError
        from geo.errors import InputError, OutputError

        _exit_on_sigterm()
        try:
            return super().invoke(ctx)
        except (GazetteerError, InputError, OutputError) as error:
            click.echo(f"conflict-map: error: {error}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("conflict-map: interrupted", err=True)
            sys.exit(130)


def _exit_on_sigterm() -> None:
    """SIGTERM ends the command as Ctrl-C does, through every ``finally`` (staging folders removed)."""
    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread (a test runner's worker): leave the default
        pass


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="conflict-map")
def cli() -> None:
    """Geoparse conflict news into events, GIS exports and layered maps, offline.

    Exit status: 0 done (warnings about skipped inputs go to stderr), 1 no readable
    article, 2 an error that stopped the command (one line on stderr).
    """


for command in (geocode, gazetteer_group, parse, extract, evaluate, build, map_command, assets_group,
                review_group):
    cli.add_command(command)
