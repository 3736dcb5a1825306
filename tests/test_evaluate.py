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


def test_unplaced_spans_count_for_recognition_never_as_resolved() -> None:
    north, south, _, _ = DOC.toponyms
    unplaced = {"d1": [(south["start"], south["end"]), (0, 3)]}  # Southton with no point: TP; "Nor": FP
    scores = score_toponyms([DOC], {"d1": [pred_top(north, NORTHTON)]}, unplaced=unplaced)
    assert (scores.tp, scores.fp, scores.fn) == (2, 1, 2)
    assert scores.resolved == 1 and scores.within_161km == 1  # Northton alone was placed


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


def test_gold_country_scored_by_identity_not_its_point() -> None:
    """A gold country written with kind and ISO2 (dev corpus, seeds) is right when the prediction is that
    country, however far apart the two points; a gold country without ``kind`` (the public corpora)
    is scored by distance, and a town of that country is never the country."""
    text = "Riverland said."
    capital_point = moved(RIVERLAND, 900)  # the gold puts the country at its capital
    as_dev = GoldDoc(id="c", text=text, lang="en", events=[],
                     toponyms=[gold_top(text, "Riverland", capital_point, kind="country", country_iso2="xa")])
    right = score_toponyms([as_dev], {"c": [pred_top(as_dev.toponyms[0], RIVERLAND)]})
    assert right.within_161km == 1 and right.mean_error_km == 0.0
    other = Place("Otherland", RIVERLAND.lat, RIVERLAND.lon, "country", "XB")
    assert score_toponyms([as_dev], {"c": [pred_top(as_dev.toponyms[0], other)]}).within_161km == 0
    town = score_toponyms([as_dev], {"c": [pred_top(as_dev.toponyms[0], moved(NORTHTON, 0))]})
    assert town.mean_error_km == pytest.approx(great_circle((capital_point.lat, capital_point.lon),
                                                            (NORTHTON.lat, NORTHTON.lon)).km)
    as_public = GoldDoc(id="c", text=text, lang="en", events=[],
                        toponyms=[gold_top(text, "Riverland", capital_point)])
    assert score_toponyms([as_public], {"c": [pred_top(as_public.toponyms[0], RIVERLAND)]}).within_161km == 0


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


# --------------------------------------------------------------------------- strict event matching (dev corpus format)

KHARKIV = Place("Kharkiv", 49.98081, 36.25272, "city", "UA", geonameid=706483)
KHARKIV_OBLAST = Place("Kharkiv", 49.6, 36.9, "admin1", "UA", ref="UKR-KHA")
UKRAINE = Place("Ukraine", 49.0, 32.0, "country", "UA", geonameid=690791, ref="UA")


def mentioned(kind: str, place: Place, mention: str, article: str = "a", **figures: int | None) -> Event:
    return Event(kind, place, mention, None, None, (), 0.8, [Source(article, "A sentence.", 0, 1, 0)], **figures)


def strict(kind: str, place: Place | None, precision: int, name: str | None = None, **extra: object) -> dict:
    row = gold_event(kind, place, name, precision=precision, fatalities=None, injured=None,
                     country_iso2=place.country_iso2 if place and place.country_iso2 else "UA")
    row.update(extra)
    return row


def test_precision_1_needs_a_town_near_the_gold_point() -> None:
    gold = [events_doc("a", strict("airstrike", KHARKIV, 1))]
    near_town = Place("Somewhere", *_offset(KHARKIV, 30), "city", "UA", geonameid=9001)
    assert score_events(gold, {"a": [mentioned("airstrike", near_town, "Somewhere")]}).matches[0].rule == "point"
    far_town = Place("Elsewhere", *_offset(KHARKIV, 60), "city", "UA", geonameid=9002)
    assert score_events(gold, {"a": [mentioned("airstrike", far_town, "Elsewhere")]}).tp == 0
    # a region's centroid never matches a town, not even near it or under the same name
    close_region = Place("Kharkiv Oblast", *_offset(KHARKIV, 5), "admin1", "UA", ref="UKR-KHA")
    assert score_events(gold, {"a": [mentioned("airstrike", close_region, "Kharkiv")]}).tp == 0
    assert score_events(gold, {"a": [mentioned("airstrike", KHARKIV_OBLAST, "Kharkiv")]}).tp == 0
    assert score_events(gold, {"a": [mentioned("airstrike", UKRAINE, "Ukraine")]}).tp == 0


