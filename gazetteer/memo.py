"""Memos that outlive one article: bounded caches of answers worked out again on demand, emptied all at once.

A long run fills them (a name's places, a word's folded form, a sentence's tokens).  A build that has
extracted its last article empties every one (:func:`clear_memos`) before its joins and exports, which need
the memory; the answers are worked out again if anything asks.  Every memo kept by a module, or by an object
that lives as long as the process (the gazetteer, its index and name keys), is made here: :func:`memoised`
for a function, :class:`Memo` for a dict.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

__all__ = ["Memo", "memoised", "clear_memos", "WORDS"]

#: The answers a memo keyed by a word, a name or a run of words keeps.  News keeps bringing new words: past
#: this a memo forgets (the least recently asked, or all at once), so memory stops growing with the corpus
#: while the words asked again and again stay remembered.  The 686 real articles of the throughput bench
#: fold 43,000 distinct words, and run as fast with 8,192 as with 262,144 (the bound before).
WORDS = 8_192

F = TypeVar("F", bound=Callable[..., Any])

_MEMOS: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()  # a memo is forgotten with its owner
_NUMBERS = itertools.count()


def memoised(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize=maxsize)``, emptied by :func:`clear_memos`."""
    def decorate(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)
        _MEMOS[next(_NUMBERS)] = cached
        return cached  # type: ignore[return-value]
    return decorate


class Memo(dict):
    """A dict of remembered answers, emptied by :func:`clear_memos`; :meth:`keep` bounds it to ``size``
    answers (:data:`WORDS` unless told).

    With ``answer``, ``memo[key]`` works out a missing answer (``answer(key)``) and keeps it: a lookup asked
    hundreds of thousands of times a corpus costs a dict subscript when remembered.
    """

    def __init__(self, size: int = WORDS, answer: Callable[[Any], Any] | None = None) -> None:
        super().__init__()
        self.size = size
        self.answer = answer
        _MEMOS[next(_NUMBERS)] = self

    def __missing__(self, key: Any) -> Any:
        if self.answer is None:
            raise KeyError(key)
        return self.keep(key, self.answer(key))

    def keep(self, key: Any, answer: Any) -> Any:
        """Remember ``answer`` for ``key`` and return it; a full memo is emptied first (the answers asked
        again come back, where a memo that stopped growing would never learn a word met late)."""
        if len(self) >= self.size:
            self.clear()
        self[key] = answer
        return answer

    def cache_clear(self) -> None:
        self.clear()


def clear_memos() -> int:
    """Empty every memo alive; the number emptied."""
    memos = list(_MEMOS.values())
    for memo in memos:
        memo.cache_clear()
    return len(memos)
