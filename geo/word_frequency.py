"""Everyday-word frequencies (wordfreq's Zipf scale), memory-mapped from the cache instead of loaded.

wordfreq answers a lookup from a dictionary of every word of a language that it builds on first use:
0.1–0.5 s and 30–90 MB a language.  Here each language's list is written once into the cache
directory (beside the gazetteer index) as an open-addressing hash table over the words' UTF-8
bytes, and memory-mapped by every later process: a lookup touches a few pages, nothing is built.

:func:`zipf` gives exactly ``wordfreq.zipf_frequency(word, lang)``: the word is cut into tokens by
wordfreq's own tokenizer (plain lower-case words, alone or joined by hyphens or spaces, need none), digit
runs made zeros by its own function, and each token looked up in the table.
"""

from __future__ import annotations

import math
import re
import zlib
from functools import cache

import numpy as np

from .cached_arrays import cache_folder, cached_arrays

__all__ = ["zipf", "release"]

_FORMAT = 5  # bump when the table layout changes
_ZIPF_ZERO = 1e-9  # the frequency of Zipf 0, below which wordfreq reads no word


def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in ``lang`` (its "best" list); LookupError for a
    language wordfreq has no list of."""
    table = _table(lang)
    # wordfreq's reading of a word of several tokens (el-sheikh, we're): 1/f = 1/f1 + 1/f2 + ...,
    # 0 when one is unknown; then rounded to 3 significant digits and the Zipf scale to 0.01
    inverse = 0.0
    for token, digits in _tokens(word, lang, table.plain):
        frequency = table.frequency(token)
        if not frequency:
            return 0.0
        inverse += 1.0 / (frequency * digits)
    if not inverse:
        return 0.0
    frequency = max(1.0 / inverse, _ZIPF_ZERO)
    frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
    return round(math.log(frequency, 10) + 9, 2)


def _tokens(word: str, lang: str, plain: bool) -> list[tuple[str, float]]:
    """wordfreq's tokens of ``word``, each with the factor of its digit runs (a run of digits is looked up as
    zeros, times how often such a number is written; 1.0 without one).  In a ``plain`` language (wordfreq's
    regex tokenizer, no transliteration) a word of :data:`_LETTERS` is its own one token, and a hyphen or a
    space parts such words, as wordfreq's normalisation, case folding and tokenizer have it: its tokenizer (an
    import of 0.1 s) is asked the others."""
    if plain and _plain(lang).fullmatch(word):
        return [(token, 1.0) for token in _PARTS.split(word)]
    from wordfreq.numbers import digit_freq, smash_numbers
    from wordfreq.tokens import lossy_tokenize

    return [(smashed, digit_freq(token) if smashed != token else 1.0)
            for token in lossy_tokenize(word, lang) for smashed in (smash_numbers(token),)]


#: Letters that wordfreq's preprocessing leaves as they are in every plain language and that its tokenizer keeps
#: in one word: lower-case Latin, precomposed (not ß, ŉ, ſ, which case folding changes, nor ĳ, ŀ, which NFKC
#: parts), lower-case Cyrillic of the packs' languages, and Arabic and Persian letters without marks or tatweel
#: (which Arabic drops).  tests/test_word_frequency.py asks wordfreq about each, in every plain language.
_LETTERS = ("a-zà-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĸĺļľłńņňŋōŏőœŕŗřśŝšťŧũūŭůűųŵŷźżž"
            "а-яёіїєґ\u0621-\u063f\u0641-\u064aپچژکگی")
#: Language -> the s and t with a mark below that it keeps as written (wordfreq turns the other two into these in
#: Turkish and Romanian, and in the languages it reads as near them): none in any other language.
_UNDER = {"tr": "şţ", "ro": "șț"}
_PARTS = re.compile("[- ]")


@cache
def _plain(lang: str) -> re.Pattern[str]:
    """Words of :data:`_LETTERS` (and the s and t of ``lang``) alone or joined by single hyphens or spaces."""
    letters = _LETTERS + _UNDER.get(lang, "")
    return re.compile(f"[{letters}]+(?:[- ][{letters}]+)*")


class _Table:
    """One language's words (UTF-8, concatenated), their frequencies and a hash table of them."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.words = arrays["words"]  # uint8: the words' bytes, one after another
        self.starts = arrays["starts"]  # uint32: word k is words[starts[k]:starts[k+1]]
        self.buckets = arrays["buckets"]  # uint16: word k's frequency bucket (wordfreq lists words by bucket)
        self.frequencies = arrays["frequencies"]  # float64: each bucket's frequency
        self.slots = arrays["slots"]  # uint32: each slot's entry (_entry), 0 free
        self.plain = bool(arrays["plain"])  # whether plain lower-case words need no tokenizer (see _tokens)
        self.mask = len(self.slots) - 1
        self.number_bits = _number_bits(len(self.buckets))

    def frequency(self, word: str) -> float:
        """The word's frequency (a share of all words), 0.0 for a word not listed."""
        key = word.encode()
        digest = zlib.crc32(key)
        slot, tag, bits = digest & self.mask, digest >> self.number_bits, self.number_bits
        while entry := int(self.slots[slot]):
            if entry >> bits == tag:  # only then are the word's bytes read
                k = entry & ((1 << bits) - 1)
                start, end = int(self.starts[k - 1]), int(self.starts[k])
                if end - start == len(key) and self.words[start:end].tobytes() == key:
                    return float(self.frequencies[self.buckets[k - 1]])
            slot = (slot + 1) & self.mask
        return 0.0