def test_precision_1_by_name_when_the_gold_has_no_point() -> None:
    gold = [events_doc("a", strict("shelling", None, 1, name="Kholodnohirskyi", also_accept=["Kharkiv"]))]
    # the predicted mention, the predicted place name or an also_accept name, case-folded
    by_mention = Place("Kholodna Hora", 10.0, 10.0, "city", "UA", geonameid=9003)
    found = score_events(gold, {"a": [mentioned("shelling", by_mention, "KHOLODNOHIRSKYI")]})
    assert found.tp == 1 and found.matches[0].rule == "name"
    assert score_events(gold, {"a": [mentioned("shelling", KHARKIV, "Харкові")]}).tp == 1
    other = Place("Izium", 49.2, 37.3, "city", "UA", geonameid=712165)
    assert score_events(gold, {"a": [mentioned("shelling", other, "Izium")]}).tp == 0
    # the same name in another country than the gold's is a namesake, no match ("Доля" read as Dole, France)
    abroad = Place("Kholodnohirskyi", 47.1, 5.5, "city", "FR", geonameid=9004)
    assert score_events(gold, {"a": [mentioned("shelling", abroad, "Kholodnohirskyi")]}).tp == 0


def test_precision_1_takes_a_locality_by_name_only_when_the_gold_has_no_point() -> None:
    """A village the gazetteer lacks, kept under its name at its region's point (precision 2), is the gold village
    nobody could place; a gold village with a point still needs a town near it."""
    village = Place("Zelenyi Kut", KHARKIV_OBLAST.lat, KHARKIV_OBLAST.lon, "locality", "UA", ref="UKR-KHA/zelenyi kut")
    assert village.geo_precision == 2
    no_point = [events_doc("a", strict("shelling", None, 1, name="Zelenyi Kut"))]
    found = score_events(no_point, {"a": [mentioned("shelling", village, "Zelenyi Kut")]})
    assert found.tp == 1 and found.matches[0].rule == "name"
    with_point = [events_doc("a", strict("shelling", Place("Zelenyi Kut", 49.7, 36.5, "city", "UA"), 1))]
    assert score_events(with_point, {"a": [mentioned("shelling", village, "Zelenyi Kut")]}).tp == 0


def test_precision_2_region_rules() -> None:
    gold = [events_doc("a", strict("clash", KHARKIV, 2, name="Kharkiv region"))]
    # a town near the gold point is finer than the text: no match
    assert score_events(gold, {"a": [mentioned("clash", KHARKIV, "Kharkiv")]}).tp == 0
    # a region within 50 km of the gold point
    region = Place("Kharkiv Oblast", *_offset(KHARKIV, 40), "admin1", "UA", ref="UKR-KHA")
    assert score_events(gold, {"a": [mentioned("clash", region, "Kharkiv")]}).matches[0].rule == "point"
    # a region whose centroid is far, under the gold name
    assert score_events(gold, {"a": [mentioned("clash", KHARKIV_OBLAST, "Kharkiv region")]}).matches[0].rule == "name"
    # the annotator's also_accept town matches by name
    also = [events_doc("a", strict("clash", KHARKIV, 2, name="Kharkiv region", also_accept=["Kharkiv"]))]
    assert score_events(also, {"a": [mentioned("clash", KHARKIV, "Kharkiv")]}).matches[0].rule == "name"
    # a named area by the area rule
    area_gold = [events_doc("a", strict("clash", Place("Hill Country", 0.0, 0.0, "area"), 2))]
    inside = Place("Hilltop", 40.0, 40.0, "admin1", "XA", ref="hilltop")
    found = score_events(area_gold, {"a": [mentioned("clash", inside, "Hilltop")]},
                         area_of=lambda e: {"Hill Country"})
    assert found.tp == 1 and found.matches[0].rule == "area"


