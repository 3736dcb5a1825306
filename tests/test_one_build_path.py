"""One build path: the same corpus through the local engine, a pool of 2 and Dask gives the same bytes.

The corpus is a few dispatches written for this test; a user areas file (through the
configuration) and an overrides file (``--overrides``) are in play, so the map's areas and
the visitors' capitals must come from them on every engine; a review file too.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DISPATCHES = {
    "ganja_shelling.txt": "Shelling hits Ganja\nPublished: 2020-10-05\n\n"
                          "Artillery shells struck residential streets of Ganja on 4 October 2020, killing two "
                          "civilians and wounding nine, the city administration said.\n",
    "zorbalinsk_clash.txt": "Fighting near Zorbalinsk\nPublished: 2020-10-06\n\n"
                            "Heavy fighting broke out near Zorbalinsk on 5 October 2020 as troops advanced along "
                            "the river road, a defence ministry spokesman said. Shelling was also reported in "
                            "Qervalash.\n",  # a name no gazetteer has: every engine's summary counts it
    "baku_visit.txt": "French minister in Baku\nPublished: 2020-10-07\n\n"
                      "The French foreign minister arrived in Baku on 6 October 2020 for talks on the conflict, "
                      "officials said.\n",
}
AREAS = ('[[area]]\nid = "ganja-test-area"\nname = "Ganja test area"\ncountry = "AZ"\nmembers = ["AZ-GA"]\n'
         '[area.names]\nen = ["Ganja test area"]\n')
OVERRIDES = "name,lat,lon,country,kind\nZorbalinsk,40.1,47.2,AZ,city\nParis,48.9,2.4,FR,city\n"
GANJA_SHELLING = hashlib.sha256(b"shelling|gn:586523|2020-10-04").hexdigest()[:16]  # Event.event_id
REVIEW = f"event_id,action,note\n{GANJA_SHELLING},note,seen by our stringer\n0123456789abcdef,drop,\n"
COMPARED = ("events.geojson", "events.csv", "map.html")
ENGINES = {
    "local": [],
    "pool": ["--workers", "2"],
    "dask": pytest.param(["--engine", "dask", "--workers", "2"], marks=pytest.mark.dask),
}


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The corpus, the user's areas and overrides, and a config and cache of their own."""
    root = tmp_path_factory.mktemp("one-path")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in DISPATCHES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (root / "areas.toml").write_text(AREAS, encoding="utf-8")
    (root / "overrides.csv").write_text(OVERRIDES, encoding="utf-8")
    (root / "review.csv").write_text(REVIEW, encoding="utf-8")
    (root / "config.toml").write_text('[gazetteer]\nareas = ["areas.toml"]\n', encoding="utf-8")
    return {"root": root, "corpus": corpus, "overrides": root / "overrides.csv", "config": root / "config.toml",
            "cache": root / "cache", "review": root / "review.csv"}


def _build(setting: dict[str, Path], name: str, options: list[str]) -> tuple[Path, str]:
    out = setting["root"] / name
    env = {**os.environ, "CONFLICT_MAP_CONFIG": str(setting["config"]), "CONFLICT_MAP_CACHE_DIR": str(setting["cache"])}
    command = [sys.executable, "-c", "from maps.cli.main import cli; cli()", "build", str(setting["corpus"]),
               "--out", str(out), "--offline", "--title", "one path", "--overrides", str(setting["overrides"]),
               "--review", str(setting["review"]), *options]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    return out, done.stderr


@pytest.fixture(scope="module")
def first_build(setting: dict[str, Path]) -> tuple[Path, str]:
    """The local build, the first with this configuration: it builds the gazetteer index."""
    return _build(setting, "local", [])


@pytest.fixture(scope="module")
def local_build(first_build: tuple[Path, str]) -> Path:
    return first_build[0]


def test_the_first_run_says_once_that_it_builds_the_index(first_build: tuple[Path, str]) -> None:
    lines = first_build[1].splitlines()
    assert sum("building the gazetteer index (once" in line for line in lines) == 1
    assert any(line.startswith("gazetteer index: 50,000 places read") for line in lines)  # piped: plain lines
    assert any("gazetteer index built in" in line for line in lines)
    assert not any("\r" in line or "\x1b[" in line for line in lines)  # no bar when piped


@pytest.mark.parametrize("options", [ENGINES["pool"], ENGINES["dask"]], ids=["workers-2", "dask"])
def test_every_engine_writes_the_same_bytes(setting, first_build, options) -> None:
    if "dask" in options and importlib.util.find_spec("dask_geopandas") is None:
        pytest.skip("the [dask] extra is not installed")
    local_build, local_stderr = first_build
    out, stderr = _build(setting, "-".join(options).strip("-"), options)
    for name in COMPARED:
        assert (out / name).read_bytes() == (local_build / name).read_bytes(), name
    assert "conflict-map build: 3 articles -> " in stderr
    assert "review: the event of this correction no longer exists" in stderr  # the same summary
    unresolved = [line for line in stderr.splitlines() if "places unresolved:" in line]
    assert [line for line in local_stderr.splitlines() if "places unresolved:" in line] == [
        "  places unresolved: 1 - Qervalash (add them to an overrides file to place them)"]
    assert unresolved == [line for line in local_stderr.splitlines() if "places unresolved:" in line]


def test_the_user_areas_and_overrides_are_in_every_output(local_build) -> None:
    features = json.loads((local_build / "events.geojson").read_text(encoding="utf-8"))["features"]
    by_place = {f["properties"]["place_name"]: f for f in features}
    assert by_place["Zorbalinsk"]["geometry"]["coordinates"] == [47.2, 40.1]  # placed by the overrides file
    assert by_place["Ganja"]["properties"]["area"] == "Ganja test area"  # the user's area
    assert by_place["Ganja"]["properties"]["note"] == "seen by our stringer"  # the review file
    page = (local_build / "map.html").read_text(encoding="utf-8")
    assert "Ganja test area" in page  # the area choropleth of the user's file
    assert "48.9" in page and "2.4" in page  # the French visitor's line from the overridden Paris
