"""Exceptions of the gazetteer, each carrying a one-line message for the user."""

from __future__ import annotations

__all__ = ["GazetteerError", "DataFileError", "IndexBuildError"]


class GazetteerError(Exception):
    """Base class: the message is one line that names the file and the problem."""


class DataFileError(GazetteerError):
    """A data file (areas, overrides, configuration) cannot be used."""


class IndexBuildError(GazetteerError):
    """The index cannot be built or opened."""
