"""Features of the event-type decision: the trigger's own type and the type cues around it.

"attack" alone is a clash; with "artillery" in the sentence a shelling, with "drone" an
airstrike, with "gunmen" and "villagers" an attack on civilians.  The features say which
type the trigger names, which types the other triggers of the sentence and the triggers of
its neighbours name, and how many cue words of each type (``[cues]`` of the language packs)
the sentence and its neighbours hold; the learned type model (``geo/models/event_type.json``)
weighs them.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

from .event_types import EVENT_TYPES
from .lexicon import Lexicon
from .text import Token, tokenize
from .triggers import Hit

__all__ = ["TYPE_FEATURES", "evidenced_types", "is_generic", "type_features"]

_TYPES = tuple(EVENT_TYPES)
#: Feature names of the type model, in vector order.
TYPE_FEATURES: tuple[str, ...] = (
    "bias",
    *(f"trigger_{t}" for t in _TYPES),
    *(f"other_trigger_{t}" for t in _TYPES),
    *(f"cue_{t}" for t in _TYPES),
    *(f"near_cue_{t}" for t in _TYPES),
    *(f"generic_x_{t}" for t in _TYPES),
    *(f"near_trigger_{t}" for t in _TYPES),
)
#: The type whose triggers include the generic words of violence (the packs' ``generic`` list: "attack",
#: "атака", "saldırı", "ataque"): what else the sentence names decides there, so a generic trigger's cues
#: get weights of their own; "clashes" and "fighting" are no generic words.
_GENERIC = "clash"
_INDEX = {name: i for i, name in enumerate(TYPE_FEATURES)}
#: Feature family ("cue", "near_trigger", ...) -> event type -> the index of its feature.
_AT = {family: {t: _INDEX[f"{family}_{t}"] for t in _TYPES}
       for family in ("trigger", "other_trigger", "cue", "near_cue", "generic_x", "near_trigger")}


def type_features(lexicon: Lexicon, tokens: Sequence[Token], hits: Sequence[Hit], hit: Hit,
                  neighbours: Sequence[str], near_types: Collection[str] = ()) -> list[float]:
    """The type-model features of the event of ``hit`` in a sentence of ``tokens`` (``near_types``: the types
    the triggers of the neighbouring sentences name: "the attack" after "a drone struck ...")."""
    f = [0.0] * len(TYPE_FEATURES)
    f[_INDEX["bias"]] = 1.0
    f[_AT["trigger"][hit.event_type]] = 1.0
    for other in hits:
        if other is not hit and other.event_type != hit.event_type:
            f[_AT["other_trigger"][other.event_type]] = 1.0
    inside = set(range(hit.token, hit.end_token + 1))
    generic = is_generic(lexicon, tokens, hit)
    _count_cues(lexicon, (t for k, t in enumerate(tokens) if k not in inside), f, "cue")
    for text in neighbours:
        _count_cues(lexicon, tokenize(text), f, "near_cue")
    for t in near_types:
        f[_AT["near_trigger"][t]] = 1.0
    cue, near_cue, other, generic_x = (_AT[name] for name in ("cue", "near_cue", "other_trigger", "generic_x"))
    for t in _TYPES:
        f[cue[t]] = math.log1p(f[cue[t]])
        f[near_cue[t]] = math.log1p(f[near_cue[t]])
        if generic:
            f[generic_x[t]] = f[cue[t]] + f[other[t]]
    return f


def is_generic(lexicon: Lexicon, tokens: Sequence[Token], hit: Hit) -> bool:
    """Whether ``hit`` is a generic word of violence ("attack", "saldırı"), whose type the words around it give."""
    return hit.event_type == _GENERIC and any(lexicon.is_word("generic", tokens[k].text)
                                              for k in range(hit.token, hit.end_token + 1))


def _count_cues(lexicon: Lexicon, tokens, f: list[float], prefix: str) -> None:
    at = _AT[prefix]
    for token in tokens:
        for event_type in lexicon.cue_types(token.text):
            f[at[event_type]] += 1.0


def evidenced_types(features: Sequence[float], generic: bool = False) -> list[str]:
    """The types the event may be: its trigger's, or one its sentence's cue words point to ("attack"
    beside "artillery"); never a type nothing names, nor one another trigger of the sentence governs
    ("condemned the attack" in Baku stays a statement).  A generic word whose own sentence holds no cue of violence
    (``generic``: "The attacks killed five" after "drones struck Kharkiv") tells again the more specific
    violence a neighbouring sentence's trigger names (k-fold by article .561 -> .566; letting the type model weigh
    it instead gained nothing; a clash cue of the sentence keeps the clash: fr .44 -> .49).  A generic word beside a
    weapon of remote fire is that fire, as the type model alone did not learn (.637 -> .640, ru .68 -> .72)."""
    own = [t for t in _TYPES if features[_AT["trigger"][t]] or features[_AT["cue"][t]]]
    fired = [t for t in _TYPES if EVENT_TYPES[t].fire and features[_AT["cue"][t]]]
    if generic and fired:
        return fired  # "an attack with kamikaze drones", "une attaque à l'artillerie": the weapon says the kind
    floor = EVENT_TYPES[_GENERIC].specificity
    if generic and not any(features[_AT["cue"][t]] for t in _TYPES if EVENT_TYPES[t].specificity >= floor):
        told = [t for t in _TYPES if features[_AT["near_trigger"][t]] and EVENT_TYPES[t].specificity > floor]
        return told or own
    return own
