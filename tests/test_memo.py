"""Memos that outlive an article are emptied all at once; a build that extracts nothing more frees them."""

from __future__ import annotations

import gc
import weakref

import pytest

from gazetteer.memo import Memo, clear_memos, memoised


def test_clear_memos_empties_functions_and_dicts() -> None:
    calls: list[str] = []

    @memoised(16)
    def shout(word: str) -> str:
        calls.append(word)
        return word.upper()

    remembered = Memo()
    remembered["key"] = 1
    assert shout("a") == shout("a") == "A" and calls == ["a"]
    assert clear_memos() >= 2
    assert shout.cache_info().currsize == 0 and remembered == {}
    assert shout("a") == "A" and calls == ["a", "a"]  # worked out again on demand


def test_a_memo_is_forgotten_with_its_owner() -> None:
    class Owner:
        def __init__(self) -> None:
            self.memo = Memo()

    owner = Owner()
    memo = weakref.ref(owner.memo)
    del owner
    gc.collect()
    assert memo() is None
    clear_memos()  # nothing left to empty, nothing fails


def test_collector_release_frees_what_was_frozen_before_the_first_article() -> None:
    from geo import collector

    class Pipeline:  # holds itself in a cycle, as a memoised bound method does
        def __init__(self) -> None:
            self.memo = memoised(4)(self.answer)

        def answer(self, x: int) -> int:
            return x

    collector.release()  # as at the start of a process: the next article freezes what is alive
    pipeline = Pipeline()
    gone = weakref.ref(pipeline)
    with collector.one_article():
        pipeline.memo(1)
    del pipeline
    gc.collect()
    assert gone() is not None  # frozen with the first article: out of the collector's sight
    collector.release()
    assert gone() is None


def test_collector_runs_less_often_between_articles_until_released() -> None:
    from geo import collector

    collector.release()
    before = gc.get_threshold()
    try:
        with collector.one_article():
            assert not gc.isenabled()
        assert gc.isenabled()
        assert gc.get_threshold() == (max(before[0], collector.YOUNG), *before[1:])
        collector.release()
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*before)


def test_every_bounded_memo_of_a_module_is_registered() -> None:
    """A module's bounded lru cache is a memo: made by :func:`memoised`, so a build can empty it.  (Unbounded
    ``functools.cache`` loaders, which read a file or a model once, are not memos.)"""
    import functools
    import importlib
    import pkgutil

    from gazetteer import memo

    modules = []
    for package in ("gazetteer", "geo"):
        for info in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
            try:
                modules.append(importlib.import_module(info.name))
            except ImportError:  # an optional engine's dependencies are not installed
                continue
    registered = {id(m) for m in memo._MEMOS.values()}
    found = []
    for module in modules:
        for name, value in vars(module).items():
            if (isinstance(value, functools._lru_cache_wrapper) and value.__module__ == module.__name__
                    and value.cache_parameters()["maxsize"] is not None):
                found.append(f"{module.__name__}.{name}")
                assert id(value) in registered, f"{module.__name__}.{name} is an lru_cache: use gazetteer.memo.memoised"
    assert len(found) > 10  # the modules' memos were found (fold, script_of, the recogniser's word tests, ...)


def test_a_full_memo_is_emptied_before_it_keeps_more() -> None:
    from gazetteer.memo import WORDS

    assert Memo().size == WORDS
    kept = Memo(3)
    for number in range(3):
        assert kept.keep(number, str(number)) == str(number)
    assert len(kept) == 3
    kept.keep("late", "word")  # a word met late is learnt: the full memo starts again
    assert kept == {"late": "word"}


def test_a_memo_with_an_answer_works_out_what_it_lacks_and_keeps_it_bounded() -> None:
    asked: list[str] = []

    def length(word: str) -> int:
        asked.append(word)
        return len(word)

    lengths = Memo(2, answer=length)
    assert lengths["shelling"] == 8 and lengths["shelling"] == 8
    assert asked == ["shelling"]  # worked out once
    assert lengths["a"] == 1 and lengths["Гянджа"] == 6  # full: it starts again
    assert dict(lengths) == {"Гянджа": 6}
    assert lengths.get("absent") is None and "absent" not in lengths  # get and in never work anything out
    with pytest.raises(KeyError):
        Memo()["absent"]
    clear_memos()
    assert not lengths
