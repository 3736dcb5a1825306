"""Rebuild ``gazetteer/data/admin1_points.csv``: GeoNames' own point of each admin-1 unit we know.

The public geoparsing corpora place a province or state where GeoNames does (its ``ADM1``
feature), while Natural Earth's label point of the same unit may lie a few hundred kilometres
away (Queensland, Alberta).  GeoNames' ``ADM1`` points (``allCountries.txt``, CC BY 4.0) are read
from ``sources/GeoNames/export/ADM1.tsv`` of the GitHub repository
``jhnwllr/catalogue-of-centroids`` at commit ``0959e14d0e7a90de28ae2bc23cf570b791e112ef`` (the
same extraction as the country points of ``scripts/rebuild_country_points.py``; the repository
states no licence of its own, the points are GeoNames').  The file has no GeoNames ids, so each
point is matched to a Natural Earth unit of ``gazetteer/data/admin1.fgb.gz``: the point must lie
inside the unit (or within :data:`REACH_DEG` of it: coasts, simplified borders) and its GeoNames
name must be one of the unit's names, compared folded and without a generic word ("State of
Queensland" = Queensland).  A unit that two points match keeps the one inside it, else none.

GeoNames' ``ADM1`` units that Natural Earth lacks as a unit (England, Scotland, Wales and
Northern Ireland: Natural Earth splits the United Kingdom into counties) are written too, with
an empty ``adm1_code``, when their name is no Natural Earth unit's of the same country; the
gazetteer adds them as admin-1 units of their own (:func:`gazetteer.sources.iter_admin1`) for
the countries of :data:`EXTRA_COUNTRIES` only.

Run ``python scripts/rebuild_admin1_points.py [--geonames ADM1.tsv]`` (needs the network to read
the GeoNames file from GitHub when no local copy is given); the output is sorted and
byte-identical across runs.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _registry import pinned_download
from gazetteer.atomic import write_atomic
from gazetteer.normalize import fold

GEONAMES_URL = ("https://raw.githubusercontent.com/jhnwllr/catalogue-of-centroids/"
                "0959e14d0e7a90de28ae2bc23cf570b791e112ef/sources/GeoNames/export/ADM1.tsv")
GEONAMES_SHA256 = "2ffd91836ae5bff45062e1156d161990c0b1dfe735a6515ef458eb3b24267268"
OUT = ROOT / "gazetteer" / "data" / "admin1_points.csv"
REACH_DEG = 0.3  # a point this near a unit (degrees) may be its point
#: countries whose GeoNames ADM1 units Natural Earth does not have as units (it has their subdivisions)
EXTRA_COUNTRIES = ("GB",)
#: generic words GeoNames or Natural Earth put around a unit's name (folded)
_GENERIC = re.compile(r"^(state|province|region|department|governorate|county|district|prefecture|"
                      r"autonomous region|autonomous community|republic|municipality|territory|canton|"
                      r"oblast|parish|division|federal district)\s+of\s+|"
                      r"\s+(state|province|region|oblast'?|oblast|kray|krai|governorate|department|"
                      r"prefecture|county|district|municipality|territory|canton|parish|division|"
                      r"autonomous region|autonomous okrug|republic)$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--geonames", type=Path, help=f"a local copy of {GEONAMES_URL}")
    args = parser.parse_args()
    raw = pinned_download(GEONAMES_URL, GEONAMES_SHA256, args.geonames, "the GeoNames ADM1 file")
    points = read_points(raw.decode("utf-8"))
    matched, extra = match_units(points)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["adm1_code", "country_iso2", "lat", "lon", "geonames_name"])
    for code, (lat, lon, name) in sorted(matched.items()):
        writer.writerow([code, "", f"{lat:.5f}", f"{lon:.5f}", name])
    for iso2, lat, lon, name in sorted(extra):
        writer.writerow(["", iso2, f"{lat:.5f}", f"{lon:.5f}", name])
    write_atomic(OUT, buffer.getvalue())
    print(f"{len(points)} GeoNames ADM1 points: {len(matched)} matched to a Natural Earth unit, "
          f"{len(extra)} units of their own ({', '.join(EXTRA_COUNTRIES)}) -> {OUT}")


def read_points(tsv: str) -> list[tuple[float, float, str]]:
    """(lat, lon, GeoNames name) of every ADM1 point; names that were decoded twice (UTF-8 read as
    Latin-1: "MahÄrÄshtra") are repaired."""
    result = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t"):
        name = row["source_locality_name"]
        try:
            name = name.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        result.append((float(row["decimal_latitude"]), float(row["decimal_longitude"]), name))
    return result


def name_keys(name: str) -> set[str]:
    """A name folded, with and without a generic word around it."""
    key = fold(name).replace("-", " ").strip()
    return {key, _GENERIC.sub("", key).strip()} - {""}


def unit_keys(row) -> set[str]:
    """Every name of a Natural Earth unit, as :func:`name_keys`."""
    names = [row.name, *(form for forms in json.loads(row.names or "{}").values() for form in forms)]
    return {key for name in names if name for key in name_keys(name)}


def match_units(points: list[tuple[float, float, str]]) -> tuple[dict[str, tuple[float, float, str]],
                                                                   list[tuple[str, float, float, str]]]:
    """adm1_code -> GeoNames' (lat, lon, name) for the units a point matches, and the points of
    :data:`EXTRA_COUNTRIES` that match no unit of their country by name: (iso2, lat, lon, name)."""
    import numpy as np
    import shapely

    from gazetteer.boundaries import admin1_units

    units = admin1_units()
    keys = [unit_keys(row) for row in units.drop(columns="geometry").itertuples(index=False)]
    tree = shapely.STRtree(units.geometry.values)
    geometry = shapely.points(np.asarray([p[1] for p in points]), np.asarray([p[0] for p in points]))
    found: dict[int, list[tuple[bool, int]]] = {}  # unit -> (inside, point)
    for k, (point, (_, _, name)) in enumerate(zip(geometry, points)):
        wanted = name_keys(name)
        for u in tree.query(point, predicate="dwithin", distance=REACH_DEG):
            if wanted & keys[u]:
                found.setdefault(int(u), []).append((bool(units.geometry.values[u].contains(point)), k))
    taken = {k for hits in found.values() for is_inside, k in hits if is_inside}  # a point inside a unit it names
    matched = {}
    for u, hits in found.items():
        hits = [(is_inside, k) for is_inside, k in hits if is_inside or k not in taken]
        inside = [k for is_inside, k in hits if is_inside]
        chosen = inside if inside else [k for _, k in hits]
        if len(chosen) == 1:  # else none: two points name the unit
            lat, lon, name = points[chosen[0]]
            matched[str(units.adm1_code.values[u])] = (lat, lon, name)
    used = {k for hits in found.values() for _, k in hits}
    extra = []
    for k, (lat, lon, name) in enumerate(points):
        if k in used:
            continue
        where = {str(units.country_iso2.values[u]) for u in tree.query(geometry[k], predicate="intersects")}
        iso2 = next(iter(where)) if len(where) == 1 else None
        if iso2 in EXTRA_COUNTRIES and not any(name_keys(name) & keys[u] for u in range(len(units))
                                               if units.country_iso2.values[u] == iso2):
            extra.append((iso2, lat, lon, name))
    return matched, extra


if __name__ == "__main__":
    main()
