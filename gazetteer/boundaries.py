"""The vendored region polygons: Natural Earth admin-1 units and countries.

Both come from ``scripts/rebuild_boundaries.py`` (see ``data/PROVENANCE.md``)
and are read with pyogrio; geopandas is imported only when they are needed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .sources import ADMIN1_FILE, COUNTRIES_FILE

if TYPE_CHECKING:
    import geopandas

__all__ = ["admin1_units", "countries"]


def _read(path: Path) -> "geopandas.GeoDataFrame":
    import pyogrio

    return pyogrio.read_dataframe(f"/vsigzip/{path}")  # gzipped FlatGeobuf, read through GDAL


@cache
def admin1_units() -> "geopandas.GeoDataFrame":
    """Admin-1 units: adm1_code, iso_3166_2, country_iso2, name, names (JSON), label point, polygon."""
    return _read(ADMIN1_FILE)


@cache
def countries() -> "geopandas.GeoDataFrame":
    """Countries (admin-1 dissolved): country_iso2, label point, polygon."""
    return _read(COUNTRIES_FILE)


def country_labels() -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon) of the point a country is drawn and geocoded at."""
    frame = countries()
    return {
        row.country_iso2: (float(row.label_lat), float(row.label_lon))
        for row in frame.drop(columns="geometry").itertuples(index=False)
    }
