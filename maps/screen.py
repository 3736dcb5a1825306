"""Polygons made small enough to embed in a page: for drawing, never for analysis."""

from __future__ import annotations

from typing import Any

__all__ = ["screen_geometry", "GRID"]

#: Coordinates are rounded to this many degrees (about 100 m).
GRID = 0.001


def screen_geometry(geometry: Any, tolerance: float) -> Any:
    """``geometry`` (a GeoSeries or array) simplified by ``tolerance`` degrees and rounded to :data:`GRID`.

    Neither step preserves topology (that is several times slower): a sliver may cross
    itself or vanish (empty), which a browser draws or skips without complaint.
    """
    import numpy as np
    import shapely

    values = getattr(geometry, "values", geometry)
    simplified = shapely.simplify(np.asarray(values, dtype=object), tolerance, preserve_topology=False)
    return shapely.transform(simplified, lambda xy: np.round(xy / GRID) * GRID)
