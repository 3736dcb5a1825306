"""Writing events.geojson, events.gpkg and events.csv (geo.export)."""

from __future__ import annotations

import csv
import json
import os
import re

import geopandas
import pyogrio
import pytest

from gazetteer.place import Place
from geo import export
from geo.errors import OutputError
from geo.export import COUNT_COLUMNS, read_events_geojson, write_frames, write_outputs
from geo.frame import PROPERTY_COLUMNS, events_frame
from geo.gis_fields import FLAT_COLUMNS
from geo.join import join_regions, joined_frames
from geo.model import EVENT_TYPES, Event, Source, output_order

ARABIC = "قصفت المدفعية مدينة خانكندي صباح اليوم."


def _event(name: str, lat: float, lon: float, event_type: str, *, kind: str = "city",
           country: str | None = "AZ", date: str | None = "2020-10-04", fatalities: int | None = None,
           injured: int | None = None) -> Event:
    source = Source(article_id="dispatch-01", sentence=ARABIC if name == "Khankendi" else f"Fighting near {name}.",
                    start=0, end=len(name), sentence_start=0, title=None, url="https://example.org/1",
                    fatalities=fatalities, injured=injured)
    return Event(event_type=event_type, place=Place(name, lat, lon, kind, country), place_mention=name,
                 date=date, date_precision="day" if date else None, actors=("AM", "AZ"),
                 confidence=0.87654, sources=[source], fatalities=fatalities, injured=injured,
                 actor_mentions=("Armenian forces", "Azerbaijani army"))


def _events() -> list[Event]:
    return [
        _event("Khankendi", 39.81771234567, 46.75281234567, "shelling", fatalities=2, injured=0),
        _event("Stepanakert", 39.8285, 46.7662, "airstrike", date=None),
        _event("Baku", 40.3777, 49.892, "meeting"),
        _event("Azerbaijan", 40.4901, 48.463, "statement", kind="country"),
        _event("Yerevan", 40.1811, 44.5136, "visit", country="AM"),
    ]


@pytest.fixture(scope="module")
def frame():
    return join_regions(events_frame(_events()))


@pytest.fixture(scope="module")
def written(frame, tmp_path_factory):
    return write_outputs(frame, tmp_path_factory.mktemp("out") / "new" / "dir")


def test_writes_the_three_files(written):
    assert {layer: path.name for layer, path in written.items()} == {
        "geojson": "events.geojson", "gpkg": "events.gpkg", "csv": "events.csv"}
    directory = written["csv"].parent
    assert sorted(os.listdir(directory)) == ["events.csv", "events.geojson", "events.gpkg"]


def test_geojson_reads_back_with_geopandas(written, frame):
    back = geopandas.read_file(written["geojson"])
    assert len(back) == len(frame)
    assert set(back["event_id"]) == set(frame["event_id"])
    assert back.crs.to_epsg() == 4326


def test_geojson_is_rfc7946(written):
    text = written["geojson"].read_text(encoding="utf-8")
    document = json.loads(text)
    assert "crs" not in document and document["type"] == "FeatureCollection"
    features = {feature["properties"]["place_name"]: feature for feature in document["features"]}
    assert features["Khankendi"]["geometry"] == {"type": "Point", "coordinates": [46.752812, 39.817712]}
    assert features["Baku"]["geometry"]["coordinates"] == [49.892, 40.3777]  # lon, lat
    for number in re.findall(r'"coordinates": \[([^\]]*)\]', text):
        for value in number.split(", "):
            assert len(value.partition(".")[2]) <= 6, value
    properties = features["Khankendi"]["properties"]
    assert list(properties) == [*PROPERTY_COLUMNS, "areas"]
    assert properties["actors"] == ["AM", "AZ"]
    assert properties["actor_mentions"] == ["Armenian forces", "Azerbaijani army"]
    assert properties["areas"] == ["Nagorno-Karabakh", "South Caucasus", "Caucasus"]
    assert properties["sources"][0]["title"] is None and properties["sources"][0]["sentence"] == ARABIC
    assert features["Stepanakert"]["properties"]["date"] is None
    assert ARABIC in text and "\\u" not in text


def test_geojson_is_byte_identical_across_runs_and_input_order(written, frame, tmp_path):
    shuffled = frame.iloc[::-1].reset_index(drop=True)
    again = write_outputs(shuffled, tmp_path, layers=("geojson",))["geojson"]
    assert again.read_bytes() == written["geojson"].read_bytes()
    ids = [f["properties"]["event_id"] for f in json.loads(again.read_text(encoding="utf-8"))["features"]]
    assert ids == frame.sort_values(["event_type", "date", "place_name", "event_id"], na_position="first")[
        "event_id"].tolist()


