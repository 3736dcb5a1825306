"""User overrides: they win, and a malformed file reports file:line and loads the rest."""

from pathlib import Path

import pytest

from gazetteer import Context
from gazetteer.errors import DataFileError
from gazetteer.overrides import Overrides


def test_csv_overrides_load_and_report_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        "name,lat,lon,country,kind,geonameid,aliases\n"
        "Camp Alpha,31.5,34.4,PS,city,,Alpha Camp|Camp A\n"
        "Nowhere,95,10,,,,\n"
        "Bad Lon,10,east,,,,\n"
        ",10,10,,,,\n"
        "Odd Country,10,10,Azerbaijan,,,\n"
        "Odd Kind,10,10,AZ,village,,\n"
        "Too Many,1,2,AZ,city,,,extra\n"
        "Khankendi,39.8,46.75,AZ,city,146970,\n",
        encoding="utf-8",
    )
    overrides = Overrides.load(path)
    assert overrides.problems == [
        f"{path}:3: lat 95.0 is outside -90..90",
        f"{path}:4: lon 'east' is not a number",
        f"{path}:5: missing name",
        f"{path}:6: country 'AZERBAIJAN' is not an ISO 3166-1 alpha-2 code",
        f"{path}:7: kind 'village' is not one of continent, country, area, admin1, district, city",
        f"{path}:8: more fields than the header names",
    ]
    assert len(overrides) == 2
    (alpha,) = overrides.match("alpha camp")
    assert (alpha.lat, alpha.lon, alpha.country_iso2) == (31.5, 34.4, "PS")
    assert overrides.match("Khankendi")[0].geonameid == 146970


def test_toml_overrides_report_the_table_line(tmp_path: Path) -> None:
    path = tmp_path / "places.toml"
    path.write_text(
        '[[place]]\nname = "Forward Base"\nlat = 40.1\nlon = 46.2\naliases = ["FOB"]\n\n'
        '[[place]]\nname = "Broken"\nlat = "north"\nlon = 1\n',
        encoding="utf-8",
    )
    overrides = Overrides.load(path)
    assert overrides.problems == [f"{path}:7: lat 'north' is not a number"]
    assert overrides.match("FOB")[0].name == "Forward Base"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", "place,latitude\nA,1\n", "header must name at least the columns name,lat,lon"),
        ("x.toml", "[[place]\n", "invalid TOML"),
        ("x.json", "{}", "must be a .csv or .toml file"),
        ("missing.csv", None, "no such overrides file"),
    ],
)
def test_unusable_override_files_raise_one_line_errors(tmp_path: Path, name: str, content: str | None,
                                                      message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as info:
        Overrides.load(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_overrides_win_over_the_index(gazetteer, tmp_path: Path) -> None:
    from gazetteer import Gazetteer

    path = tmp_path / "fix.csv"
    path.write_text("name,lat,lon,country\nBaku,40.4,49.9,AZ\n", encoding="utf-8")
    fixed = Gazetteer(gazetteer.index, Overrides.load(path), gazetteer.settings)
    best = fixed.resolve("Baku")[0]
    assert best.method == "override" and best.score == 1.0 and best.place.lat == 40.4
    # a country filter that excludes the override falls back to the index
    assert all(c.method != "override" for c in fixed.resolve("Baku", Context(country="US")))
