"""Exceptions of ``maps``, each carrying a one-line message for the user.

They subclass :mod:`geo.errors`, so the command line turns them into one line on stderr
and exit status 2 like every other input or output problem.
"""

from __future__ import annotations

from geo.errors import InputError, OutputError

__all__ = ["AssetError", "OfflineReferenceError", "EventsFileError", "TilesError"]


class AssetError(OutputError):
    """The scripts and stylesheets of an ``--offline`` map cannot be installed or found."""


class OfflineReferenceError(OutputError):
    """An ``--offline`` map would still load something over the network."""


class EventsFileError(InputError):
    """A GeoJSON of events cannot be mapped: the message names the file and the feature."""


class TilesError(InputError):
    """``--tiles`` names no usable xyzservices provider."""
