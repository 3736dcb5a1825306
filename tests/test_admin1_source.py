"""Admin-1 units come from the gazetteer when it knows the place (geo.join, gazetteer.city_units).

The vendored polygons are simplified (0.03°): Khankendi's point falls in Khojali's polygon
and Jabrayil's in Khojavend's.  The gazetteer places them in Stepanakert (AZ-XA) and
Jabrayil (AZ-CAB), and every output says what ``geocode`` says.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyogrio
import pytest
from click.testing import CliRunner

from maps.cli.main import cli

#: our own dispatch: a shelling of Stepanakert and a clash at Jabrayil
DISPATCH = """Night of shelling in Karabakh
Published: 2020-10-04

Rockets struck Stepanakert on Sunday morning, damaging houses near the central market, officials said.
Heavy fighting broke out around Jabrayil on Sunday as troops advanced on the town.
"""


@pytest.fixture(scope="module")
def extracted(gazetteer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("admin1")
    (folder / "articles").mkdir()
    (folder / "articles" / "karabakh-night.txt").write_text(DISPATCH, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(folder / "articles"), "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return folder / "out"


def _geocoded(name: str) -> str:
    result = CliRunner().invoke(cli, ["geocode", name, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)[0]["admin1_code"]


def _codes_by_place(out: Path) -> dict[str, set[str]]:
    features = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    codes: dict[str, set[str]] = {}
    for feature in features:
        codes.setdefault(feature["properties"]["place_name"], set()).add(feature["properties"]["admin1_code"])
    return codes


def test_the_gazetteer_places_khankendi_and_jabrayil_in_their_own_units(gazetteer) -> None:
    assert _geocoded("Stepanakert") == "AZ-XA"
    assert _geocoded("Jabrayil") == "AZ-CAB"


def test_exports_carry_the_gazetteers_admin1(extracted: Path) -> None:
    codes = _codes_by_place(extracted)
    assert codes["Khankendi"] == {"AZ-XA"}
    assert codes["Jabrayil"] == {"AZ-CAB"}
    with (extracted / "events.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["place_name"]: row["admin1_code"] for row in csv.DictReader(handle)}
    assert (rows["Khankendi"], rows["Jabrayil"]) == ("AZ-XA", "AZ-CAB")
    events = pyogrio.read_dataframe(extracted / "events.gpkg", layer="events")
    assert dict(zip(events["place_name"], events["admin1_code"])) == rows
    units = pyogrio.read_dataframe(extracted / "events.gpkg", layer="admin1")
    assert set(units["admin1_code"]) == {"AZ-XA", "AZ-CAB"}


def test_exports_equal_geocode(extracted: Path) -> None:
    codes = _codes_by_place(extracted)
    assert codes["Khankendi"] == {_geocoded("Khankendi")}
    assert codes["Jabrayil"] == {_geocoded("Jabrayil")}


def test_choropleth_counts_the_same_units(extracted: Path) -> None:
    from maps.choropleth import admin1_choropleth
    from maps.events_file import read_events_file

    frame = read_events_file(extracted / "events.geojson")
    choropleth = admin1_choropleth(frame)
    counted = {feature["properties"]["match"]: feature["properties"]["n_events"]
               for feature in choropleth.geojson["features"]}
    assert set(counted) == {"AZ-XA", "AZ-CAB"}
    assert sum(counted.values()) == len(frame)
