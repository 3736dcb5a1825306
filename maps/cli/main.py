"""The ``conflict-map`` command group; each subcommand lives in its own module, imported when it is run."""

from __future__ import annotations

import importlib
import signal
import sys

import click

#: Each subcommand's module and object under ``maps.cli``: a command imports its own module only (``parse`` none
#: of what ``build`` or ``eval`` need).
_COMMANDS = {"geocode": "geocode:geocode", "gazetteer": "gazetteer_info:gazetteer_group", "parse": "parse:parse",
             "extract": "extract:extract", "eval": "eval:evaluate", "build": "build:build", "map": "map:map_command",
             "assets": "assets:assets_group", "review": "review:review_group"}


class _Group(click.Group):
    """Imports a subcommand's module when it is asked for (:data:`_COMMANDS`); turns the project's errors into
    one line on stderr and exit status 2, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in _COMMANDS:
            module, attribute = _COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(f"{__package__}.{module}"), attribute), name)
        return self.commands.get(name)

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