def test_precision_3_same_country() -> None:
    gold = [events_doc("a", strict("meeting", UKRAINE, 3, name="Україна", country_iso2="UA"))]
    assert score_events(gold, {"a": [mentioned("meeting", UKRAINE, "україна")]}).matches[0].rule == "name"
    assert score_events(gold, {"a": [mentioned("meeting", UKRAINE, "Ukraine")]}).matches[0].rule == "point"
    elsewhere = Place("Ukraine", 48.0, 38.0, "country", "UA", geonameid=690791)
    assert score_events(gold, {"a": [mentioned("meeting", elsewhere, "України")]}).matches[0].rule == "country"
    assert score_events(gold, {"a": [mentioned("meeting", KHARKIV_OBLAST, "Харківщина")]}).matches[0].rule == "country"
    # a town in the country is not a country-level answer; another country is not either
    assert score_events(gold, {"a": [mentioned("meeting", KHARKIV, "Харків")]}).tp == 0
    poland = Place("Poland", 49.5, 32.5, "country", "PL", geonameid=798544)
    assert score_events(gold, {"a": [mentioned("meeting", poland, "Польща")]}).tp == 0


def test_family_level_and_exact_type() -> None:
    gold = [events_doc("a", strict("airstrike", KHARKIV, 1), strict("visit", NORTHTON, 1), strict("clash", SOUTHTON, 1))]
    predicted = {"a": [mentioned("shelling", KHARKIV, "Kharkiv"),     # same family (remote violence)
                       mentioned("meeting", NORTHTON, "Northton"),    # same family (diplomacy)
                       mentioned("clash", SOUTHTON, "Southton"),      # exact
                       mentioned("attack", KHARKIV, "Kharkiv")]}      # another family: FP in both
    scores = score_events(gold, predicted)
    assert (scores.tp, scores.fp, scores.fn) == (1, 3, 2)
    assert tuple(scores.family) == (3, 1, 0)
    assert scores.family.f1 == pytest.approx(6 / 7) and scores.f1 == pytest.approx(2 / 7)
    assert scores.exact_type == 1 and scores.exact_type_share == pytest.approx(1 / 3)
    assert scores.per_family["remote violence"] == (1, 0, 0)
    assert scores.per_family["violence against civilians"] == (0, 1, 0)
    assert scores.per_type["airstrike"] == (0, 0, 1) and scores.per_type["shelling"] == (0, 1, 0)
    assert {p.predicted_type for p in scores.family_matches} == {"shelling", "meeting", None}
    # the exact pair is preferred when a family-only pair competes for the same gold row
    both = score_events([events_doc("a", strict("airstrike", KHARKIV, 1))],
                        {"a": [mentioned("shelling", KHARKIV, "Kharkiv"), mentioned("airstrike", KHARKIV, "Kharkiv")]})
    assert tuple(both.family) == (1, 1, 0) and both.exact_type == 1


def test_per_language_counts() -> None:
    gold = [GoldDoc("en-1", "", "en", [], [strict("shelling", NORTHTON, 1)]),
            GoldDoc("fr-1", "", "fr", [], [strict("shelling", SOUTHTON, 1)]),
            GoldDoc("xx-1", "", None, [], [])]
    predicted = {"en-1": [mentioned("shelling", NORTHTON, "Northton", "en-1")],
                 "fr-1": [mentioned("airstrike", SOUTHTON, "Southton", "fr-1")],
                 "xx-1": [mentioned("clash", SOUTHTON, "Southton", "xx-1")]}
    scores = score_events(gold, predicted)
    assert scores.per_lang == {"?": (0, 1, 0), "en": (1, 0, 0), "fr": (0, 1, 1)}
    assert scores.per_lang_family["fr"] == (1, 0, 0)


