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
Queensland" = Queensland).  A unit that two points match keeps the one inside it, else none.  A point
named as the ISO 3166-2 region a unit is one of several provinces of (Natural Earth lists "Sicilia" among
Palermo's names) is the region's, never the province's, unless the province bears that name itself.

GeoNames' ``ADM1`` units that Natural Earth lacks as a unit are written too, with an empty
``adm1_code`` and their ISO 3166-2 code (:func:`own_units`): the regions Natural Earth splits into
provinces or counties (England, Tuscany, Catalonia, Burkina Faso's regions) and the units newer
than Natural Earth's (the DR Congo's 2015 provinces, Kenya's counties).  The gazetteer adds them as
admin-1 units of their own, at GeoNames' point and without a polygon
(:func:`gazetteer.sources.iter_admin1`).

Run ``python scripts/rebuild_admin1_points.py [--geonames ADM1.tsv]`` (needs the network to read
the GeoNames file from GitHub when no local copy is given); the output is sorted and
byte-identical across runs.
"""

from __future__ import annotations

import argparse
import csv
import difflib
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
from gazetteer.sources import iso_name_forms

GEONAMES_URL = ("https://raw.githubusercontent.com/jhnwllr/catalogue-of-centroids/"
                "0959e14d0e7a90de28ae2bc23cf570b791e112ef/sources/GeoNames/export/ADM1.tsv")
GEONAMES_SHA256 = "2ffd91836ae5bff45062e1156d161990c0b1dfe735a6515ef458eb3b24267268"
OUT = ROOT / "gazetteer" / "data" / "admin1_points.csv"
REACH_DEG = 0.3  # a point this near a unit (degrees) may be its point
#: generic words GeoNames or Natural Earth put around a unit's name (folded)
_GENERIC = re.compile(r"^(state|province|region|department|governorate|county|district|prefecture|"
                      r"autonomous region|autonomous community|republic|municipality|territory|canton|"
                      r"oblast|parish|division|federal district)\s+of\s+|"
                      r"^(province|region|departement|prefecture|wilaya|gouvernorat|canton)\s+(du|de la|des|de|d)\s+|"
                      r"^(muhafazat|wilayat e|estado( de)?|departamento de|provinsi|changwat|oblast|raionul|obcina)\s+|"
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
    writer.writerow(["adm1_code", "country_iso2", "lat", "lon", "geonames_name", "iso_3166_2"])
    for code, (lat, lon, name) in sorted(matched.items()):
        writer.writerow([code, "", f"{lat:.5f}", f"{lon:.5f}", name, ""])
    for iso2, lat, lon, name, code in extra:
        writer.writerow(["", iso2, f"{lat:.5f}", f"{lon:.5f}", name, code])
    write_atomic(OUT, buffer.getvalue())
    print(f"{len(points)} GeoNames ADM1 points: {len(matched)} matched to a Natural Earth unit, "
          f"{len(extra)} units Natural Earth lacks -> {OUT}")


def read_points(tsv: str) -> list[tuple[float, float, str]]:
    """(lat, lon, GeoNames name) of every ADM1 point; names that were decoded twice (UTF-8 read as
    Latin-1: "MahÄrÄshtra") are repaired."""
    result = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t"):
        name = row["source_locality_name"]
        for codec in ("latin-1", "cp1252"):
            try:
                name = name.encode(codec).decode("utf-8")
                break
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


def region_keys(units) -> list[set[str]]:
    """For each Natural Earth unit, the keys of the ISO 3166-2 region it is one of several provinces of
    (``pycountry`` parents: Palermo of Sicilia), whose name Natural Earth often lists among the province's: a
    point so named is the region's, never the province's."""
    import pycountry

    parents = [getattr(pycountry.subdivisions.get(code=str(code)) if code else None, "parent_code", None)
               for code in units.iso_3166_2.values]
    children: dict[str, int] = {}
    for parent in filter(None, parents):
        children[parent] = children.get(parent, 0) + 1
    result = []
    for parent in parents:
        region = pycountry.subdivisions.get(code=parent) if parent and children[parent] > 1 else None
        result.append(iso_keys(region.name) if region is not None else set())
    return result


def match_units(points: list[tuple[float, float, str]]) -> tuple[dict[str, tuple[float, float, str]],
                                                                   list[tuple[str, float, float, str, str]]]:
    """adm1_code -> GeoNames' (lat, lon, name) for the units a point matches, and the units Natural Earth
    lacks (see :func:`own_units`): (iso2, lat, lon, GeoNames name, ISO 3166-2 code)."""
    import numpy as np
    import shapely

    from gazetteer.boundaries import admin1_units

    units = admin1_units()
    keys = [unit_keys(row) for row in units.drop(columns="geometry").itertuples(index=False)]
    regions = region_keys(units)
    own_names = [name_keys(str(name)) for name in units.name.values]
    tree = shapely.STRtree(units.geometry.values)
    geometry = shapely.points(np.asarray([p[1] for p in points]), np.asarray([p[0] for p in points]))
    found: dict[int, list[tuple[bool, int]]] = {}  # unit -> (inside, point)
    for k, (point, (_, _, name)) in enumerate(zip(geometry, points)):
        wanted = name_keys(name)
        for u in tree.query(point, predicate="dwithin", distance=REACH_DEG):
            if wanted & own_names[u] or (wanted & keys[u] and not wanted & regions[u]):
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
    rest = [k for k in range(len(points)) if k not in used]
    inside_of = {k: [int(u) for u in tree.query(geometry[k], predicate="within")] for k in rest}
    level_differs = set(units.country_iso2.values) - {str(units.country_iso2.values[int(u)]) for u in found}
    own_keys = [unit - (region - own) for unit, region, own in zip(keys, regions, own_names)]  # less its region's
    return matched, own_units(points, rest, inside_of, units, own_keys, level_differs)


def own_units(points: list[tuple[float, float, str]], rest: list[int], inside_of: dict[int, list[int]],
              units, keys: list[set[str]], level_differs: set[str]) -> list[tuple[str, float, float, str, str]]:
    """GeoNames ``ADM1`` units that Natural Earth lacks as a unit, each with its ISO 3166-2 code.

    A point that names no Natural Earth unit is such a unit when an ISO 3166-2 subdivision
    (``pycountry``) of the country of the unit the point lies in is named like it (folded, without a
    generic word, or :data:`SIMILAR` alike), no Natural Earth unit carries that code or name, and the
    subdivision is top-level: Natural Earth splits it (Tuscany into provinces, England into
    counties) or predates it (the DR Congo's 2015 provinces, Kenya's counties), and it is no
    municipality, canton or city (:data:`_LOCAL_TYPES`: new municipalities of Slovenia, a capital
    city district the gazetteer has as a city).  In a country none of whose Natural Earth units
    GeoNames names (its ``ADM1`` level is another: ``level_differs``), a point that no subdivision is
    named like takes the parent of the unit it lies in when that parent is such a subdivision
    (GeoNames' English "High-Basins Region" is Burkina Faso's BF-09 Hauts-Bassins).  A code two
    points claim goes to the one named like it, else to none."""
    import pycountry

    carried = {str(code) for code in units.iso_3166_2.values if code}
    keys_of_country: dict[str, set[str]] = {}  # every name key of a country's units
    for country, names in zip(units.country_iso2.values, keys):
        keys_of_country.setdefault(str(country), set()).update(names)
    claims: dict[str, list[tuple[bool, int]]] = {}  # ISO code -> (named like it, point)
    for k in rest:
        countries = {str(units.country_iso2.values[u]) for u in inside_of[k]} - {""}
        if len(countries) != 1:
            continue
        iso2 = countries.pop()
        wanted = name_keys(points[k][2])
        if wanted & keys_of_country[iso2]:
            continue  # a Natural Earth unit of the country has the name: a spelling GeoNames differs in
        candidates = [s for s in pycountry.subdivisions.get(country_code=iso2) or ()
                      if s.parent_code is None and s.code not in carried and not _LOCAL_TYPES.search(s.type)]
        named = [s for s in candidates if _alike(wanted, iso_keys(s.name))]
        if len(named) == 1:
            claims.setdefault(named[0].code, []).append((True, k))
            continue
        if iso2 not in level_differs:
            continue
        parents = {pycountry.subdivisions.get(code=str(units.iso_3166_2.values[u])) for u in inside_of[k]
                   if units.iso_3166_2.values[u]}
        parents = {s.parent_code for s in parents if s is not None and s.parent_code}
        if len(parents) == 1 and (code := parents.pop()) in {s.code for s in candidates}:
            claims.setdefault(code, []).append((False, k))
    result = []
    for code, hits in claims.items():
        chosen = [k for is_named, k in hits if is_named] or [k for _, k in hits]
        if len(chosen) == 1:
            lat, lon, name = points[chosen[0]]
            result.append((code.split("-")[0], lat, lon, name, code))
    return sorted(result)


#: ISO 3166-2 subdivision types that are local units, not regions (:func:`own_units`)
_LOCAL_TYPES = re.compile(r"municipality|canton|city|commune|union territory", re.IGNORECASE)

#: how alike (difflib ratio of the folded names) a GeoNames name and an ISO 3166-2 name must be
SIMILAR = 0.85


def iso_keys(name: str) -> set[str]:
    """The keys of every form of an ISO 3166-2 name ("Catalunya [Cataluña]": two), as :func:`name_keys`."""
    return {key for form in iso_name_forms(name) for key in name_keys(form)}


def _alike(wanted: set[str], keys: set[str]) -> bool:
    """Whether two sets of name keys share a key or hold two :data:`SIMILAR` ones."""
    return bool(wanted & keys) or any(difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR
                                      for a in wanted for b in keys)


if __name__ == "__main__":
    main()
