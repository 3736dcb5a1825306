"""Outputs replaced as a whole set or not at all; staging never left behind (issue 12, item 7)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.errors import OutputError
from geo.staging import commit, remove_stale, staging


def _outputs(out: Path, text: str) -> None:
    for name in ("events.geojson", "events.csv", "map.html"):
        (out / name).write_text(text, encoding="utf-8")


def test_a_failed_replace_puts_the_old_set_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _outputs(tmp_path, "old")
    real_replace = os.replace

    def fail_on_map(src: object, dst: object) -> None:
        if Path(dst) == tmp_path / "map.html" and Path(src).parent.name != ".previous":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    with staging(tmp_path, "build") as folder:
        staged = {}
        for name in ("events.geojson", "events.csv", "map.html"):
            (folder / name).write_text("new", encoding="utf-8")
            staged[name] = folder / name
        monkeypatch.setattr(os, "replace", fail_on_map)
        with pytest.raises(OutputError, match="map.html: cannot replace"):
            commit(staged, tmp_path, folder)
    assert {p.read_text() for p in tmp_path.iterdir() if p.is_file()} == {"old"}
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == []


def test_staging_is_removed_on_an_exception(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), staging(tmp_path, "build") as folder:
        (folder / "x").write_text("x")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_a_dead_run_staging_is_removed_and_a_begun_commit_finished(tmp_path: Path) -> None:
    _outputs(tmp_path, "old")
    dead = 2 ** 22 + 12345  # above the default pid_max: no such process
    stale = tmp_path / f".conflict-map-build-{dead}-abc.tmp"
    stale.mkdir()
    (stale / "events.csv").write_text("new")
    (stale / "map.html").write_text("new")
    (stale / "COMMITTING").write_text("events.geojson\nevents.csv\nmap.html")  # geojson already moved
    (tmp_path / "events.geojson").write_text("new")
    legacy = tmp_path / ".conflict-map-build-zq81x.tmp"
    legacy.mkdir()
    assert set(remove_stale(tmp_path)) == {stale, legacy}
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "events.geojson": "new", "events.csv": "new", "map.html": "new"}


def test_a_live_run_staging_is_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / f".conflict-map-build-{os.getppid()}-abc.tmp"
    mine.mkdir()
    assert remove_stale(tmp_path) == [] and mine.exists()


# --------------------------------------------------------------------------- caches never trusted


EN = "Artillery shells struck the city of Ganja on Sunday night, wounding several civilians, officials said.\n"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def _damage(entry: Path) -> None:
    """Valid JSON, wrong content: what a checksum catches and a parser does not."""
    import json

    sealed = json.loads(entry.read_text(encoding="utf-8"))
    document = sealed["document"]
    for key in ("articles", "events"):
        if key in document:
            document[key] = []
    entry.write_text(json.dumps(sealed), encoding="utf-8")


def test_a_damaged_input_cache_entry_is_read_again(tmp_path: Path) -> None:
    from maps.article_cache import InputCache

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(EN, encoding="utf-8")
    paths = [tmp_path / "in" / "a.txt"]
    cache = InputCache(tmp_path / "out", "f")
    assert [a.article_id for a in cache.read(paths)] == ["a"]
    cache.save()
    (entry,) = sorted((tmp_path / "out").rglob("*.jsonl"))
    header, article, seal = entry.read_bytes().splitlines(keepends=True)
    damaged = {
        "the article dropped, the count with it": header.replace(b'"articles":1', b'"articles":0') + seal,
        "cut after the article": header + article,
        "a line more": header + article + seal + article,
        "not JSON": b"\x00garbage\n",
    }
    for what, data in damaged.items():
        entry.write_bytes(data)  # trusted, the first would silently drop the article
        assert [a.article_id for a in InputCache(tmp_path / "out", "f").read(paths)] == ["a"], what


def test_input_cache_entries_give_back_the_articles_and_warnings_they_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.read
    from maps.article_cache import InputCache

    (tmp_path / "in").mkdir()
    wire = tmp_path / "in" / "wire.jsonl"
    wire.write_text('{"id": "x1", "text": "Shelling hit Kharkiv \\ud83d\\udca5 on Monday."}\n'
                    '{"id": "x2", "text": "قصفت المدفعية مدينة حلب.", "lang": "ar", "published": "2024-03-01"}\n'
                    'not json\n', encoding="utf-8")
    (tmp_path / "in" / "x1.txt").write_text(EN, encoding="utf-8")  # its id is taken: renamed, with a warning
    (tmp_path / "in" / "bad.jsonl").write_text("not json\n", encoding="utf-8")  # no article, one warning
    paths = [wire, tmp_path / "in" / "x1.txt", tmp_path / "in" / "bad.jsonl"]
    warnings: list = []
    first = InputCache(tmp_path / "out", "f")
    stream = first.stream(paths, on_warning=warnings.append)
    articles = [next(stream)]
    assert not first._pending  # a file is read as its articles are asked for, not before
    articles += stream
    first.save()
    assert [a.article_id for a in articles][:2] == ["x1", "x2"] and len(articles) == 3 and len(warnings) == 3
    assert len(list((tmp_path / "out").rglob("*.jsonl"))) == 3
    monkeypatch.setattr(geo.read, "read_articles", lambda *a, **k: pytest.fail("a file was read again"))
    again: list = []
    assert InputCache(tmp_path / "out", "f").read(paths, on_warning=again.append) == articles
    assert "\U0001f4a5" in articles[0].text and articles[1].lang == "ar"
    assert sorted(map(str, again)) == sorted(map(str, warnings))


def test_a_damaged_article_cache_entry_is_processed_again(tmp_path: Path) -> None:
    from gazetteer.place import Place
    from geo.model import Article, Event, Source
    from maps.article_cache import ArticleCache, CachedArticle

    article = Article("a", EN)
    event = Event(event_type="shelling", place=Place(name="Ganja", lat=40.68, lon=46.36, kind="city"),
                  place_mention="Ganja", date=None, date_precision=None, actors=(), confidence=0.8,
                  sources=[Source("a", EN, 36, 41, 0)])
    ArticleCache(tmp_path, "f").put(article, CachedArticle("a", [event], []))
    assert ArticleCache(tmp_path, "f").get(article).events == [event]
    (entry,) = _entries(tmp_path)
    _damage(entry)  # its events dropped: trusted, the article would silently lose them
    assert ArticleCache(tmp_path, "f").get(article) is None


def test_build_with_workers_replaces_the_four_outputs_as_one_set(gazetteer, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from maps.cli.main import cli

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".conflict-map-build-4194999-x.tmp").mkdir()  # left by a killed run
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "in"), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "events.csv", "events.geojson", "events.gpkg", "map.html"]
    assert [p.name for p in out.iterdir() if p.name.startswith(".conflict-map")] == []
