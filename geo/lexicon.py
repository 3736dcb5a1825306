"""The word lists of ``geo/lexicons/`` (triggers, demonyms, titles, ...), loaded and compiled once.

Users extend them with files of the same layout (``extra`` paths); entries are
added to the shipped ones, never replace them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gazetteer.normalize import ARABIC_CLITICS, fold

from .errors import InputError

__all__ = ["Lexicon", "load_lexicon", "LEXICON_DIR"]

LEXICON_DIR = Path(__file__).parent / "lexicons"
LANGS = ("en", "fr", "ru", "ar")


@dataclass(frozen=True)
class Trigger:
    """A trigger of one event type: folded words, whether the last one is a stem."""

    event_type: str
    words: tuple[str, ...]
    stem: bool
    weight: float
    text: str


@dataclass
class Lexicon:
    """Everything the recogniser and the event detector look words up in, folded."""

    triggers: list[Trigger] = field(default_factory=list)
    demonyms: dict[str, str] = field(default_factory=dict)  # folded word -> ISO2
    demonym_stems: list[tuple[str, str]] = field(default_factory=list)  # (folded stem, ISO2)
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # list name -> folded words, all languages
    common_cased: frozenset[str] = frozenset()  # capitalised common words as written (Latin, Cyrillic)
    _demonym_cache: dict[str, str | None] = field(default_factory=dict, repr=False)
    _stems: tuple[dict[str, str], list[int]] | None = field(default=None, repr=False)

    def demonym(self, token: str) -> str | None:
        """ISO2 of the country a word is a demonym of, or None (memoised: it runs on every word)."""
        if token in self._demonym_cache:
            return self._demonym_cache[token]
        key = fold(token)
        bare = _strip_arabic_prefixes(key)
        found = self.demonyms.get(key) or self.demonyms.get(bare)
        if found is None:
            stems, lengths = self._stem_index()
            for length in lengths:
                found = stems.get(key[:length]) or stems.get(bare[:length])
                if found:
                    break
        if len(self._demonym_cache) < 500_000:
            self._demonym_cache[token] = found
        return found

    def _stem_index(self) -> tuple[dict[str, str], list[int]]:
        if self._stems is None:
            stems = dict(reversed(self.demonym_stems))  # the first listed stem wins
            self._stems = (stems, sorted({len(stem) for stem in stems}, reverse=True))
        return self._stems

    def is_word(self, list_name: str, token: str) -> bool:
        key = fold(token)
        words = self.words.get(list_name, frozenset())
        return key in words or _strip_arabic_prefixes(key) in words


def _strip_arabic_prefixes(key: str) -> str:
    """Drop one leading clitic from a folded Arabic word (the article is already gone)."""
    if len(key) > 4 and key.startswith("لل"):  # ل + ال, the alef elided
        return key[2:]
    if len(key) > 3 and key[0] in ARABIC_CLITICS and "\u0600" <= key[1] <= "\u06ff":
        rest = key[1:]
        return rest[2:] if rest.startswith("ال") and len(rest) > 4 else rest
    return key


@cache
def load_lexicon(extra: tuple[Path, ...] = ()) -> Lexicon:
    """The shipped lexicons plus ``extra`` files (same layout as the shipped ones)."""
    lexicon = Lexicon()
    for name in ("triggers", "demonyms", "words"):
        documents = [_read(LEXICON_DIR / f"{name}.toml")]
        documents += [_read(path) for path in extra if _kind(path) == name]
        for document in documents:
            getattr(_Loader, name)(lexicon, document)
    lexicon.words = {k: frozenset(v) for k, v in lexicon.words.items()}
    return lexicon


def _kind(path: Path) -> str:
    """Which lexicon a user file extends, from its name (``*triggers*.toml`` ...)."""
    for name in ("triggers", "demonyms", "words"):
        if name in path.name:
            return name
    raise InputError(f"{path}: a lexicon file name must contain 'triggers', 'demonyms' or 'words'")


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise InputError(f"{path}: cannot read lexicon: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: invalid TOML: {error}") from None


class _Loader:
    @staticmethod
    def triggers(lexicon: Lexicon, document: dict) -> None:
        for event_type, table in document.items():
            weight = float(table.get("weight", 0.8))
            for lang in LANGS + tuple(k for k in table if k not in LANGS and k != "weight"):
                for entry in table.get(lang, []):
                    whole = entry.startswith("=")
                    text = entry.lstrip("=")
                    words = tuple(fold(text).split())
                    if words:
                        lexicon.triggers.append(Trigger(event_type, words, not whole, weight, text))

    @staticmethod
    def demonyms(lexicon: Lexicon, document: dict) -> None:
        for iso, table in document.items():
            for forms in table.values():
                for form in forms:
                    if form.endswith("*"):
                        lexicon.demonym_stems.append((fold(form[:-1]), iso))
                    else:
                        lexicon.demonyms[fold(form)] = iso

    @staticmethod
    def words(lexicon: Lexicon, document: dict) -> None:
        words: dict[str, set[str]] = {k: set(v) for k, v in lexicon.words.items()}
        cased = set(lexicon.common_cased)
        for list_name, table in document.items():
            for lang, forms in table.items():
                words.setdefault(list_name, set()).update(fold(form) for form in forms)
                if list_name == "common" and lang != "ar":
                    cased.update(forms)
        lexicon.words = words  # type: ignore[assignment]
        lexicon.common_cased = frozenset(cased)


def iter_lexicon_files(paths: Iterable[Path]) -> tuple[Path, ...]:
    """Normalise user lexicon paths into the hashable tuple :func:`load_lexicon` caches on."""
    return tuple(sorted(Path(p) for p in paths))