def _number_bits(count: int) -> int:
    """How many low bits of a slot's entry hold a word's number (its index + 1) in a table of ``count`` words.
    The bits above hold the same bits of the word's CRC-32, a tag: a probe reads a word's bytes only when the
    tags agree, where it read a word at random before (and the kernel maps the pages around each page read)."""
    return max(count.bit_length(), 1)


def _entry(number: int, digest: int, bits: int) -> int:
    """A slot's entry: a word's ``number`` in the low ``bits``, the tag of its CRC-32 ``digest`` above them."""
    return (digest >> bits) << bits | number


@cache
def _table(lang: str) -> _Table:
    """The memory-mapped table of ``lang``, derived from wordfreq's list on first use."""
    from importlib.metadata import version

    folder = cache_folder("word_frequency", f"{lang}-wordfreq-{version('wordfreq')}-v{_FORMAT}")
    return _Table(cached_arrays(folder, ("words", "starts", "buckets", "frequencies", "slots", "plain"),
                                lambda: _derive_table(lang), check=_consistent))


def release() -> None:
    """Unmap every language's table (mapped again on next use)."""
    _table.cache_clear()


def _consistent(arrays: dict[str, np.ndarray]) -> bool:
    """Whether a table's arrays fit together (sizes only: nothing is read but their ends)."""
    size = len(arrays["slots"])
    return (size > 0 and size & (size - 1) == 0 and len(arrays["starts"]) == len(arrays["buckets"]) + 1
            and int(arrays["starts"][-1]) == len(arrays["words"]) and len(arrays["frequencies"]) > 0)


def _derive_table(lang: str) -> dict[str, np.ndarray]:
    """``lang``'s table from wordfreq's list (LookupError for a language wordfreq lacks)."""
    from wordfreq import cB_to_freq, get_frequency_list
    from wordfreq.language_info import get_language_info

    buckets = get_frequency_list(lang, "best")
    bucket_of: dict[str, int] = {}
    for index, bucket in enumerate(buckets):
        for word in bucket:
            bucket_of[word] = index  # a word listed twice keeps its last (rarest) bucket, as wordfreq does
    words = list(bucket_of)
    encoded = [w.encode() for w in words]
    starts = np.zeros(len(words) + 1, dtype=np.uint32)
    np.cumsum([len(b) for b in encoded], out=starts[1:])
    # at most two thirds full: a probe past a slot of another word reads only the slot (see _number_bits)
    size = 1 << max(4, (3 * len(words) // 2).bit_length())
    slots = np.zeros(size, dtype=np.uint32)
    mask, bits = size - 1, _number_bits(len(words))
    for k, key in enumerate(encoded, start=1):
        digest = zlib.crc32(key)
        slot = digest & mask
        while slots[slot]:
            slot = (slot + 1) & mask
        slots[slot] = _entry(k, digest, bits)
    info = get_language_info(lang)
    plain = info["tokenizer"] == "regex" and info["transliteration"] is None and info["lookup_transliteration"] is None
    return {"words": np.frombuffer(b"".join(encoded), dtype=np.uint8), "starts": starts,
            "buckets": np.array([bucket_of[w] for w in words], dtype=np.uint16),
            "frequencies": np.array([cB_to_freq(-index) for index in range(len(buckets))], dtype=np.float64),
            "slots": slots, "plain": np.array(plain)}
