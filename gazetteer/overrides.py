"""User overrides: names that must resolve to a given point, whatever the sources say.

Two formats, chosen by extension.  CSV with a header row::

    name,lat,lon,country,kind,geonameid,aliases
    Khankendi,39.8177,46.7528,AZ,city,146970,Stepanakert|Xankəndi

TOML, one table per place::

    [[place]]
    name = "Khankendi"
    lat = 39.8177
    lon = 46.7528
    country = "AZ"          # optional ISO2
    kind = "city"           # optional, default city
    geonameid = 146970      # optional: correct a GeoNames place and keep its id
    aliases = ["Stepanakert"]

Only ``name``, ``lat`` and ``lon`` are required.  A bad row is reported as
``file:line: problem`` in :attr:`Overrides.problems` and skipped; the rest load.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataFileError, reading_data_file
from .normalize import fold
from .place import KINDS, Place

__all__ = ["Overrides"]


@dataclass
class Overrides:
    """Places by normalised name, and the problems met while reading them."""

    places: dict[str, list[Place]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | str) -> "Overrides":
        """Read an overrides file (.csv or .toml).  Raises DataFileError if it cannot be read at all."""
        path = Path(path)
        overrides = cls()
        if path.suffix.lower() not in (".toml", ".csv"):
            raise DataFileError(f"{path}: overrides must be a .csv or .toml file")
        with reading_data_file(path, "overrides"):
            rows = _toml_rows(path) if path.suffix.lower() == ".toml" else _csv_rows(path)
        loaded = 0
        for line, row in rows:
            try:
                place, aliases = _parse(row)
            except ValueError as error:
                overrides.problems.append(f"{path}:{line}: {error}")
                continue
            loaded += 1
            for name in (place.name, *aliases):
                overrides.places.setdefault(fold(name), []).append(place)
        if not loaded:
            overrides.problems.append(f"{path}: no usable override ({len(rows)} rows, none valid); the file is ignored"
                                      if rows else f"{path}: holds no overrides")
        return overrides

    def match(self, name: str) -> list[Place]:
        """Override places for ``name`` (compared after normalisation)."""
        return self.places.get(fold(name), []) if self.places else []

    def __len__(self) -> int:
        return len({id(p) for places in self.places.values() for p in places})


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a UTF-8 CSV (Excel's "CSV UTF-8" BOM allowed) with their line numbers."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        try:
            if not reader.fieldnames or not {"name", "lat", "lon"} <= {f.strip() for f in reader.fieldnames}:
                raise DataFileError(f"{path}:1: header must name at least the columns name,lat,lon")
            for row in reader:
                cleaned = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
                cleaned["__extra__"] = None in row  # DictReader files surplus fields under None
                rows.append((reader.line_num, cleaned))
        except csv.Error as error:  # a field over the csv module's limit, a NUL byte, ...
            raise DataFileError(f"{path}:{reader.line_num}: {error}") from None
        return rows


def _toml_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    # tomllib keeps no line numbers: report the line of each [[place]] header instead.
    header_lines = [number for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                    if text.strip() == "[[place]]"]
    tables = document.get("place", [])
    if not isinstance(tables, list):
        raise DataFileError(f"{path}: expected [[place]] tables, found place = {type(tables).__name__}")
    return [(header_lines[i] if i < len(header_lines) else 0, table) for i, table in enumerate(tables)]


def _parse(row: dict[str, Any]) -> tuple[Place, list[str]]:
    """One override row to a Place and its aliases; ValueError says what is wrong."""
    if not isinstance(row, dict):
        raise ValueError(f"a place must be a table, not {type(row).__name__}")
    if row.get("__extra__"):
        raise ValueError("more fields than the header names")
    for key in ("name", "country", "kind"):
        if row.get(key) is not None and not isinstance(row[key], str):
            raise ValueError(f"{key} must be text, not {type(row[key]).__name__}")
    name = str(row.get("name") or "").strip()
    if not name:
        raise ValueError("missing name")
    lat = _number(row.get("lat"), "lat", -90, 90)
    lon = _number(row.get("lon"), "lon", -180, 180)
    country = str(row.get("country") or "").strip().upper() or None
    if country and not (len(country) == 2 and country.isalpha()):
        raise ValueError(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
    kind = str(row.get("kind") or "city").strip()
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    geonameid = row.get("geonameid")
    if geonameid in (None, ""):
        geonameid = None
    else:
        try:
            geonameid = int(geonameid)
        except (TypeError, ValueError):
            raise ValueError(f"geonameid {geonameid!r} is not an integer") from None
    aliases = row.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [alias.strip() for alias in aliases.split("|") if alias.strip()]
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        raise ValueError("aliases must be a list of names (or names separated by | in a CSV)")
    place = Place(name=name, lat=lat, lon=lon, kind=kind, country_iso2=country, geonameid=geonameid,
                  ref=f"override:{name}")
    return place, [str(alias) for alias in aliases]


def _number(value: Any, label: str, low: float, high: float) -> float:
    if value is None or value == "":
        raise ValueError(f"missing {label}")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{label} {value!r} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{label} {value!r} is not a number") from None
    if not low <= number <= high:  # NaN fails too
        raise ValueError(f"{label} {number} is outside {low}..{high}")
    return number
