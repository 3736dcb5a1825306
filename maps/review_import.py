"""The differences between an edited export (GeoJSON or GeoPackage) and the last build, as corrections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.errors import InputError
from geo.model import EVENT_TYPES
from geo.review import Correction

from .events_file import geojson_features
from .events_gpkg import plain_cell, read_gpkg_events

__all__ = ["edits_as_corrections"]

_MOVED_DEGREES = 1e-6  # coordinates are written with 6 decimals
_EDITABLE = ("event_type", "fatalities", "injured", "note", "reviewed")


def edits_as_corrections(edited: Path, built: Path) -> tuple[list[Correction], list[str]]:
    """Corrections that turn the events of ``built`` (``DIR/events.geojson``) into those of
    ``edited``, in the built file's order; and warnings about edits that cannot be kept.

    Raises :class:`InputError` naming the file that cannot be read.
    """
    before = _features(built, "the last build's events")
    after = _features(edited, "the edited export")
    corrections: list[Correction] = []
    warnings = [f"{edited}: event {event_id} is not in the last build; a new feature is not imported"
                for event_id in after if event_id not in before]
    where = str(edited)
    for event_id, (old, old_point) in before.items():
        if event_id not in after:
            corrections.append(Correction(event_id, "drop", where))
            continue
        new, new_point = after[event_id]
        if new_point is not None and old_point is not None and _moved(old_point, new_point):
            corrections.append(Correction(event_id, "move", where, lat=round(new_point[1], 6),
                                          lon=round(new_point[0], 6)))
        if new.get("event_type") != old.get("event_type"):
            if new.get("event_type") not in EVENT_TYPES:
                warnings.append(f"{edited}: event {event_id}: event_type {new.get('event_type')!r} is not one of "
                                f"{', '.join(EVENT_TYPES)}; not imported")
            else:
                corrections.append(Correction(event_id, "retype", where, event_type=new["event_type"]))
        figures = {name: _count(new.get(name)) for name in ("fatalities", "injured")
                   if _count(new.get(name)) != _count(old.get(name))}
        if figures:
            corrections.append(Correction(event_id, "set", where, clear=tuple(n for n, v in figures.items() if v is None),
                                          **{n: v for n, v in figures.items() if v is not None}))
        note = (new.get("note") or "").strip() or None
        if note and note != (old.get("note") or None):
            corrections.append(Correction(event_id, "note", where, note=note))
        if _flag(new.get("reviewed")) and not _flag(old.get("reviewed")):
            corrections.append(Correction(event_id, "reviewed", where))
    return corrections, warnings


def _features(path: Path, what: str) -> dict[str, tuple[dict[str, Any], tuple[float, float] | None]]:
    """event_id -> (the editable properties, (lon, lat)) of a GeoJSON or GeoPackage file."""
    if not path.is_file():
        raise InputError(f"{path}: no such file ({what}); build first, then edit its events.geojson or .gpkg")
    if path.suffix.lower() == ".gpkg":
        return _gpkg_features(path)
    features = geojson_features(path, empty=True)  # the map's own reader: one line naming the problem
    result = {}
    try:
        for feature in features:
            properties = feature.get("properties") or {}
            geometry = feature.get("geometry") or {}
            point = tuple(geometry["coordinates"][:2]) if geometry.get("type") == "Point" else None
            result[str(properties["event_id"])] = ({k: properties.get(k) for k in _EDITABLE}, point)
    except (AttributeError, KeyError, TypeError, IndexError) as error:
        raise InputError(f"{path}: not a GeoJSON FeatureCollection of events with event_id ({what}): "
                         f"{type(error).__name__}") from None
    return result


def _gpkg_features(path: Path) -> dict[str, tuple[dict[str, Any], tuple[float, float] | None]]:
    frame = read_gpkg_events(path)  # the map's own reader: one line naming the problem
    if "event_id" not in frame.columns:
        raise InputError(f"{path}: the 'events' layer has no event_id column")
    result = {}
    for row, geometry in zip(frame.to_dict("records"), frame.geometry, strict=True):
        point = (geometry.x, geometry.y) if geometry is not None and geometry.geom_type == "Point" else None
        result[str(row["event_id"])] = ({k: plain_cell(row.get(k)) for k in _EDITABLE}, point)
    return result


def _moved(old: tuple[float, float], new: tuple[float, float]) -> bool:
    return abs(old[0] - new[0]) > _MOVED_DEGREES or abs(old[1] - new[1]) > _MOVED_DEGREES


def _count(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, (int, float)) and value == 1) or str(value).lower() in ("true", "1")
