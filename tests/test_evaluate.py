"""Scoring against gold: toponym spans and resolution, AUC, events, and reading the gold files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from geopy.distance import great_circle

from gazetteer.place import Place
from geo.errors import InputError
from geo.evaluate import (
    Counts,
    GoldDoc,
    error_auc,
    format_report,
    load_gold,
    score_events,
    score_toponyms,
)
from geo.model import Event, Source, Toponym

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# Invented places (coordinates of the real towns are not needed: only distances matter)
NORTHTON = Place("Northton", 10.0, 20.0, "city", "XA", geonameid=101)
SOUTHTON = Place("Southton", 9.0, 20.0, "city", "XA", geonameid=102)
RIVERLAND = Place("Riverland", 12.0, 22.0, "country", "XA", geonameid=100)
HILL_AREA = Place("Hill Country", 11.0, 25.0, "area", "XA", ref="hill-country")


def moved(place: Place, km: float, *, geonameid: int | None = None) -> Place:
    """``place`` moved ``km`` due north (optionally with another GeoNames id)."""
    point = great_circle(kilometers=km).destination((place.lat, place.lon), bearing=0)
    return Place(place.name, point.latitude, point.longitude, place.kind, place.country_iso2,
                 geonameid=place.geonameid if geonameid is None else geonameid)


def gold_top(text: str, name: str, place: Place | None, *, nth: int = 0, **extra: object) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    row = {"start": start, "end": start + len(name), "name": name,
           "lat": place.lat if place else None, "lon": place.lon if place else None,
           "geonameid": place.geonameid if place else None}
    row.update(extra)
    return row


def pred_top(row: dict, place: Place) -> Toponym:
    return Toponym(row["start"], row["end"], row["name"], place, 0.9, "exact")


TEXT = "Northton was shelled. Southton and Riverland too. Northton again."
DOC = GoldDoc(
    id="d1", text=TEXT, lang="en",
    toponyms=[gold_top(TEXT, "Northton", NORTHTON, literal=True),
              gold_top(TEXT, "Southton", SOUTHTON, literal=True),
              gold_top(TEXT, "Riverland", RIVERLAND, literal=False),
              gold_top(TEXT, "Northton", NORTHTON, nth=1, literal=True)],
    events=[],
)


# --------------------------------------------------------------------------- toponyms


def test_perfect_prediction() -> None:
    places = [NORTHTON, SOUTHTON, RIVERLAND, NORTHTON]
    scores = score_toponyms([DOC], {"d1": [pred_top(t, p) for t, p in zip(DOC.toponyms, places)]})
    assert (scores.tp, scores.fp, scores.fn) == (4, 0, 0)
    assert scores.precision == scores.recall == scores.f1 == 1.0
    assert scores.resolved == 4 and scores.within_161km == 4 and scores.within_161km_share == 1.0
    assert (scores.geonameid_correct, scores.geonameid_total) == (4, 4)
    assert scores.auc == 0.0 and scores.mean_error_km == 0.0 and scores.median_error_km == 0.0


def test_tp_fp_fn_counting_by_exact_span() -> None:
    north, south, _, _ = DOC.toponyms
    predictions = [
        pred_top(north, NORTHTON),                                      # TP
        Toponym(south["start"], south["end"] - 1, "Southto", SOUTHTON, 0.5, "exact"),  # span off by one: FP
        Toponym(0, 3, "Nor", NORTHTON, 0.5, "exact"),                   # nothing there: FP
        pred_top(north, NORTHTON),                                      # same span twice: FP
    ]
    scores = score_toponyms([DOC], {"d1": predictions, "unknown-doc": predictions})
    assert (scores.tp, scores.fp, scores.fn) == (1, 3, 3)
    assert scores.precision == pytest.approx(0.25)
    assert scores.recall == pytest.approx(0.25)
    assert scores.f1 == pytest.approx(0.25)
    assert scores.resolved == 1


def test_f1_edge_cases() -> None:
    no_predictions = score_toponyms([DOC], {})
    assert (no_predictions.tp, no_predictions.fp, no_predictions.fn) == (0, 0, 4)
    assert no_predictions.precision == no_predictions.recall == no_predictions.f1 == 0.0
    assert no_predictions.resolved == 0 and no_predictions.within_161km_share is None
    assert no_predictions.auc is None and no_predictions.mean_error_km is None

    empty = GoldDoc(id="e", text="Nothing here.", lang="en", toponyms=[], events=[])
    spurious = score_toponyms([empty], {"e": [Toponym(0, 7, "Nothing", NORTHTON, 0.1, "exact")]})
    assert (spurious.tp, spurious.fp, spurious.fn) == (0, 1, 0)
    assert spurious.precision == spurious.recall == spurious.f1 == 0.0

    nothing = score_toponyms([empty], {})
    assert nothing.precision == nothing.recall == nothing.f1 == 1.0
    assert Counts(0, 0, 0).f1 == 1.0 and Counts(2, 1, 1).f1 == pytest.approx(2 / 3)


def test_161_km_boundary() -> None:
    north, south, *_ = DOC.toponyms
    inside = score_toponyms([DOC], {"d1": [pred_top(north, moved(NORTHTON, 160.9))]})
    outside = score_toponyms([DOC], {"d1": [pred_top(north, moved(NORTHTON, 161.1))]})
    assert inside.within_161km == 1 and inside.mean_error_km == pytest.approx(160.9, abs=1e-6)
    assert outside.within_161km == 0 and outside.within_161km_share == 0.0
    both = score_toponyms([DOC], {"d1": [pred_top(north, moved(NORTHTON, 10)),
                                         pred_top(south, moved(SOUTHTON, 500))]})
    assert both.within_161km == 1 and both.within_161km_share == 0.5
    assert both.within_161km_of_gold == pytest.approx(1 / 4)
    assert both.median_error_km == pytest.approx(255.0, abs=1e-6)


def test_geonameid_accuracy_among_gold_with_id() -> None:
    text = "Westville and Eastburg."
    west = Place("Westville", 1.0, 1.0, "city", geonameid=7)
    doc = GoldDoc(id="g", text=text, lang="en",
                  toponyms=[gold_top(text, "Westville", west), gold_top(text, "Eastburg", None)], events=[])
    # Eastburg has no gold point nor id: matched (TP) but not resolved
    doc.toponyms[1].update(lat=None, lon=None, geonameid=None)
    wrong_id = moved(west, 1, geonameid=8)
    scores = score_toponyms([doc], {"g": [pred_top(doc.toponyms[0], wrong_id),
                                          pred_top(doc.toponyms[1], NORTHTON)]})
    assert scores.tp == 2 and scores.resolved == 1
    assert (scores.geonameid_correct, scores.geonameid_total, scores.geonameid_share) == (0, 1, 0.0)
    assert scores.within_161km == 1
    right = score_toponyms([doc], {"g": [pred_top(doc.toponyms[0], moved(west, 300))]})
    assert right.geonameid_correct == 1 and right.geonameid_share == 1.0 and right.within_161km == 0


def test_auc_known_value() -> None:
    assert error_auc([]) is None
    assert error_auc([0.0, 0.0, 0.0]) == 0.0
    assert error_auc([20039.0, 20039.0]) == pytest.approx(1.0, rel=1e-4)
    # ln(1+e) = 0, 2, 4; trapezoids (0+2)/2 + (2+4)/2 = 4 over 2 unit steps -> 2 / ln(20039)
    errors = [math.e ** 4 - 1, 0.0, math.e ** 2 - 1]
    assert error_auc(errors) == pytest.approx(2 / math.log(20039))
    assert error_auc([math.e - 1]) == pytest.approx(1 / math.log(20039))


def test_auc_of_scores_is_over_resolved_errors() -> None:
    north, south, *_ = DOC.toponyms
    scores = score_toponyms([DOC], {"d1": [pred_top(north, moved(NORTHTON, 100)),
                                           pred_top(south, SOUTHTON)]})
    assert scores.errors_km == pytest.approx([100.0, 0.0], abs=1e-6)
    expected = (0 + math.log(101)) / 2 / (1 * math.log(20039))
    assert scores.auc == pytest.approx(expected, rel=1e-6)


def test_literal_only() -> None:
    north, south, river, north2 = DOC.toponyms
    predictions = [pred_top(north, NORTHTON), pred_top(river, RIVERLAND), Toponym(0, 3, "Nor", NORTHTON, 0.1, "x")]
    every = score_toponyms([DOC], {"d1": predictions})
    assert (every.tp, every.fp, every.fn) == (2, 1, 2)
    literal = score_toponyms([DOC], {"d1": predictions}, literal_only=True)
    # Riverland (literal false) leaves the gold, and its prediction is neither credited nor charged
    assert (literal.tp, literal.fp, literal.fn) == (1, 1, 2)
    assert literal.gold_with_coords == 3
    # a gold toponym without the flag counts as literal
    unflagged = GoldDoc("u", TEXT, "en", [{k: v for k, v in north.items() if k != "literal"}], [])
    assert score_toponyms([unflagged], {}, literal_only=True).fn == 1
    # the general filter
    only_south = score_toponyms([DOC], {"d1": [pred_top(south, SOUTHTON), pred_top(north, NORTHTON)]},
                                where=lambda t: t["name"] == "Southton")
    assert (only_south.tp, only_south.fp, only_south.fn) == (1, 0, 0)


# --------------------------------------------------------------------------- events


def event(kind: str, place: Place, *articles: str, date: str | None = None) -> Event:
    sources = [Source(a, "A sentence.", 0, 1, 0) for a in articles]
    return Event(kind, place, place.name, date, None, (), 0.8, sources)


def gold_event(kind: str, place: Place | None, name: str | None = None, **extra: object) -> dict:
    row = {"type": kind, "place": name or (place.name if place else ""), "geonameid": place.geonameid if place else None,
           "lat": place.lat if place else None, "lon": place.lon if place else None,
           "country_iso2": "XA", "evidence": "", "date": None, "also_accept": []}
    row.update(extra)
    return row


def events_doc(doc_id: str, *rows: dict) -> GoldDoc:
    return GoldDoc(id=doc_id, text="", lang="en", toponyms=[], events=list(rows))


def test_event_match_by_distance_and_type() -> None:
    gold = [events_doc("a", gold_event("shelling", NORTHTON), gold_event("clash", SOUTHTON))]
    predicted = {"a": [event("shelling", moved(NORTHTON, 49), "a"),   # TP (49 km)
                       event("clash", moved(SOUTHTON, 51), "a"),      # FP: 51 km
                       event("airstrike", NORTHTON, "a")]}            # FP: wrong type
    scores = score_events(gold, predicted)
    assert (scores.tp, scores.fp, scores.fn) == (1, 2, 1)
    assert scores.per_type["shelling"] == (1, 0, 0)
    assert scores.per_type["clash"] == (0, 1, 1)
    assert scores.per_type["airstrike"] == (0, 1, 0)
    assert scores.matches[0].rule == "point" and scores.matches[0].distance_km == pytest.approx(49, abs=1e-6)
    assert scores.precision == pytest.approx(1 / 3) and scores.recall == pytest.approx(0.5)
    assert len(scores.missed) == 1 and len(scores.spurious) == 2


def test_event_types_outside_the_scored_set_are_ignored() -> None:
    gold = [events_doc("a", gold_event("statement", NORTHTON))]
    scores = score_events(gold, {"a": [event("statement", NORTHTON, "a")]})
    assert (scores.tp, scores.fp, scores.fn) == (0, 0, 0)
    only_visits = score_events([events_doc("a", gold_event("shelling", NORTHTON))],
                               {"a": [event("shelling", NORTHTON, "a")]}, types=("visit",))
    assert (only_visits.tp, only_visits.fp, only_visits.fn) == (0, 0, 0)


def test_event_match_by_also_accept() -> None:
    far_capital = Place("Capitol", 30.0, 40.0, "city", geonameid=555)
    gold = [events_doc("a", gold_event("visit", RIVERLAND, also_accept=["Capitol"]))]
    predicted = {"a": [event("visit", far_capital, "a")]}
    without = score_events(gold, predicted)
    assert (without.tp, without.fp, without.fn) == (0, 1, 1)
    resolver = {"Capitol": (30.0, 40.0)}.get
    scores = score_events(gold, predicted, resolve_name=resolver)
    assert (scores.tp, scores.fp, scores.fn) == (1, 0, 0)
    assert scores.matches[0].rule == "also_accept"


def test_event_match_by_area_name() -> None:
    gold = [events_doc("a", gold_event("clash", Place("Hill Country", 11.5, 26.0, "area"), name="hill country"))]
    # the area's own point is far from the gold's representative point, but the names agree
    assert great_circle((11.5, 26.0), (HILL_AREA.lat, HILL_AREA.lon)).km > 50
    scores = score_events(gold, {"a": [event("clash", HILL_AREA, "a")]})
    assert (scores.tp, scores.fp, scores.fn) == (1, 0, 0) and scores.matches[0].rule == "area"
    # a city of the same name does not match by name ...
    same_name_city = Place("Hill Country", 0.0, 0.0, "city", geonameid=9)
    assert score_events(gold, {"a": [event("clash", same_name_city, "a")]}).tp == 0
    # ... but a city inside the area does, when area_of says so
    inside = Place("Hilltop", 40.0, 40.0, "city", geonameid=10)
    area_of = lambda e: {"Hill Country"} if e.place.name == "Hilltop" else set()  # noqa: E731
    assert score_events(gold, {"a": [event("clash", inside, "a")]}, area_of=area_of).tp == 1


def test_gold_event_without_point() -> None:
    gold = [events_doc("a", gold_event("clash", None, name="Hill Country"))]
    assert score_events(gold, {"a": [event("clash", NORTHTON, "a")]}).tp == 0
    assert score_events(gold, {"a": [event("clash", HILL_AREA, "a")]}).tp == 1
    resolver = {"Hill Country": (NORTHTON.lat, NORTHTON.lon)}.get
    scores = score_events(gold, {"a": [event("clash", moved(NORTHTON, 20), "a")]}, resolve_name=resolver)
    assert scores.tp == 1 and scores.matches[0].rule == "point"


def test_one_to_one_greedy_by_distance() -> None:
    near_north = Place("Nearby", NORTHTON.lat + 0.1, NORTHTON.lon, "city", geonameid=201)
    # two gold shellings 111 km apart, two predictions both within 50 km of one of them
    gold = [events_doc("a", gold_event("shelling", NORTHTON), gold_event("shelling", SOUTHTON))]
    predicted = {"a": [event("shelling", moved(NORTHTON, 30), "a"), event("shelling", near_north, "a")]}
    scores = score_events(gold, predicted)
    assert (scores.tp, scores.fp, scores.fn) == (1, 1, 1)
    # the closer prediction (Nearby, ~11 km) takes Northton
    assert scores.matches[0].predicted.startswith("shelling @ Nearby")
    # one prediction between two gold rows matches only one of them
    middle = moved(SOUTHTON, 40)  # 40 km from Southton, ~71 km from Northton
    one = score_events(gold, {"a": [event("shelling", middle, "a")]})
    assert (one.tp, one.fp, one.fn) == (1, 0, 1)


def test_duplicates_count_once_per_type_and_place() -> None:
    gold = [events_doc("a", gold_event("shelling", NORTHTON))]
    repeated = [event("shelling", NORTHTON, "a", date="2020-10-01"), event("shelling", NORTHTON, "a", date="2020-10-02")]
    scores = score_events(gold, {"a": repeated})
    assert (scores.tp, scores.fp, scores.fn) == (1, 0, 0)
    wrong = [event("clash", SOUTHTON, "a", date="2020-10-01"), event("clash", SOUTHTON, "a", date="2020-10-02")]
    assert score_events(gold, {"a": wrong}).fp == 1
    # the same object under two keys is one prediction
    shared = event("clash", SOUTHTON, "a")
    assert score_events(gold, {"a": [shared], "b": [shared]}).fp == 1


def test_event_counts_for_every_source_article() -> None:
    gold = [events_doc("a", gold_event("shelling", NORTHTON)),
            events_doc("b", gold_event("shelling", NORTHTON)),
            events_doc("c")]
    merged = event("shelling", NORTHTON, "a", "b", "c", "not-in-gold")
    scores = score_events(gold, {"all": [merged]})
    assert (scores.tp, scores.fp, scores.fn) == (2, 1, 0)
    assert {m.article_id for m in scores.matches} == {"a", "b"}
    assert scores.spurious[0].article_id == "c"
    # without sources, the key is the article
    sourceless = Event("shelling", NORTHTON, "Northton", None, None, (), 0.5)
    assert score_events(gold, {"b": [sourceless]}).tp == 1


def test_format_report() -> None:
    places = [NORTHTON, SOUTHTON, RIVERLAND, NORTHTON]
    tops = score_toponyms([DOC], {"d1": [pred_top(t, p) for t, p in zip(DOC.toponyms, places)]})
    gold = [events_doc("a", gold_event("shelling", NORTHTON))]
    evs = score_events(gold, {"a": [event("shelling", NORTHTON, "a"), event("visit", SOUTHTON, "a")]})
    report = format_report(tops, evs, title="tiny", details=True)
    assert report.splitlines()[0] == "tiny"
    assert "toponyms (exact span)" in report and "AUC 0.000" in report
    assert "shelling" in report and "extra a: visit @ Southton" in report
    assert format_report(score_toponyms([DOC], {})).count("-") >= 3


# --------------------------------------------------------------------------- load_gold


def test_load_gold_inline_and_file(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "one.txt").write_bytes("Shelling in Northton.\r\nMore.".encode())
    records = [
        {"id": "one", "file": "texts/one.txt", "lang": "en",
         "toponyms": [{"start": 12, "end": 20, "name": "Northton", "lat": 10.0, "lon": 20.0, "geonameid": 101,
                       "literal": True, "kind": "city"}],
         "events": [gold_event("shelling", NORTHTON)]},
        {"id": 2, "text": "Riverland.", "toponyms": [{"start": 0, "end": 9, "name": "Riverland",
                                                        "lat": None, "lon": None, "geonameid": None}]},
    ]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("\n".join(json.dumps(r) for r in records[:1]) + "\n\n" + json.dumps(records[1]) + "\n")
    docs = load_gold(gold_file)
    assert [d.id for d in docs] == ["one", "2"]
    assert docs[0].text == "Shelling in Northton.\r\nMore."  # no newline translation
    assert docs[0].toponyms[0]["literal"] is True and docs[0].toponyms[0]["kind"] == "city"
    assert docs[0].events[0]["place"] == "Northton" and docs[1].events == []
    assert docs[1].lang is None and docs[1].text == "Riverland."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "x", "text": "Abc"}\n{"id": "y", "text": ', ":2: invalid JSON"),
        ('{"id": "x", "file": "missing.txt"}', ":1: text file not found"),
        ('{"id": "x"}', ':1: record has neither "text" nor "file"'),
        ('{"text": "Abc"}', ':1: missing or invalid "id"'),
        ('[1, 2]', ":1: expected a JSON object"),
        ('{"id": "x", "text": "Abc", "toponyms": [{"start": 0, "end": 2, "name": "Abc"}]}', ":1: toponym 0 text[0:2]"),
        ('{"id": "x", "text": "Abc", "toponyms": [{"start": 2, "end": 9, "name": "c"}]}', ":1: toponym 0 has invalid"),
        ('{"id": "x", "text": "A"}\n{"id": "x", "text": "B"}', ":2: duplicate document id"),
    ],
)
def test_load_gold_errors(tmp_path: Path, content: str, message: str) -> None:
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(content)
    with pytest.raises(InputError) as info:
        load_gold(gold_file)
    text = str(info.value)
    assert text.startswith(f"{gold_file}:") and message in text and "\n" not in text


def test_load_gold_keeps_unicode_line_separators_inside_records(tmp_path: Path) -> None:
    record = {"id": "u", "text": "A\u2028B\x85C Northton", "toponyms": [{"start": 6, "end": 14, "name": "Northton"}]}
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(json.dumps(record, ensure_ascii=False) + "\r\n", encoding="utf-8")
    (doc,) = load_gold(gold_file)
    assert doc.text == record["text"]


def test_load_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such gold file"):
        load_gold(tmp_path / "absent.jsonl")


# --------------------------------------------------------------------------- the shared corpora


@pytest.mark.parametrize(
    ("name", "docs", "toponyms"),
    [
        ("seeds.gold.jsonl", 5, None),
        ("benchmarks/lgl.jsonl", 588, 4462),
        ("benchmarks/tr_news.jsonl", 118, 1275),
        ("benchmarks/geovirus.jsonl", 229, 2170),
        ("benchmarks/geowebnews.jsonl", 200, 2599),
    ],
)
def test_shared_gold_files(name: str, docs: int, toponyms: int | None) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    gold = load_gold(path)
    assert len(gold) == docs
    if toponyms is not None:
        assert sum(len(d.toponyms) for d in gold) == toponyms
    for doc in gold:
        for top in doc.toponyms:
            assert doc.text[top["start"]:top["end"]] == top["name"]
    # a perfect system scores perfectly
    perfect = {d.id: [Toponym(t["start"], t["end"], t["name"],
                              Place(t["name"], t["lat"], t["lon"], "city", geonameid=t["geonameid"]), 1.0, "gold")
                      for t in d.toponyms] for d in gold}
    scores = score_toponyms(gold, perfect)
    assert scores.f1 == 1.0 and scores.auc == 0.0 and scores.within_161km_share == 1.0
    if name == "seeds.gold.jsonl":
        assert sum(len(d.events) for d in gold) == 10
        assert all(d.events for d in gold)
