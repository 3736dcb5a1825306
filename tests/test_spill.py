"""A corpus's events merged through bucket files (geo.spill): the same events, in the same order, as one merge."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path

import pytest

from gazetteer.place import Place
from geo import spill as spill_module
from geo.dedup import deduplicate
from geo.model import Event, Source
from geo.spill import EventSpill

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dispatches"

PLACES = [Place("Ganja", 40.6828, 46.3606, "city", "AZ", geonameid=586523),
          Place("Tartar", 40.3418, 46.9322, "city", "AZ", geonameid=584717),
          Place("Yerevan", 40.1811, 44.5136, "city", "AM", geonameid=616052),
          Place("Goris", 39.5111, 46.3386, "city", "AM", geonameid=174895)]


def _report(article: int, place: Place, event_type: str, date: str | None, precision: str | None) -> Event:
    sentence = f"Report {article}: {event_type} at {place.name}."
    start = sentence.index(place.name)
    source = Source(article_id=f"a{article:03d}", sentence=sentence, start=start, end=start + len(place.name),
                    sentence_start=0, fatalities=article % 4 or None)
    return Event(event_type=event_type, place=place, place_mention=place.name, date=date, date_precision=precision,
                 actors=(("AM",), ("AZ",))[article % 2], confidence=0.4 + (article % 5) / 10, sources=[source],
                 fatalities=article % 4 or None)


def _articles() -> list[list[Event]]:
    """Articles reporting the same events again and again: explicit days, publication days a day or two after
    (redated onto the explicit day), visits on consecutive days (joined into one), undated reports."""
    articles = []
    for article in range(60):
        place = PLACES[article % len(PLACES)]
        day = 1 + article % 6
        articles.append([
            _report(article, place, "shelling", f"2026-03-{day:02d}", "day"),
            _report(article, place, "shelling", f"2026-03-{day + 1 + article % 2:02d}", "published"),
            _report(article, PLACES[(article + 1) % len(PLACES)], "visit", f"2026-03-{1 + article % 5:02d}", "day"),
            _report(article, place, "statement", None, None),
        ])
    return articles


def _facts(events) -> list[dict]:
    return [asdict(event) | {"event_id": event.event_id} for event in events]


@pytest.mark.parametrize(("limit", "buckets"), [(1, 1), (3, 2), (7, 5), (50, 16), (10_000, 16)])
def test_spilled_merge_equals_one_merge(limit, buckets):
    articles = _articles()
    expected = _facts(deduplicate(event for events in articles for event in events))
    with EventSpill(limit=limit, buckets=buckets) as spill:
        for events in articles:
            spill.add(events)
        assert spill.spilled == (limit < 240)
        assert _facts(spill.merged()) == expected
    assert any(len(event["sources"]) > 1 for event in expected)  # reports were merged
    assert any(event["date_end"] for event in expected)  # and days of a visit joined
    assert not any(event["date_precision"] == "published" for event in expected)  # publication days redated


def test_bucket_files_are_removed_on_leaving():
    before = set(Path(tempfile.gettempdir()).glob("conflict-map-merge-*"))
    with EventSpill(limit=2, buckets=3) as spill:
        for events in _articles()[:5]:
            spill.add(events)
        folder = spill._folder
        assert folder is not None and len(list(folder.iterdir())) == 3
        next(spill.merged())  # left half read
    assert not folder.exists()
    assert set(Path(tempfile.gettempdir()).glob("conflict-map-merge-*")) == before


def test_no_events_merge_to_none():
    with EventSpill(limit=1) as spill:
        assert list(spill.merged()) == []


def test_limits_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        EventSpill(limit=0)


def test_a_spilled_build_writes_the_same_bytes(gazetteer, tmp_path, monkeypatch):
    from maps.build import Builder

    def extract(out: Path) -> dict[str, bytes]:
        result = Builder(out, gazetteer=gazetteer, render=False).run([EXAMPLES])
        assert result.events > 10
        return {name: (out / name).read_bytes() for name in ("events.geojson", "events.csv")}

    in_memory = extract(tmp_path / "memory")
    monkeypatch.setattr(spill_module, "SPILL_EVENTS", 3)
    assert extract(tmp_path / "spilled") == in_memory


def test_a_build_from_a_stream_of_articles_writes_what_a_build_from_their_list_writes(gazetteer, tmp_path,
                                                                                      monkeypatch):
    import geo.read
    from maps.build import Builder

    def extract(out: Path, articles) -> dict[str, bytes]:
        result = Builder(out, gazetteer=gazetteer, render=False).build(articles)
        assert result.articles == len(read)
        return {name: (out / name).read_bytes() for name in ("events.geojson", "events.csv")}

    read = Builder(tmp_path / "list", gazetteer=gazetteer).read([EXAMPLES])
    monkeypatch.setattr(geo.read, "READ_AHEAD", 4)  # several read-ahead batches
    assert len(read) > 8
    assert extract(tmp_path / "stream", iter(read)) == extract(tmp_path / "list", read)


@pytest.mark.parametrize("rebuilds", [False, True])
def test_a_one_off_build_frees_the_models_and_memos_before_its_joins_and_a_watch_keeps_them(gazetteer, tmp_path,
                                                                                           monkeypatch, rebuilds):
    from gazetteer.normalize import fold
    from geo import language_model, word_frequency
    from maps.build import Builder

    mapped: list[tuple[int, int, int]] = []
    finish = Builder._finish

    def spy(self, *args, **kwargs):
        mapped.append((language_model.identifier.cache_info().currsize, word_frequency._table.cache_info().currsize,
                       fold.cache_info().currsize))
        return finish(self, *args, **kwargs)

    monkeypatch.setattr(Builder, "_finish", spy)
    builder = Builder(tmp_path / "out", gazetteer=gazetteer, render=False, rebuilds=rebuilds)
    articles = builder.read([EXAMPLES], force=True)
    assert language_model.identifier.cache_info().currsize == 1  # the examples give no lang: it was detected
    assert word_frequency.zipf("the", "en") > 0 and word_frequency._table.cache_info().currsize > 0
    builder.build(articles, force=True)
    (models,) = mapped
    if rebuilds:
        assert models[0] == 1 and models[1] > 0 and models[2] > 0
        return  # a watch's next build reads with the same models and memos
    assert models == (0, 0, 0)
    first = (tmp_path / "out" / "events.geojson").read_bytes()
    builder.build(articles, force=True)  # a new pipeline, its word frequencies mapped again: the same answers
    assert (tmp_path / "out" / "events.geojson").read_bytes() == first and len(mapped) == 2