def test_casualty_agreement_on_matches() -> None:
    gold = [events_doc("a", strict("shelling", NORTHTON, 1, fatalities=3, injured=10),
                       strict("clash", SOUTHTON, 1, fatalities=0),
                       strict("visit", KHARKIV, 1, fatalities=2))]           # missed: not compared
    predicted = {"a": [mentioned("shelling", NORTHTON, "Northton", fatalities=3, injured=12),
                       mentioned("shelling", NORTHTON, "Northton", fatalities=2),   # collapsed: highest figure, 3
                       mentioned("clash", SOUTHTON, "Southton")]}                  # no figure
    scores = score_events(gold, predicted)
    assert scores.family.tp == 2
    assert (scores.fatalities.compared, scores.fatalities.predicted, scores.fatalities.agree) == (2, 1, 1)
    assert scores.fatalities.share == 0.5
    assert (scores.injured.compared, scores.injured.agree) == (1, 0) and scores.injured.share == 0.0
    data = scores.as_json()
    assert data["fatalities"] == {"compared": 2, "predicted": 1, "agree": 1, "share": 0.5}
    assert data["per_type"]["shelling"] == [1, 0, 0] and data["family"]["tp"] == 2
    assert json.loads(json.dumps(data)) == data


def test_default_types_come_from_the_registry() -> None:
    from geo.event_types import scored_types

    gold = [events_doc("a", strict("protest", NORTHTON, 1), strict("statement", NORTHTON, 1))]
    scores = score_events(gold, {"a": [mentioned("protest", NORTHTON, "Northton"),
                                       mentioned("statement", NORTHTON, "Northton")]})
    assert set(scores.per_type) == set(scored_types()) and "statement" not in scores.per_type
    assert (scores.tp, scores.fp, scores.fn) == (1, 0, 0)


def test_report_lists_families_languages_and_casualties() -> None:
    gold = [events_doc("a", strict("airstrike", KHARKIV, 1, fatalities=1))]
    scores = score_events(gold, {"a": [mentioned("shelling", KHARKIV, "Kharkiv", fatalities=1)]})
    report = format_report(events=scores, details=True)
    assert "events (family)" in report and "remote violence" in report
    assert "fatalities: equal on 1/1" in report and "per language" in report
    assert "~fam  a: airstrike @ Kharkiv" in report and "miss  a: airstrike @ Kharkiv" in report


def _offset(place: Place, km: float) -> tuple[float, float]:
    point = great_circle(kilometers=km).destination((place.lat, place.lon), bearing=90)
    return point.latitude, point.longitude


# --------------------------------------------------------------------------- reading several gold files


def test_load_gold_paths_reads_files_and_folders(tmp_path: Path) -> None:
    from geo.evaluate import load_gold_paths

    folder = tmp_path / "dev"
    folder.mkdir()
    (folder / "b.jsonl").write_text(json.dumps({"id": "b1", "text": "B", "lang": "fr"}) + "\n")
    (folder / "a.jsonl").write_text(json.dumps({"id": "a1", "text": "A", "lang": "en"}) + "\n")
    (folder / "notes.txt").write_text("not gold")
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "c1", "text": "C"}) + "\n")
    assert [d.id for d in load_gold_paths([folder, extra])] == ["a1", "b1", "c1"]
    (tmp_path / "dup.jsonl").write_text(json.dumps({"id": "a1", "text": "again"}) + "\n")
    with pytest.raises(InputError, match="also in"):
        load_gold_paths([folder, tmp_path / "dup.jsonl"])
    with pytest.raises(InputError, match="no such gold file or folder"):
        load_gold_paths([tmp_path / "absent"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"no \*\.jsonl file"):
        load_gold_paths([empty])


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"precision": 4}, "precision 4"),
        ({"precision": "1"}, "precision '1'"),
        ({"fatalities": -1}, "fatalities -1"),
        ({"injured": 2.5}, "injured 2.5"),
        ({"also_accept": "Kharkiv"}, "also_accept"),
        ({"lat": "49.9"}, "non-numeric 'lat'"),
    ],
)
def test_load_gold_rejects_malformed_events(tmp_path: Path, event: dict, message: str) -> None:
    row = {"type": "shelling", "place": "Kharkiv", "lat": 49.98, "lon": 36.25, "precision": 1,
           "fatalities": None, "injured": None, "also_accept": []}
    row.update(event)
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(json.dumps({"id": "x", "text": "Kharkiv", "events": [row]}) + "\n")
    with pytest.raises(InputError) as info:
        load_gold(gold_file)
    assert str(info.value).startswith(f"{gold_file}:1: event 0") and message in str(info.value)
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- task scores


