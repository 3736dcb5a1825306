"""Hostile and odd inputs (issue 12): one reader that bounds, refuses and normalises; nothing silently lost."""

from __future__ import annotations

import json
import math
import os
import threading
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.model import Article
from geo.read import ReadWarning, find_inputs, read_articles, unique_ids
from geo.text import MAX_SENTENCE, sentences
from geo.textform import normal_form
from maps.cli.main import cli

GANJA = 586523
EN = "Artillery shells struck the city of Ganja on Sunday night, wounding several civilians, officials said.\n"


def read(paths: list[Path]) -> tuple[list[Article], list[ReadWarning]]:
    warnings: list[ReadWarning] = []
    return list(read_articles(paths, on_warning=warnings.append, detect_language=False)), warnings


@pytest.fixture(scope="module")
def pipeline(gazetteer):
    from geo.pipeline import Pipeline

    return Pipeline(gazetteer)


def invoke(*args: str | Path) -> object:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


# --------------------------------------------------------------------------- text forms


def test_a_zero_width_joiner_inside_a_name_does_not_move_the_event(pipeline) -> None:
    text = "Rockets struck Gan\u200dja on Sunday, officials in Baku said."
    result = pipeline.process(Article("a", text, lang="en"))
    ganja = [t for t in result.toponyms if t.place.geonameid == GANJA]
    assert ganja and text[ganja[0].start:ganja[0].end] == "Gan\u200dja"
    assert all(t.place.country_iso2 == "AZ" for t in result.toponyms)
    (event,) = [e for e in result.events if e.place.geonameid == GANJA]
    source = event.sources[0]
    assert source.sentence == text  # the sentence as read
    assert source.sentence[source.start - source.sentence_start:source.end - source.sentence_start] == "Gan\u200dja"


def test_zero_width_space_and_bidi_controls_are_not_part_of_a_name(pipeline) -> None:
    text = "Shelling hit Tar\u200btar overnight, while \u202eGanja\u202c was calm, the ministry said."
    found = {(t.place.name, t.place.country_iso2) for t in pipeline.process(Article("a", text, lang="en")).toponyms}
    assert {("Tartar", "AZ"), ("Ganja", "AZ")} <= found


def test_decomposed_accents_find_the_places(pipeline) -> None:
    text = unicodedata.normalize("NFD", "Armenian forces shelled Şuşa and Ağdam on Monday, the ministry said.")
    result = pipeline.process(Article("a", text, lang="en"))
    assert {("Shusha", "AZ"), ("Aghdam", "AZ")} <= {(t.place.name, t.place.country_iso2) for t in result.toponyms}
    for toponym in result.toponyms:  # offsets into the decomposed text as read
        assert unicodedata.normalize("NFC", text[toponym.start:toponym.end]) == toponym.mention


def test_normal_form_maps_every_span_back() -> None:
    raw = "a\u200b\u200bb " + unicodedata.normalize("NFD", "Ağdam") + "\u2066x\u2069"
    form = normal_form(raw)
    assert form.text == "ab Ağdamx"
    assert raw[slice(*form.raw_span(0, 2))] == "a\u200b\u200bb"
    assert unicodedata.normalize("NFC", raw[slice(*form.raw_span(3, 8))]) == "Ağdam"
    assert raw[slice(*form.raw_span(8, 9))] == "x"
    assert normal_form("plain text").edits == ()


