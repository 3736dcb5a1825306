"""Per-script normalisation of place names into lookup keys.

A *key* is what the index stores and what a query is turned into before lookup:
case folded, Latin diacritics removed, Arabic letter variants unified and its
article dropped, Cyrillic ё folded into е, apostrophes removed and hyphens turned
into spaces.  ``fold`` is used on both sides, so "Ma’arrat" and "Maarrat",
"Nagorno-Karabakh" and "Nagorno Karabakh", "الرباط" and "رباط" share a key.

Arabic prefixes (the clitics و ف ب ل ك before a name) are only stripped at
query time by ``query_keys``, which returns the variants to try with a penalty.
"""

from __future__ import annotations

import re
import unicodedata

from .memo import WORDS, memoised

__all__ = ["fold", "query_keys", "script_of", "ARABIC_CLITICS"]

ARABIC_CLITICS = "وفبلك"
_ARABIC_ARTICLE = "ال"

# Tashkeel (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) and tatweel.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي",
        "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
        "ؤ": "و",
        "ک": "ك", "ڪ": "ك",
        "گ": "ك",
    }
)
# Letters that NFKD does not decompose but that readers treat as a plain letter.
_LATIN_LETTERS = str.maketrans(
    {
        "ı": "i", "ə": "e", "ǝ": "e", "ɛ": "e", "ł": "l", "ø": "o", "đ": "d", "ð": "d",
        "þ": "th", "æ": "ae", "œ": "oe", "ħ": "h", "ŧ": "t", "ŋ": "n", "ß": "ss",
    }
)
_CYRILLIC_LETTERS = str.maketrans({"ё": "е"})
# Apostrophe-like marks vanish ("Ma'arrat" = "Maarrat"); dashes and dots become spaces.
_APOSTROPHES = re.compile("['’‘ʼʻ`´ʹʾʿ′\u02bc]")
_SEPARATORS = re.compile("[-‐‑‒–—―_/.,·•]+")
_SPACES = re.compile(r"\s+")


@memoised(WORDS)
def script_of(text: str) -> str:
    """Return the dominant script of ``text``: latin, arabic, cyrillic or other."""
    counts = {"latin": 0, "arabic": 0, "cyrillic": 0, "other": 0}
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        if code < 0x0250 or 0x1E00 <= code < 0x1F00:
            counts["latin"] += 1
        elif 0x0600 <= code < 0x0700 or 0x0750 <= code < 0x0780 or 0xFB50 <= code < 0xFF00:
            counts["arabic"] += 1
        elif 0x0400 <= code < 0x0530:
            counts["cyrillic"] += 1
        else:
            counts["other"] += 1
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else "other"


def _strip_latin_marks(text: str) -> str:
    """Drop combining marks that sit on Latin letters only (keeps й, ї, Arabic marks)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and out and out[-1] < "\u0250":
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def _drop_arabic_article(word: str) -> str:
    if word.startswith(_ARABIC_ARTICLE) and len(word) > 3:
        return word[2:]
    return word


@memoised(WORDS)
def fold(name: str) -> str:
    """Return the lookup key of ``name`` (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _APOSTROPHES.sub("", text)
    text = _SEPARATORS.sub(" ", text)
    text = text.translate(_LATIN_LETTERS).translate(_CYRILLIC_LETTERS)
    text = _strip_latin_marks(text)
    if any("\u0600" <= char <= "\u06ff" for char in text):
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
        text = " ".join(_drop_arabic_article(word) for word in text.split())
    return _SPACES.sub(" ", text).strip()


def query_keys(name: str) -> list[tuple[str, float]]:
    """Keys to look ``name`` up under, each with a penalty factor in (0, 1].

    The first key is ``fold(name)`` with factor 1.0.  For Arabic a leading clitic
    (و ف ب ل ك, also fused with the article as in "للرباط" or "بالرباط") is
    stripped into a second key with a small penalty.
    """
    key = fold(name)
    keys = [(key, 1.0)]
    raw = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", name.strip()))
    if raw and raw[0] in ARABIC_CLITICS and script_of(raw) == "arabic":
        rest = raw[1:]
        if raw.startswith("لل"):  # ل + ال: the article's alef elides
            rest = _ARABIC_ARTICLE + raw[2:]
        first_word = rest.split()[0] if rest.split() else ""
        if len(first_word) >= 3:
            stripped = fold(rest)
            if stripped and stripped != key:
                keys.append((stripped, 0.92))
    return keys
