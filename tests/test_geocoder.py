"""The geopy interface, and that nothing touches the network by default."""

from pathlib import Path

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from gazetteer.geocoder import OfflineGazetteer


@pytest.fixture(scope="module")
def geocoder(gazetteer) -> OfflineGazetteer:
    return OfflineGazetteer(gazetteer=gazetteer)


def test_is_a_geopy_geocoder_returning_locations(geocoder: OfflineGazetteer) -> None:
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Степанакерт")
    assert isinstance(location, Location)
    assert round(location.latitude, 2) == 39.82 and round(location.longitude, 2) == 46.75
    assert "Azerbaijan" in location.address
    raw = location.raw
    assert raw["geonameid"] == 146970 and raw["kind"] == "city" and raw["country"] == "AZ"
    assert raw["admin1"] and 0 < raw["score"] <= 1 and raw["method"] == "alternate"


def test_exactly_one_false_gives_a_ranked_list(geocoder: OfflineGazetteer) -> None:
    locations = geocoder.geocode("Rabat", exactly_one=False)
    assert isinstance(locations, list) and len(locations) >= 2
    assert [loc.raw["country"] for loc in locations[:1]] == ["MA"]
    assert "MT" in {loc.raw["country"] for loc in locations}
    scores = [loc.raw["score"] for loc in locations]
    assert scores == sorted(scores, reverse=True)
    assert geocoder.geocode("Rabat", exactly_one=False, country="MT")[0].raw["country"] == "MT"
    assert geocoder.geocode("Nowhere-at-all-xyz") is None
    assert geocoder.geocode("Nowhere-at-all-xyz", exactly_one=False) == []


def test_reverse_gives_nearest_place_with_admin1_and_country(geocoder: OfflineGazetteer) -> None:
    location = geocoder.reverse((40.38, 49.89))
    assert location.raw["geonameid"] == 587084
    assert location.raw["country"] == "AZ" and location.raw["admin1"]
    assert location.raw["distance_km"] < 2
    assert geocoder.reverse("39.8177, 46.7528", exactly_one=False)[0].raw["geonameid"] == 146970
    assert geocoder.reverse((-60.0, -140.0)) is None  # the Southern Ocean


def test_nothing_opens_a_network_connection_by_default(no_network, gazetteer, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from maps.cli.main import cli

    geocoder = OfflineGazetteer(gazetteer=gazetteer)
    assert geocoder.fallback is None
    geocoder.geocode("Qwertzuiopland")  # missing offline: still no fallback unless configured
    geocoder.geocode("Baku", exactly_one=False)
    geocoder.reverse((40.4, 49.9))
    result = CliRunner().invoke(cli, ["geocode", "Ganja", "--json"])
    assert result.exit_code == 0, result.output
    assert no_network == []


class _FakeOnline(Geocoder):
    """Stands in for an online geopy backend and counts its calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def geocode(self, query, exactly_one=True, **kwargs):
        self.calls.append(query)
        return [Location("Far Away Hamlet, Nowhere", (10.0, 20.0), {"place_id": 1})]


def test_fallback_only_for_missing_or_weak_answers_and_cached(gazetteer, tmp_path: Path, monkeypatch) -> None:
    from gazetteer.config import Settings

    monkeypatch.setattr(gazetteer, "settings", Settings(cache_dir=tmp_path))
    online = _FakeOnline()
    geocoder = OfflineGazetteer(gazetteer=gazetteer, fallback=online, min_score=0.5)
    geocoder.fallback._geocode = online.geocode  # no real rate-limit sleep in tests
    assert geocoder.geocode("Baku").raw["geonameid"] == 587084
    assert online.calls == []
    found = geocoder.geocode("Far Away Hamlet")
    assert found.raw["method"] == "fallback" and found.latitude == 10.0
    geocoder.geocode("Far Away Hamlet")
    assert online.calls == ["Far Away Hamlet"]  # the second answer came from the disk cache
    assert (tmp_path / "fallback.sqlite").exists()
