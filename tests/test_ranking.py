"""The ranker's evidence from the names listed with a name (geo.ranking.list_siblings and the list_*
features), on invented places."""

from __future__ import annotations

from gazetteer.place import Candidate, Place
from geo.ranking import RANK_FEATURES, DocumentPlaces, list_siblings, rank_features

# "Verna" is a state of XA and a town in another state; its neighbours in the list are states
VERNA_STATE = Place("Verna", 30.0, 10.0, "admin1", "XA", "Verna", "XA-VE")
VERNA_TOWN = Place("Verna", 40.0, 20.0, "city", "XA", "Dorn", "XA-DO", population=5_000)
DORN = Place("Dorn", 41.0, 21.0, "admin1", "XA", "Dorn", "XA-DO")
OSTIA = Place("Ostia", 35.0, 15.0, "admin1", "XA", "Ostia", "XA-OS")
MILLBY = Place("Millby", 12.0, 60.0, "city", "XB", "Far", "XB-1", population=2_000)
FARLAND = Place("Farland", 10.0, 61.0, "country", "XB")


def _is_list_word(word: str) -> bool:
    return word in ("and", "or")


def test_names_joined_by_commas_and_and_are_listed_together():
    # "Ostia, Verna, Dorn and Millby"
    names = [(0, 5, ", Vern", [OSTIA]), (7, 12, ", Dorn", [VERNA_TOWN, VERNA_STATE]),
             (14, 18, " and M", [DORN]), (23, 29, ".", [MILLBY])]
    assert list_siblings(names, _is_list_word) == [(1, 2, 3), (0, 2, 3), (0, 1, 3), (0, 1, 2)]


def test_a_town_and_its_region_are_qualified_not_listed():
    # "Millby, Farland": a town of Farland; "Verna, Dorn": two states, though Verna reads a town first
    assert list_siblings([(0, 6, ", Farl", [MILLBY]), (8, 15, ".", [FARLAND])], _is_list_word) == [(), ()]
    assert list_siblings([(0, 5, ", Dorn", [VERNA_TOWN, VERNA_STATE]), (7, 11, ".", [DORN])],
                         _is_list_word) == [(1,), (0,)]


def test_names_far_apart_are_not_listed():
    assert list_siblings([(0, 5, " was a", [OSTIA]), (40, 45, ".", [DORN])], _is_list_word) == [(), ()]


def test_a_reading_of_the_kind_and_country_of_its_list_scores_the_list_features():
    candidates = [Candidate(VERNA_TOWN, 0.5, "exact", "Verna"), Candidate(VERNA_STATE, 0.4, "exact", "Verna")]
    document = DocumentPlaces((VERNA_TOWN, OSTIA, DORN))
    rows = rank_features(candidates, VERNA_TOWN, document, document.counts(), "Verna", siblings=(OSTIA, DORN))
    listed, kind, kind_country = (RANK_FEATURES.index(f) for f in ("listed", "list_kind", "list_kind_country"))
    town, state = rows
    assert (town[listed], town[kind], town[kind_country]) == (1.0, 0.0, 0.0)
    assert (state[listed], state[kind], state[kind_country]) == (1.0, 1.0, 1.0)
    alone = rank_features(candidates, VERNA_TOWN, document, document.counts(), "Verna")
    assert all(row[listed] == row[kind] == row[kind_country] == 0.0 for row in alone)


# "Corvo" is a state of XA, its capital town (the national capital) a district of its own, and a town elsewhere
CORVO_STATE = Place("Corvo", 30.0, 12.0, "admin1", "XA", "Corvo", "XA-CO")
CORVO_CITY_UNIT = Place("Corvo", 38.0, 18.0, "admin1", "XA", "Corvo", "XA-CC")
CORVO_CAPITAL = Place("Corvo", 38.0, 18.0, "city", "XA", "Corvo", "XA-CC", population=700_000, rank=2)
CORVO_TOWN = Place("Corvo", 44.0, 25.0, "city", "XA", "Dorn", "XA-DO", population=3_000)


def test_a_noun_naming_the_kind_scores_the_readings_of_that_kind():
    """ "the state of Corvo": the state, not the capital's own unit; "the town of Corvo": the towns."""
    candidates = [Candidate(p, 0.5, "exact", "Corvo") for p in (CORVO_CAPITAL, CORVO_STATE, CORVO_CITY_UNIT, CORVO_TOWN)]
    document = DocumentPlaces((CORVO_CAPITAL, DORN))
    unit, town = RANK_FEATURES.index("unit_named"), RANK_FEATURES.index("town_named")
    as_unit = rank_features(candidates, CORVO_CAPITAL, document, document.counts(), "Corvo", kind_noun="unit")
    assert [row[unit] for row in as_unit] == [0.0, 1.0, 0.0, 0.0]
    as_town = rank_features(candidates, CORVO_CAPITAL, document, document.counts(), "Corvo", kind_noun="town")
    assert [row[town] for row in as_town] == [1.0, 0.0, 0.0, 1.0]
    plain = rank_features(candidates, CORVO_CAPITAL, document, document.counts(), "Corvo")
    assert all(row[unit] == row[town] == 0.0 for row in plain)


def test_a_unit_named_as_a_unit_stays_the_unit():
    """The ranker's admin-1 reading is its namesake seat for the bare name, the unit for "Dorn province"."""
    from geo.recognize import _town_of_unit

    seat = Place("Dorn", 41.1, 21.1, "city", "XA", "Dorn", "XA-DO", population=90_000, rank=1)
    candidates = [Candidate(DORN, 0.6, "exact", "Dorn"), Candidate(seat, 0.5, "exact", "Dorn")]
    assert _town_of_unit(candidates, 0).place == seat
    assert _town_of_unit(candidates, 0, "unit").place == DORN
