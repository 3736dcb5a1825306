"""The legend's HTML: a symbol per event type with its count, the region marker, the choropleth classes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from geo.model import EVENT_TYPES

from .choropleth import ramp_for
from .escape import escape_text
from .symbols import EVENT_SYMBOLS, icon_svg

__all__ = ["legend_html"]

_HOLLOW = ('<svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true"><circle cx="11" cy="11" r="8" '
           'fill="#5f6b73" fill-opacity="0.08" stroke="#5f6b73" stroke-width="2" stroke-dasharray="4 3"/></svg>')


def legend_html(type_counts: Mapping[str, int], *, regional: int = 0,
                ramps: Sequence[tuple[str, Sequence[int], bool]] = (), dated: bool = False) -> str:
    """The legend of a map with ``type_counts`` events per type, ``regional`` of them placed at a
    region or country, and one colour ramp per choropleth: ``(layer name, class upper bounds,
    shown at first)``.  A ramp carries ``data-layer``: the page shows it while its layer is on."""
    rows = [f'<div class="cm-row" data-type="{t}">{icon_svg(t, 16)}<span>{escape_text(EVENT_SYMBOLS[t].label)}</span>'
            f'<span class="cm-count">{int(type_counts.get(t, 0))}</span></div>' for t in EVENT_TYPES]
    parts = ["<h4>Events</h4>", *rows]
    parts.append(f'<div class="cm-row" data-type="regional">{_HOLLOW}<span>Placed at a region or country</span>'
                 f'<span class="cm-count">{int(regional)}</span></div>')
    parts.append('<div class="cm-note">Hollow circles are approximate and never clustered; '
                 "numbered discs are clusters of one layer; a larger marker with a red number: people killed.</div>")
    parts += [_ramp_html(name, breaks, shown) for name, breaks, shown in ramps if breaks]
    if dated:
        parts.append('<div class="cm-note">Counts follow the filters and the date range.</div>')
    return "".join(parts)


def _ramp_html(name: str, breaks: Sequence[int], shown: bool) -> str:
    """One choropleth's classes: its name, the colours and the lowest and highest counts."""
    colours = ramp_for(breaks)
    lows = [1, *(bound + 1 for bound in breaks[:-1])]
    labels = [str(high) if low == high else f"{low}–{high}" for low, high in zip(lows, breaks, strict=True)]
    ramp = "".join(f'<span style="background:{colour}" title="{escape_text(label)}"></span>'
                   for colour, label in zip(colours, labels, strict=True))
    hidden = "" if shown else ' style="display:none"'
    return (f'<div class="cm-ramp-block" data-layer="{escape_text(name)}"{hidden}>'
            f'<h4 style="margin-top:6px">{escape_text(name)}</h4><div class="cm-ramp">{ramp}</div>'
            f'<div class="cm-row"><span>{escape_text(labels[0])}</span>'
            f'<span class="cm-count">{escape_text(labels[-1])}</span></div></div>')
