"""whole_word_spans: a name's whole-word occurrences, as the regular expression finds them."""

from __future__ import annotations

import random
import re

import pytest

from geo.text import whole_word_spans


def _by_pattern(name: str, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]


@pytest.mark.parametrize(("name", "text", "spans"), [
    ("Bunagana", "in Bunagana, near Bunaganas and xBunagana; Bunagana", [(3, 11), (43, 51)]),
    ("aa", "aaa aa aa_ aa", [(4, 6), (11, 13)]),  # no overlap; the underscore is a word character
    ("Дир", "у Дира, в Дир.", [(10, 13)]),
    ("دير", "قرب دير، والدير", [(4, 7)]),
    ("A.B.", "A.B.C and A.B. x", [(10, 14)]),  # a name ending in punctuation needs no boundary of its own
    ("", "anything", []),
])
def test_spans_of_a_name(name: str, text: str, spans: list[tuple[int, int]]) -> None:
    assert whole_word_spans(name, text) == spans == _by_pattern(name, text)


def test_the_same_spans_as_the_pattern_on_random_texts() -> None:
    rng = random.Random(3)
    alphabet = "ab _-.'1٣éЖ\u0301ع"  # letters of three scripts, a digit, an Arabic digit, a combining mark
    for _ in range(3_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
        assert whole_word_spans(name, text) == _by_pattern(name, text), (name, text)
