"""Classes of event counts and their colours: one ramp for the map's choropleths and the GeoPackage's styles."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["RAMP", "class_breaks", "ramp_for"]

#: Sequential colours (ColorBrewer YlOrRd, 5 classes), light to dark.
RAMP: tuple[str, ...] = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")


def class_breaks(values: Sequence[int], classes: int = len(RAMP)) -> list[int]:
    """Upper bounds of at most ``classes`` classes: one per distinct value when few, else quantiles."""
    import numpy as np

    distinct = sorted({int(v) for v in values if v > 0})
    if len(distinct) <= classes:
        return distinct
    quantiles = np.quantile(np.asarray(values, dtype=float), np.linspace(0, 1, classes + 1)[1:])
    return sorted({int(np.ceil(q)) for q in quantiles} | {distinct[-1]})


def ramp_for(breaks: Sequence[int]) -> tuple[str, ...]:
    """The colour of each class: the darker end of :data:`RAMP` when there are fewer classes than colours."""
    return RAMP[len(RAMP) - len(breaks):] if breaks else ()
