"""``build --watch``: which changes wake it, a long-lived Builder, and the command itself (a real process)."""

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


from maps.watch import article_changes, watched_roots

DISPATCHES = Path(__file__).resolve().parents[1] / "examples" / "dispatches"
_WAIT = 30.0  # seconds; a generous bound on a loaded CI machine


def test_roots_are_the_folders_to_watch(tmp_path):
    (tmp_path / "news" / "deep").mkdir(parents=True)
    article = tmp_path / "single.txt"
    article.write_text("x")
    specs = [tmp_path / "news", tmp_path / "news" / "deep", article, f"{tmp_path}/news/**/*.md"]
    assert watched_roots(specs) == [tmp_path.resolve()]  # news (and deep) lie inside the file's folder
    assert watched_roots([tmp_path / "news" / "deep", f"{tmp_path}/news/*.txt"]) == [(tmp_path / "news").resolve()]


def test_only_article_files_of_the_specs_wake_the_watch(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "corpus" / "out"
    (corpus / ".hidden").mkdir(parents=True)
    out.mkdir()
    batches: queue.Queue[set[Path]] = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(target=lambda: [batches.put(b) for b in article_changes([corpus], out,
                                                                                         stop_event=stop)])
    watcher.start()
    try:
        assert batches.get(timeout=_WAIT) == set()  # the watcher runs: catch up on anything missed
        (out / "map.html").write_text("an output")  # our own outputs, even inside the corpus
        (corpus / "notes.pdf").write_bytes(b"%PDF")  # not an article suffix
        (corpus / ".hidden" / "draft.txt").write_text("hidden")
        (corpus / "report.txt").write_text("Shells fell on Ganja on Sunday.")
        batch = batches.get(timeout=_WAIT)
    finally:
        stop.set()
        watcher.join(timeout=_WAIT)
    assert {path.name for path in batch} == {"report.txt"}


def test_a_builder_kept_alive_rebuilds_only_what_changed(gazetteer, tmp_path):
    from maps.build import Builder
    from maps.cli.build import summary_text

    corpus = tmp_path / "corpus"
    shutil.copytree(DISPATCHES, corpus)
    builder = Builder(tmp_path / "out", gazetteer=gazetteer, rebuilds=True)
    first = builder.build(builder.read([corpus]))
    assert first.cached == 0 and first.articles == 11

    assert first.unresolved == {}
    edited = corpus / "en_02_ganja.txt"
    addition = "\nRockets also hit Tartar on Sunday; shells fell in Zorbalinsk.\n"
    edited.write_text(edited.read_text(encoding="utf-8") + addition, encoding="utf-8")
    (corpus / "fr_01_bakou_visite.md").unlink()
    second = builder.build(builder.read([corpus]))
    assert second.processed == ["en_02_ganja"] and second.cached == 9 and second.articles == 10
    assert second.unresolved == {"Zorbalinsk": 1}
    assert "places unresolved: 1 - Zorbalinsk (add them" in summary_text(second, 1.0, offline=False)
    features = json.loads((tmp_path / "out" / "events.geojson").read_text(encoding="utf-8"))["features"]
    articles = {source["article_id"] for feature in features for source in feature["properties"]["sources"]}
    assert "fr_01_bakou_visite" not in articles
    assert any(feature["properties"]["place_name"] in ("Tartar", "Terter") for feature in features)
    assert len(list((tmp_path / "out" / ".cache").glob("articles-*/*.json"))) == 10  # the stale ones pruned


class Watching:
    """``conflict-map build ... --watch`` in its own process, its stderr read line by line."""

    def __init__(self, *args: str | Path) -> None:
        command = [sys.executable, "-c", "from maps.cli.main import cli; cli()", "build", *map(str, args), "--watch"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stderr], daemon=True).start()

    def wait_for(self, text: str) -> str:
        """The next line containing ``text`` (the lines before it are skipped)."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.said.append(line)
            if text in line:
                return line
        raise AssertionError(f"no {text!r} in:\n{''.join(self.said)}")

    def stop(self) -> int:
        """SIGTERM, as a service manager would; the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=_WAIT)


