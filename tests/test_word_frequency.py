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


@pytest.mark.parametrize("lang", ["en", "ru", "uk", "tr", "ar", "fr", "es", "sr"])
def test_plain_words_are_their_own_tokens_where_the_table_says_so(lang: str) -> None:
    """The shortcut past wordfreq's tokenizer holds on wordfreq's own list (and Serbian, transliterated, has none)."""
    from wordfreq.tokens import lossy_tokenize

    from geo.word_frequency import _plain, _table, _tokens

    plain = [w for bucket in wordfreq.get_frequency_list(lang) for w in bucket if _plain(lang).fullmatch(w)]
    sample = random.Random(3).sample(plain, min(2000, len(plain)))
    sample += [f"{a}{rng}{b}" for a, b, rng in zip(sample[:200], sample[200:400], "- " * 100)]
    assert _table(lang).plain == (lang != "sr")
    if _table(lang).plain:
        assert [w for w in sample if [t for t, _ in _tokens(w, lang, True)] != lossy_tokenize(w, lang)] == []


def test_each_plain_letter_is_left_alone_in_every_plain_language() -> None:
    """Every letter of the shortcut, doubled, is one token as written, and all of them in one word too, in each
    language wordfreq tokenizes by its regex without transliterating (Arabic's NFKC and marks, Turkish's dotted
    I and cedillas, Romanian's commas included); a hyphen or a space parts them."""
    from wordfreq.language_info import get_language_info
    from wordfreq.tokens import lossy_tokenize

    from geo.word_frequency import _plain

    plain = [lang for lang in wordfreq.available_languages("best")
             if (info := get_language_info(lang))["tokenizer"] == "regex" and info["transliteration"] is None
             and info["lookup_transliteration"] is None]
    assert {"en", "ar", "ro", "tr", "fa"} <= set(plain)
    for lang in plain:
        letters = [chr(code) for code in range(0x3000) if _plain(lang).fullmatch(chr(code))]
        word = "".join(letters)
        assert len(letters) > 190 and ("ş" in letters) == (lang == "tr") and ("ș" in letters) == (lang == "ro")
        assert [c for c in letters if lossy_tokenize(c + c, lang) != [c + c]] == [], lang
        assert lossy_tokenize(word, lang) == [word]
        assert lossy_tokenize("ab-حلب éé", lang) == ["ab", "حلب", "éé"] and _plain(lang).fullmatch("ab-حلب éé")


@pytest.mark.parametrize("lang", ["mo", "tr-TR"])
def test_s_and_t_with_a_mark_below_in_a_language_named_otherwise(lang: str) -> None:
    """wordfreq reads "mo" as Romanian and "tr-TR" as Turkish, and exchanges ş and ș as they do: the shortcut, which
    knows the letters of "ro" and "tr" only, leaves those words to its tokenizer."""
    words = ["şi", "și", "ţară", "țară", "başkan", "bașkan", "iași-şi"]
    assert [zipf(w, lang) for w in words] == [wordfreq.zipf_frequency(w, lang, wordlist="best") for w in words]


def test_a_word_not_listed_is_found_missing_without_reading_other_words() -> None:
    """A probe reads a listed word's bytes only when its hash tag agrees (memory: the kernel maps the pages
    around every page read, and a lookup lands anywhere in the table)."""
    from geo.word_frequency import _table

    table = _table("en")
    reads: list[int] = []

    class Counted:
        def __init__(self, words) -> None:
            self.words = words

        def __getitem__(self, where):
            reads.append(1)
            return self.words[where]

    table.words = Counted(table.words)
    try:
        missing = [f"qz{n}xv" for n in range(2000)]
        assert [table.frequency(word) for word in missing] == [0.0] * len(missing)
        assert len(reads) < 20  # a tag of 12 bits or more agrees by chance about once in 4,096 probes
        assert table.frequency("the") > 0.01 and len(reads) < 21
    finally:
        table.words = table.words.words