def test_read_events_geojson_round_trips(written, frame):
    back = read_events_geojson(written["geojson"])
    assert list(back.columns) == [*PROPERTY_COLUMNS, "areas", "geometry"]
    expected = frame.set_index("event_id")
    for row in back.itertuples(index=False):
        assert row.actors == list(expected.loc[row.event_id, "actors"])
        assert row.actor_mentions == list(expected.loc[row.event_id, "actor_mentions"])
        assert row.areas == expected.loc[row.event_id, "areas"]
        assert row.geometry.distance(expected.loc[row.event_id, "geometry"]) < 1e-6


def test_gpkg_has_events_and_region_layers_with_counts(written):
    path = written["gpkg"]
    assert [name for name, _ in pyogrio.list_layers(path)] == ["events", "countries", "admin1", "areas",
                                                               "layer_styles"]
    events = geopandas.read_file(path, layer="events")
    assert len(events) == 5
    assert json.loads(events.loc[events["place_name"] == "Baku", "actors"].iloc[0]) == ["AM", "AZ"]
    assert json.loads(events.loc[events["place_name"] == "Baku", "actor_mentions"].iloc[0]) == [
        "Armenian forces", "Azerbaijani army"]
    countries = geopandas.read_file(path, layer="countries")
    assert countries["country_iso2"].tolist() == ["AM", "AZ"]  # only countries with events
    counts = countries.set_index("country_iso2")[list(COUNT_COLUMNS)]
    assert COUNT_COLUMNS == (*(f"n_{event_type}" for event_type in EVENT_TYPES), "n_events")
    assert len(COUNT_COLUMNS) == 11  # the 10 types of the taxonomy, then the total
    assert counts.loc["AZ"].to_dict() == {**{f"n_{event_type}": 0 for event_type in EVENT_TYPES},
                                          "n_shelling": 1, "n_airstrike": 1, "n_meeting": 1, "n_statement": 1,
                                          "n_events": 4}
    assert counts.loc["AM", "n_visit"] == 1
    admin1 = geopandas.read_file(path, layer="admin1").set_index("admin1_code")
    assert set(admin1.index) == {"AZ-XCI", "AZ-XA", "AZ-BA", "AM-ER"}  # the country event has no unit
    assert admin1.loc["AZ-XA", "n_airstrike"] == 1
    areas = geopandas.read_file(path, layer="areas").set_index("area")
    assert areas["n_events"].to_dict() == {"Caucasus": 5, "Nagorno-Karabakh": 2, "South Caucasus": 5}
    assert set(areas.geometry.geom_type) == {"MultiPolygon"}


