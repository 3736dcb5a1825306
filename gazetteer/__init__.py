"""Offline, multilingual gazetteer: names in any script to places, ranked with context.

>>> from gazetteer import resolve
>>> resolve("Степанакерт")[0].place.geonameid
146970
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from .core import Gazetteer
from .errors import DataFileError, GazetteerError, IndexBuildError
from .normalize import fold
from .place import KINDS, LOCALITY, Candidate, Context, Place

if TYPE_CHECKING:
    from .geocoder import OfflineGazetteer

__all__ = ["Gazetteer", "OfflineGazetteer", "Candidate", "Context", "Place", "KINDS", "LOCALITY", "resolve", "fold",
           "default_gazetteer", "GazetteerError", "DataFileError", "IndexBuildError"]


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer with the user's settings, opened once per process."""
    return Gazetteer.open()


def resolve(name: str, context: Context | None = None, *, limit: int = 10) -> list[Candidate]:
    """Ranked candidates for ``name`` from the default gazetteer."""
    return default_gazetteer().resolve(name, context, limit=limit)


def __getattr__(name: str) -> object:
    if name == "OfflineGazetteer":  # imports geopy: only when asked for
        from .geocoder import OfflineGazetteer

        return OfflineGazetteer
    raise AttributeError(name)
