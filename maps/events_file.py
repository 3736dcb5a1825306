"""Reading a file of events to map, such as an ``events.geojson`` or ``events.gpkg`` an analyst corrected in QGIS.

A GeoPackage (named ``.gpkg``, or any SQLite file) is read by :mod:`maps.events_gpkg`
into the same features a GeoJSON gives, and checked alike.

Stricter than :func:`geo.export.read_events_geojson`: every feature must be a Point (or a
one-point MultiPoint, as QGIS may save) with finite WGS84 lon/lat in range, carry every
contract property and a known ``event_type``; the first problem is reported naming the
file, the feature's number and its ``event_id``.  The properties the contract gained later
(:data:`OPTIONAL_PROPERTIES`) may be missing, so an older file still loads; ``fatalities``
and ``injured`` must be whole numbers from 0, or null.  Lists that a GIS saved as JSON
text (``"[\\"AZ\\"]"``) are read back as lists; ``layer`` and the ACLED types follow
``event_type``; admin-1 units and named areas are joined again from the (possibly moved)
points, so corrections carry through to the map.
"""

from __future__ import annotations

import json
import math
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.frame import PROPERTY_COLUMNS
from geo.model import EVENT_TYPES, acled_types, layer_of
from geo.textform import scrub_surrogates

from .errors import EventsFileError
from .events_gpkg import SQLITE_MAGIC

if TYPE_CHECKING:
    import geopandas

__all__ = ["read_events_file", "geojson_features", "OPTIONAL_PROPERTIES"]

#: Contract properties an older ``events.geojson`` lacks: a missing list reads as empty, a figure as null
#: (the ACLED types follow ``event_type`` in any case).
OPTIONAL_PROPERTIES = ("actor_mentions", "fatalities", "injured", "acled_event_type", "acled_sub_event_type",
                       "date_start", "date_end", "reviewed", "note")
_LIST_PROPERTIES = ("actors", "actor_mentions", "sources")
_COUNT_PROPERTIES = ("fatalities", "injured")


#: properties that are text or null (anything else would reach the page or the joins unchecked)
_TEXT_PROPERTIES = ("event_id", "place_name", "place_mention", "country_iso2", "admin1", "admin1_code", "area",
                    "date", "date_precision", "date_start", "date_end", "note")


def read_events_file(path: str | PathLike[str], *, area_files=()) -> "geopandas.GeoDataFrame":
    """The events of a GeoJSON FeatureCollection or a GeoPackage's ``events`` layer as a joined events frame, in file order.

    Raises :class:`maps.errors.EventsFileError` (one line: file, feature, problem).
    """
    from geo.frame import frame_from_records
    from geo.join import join_regions

    path = Path(path)
    features = _geopackage_features(path) if _is_geopackage(path) else geojson_features(path)
    records, lons, lats = [], [], []
    for number, feature in enumerate(features, start=1):
        record, (lon, lat) = _feature(feature, f"{path}: feature {number}")
        records.append(record)
        lons.append(lon)
        lats.append(lat)
    frame = frame_from_records(records, lons, lats)
    return join_regions(frame, area_files=area_files)


