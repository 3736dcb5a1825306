"""The packs parsed and the lexicon folded are derived once into the cache directory, named by what they
come from, derived again when damaged, and kept in memory when the cache cannot be written."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from geo import lexicon
from geo.lexicon import DEMONYMS, load_lexicon, pack_files, read_pack


def _forget() -> None:
    for memo in (load_lexicon, lexicon._parsed):
        memo.cache_clear()


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache directory of this test; nothing of the process's memos carried over."""
    monkeypatch.setenv("CONFLICT_MAP_CACHE_DIR", str(tmp_path / "cache"))
    _forget()
    yield tmp_path / "cache"
    _forget()


def _folded_afresh() -> lexicon.Lexicon:
    return lexicon._folded([(path, *lexicon._read(path)) for path in (*pack_files(), DEMONYMS)], [])


def test_lexicon_is_folded_once_then_read(cache, monkeypatch) -> None:
    first = load_lexicon()
    files = list((cache / "lexicon").glob("*.json"))
    assert len(files) == 1 and first == _folded_afresh()
    _forget()
    monkeypatch.setattr(lexicon, "_folded", lambda *files: pytest.fail("folded again"))
    monkeypatch.setattr(lexicon, "_toml", lambda path, data: pytest.fail("parsed again"))
    again = load_lexicon()
    assert again == first and again.cue_types("artillery") == first.cue_types("artillery")
    assert [t.words for t in again.triggers] == [t.words for t in first.triggers]  # the order kept


def test_damaged_lexicon_or_pack_is_derived_again(cache) -> None:
    load_lexicon()
    (folded,) = (cache / "lexicon").glob("*.json")
    folded.write_bytes(folded.read_bytes()[:1000])  # truncated
    pack = next((cache / "packs").glob("*.json"))
    pack.write_text("[1, 2]")  # JSON, but no table
    _forget()
    assert load_lexicon() == _folded_afresh()
    assert all(read_pack(path) == tomllib.loads(path.read_text(encoding="utf-8"))
               for path in (*pack_files(), DEMONYMS))
    assert folded.read_bytes().endswith(b"}") and pack.read_text().startswith("{")


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch) -> None:
    (tmp_path / "a file").write_text("not a folder")
    monkeypatch.setenv("CONFLICT_MAP_CACHE_DIR", str(tmp_path / "a file" / "cache"))
    _forget()
    try:
        assert load_lexicon() == _folded_afresh()
    finally:
        _forget()


def test_a_changed_user_file_is_folded_anew(cache, tmp_path) -> None:
    path = tmp_path / "extra.toml"
    path.write_text('code = "en"\n[triggers]\nshelling = ["=pummelled"]\n', encoding="utf-8")
    assert any(t.text == "pummelled" for t in load_lexicon((path,)).triggers)
    path.write_text('code = "en"\n[triggers]\nshelling = ["=battered"]\n', encoding="utf-8")
    load_lexicon.cache_clear()
    texts = {t.text for t in load_lexicon((path,)).triggers}
    assert "battered" in texts and "pummelled" not in texts
    assert len(list((cache / "lexicon").glob("*.json"))) == 2


def test_demonyms_by_form_and_by_stem_the_longest_stem_then_the_first_listed_winning() -> None:
    words = lexicon.Lexicon(demonyms={"french": "FR"},
                            demonym_stems=[("azerbaijan", "AZ"), ("армян", "AM"), ("армянск", "XX"), ("армян", "YY")])
    assert words.demonym("French") == "FR"
    assert words.demonym("Azerbaijanis") == words.demonym("azerbaijani") == "AZ"
    assert words.demonym("армянских") == "XX" and words.demonym("Армяне") == "AM"
    assert words.demonym("Azer") is None and words.demonym("and") is None and words.demonym("") is None
    assert lexicon.Lexicon().demonym("Azerbaijanis") is None  # no stems at all
    assert words.is_word("locative", "in") is False  # a list it does not have


def test_a_union_of_word_lists_holds_a_word_exactly_when_one_list_does() -> None:
    first, second = lexicon._WordList(), lexicon._WordList()
    for entry in ("shell", "artiller*"):
        first.add(entry)
    for entry in ("drone", "missil*", "mis*"):
        second.add(entry)
    first.seal()
    second.seal()
    union = lexicon._WordList.union([first, second])
    for word in ("shell", "shells", "artillery", "artiller", "artil", "drone", "drones", "missiles", "mist", "mi", ""):
        assert (word in union) == (word in first or word in second), word
    words = load_lexicon()
    assert words.cue_types("artillery") and words.cue_types("yesterday") == ()


def test_is_word_answers_as_each_list_does_word_by_word() -> None:
    """One remembered answer a word serves every list: it must agree with each list's own membership."""
    words = load_lexicon()
    tokens = ["in", "In", "killed", "Killed", "town", "said", "and", "wounded", "Ganja", "في", "وفي", "بالقرب",
              "города", "kenti", "ville", "", "x", "civilians", "artillery"]
    for token in tokens:
        key = lexicon.fold(token)
        bare = lexicon.strip_arabic_prefixes(key)
        for name, members in words.words.items():
            assert words.is_word(name, token) == (key in members or bare in members), (name, token)
    assert not words.is_word("no such list", "in")


def test_a_lexicon_pickles_with_its_memos() -> None:
    import pickle

    words = load_lexicon()
    assert words.is_word("locative", "in") and words.demonym("French") == "FR"
    copy = pickle.loads(pickle.dumps(words))
    assert copy.is_word("locative", "in") and not copy.is_word("locative", "Ganja")
    assert copy.demonym("French") == "FR" and copy.cue_types("artillery") == words.cue_types("artillery")