def test_parse_reports_offsets_into_the_text_as_read(gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    text = "Rockets struck Gan\u200dja on Sunday, officials said.\n"
    path.write_text(text, encoding="utf-8")
    result = invoke("parse", path, "--json")
    (ganja,) = [t for t in json.loads(result.stdout) if t["geonameid"] == GANJA]
    assert text[ganja["start"]:ganja["end"]] == "Gan\u200dja"


# --------------------------------------------------------------------------- decoding


def test_a_lone_surrogate_in_jsonl_is_read_not_a_crash(gazetteer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"id": "x\\udc00", "text": "Shells hit Ganja on Sunday, officials said. \\ud800",'
                                    ' "title": "\\udfff"}\n', encoding="utf-8")
    articles, warnings = read([folder / "a.jsonl"])
    assert not warnings and articles[0].text.endswith("\ufffd") and articles[0].article_id == "x\ufffd"
    result = invoke("extract", folder, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert json.loads((tmp_path / "out" / "events.geojson").read_text(encoding="utf-8"))["features"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_text(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.txt"
    data = EN.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    articles, warnings = read([path])
    assert not warnings and articles[0].text == EN


def test_utf16_without_a_bom_is_named(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(EN.encode("utf-16-le"))
    _, warnings = read([path])
    assert len(warnings) == 1 and "UTF-16" in warnings[0].problem


def test_a_control_character_after_a_dropped_script_is_no_crash(tmp_path: Path) -> None:
    """Found by the fuzzing harness: lxml refused the tail text of a removed <script>."""
    path = tmp_path / "a.html"
    path.write_text("<p><script></script>\x1f" + EN + "</p>", encoding="utf-8")
    articles, warnings = read([path])
    assert len(articles) + len(warnings) == 1


# --------------------------------------------------------------------------- bounded, regular files only


def _finishes(call, seconds: float = 20.0) -> object:
    """``call()``'s result, failing (not hanging) when it takes longer than ``seconds``."""
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: it hangs"
    return box[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("name", ["pipe.txt", "pipe.jsonl", "pipe.html"])
def test_a_named_pipe_in_the_input_folder_is_skipped_not_waited_on(tmp_path: Path, name: str) -> None:
    (tmp_path / "good.txt").write_text(EN, encoding="utf-8")
    os.mkfifo(tmp_path / name)
    articles, warnings = _finishes(lambda: read(find_inputs([tmp_path])))
    assert [a.article_id for a in articles] == ["good"]
    assert len(warnings) == 1 and "named pipe" in warnings[0].problem and name in warnings[0].path


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("name", ["zero.txt", "zero.jsonl"])
def test_a_symlink_to_dev_zero_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / name).symlink_to("/dev/zero")
    articles, warnings = _finishes(lambda: read([tmp_path / name]))
    assert not articles and "character device" in warnings[0].problem


def _bytes_read() -> int | None:
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("rchar:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


@pytest.mark.parametrize("name", ["big.txt", "big.html"])
def test_a_1gb_file_is_skipped_without_reading_it(tmp_path: Path, gazetteer, name: str) -> None:
    big = tmp_path / "in" / name
    big.parent.mkdir()
    with big.open("wb") as file:  # sparse: no disk used
        file.truncate(1_000_000_000)
    (tmp_path / "in" / "good.txt").write_text(EN, encoding="utf-8")
    from geo.read import detect_language
    from maps.article_cache import InputCache

    detect_language(EN)  # modules and the language model first: reading them counts too

    before = _bytes_read()
    articles, warnings = read(find_inputs([tmp_path / "in"]))
    cached = InputCache(tmp_path / "cache", "test").read(find_inputs([tmp_path / "in"]))
    after = _bytes_read()
    assert [a.article_id for a in articles] == ["good"] == [a.article_id for a in cached]
    assert "larger than 10 MB" in warnings[0].problem
    if before is not None and after is not None:
        assert after - before < 25_000_000, f"{(after - before) / 1e6:.0f} MB read"


# --------------------------------------------------------------------------- nothing silently lost


def test_the_same_file_name_in_two_folders_gives_two_articles_and_a_warning(tmp_path: Path) -> None:
    for day in ("day1", "day2"):
        (tmp_path / day).mkdir()
        (tmp_path / day / "report.txt").write_text(EN.replace("Sunday", day), encoding="utf-8")
    articles, warnings = read(find_inputs([tmp_path]))
    ids = [a.article_id for a in articles]
    assert ids == ["report", f"report@{(tmp_path / 'day2' / 'report.txt').as_posix()}"]
    assert len(warnings) == 1 and "day1" in warnings[0].problem and "day2" in warnings[0].path


def test_unique_ids_never_collide_with_an_id_it_made() -> None:
    articles = [Article("a", "x", path="f.jsonl"), Article("a", "y", path="f.jsonl"), Article("a", "z", path="f.jsonl")]
    ids = [a.article_id for a in unique_ids(articles)]
    assert len(set(ids)) == 3


def test_an_unreadable_sub_folder_is_warned_about(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(EN, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(path) == tmp_path / "locked":  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    warnings: list[ReadWarning] = []
    found = find_inputs([tmp_path], on_warning=warnings.append)
    assert found == [tmp_path / "ok" / "a.txt"]
    assert len(warnings) == 1 and "locked" in warnings[0].path and "Permission denied" in warnings[0].problem


def test_out_inside_the_input_folder_is_not_read_back(gazetteer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "out").mkdir(parents=True)
    (folder / "a.txt").write_text(EN, encoding="utf-8")
    (folder / "out" / "map.html").write_text("<html><body><p>" + "Rockets struck Baku on Monday, officials said. " * 5
                                             + "</p></body></html>", encoding="utf-8")
    result = invoke("extract", folder, "--out", folder / "out")
    assert result.exit_code == 0, result.stderr
    features = json.loads((folder / "out" / "events.geojson").read_text(encoding="utf-8"))["features"]
    assert {s["article_id"] for f in features for s in f["properties"]["sources"]} == {"a"}
    assert "map.html" not in result.stderr and "warning" not in result.stderr


def test_map_refuses_to_overwrite_its_input(gazetteer, tmp_path: Path) -> None:
    events = tmp_path / "events.geojson"
    events.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    before = events.read_bytes()
    result = invoke("map", events, "--out", events)
    assert result.exit_code == 2 and "events file itself" in result.stderr
    assert "Traceback" not in result.stderr and events.read_bytes() == before


def test_an_unusable_out_is_found_before_extraction(gazetteer, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "file").write_text("x")
    for args in ([], ["--workers", "2"]):
        result = invoke("extract", tmp_path / "in", "--out", tmp_path / "file" / "out", *args)
        assert result.exit_code == 2 and str(tmp_path / "file") in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- time linear in article size


def test_a_long_run_without_full_stops_is_cut_into_bounded_sentences() -> None:
    text = ("Shells struck Ganja and Tartar, drones hit Aghdam " * 400).strip()
    spans = sentences(text)
    assert all(len(s.text) <= MAX_SENTENCE for s in spans)
    assert "".join(s.text for s in spans).replace(" ", "") == text.replace(" ", "")


def test_a_paragraph_without_punctuation_takes_linear_time(pipeline) -> None:
    import time

    text = ("Artillery shells struck Ganja and Tartar while drones hit Aghdam and Fuzuli wounding civilians "
            "officials in Baku and Yerevan said ") * 200  # 25 KB, one "sentence": minutes before
    started = time.perf_counter()
    pipeline.process(Article("a", text, lang="en"))
    assert time.perf_counter() - started < 30


def test_nearest_context_place_matches_brute_force(gazetteer) -> None:
    from gazetteer.place import Context

    places = [c.place for name in ("Ganja", "Baku", "Tartar", "Aghdam", "Rabat", "Shusha")
              for c in gazetteer.resolve(name, limit=1)]
    context = Context(places=tuple(places))

    def km(a, b) -> float:
        lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
        h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        return 12_742.0 * math.asin(min(1.0, math.sqrt(h)))

    for place in places:
        expected = min((km(place, o) for o in places if o.kind in ("city", "admin1") and o.key != place.key),
                       default=math.inf)
        assert context.nearby.nearest_km(place) == pytest.approx(expected, rel=1e-9)


# --------------------------------------------------------------------------- configuration and overrides


def _overrides(path: Path):
    from gazetteer.overrides import Overrides

    return Overrides.load(path)


def test_an_overrides_csv_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_bytes("\ufeffname,lat,lon\nGuzanli,40.0,47.1\n".encode("utf-8"))
    overrides = _overrides(path)
    assert len(overrides) == 1 and not overrides.problems


@pytest.mark.parametrize("body, problem", [
    ('[[place]]\nname = "A"\nlat = 1\nlon = 2\naliases = 5\n', "aliases must be a list"),
    ('place = [1, 2]\n', "must be a table"),
    ('[[place]]\nname = "A"\nlat = true\nlon = 2\n', "lat True is not a number"),
    ('[[place]]\nname = 5\nlat = 1\nlon = 2\n', "name must be text"),
])
def test_overrides_of_the_wrong_type_are_one_line_each(tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "o.toml"
    path.write_text(body, encoding="utf-8")
    overrides = _overrides(path)
    assert len(overrides) == 0
    assert any(problem in p and p.startswith(str(path)) for p in overrides.problems), overrides.problems
    assert any("none valid" in p for p in overrides.problems)  # never ignored silently


def test_a_huge_csv_field_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    from gazetteer.errors import DataFileError

    path = tmp_path / "o.csv"
    path.write_text("name,lat,lon\n\"" + "x" * 131_073 + "\",1,2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"o\.csv:\d+: field larger"):
        _overrides(path)


@pytest.mark.parametrize("body, problem", [
    (None, "not a file"),
    (b"\xff\xfe[gazetteer]", "not UTF-8"),
    (b'[gazetteer]\nareas = 5\n', "areas must be a list"),
    (b'[gazetteer]\nareas = ["missing.toml"]\n', "missing.toml not found"),
    (b'[gazetteer]\noverrides = 3\n', "overrides must be a string"),
    (b'gazetteer = 1\n', "must be a table"),
    (b'[fallback]\ngeocoder = "nominatim"\nmin_score = "high"\n', "min_score must be a number"),
])
def test_a_bad_configuration_is_one_line(tmp_path: Path, body: bytes | None, problem: str) -> None:
    from gazetteer.config import load_settings
    from gazetteer.errors import DataFileError

    path = tmp_path / "config.toml"
    if body is None:
        path.mkdir()
    else:
        path.write_bytes(body)
    with pytest.raises(DataFileError, match=problem) as raised:
        load_settings(path)
    assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_the_local_dask_cluster_listens_on_loopback_without_a_dashboard() -> None:
    pytest.importorskip("distributed")
    from geo.engines.dask import local_cluster

    with local_cluster(1) as cluster:
        assert cluster.scheduler.address.startswith("tcp://127.0.0.1:")
        for server in cluster.scheduler.services.values():  # the HTTP server (health, metrics) too
            assert {sock.getsockname()[0] for sock in server._sockets.values()} == {"127.0.0.1"}
        assert "/status" not in str(cluster.scheduler.http_application.wildcard_router.rules)  # no dashboard


# --------------------------------------------------------------------------- map inputs


@pytest.mark.parametrize("make, problem", [
    (lambda f: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    (lambda f: json.dumps({**f, "features": [{**f["features"][0], "properties": {
        **f["features"][0]["properties"], "actors": [{"x": 1}]}}]}), "actors must be a list of text"),
    (lambda f: json.dumps({**f, "features": [{**f["features"][0], "properties": {
        **f["features"][0]["properties"], "place_name": {"html": "<b>"}}}]}), "place_name must be text"),
])
def test_map_of_a_malformed_events_file_is_one_line(gazetteer, tmp_path: Path, make, problem: str) -> None:
    from geo.pipeline import Pipeline

    pipeline = Pipeline(gazetteer)
    written = pipeline.export(pipeline.run([Article("a", EN, lang="en")]).events, tmp_path / "out")
    collection = json.loads(Path(written["geojson"]).read_text(encoding="utf-8"))
    edited = tmp_path / "edited.geojson"
    edited.write_text(make(collection), encoding="utf-8")
    result = invoke("map", edited, "--out", tmp_path / "map.html")
    assert result.exit_code == 2 and problem in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "map.html").exists()


def test_an_index_lock_that_is_a_folder_is_one_line(tmp_path: Path) -> None:
    from gazetteer.errors import IndexBuildError
    from gazetteer.index import GazetteerIndex

    (tmp_path / "index.lock").mkdir()
    with pytest.raises(IndexBuildError, match="index.lock: cannot build the gazetteer index"):
        GazetteerIndex.open(tmp_path)


def test_no_loopback_for_a_local_dask_cluster_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    from geo.engines import dask as dask_engine
    from geo.errors import InputError

    def no_loopback(workers: int, **options: object) -> None:
        raise OSError(99, "Cannot assign requested address")

    monkeypatch.setattr(dask_engine, "local_cluster", no_loopback)
    with pytest.raises(InputError, match="cannot start a local Dask cluster"), \
            dask_engine._connect(None, None, 2):
        pass


def test_the_cycle_collector_is_paused_per_article_and_restored(pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    seen: list[bool] = []
    recognise = pipeline.recognizer.recognise

    def spy(text: str, lang: str | None = None):
        seen.append(gc.isenabled())
        return recognise(text, lang)

    monkeypatch.setattr(pipeline.recognizer, "recognise", spy)
    assert gc.isenabled()
    pipeline.process(Article("a", EN, lang="en"))
    assert seen == [False] and gc.isenabled()
    with pytest.raises(TypeError):
        pipeline.process(Article("a", None, lang="en"))  # type: ignore[arg-type]
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # what lived before the first article is out of the collector's sight


def test_parse_pauses_the_cycle_collector_per_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from geo.recognize import Recognizer

    seen: list[bool] = []
    toponyms = Recognizer.toponyms

    def spy(self, text: str, lang: str | None = None):
        seen.append(gc.isenabled())
        return toponyms(self, text, lang)

    monkeypatch.setattr(Recognizer, "toponyms", spy)
    source = tmp_path / "one.jsonl"
    source.write_text('{"id": "a", "text": "Shells fell on Ganja."}\n{"id": "b", "text": "Calm in Baku."}\n',
                      encoding="utf-8")
    result = invoke("parse", source)
    assert result.exit_code == 0, result.stderr
    assert seen == [False, False] and gc.isenabled()


def test_map_of_an_events_file_with_a_lone_surrogate_renders(gazetteer, tmp_path: Path) -> None:
    """Found by the fuzzing harness: a "\\ud800" escape in a property crashed the page writer."""
    from geo.pipeline import Pipeline

    pipeline = Pipeline(gazetteer)
    written = pipeline.export(pipeline.run([Article("a", EN, lang="en")]).events, tmp_path / "out")
    text = Path(written["geojson"]).read_text(encoding="utf-8")
    edited = tmp_path / "edited.geojson"
    edited.write_text(text.replace('"place_name": "Ganja"', '"place_name": "Ganja \\ud800"'), encoding="utf-8")
    assert "\\ud800" in edited.read_text(encoding="utf-8")
    result = invoke("map", edited, "--out", tmp_path / "map.html")
    assert result.exit_code == 0, result.stderr
    assert "Ganja \ufffd" in (tmp_path / "map.html").read_text(encoding="utf-8")


def test_an_invisible_character_between_a_letter_and_its_mark_still_gives_normal_form():
    """Found by the fuzzing harness: removing the ZWSP of "Ganja\\u200b\\u0301" joins the acute to the a."""
    from geo.textform import normal_form

    form = normal_form("Ganja\u200b\u0301")
    assert form.text == "Ganjá" and unicodedata.is_normalized("NFC", form.text)
    assert form.raw_span(0, len(form.text)) == (0, 7)


def test_parse_reads_a_jsonl_file_as_it_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Articles stream from the input into the recogniser (memory flat in the file's size): with one read
    ahead, each line is read just before its article is parsed."""
    import geo.read
    from geo.recognize import Recognizer

    steps: list[str] = []
    record_article, toponyms = geo.read._record_article, Recognizer.toponyms

    def reading(*args, **kwargs) -> Article:
        article = record_article(*args, **kwargs)
        steps.append(f"read {article.article_id}")
        return article

    def parsing(self, text: str, lang: str | None = None):
        steps.append(f"parse {text[:1]}")
        return toponyms(self, text, lang)

    monkeypatch.setattr(geo.read, "_record_article", reading)
    monkeypatch.setattr(geo.read, "READ_AHEAD", 1)
    monkeypatch.setattr(Recognizer, "toponyms", parsing)
    source = tmp_path / "three.jsonl"
    source.write_text("".join(json.dumps({"id": name, "text": f"{name.upper()}: shells fell on Ganja.", "lang": "en"})
                              + "\n" for name in "abc"), encoding="utf-8")
    result = invoke("parse", source)
    assert result.exit_code == 0, result.stderr
    assert steps == ["read a", "parse A", "read b", "parse B", "read c", "parse C"]


def test_parse_warns_about_a_bad_line_and_goes_on(tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_text('{"id": "a", "text": "Shells fell on Ganja."}\n{"id": "b", "text": \n'
                      '{"id": "c", "text": "Calm in Baku."}\n', encoding="utf-8")
    result = invoke("parse", source)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c"]
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("warning: ") and "mixed.jsonl:2: " in warning


def test_parse_of_a_jsonl_file_without_a_readable_line_is_one_error(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "a", "text": \n[1, 2]\n', encoding="utf-8")
    result = invoke("parse", source)
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("conflict-map: error: ") and "bad.jsonl" in line for line in lines)
