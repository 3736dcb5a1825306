"""The ``parse``, ``extract`` and ``eval`` commands end to end, on our dispatches and on bad inputs.

Commands run in-process with click's CliRunner (stdout and stderr kept apart); the one
test about tracebacks runs a real process.  Every command opens the gazetteer of the
session cache (tests/conftest.py), built once by the ``gazetteer`` fixture.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from maps.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DISPATCHES = EXAMPLES / "dispatches"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

BAKU, GANJA, KHANKENDI = 587084, 586523, 146970

#: the feature properties of the output contract (docs/design.md)
CONTRACT_PROPERTIES = ("event_id", "event_type", "layer", "date", "date_precision", "place_name", "place_mention",
                       "geonameid", "geo_precision", "country_iso2", "admin1", "admin1_code", "area", "actors",
                       "actor_mentions", "confidence", "fatalities", "injured", "acled_event_type",
                       "acled_sub_event_type", "sources")
SOURCE_KEYS = {"article_id", "title", "url", "sentence", "start", "end", "fatalities", "injured"}
LAYERS = {"shelling": "Shelling sites", "airstrike": "Shelling sites", "explosion": "Explosions", "clash": "Clashes",
          "attack": "Attacks on civilians", "protest": "Protests", "visit": "Diplomatic visits",
          "meeting": "Diplomatic visits", "ceasefire": "Ceasefires and agreements", "statement": "Statements"}
#: event_type -> ACLED event type (None where ACLED has none)
ACLED_TYPES = {"shelling": "Explosions/Remote violence", "airstrike": "Explosions/Remote violence",
               "explosion": "Explosions/Remote violence", "clash": "Battles", "attack": "Violence against civilians",
               "protest": "Protests", "visit": None, "meeting": None, "ceasefire": "Strategic developments",
               "statement": None}
PARSE_KEYS = {"start", "end", "name", "geonameid", "lat", "lon", "kind", "country_iso2"}

#: a dispatch of our own: one shelling event at Ganja
GOOD_DISPATCH = """Artillery hits Ganja overnight
Published: 2020-10-11

