"""Exports QGIS and Excel users expect (geo.export, geo.gis_fields, geo.layer_styles, maps.events_gpkg)."""

from __future__ import annotations

import csv
import datetime
import sqlite3
import xml.etree.ElementTree as ElementTree
from contextlib import closing
from pathlib import Path

import pandas
import pyogrio
import pytest
from click.testing import CliRunner

from gazetteer.place import Place
from geo.event_types import LAYER_COLOURS
from geo.export import write_outputs
from geo.frame import events_frame
from geo.gis_fields import date_range
from geo.join import join_regions
from geo.model import Event, Source
from maps.cli.main import cli
from maps.popups import popup_html

#: our own dispatch sentences, in Arabic and Russian
ARABIC = "سقطت قذائف على مدينة خانكندي فجر الأحد."
RUSSIAN = "Ночью снаряды упали на окраину Гянджи."


def _source(article: str, url: str | None, sentence: str = "Shells fell on the town.") -> Source:
    return Source(article_id=article, sentence=sentence, start=0, end=5, sentence_start=0, title=f"Report {article}",
                  url=url)


def _event(name: str, lat: float, lon: float, event_type: str, *, date: str | None, precision: str | None,
           sources: list[Source], fatalities: int | None = None, actors: tuple[str, ...] = ("AM",)) -> Event:
    return Event(event_type=event_type, place=Place(name, lat, lon, "city", "AZ"), place_mention=name, date=date,
                 date_precision=precision, actors=actors, confidence=0.8, sources=sources,
                 fatalities=fatalities, injured=None)


def _events() -> list[Event]:
    return [
        _event("Khankendi", 39.8177, 46.7528, "shelling", date="2020-10-04", precision="day", fatalities=3,
               sources=[_source("a1", "https://www.example.org/news/1", ARABIC),
                        _source("a1", "https://www.example.org/news/1", "A second sentence."),
                        _source("a2", "https://example.org/news/2"),
                        _source("a3", None)]),
        _event("Ganja", 40.6828, 46.3606, "airstrike", date="2020-10", precision="month", actors=("AM", "AZ"),
               sources=[_source("b1", "https://news.example.net/x", RUSSIAN), _source("b2", "http://other.example/y")]),
        _event("Baku", 40.3777, 49.892, "meeting", date="2020", precision="year", actors=(),
               sources=[_source("c1", "javascript:alert(1)")]),
        _event("Tartar", 40.3419, 46.9322, "clash", date=None, precision=None, sources=[]),
    ]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_outputs(join_regions(events_frame(_events())), tmp_path_factory.mktemp("gis"))


@pytest.fixture(scope="module")
def gpkg_rows(written) -> dict[str, dict]:
    frame = pyogrio.read_dataframe(written["gpkg"], layer="events")
    return {row["place_name"]: {key: None if isinstance(value, float) and value != value else value
                                for key, value in row.items()} for row in frame.to_dict("records")}


