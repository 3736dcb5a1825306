"""Corrections that survive: the review file, ``review import``, stable ids, days joined by dedup."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer.place import Place
from geo.dedup import deduplicate
from geo.errors import InputError
from geo.model import Event, Source
from geo.review import Correction, apply_review, load_review

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dispatches"
GANJA = Place("Ganja", 40.6828, 46.3606, "city", "AZ", admin1_code="AZ-GA", geonameid=586523)
BAKU = Place("Baku", 40.3777, 49.892, "city", "AZ", admin1_code="AZ-BA", geonameid=587084)

FIRST = {
    "a_ganja.txt": "Shelling hits Ganja\nPublished: 2020-10-05\n\nArtillery shells struck residential streets of "
                   "Ganja on 4 October 2020, killing two civilians, the city administration said.\n",
    "b_tartar.txt": "Rockets on Tartar\nPublished: 2020-10-06\n\nRockets hit the town of Tartar on 5 October 2020, "
                    "damaging a school, local officials said.\n",
    "c_barda.txt": "Barda shelled\nPublished: 2020-10-07\n\nArtillery shelled Barda on 6 October 2020, wounding "
                   "four people, the regional governor said.\n",
}
LATER = {
    "d_agdam.txt": "Clashes near Aghdam\nPublished: 2020-10-09\n\nHeavy fighting broke out near Aghdam on "
                   "8 October 2020 as troops advanced, a defence ministry spokesman said.\n",
    "e_ganja_again.txt": "Ganja again\nPublished: 2020-10-11\n\nMissiles struck Ganja on 10 October 2020, "
                         "destroying several houses, rescuers said.\n",
}


def _event(event_type: str, place: Place, date: str | None, article: str = "a1") -> Event:
    return Event(event_type, place, place.name, date, "day" if date else None, ("FR",), 0.6,
                 [Source(article, f"{place.name}.", 0, len(place.name), 0)])


# --------------------------------------------------------------------------- the file


def test_a_bad_row_is_one_line_naming_the_file_and_line(tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    review.write_text("event_id,action,event_type\nabc,retype,shelling\ndef,retype,bombing\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"review\.csv:3: event_type 'bombing' is not one of"):
        load_review(review)
    review.write_text("event_id,action\nabc,move\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"review\.csv:2: move needs place or lat and lon"):
        load_review(review)
    toml = tmp_path / "review.toml"
    toml.write_text('[[correction]]\nevent_id = "abc"\naction = "set"\nfatalities = "many"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"review\.toml:1: fatalities 'many' is not a whole number"):
        load_review(toml)


def test_every_action_applies_and_a_gone_event_is_an_orphan(tmp_path: Path) -> None:
    events = deduplicate([_event("shelling", GANJA, "2020-10-04"), _event("clash", BAKU, "2020-10-05"),
                          _event("attack", GANJA, "2020-10-06"), _event("shelling", BAKU, "2020-10-07")])
    ids = {(e.event_type, e.place.name): e.event_id for e in events}
    review = tmp_path / "review.toml"
    review.write_text(
        f'[[correction]]\nevent_id = "{ids["shelling", "Ganja"]}"\naction = "drop"\n'
        f'[[correction]]\nevent_id = "{ids["clash", "Baku"]}"\naction = "move"\nlat = 40.5\nlon = 49.5\n'
        f'[[correction]]\nevent_id = "{ids["attack", "Ganja"]}"\naction = "retype"\nevent_type = "protest"\n'
        f'note = "a rally, not an attack"\n'
        f'[[correction]]\nevent_id = "{ids["shelling", "Baku"]}"\naction = "set"\nfatalities = 3\ninjured = "none"\n'
        f'[[correction]]\nevent_id = "0000000000000000"\naction = "reviewed"\n', encoding="utf-8")
    result = apply_review(events, load_review(review))
    by_id = {e.event_id: e for e in result.events}
    assert ids["shelling", "Ganja"] not in by_id
    assert (by_id[ids["clash", "Baku"]].place.lat, by_id[ids["clash", "Baku"]].place.lon) == (40.5, 49.5)
    retyped = by_id[ids["attack", "Ganja"]]  # the id is kept through the retype
    assert retyped.event_type == "protest" and retyped.note == "a rally, not an attack" and retyped.reviewed
    assert by_id[ids["shelling", "Baku"]].fatalities == 3
    assert result.applied == 4 and [c.event_id for c in result.orphans] == ["0000000000000000"]
    assert "review.toml:" in str(result.orphans[0])


def test_move_to_a_named_place_resolves_it_and_an_unknown_name_is_one_line(gazetteer) -> None:
    event = deduplicate([_event("shelling", GANJA, "2020-10-04")])[0]
    moved = apply_review([event], [Correction(event.event_id, "move", "review.csv:2", place="Tartar")], gazetteer)
    assert moved.events[0].place.name in ("Tartar", "Terter") and moved.events[0].event_id == event.event_id
    with pytest.raises(InputError, match=r"review\.csv:3: the gazetteer knows no place named 'Qwxzvbnm'"):
        apply_review([event], [Correction(event.event_id, "move", "review.csv:3", place="Qwxzvbnm")], gazetteer)


def test_merge_moves_the_sources_into_the_other_event() -> None:
    one, two = deduplicate([_event("shelling", GANJA, "2020-10-04", "a1"), _event("shelling", BAKU, "2020-10-04",
                                                                                     "a2")])
    result = apply_review([one, two], [Correction(two.event_id, "merge", into=one.event_id)])
    assert len(result.events) == 1
    assert {s.article_id for s in result.events[0].sources} == {"a1", "a2"}
    assert two.event_id in result.events[0].aliases


# --------------------------------------------------------------------------- dedup and ids


def test_a_visit_over_consecutive_days_is_one_event_with_a_start_and_an_end() -> None:
    events = deduplicate([_event("visit", BAKU, "2020-10-05", "a1"), _event("visit", BAKU, "2020-10-06", "a2"),
                          _event("visit", BAKU, "2020-10-09", "a3"), _event("shelling", GANJA, "2020-10-05"),
                          _event("shelling", GANJA, "2020-10-06")])
    visits = [e for e in events if e.event_type == "visit"]
    assert [(e.date, e.date_end) for e in visits] == [("2020-10-05", "2020-10-06"), ("2020-10-09", None)]
    assert visits[0].properties()["date_start"] == "2020-10-05" and visits[0].properties()["date_end"] == "2020-10-06"
    assert {s.article_id for s in visits[0].sources} == {"a1", "a2"}
    assert len([e for e in events if e.event_type == "shelling"]) == 2  # a shelling is per day


def test_a_correction_keyed_by_a_later_day_finds_the_joined_visit() -> None:
    second_day = _event("visit", BAKU, "2020-10-06", "a2")
    events = deduplicate([_event("visit", BAKU, "2020-10-05", "a1"), second_day])
    result = apply_review(events, [Correction(second_day.event_id, "note", note="two days in Baku")])
    assert not result.orphans and result.events[0].note == "two days in Baku"


def test_a_correction_keyed_by_a_publication_dated_report_follows_it_to_its_explicit_date() -> None:
    from dataclasses import replace

    headline = replace(_event("shelling", GANJA, "2020-10-06", "a1"), date_precision="published")
    alone = deduplicate([headline])
    assert alone[0].date == "2020-10-06"
    # a new article dates the same shelling explicitly: the headline's event takes that date (a new id)
    joined = deduplicate([headline, _event("shelling", GANJA, "2020-10-04", "a2")])
    assert len(joined) == 1 and joined[0].event_id != alone[0].event_id
    result = apply_review(joined, [Correction(alone[0].event_id, "set", fatalities=2)])
    assert not result.orphans and result.events[0].fatalities == 2


def test_adding_articles_keeps_the_ids_of_the_events_already_built(gazetteer, tmp_path: Path) -> None:
    from maps.build import Builder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in sorted(os.listdir(EXAMPLES))[:5]:
        shutil.copy(EXAMPLES / name, corpus / name)
    builder = Builder(tmp_path / "out", gazetteer=gazetteer, render=False)
    builder.run([corpus])
    before = {f["properties"]["event_id"] for f in _features(tmp_path / "out")}
    for name in sorted(os.listdir(EXAMPLES))[5:]:
        shutil.copy(EXAMPLES / name, corpus / name)
    builder.run([corpus])
    after = {f["properties"]["event_id"] for f in _features(tmp_path / "out")}
    assert before <= after and len(after) > len(before)


# --------------------------------------------------------------------------- end to end


def _features(out: Path) -> list[dict]:
    return json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]


def _cli(*args: object) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from maps.cli.main import cli; cli()", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=os.environ.copy())


def test_corrections_made_in_a_geopackage_survive_new_articles_and_the_watch(gazetteer, tmp_path: Path) -> None:
    import pyogrio

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    for name, text in FIRST.items():
        (corpus / name).write_text(text, encoding="utf-8")
    done = _cli("build", corpus, "--out", out, "--offline")
    assert done.returncode == 0, done.stderr
    places = {f["properties"]["place_name"]: f["properties"] for f in _features(out)}
    dropped, moved, retyped = places["Ganja"]["event_id"], places["Tartar"]["event_id"], places["Barda"]["event_id"]

    edited = tmp_path / "edited.gpkg"  # what a QGIS user does: delete, drag, change an attribute
    frame = pyogrio.read_dataframe(out / "events.gpkg", layer="events")
    frame = frame[frame["event_id"] != dropped].reset_index(drop=True)
    import shapely

    frame.loc[frame["event_id"] == moved, "geometry"] = shapely.Point(46.95, 40.35)
    frame.loc[frame["event_id"] == retyped, "event_type"] = "clash"
    pyogrio.write_dataframe(frame, edited, layer="events", driver="GPKG")
    done = _cli("review", "import", edited, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "3 corrections added" in done.stderr
    assert (out / "review.csv").read_text(encoding="utf-8").count("\n") == 4

    for name, text in LATER.items():
        (corpus / name).write_text(text, encoding="utf-8")
    done = _cli("build", corpus, "--out", out, "--offline")
    assert done.returncode == 0, done.stderr
    assert "review: 3 corrections applied" in done.stderr
    _assert_corrected(out, dropped, moved, retyped)

    watching = subprocess.Popen([sys.executable, "-c", "from maps.cli.main import cli; cli()", "build", str(corpus),
                                 "--out", str(out), "--offline", "--watch"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in watching.stderr], daemon=True).start()
    said: list[str] = []

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                said.append(lines.get(timeout=1))
            except queue.Empty:
                continue
            if text in said[-1]:
                return
        raise AssertionError(f"no {text!r} in:\n{''.join(said)}")

    try:
        wait_for("watching ")
        (corpus / "b_tartar.txt").write_text(FIRST["b_tartar.txt"] + "\nResidents fled to shelters.\n",
                                             encoding="utf-8")
        wait_for("conflict-map rebuilt:")
        with (out / "review.csv").open("a", encoding="utf-8") as review:  # the review file alone rebuilds
            review.write(f"{moved},note,,,,,,,,checked by phone\n")
        wait_for("conflict-map rebuilt:")
    finally:
        watching.send_signal(signal.SIGTERM)
        watching.wait(timeout=60)
    assert "Traceback" not in "".join(said)
    _assert_corrected(out, dropped, moved, retyped)
    assert {f["properties"]["event_id"]: f for f in _features(out)}[moved]["properties"]["note"] == "checked by phone"


def _assert_corrected(out: Path, dropped: str, moved: str, retyped: str) -> None:
    by_id = {f["properties"]["event_id"]: f for f in _features(out)}
    assert dropped not in by_id
    assert by_id[moved]["geometry"]["coordinates"] == [46.95, 40.35] and by_id[moved]["properties"]["reviewed"]
    assert by_id[retyped]["properties"]["event_type"] == "clash"
    names = {f["properties"]["place_name"] for f in by_id.values()}
    assert {"Aghdam", "Ganja"} <= names or {"Agdam", "Ganja"} <= names, names  # the new articles' events
    assert any(f["properties"]["date"] == "2020-10-10" for f in by_id.values())


def test_review_import_of_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    from maps.cli.main import cli

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "events.geojson").write_text('{"type": "FeatureCollection", "features": []}',
                                                     encoding="utf-8")
    (tmp_path / "edited.geojson").write_text("not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", "import", str(tmp_path / "edited.geojson"), "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2 and "edited.geojson:1: invalid JSON" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    (tmp_path / "edited.geojson").write_text('{"type": "FeatureCollection", "features": [{"properties": 5}]}',
                                             encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", "import", str(tmp_path / "edited.geojson"), "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2 and "edited.geojson: not a GeoJSON FeatureCollection of events" in result.output


def test_a_correction_whose_event_is_gone_is_listed_in_the_summary(gazetteer, tmp_path: Path) -> None:
    from maps.cli.main import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_ganja.txt").write_text(FIRST["a_ganja.txt"], encoding="utf-8")
    review = tmp_path / "fixes.csv"
    review.write_text("event_id,action,note\nffffffffffffffff,note,a report since removed\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(corpus), "--out", str(tmp_path / "out"), "--review", str(review)])
    assert result.exit_code == 0, result.output
    assert (f"review: the event of this correction no longer exists - {review}:2: note ffffffffffffffff"
            in result.output)


def test_the_popup_shows_the_note_and_that_the_event_was_reviewed() -> None:
    from maps.popups import popup_html

    event = apply_review(deduplicate([_event("visit", BAKU, "2020-10-05"), _event("visit", BAKU, "2020-10-06")]),
                         [Correction("x", "note")]).events[0]
    event = apply_review([event], [Correction(event.event_id, "note", note="met <the> mayor")]).events[0]
    page = popup_html(event.properties())
    assert "<th>Reviewed</th><td>yes</td>" in page and "met &lt;the&gt; mayor" in page
    assert "2020-10-05 – 2020-10-06" in page


@pytest.mark.parametrize(("content", "problem"), [
    (None, "no such review file"),
    ("event_id,action\nabc,explode\n", "fixes.csv:2: action 'explode' is not one of drop, move"),
    ("event_id,action,lat,lon\nabc,move,91,10\n", "fixes.csv:2: lat 91 is out of range"),
    (b"event_id,action\n\xff\xfe,drop\n", "the review file is not UTF-8 text"),
])
def test_a_bad_review_file_stops_the_build_with_one_line(gazetteer, tmp_path: Path, content, problem) -> None:
    from maps.cli.main import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_ganja.txt").write_text(FIRST["a_ganja.txt"], encoding="utf-8")
    review = tmp_path / "fixes.csv"
    if isinstance(content, bytes):
        review.write_bytes(content)
    elif content is not None:
        review.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(corpus), "--out", str(tmp_path / "out"), "--review", str(review)])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("conflict-map: error:")]
    assert len(errors) == 1 and problem in errors[0] and str(review) in errors[0], result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "events.geojson").exists()


def test_review_import_reads_the_differences_of_an_edited_geojson(tmp_path: Path) -> None:
    from maps.review_import import edits_as_corrections

    def feature(event_id: str, event_type: str, lon: float, lat: float, **more) -> dict:
        return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"event_id": event_id, "event_type": event_type, "fatalities": None, "injured": None,
                               "note": None, "reviewed": False, **more}}

    built = [feature("a", "shelling", 46.36, 40.68), feature("b", "clash", 47.1, 40.3), feature("c", "attack", 47.2, 40.4),
             feature("d", "visit", 49.89, 40.38)]
    edited = [feature("b", "clash", 47.15, 40.3), feature("c", "protest", 47.2, 40.4, fatalities=3),
              feature("d", "visit", 49.89, 40.38, note="two days", reviewed=True), feature("e", "clash", 1, 1)]
    for name, features in (("events.geojson", built), ("edited.geojson", edited)):
        (tmp_path / name).write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    corrections, warnings = edits_as_corrections(tmp_path / "edited.geojson", tmp_path / "events.geojson")
    assert [(c.event_id, c.action) for c in corrections] == [
        ("a", "drop"), ("b", "move"), ("c", "retype"), ("c", "set"), ("d", "note"), ("d", "reviewed")]
    assert (corrections[1].lat, corrections[1].lon) == (40.3, 47.15) and corrections[3].fatalities == 3
    assert len(warnings) == 1 and "event e is not in the last build" in warnings[0]


def test_two_default_review_files_are_an_error_not_a_choice(tmp_path: Path) -> None:
    from geo.review import review_file

    (tmp_path / "review.csv").write_text("event_id,action\n", encoding="utf-8")
    assert review_file(tmp_path) == tmp_path / "review.csv"
    (tmp_path / "review.toml").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="two review files"):
        review_file(tmp_path)
    assert review_file(tmp_path, tmp_path / "review.toml") == tmp_path / "review.toml"
