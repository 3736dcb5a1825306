"""The memory-mapped everyday-word table answers exactly as wordfreq does."""

from __future__ import annotations

import random

import pytest
import wordfreq

from geo.word_frequency import zipf


def _probes(lang: str) -> list[str]:
    """Listed words, compounds of them (several tokens), numbers and made-up words."""
    listed = [w for bucket in wordfreq.get_frequency_list(lang) for w in bucket]
    rng = random.Random(11)
    words = rng.sample(listed, 400)
    compounds = [rng.choice(words) + rng.choice("-’'.") + rng.choice(words) for _ in range(200)]
    numbers = ["7", "18", "2024", "1,500", "3.5", "km2", words[0] + "-19"]
    made_up = ["qzxvwk", "zzzyzx-qqqv", "", " ", "—"]
    return words + compounds + numbers + made_up


@pytest.mark.parametrize("lang", ["en", "ru", "ar", "tr"])
def test_same_as_wordfreq(lang: str) -> None:
    different = [w for w in _probes(lang) if zipf(w, lang) != wordfreq.zipf_frequency(w, lang, wordlist="best")]
    assert different == []


def test_everyday_and_unknown_words() -> None:
    assert zipf("the", "en") > 7 > zipf("shelling", "en") > 0 == zipf("qzxvwk", "en")


def test_language_without_a_list() -> None:
    with pytest.raises(LookupError):
        zipf("word", "xx")


@pytest.mark.parametrize("lang", ["en", "ru", "uk", "tr", "ar", "sr"])
def test_plain_words_are_their_own_token_where_the_table_says_so(lang: str) -> None:
    """The shortcut past wordfreq's tokenizer holds on wordfreq's own list (and Serbian, transliterated, has none)."""
    from wordfreq.tokens import lossy_tokenize

    from geo.word_frequency import _PLAIN, _table

    plain = [w for bucket in wordfreq.get_frequency_list(lang) for w in bucket if _PLAIN.fullmatch(w)]
    sample = random.Random(3).sample(plain, min(2000, len(plain)))
    assert _table(lang).plain == (lang != "sr")
    if _table(lang).plain:
        assert [w for w in sample if lossy_tokenize(w, lang) != [w]] == []
