"""The event taxonomy as data: one registry read from ``event_types.toml``.

Each type's layer, ACLED and CAMEO codes, placement behaviour, symbol and whether
``eval`` scores it live in that file; code asks :data:`EVENT_TYPES` and never
branches on a type's name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EventType", "EVENT_TYPES", "LAYERS", "LAYER_COLOURS", "PLACEMENTS", "event_type", "scored_types"]

_REGISTRY = Path(__file__).with_name("event_types.toml")
PLACEMENTS = ("target", "venue", "destination")


@dataclass(frozen=True)
class EventType:
    """One event type of the contract taxonomy."""

    name: str
    layer: str
    label: str
    colour: str
    shape: str
    placement: str
    specificity: int
    weight: float
    family: str
    scored: bool
    figurative: bool
    cameo: str
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    fire: bool = False  # a kind of remote fire: two kinds a text lists side by side are an event each


def _load() -> tuple[dict[str, EventType], dict[str, str]]:
    with _REGISTRY.open("rb") as handle:
        document = tomllib.load(handle)
    layer_colours = dict(document.pop("layers"))
    types = {name: EventType(name=name, **table) for name, table in document.items()}
    for t in types.values():
        if t.layer not in layer_colours:
            raise ValueError(f"{_REGISTRY}: [{t.name}] names layer {t.layer!r}, which [layers] lacks")
        if t.placement not in PLACEMENTS:
            raise ValueError(f"{_REGISTRY}: [{t.name}] placement must be one of {', '.join(PLACEMENTS)}")
    return types, layer_colours


#: event_type -> its registry entry, in taxonomy order.
EVENT_TYPES: dict[str, EventType]
#: layer -> colour, in legend order.
LAYER_COLOURS: dict[str, str]
EVENT_TYPES, LAYER_COLOURS = _load()
#: event_type -> map layer (contract).
LAYERS: dict[str, str] = {name: t.layer for name, t in EVENT_TYPES.items()}


def event_type(name: str) -> EventType:
    """The registry entry of ``name`` (KeyError for a type the taxonomy lacks)."""
    return EVENT_TYPES[name]


def scored_types() -> tuple[str, ...]:
    """The types ``conflict-map eval`` scores by default."""
    return tuple(name for name, t in EVENT_TYPES.items() if t.scored)