def test_date_range_of_each_precision() -> None:
    assert date_range("2020-10-04") == (datetime.date(2020, 10, 4),) * 2
    assert date_range("2020-02") == (datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))
    assert date_range("2021") == (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    assert date_range(None) == date_range("2020-13") == date_range("Sunday") == (None, None)


def test_gpkg_field_types(written) -> None:
    info = pyogrio.read_info(written["gpkg"], layer="events")
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert types["date"] == types["date_start"] == types["date_end"] == "OFTDate"
    for name in ("fatalities", "injured", "n_articles", "n_sources", "geonameid", "geo_precision"):
        assert types[name] in ("OFTInteger", "OFTInteger64"), name
    assert types["first_url"] == types["actors_text"] == "OFTString"


def test_gpkg_dates_span_the_precision(gpkg_rows) -> None:
    def day(value):
        return None if value is None or value is pandas.NaT else value.date()

    khankendi, ganja, baku, tartar = (gpkg_rows[name] for name in ("Khankendi", "Ganja", "Baku", "Tartar"))
    assert [day(khankendi[k]) for k in ("date", "date_start", "date_end")] == [datetime.date(2020, 10, 4)] * 3
    assert [day(ganja[k]) for k in ("date", "date_start", "date_end")] == [
        datetime.date(2020, 10, 1), datetime.date(2020, 10, 1), datetime.date(2020, 10, 31)]
    assert (day(baku["date_start"]), day(baku["date_end"])) == (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    assert [day(tartar[k]) for k in ("date", "date_start", "date_end")] == [None] * 3


def test_gpkg_flat_fields(gpkg_rows) -> None:
    khankendi, ganja, baku, tartar = (gpkg_rows[name] for name in ("Khankendi", "Ganja", "Baku", "Tartar"))
    # four sentences, three articles, one outlet (example.org with or without www; a3 has no URL)
    assert (khankendi["n_articles"], khankendi["n_sources"]) == (3, 1)
    assert khankendi["first_url"] == "https://www.example.org/news/1"
    assert khankendi["fatalities"] == 3 and khankendi["actors_text"] == "AM"
    assert (ganja["n_articles"], ganja["n_sources"], ganja["actors_text"]) == (2, 2, "AM, AZ")
    assert (baku["n_articles"], baku["n_sources"], baku["first_url"]) == (1, 0, None)  # not an http(s) URL
    assert baku["actors_text"] is None
    assert (tartar["n_articles"], tartar["n_sources"]) == (0, 0)


def test_popups_count_articles_and_outlets_as_the_exports(gpkg_rows, written) -> None:
    import json

    features = json.loads(written["geojson"].read_text(encoding="utf-8"))["features"]
    khankendi = next(f["properties"] for f in features if f["properties"]["place_name"] == "Khankendi")
    assert "3 articles · 1 outlet<" in popup_html(khankendi)


def test_gpkg_stores_a_default_style_per_layer(written) -> None:
    info = pyogrio.read_info(written["gpkg"], layer="layer_styles")
    assert list(info["fields"]) == ["f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
                                    "styleName", "styleQML", "styleSLD", "useAsDefault", "description", "owner",
                                    "ui", "update_time"]
    with closing(sqlite3.connect(written["gpkg"])) as db:
        rows = db.execute("SELECT f_table_name, f_geometry_column, styleQML, useAsDefault FROM layer_styles").fetchall()
    assert sorted(row[0] for row in rows) == ["admin1", "areas", "countries", "events"]
    assert all(row[1] == "geom" and row[3] == 1 for row in rows)
    events = ElementTree.fromstring(next(row[2] for row in rows if row[0] == "events"))
    renderer = events.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "layer"
    categories = {c.get("value"): c.get("symbol") for c in renderer.iter("category")}
    assert list(categories) == list(LAYER_COLOURS)
    colours = {s.get("name"): next(o.get("value") for o in s.iter("Option") if o.get("name") == "color")
               for s in renderer.iter("symbol")}
    red = ",".join(str(int(LAYER_COLOURS["Shelling sites"][i:i + 2], 16)) for i in (1, 3, 5)) + ",255"
    assert colours[categories["Shelling sites"]] == red
    admin1 = ElementTree.fromstring(next(row[2] for row in rows if row[0] == "admin1"))
    assert admin1.find("renderer-v2").get("attr") == "n_events"


def test_csv_has_a_bom_and_round_trips_arabic_and_cyrillic(written) -> None:
    raw = written["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfevent_id,")
    with written["csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["place_name"]: row for row in csv.DictReader(handle)}
    assert ARABIC in rows["Khankendi"]["sources"] and RUSSIAN in rows["Ganja"]["sources"]
    assert (rows["Ganja"]["date_start"], rows["Ganja"]["date_end"]) == ("2020-10-01", "2020-10-31")
    assert (rows["Khankendi"]["n_articles"], rows["Khankendi"]["n_sources"]) == ("3", "1")
    assert rows["Tartar"]["date_start"] == "" and rows["Baku"]["first_url"] == ""


# --------------------------------------------------------------------------- map of a GeoPackage


@pytest.fixture(scope="module")
def runner(gazetteer) -> CliRunner:
    return CliRunner()


def test_map_renders_an_edited_gpkg(runner, written, tmp_path) -> None:
    """An analyst retypes one event and moves another in QGIS, saves, and maps the GeoPackage."""
    edited = tmp_path / "edited.gpkg"
    frame = pyogrio.read_dataframe(written["gpkg"], layer="events")
    frame.loc[frame["place_name"] == "Tartar", "event_type"] = "attack"
    frame.loc[frame["place_name"] == "Baku", "geometry"] = frame.loc[frame["place_name"] == "Ganja", "geometry"].iloc[0]
    pyogrio.write_dataframe(frame, edited, layer="events", driver="GPKG")
    result = runner.invoke(cli, ["map", str(edited), "--out", str(tmp_path / "map.html")])
    assert result.exit_code == 0, result.output
    assert "4 events drawn" in result.stderr
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "Attacks on civilians" in page and "2020-10" in page


def test_gpkg_dates_come_back_in_their_precision(written) -> None:
    from maps.events_file import read_events_file

    frame = read_events_file(written["gpkg"])
    dates = dict(zip(frame["place_name"], frame["date"].astype(object).where(frame["date"].notna(), None)))
    assert dates == {"Khankendi": "2020-10-04", "Ganja": "2020-10", "Baku": "2020", "Tartar": None}
    assert dict(zip(frame["place_name"], frame["fatalities"].astype(object)))["Khankendi"] == 3
    assert "n_articles" not in frame.columns


@pytest.mark.parametrize("content, problem", [
    (b"not a database at all", "not a GeoPackage (not an SQLite file)"),
    (None, "no such file"),
])
def test_map_names_the_problem_with_a_bad_gpkg(runner, tmp_path, content, problem) -> None:
    path = tmp_path / "edited.gpkg"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(cli, ["map", str(path), "--out", str(tmp_path / "map.html")])
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0] and problem in lines[0], result.stderr
    assert "UTF-8" not in result.stderr and "Traceback" not in result.output


def test_map_names_a_gpkg_without_events(runner, written, tmp_path) -> None:
    path = tmp_path / "regions.gpkg"
    pyogrio.write_dataframe(pyogrio.read_dataframe(written["gpkg"], layer="countries"), path, layer="countries")
    result = runner.invoke(cli, ["map", str(path), "--out", str(tmp_path / "map.html")])
    assert result.exit_code != 0
    assert "has no 'events' layer (layers: countries)" in result.stderr


def test_map_names_an_sqlite_file_whose_events_have_no_geometry(runner, tmp_path) -> None:
    path = tmp_path / "notes.sqlite"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE events (note TEXT)")
        db.execute("INSERT INTO events VALUES ('Ganja, 4 October')")
    result = runner.invoke(cli, ["map", str(path), "--out", str(tmp_path / "map.html")])
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == [
        f"conflict-map: error: {path}: the 'events' layer has no geometry; every event needs a Point"]
