"""``--tiles NAME``: a basemap provider from xyzservices (``OpenStreetMap.Mapnik``, ``Esri.WorldImagery``, ...)."""

from __future__ import annotations

import difflib

from .errors import TilesError

__all__ = ["DEFAULT_TILES", "tile_provider"]

DEFAULT_TILES = "OpenStreetMap"


def tile_provider(name: str):  # -> xyzservices.TileProvider
    """The xyzservices provider called ``name`` (case and punctuation ignored).

    A group name (``OpenStreetMap``, ``Esri``) gives its first provider.  Raises
    :class:`TilesError` with close names for an unknown name, and for a provider that
    needs an API key.
    """
    import xyzservices

    providers = xyzservices.providers
    try:
        provider = providers.query_name(name)
    except ValueError:
        group = next((value for key, value in providers.items() if key.lower() == name.strip().lower()), None)
        if isinstance(group, xyzservices.Bunch) and not isinstance(group, xyzservices.TileProvider):
            provider = next(iter(group.flatten().values()))
        else:
            known = list(providers.flatten())
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(close)}?" if close else "e.g. OpenStreetMap.Mapnik, Esri.WorldImagery"
            raise TilesError(f"--tiles {name!r}: no such xyzservices provider; {hint}") from None
    if provider.requires_token():
        raise TilesError(f"--tiles {name!r}: provider {provider.name} needs an API key; choose another "
                         "(e.g. OpenStreetMap.Mapnik) or --offline")
    return provider
