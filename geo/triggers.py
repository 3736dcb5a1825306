"""Trigger words in a sentence's tokens: which event types the sentence may report, and where."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer.memo import Memo
from gazetteer.normalize import fold

from .lexicon import Lexicon, Trigger, strip_arabic_prefixes
from .text import Token, tokenize

__all__ = ["Hit", "TriggerIndex"]

#: A folded part of a word, its bare form, and the triggers whose first word it is.
_Part = tuple[str, str, tuple[Trigger, ...]]


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
        self._parts = Memo(answer=self._parts_of)  # (word, elided) -> its parts
        self._types: dict[str, frozenset[str]] = {}  # sentence -> the event types its triggers name

    def find(self, tokens: Sequence[Token]) -> list[Hit]:
        """Every trigger in ``tokens``; where several start at one word, each of them."""
        # a hyphenated word folds to several ("cease-fire": "cease fire"): each part is matched on its own
        memo = self._parts
        parts = [memo[token.text, token.elided] for token in tokens]
        if not any(starting for token_parts in parts for _, _, starting in token_parts):
            return []  # no trigger starts at any word (one sentence in nine of the throughput bench's articles)
        keys: list[str] = []
        bare: list[str] = []
        owner: list[int] = []
        starts: list[tuple[Trigger, ...]] = []
        for k, token_parts in enumerate(parts):
            for part, bare_part, starting in token_parts:
                keys.append(part)
                bare.append(bare_part)
                owner.append(k)
                starts.append(starting)
        hits = [Hit(trigger, owner[i], owner[end]) for i, starting in enumerate(starts) for trigger in starting
                if (end := _match(trigger, keys, bare, i)) is not None and _whole_words(owner, i, end)]
        if not hits:
            return hits
        unique = {(h.event_type, h.token, h.end_token): h for h in reversed(hits)}  # one hit per type and span
        return _longest_only(sorted(unique.values(), key=lambda h: (h.token, h.end_token, h.event_type)))

    def event_types(self, text: str) -> frozenset[str]:
        """The event types the triggers of a sentence name (memoised, bounded: a sentence is read as the neighbour
        of the one before it and of the one after it)."""
        found = self._types.get(text)
        if found is None:
            found = frozenset(h.event_type for h in self.find(tokenize(text)))
            if len(self._types) >= _MEMO_TEXTS:
                self._types.clear()
            self._types[text] = found
        return found

    def _parts_of(self, written: tuple[str, str]) -> tuple[_Part, ...]:
        """The folded parts of a word written with an elided article or none (``(word, elided)``), each with its
        bare form and the triggers it may start (:meth:`_starting_at`): without an Arabic clitic, and the first part
        without the elided article, which the part itself keeps ("l'attaque": "lattaque" and bare "attaque"), so
        that "=l'attaque" is a trigger where "attaque" alone is not (memoised, bounded, by :attr:`_parts`)."""
        word, elided = written
        parts = [(part, strip_arabic_prefixes(part)) for part in fold(word).split()]
        if elided and parts:
            parts[0] = (fold(elided) + parts[0][0], parts[0][0])
        return tuple((key, bare, self._starting_at(key, bare)) for key, bare in parts)

    def _starting_at(self, key: str, bare: str) -> tuple[Trigger, ...]:
        """The triggers whose first word is this part: looked up by the whole part, then by its first three
        letters, and kept when the first word matches (as :func:`_match` asks); each once (a trigger listed twice,
        or found by the part and by its bare form, would match twice alike: its second hit was always dropped)."""
        return tuple(dict.fromkeys(t for t in (*self._by_word.get(key, ()), *self._by_word.get(bare, ()),
                                                *self._by_prefix.get(key[:3], ()), *self._by_prefix.get(bare[:3], ()))
                                   if _word_matches(t, 0, key, bare)))


_MEMO_TEXTS = 4096  # sentences whose trigger types are remembered; a full memo is emptied


def _match(trigger: Trigger, keys: list[str], bare: list[str], i: int) -> int | None:
    """Index of the trigger's last word if it matches the tokens at ``i``, else None."""
    words = trigger.words
    if i + len(words) > len(keys):
        return None
    for n in range(1, len(words)):  # the first word matched when the trigger was looked up (_starting_at)
        if not _word_matches(trigger, n, keys[i + n], bare[i + n]):
            return None
    return i + len(words) - 1


def _word_matches(trigger: Trigger, n: int, key: str, bare: str) -> bool:
    """Whether the trigger's word ``n`` is this part (as written or bare); a stem, its last word, begins it."""
    word = trigger.words[n]
    stem = trigger.stem and n == len(trigger.words) - 1
    return key == word or bare == word or (stem and (key.startswith(word) or bare.startswith(word)))


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