def geojson_features(path: Path, *, empty: bool = False) -> list[Any]:
    """The features of a GeoJSON FeatureCollection (at least one, unless ``empty`` allows none)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise EventsFileError(f"{path}: no such file") from None
    except OSError as error:
        raise EventsFileError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise EventsFileError(f"{path}: not UTF-8 text; save the GeoJSON as UTF-8 "
                              "(or give a GeoPackage, .gpkg)") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise EventsFileError(f"{path}:{error.lineno}: invalid JSON: {error.msg}") from None
    except RecursionError:
        raise EventsFileError(f"{path}: JSON nested too deeply to be a GeoJSON of events") from None
    try:
        document = _without_surrogates(document)  # a "\\ud800" escape: no page or file could hold it
    except RecursionError:
        raise EventsFileError(f"{path}: JSON nested too deeply to be a GeoJSON of events") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise EventsFileError(f"{path}: not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list) or not (features or empty):
        raise EventsFileError(f"{path}: the FeatureCollection holds no features")
    return features


def _is_geopackage(path: Path) -> bool:
    """Whether ``path`` is named ``.gpkg`` or is an SQLite file (a GeoPackage whatever its name)."""
    if path.suffix.lower() == ".gpkg":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False  # reported when read as GeoJSON


def _geopackage_features(path: Path) -> list[Any]:
    """The ``events`` layer of a GeoPackage (as ``build`` writes it, maybe edited in QGIS) as GeoJSON features."""
    from .events_gpkg import read_gpkg_features

    return read_gpkg_features(path)


def _without_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return scrub_surrogates(value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {scrub_surrogates(key): _without_surrogates(item) for key, item in value.items()}
    return value


def _feature(feature: Any, where: str) -> tuple[dict[str, Any], tuple[float, float]]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise EventsFileError(f"{where}: not a GeoJSON Feature")
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise EventsFileError(f"{where}: has no properties object")
    event_id = properties.get("event_id")
    if event_id is not None:
        where = f"{where} (event_id {event_id})"
    lon, lat = _point(feature.get("geometry"), where)
    missing = [name for name in PROPERTY_COLUMNS if name not in properties and name not in OPTIONAL_PROPERTIES]
    if missing:
        raise EventsFileError(f"{where}: missing contract propert{'ies' if len(missing) > 1 else 'y'} "
                              f"{', '.join(missing)}")
    record = dict(properties)
    event_type = record.get("event_type")
    if event_type not in EVENT_TYPES:
        raise EventsFileError(f"{where}: event_type {event_type!r} is not one of {', '.join(EVENT_TYPES)}")
    record["layer"] = layer_of(event_type)
    record["acled_event_type"], record["acled_sub_event_type"] = acled_types(event_type)
    for name in _TEXT_PROPERTIES:
        if record.get(name) is not None and not isinstance(record[name], str):
            raise EventsFileError(f"{where}: {name} must be text (or null), not {type(record[name]).__name__}")
    for name in _LIST_PROPERTIES:
        record[name] = _as_list(record.get(name), name, where)
    for name in ("geo_precision", "geonameid", *_COUNT_PROPERTIES):
        record[name] = _as_int(record.get(name), name, where)
    for name in _COUNT_PROPERTIES:
        if record[name] is not None and record[name] < 0:
            raise EventsFileError(f"{where}: {name} must be a whole number from 0 (or null), not {record[name]}")
    if record["geo_precision"] is not None and record["geo_precision"] not in (1, 2, 3):
        raise EventsFileError(f"{where}: geo_precision must be 1, 2 or 3, not {record['geo_precision']}")
    reviewed = record.get("reviewed")
    if reviewed is not None and not isinstance(reviewed, bool) and reviewed not in (0, 1):
        raise EventsFileError(f"{where}: reviewed must be true or false, not {json.dumps(reviewed)[:20]}")
    record["reviewed"] = bool(reviewed)
    confidence = record.get("confidence")
    if confidence is not None:
        try:
            confidence = float(confidence)
        except (TypeError, ValueError):
            raise EventsFileError(f"{where}: confidence must be a number in 0..1") from None
        if not 0 <= confidence <= 1:
            raise EventsFileError(f"{where}: confidence {confidence} is outside 0..1")
        record["confidence"] = confidence
    return record, (lon, lat)


def _point(geometry: Any, where: str) -> tuple[float, float]:
    if not isinstance(geometry, dict):
        raise EventsFileError(f"{where}: no geometry; every event needs a Point")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "MultiPoint" and isinstance(coordinates, list) and len(coordinates) == 1:
        kind, coordinates = "Point", coordinates[0]
    if kind != "Point":
        raise EventsFileError(f"{where}: geometry is a {kind}, not a Point")
    if (not isinstance(coordinates, list) or len(coordinates) not in (2, 3)
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in coordinates)):
        raise EventsFileError(f"{where}: broken Point coordinates {json.dumps(coordinates)[:60]}; "
                              "expected [lon, lat]")
    lon, lat = float(coordinates[0]), float(coordinates[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise EventsFileError(f"{where}: coordinates [{lon}, {lat}] are not WGS84 lon/lat in range")
    return lon, lat


def _as_list(value: Any, name: str, where: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError:
            raise EventsFileError(f"{where}: {name} must be a list (or its JSON text)") from None
        except RecursionError:
            raise EventsFileError(f"{where}: {name} is nested too deeply") from None
    if not isinstance(value, list):
        raise EventsFileError(f"{where}: {name} must be a list")
    if name == "sources":
        if not all(isinstance(item, dict) for item in value):
            raise EventsFileError(f"{where}: every source must be an object with article_id, title, url, sentence")
        for item in value:
            for key in ("article_id", "title", "url", "sentence"):
                if item.get(key) is not None and not isinstance(item[key], str):
                    raise EventsFileError(f"{where}: a source's {key} must be text, not {type(item[key]).__name__}")
    elif not all(isinstance(item, str) for item in value):
        raise EventsFileError(f"{where}: {name} must be a list of text")
    return value


def _as_int(value: Any, name: str, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise EventsFileError(f"{where}: {name} must be a whole number, not {json.dumps(value)}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EventsFileError(f"{where}: {name} must be a whole number") from None
    if not math.isfinite(number) or number != int(number):
        raise EventsFileError(f"{where}: {name} must be a whole number")
    return int(number)
