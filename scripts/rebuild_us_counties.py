"""Rebuild ``gazetteer/data/us_counties.csv``: every US county (and parish, borough) with its FIPS
code and a point inside it.

Source: the npm package ``us-atlas@3.0.1`` (``counties-10m.json``, TopoJSON of the US Census
Bureau's cartographic boundary files at 1:10,000,000; package ISC licence, Census data in
the public domain).  Each county's point is its polygon's representative point (always
inside it).  Virginia's, Maryland's, Missouri's and Nevada's independent cities (county
code 500 and up) are left out: they are towns, and GeoNames has them.

Run ``python scripts/rebuild_us_counties.py [--tarball us-atlas-3.0.1.tgz]`` (needs ``npm``
without a tarball); the tarball must match the pinned npm integrity (sha512); the output is
sorted and byte-identical across runs.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import tarfile
import tempfile
from pathlib import Path

import shapely

from _registry import check_integrity, npm_pack, sha256_hex
from gazetteer.atomic import write_atomic

PACKAGE = "us-atlas@3.0.1"
# npm "integrity" of us-atlas-3.0.1.tgz (sha512, base64).
PINNED_INTEGRITY = "sha512-wEIZCq0ImPvGblTd8gZMqNNCPkQshugMUG/8nkSWXb02+XqNFREg9atHOKP9w6prLZTpqcLhSvdBW81MkV3/0Q=="
OUT = Path(__file__).resolve().parents[1] / "gazetteer" / "data" / "us_counties.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tarball", type=Path, help=f"a local copy of npm's {PACKAGE} tarball")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.tarball is None:
            tarball = npm_pack(PACKAGE, Path(tmp), PINNED_INTEGRITY)
        else:
            tarball = args.tarball
            check_integrity(tarball, PINNED_INTEGRITY)
        digest = sha256_hex(tarball)
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/counties-10m.json")
            assert member is not None
            topology = json.load(member)
    states = {g["id"]: g["properties"]["name"] for g in topology["objects"]["states"]["geometries"]}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["fips", "name", "state", "lat", "lon"])
    rows = 0
    for geometry in sorted(topology["objects"]["counties"]["geometries"], key=lambda g: g["id"]):
        fips = geometry["id"]
        if fips[:2] in ("51", "24", "29", "32") and int(fips[2:]) >= 500:
            continue  # an independent city
        point = shapely.point_on_surface(decode(topology, geometry))
        writer.writerow([fips, geometry["properties"]["name"], states[fips[:2]], f"{point.y:.4f}", f"{point.x:.4f}"])
        rows += 1
    write_atomic(OUT, buffer.getvalue())
    print(f"{PACKAGE} (tarball sha256 {digest}): {rows} counties -> {OUT}")


def decode(topology: dict, geometry: dict) -> shapely.Geometry:
    """A TopoJSON Polygon or MultiPolygon as a shapely geometry (quantized, delta-encoded arcs)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]

    def arc(index: int) -> list[tuple[float, float]]:
        x = y = 0
        points = []
        for dx, dy in topology["arcs"][index if index >= 0 else ~index]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points if index >= 0 else points[::-1]

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            part = arc(index)
            points.extend(part if not points else part[1:])
        return points

    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    parts = []
    for rings in polygons:
        # quantization collapses the smallest islands and holes to fewer than four points
        kept = [points for points in map(ring, rings) if len(points) >= 4]
        if kept and len(ring(rings[0])) >= 4:
            parts.append(shapely.Polygon(kept[0], kept[1:]))
    return shapely.make_valid(shapely.MultiPolygon(parts))


if __name__ == "__main__":
    main()