def test_match_spans_overlap_one_to_one() -> None:
    from geo.evaluate_tasks import match_spans

    gold = [(10, 16), (30, 37)]
    assert tuple(match_spans([(10, 16), (31, 33)], gold)) == (2, 0, 0)
    # two predictions overlapping one gold span: one TP, one FP; the same span twice counts once
    assert tuple(match_spans([(8, 12), (13, 20), (13, 20)], gold)) == (1, 1, 1)
    # touching is not overlapping
    assert tuple(match_spans([(16, 30)], gold)) == (0, 1, 2)
    # a sentence without gold locations only adds false positives
    assert tuple(match_spans([(0, 4)], [])) == (0, 1, 0) and tuple(match_spans([], [])) == (0, 0, 0)


class _FakeResult:
    def __init__(self, events: list[Event]) -> None:
        self.events = events


class _FakeDetector:
    def __init__(self, spans: dict[str, list[tuple[int, int]]] | None) -> None:
        if spans is not None:
            self.place_spans = lambda article, recognised, verb: spans[article.article_id]


class _FakePipeline:
    """Stands in for geo.pipeline.Pipeline: canned events per article id, canned place_spans."""

    def __init__(self, events: dict[str, list[Event]], spans: dict[str, list[tuple[int, int]]] | None = None) -> None:
        self.events = events
        self.detector = _FakeDetector(spans)
        self.event_places = lambda text, lang: []
        self.seen_langs: set[str | None] = set()

    def process(self, article):  # noqa: ANN001, ANN201
        self.seen_langs.add(article.lang)
        return _FakeResult(self.events.get(article.article_id, []))


def _at(kind: str, article: str, start: int, end: int, confidence: float = 0.8) -> Event:
    return Event(kind, NORTHTON, "x", None, None, (), confidence, [Source(article, "s", start, end, 0)])


def test_score_event_location(tmp_path: Path) -> None:
    from geo.evaluate_tasks import load_event_location, score_event_location

    text = "Rebels attacked Northton and Southton, officials in Capitol said."
    north, south, capitol = (text.index(w) for w in ("Northton", "Southton", "Capitol"))
    records = [
        {"id": "s1", "gold": True, "text": text, "verb": {"start": 7, "end": 15, "text": "attacked"},
         "locations": [{"start": north, "end": north + 8, "text": "Northton"},
                       {"start": south, "end": south + 8, "text": "Southton"}]},
        {"id": "s2", "gold": False, "text": text, "verb": {"start": 7, "end": 15, "text": "attacked"},
         "locations": []},
    ]
    path = tmp_path / "sentences.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    rows = load_event_location([path])
    assert [r.gold for r in rows] == [True, False] and rows[0].verb == (7, 15)
    events = {"s1": [_at("attack", "s1", north, north + 8), _at("clash", "s1", north, north + 8),
                     _at("statement", "s1", capitol, capitol + 7)],
              "s2": [_at("attack", "s2", north, north + 8)]}
    spans = {"s1": [(north, north + 8), (south, south + 8)], "s2": []}
    pipeline = _FakePipeline(events, spans)
    ticks: list[int] = []
    scores = score_event_location(rows, pipeline, advance=ticks.append)  # type: ignore[arg-type]
    assert len(ticks) == 2 and pipeline.seen_langs == {"en"}
    assert scores.sentences == {"gold": 1, "gold_words": 1, "all": 2}
    assert tuple(scores.given_verb["gold"]) == (2, 0, 0) and tuple(scores.given_verb["all"]) == (2, 0, 0)
    assert tuple(scores.end_to_end["gold"]) == (1, 1, 1)   # Northton once, Capitol FP, Southton missed
    assert tuple(scores.end_to_end["all"]) == (1, 2, 1)
    # without place_spans the given-verb figure is skipped, not an error
    skipped = score_event_location(rows, _FakePipeline(events))  # type: ignore[arg-type]
    assert skipped.given_verb is None and "place_spans" in skipped.skipped
    assert json.loads(json.dumps(skipped.as_json()))["given_verb"] is None


