"""NearbyPlaces: the distance to a document's nearest other place, one at a time or many at once."""

from __future__ import annotations

import math
import random

import pytest

from gazetteer.nearby import NearbyPlaces
from gazetteer.place import Place


def _places(count: int, seed: int) -> list[Place]:
    rng = random.Random(seed)
    return [Place(f"Town {i}", rng.uniform(-60, 70), rng.uniform(-180, 180), "city", geonameid=i)
            for i in range(count)]


def _brute_force(place: Place, others: list[Place], besides: Place | None) -> float:
    def km(a: Place, b: Place) -> float:
        lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
        h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        return 12_742.0 * math.asin(min(1.0, math.sqrt(h)))

    left_out = {place.key} | ({besides.key} if besides else set())
    return min((km(place, o) for o in others if o.key not in left_out), default=math.inf)


@pytest.mark.parametrize("count", [1, 5, 300])  # one pass over a small context, bands over a large one
def test_many_at_once_gives_what_one_at_a_time_gives(count: int) -> None:
    context = _places(count, seed=count)
    queries = _places(12, seed=99) + context[:3]
    besides = context[0]
    many = NearbyPlaces(context).nearest_km_many(queries, besides)
    one_by_one = [NearbyPlaces(context).nearest_km(q, besides) for q in queries]
    assert many == pytest.approx(one_by_one, rel=1e-12)
    assert many == pytest.approx([_brute_force(q, context, besides) for q in queries], rel=1e-9)


def test_an_empty_context_has_no_neighbour() -> None:
    empty, places = NearbyPlaces([]), _places(2, seed=1)
    assert empty.nearest_km_many(places) == [math.inf, math.inf]
    assert empty.nearest_km(places[0], places[1]) == math.inf
    assert not empty._memo  # the resolver's shared empty context would remember every place of a corpus


def test_a_place_measures_the_great_circle_as_geopy_does_without_importing_it() -> None:
    """Place.km_to is the haversine on a sphere of 6,371 km: geopy's great circle (6,371.009 km) to a few ppm."""
    import subprocess
    import sys

    from geopy.distance import great_circle

    for a, b in zip(_places(200, 5), _places(200, 6)):
        assert a.km_to(b) == pytest.approx(great_circle((a.lat, a.lon), (b.lat, b.lon)).km, rel=2e-6, abs=1e-9)
    assert Place("A", 50.45, 30.52, "city").km_to(Place("B", 49.99, 36.23, "city")) == pytest.approx(408.5, abs=1)
    script = ("import sys; from gazetteer.place import Place; "
              "Place('A', 1, 2, 'city').km_to(Place('B', 3, 4, 'city')); print('geopy' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout == "False\n"
