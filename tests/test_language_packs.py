"""Every language pack is complete, and its own sentences behave: the positive ones give
the event they state (type, place, casualty figures), the negative ones (ordinary news:
sport, economy, health, weather) give none.

The sentences are our own, written per language in ``tests/fixtures/languages/<code>/``:
``positive.tsv`` (type, place as written, fatalities, injured — ``-`` for none —, sentence)
and ``negative.txt`` (one sentence a line).  A line starting with ``!`` is a known failure:
it runs as an expected failure, so the day it passes shows up (XPASS) and the mark can go.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from geo.event_types import EVENT_TYPES
from geo.lexicon import WORD_LISTS, load_lexicon, pack_files

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
PACKS = {path.stem: path for path in pack_files()}
SEVEN = ("en", "ar", "fr", "es", "ru", "uk", "tr")


def _pack(code: str) -> dict:
    with PACKS[code].open("rb") as handle:
        return tomllib.load(handle)


def test_the_seven_languages_have_packs():
    assert set(SEVEN) <= set(PACKS)


@pytest.mark.parametrize("code", sorted(PACKS))
def test_pack_has_every_key(code):
    pack = _pack(code)
    assert pack["code"] == code and pack["name"]
    assert set(pack["triggers"]) == set(EVENT_TYPES), "one trigger list per event type"
    assert set(pack["cues"]) == set(EVENT_TYPES), "one cue list per event type"
    assert set(pack["words"]) == set(WORD_LISTS), "every word list"
    empty = [t for t, words in pack["triggers"].items() if not words]
    assert not empty, f"event types without a trigger: {empty}"
    needed = ("locative", "speech", "killed", "injured", "people", "list", "negation", "irrealis", "region")
    assert all(pack["words"][k] for k in needed), [k for k in needed if not pack["words"][k]]
    assert pack["numbers"], "number words"
    dates = pack["dates"]
    assert set(dates["months"]) == {str(n) for n in range(1, 13)} and all(dates["months"].values()), "12 months"
    assert len(dates["weekdays"]) == 7 and dates["relative_days"], "[dates] weekdays (7) and relative_days"


@pytest.mark.parametrize("code", sorted(PACKS))
def test_district_words_are_region_words(code):
    """A unit named after its seat is a region of a kind: every reader of region words reads it too."""
    words = _pack(code)["words"]
    assert set(words["district"]) <= set(words["region"])


@pytest.mark.parametrize("word, types", [
    ("беспилотников-камикадзе", ("airstrike",)),  # a hyphenated word points where its parts do
    ("drone-strike", ("airstrike",)),
    ("well-known", ()),
])
def test_a_hyphenated_word_takes_the_cues_of_its_parts(word, types):
    assert load_lexicon().cue_types(word) == types


@pytest.mark.parametrize("code", sorted(PACKS))
def test_generic_words_trigger_no_attack_on_civilians(code):
    """A generic word of violence ("attack", "нападение", "напад на") leaves its type to the words around it, as
    the packs' ``generic`` list says: alone (or before a preposition) it triggers the generic type, never an attack
    on civilians ("ataque contra civiles", "attaque terroriste" may)."""
    pack = _pack(code)
    generic = [w.rstrip("*") for w in pack["words"]["generic"]]
    attack = [t.lstrip("=").split() for t in pack["triggers"].get("attack", ())]
    assert not [t for t in attack if any(t[0].startswith(g) for g in generic)
                and (len(t) == 1 or (len(t) == 2 and len(t[1]) <= 3))]


@pytest.mark.parametrize("code", sorted(PACKS))
def test_pack_has_sentences(code):
    assert len(_positives(code)) >= 10 and len(_negatives(code)) >= 15


def _lines(path: Path) -> list[tuple[bool, str]]:
    """(known failure, line) of a fixture file, comments and blank lines left out."""
    if not path.exists():
        return []
    return [(line.startswith("!"), line.lstrip("!")) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def _positives(code: str) -> list[tuple[bool, str, str, int | None, int | None, str]]:
    rows = []
    for known, line in _lines(FIXTURES / code / "positive.tsv"):
        event_type, place, killed, injured, sentence = line.split("\t")
        rows.append((known, event_type, place, None if killed == "-" else int(killed),
                     None if injured == "-" else int(injured), sentence))
    return rows


def _negatives(code: str) -> list[tuple[bool, str]]:
    return _lines(FIXTURES / code / "negative.txt")


def _param(known: bool, *values):
    return pytest.param(*values, marks=pytest.mark.xfail(reason="known failure (marked ! in the fixture)",
                                                         strict=False) if known else ())


@pytest.fixture(scope="module")
def pipeline():
    from geo.pipeline import Pipeline

    return Pipeline()


def _events(pipeline, code: str, sentence: str):
    from geo.model import Article

    return pipeline.process(Article("t", sentence, lang=code)).events


POSITIVE = [_param(known, code, *row) for code in SEVEN for known, *row in _positives(code)]
NEGATIVE = [_param(known, code, sentence) for code in SEVEN for known, sentence in _negatives(code)]


@pytest.mark.parametrize("code,event_type,place,killed,injured,sentence", POSITIVE)
def test_positive_sentence(pipeline, code, event_type, place, killed, injured, sentence):
    events = _events(pipeline, code, sentence)
    found = [e for e in events if e.event_type == event_type and place in {e.place_mention, *(
        sentence[s.start:s.end] for s in e.sources)}]
    assert found, f"no {event_type} at {place}: {[(e.event_type, e.place_mention) for e in events]}"
    assert (found[0].fatalities, found[0].injured) == (killed, injured)


def test_at_least_a_hundred_negatives_and_few_known_failures():
    rows = [row for code in SEVEN for row in _negatives(code)]
    assert len(rows) >= 100 and sum(known for known, _ in rows) <= len(rows) // 10


@pytest.mark.parametrize("code,sentence", NEGATIVE)
def test_negative_sentence_gives_no_event(pipeline, code, sentence):
    assert [(e.event_type, e.place_mention) for e in _events(pipeline, code, sentence)] == []


def test_user_pack_naming_an_unknown_type_is_one_line_error(tmp_path):
    from geo.errors import InputError

    path = tmp_path / "extra.toml"
    path.write_text('code = "en"\n[triggers]\nshellling = ["pounded"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown event type 'shellling'"):
        load_lexicon((path,))


def test_user_pack_naming_an_unknown_language_is_one_line_error(tmp_path):
    from geo.errors import InputError

    path = tmp_path / "extra.toml"
    path.write_text('code = "xx"\n[triggers]\nshelling = ["pounded"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="must name a language pack"):
        load_lexicon((path,))


def test_user_pack_adds_triggers(tmp_path):
    path = tmp_path / "extra.toml"
    path.write_text('code = "en"\n[triggers]\nshelling = ["=pummelled"]\n', encoding="utf-8")
    assert any(t.text == "pummelled" for t in load_lexicon((path,)).triggers)
