"""Trigger words in a sentence's tokens: which event types the sentence may report, and where."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer.normalize import fold

from .lexicon import Lexicon, Trigger, strip_arabic_prefixes
from .text import Token

__all__ = ["Hit", "TriggerIndex"]


@dataclass(frozen=True)
class Hit:
    """A trigger found in a sentence: tokens ``token``..``end_token`` (inclusive)."""

    trigger: Trigger
    token: int
    end_token: int

    @property
    def event_type(self) -> str:
        return self.trigger.event_type


class TriggerIndex:
    """The lexicon's triggers indexed by their first three letters, for a fast scan."""

    def __init__(self, lexicon: Lexicon) -> None:
        # a trigger whose first word must match whole (a phrase, or "=word") is found by that word;
        # a one-word stem by its first three letters
        self._by_word: dict[str, list[Trigger]] = {}
        self._by_prefix: dict[str, list[Trigger]] = {}
        for trigger in lexicon.triggers:
            if len(trigger.words) > 1 or not trigger.stem:
                self._by_word.setdefault(trigger.words[0], []).append(trigger)
            else:
                self._by_prefix.setdefault(trigger.words[0][:3], []).append(trigger)

    def find(self, tokens: Sequence[Token]) -> list[Hit]:
        """Every trigger in ``tokens``; where several start at one word, each of them."""
        # a hyphenated word folds to several ("cease-fire": "cease fire"): each part is matched on its own
        keys: list[str] = []
        owner: list[int] = []
        for k, token in enumerate(tokens):
            for part in fold(token.text).split():
                keys.append(part)
                owner.append(k)
        bare = [strip_arabic_prefixes(k) for k in keys]
        hits = []
        for i in range(len(keys)):
            seen: set[Trigger] = set()
            for trigger in (*self._by_word.get(keys[i], ()), *self._by_word.get(bare[i], ()),
                            *self._by_prefix.get(keys[i][:3], ()), *self._by_prefix.get(bare[i][:3], ())):
                if trigger in seen:
                    continue
                end = _match(trigger, keys, bare, i)
                if end is not None and _whole_words(owner, i, end):
                    seen.add(trigger)
                    hits.append(Hit(trigger, owner[i], owner[end]))
        unique = {(h.event_type, h.token, h.end_token): h for h in reversed(hits)}  # one hit per type and span
        return _longest_only(sorted(unique.values(), key=lambda h: (h.token, h.end_token, h.event_type)))


def _match(trigger: Trigger, keys: list[str], bare: list[str], i: int) -> int | None:
    """Index of the trigger's last word if it matches the tokens at ``i``, else None."""
    words = trigger.words
    if i + len(words) > len(keys):
        return None
    for n, word in enumerate(words):
        last = n == len(words) - 1
        if not any(key == word or (last and trigger.stem and key.startswith(word))
                   for key in (keys[i + n], bare[i + n])):
            return None
    return i + len(words) - 1


def _whole_words(owner: list[int], i: int, end: int) -> bool:
    """Whether parts ``i``..``end`` cover whole words: "cease-fire" matches "cease fire", but
    "Ракета-носитель" (a launch vehicle) is no "ракета"."""
    return (i == 0 or owner[i - 1] != owner[i]) and (end + 1 == len(owner) or owner[end + 1] != owner[end])


def _longest_only(hits: list[Hit]) -> list[Hit]:
    """Drop a hit inside a longer one of another type ("drone strike" is no "strike" too)."""
    kept = []
    for hit in hits:
        inside = any(other is not hit and other.token <= hit.token and hit.end_token <= other.end_token
                     and (other.end_token - other.token) > (hit.end_token - hit.token)
                     for other in hits)
        if not inside:
            kept.append(hit)
    return kept
