"""Named areas (Nagorno-Karabakh, Western Sahara, Donbas, ...) as unions of admin units.

Areas are defined in TOML files: the shipped ``data/areas.toml`` and any files a
user adds (``areas = [...]`` in the configuration).  Each ``[[area]]`` has an
``id``, a display ``name``, optional ``country``, ``members`` and ``[area.names]``
(language -> list of names).  A member is an ISO 3166-2 code of an admin-1 unit,
``ne:ADM1_CODE`` for a Natural Earth unit, or an ISO2 code for a whole country.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataFileError
from .sources import AREAS_FILE, PlaceRecord

if TYPE_CHECKING:
    import geopandas

__all__ = ["AreaDefinition", "load_areas", "area_polygons", "iter_areas"]


@dataclass(frozen=True)
class AreaDefinition:
    """One named area as written in an areas file."""

    id: str
    name: str
    members: tuple[str, ...]
    names: tuple[tuple[str, str], ...]  # (name, lang)
    country: str | None = None
    label: tuple[float, float] | None = None
    note: str = ""
    source: str = ""


def load_areas(extra_files: Iterable[Path] = ()) -> list[AreaDefinition]:
    """Read the shipped areas and any user files; a later file's area replaces one with the same id."""
    by_id: dict[str, AreaDefinition] = {}
    for path in (AREAS_FILE, *extra_files):
        for area in _read_area_file(Path(path)):
            by_id[area.id] = area
    return list(by_id.values())


def _read_area_file(path: Path) -> Iterator[AreaDefinition]:
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        raise DataFileError(f"{path}: cannot read areas file: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{path}: invalid TOML: {error}") from None
    for number, table in enumerate(document.get("area", []), start=1):
        where = f"{path}: area #{number}"
        missing = [key for key in ("id", "name", "members") if not table.get(key)]
        if missing:
            raise DataFileError(f"{where}: missing {', '.join(missing)}")
        label = table.get("label")
        if label is not None and not (isinstance(label, list) and len(label) == 2
                                      and all(isinstance(v, int | float) for v in label)):
            raise DataFileError(f"{where}: label must be [lat, lon]")
        names = [(table["name"], "en")]
        for lang, forms in table.get("names", {}).items():
            names.extend((form, lang) for form in ([forms] if isinstance(forms, str) else forms))
        yield AreaDefinition(
            id=str(table["id"]),
            name=str(table["name"]),
            members=tuple(str(member) for member in table["members"]),
            names=tuple(dict.fromkeys(names)),
            country=table.get("country"),
            label=(float(label[0]), float(label[1])) if label else None,
            note=str(table.get("note", "")),
            source=str(path),
        )


def area_polygons(areas: list[AreaDefinition]) -> "geopandas.GeoDataFrame":
    """One (multi)polygon per area: the union of its members' polygons.

    Raises :class:`DataFileError` naming the area and the member that matches no unit.
    """
    import geopandas
    import shapely

    from .boundaries import admin1_units, countries

    units = admin1_units()
    nations = countries().set_index("country_iso2")
    members = {member for area in areas for member in area.members}
    wanted = units[units["iso_3166_2"].isin(members)]  # dissolve only the units areas are made of
    by_iso = wanted.groupby("iso_3166_2").geometry.apply(lambda parts: shapely.union_all(parts.values))
    by_ne = units.set_index("adm1_code").geometry
    rows = []
    for area in areas:
        parts = []
        for member in area.members:
            if member.startswith("ne:") and member[3:] in by_ne.index:
                parts.append(by_ne[member[3:]])
            elif member in by_iso.index:
                parts.append(by_iso[member])
            elif len(member) == 2 and member in nations.index:
                parts.append(nations.geometry[member])
            else:
                raise DataFileError(f"{area.source}: area {area.id!r}: member {member!r} matches no admin unit or country")
        rows.append({"area_id": area.id, "area": area.name, "country_iso2": area.country,
                     "geometry": shapely.union_all(parts)})
    return geopandas.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def iter_areas(areas: list[AreaDefinition]) -> Iterator[PlaceRecord]:
    """Index records for the named areas, placed at their ``label`` or else at the pole of
    inaccessibility of the largest part of their union."""
    from shapely.ops import polylabel

    polygons = area_polygons(areas)
    for area, geometry in zip(areas, polygons.geometry, strict=True):
        if area.label:
            lat, lon = area.label
        else:
            largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
            point = polylabel(largest, tolerance=0.01)
            lat, lon = round(point.y, 4), round(point.x, 4)
        yield PlaceRecord(
            kind="area",
            name=area.name,
            lat=lat,
            lon=lon,
            ref=area.id,
            country_iso2=area.country,
            names=[(name, lang) for name, lang in area.names],
        )