def test_build_watch_rebuilds_on_edit_survives_bad_input_and_stops_cleanly(gazetteer, tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    for name in ("en_01_stepanakert.txt", "en_02_ganja.txt"):
        shutil.copy(DISPATCHES / name, corpus / name)
    watching = Watching(corpus, "--out", out)
    try:
        assert "2 articles" in watching.wait_for("conflict-map build:")
        watching.wait_for("watching ")
        edited = corpus / "en_02_ganja.txt"
        edited.write_text(edited.read_text(encoding="utf-8") + "\nRockets also hit Tartar on Sunday.\n",
                          encoding="utf-8")
        assert "(1 processed, 1 from cache)" in watching.wait_for("conflict-map rebuilt:")
        features = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
        assert any(f["properties"]["place_name"] in ("Tartar", "Terter") for f in features)

        (corpus / "broken.txt").write_bytes(b"\x00\x01binary")  # a warning, and the watch goes on
        assert "broken.txt" in watching.wait_for("warning:")
        (corpus / "en_01_stepanakert.txt").unlink()
        (corpus / "broken.txt").unlink()
        (corpus / "en_02_ganja.txt").unlink()  # nothing left: one line, still watching
        watching.wait_for("still watching")
        shutil.copy(DISPATCHES / "en_03_jabrayil.txt", corpus / "en_03_jabrayil.txt")
        assert "1 article " in watching.wait_for("conflict-map rebuilt:")
    finally:
        code = watching.stop()
    watching.wait_for("stopped watching")
    assert code == 0
    assert "Traceback" not in "".join(watching.said)
    assert sorted(p.name for p in out.iterdir()) == [".cache", "events.csv", "events.geojson", "events.gpkg",
                                                    "map.html"]


def test_an_override_saved_during_a_watch_places_the_unresolved_name(gazetteer, tmp_path):
    corpus, out, overrides = tmp_path / "corpus", tmp_path / "out", tmp_path / "places.toml"
    corpus.mkdir()
    (corpus / "report.txt").write_text("Published: 2020-10-12\n\nArmenian forces shelled Zorbalinsk on Sunday, "
                                       "the ministry in Baku said.\n", encoding="utf-8")
    overrides.write_text("# places the gazetteer lacks\n", encoding="utf-8")
    watching = Watching(corpus, "--out", out, "--overrides", overrides)
    try:
        assert "places unresolved: 1 - Zorbalinsk" in watching.wait_for("places unresolved")
        watching.wait_for("watching ")
        overrides.write_text('[[place]]\nname = "Zorbalinsk"\nlat = 40.21\nlon = 47.02\ncountry = "AZ"\n',
                             encoding="utf-8")
        assert "(1 processed, 0 from cache)" in watching.wait_for("conflict-map rebuilt:")
        assert "places unresolved: 0" in watching.wait_for("places unresolved")
    finally:
        assert watching.stop() == 0
    features = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    shelled = [f for f in features if f["properties"]["event_type"] == "shelling"]
    assert [f["properties"]["place_name"] for f in shelled] == ["Zorbalinsk"]
    assert shelled[0]["geometry"]["coordinates"] == [47.02, 40.21]


def test_removing_the_watched_folder_ends_the_watch_with_one_line(gazetteer, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DISPATCHES / "en_01_stepanakert.txt", corpus)
    watching = Watching(corpus, "--out", tmp_path / "out")
    try:
        watching.wait_for("watching ")
        shutil.rmtree(corpus)
        watching.wait_for("the watched folder was removed")  # perhaps after a failed rebuild
        assert watching.process.wait(timeout=_WAIT) == 2
    finally:
        if watching.process.poll() is None:
            watching.stop()
    assert "Traceback" not in "".join(watching.said)


def test_watch_needs_the_local_engine(gazetteer, tmp_path):
    from click.testing import CliRunner

    from maps.cli.main import cli

    result = CliRunner().invoke(cli, ["build", str(DISPATCHES), "--out", str(tmp_path / "out"), "--watch",
                                      "--workers", "2"])
    assert result.exit_code == 2 and "--watch works with the local engine only" in result.output
