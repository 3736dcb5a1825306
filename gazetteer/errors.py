"""Exceptions of the gazetteer, each carrying a one-line message for the user."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["GazetteerError", "DataFileError", "IndexBuildError", "reading_data_file"]


class GazetteerError(Exception):
    """Base class: the message is one line that names the file and the problem."""


class DataFileError(GazetteerError):
    """A data file (areas, overrides, configuration) cannot be used."""


class IndexBuildError(GazetteerError):
    """The index cannot be built or opened."""


@contextmanager
def reading_data_file(path: Path, what: str, error: type[Exception] = DataFileError) -> Iterator[None]:
    """Turn what can go wrong while reading the user's ``what`` file (overrides, review ...) into
    one ``error`` naming ``path`` and the problem."""
    try:
        yield
    except IsADirectoryError:
        raise error(f"{path}: the {what} file is a folder; name a .csv or .toml file") from None
    except FileNotFoundError:
        raise error(f"{path}: no such {what} file") from None
    except OSError as problem:
        raise error(f"{path}: cannot read the {what} file: {problem.strerror or problem}") from None
    except UnicodeDecodeError:
        raise error(f"{path}: the {what} file is not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{path}: invalid TOML: {problem}") from None