def test_csv_columns_and_values(written):
    with written["csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [*PROPERTY_COLUMNS, "areas", *FLAT_COLUMNS, "lon", "lat"]
    khankendi = next(row for row in rows if row["place_name"] == "Khankendi")
    assert (khankendi["lon"], khankendi["lat"]) == ("46.752812", "39.817712")
    assert json.loads(khankendi["actors"]) == ["AM", "AZ"]
    assert json.loads(khankendi["actor_mentions"]) == ["Armenian forces", "Azerbaijani army"]
    assert json.loads(khankendi["sources"])[0]["sentence"] == ARABIC
    assert khankendi["confidence"] == "0.877" and khankendi["geonameid"] == ""


#: (fatalities, injured, acled_event_type, acled_sub_event_type) of each place of _events()
CASUALTIES_AND_ACLED = {
    "Khankendi": (2, 0, "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "Stepanakert": (None, None, "Explosions/Remote violence", "Air/drone strike"),
    "Baku": (None, None, None, None),
    "Azerbaijan": (None, None, None, None),
    "Yerevan": (None, None, None, None),
}
NEW_COLUMNS = ("fatalities", "injured", "acled_event_type", "acled_sub_event_type")


def test_frame_types_the_casualty_and_acled_columns(frame):
    assert str(frame["fatalities"].dtype) == "Int64" and str(frame["injured"].dtype) == "Int64"
    assert str(frame["acled_event_type"].dtype) == "str" and str(frame["acled_sub_event_type"].dtype) == "str"
    assert all(isinstance(value, list) for value in frame["actor_mentions"])


def test_geojson_carries_casualties_and_acled_types(written):
    document = json.loads(written["geojson"].read_text(encoding="utf-8"))
    found = {f["properties"]["place_name"]: tuple(f["properties"][name] for name in NEW_COLUMNS)
             for f in document["features"]}
    assert found == CASUALTIES_AND_ACLED
    khankendi = next(f["properties"] for f in document["features"] if f["properties"]["place_name"] == "Khankendi")
    assert (khankendi["sources"][0]["fatalities"], khankendi["sources"][0]["injured"]) == (2, 0)


def test_csv_carries_casualties_and_acled_types(written):
    with written["csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["place_name"]: tuple(row[name] for name in NEW_COLUMNS) for row in csv.DictReader(handle)}
    assert rows == {name: tuple("" if value is None else str(value) for value in values)
                    for name, values in CASUALTIES_AND_ACLED.items()}


def test_gpkg_carries_casualties_and_acled_types(written):
    info = pyogrio.read_info(written["gpkg"], layer="events")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["fatalities"] == types["injured"] == "int64"  # integer fields, nulls kept
    events = geopandas.read_file(written["gpkg"], layer="events")
    found = {row["place_name"]: tuple(None if value is None or value != value else value
                                      for value in (row[name] for name in NEW_COLUMNS))
             for _, row in events.iterrows()}
    assert found == CASUALTIES_AND_ACLED


def test_empty_frame_writes_empty_outputs(tmp_path):
    paths = write_outputs(events_frame([]), tmp_path)
    assert json.loads(paths["geojson"].read_text(encoding="utf-8")) == {"type": "FeatureCollection", "features": []}
    assert paths["csv"].read_text(encoding="utf-8-sig").splitlines() == [
        ",".join([*PROPERTY_COLUMNS, *FLAT_COLUMNS, "lon", "lat"])]
    assert len(pyogrio.list_layers(paths["gpkg"])) == 5


@pytest.mark.parametrize("below", ["", "out"])
def test_unwritable_out_dir_raises_output_error(frame, tmp_path, below):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    out_dir = blocker / below if below else blocker
    with pytest.raises(OutputError, match=re.escape(str(out_dir))) as caught:
        write_outputs(frame, out_dir)
    assert "\n" not in str(caught.value)
    assert sorted(os.listdir(tmp_path)) == ["a-file"] and blocker.read_text() == "not a directory"


def test_failed_write_leaves_existing_outputs_untouched(frame, tmp_path, monkeypatch):
    first = write_outputs(frame, tmp_path)
    before = {path.name: path.read_bytes() for path in first.values()}

    def broken_gpkg(writer, frame):  # writes part of the file, then the disk fills up
        writer.path.write_bytes(b"SQLite format 3\x00 partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export._GpkgWriter, "add", broken_gpkg)
    with pytest.raises(OutputError, match="events.gpkg: cannot write: No space left on device"):
        write_outputs(frame.iloc[:2], tmp_path)
    assert sorted(os.listdir(tmp_path)) == sorted(before)  # no staging directory or temp file left
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_failed_replace_leaves_existing_outputs_untouched(frame, tmp_path, monkeypatch):
    write_outputs(frame, tmp_path, layers=("csv",))
    before = (tmp_path / "events.csv").read_bytes()

    def refuse(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)  # geo.staging.commit moves the files
    with pytest.raises(OutputError, match="events.csv: cannot replace"):
        write_outputs(frame.iloc[:1], tmp_path, layers=("csv",))
    assert os.listdir(tmp_path) == ["events.csv"] and (tmp_path / "events.csv").read_bytes() == before


def test_layers_subset_and_unknown_format(frame, tmp_path):
    assert list(write_outputs(frame, tmp_path, layers=("csv",))) == ["csv"]
    assert os.listdir(tmp_path) == ["events.csv"]
    with pytest.raises(ValueError, match="shp"):
        write_outputs(frame, tmp_path, layers=("shp",))


@pytest.mark.parametrize("rows", [1, 2, 4])
def test_chunked_export_equals_the_whole(written, tmp_path, rows):
    """Frames of a few rows each (the first of rows=2 has no casualty figure at all) write the same files."""
    chunks = list(joined_frames(sorted(_events(), key=output_order), rows=rows))
    assert [len(chunk) for chunk in chunks] == [min(rows, 5 - start) for start in range(0, 5, rows)]
    paths = write_frames(chunks, tmp_path)
    for layer in ("geojson", "csv"):
        assert paths[layer].read_bytes() == written[layer].read_bytes()
    assert pyogrio.read_info(paths["gpkg"], layer="events")["dtypes"].tolist() == pyogrio.read_info(
        written["gpkg"], layer="events")["dtypes"].tolist()
    for name, _ in pyogrio.list_layers(written["gpkg"]):
        if name != "layer_styles":  # its rows carry the time they were written
            whole = pyogrio.read_dataframe(written["gpkg"], layer=name)
            assert pyogrio.read_dataframe(paths["gpkg"], layer=name).equals(whole), name


def test_no_events_is_one_empty_chunk(tmp_path):
    chunks = list(joined_frames([]))
    assert [len(chunk) for chunk in chunks] == [0]
    paths = write_frames(chunks, tmp_path, layers=("geojson",))
    assert json.loads(paths["geojson"].read_text(encoding="utf-8")) == {"type": "FeatureCollection", "features": []}


def test_events_out_of_output_order_are_refused():
    with pytest.raises(ValueError, match="out of output order"):
        list(joined_frames(sorted(_events(), key=output_order, reverse=True)))
