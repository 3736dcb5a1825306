"""Who did it: the perpetrator of an attack, the visitor of a visit, as the sentence names them.

Actors are ISO2 codes of countries with the phrase that names them.  An actor is
- a demonym before an armed-forces noun ("Russian forces", "les troupes russes" is
  handled by the noun coming first too), before the trigger or after an agent word;
- a demonym right before the trigger ("Israeli airstrikes", "російські удари");
- a country after an agent word ("bombed by Azerbaijan", "par la Russie");
- a country or demonym that opens the clause before the trigger ("Azerbaijan shelled",
  "the Moroccan minister visited").
The event's own place, the places after the trigger (targets, hosts) and the dateline are
never actors.
"""

from __future__ import annotations

from collections.abc import Sequence

from .lexicon import Lexicon
from .model import Toponym
from .placement import token_at
from .text import Token
from .triggers import Hit

__all__ = ["find_actors"]

_SUBJECT_REACH = 6  # words between a clause-opening actor and its trigger


def find_actors(lexicon: Lexicon, text: str, tokens: Sequence[Token], hit: Hit, places: Sequence[Toponym],
                event_place: int | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(ISO2 codes, phrases) of the actors of the event of ``hit``."""
    found: dict[str, str] = {}

    def add(iso: str | None, start: int, end: int) -> None:
        if iso and iso not in found:
            found[iso] = text[tokens[start].start:tokens[end].end]

    for k, token in enumerate(tokens):
        iso = lexicon.demonym(token.text)
        if iso is None:
            continue
        after_agent = k > 0 and lexicon.is_word("agent", tokens[k - 1].text)
        forces_after = k + 1 < len(tokens) and lexicon.is_word("forces", tokens[k + 1].text)
        forces_before = k > 0 and lexicon.is_word("forces", tokens[k - 1].text)
        if forces_after and (k < hit.token or after_agent):
            add(iso, k, k + 1)
        elif forces_before and (k < hit.token or (k > 1 and lexicon.is_word("agent", tokens[k - 2].text))):
            add(iso, k - 1, k)
        elif k + 1 == hit.token or after_agent:
            add(iso, k, k)
        elif k < hit.token and hit.token - k <= _SUBJECT_REACH and not _clause_break(text, tokens, k, hit.token):
            add(iso, k, k)
    for n, toponym in enumerate(places):
        if n == event_place or toponym.place.kind != "country" or not toponym.place.country_iso2:
            continue
        k = token_at(tokens, toponym.start)
        if k is None:
            continue
        agent = k > 0 and lexicon.is_word("agent", tokens[k - 1].text)
        subject = (k < hit.token and hit.token - k <= 2 and not _clause_break(text, tokens, k, hit.token)
                   and (k == 0 or not lexicon.is_word("locative", tokens[k - 1].text)))
        if agent or subject:
            add(toponym.place.country_iso2, k, k)
    return tuple(sorted(found)), tuple(found[iso] for iso in sorted(found))


def _clause_break(text: str, tokens: Sequence[Token], a: int, b: int) -> bool:
    between = text[tokens[a].end:tokens[b].start]
    return any(mark in between for mark in (",", ";", ":", "(", "—", "،"))
