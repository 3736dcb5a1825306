"""The build's article cache (maps.article_cache): results go to JSON and come back equal."""

from __future__ import annotations

import json

import pytest

from gazetteer.place import Place
from geo.model import Article, Event, Source, Toponym
from geo.pipeline import ArticleResult
from maps import article_cache
from maps.article_cache import ArticleCache, CachedArticle, ContentKeys, result_from_json, result_to_json

TEXT = "Shelling of Ganja killed 3 and wounded 12 <civilians>, Azerbaijani officials said of Armenian forces."
GANJA = Place("Ganja", 40.6828, 46.3606, "city", "AZ", admin1="Ganja", admin1_code="AZ-GA", geonameid=586523)


def _result() -> tuple[Article, CachedArticle]:
    article = Article(article_id="a1", text=TEXT, title="Ganja", published="2020-10-04", lang="en")
    source = Source(article_id="a1", sentence=TEXT, start=12, end=17, sentence_start=0, title="Ganja",
                    fatalities=3, injured=12)
    events = [
        Event(event_type="shelling", place=GANJA, place_mention="Ganja", date="2020-10-04", date_precision="day",
              actors=("AM",), confidence=0.8, sources=[source], fatalities=3, injured=12,
              actor_mentions=("Armenian forces", "Azerbaijani officials")),
        Event(event_type="statement", place=GANJA, place_mention="Ganja", date=None, date_precision=None,
              actors=(), confidence=0.5, sources=[Source("a1", TEXT, 12, 17, 0)]),
    ]
    return article, CachedArticle("a1", events, ["Zorbalinsk"])


def test_a_build_keeps_an_articles_events_and_unknown_names_not_its_toponyms():
    _, kept = _result()
    toponyms = [Toponym(12, 17, "Ganja", GANJA, 0.9, "gazetteer")]
    assert CachedArticle.of(ArticleResult("a1", toponyms, kept.events, kept.unresolved)) == kept
    assert "toponyms" not in result_to_json(kept)


def test_result_round_trips_through_json_with_casualties_and_actor_mentions():
    _, result = _result()
    back = result_from_json(json.loads(json.dumps(result_to_json(result))))
    assert back == result
    shelling = back.events[0]
    assert (shelling.fatalities, shelling.injured) == (3, 12)
    assert shelling.actor_mentions == ("Armenian forces", "Azerbaijani officials")
    assert (shelling.sources[0].fatalities, shelling.sources[0].injured) == (3, 12)
    assert (back.events[1].fatalities, back.events[1].injured, back.events[1].actor_mentions) == (None, None, ())


def test_cache_gives_back_what_it_stored_from_disk(tmp_path):
    article, result = _result()
    ArticleCache(tmp_path, "f1").put(article, result)
    assert ArticleCache(tmp_path, "f1").get(article) == result  # a fresh cache reads the file


def test_an_entry_of_an_older_format_is_missing(tmp_path):
    """An entry written before events had casualty figures is not misread as one without them."""
    article, result = _result()
    cache = ArticleCache(tmp_path, "f1")
    cache.put(article, result)
    path = cache.folder / f"{article.content_hash}.json"
    document = json.loads(path.read_text(encoding="utf-8"))["document"]
    for event in document["events"]:
        for name in ("fatalities", "injured", "actor_mentions"):
            del event[name]
    document["format"] = 2
    sealed = {"sha256": article_cache._checksum(document), "document": document}  # intact, of another format
    path.write_text(json.dumps(sealed), encoding="utf-8")
    assert ArticleCache(tmp_path, "f1").get(article) is None


def test_content_keys_give_back_the_hashes_in_order_packed_32_bytes_each() -> None:
    hashes = [Article(f"a{n}", f"Text {n}.").content_hash for n in range(3)]
    keys = ContentKeys(hashes[:2])
    keys.add(hashes[2])
    assert list(keys) == hashes and len(keys) == 3 and len(keys._packed) == 96
    assert keys == ContentKeys(hashes) and keys != ContentKeys(hashes[:1])
    with pytest.raises(ValueError):
        keys.add("abc")  # not a SHA-256
    keys.clear()
    assert list(keys) == [] and len(keys) == 0
