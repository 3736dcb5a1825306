"""The name keys of an index as a memory-mapped trie: is a run of words a name, or the start of one?

The recogniser asks these two questions for every word of every article.  A Python set
of the 1.3 M keys answers fastest but costs ~235 MB and 1.5 s to load in every process;
the trie (marisa-trie) is ~6 MB on disk, mapped in no time and shared by every process
through the page cache.  A small LRU cache in front keeps the common words as fast as a
set lookup.  The trie holds every key and, for a multi-word key, each of its word
prefixes followed by a space ("nagorno " for "nagorno karabakh"): keys never end in a
space, so both questions are one exact lookup.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .atomic import atomic_path
from .memo import WORDS, memoised

__all__ = ["NameKeys", "write_name_keys"]


class NameKeys:
    """Membership of name keys (see :func:`gazetteer.normalize.fold`) in a trie file, plus ``extra`` keys."""

    def __init__(self, path: Path, extra: Iterable[str] = ()) -> None:
        import marisa_trie

        self.path = Path(path)
        self._trie = marisa_trie.Trie()
        self._trie.mmap(str(self.path))
        extra = frozenset(extra)
        self._extra = extra
        self._extra_prefixes = frozenset(_prefixes(extra))
        self.is_name = memoised(WORDS)(self._is_name)
        self.starts_name = memoised(WORDS)(self._starts_name)

    def with_extra(self, extra: Iterable[str]) -> "NameKeys":
        """The same trie with more keys (a user's overrides)."""
        return NameKeys(self.path, self._extra | frozenset(extra))

    def _is_name(self, key: str) -> bool:
        """Whether ``key`` is a whole name."""
        return key in self._trie or key in self._extra

    def _starts_name(self, key: str) -> bool:
        """Whether a longer name starts with the words of ``key``."""
        return key + " " in self._trie or key in self._extra_prefixes

    def __reduce__(self):  # a mapped trie does not pickle; the file does
        return NameKeys, (self.path, self._extra)


def write_name_keys(keys: Iterable[str], path: Path) -> int:
    """Write the trie of ``keys`` (and their word prefixes) to ``path`` atomically; the number of entries."""
    import marisa_trie

    keys = set(keys)
    trie = marisa_trie.Trie(keys | {prefix + " " for prefix in _prefixes(keys)})
    with atomic_path(path) as temp:
        trie.save(str(temp))
    return len(trie)


def _prefixes(keys: Iterable[str]) -> set[str]:
    """Every proper word prefix of the multi-word keys."""
    prefixes: set[str] = set()
    for key in keys:
        if " " in key:
            words = key.split(" ")
            prefixes.update(" ".join(words[:n]) for n in range(1, len(words)))
    return prefixes
