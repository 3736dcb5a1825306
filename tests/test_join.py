"""Spatial joins of events with countries, admin-1 units and named areas (geo.join)."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from gazetteer.place import Place
from geo.frame import PROPERTY_COLUMNS, events_frame
from geo.join import admin1_polygons, country_polygons, join_regions
from geo.model import Event

CAUCASUS_CHAIN = ["Nagorno-Karabakh", "South Caucasus", "Caucasus"]


def _event(name: str, lat: float, lon: float, *, kind: str = "city", country: str | None = "AZ",
           event_type: str = "shelling", **place: object) -> Event:
    return Event(event_type=event_type, place=Place(name, lat, lon, kind, country, **place), place_mention=name,
                 date="2020-10-04", date_precision="day", actors=("Armenian forces",), confidence=0.8)


def _row(frame, name: str):
    rows = frame[frame["place_name"] == name]
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows.iloc[0]


def _missing(value: object) -> bool:
    return value is None or value != value  # None or NaN


def _shared_border_vertex() -> tuple[float, float, list[str]]:
    """A vertex of the shared border of Stepanakert (AZ-XA) and Khojali (AZ-XCI), and the
    adm1_codes of every unit it touches (two or more)."""
    units = admin1_polygons()
    first = units.loc[units["iso_3166_2"] == "AZ-XA", "geometry"].iloc[0]
    second = units.loc[units["iso_3166_2"] == "AZ-XCI", "geometry"].iloc[0]
    common = set(map(tuple, shapely.get_coordinates(first).tolist())) & set(
        map(tuple, shapely.get_coordinates(second).tolist()))
    assert common, "the two units no longer share a vertex"
    lon, lat = min(common)
    touching = units[units.intersects(shapely.Point(lon, lat))]["adm1_code"].tolist()
    assert len(touching) >= 2
    return lon, lat, sorted(touching)


@pytest.fixture(scope="module")
def joined():
    events = [
        _event("Khankendi", 39.8177, 46.7528, geonameid=146970),
        # The label point of the (simplified) Stepanakert unit, inside the city.
        _event("Stepanakert", 39.8285, 46.7662, event_type="clash"),
        _event("Baku", 40.3777, 49.8920, event_type="meeting", geonameid=587084),
        # Neft Daşları, the oil platform town in the Caspian Sea: outside every polygon.
        _event("Neft Daslari", 40.22, 50.86, admin1="Baku", admin1_code="AZ-BA"),
        _event("Azerbaijan", 40.4901, 48.463, kind="country", event_type="statement"),
        _event("Nagorno-Karabakh", 39.82, 46.75, kind="area", event_type="clash"),
        # A multi-country area placed at a point in Georgia.
        _event("Caucasus", 42.0, 44.0, kind="area", country=None, event_type="statement"),
        # A region-level event whose point happens to lie in a neighbouring unit.
        _event("Shusha", 39.8177, 46.7528, kind="admin1", admin1="Shusha", admin1_code="AZ-X01~"),
    ]
    return join_regions(events_frame(events))


def test_khankendi_lies_in_azerbaijan_and_nagorno_karabakh(joined):
    row = _row(joined, "Khankendi")
    assert row["country_iso2"] == "AZ"
    assert row["area"] == "Nagorno-Karabakh"
    assert row["areas"] == CAUCASUS_CHAIN
    # The vendored units are simplified (0.03°): the Stepanakert unit is a small triangle
    # that misses the city's GeoNames point by ~600 m, which falls in Khojali next to it;
    # a point the gazetteer gives no unit is joined by the polygons.
    assert (row["admin1"], row["admin1_code"]) == ("Khojali", "AZ-XCI")


def test_the_gazetteers_unit_wins_over_the_simplified_polygon():
    frame = events_frame([_event("Khankendi", 39.8177, 46.7528, admin1="Stepanakert", admin1_code="AZ-XA"),
                          _event("Jabrayil", 39.39917, 47.02835, admin1="Jabrayil", admin1_code="AZ-CAB")])
    joined = join_regions(frame)
    assert (_row(joined, "Khankendi")["admin1_code"], _row(joined, "Jabrayil")["admin1_code"]) == ("AZ-XA", "AZ-CAB")
    assert _row(joined, "Khankendi")["area"] == "Nagorno-Karabakh"


def test_a_moved_point_is_joined_afresh():
    """An analyst moved the Khankendi event to Baku: its old unit is far away, the polygon decides."""
    frame = events_frame([_event("Khankendi", 40.3777, 49.892, admin1="Stepanakert", admin1_code="AZ-XA"),
                          _event("Jabrayil", 39.39917, 47.02835, country="AM", admin1="Jabrayil",
                                 admin1_code="AZ-CAB")])
    joined = join_regions(frame)
    assert (_row(joined, "Khankendi")["admin1"], _row(joined, "Khankendi")["admin1_code"]) == ("Baku", "AZ-BA")
    # a unit of another country than the event's is not trusted either
    assert _row(joined, "Jabrayil")["admin1_code"] == "AZ-XVD"


def test_point_inside_stepanakert_unit_gets_az_xa(joined):
    row = _row(joined, "Stepanakert")
    assert (row["country_iso2"], row["admin1"], row["admin1_code"]) == ("AZ", "Stepanakert", "AZ-XA")
    assert row["areas"] == CAUCASUS_CHAIN


def test_city_outside_karabakh_is_only_in_the_wider_areas(joined):
    row = _row(joined, "Baku")
    assert (row["admin1_code"], row["area"], row["areas"]) == ("AZ-BA", "South Caucasus", CAUCASUS_CHAIN[1:])


def test_point_at_sea_keeps_the_gazetteer_country_and_unit(joined):
    assert not country_polygons().intersects(shapely.Point(50.86, 40.22)).any()
    row = _row(joined, "Neft Daslari")
    assert (row["country_iso2"], row["admin1"], row["admin1_code"]) == ("AZ", "Baku", "AZ-BA")
    assert _missing(row["area"]) and row["areas"] == []


def test_country_event_gets_no_admin1_unit_and_no_smaller_area(joined):
    units = admin1_polygons()
    assert units.intersects(shapely.Point(48.463, 40.4901)).any()  # its label point is in some unit
    row = _row(joined, "Azerbaijan")
    assert row["country_iso2"] == "AZ"
    assert _missing(row["admin1"]) and _missing(row["admin1_code"])
    assert row["area"] == "South Caucasus" and row["areas"] == CAUCASUS_CHAIN[1:]


def test_area_events_are_in_themselves_not_in_smaller_areas(joined):
    karabakh = _row(joined, "Nagorno-Karabakh")
    assert _missing(karabakh["admin1_code"])
    assert karabakh["area"] == "Nagorno-Karabakh" and karabakh["areas"] == CAUCASUS_CHAIN
    caucasus = _row(joined, "Caucasus")
    assert _missing(caucasus["country_iso2"]) and _missing(caucasus["admin1"])
    assert caucasus["area"] == "Caucasus" and caucasus["areas"] == ["Caucasus"]


def test_region_event_keeps_its_own_unit(joined):
    row = _row(joined, "Shusha")
    assert (row["admin1"], row["admin1_code"]) == ("Shusha", "AZ-X01~")
    assert row["area"] == "Nagorno-Karabakh"


def test_point_on_a_shared_border_yields_one_row():
    lon, lat, touching = _shared_border_vertex()
    frame = events_frame([_event("Border village", lat, lon)])
    first, second = join_regions(frame), join_regions(frame)
    assert len(first) == 1
    lowest = admin1_polygons().set_index("adm1_code").loc[touching[0]]
    assert (first.iloc[0]["admin1_code"], first.iloc[0]["admin1"]) == (lowest["iso_3166_2"], lowest["name"])
    assert first.drop(columns="geometry").equals(second.drop(columns="geometry"))


def test_rows_order_and_input_are_kept():
    frame = events_frame([_event("Baku", 40.3777, 49.892), _event("Khankendi", 39.8177, 46.7528)])
    before = frame.copy()
    result = join_regions(frame)
    assert result["event_id"].tolist() == frame["event_id"].tolist()
    assert list(result.columns) == [*PROPERTY_COLUMNS, "geometry", "areas"]
    assert frame.drop(columns="geometry").equals(before.drop(columns="geometry"))
    assert frame["admin1"].isna().all()


def test_empty_frame():
    result = join_regions(events_frame([]))
    assert len(result) == 0 and "areas" in result.columns


def test_user_area_file_adds_a_smaller_area(tmp_path: Path):
    areas = tmp_path / "areas.toml"
    areas.write_text('[[area]]\nid = "khojali-district"\nname = "Khojali district"\ncountry = "AZ"\n'
                     'members = ["AZ-XCI"]\n', encoding="utf-8")
    frame = events_frame([_event("Khankendi", 39.8177, 46.7528)])
    row = join_regions(frame, area_files=[areas]).iloc[0]
    assert row["area"] == "Khojali district"
    assert row["areas"] == ["Khojali district", *CAUCASUS_CHAIN]


def test_rejects_what_is_not_an_events_frame():
    with pytest.raises(TypeError):
        join_regions([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="event_id"):
        join_regions(events_frame([]).drop(columns="event_id"))


def test_area_unions_are_derived_once_into_the_cache_and_read_back_exactly(tmp_path: Path, monkeypatch):
    from gazetteer.areas import area_polygons, load_areas
    from geo import join

    monkeypatch.setenv("CONFLICT_MAP_CACHE_DIR", str(tmp_path / "cache"))
    extra = tmp_path / "areas.toml"
    extra.write_text('[[area]]\nid = "aa-test-area"\nname = "Test area"\ncountry = "AZ"\nmembers = ["AZ-XCI", "AZ-SUS"]\n',
                     encoding="utf-8")
    expected = area_polygons(load_areas([extra]))
    expected["size"] = expected.geometry.to_crs(join._EQUAL_AREA_CRS).area
    expected = expected.sort_values("area_id", kind="stable").reset_index(drop=True)
    join._area_polygons.cache_clear()
    try:
        derived = join.named_area_polygons([extra])
        join._area_polygons.cache_clear()
        read_back = join.named_area_polygons([extra])  # from the cache folder
        assert len(list((tmp_path / "cache" / "boundaries").glob("areas-*"))) == 1
        for frame in (derived, read_back):
            assert frame.drop(columns="geometry").equals(expected.drop(columns="geometry"))
            assert frame.crs == expected.crs
            assert [g.wkb for g in frame.geometry] == [g.wkb for g in expected.geometry]
        extra.write_text(extra.read_text(encoding="utf-8").replace('"AZ-SUS"', '"AZ-XA"'), encoding="utf-8")
        join._area_polygons.cache_clear()
        changed = join.named_area_polygons([extra])  # other members: other unions, another folder
        assert len(list((tmp_path / "cache" / "boundaries").glob("areas-*"))) == 2
        assert not changed.geometry[0].equals(read_back.geometry[0])
    finally:
        join._area_polygons.cache_clear()