def test_a_gold_span_cut_inside_a_word_leaves_the_whole_word_subset() -> None:
    """Some event-location spans are offsets the source shifted ("ey c", "g"): such a sentence counts in the
    gold subset but not in its whole-word part, whose figures no broken span caps."""
    from geo.evaluate_tasks import Sentence, whole_words

    text = "Rebels attacked Northton on Monday."
    north = text.index("Northton")
    assert whole_words(Sentence("a", text, (7, 15), ((north, north + 8),), True))
    assert not whole_words(Sentence("b", text, (7, 15), ((north + 2, north + 6),), True))
    assert not whole_words(Sentence("c", text, (7, 15), ((north - 1, north + 1),), True))


def test_score_case2021(tmp_path: Path) -> None:
    from geo.evaluate_tasks import NO_EVENT, load_case2021, score_case2021

    records = [("c1", "airstrike"), ("c2", "airstrike"), ("c3", "meeting"), ("c4", None), ("c5", "clash"),
               ("c6", "protest")]
    path = tmp_path / "snippets.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "text": "t", "acled_subtype": "X", "type": t})
                              for i, t in records) + "\n")
    rows = load_case2021([path])
    events = {
        "c1": [_at("airstrike", "c1", 0, 1, 0.9), _at("clash", "c1", 0, 1, 0.5)],   # right
        "c2": [_at("shelling", "c2", 0, 1, 0.9), _at("airstrike", "c2", 0, 1, 0.6)],  # right family, wrong type
        "c3": [_at("visit", "c3", 0, 1, 0.7)],                                       # DIPLO: a visit is right
        "c4": [_at("statement", "c4", 0, 1, 0.9)],                                   # statements are ignored
        "c5": [_at("protest", "c5", 0, 1, 0.8)],                                     # wrong
        "c6": [],                                                                    # missed
    }
    scores = score_case2021(rows, _FakePipeline(events))  # type: ignore[arg-type]
    assert (scores.correct, scores.total) == (4, 6) and scores.accuracy == pytest.approx(4 / 6)
    assert (scores.exact, scores.exact_total, scores.any_type) == (2, 5, 3)
    assert scores.confusion["remote violence"]["remote violence"] == 2
    assert scores.confusion["battles"]["protests"] == 1 and scores.confusion["protests"][NO_EVENT] == 1
    assert scores.per_label["protests"] == (0, 1, 1) and scores.per_label[NO_EVENT] == (1, 1, 0)
    # macro-F1 over the labels that occur: remote violence 1, diplomacy 1, no event 2/3, battles 0, protests 0
    assert scores.macro_f1 == pytest.approx((1 + 1 + 2 / 3 + 0 + 0) / 5)
    assert json.loads(json.dumps(scores.as_json()))["exact_type"]["correct"] == 2


