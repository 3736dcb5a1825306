"""What the map's search box knows: every event place and named area, under each of its names.

One :class:`SearchEntry` per place (or named area): the label the reader sees (the
gazetteer's name), where to go, and every alias it answers to: the names written in the
articles, the gazetteer's alternate names in every script (GeoNames, via the event's
``geonameid``) and, for named areas, the names of the areas file.  Names are plain text here; the page shows them with
``textContent`` only (:class:`maps.elements.PlaceSearch`), never as HTML.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .layers import EventPoint

__all__ = ["SearchEntry", "search_entries", "search_key", "MAX_ALIASES"]

#: Aliases kept per place.  GeoNames lists up to hundreds of names a place, most of them
#: transliterations no reader types; every alias costs page weight and load time (the page
#: folds each one).  The names the articles wrote and the named areas' names come first, then
#: the gazetteer's, taken in turn from each script (Latin, Cyrillic, Arabic, Armenian, Greek,
#: Hebrew, Georgian, then the others), shortest first within a script.
MAX_ALIASES = 48
_SCRIPT_ORDER = ("LATIN", "CYRILLIC", "ARABIC", "ARMENIAN", "GREEK", "HEBREW", "GEORGIAN")


@dataclass
class SearchEntry:
    """One searchable place: ``label`` shown, ``aliases`` matched (the label's own words first)."""

    label: str
    lat: float
    lon: float
    kind: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None


def search_key(text: str) -> str:
    """The form names and queries are compared in: case-folded, accents removed, spaces squeezed
    (the page applies the same steps in JavaScript: NFD, drop combining marks, lower case)."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())


def search_entries(points: Sequence["EventPoint"], *, gazetteer=None,
                   area_files: Iterable[str | PathLike[str]] = ()) -> list[SearchEntry]:
    """The search entries of a map's events: one per event place, one per named area holding an event.

    Parameters
    ----------
    points
        The events drawn (:func:`maps.layers.event_points`).
    gazetteer
        Where the alternate names of each ``geonameid`` come from (default: the user's
        gazetteer); events from a user's GeoJSON keep at least their own names.
    area_files
        Extra named-area files (their names are searchable too).
    """
    places: dict[tuple[Any, ...], SearchEntry] = {}
    geonameids: dict[tuple[Any, ...], int] = {}
    for point in points:
        props = point.properties
        name = _text(props.get("place_name"))
        if not name:
            continue
        geonameid = _int(props.get("geonameid"))
        key = ("gn", geonameid) if geonameid else ("name", name, _text(props.get("country_iso2")))
        entry = places.get(key)
        if entry is None:
            entry = places[key] = SearchEntry(name, point.lat, point.lon, "place", [name],
                                              _text(props.get("country_iso2")))
            if geonameid:
                geonameids[key] = geonameid
        entry.aliases.append(name)
        mention = _text(props.get("place_mention"))
        if mention:
            entry.aliases.append(mention)
    gazetteer_names: dict[int, list[str]] = {}
    if geonameids:
        names = _gazetteer(gazetteer).index.names_by_geonameid(geonameids.values())
        gazetteer_names = {id(places[key]): names.get(geonameid, []) for key, geonameid in geonameids.items()}
    entries = list(places.values())
    by_label = {entry.label: entry for entry in entries}
    for area in _area_entries(points, area_files):
        same = by_label.get(area.label)
        if same is None:
            entries.append(area)
        else:  # an event placed at the area itself: one entry
            same.aliases.extend(area.aliases)
            same.kind = "area"
    for entry in entries:
        entry.aliases = _capped(entry.aliases, gazetteer_names.get(id(entry), ()))
    _disambiguate(entries)
    return sorted(entries, key=lambda entry: (search_key(entry.label), entry.label))


# --------------------------------------------------------------------------- helpers


def _area_entries(points: Sequence["EventPoint"], area_files: Iterable[str | PathLike[str]]) -> list[SearchEntry]:
    """The named areas holding an event, at their label point (or the middle of their polygons)."""
    held: dict[str, None] = {}
    for point in points:
        for area in _areas_of(point.properties):
            held.setdefault(area, None)
    if not held:
        return []
    from pathlib import Path

    from gazetteer.areas import load_areas
    from geo.join import named_area_polygons

    definitions = {area.name: area for area in load_areas([Path(p) for p in area_files])}
    polygons = named_area_polygons(tuple(area_files)).drop_duplicates("area").set_index("area")
    entries = []
    for name in held:
        area = definitions.get(name)
        if area is not None and area.label is not None:
            lat, lon = area.label
        elif name in polygons.index:
            middle = polygons.loc[name].geometry.representative_point()
            lat, lon = middle.y, middle.x
        else:
            continue
        aliases = [name, *(alias for alias, _ in area.names)] if area is not None else [name]
        entries.append(SearchEntry(name, float(lat), float(lon), "area", aliases))
    return entries


def _areas_of(props: dict[str, Any]) -> list[str]:
    areas = props.get("areas")
    if isinstance(areas, str):
        return [areas] if areas else []
    if areas is not None and not isinstance(areas, bytes | dict):
        try:
            return [area for area in areas if isinstance(area, str) and area]
        except TypeError:
            pass
    area = _text(props.get("area"))
    return [area] if area else []


def _disambiguate(entries: list[SearchEntry]) -> None:
    """Labels shared by several entries get the entry's kind or country (``Rabat (MA)``)."""
    seen: dict[str, list[SearchEntry]] = {}
    for entry in entries:
        seen.setdefault(entry.label, []).append(entry)
    for label, same in seen.items():
        if len(same) < 2:
            continue
        for number, entry in enumerate(same, start=1):
            suffix = "named area" if entry.kind == "area" else entry.country or str(number)
            entry.label = f"{label} ({suffix})"


def _capped(own: Iterable[str], gazetteer_names: Sequence[str]) -> list[str]:
    """At most :data:`MAX_ALIASES` distinct aliases (by :func:`search_key`): ``own`` first, then
    ``gazetteer_names`` in turn by script, shortest first within one."""
    kept: dict[str, str] = {}
    for name in (*own, *_by_script(gazetteer_names)):
        if len(kept) >= MAX_ALIASES:
            break
        if isinstance(name, str) and name.strip():
            kept.setdefault(search_key(name), name.strip())
    return list(kept.values())


def _by_script(names: Sequence[str]) -> list[str]:
    """``names`` taken in turn from each script (:data:`_SCRIPT_ORDER`, then the others), shortest first."""
    if len(names) <= MAX_ALIASES:
        return list(names)
    groups: dict[str, list[str]] = {}
    for name in names:
        if isinstance(name, str):
            groups.setdefault(_script(name), []).append(name)
    order = sorted(groups, key=lambda script: (_SCRIPT_ORDER.index(script) if script in _SCRIPT_ORDER
                                               else len(_SCRIPT_ORDER), script))
    queues = [sorted(groups[script], key=len) for script in order]
    return [queue[i] for i in range(max(map(len, queues), default=0)) for queue in queues if i < len(queue)]


def _script(name: str) -> str:
    """The script of a name's first letter (the first word of its Unicode name: LATIN, ARABIC...)."""
    for char in name:
        if char.isalpha():
            return "LATIN" if char.isascii() else unicodedata.name(char, "OTHER").split(" ")[0]
    return "OTHER"


def _gazetteer(gazetteer):
    if gazetteer is None:
        from gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    return gazetteer


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number == number and number.is_integer() and number > 0 else None
