"""What a document's other names could be read as (geo.coherence), on invented places."""

from __future__ import annotations

import pytest

from gazetteer.place import Place
from geo.coherence import Coherence

# Two states, XA-1 and XA-2, ~1000 km apart; each has an "Athena" and a "Hendry County"
ATHENA_1 = Place("Athena", 10.0, 10.0, "city", "XA", "One", "XA-1", population=500_000)
ATHENA_2 = Place("Athena", 20.0, 10.0, "city", "XA", "Two", "XA-2", population=10_000)
HENDRY_1 = Place("Hendry County", 12.0, 10.0, "district", "XA", "One", "XA-1")  # 220 km from Athena 1
HENDRY_2 = Place("Hendry County", 20.2, 10.1, "district", "XA", "Two", "XA-2")  # 25 km from Athena 2
ELSEWHERE = Place("Ostia", -30.0, 60.0, "city", "XB", "Far", "XB-9")


def test_a_reading_is_judged_by_every_reading_of_the_other_names():
    athena, hendry = (ATHENA_1, ATHENA_2), (HENDRY_1, HENDRY_2)
    coherence = Coherence([athena, hendry, athena])  # Athena twice counts once
    far, near = coherence.support(athena)  # Athena 1, Athena 2
    admin1, country, admin1_votes, country_votes, near_50, near_200 = near
    assert (admin1, country, near_50, near_200) == (1.0, 1.0, 1.0, 1.0)
    assert admin1_votes == pytest.approx(0.5) and country_votes == pytest.approx(1.0)
    assert far[0] == 1.0 and far[4] == 0.0 and far[5] == 0.0  # same state, but 220 km from Hendry County 1


def test_a_name_alone_or_in_a_far_country_has_no_support():
    alone = Coherence([(ATHENA_1, ATHENA_2)])
    assert alone.support([ATHENA_1, ATHENA_2]) == [(0.0,) * 6] * 2
    apart = Coherence([(ATHENA_1, ATHENA_2), (ELSEWHERE,)])
    assert apart.support([ATHENA_1, ATHENA_2]) == [(0.0,) * 6] * 2
    assert apart.support([ELSEWHERE])[0][:2] == (0.0, 0.0)