def test_detect_task_and_task_file_errors(tmp_path: Path) -> None:
    from geo.evaluate_tasks import detect_task, load_case2021, load_event_location

    sentences = tmp_path / "s.jsonl"
    sentences.write_text('\n{"id": "s", "text": "ab", "verb": {"start": 0, "end": 1}, "locations": []}\n')
    snippets = tmp_path / "c.jsonl"
    snippets.write_text('{"id": "c", "text": "ab", "acled_subtype": "ARREST", "type": null}\n')
    docs = tmp_path / "d.jsonl"
    docs.write_text('{"id": "d", "text": "ab", "toponyms": [], "events": []}\n')
    broken = tmp_path / "b.jsonl"
    broken.write_text('{"id": ')
    assert [detect_task(p) for p in (sentences, snippets, docs, broken)] == \
        ["event-location", "case2021", "gold", "gold"]
    bad_span = tmp_path / "bad.jsonl"
    bad_span.write_text('{"id": "s", "text": "ab", "verb": {"start": 0, "end": 9}, "locations": []}\n')
    with pytest.raises(InputError, match=r"bad.jsonl:1: verb has invalid start/end"):
        load_event_location([bad_span])
    bad_type = tmp_path / "bad_type.jsonl"
    bad_type.write_text('{"id": "c", "text": "ab", "type": "parade"}\n')
    with pytest.raises(InputError, match=r"bad_type.jsonl:1: unknown type 'parade'"):
        load_case2021([bad_type])
    with pytest.raises(InputError, match=r"b.jsonl:1: invalid JSON"):
        load_case2021([broken])
    with pytest.raises(InputError, match="no such gold file or folder"):
        load_case2021([tmp_path / "absent.jsonl"])


# --------------------------------------------------------------------------- the new shared corpora


def test_dev_corpus_reads_and_a_perfect_system_scores_perfectly() -> None:
    from geo.evaluate import load_gold_paths

    folder = CORPUS / "dev"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    gold = load_gold_paths([folder])
    assert len(gold) == 98 and sum(len(d.events) for d in gold) == 265
    assert {d.lang for d in gold} == {"en", "ar", "fr", "es", "ru", "uk", "tr"}
    perfect: dict[str, list[Event]] = {}
    for doc in gold:
        for row in doc.events:
            kind = {1: "city", 2: "admin1", 3: "country"}[row["precision"]]
            lat, lon = (row["lat"], row["lon"]) if row["lat"] is not None else (0.0, 0.0)
            place = Place(row["place"], lat, lon, kind, row["country_iso2"], ref=f"{doc.id}:{row['place']}")
            perfect.setdefault(doc.id, []).append(
                Event(row["type"], place, row["place"], None, None, (), 1.0, [Source(doc.id, "", 0, 0, 0)],
                      fatalities=row["fatalities"], injured=row["injured"]))
    scores = score_events(gold, perfect)
    assert scores.f1 == 1.0 and scores.family.f1 == 1.0 and scores.exact_type_share == 1.0
    assert scores.fatalities.share == 1.0 and scores.fatalities.compared == 99
    assert set(scores.per_lang) == {"en", "ar", "fr", "es", "ru", "uk", "tr"}


def test_task_corpora_read() -> None:
    from geo.evaluate_tasks import detect_task, load_case2021, load_event_location

    sentences = CORPUS / "event_location" / "sentences.jsonl"
    snippets = CORPUS / "case2021_task2" / "snippets.jsonl"
    if not (sentences.is_file() and snippets.is_file()):
        pytest.skip("the event_location / case2021_task2 corpora are absent")
    assert detect_task(sentences) == "event-location" and detect_task(snippets) == "case2021"
    rows = load_event_location([sentences])
    assert len(rows) == 10176 and sum(r.gold for r in rows) == 494
    cases = load_case2021([snippets])
    assert len(cases) == 1019 and sum(c.type is None for c in cases) == 377


def test_a_gold_document_reads_its_publication_day_as_an_article_would(tmp_path: Path) -> None:
    """eval runs the pipeline on what extract would read from the same JSONL line: relative dates
    ("on Sunday") need the publication day."""
    path = tmp_path / "gold.jsonl"
    rows = [{"id": "a", "lang": "en", "published": "2024-05-17T08:30:00Z", "text": "Shells hit Ganja on Sunday."},
            {"id": "b", "lang": "en", "published": "last week", "text": "Shells hit Ganja."},
            {"id": "c", "lang": "en", "text": "Shells hit Ganja."}]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    docs = load_gold(path)
    assert [d.published for d in docs] == ["2024-05-17", None, None]
    article = docs[0].article("en")
    assert (article.article_id, article.published, article.lang) == ("a", "2024-05-17", "en")
