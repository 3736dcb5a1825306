"""Rebuild ``gazetteer/data/country_points.csv``: the point each country is geocoded at.

Source: the npm package ``world-countries@5.1.0`` (``countries.json``, field ``latlng``:
rounded country centres as used by the CIA World Factbook and GeoNames), licensed ODbL-1.0.
Run ``python scripts/rebuild_country_points.py`` (needs ``npm``); the output is sorted and
byte-identical across runs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "world-countries@5.1.0"
OUT = Path(__file__).resolve().parents[1] / "gazetteer" / "data" / "country_points.csv"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True)
        (tarball,) = Path(tmp).glob("world-countries-*.tgz")
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/countries.json")
            assert member is not None
            countries = json.load(member)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["iso2", "lat", "lon"])
    for country in sorted(countries, key=lambda c: c["cca2"]):
        lat, lon = country["latlng"]
        writer.writerow([country["cca2"], f"{lat:.4f}", f"{lon:.4f}"])
    temp = OUT.with_suffix(".tmp")
    temp.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(temp, OUT)
    print(f"{PACKAGE} (tarball sha256 {digest}): {len(countries)} countries -> {OUT}")


if __name__ == "__main__":
    main()
