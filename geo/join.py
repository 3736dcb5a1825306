"""Spatial joins of the events frame with countries, admin-1 units and named areas.

The polygons are the vendored Natural Earth units of :mod:`gazetteer.boundaries` and
the named areas of :mod:`gazetteer.areas`, loaded once per process.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas
    import numpy
    import pandas

    from .model import Event

__all__ = ["CHUNK_ROWS", "join_regions", "joined_frames", "country_polygons", "admin1_polygons",
           "named_area_polygons"]

#: Events per frame when a corpus's events are joined and written a chunk at a time (:func:`joined_frames`).
CHUNK_ROWS = 5_000

#: An area is taken to contain a region (a country, an admin-1 unit, another area) when it
#: covers at least this share of the region's surface; slack for the floating-point noise
#: of polygon unions, not for real partial overlaps.
_COVER_SHARE = 0.99

#: The equal-area CRS used to rank named areas by size (World Cylindrical Equal Area).
_EQUAL_AREA_CRS = "EPSG:6933"

_REQUIRED = ("event_id", "geo_precision", "place_name", "country_iso2", "admin1", "admin1_code", "area")


def join_regions(frame: "geopandas.GeoDataFrame", *,
                 area_files: Iterable[str | PathLike[str]] = ()) -> "geopandas.GeoDataFrame":
    """The events with their country, admin-1 unit and named area filled from the polygons.

    Each point is joined (``geopandas.sjoin``, predicate ``intersects``, spatial index) with
    the countries, the admin-1 units and the named areas.  A point on a shared border
    intersects two polygons; the lowest ``country_iso2`` / ``adm1_code`` wins, so each event
    stays exactly one row and the choice is the same on every run.

    Why the precision matters.  Only an event at a populated place (``geo_precision`` 1)
    really *is* at its point.  An event placed at a region (2: an admin-1 unit or a named
    area) or at a country (3) is drawn at that region's label point, which necessarily
    falls inside *some* admin-1 unit, and perhaps inside a smaller named area: "shelling in
    Azerbaijan" does not happen in the unit its label point lands in.  Hence:

    - ``country_iso2``: the polygon's for precision 1 (a point outside every country, at
      sea, keeps the gazetteer's); precision 2 and 3 keep the gazetteer's, which is the
      region's own country, or none for an area spanning several countries (the country
      its label point happens to fall in would be made up);
    - ``admin1`` and ``admin1_code`` (the unit's ``name`` and ``iso_3166_2``): the
      gazetteer's, which knows better than the simplified polygons near a border
      (:mod:`gazetteer.city_units`: Khankendi in Stepanakert, not Khojali), whenever its
      unit lies within :data:`gazetteer.city_units.NEAR_DEGREES` of the point and in the
      point's country (so a point an analyst moved elsewhere is joined afresh); otherwise,
      for precision 1, from the polygon, the gazetteer's values kept where the point falls
      outside every unit; precision 2 and 3 keep their own (an admin-1 unit has itself,
      an area or a country none).  Where the gazetteer's unit is kept, so is its country;
    - ``areas``: every named area containing the point, smallest first (by surface in an
      equal-area projection, ties by ``area_id``), and ``area`` the smallest of them (the
      frame's value is kept where there is none).  For precision 2 and 3 an area counts
      only if it covers the whole region the event is placed at (its admin-1 unit by
      ``admin1_code``, its named area by ``place_name``, its country): an event in
      Azerbaijan lies in South Caucasus and Caucasus whatever its label point, never in
      Nagorno-Karabakh.  A country-level event whose country is unknown gets no area.

    Parameters
    ----------
    frame
        An events frame (:func:`geo.frame.events_frame`); it is not modified.
    area_files
        Extra areas files (TOML, see :mod:`gazetteer.areas`), after the shipped one.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``frame`` (same rows, same order) with ``country_iso2``, ``admin1``,
        ``admin1_code`` and ``area`` filled and an ``areas`` column (list of names).
    """
    import geopandas
    import numpy as np

    if not isinstance(frame, geopandas.GeoDataFrame):
        raise TypeError(f"join_regions needs a GeoDataFrame (geo.frame.events_frame), not {type(frame).__name__}")
    missing = [column for column in _REQUIRED if column not in frame.columns]
    if missing:
        raise ValueError(f"events frame lacks column(s) {', '.join(missing)}: build it with geo.frame.events_frame")

    result = frame.copy()
    geometry = frame.geometry if frame.crs is not None else frame.geometry.set_crs("EPSG:4326")
    points = geopandas.GeoDataFrame(geometry=geopandas.GeoSeries(geometry.to_crs("EPSG:4326").values))
    precision = frame["geo_precision"].astype("Float64").fillna(3).to_numpy(dtype=float)
    at_place = precision == 1

    known = at_place & _gazetteer_unit_holds(result, points)

    nations = _first_hit(_hits(points, country_polygons(), ["country_iso2"]), "country_iso2")
    _fill(result, "country_iso2", nations["country_iso2"], at_place & ~known)

    units = _first_hit(_hits(points, admin1_polygons(), ["adm1_code", "iso_3166_2", "name"]), "adm1_code")
    _fill(result, "admin1", units["name"], at_place & ~known)
    _fill(result, "admin1_code", units["iso_3166_2"], at_place & ~known)

    areas = named_area_polygons(area_files)
    hits = _hits(points, areas, ["area_id", "area", "size"])
    hits = _covering(hits, result, precision, areas)
    hits = hits.sort_values(["row", "size", "area_id"], kind="stable")
    names = hits.groupby("row", sort=True)["area"].agg(list)
    _fill(result, "area", names.str[0], np.ones(len(result), dtype=bool))
    listed = names.reindex(range(len(result)))
    result["areas"] = [value if isinstance(value, list) else [] for value in listed.tolist()]
    return result


def joined_frames(events: Iterable["Event"], *, area_files: Iterable[str | PathLike[str]] = (),
                  rows: int = CHUNK_ROWS) -> Iterator["geopandas.GeoDataFrame"]:
    """Events given in output order (:func:`geo.model.output_order`, as :func:`geo.dedup.deduplicate` gives
    them) joined ``rows`` at a time (:func:`join_regions` of :func:`geo.frame.events_frame`), read as the frames
    are asked for; one empty frame when there are none.  Raises ValueError for events out of order.

    The join decides each row alone, so these frames one after the other hold the rows of one whole join, in
    its order: the exports written from them (:func:`geo.export.write_frames`) are the same bytes, while only
    one chunk's events and frame are held at a time.
    """
    from .frame import events_frame
    from .model import output_order

    area_files = tuple(area_files)
    pending = iter(events)
    last: tuple[str, ...] = ()
    while True:
        chunk = list(islice(pending, rows))
        for event in chunk:
            if (order := output_order(event)) < last:
                raise ValueError(f"events out of output order at {event.event_id}")
            last = order
        if chunk or not last:
            yield join_regions(events_frame(chunk), area_files=area_files)
        if len(chunk) < rows:
            return


# --------------------------------------------------------------------------- polygons


@cache
def country_polygons() -> "geopandas.GeoDataFrame":
    """Countries: ``country_iso2`` and polygon, sorted by code."""
    from gazetteer.boundaries import countries

    frame = countries()[["country_iso2", "geometry"]]
    return frame.sort_values("country_iso2", kind="stable").reset_index(drop=True)


@cache
def admin1_polygons() -> "geopandas.GeoDataFrame":
    """Admin-1 units: ``adm1_code``, ``iso_3166_2``, ``country_iso2``, ``name`` and polygon, by ``adm1_code``."""
    from gazetteer.boundaries import admin1_units

    frame = admin1_units()[["adm1_code", "iso_3166_2", "country_iso2", "name", "geometry"]].copy()
    for column in ("iso_3166_2", "country_iso2", "name"):
        frame[column] = frame[column].replace("", None)
    return frame.sort_values("adm1_code", kind="stable").reset_index(drop=True)


def named_area_polygons(area_files: Iterable[str | PathLike[str]] = ()) -> "geopandas.GeoDataFrame":
    """Named areas: ``area_id``, ``area`` (name), ``country_iso2``, ``size`` (m², equal-area) and polygon.

    The shipped areas and then ``area_files``; loaded once per process and set of files.
    """
    return _area_polygons(tuple(str(Path(path).resolve()) for path in area_files))


@cache
def _area_polygons(area_files: tuple[str, ...]) -> "geopandas.GeoDataFrame":
    """The areas' unions and sizes, derived once into the cache (:mod:`geo.cached_arrays`: the unions and the
    equal-area projection cost ~0.15 s a process) for these definitions and boundaries, read back exactly (WKB)."""
    import geopandas

    from gazetteer import areas as area_module
    from gazetteer.sources import ADMIN1_FILE, COUNTRIES_FILE, file_digest

    from .cached_arrays import cache_folder, cached_arrays

    definitions = area_module.load_areas([Path(path) for path in area_files])  # a bad file is its error, as before
    key = hashlib.sha256(json.dumps([[a.id, a.name, a.country, a.members] for a in definitions]).encode())
    for source in (ADMIN1_FILE, COUNTRIES_FILE, Path(area_module.__file__), Path(__file__)):  # the data, the code
        key.update(file_digest(source).encode())
    saved = cached_arrays(cache_folder("boundaries", f"areas-{key.hexdigest()[:16]}"), _AREA_ARRAYS,
                          lambda: _area_arrays(definitions),
                          check=lambda a: len(a["area_id"]) == len(a["ends"]) == len(a["size"])
                          and (not len(a["ends"]) or int(a["ends"][-1]) == len(a["shapes"])))
    frame = geopandas.GeoDataFrame(
        {"area_id": saved["area_id"].tolist(), "area": saved["area"].tolist(),
         "country_iso2": [code or None for code in saved["country_iso2"].tolist()], "geometry": _from_wkb(saved)},
        geometry="geometry", crs="EPSG:4326")
    frame["size"] = saved["size"].tolist()
    return frame


_AREA_ARRAYS = ("area_id", "area", "country_iso2", "shapes", "ends", "size")


def _area_arrays(definitions: list) -> dict[str, "numpy.ndarray"]:
    """The areas as arrays, sorted by id: ids, names, countries ('' for none), WKB shapes one after another and
    where each ends, and sizes in m² (equal-area)."""
    import numpy as np

    from gazetteer.areas import area_polygons

    frame = area_polygons(definitions)
    frame["size"] = frame.geometry.to_crs(_EQUAL_AREA_CRS).area
    frame = frame.sort_values("area_id", kind="stable").reset_index(drop=True)
    return {"area_id": frame["area_id"].to_numpy(dtype=str), "area": frame["area"].to_numpy(dtype=str),
            "country_iso2": frame["country_iso2"].fillna("").to_numpy(dtype=str), **_as_wkb(frame.geometry),
            "size": frame["size"].to_numpy(dtype=np.float64)}


# --------------------------------------------------------------------------- helpers


def _gazetteer_unit_holds(result: "geopandas.GeoDataFrame", points: "geopandas.GeoDataFrame"):
    """Per row, whether its own ``admin1_code`` names a unit of its ``country_iso2`` within
    :data:`gazetteer.city_units.NEAR_DEGREES` of its point (a boolean array)."""
    import numpy as np
    import shapely

    from gazetteer.city_units import NEAR_DEGREES

    units = _units_by_iso()
    codes = result["admin1_code"].astype(object).to_numpy()
    countries = result["country_iso2"].astype(object).to_numpy()
    found = units.reindex(codes)
    polygons = found.geometry.to_numpy()
    same_country = found["country_iso2"].to_numpy(dtype=object) == countries
    has_unit = ~shapely.is_missing(polygons) & same_country
    holds = np.zeros(len(result), dtype=bool)
    if has_unit.any():
        holds[has_unit] = shapely.dwithin(points.geometry.to_numpy()[has_unit], polygons[has_unit], NEAR_DEGREES)
    return holds


@cache
def _units_by_iso() -> "geopandas.GeoDataFrame":
    """Admin-1 polygons dissolved by ``iso_3166_2`` (a few units share one code), indexed by it; dissolved
    once into the cache (:mod:`geo.cached_arrays`: the union costs ~0.6 s a process) and read back, exactly (WKB)."""
    import geopandas
    import pandas

    from gazetteer.sources import ADMIN1_FILE, file_digest

    from .cached_arrays import cache_folder, cached_arrays

    saved = cached_arrays(cache_folder("boundaries", f"units_by_iso-{file_digest(ADMIN1_FILE)[:16]}"), ("code", "country", "shapes", "ends"),
                          _dissolved_units,
                          check=lambda a: len(a["code"]) == len(a["country"]) == len(a["ends"])
                          and int(a["ends"][-1]) == len(a["shapes"]))
    index = pandas.Index(saved["code"].tolist(), dtype="str", name="iso_3166_2")
    countries = pandas.Series([code or None for code in saved["country"].tolist()], dtype="str", index=index)
    return geopandas.GeoDataFrame({"country_iso2": countries}, index=index, crs=admin1_polygons().crs,
                                  geometry=_from_wkb(saved))


def _dissolved_units() -> dict[str, "numpy.ndarray"]:
    """The admin-1 units dissolved by ISO code as arrays: codes, countries ('' for none), WKB shapes one after
    another and where each ends."""
    units = admin1_polygons().dropna(subset=["iso_3166_2"])
    dissolved = units.dissolve("iso_3166_2", aggfunc="first", sort=True)
    return {"code": dissolved.index.to_numpy(dtype=str), "country": dissolved["country_iso2"].fillna("").to_numpy(dtype=str),
            **_as_wkb(dissolved.geometry)}


def _as_wkb(geometries: Iterable) -> dict[str, "numpy.ndarray"]:
    """Shapes as cache arrays: their WKB one after another (``shapes``) and where each ends (``ends``)."""
    import numpy as np
    import shapely

    shapes = [shapely.to_wkb(g) for g in geometries]
    return {"shapes": np.frombuffer(b"".join(shapes), dtype=np.uint8), "ends": np.cumsum([len(w) for w in shapes],
                                                                                          dtype=np.int64)}


def _from_wkb(saved: dict[str, "numpy.ndarray"]) -> "numpy.ndarray":
    """The shapes of :func:`_as_wkb`'s arrays, exactly."""
    import shapely

    data, ends = saved["shapes"].tobytes(), saved["ends"].tolist()
    return shapely.from_wkb([data[a:b] for a, b in zip([0, *ends[:-1]], ends)])


def _hits(points: "geopandas.GeoDataFrame", polygons: "geopandas.GeoDataFrame",
          columns: list[str]) -> "pandas.DataFrame":
    """Every (row, polygon) pair where the point intersects the polygon: ``row`` and ``columns``."""
    import geopandas

    joined = geopandas.sjoin(points, polygons[[*columns, "geometry"]], how="inner", predicate="intersects")
    hits = joined[columns].copy()
    hits.insert(0, "row", joined.index.to_numpy())
    return hits.reset_index(drop=True)


def _first_hit(hits: "pandas.DataFrame", key: str) -> "pandas.DataFrame":
    """One hit per row, the one with the lowest ``key``, indexed by row."""
    ordered = hits.sort_values(["row", key], kind="stable")
    return ordered.drop_duplicates("row").set_index("row")


def _fill(result: "geopandas.GeoDataFrame", column: str, found: "pandas.Series", mask) -> None:
    """Set ``result[column]`` at the positional rows of ``found`` where ``mask`` holds and a value was found."""
    import pandas

    found = found.dropna()
    rows = found.index.to_numpy(dtype=int)
    keep = mask[rows]
    values = result[column].astype(object).to_numpy(copy=True)
    values[rows[keep]] = found.to_numpy(dtype=object)[keep]
    result[column] = pandas.Series(values, index=result.index).astype(result[column].dtype)


def _covering(hits: "pandas.DataFrame", result: "geopandas.GeoDataFrame", precision,
              areas: "geopandas.GeoDataFrame") -> "pandas.DataFrame":
    """Drop the area hits of region- and country-level events whose area does not cover the region."""
    import pandas as pd
    import shapely

    if hits.empty:
        return hits
    keys = _region_keys(result, precision)
    hit_keys = keys.reindex(hits["row"].to_numpy()).to_numpy()
    regional = precision[hits["row"].to_numpy()] > 1
    known = pd.notna(hit_keys)
    # Country-level (3) without a known region: nothing can be said.
    drop = regional & ~known & (precision[hits["row"].to_numpy()] >= 3)
    checked = regional & known
    if checked.any():
        pairs = pd.DataFrame({"key": hit_keys[checked], "area_id": hits["area_id"].to_numpy()[checked]})
        distinct = pairs.drop_duplicates(ignore_index=True)
        extents = _region_extents(distinct["key"].unique().tolist(), areas)
        region = extents.reindex(distinct["key"]).to_numpy()
        area = areas.set_index("area_id").geometry.reindex(distinct["area_id"]).to_numpy()
        has_region = pd.notna(region)
        share = pd.Series(0.0, index=distinct.index)
        if has_region.any():
            inside = shapely.area(shapely.intersection(area[has_region], region[has_region]))
            share[has_region] = inside / shapely.area(region[has_region])
        distinct["covers"] = share.to_numpy() >= _COVER_SHARE
        distinct.loc[~has_region, "covers"] = True  # region polygon unknown: trust the point
        covers = pairs.merge(distinct, on=["key", "area_id"], how="left")["covers"].to_numpy(dtype=bool)
        drop[checked] = ~covers
    return hits[~drop].reset_index(drop=True)


def _region_keys(result: "geopandas.GeoDataFrame", precision) -> "pandas.Series":
    """Per positional row, the region a precision 2/3 event is placed at: ``a1:CODE``, ``area:NAME``, ``cc:XX``."""
    import numpy as np
    import pandas as pd

    code = result["admin1_code"].astype(object).to_numpy()
    name = result["place_name"].astype(object).to_numpy()
    country = result["country_iso2"].astype(object).to_numpy()
    keys = np.full(len(result), None, dtype=object)
    has_code, has_country = pd.notna(code), pd.notna(country)
    region = precision == 2
    nation = precision >= 3
    keys[region & ~has_code] = "area:" + name[region & ~has_code]
    keys[region & has_code] = "a1:" + code[region & has_code]
    keys[nation & has_country] = "cc:" + country[nation & has_country]
    return pd.Series(keys, index=pd.RangeIndex(len(result)), dtype=object)


def _region_extents(keys: list[str], areas: "geopandas.GeoDataFrame") -> "pandas.Series":
    """The polygon of each region key (units sharing an ISO code dissolved); unknown keys left out."""
    import pandas as pd

    wanted = pd.Series(keys, dtype=object)
    codes = wanted[wanted.str.startswith("a1:")].str[3:]
    names = wanted[wanted.str.startswith("area:")].str[5:]
    nations = wanted[wanted.str.startswith("cc:")].str[3:]
    units = admin1_polygons()
    units = units[units["iso_3166_2"].isin(codes)].dissolve("iso_3166_2").geometry
    named = areas.drop_duplicates("area")
    named = named[named["area"].isin(names)].set_index("area").geometry
    countries = country_polygons()
    countries = countries[countries["country_iso2"].isin(nations)].set_index("country_iso2").geometry
    parts = [units.rename(index=lambda c: f"a1:{c}"), named.rename(index=lambda n: f"area:{n}"),
             countries.rename(index=lambda c: f"cc:{c}")]
    return pd.concat([pd.Series(part.to_numpy(), index=part.index, dtype=object) for part in parts])