Artillery shells struck the city of Ganja on Sunday night, wounding several civilians, local officials said.
"""
#: what script blocks say; none of it may reach an event
SCRIPT_MARKERS = ("alert", "<script", "${", "document.write", "Yerevan", "Gyumri", "Tbilisi")
SCRIPTS = (
    "<script>alert(1)</script>\n"
    "<script>var s = `${alert(1)}`; document.write('Rockets slammed into Yerevan on Sunday');</script>\n"
    "<script type=\"text/javascript\">window.news = 'Drones struck Gyumri on Sunday'; ${alert(1)}</script>\n"
)


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def runner(gazetteer) -> CliRunner:
    """A CliRunner; depends on ``gazetteer`` so the session index exists before any command opens it."""
    return CliRunner()


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"conflict-map {' '.join(map(str, args))} raised {result.exception!r}\n{result.stderr}") \
            from result.exception
    return result


def stderr_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def warnings_of(result: Result) -> list[str]:
    return [line for line in stderr_lines(result) if line.startswith("warning:")]


def features_of(out_dir: Path) -> list[dict]:
    return json.loads((out_dir / "events.geojson").read_text(encoding="utf-8"))["features"]


def events_at(features: list[dict], geonameid: int, event_type: str | None = None) -> list[dict]:
    return [f for f in features if f["properties"]["geonameid"] == geonameid
            and (event_type is None or f["properties"]["event_type"] == event_type)]


def article_texts() -> dict[str, str]:
    """article_id -> text of every example dispatch, as the reader gives it."""
    from geo.read import find_inputs, read_articles

    return {a.article_id: a.text for a in read_articles(find_inputs([DISPATCHES]), detect_language=False)}


# --------------------------------------------------------------------------- parse


def test_parse_json_gives_toponyms_with_offsets_into_the_text(runner: CliRunner) -> None:
    path = DISPATCHES / "en_01_stepanakert.txt"
    result = invoke(runner, "parse", path, "--json")
    assert result.exit_code == 0, result.stderr
    toponyms = json.loads(result.stdout)
    assert isinstance(toponyms, list) and toponyms
    text = path.read_bytes().decode("utf-8")
    for toponym in toponyms:
        assert PARSE_KEYS <= toponym.keys(), toponym
        assert text[toponym["start"]:toponym["end"]] == toponym["name"], toponym
        assert -90 <= toponym["lat"] <= 90 and -180 <= toponym["lon"] <= 180
    stepanakert = [t for t in toponyms if t["geonameid"] == KHANKENDI]
    assert stepanakert and {t["name"] for t in stepanakert} <= {"Stepanakert", "Khankendi"}
    assert stepanakert[0]["country_iso2"] == "AZ"


@pytest.mark.parametrize(("text", "lang", "found", "not_found"), [
    # a country whose name is also a frequent word of the language is still a country (whether "Minsk" inside
    # "Groupe de Minsk" is a toponym is the span filter's call: the public corpora disagree, and no event goes
    # there either way: test_events)
    ("La France copréside le Groupe de Minsk avec la Russie et les États-Unis.", "fr",
     {"France", "Russie", "États-Unis"}, set()),
    # a title before a country in the genitive is an office of that country, not a person
    ("Президент Азербайджана в воскресенье объявил об освобождении города.", "ru", {"Азербайджана"}, set()),
    # after an Arabic organisation head too
    ("ودعت روسيا وفرنسا، الدول المشاركة في مجموعة مينسك، إلى وقف فوري لإطلاق النار.", "ar", {"روسيا", "مينسك"},
     set()),
])
def test_recognition_in_french_russian_and_arabic(gazetteer, text: str, lang: str, found: set[str],
                                                  not_found: set[str]) -> None:
    from geo.recognize import Recognizer

    mentions = {t.mention for t in Recognizer(gazetteer).toponyms(text, lang)}
    assert found <= mentions and not (not_found & mentions), mentions


def test_unresolved_names_are_place_like_names_the_gazetteer_lacks(gazetteer) -> None:
    from geo.recognize import Recognizer

    recognizer = Recognizer(gazetteer)
    text = ("Shelling was reported in Zorbalinsk and near Ganja on Monday. In January, officials in Baku "
            "met Minister Lavrov, Canadians in Ottawa said. Talks at Walmart ended. Rockets were fired at Tartar, "
            "Qervalash and Baku overnight, and later the president spoke. Огонь вёлся по Гузанлыкову.")
    toponyms = recognizer.toponyms(text, "en")
    assert {t.mention for t in toponyms} >= {"Ganja", "Baku", "Ottawa", "Tartar"}
    assert recognizer.unresolved(text, toponyms, "en") == ["Zorbalinsk", "Qervalash", "Гузанлыкову"]


def _unlisted(gazetteer, text: str, lang: str) -> list[str]:
    """The words of every unlisted span of ``text`` (``Recognizer.unlisted`` beside its toponyms)."""
    from geo.recognize import Recognizer

    recognizer = Recognizer(gazetteer)
    toponyms = recognizer.toponyms(text, lang)
    return [text[s:e] for s, e in recognizer.unlisted(text, [(t.start, t.end) for t in toponyms], lang)]


def test_unlisted_spans_are_every_mention_of_an_unresolved_name_that_reads_as_no_person(gazetteer) -> None:
    text = ("Rebels took the town of Zorbalinsk near Ganja. Shops in Zorbalinsk stayed shut. Later in Quandrell, "
            "police said, aid arrived; Envoy Mara Quandrell visited. In Vostrapol, Vostrapol said nothing.")
    # Quandrell follows a first name once, Vostrapol is followed by a speech verb: persons, not places
    assert _unlisted(gazetteer, text, "en") == ["Zorbalinsk", "Zorbalinsk"]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("At a briefing in Baku on Sunday, a foreign ministry spokeswoman condemned the attack.", "en", {"Baku"}),
    ("Lors d'un point de presse à Paris, lundi, la porte-parole du ministère a appelé à un cessez-le-feu.", "fr",
     {"Paris"}),
    ("Armenia denied firing at Ganja and said the other side had broken the ceasefire first.", "en", set()),
])
def test_a_statement_is_placed_where_it_was_made(gazetteer, text: str, lang: str, expected: set[str]) -> None:
    from geo.model import Article
    from geo.pipeline import Pipeline

    result = Pipeline(gazetteer).process(Article("s", text, lang=lang, published="2020-10-12"))
    assert {e.place.name for e in result.events if e.event_type == "statement"} == expected


def test_a_piped_table_keeps_every_value_whole(runner: CliRunner) -> None:
    """Piped (not a terminal), parse and geocode print tab-separated lines, no value cut to fit 80 columns."""
    article = DISPATCHES / "ar_01_rabat_commission.txt"
    lines = invoke(runner, "parse", article).stdout.splitlines()
    assert lines[0].split("\t") == ["start", "end", "mention", "place", "kind", "country", "lat", "lon", "score"]
    rows = [line.split("\t") for line in lines[1:]]
    assert rows and all(len(row) == 9 for row in rows)
    assert {"Morocco", "Azerbaijan"} <= {row[3] for row in rows}
    text = article.read_text(encoding="utf-8")
    assert all(text[int(row[0]):int(row[1])] == row[2] for row in rows)
    geocoded = [line.split("\t") for line in invoke(runner, "geocode", "Stepanakert").stdout.splitlines()]
    assert geocoded[0][:3] == ["score", "name", "kind"] and "Khankendi" in {row[1] for row in geocoded[1:]}


def test_parse_jsonl_prints_one_line_per_article(runner: CliRunner) -> None:
    path = DISPATCHES / "more.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = invoke(runner, "parse", path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(records)
    texts = {r["id"]: r["text"] for r in records}
    for line in lines:
        parsed = json.loads(line)
        assert set(parsed) == {"id", "toponyms"}
        assert parsed["id"] in texts and parsed["toponyms"]
        for toponym in parsed["toponyms"]:
            assert PARSE_KEYS <= toponym.keys()
            assert texts[parsed["id"]][toponym["start"]:toponym["end"]] == toponym["name"]
    assert [json.loads(line)["id"] for line in lines] == list(texts)


# --------------------------------------------------------------------------- extract on the examples


@pytest.fixture(scope="module")
def extracted(runner: CliRunner, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    """``extract examples/dispatches`` run twice, into two folders."""
    first, second = tmp_path_factory.mktemp("extract-1"), tmp_path_factory.mktemp("extract-2")
    result = invoke(runner, "extract", DISPATCHES, "--out", first)
    again = invoke(runner, "extract", DISPATCHES, "--out", second)
    assert result.exit_code == 0 and again.exit_code == 0, result.stderr + again.stderr
    return first, second, result


def test_extract_writes_the_three_files(extracted: tuple[Path, Path, Result]) -> None:
    out, _, result = extracted
    for name in ("events.geojson", "events.gpkg", "events.csv"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0
        assert str(out / name) in result.stdout.splitlines()
    assert not warnings_of(result), result.stderr
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".cache"], "staging files left behind"


def test_extract_geojson_is_rfc7946(extracted: tuple[Path, Path, Result]) -> None:
    import geopandas

    out = extracted[0]
    raw = (out / "events.geojson").read_text(encoding="utf-8")
    document = json.loads(raw)
    assert document["type"] == "FeatureCollection" and "crs" not in document
    frame = geopandas.read_file(out / "events.geojson")
    assert len(frame) == len(document["features"]) > 0
    assert set(frame.geom_type) == {"Point"}
    # every coordinate has at most 6 decimals
    decimals = json.loads(raw, parse_float=str)
    for feature in decimals["features"]:
        for value in feature["geometry"]["coordinates"]:
            assert "e" not in value.lower() and len(value.partition(".")[2]) <= 6, value


def test_extract_coordinates_are_lon_lat(extracted: tuple[Path, Path, Result]) -> None:
    features = features_of(extracted[0])
    for feature in events_at(features, GANJA):
        lon, lat = feature["geometry"]["coordinates"]
        assert lon == pytest.approx(46.36, abs=0.05) and lat == pytest.approx(40.68, abs=0.05)


def test_extract_has_a_baku_event_in_lon_lat_order(extracted: tuple[Path, Path, Result]) -> None:
    """fr_01 (visit and meeting "à Bakou") and en_02 (statement "at a briefing in Baku")."""
    baku = events_at(features_of(extracted[0]), BAKU)
    assert baku, "no event at Baku"
    lon, lat = baku[0]["geometry"]["coordinates"]
    assert lon == pytest.approx(49.9, abs=0.1) and lat == pytest.approx(40.4, abs=0.1)


def test_extract_properties_follow_the_contract(extracted: tuple[Path, Path, Result]) -> None:
    features = features_of(extracted[0])
    texts = article_texts()
    ids = [f["properties"]["event_id"] for f in features]
    assert len(ids) == len(set(ids))
    for feature in features:
        properties = feature["properties"]
        assert list(properties)[:len(CONTRACT_PROPERTIES)] == list(CONTRACT_PROPERTIES)
        assert re.fullmatch(r"[0-9a-f]+", properties["event_id"])
        assert properties["layer"] == LAYERS[properties["event_type"]]
        assert properties["date"] is None or re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", properties["date"])
        assert properties["geo_precision"] in (1, 2, 3)
        assert isinstance(properties["actors"], list) and isinstance(properties["actor_mentions"], list)
        assert 0 <= properties["confidence"] <= 1
        assert properties["acled_event_type"] == ACLED_TYPES[properties["event_type"]]
        assert (properties["acled_sub_event_type"] is None) == (properties["acled_event_type"] is None)
        for name in ("fatalities", "injured"):  # the event's figure is at least every source's
            reported = [source[name] for source in properties["sources"] if source[name] is not None]
            assert all(isinstance(value, int) and value >= 0 for value in reported)
            assert not reported or (properties[name] is not None and properties[name] >= max(reported))
        assert isinstance(properties["sources"], list) and properties["sources"]
        for source in properties["sources"]:
            assert SOURCE_KEYS <= source.keys(), source
            assert source["article_id"] in texts
            text = texts[source["article_id"]]
            assert text[source["start"]:source["end"]] in source["sentence"]


def test_extract_is_byte_identical_across_runs(extracted: tuple[Path, Path, Result]) -> None:
    first, second, _ = extracted
    assert (first / "events.geojson").read_bytes() == (second / "events.geojson").read_bytes()
    assert (first / "events.csv").read_bytes() == (second / "events.csv").read_bytes()


def test_extract_finds_the_shelling_of_stepanakert_and_ganja(extracted: tuple[Path, Path, Result]) -> None:
    features = features_of(extracted[0])
    stepanakert = events_at(features, KHANKENDI, "shelling")
    assert stepanakert and stepanakert[0]["properties"]["country_iso2"] == "AZ"
    assert stepanakert[0]["properties"]["area"] == "Nagorno-Karabakh"
    assert events_at(features, GANJA, "shelling")


def test_extract_merges_events_across_articles(extracted: tuple[Path, Path, Result]) -> None:
    merged = [f for f in features_of(extracted[0])
              if len({s["article_id"] for s in f["properties"]["sources"]}) > 1]
    assert merged, "no event reported by two articles was merged"
    assert any(f["properties"]["geonameid"] == GANJA for f in merged)


# --------------------------------------------------------------------------- bad inputs


def _write_empty(folder: Path) -> tuple[str, str]:
    (folder / "empty.txt").write_bytes(b"")
    return "empty.txt", "empty"


def _write_binary(folder: Path) -> tuple[str, str]:
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    return "photo.txt", "binary"


def _write_latin1(folder: Path) -> tuple[str, str]:
    (folder / "latin1.txt").write_bytes("Un obus est tombé à Gandja jeudi, près du marché.\n".encode("latin-1"))
    return "latin1.txt", "UTF-8"


def _write_huge_jsonl_line(folder: Path) -> tuple[str, str]:
    path = folder / "huge.jsonl"
    with path.open("wb") as file:
        file.write(b'{"id": "huge", "text": "')
        chunk = b"Shells fell on Ganja. " * 50_000  # ~1.1 MB
        for _ in range(46):
            file.write(chunk)
        file.write(b'"}\n')
    assert path.stat().st_size > 50_000_000
    return "huge.jsonl:1", "larger than 10 MB"


def _write_script_page(folder: Path) -> tuple[str, str]:
    page = ("<!doctype html><html><head><title>Breaking</title>\n" + SCRIPTS * 30 + "</head><body>\n"
            + SCRIPTS * 30 + "<noscript>${alert(1)} Enable JavaScript</noscript></body></html>\n")
    (folder / "scripts.html").write_text(page, encoding="utf-8")
    return "scripts.html", "no article text"


@pytest.mark.parametrize("write_bad", [_write_empty, _write_binary, _write_latin1, _write_huge_jsonl_line,
                                       _write_script_page],
                         ids=["empty", "binary", "invalid-utf8", "jsonl-50MB-line", "html-only-scripts"])
def test_extract_skips_a_bad_file_with_one_warning(runner: CliRunner, tmp_path: Path, write_bad) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_DISPATCH, encoding="utf-8")
    where, problem = write_bad(folder)
    out = tmp_path / "out"
    result = invoke(runner, "extract", folder, "--out", out)
    assert result.exit_code == 0, result.stderr
    warnings = warnings_of(result)
    assert len(warnings) == 1, result.stderr
    assert str(folder / where) in warnings[0] and problem in warnings[0]
    assert "Traceback" not in result.stderr
    features = features_of(out)
    good = [f for f in features if {s["article_id"] for s in f["properties"]["sources"]} == {"good"}]
    assert events_at(good, GANJA, "shelling"), features
    assert all(s["article_id"] == "good" for f in features for s in f["properties"]["sources"])
    for name in ("events.geojson", "events.csv"):
        text = (out / name).read_text(encoding="utf-8")
        assert not [marker for marker in SCRIPT_MARKERS if marker in text], name
    for big in folder.glob("huge.jsonl"):
        big.unlink()  # pytest keeps the last temp folders: don't keep 50 MB in them


def test_extract_keeps_an_html_body_and_drops_its_scripts(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_DISPATCH, encoding="utf-8")
    (folder / "page.html").write_text(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Rockets hit Stepanakert</title>\n"
        "<meta name=\"date\" content=\"2020-10-04\">\n" + SCRIPTS + "</head><body>\n" + SCRIPTS
        + "<article><h1>Rockets hit Stepanakert</h1>\n"
        "<p>Rockets and artillery shells slammed into Stepanakert on Sunday morning, local officials said, "
        "damaging homes near the central market.</p>\n" + SCRIPTS
        + "<p>Residents of the city spent the night in basements as the sirens sounded again and again "
        "across the valley until dawn.</p>\n</article>\n" + SCRIPTS + "</body></html>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(runner, "extract", folder, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert not warnings_of(result), result.stderr
    features = features_of(out)
    page = [f for f in features if any(s["article_id"] == "page" for s in f["properties"]["sources"])]
    assert events_at(page, KHANKENDI, "shelling"), features
    assert events_at(features, GANJA, "shelling")
    for name in ("events.geojson", "events.csv"):
        text = (out / name).read_text(encoding="utf-8")
        assert not [marker for marker in SCRIPT_MARKERS if marker in text], name
    parsed = invoke(runner, "parse", folder / "page.html", "--json")
    assert {t["name"] for t in json.loads(parsed.stdout)} & {"Yerevan", "Gyumri", "Tbilisi"} == set()


def test_extract_with_no_readable_article_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    _write_empty(folder)
    _write_binary(folder)
    out = tmp_path / "out"
    result = invoke(runner, "extract", folder, "--out", out)
    assert result.exit_code == 1
    errors = stderr_lines(result)  # one line per unreadable file, naming it and the problem
    assert len(errors) == 2 and all(line.startswith(f"conflict-map: error: {folder}") for line in errors), \
        result.stderr
    assert not warnings_of(result)
    assert not out.exists()


def test_extract_of_a_missing_path_exits_2_without_traceback(gazetteer, tmp_path: Path) -> None:
    """A real process: what the user sees is one line, no traceback (``gazetteer``: the session's index is
    built, so the process does not say it builds one, whichever tests ran before)."""
    missing = tmp_path / "no-such-folder"
    command = [sys.executable, "-c", "from maps.cli.main import cli; cli()", "extract", str(missing),
               "--out", str(tmp_path / "out")]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), timeout=60)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(missing) in lines[0], done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "out").exists()


def test_extract_into_a_folder_under_a_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_DISPATCH, encoding="utf-8")
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file\n")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = invoke(runner, "extract", folder, "--out", blocker / "out")
    assert result.exit_code == 2
    lines = stderr_lines(result)
    errors = [line for line in lines if line.startswith("conflict-map: error:")]
    assert len(errors) == 1 and str(blocker) in errors[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert blocker.read_text() == "a regular file\n"


# --------------------------------------------------------------------------- eval


def _eval_json(runner: CliRunner, gold: Path) -> dict:
    result = invoke(runner, "eval", gold, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_eval_reports_toponym_and_event_scores(runner: CliRunner) -> None:
    scores = _eval_json(runner, EXAMPLES / "dispatches.gold.jsonl")
    toponyms, events = scores["toponyms"], scores["events"]
    for key in ("precision", "recall", "f1", "within_161km_share"):
        assert 0 <= toponyms[key] <= 1
    assert toponyms["tp"] > 0
    assert events is not None
    for key in ("precision", "recall", "f1"):
        assert 0 <= events[key] <= 1
    assert events["tp"] > 0 and {"shelling", "visit"} <= set(events["per_type"])


@pytest.mark.xfail(reason="the learned detector finds no statement at its place on the dispatches yet (issue 9: "
                          "statements are 5 of 265 dev events, too few to learn from)", strict=False)
def test_eval_scores_statements_on_request(runner: CliRunner) -> None:
    gold = EXAMPLES / "dispatches.gold.jsonl"
    assert "statement" not in _eval_json(runner, gold)["events"]["per_type"]
    result = invoke(runner, "eval", gold, "--json", "--types", "shelling,statement")
    per_type = json.loads(result.stdout)["events"]["per_type"]
    assert set(per_type) == {"shelling", "statement"} and per_type["statement"][0] >= 1  # tp, fp, fn
    wrong = invoke(runner, "eval", gold, "--types", "shelling,parade")
    assert wrong.exit_code == 2 and "parade: choose from" in wrong.stderr


@pytest.mark.xfail(reason="regression of issue 9's learned detector: seeds events R 0.60 P 0.60 against the "
                          "rule-tuned R 1.00 P 0.83; the toponym thresholds still hold", strict=False)
def test_eval_on_the_seed_corpus_meets_the_acceptance_thresholds(runner: CliRunner) -> None:
    gold = CORPUS / "seeds.gold.jsonl"
    if not gold.is_file():
        pytest.skip(f"{gold} is absent (the shared development corpus is not checked out)")
    scores = _eval_json(runner, gold)
    toponyms, events = scores["toponyms"], scores["events"]
    assert toponyms["f1"] >= 0.90, toponyms
    assert toponyms["within_161km_share"] >= 0.95, toponyms
    assert events["recall"] >= 0.90, events
    assert events["precision"] >= 0.80, events


def test_parse_tags_demonyms_as_countries_only_when_asked(runner, tmp_path):
    """`parse --demonyms` follows the public corpora (American -> United States); by default demonyms are actors."""
    article = tmp_path / "brief.txt"
    article.write_text("American envoys met Palestinian officials in Cairo on Sunday.", encoding="utf-8")
    plain = json.loads(invoke(runner, "parse", article, "--json").stdout)
    tagged = json.loads(invoke(runner, "parse", article, "--json", "--demonyms").stdout)
    assert [t["name"] for t in plain] == ["Cairo"]
    assert [(t["name"], t["country_iso2"], t["kind"]) for t in tagged] == [
        ("American", "US", "country"), ("Palestinian", "PS", "country"), ("Cairo", "EG", "city")]


@pytest.mark.parametrize(("text", "lang", "names"), [
    ("Gunmen stormed the market in the village of Zorbalinsk and then moved on to the Quandrell district overnight.",
     "en", ["Zorbalinsk", "Quandrell"]),
    ("Heavy fighting was reported for a second day across Vostrapol Province, officials told reporters.", "en",
     ["Vostrapol"]),
    ("Des hommes armés ont tué plusieurs civils dans le village de Zorbalinsk, selon des sources locales.", "fr",
     ["Zorbalinsk"]),
])
def test_a_name_beside_a_place_noun_is_an_unresolved_place(gazetteer, text: str, lang: str, names: list[str]) -> None:
    from geo.recognize import Recognizer

    recognizer = Recognizer(gazetteer)
    assert recognizer.unresolved(text, recognizer.toponyms(text, lang), lang) == names


def test_streets_and_camel_case_brands_are_no_unresolved_places(gazetteer) -> None:
    from geo.recognize import Recognizer

    recognizer = Recognizer(gazetteer)
    text = ("A fire broke out in Quillmore Drive after the storm, and engineers working in ZorTran later met the "
            "regional officials in Zorbalinsk to discuss the damage.")
    assert recognizer.unresolved(text, recognizer.toponyms(text, "en"), "en") == ["Zorbalinsk"]


def test_unlisted_arabic_names_follow_a_place_noun(gazetteer) -> None:
    text = ("قصفت الطائرات بلدة زرنوقات جنوب لبنان، واستهدفت منطقة عسكرية قرب قرية دير زرنوق. "
            "وشهدت مدينة حلب ومحيطها هدوءا، وعاد السكان إلى المدينة ومحيطها واشتباكات في حي القرنفيل.")
    assert _unlisted(gazetteer, text, "ar") == ["زرنوقات", "دير زرنوق", "القرنفيل"]


def test_parse_imports_no_other_command(tmp_path: Path, runner: CliRunner) -> None:
    """A real process: ``parse`` imports its own command's module only (start-up), and ``--help`` still lists all."""
    article = tmp_path / "one.jsonl"
    article.write_text('{"id": "x", "text": "Shelling hit Kharkiv."}\n', encoding="utf-8")
    code = ("import sys\nfrom maps.cli.main import cli\ntry:\n    cli(['parse', '--json', sys.argv[1]], standalone_mode=False)\n"
            "finally:\n    print(*sorted(m for m in sys.modules if m.startswith('maps.cli.')), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(article)], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120, cwd=ROOT)
    assert done.returncode == 0 and json.loads(done.stdout)["toponyms"][0]["name"] == "Kharkiv", done.stderr
    assert done.stderr.split() == ["maps.cli.main", "maps.cli.options", "maps.cli.parse", "maps.cli.tables"]
    listed = runner.invoke(cli, ["--help"]).stdout
    assert all(f"\n  {name} " in listed for name in ("assets", "build", "eval", "extract", "gazetteer", "geocode", "map",
                                                    "parse", "review"))
