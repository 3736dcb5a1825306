"""Candidate event places and their language-neutral features.

For every trigger of a sentence and every place the sentence names, a :class:`Candidate`
describes the pair with features that mean the same in every language: the relation
class of the word before the place (locative, venue, destination, source, agent, ...,
from the language packs), where the place stands relative to the trigger and how far,
punctuation and clause breaks between them, actor cues (a speech verb or a possessive
after the place, an agent word before it, the dateline), list membership, the place's
kind, the trigger's type and placement behaviour, irrealis and negation.  A sentence
with triggers and no place borrows the places of the sentence before it (or of the
headline).  The learned model (:mod:`geo.learned`) turns the features into a probability.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer import LOCALITY, Place
from gazetteer.normalize import fold

from .event_types import EVENT_TYPES, PLACEMENTS
from .lexicon import OWNER, Lexicon
from .model import Toponym
from .recognize import DOUBTFUL
from .text import Token
from .triggers import Hit

__all__ = ["Candidate", "FEATURES", "PlaceContext", "candidates", "modality", "place_context", "token_at"]

_RELATIONS = ("locative", "venue", "destination", "source", "agent", "enumeration", "speech", "between", "road",
              "reference")
_KINDS = ("city", LOCALITY, "admin1", "area", "country", "continent")
_COMMA = re.compile(r"[,،]")
_CLAUSE = re.compile(r"[;:()\[\]\"“”«»—–]|\s-\s")
_DATELINE_GAP = re.compile(r"^\s*(?:\(|,|—|–|-|:)")
#: "Jerusalén, EFE.-", "Kharkiv, Ukraine —", "Gaza, 12 Jan (AFP) -": a comma, a few words, then the dash
_DATELINE_AFTER_COMMA = re.compile(r",[^\n,;:]{1,40}?(?:\.-|\s?[—–]|\s-\s)")
_WINDOW = 8  # words before a trigger searched for irrealis and negation cues
_AFTER_WINDOW = 4  # words after it searched for irrealis cues
_CALL_WINDOW = 3  # a call governs only a trigger this near: "urged a ceasefire", not "urged an inquiry into the strike"
_BROKEN = ("agreements",)  # "violated the ceasefire", "ceasefire violations": a truce agreed before, broken now
_NOT_ENDED = ("diplomacy",)  # "the end of talks" ended talks that took place; "an end to hostilities" stops fighting
_PUNCTUATION = re.compile(r"[,،.;:!?()\[\]\"“”«»—–]")
_REFERENCE_AFTER = 3  # words after a place searched for a direction said after it ("Kerkük'ün 30 km güneyinde")
_QUOTE_OPENS = re.compile(r"\s*[\"“«„]\s*")  # a quotation opening parts no clause: "appelé à « un cessez-le-feu »"

#: Feature names, in the order of the vectors the model is fitted on.
FEATURES: tuple[str, ...] = (
    "bias",
    *(f"rel_{r}" for r in _RELATIONS),
    "clitic_in",
    "after_trigger",
    "adjacent",
    "log_gap",
    "gap_over_12",
    "commas_between",
    "clause_between",
    "speech_between",
    "other_trigger_closer",
    "passive_subject",
    "speech_after",
    "possessive_after",
    "region_after",
    "dateline",
    "in_list",
    "list_head_related",
    *(f"kind_{k}" for k in _KINDS),
    "place_score",
    "doubtful",
    "finer_same_country",
    *(f"placement_{p}" for p in PLACEMENTS),
    "dest_x_destination",
    "venue_x_venue",
    "locative_x_target",
    "object_x_target",
    "trigger_words",
    "irrealis",
    "negation",
    "headline",
    "borrowed",
    "log_places",
    "nearest_after",
    "nearest_before",
    "country_x_target",
    "locative_x_country",
    "first_related_after",
    "region_before",
    "pattern_fit",
    "bare_before_object_after",
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass
class Candidate:
    """One (trigger, place) pair of a sentence, with its feature vector."""

    hit: Hit
    place: int  # index into the sentence's places
    toponym: Toponym
    features: list[float]
    borrowed: bool = False
    locates: int | None = None  # the sentence's place this one only says where is ("Khan Younis, in southern Gaza")

    @property
    def event_type(self) -> str:
        return self.hit.event_type


@dataclass
class PlaceContext:
    """What the features of one place need that does not depend on the trigger."""

    token: int | None  # index of the place's first token
    past: int  # index of the token after the place
    relation: dict[str, bool]
    clitic_in: bool
    speech_after: bool
    possessive_after: bool
    region_after: bool
    dateline: bool
    list_head: int | None  # index of the place heading the list this one continues
    locates: int | None = None  # index of the place right before that this one only locates
    bare: bool = False  # no relation word right before the name ("Russia struck ...")


def token_at(tokens: Sequence[Token], offset: int) -> int | None:
    """Index of the token that contains ``offset`` (a mention may start after an Arabic clitic)."""
    for k, token in enumerate(tokens):
        if token.start <= offset < token.end:
            return k
    return None


def place_context(lexicon: Lexicon, text: str, tokens: Sequence[Token], places: Sequence[Toponym]) -> list[PlaceContext]:
    """The trigger-independent facts of every place of a sentence."""
    result: list[PlaceContext] = []
    for n, toponym in enumerate(places):
        k = token_at(tokens, toponym.start)
        if k is None:
            result.append(PlaceContext(None, 0, {}, False, False, False, False, False, None))
            continue
        past = k + 1
        while past < len(tokens) and tokens[past].start < toponym.end:
            past += 1
        before_index = _before_index(lexicon, tokens, k)
        before = tokens[before_index] if before_index >= 0 else None
        word = before.text if before is not None else ""
        relation = {r: before is not None and (lexicon.is_word(r, word) or lexicon.is_word(r, _strip_clitic(word)))
                    for r in _RELATIONS}
        if relation["reference"] and before_index > 0 and (
                lexicon.is_word("fillers", tokens[before_index - 1].text)
                or (before_index == k - 1 and lexicon.is_word("locative", tokens[before_index - 1].text))):
            # "in the north of Gaza", "in south Lebanon", "في جنوب لبنان": a part of the place, no landmark (but "au
            # nord de Donetsk" is one)
            relation["reference"] = False
        bare = not any(relation.values())
        # an agent word takes the doer itself: "por el centro de Santiago" is a way through, not "by Santiago"
        relation["agent"] &= not any(lexicon.is_place_noun(t.text) for t in tokens[before_index + 1:k])
        after = tokens[past] if past < len(tokens) else None
        # languages that say "where" after the name: a case suffix (Halep'te) or a postposition (Bahmut çevresinde)
        said_after = _case_suffix(lexicon, text, toponym)
        if said_after is None and after is not None and len(after.text) > 5 and lexicon.is_word("locative", after.text):
            said_after = "locative"
        if said_after in relation:
            relation[said_after] = True
        if _reference_after(lexicon, text, tokens, toponym, past):
            relation["reference"] = True
        # a road named after the town ("طريق دمشق", "the Kyiv highway"): the town is no place of the event
        relation["road"] |= after is not None and lexicon.is_word("road", after.text)
        list_head = None
        clitic_in = toponym.start > tokens[k].start and text[toponym.start - 1] in "بل"
        locates = n - 1 if n > 0 and _locates(lexicon, text, places[n - 1], toponym) else None
        if locates is None and n > 0 and _owner_locates(lexicon, text, places[n - 1], toponym):
            result[n - 1].locates = n  # "Gaza's Khan Younis", "Gazze'nin güneyindeki Han Yunus": Khan Younis
        if locates is None and n > 0 and _listed_after(lexicon, text, places[n - 1], toponym):
            previous = result[n - 1]
            list_head = previous.list_head if previous.list_head is not None else n - 1
            if result[list_head].relation.get("between"):
                relation["between"] = True  # "between Kinshasa and Kigali": both are parties
        result.append(PlaceContext(
            token=k,
            past=past,
            relation=relation,
            clitic_in=clitic_in,
            speech_after=_speech_follows(lexicon, text, tokens, past),
            possessive_after=_possessor(lexicon, text, toponym),
            region_after=after is not None and lexicon.is_word("region", after.text),
            dateline=_is_dateline(text, k, toponym),
            list_head=list_head,
            locates=locates,
            bare=bare and not clitic_in,
        ))
    # a verb after a list speaks for all of it: "Yerevan and Baku continue to blame each other"
    for n in range(len(result) - 1, 0, -1):
        if result[n].speech_after and result[n].list_head is not None:
            for m in range(result[n].list_head, n):
                result[m].speech_after = True
    return result


def candidates(lexicon: Lexicon, text: str, tokens: Sequence[Token], hits: Sequence[Hit],
               places: Sequence[Toponym], *, headline: bool = False, borrowed: bool = False,
               home: Sequence[Token] = ()) -> list[Candidate]:
    """Every (trigger, place) pair of a sentence with its features.

    ``borrowed``: the places come from the sentence before (or the headline), since this
    one names none; positions are then meaningless and only place and trigger facts count,
    with what the place's own sentence (its ``home`` tokens) says of it as an actor.
    """
    contexts = place_context(lexicon, text, tokens, places) if not borrowed else []
    actors = place_context(lexicon, text, home, places) if borrowed and home else None
    firsts = {hit.token for hit in hits}
    countries_finer = {p.place.country_iso2 for p in places if p.place.kind in ("city", "admin1", "area")}
    result = []
    for hit in hits:
        irrealis, negation = modality(lexicon, text, tokens, hit)
        entry = EVENT_TYPES[hit.event_type]
        for n, toponym in enumerate(places):
            f = [0.0] * len(FEATURES)
            f[_INDEX["bias"]] = 1.0
            kind = toponym.place.kind if toponym.place.kind in _KINDS else "city"
            f[_INDEX[f"kind_{kind}"]] = 1.0
            f[_INDEX["place_score"]] = toponym.score
            f[_INDEX["doubtful"]] = float(toponym.method == DOUBTFUL)
            f[_INDEX["finer_same_country"]] = float(toponym.place.kind in ("country", "admin1")
                                                     and toponym.place.country_iso2 in countries_finer
                                                     and any(p.place.kind == "city" for p in places))
            f[_INDEX[f"placement_{entry.placement}"]] = 1.0
            f[_INDEX["trigger_words"]] = len(hit.trigger.words)
            f[_INDEX["irrealis"]] = float(irrealis)
            f[_INDEX["negation"]] = float(negation)
            f[_INDEX["headline"]] = float(headline)
            f[_INDEX["log_places"]] = math.log1p(len(places))
            f[_INDEX["borrowed"]] = float(borrowed)
            if borrowed and actors is not None:
                ctx = actors[n]
                f[_INDEX["speech_after"]] = float(ctx.speech_after)
                f[_INDEX["possessive_after"]] = float(ctx.possessive_after)
                f[_INDEX["dateline"]] = float(ctx.dateline)
                f[_INDEX["rel_agent"]] = float(ctx.relation.get("agent", False))
                f[_INDEX["rel_speech"]] = float(ctx.relation.get("speech", False))
            if not borrowed and contexts[n].token is not None:
                _positional(f, lexicon, text, tokens, hit, firsts, places, contexts, n, entry.placement)
            # a borrowed place that only locates another there ("Khan Younis, a city in southern Gaza") stays so
            locates = (actors[n].locates if actors is not None else None) if borrowed else contexts[n].locates
            result.append(Candidate(hit, n, toponym, f, borrowed, locates))
    return result


_VENUE_REACH = 12  # content words from a trigger to a later "in X"
_BEFORE_REACH = 5  # content words from an earlier "in X" to the trigger
_FRONTED_REACH = 9  # the same when a comma closes a fronted phrase ("At a briefing in Baku, a spokeswoman ...")


def _pattern_fit(ctx: PlaceContext, toponym: Toponym, placement: str, after: bool, gap: int, passive: bool,
                 comma: bool) -> float:
    """How well the classic patterns say the event happened at the place, 0..1: "visit to X",
    "talks in X", "shelling of X", "X was bombed", each within a few words of the trigger.
    One feature among the others: the model weighs it."""
    related = ctx.relation
    venue = related["venue"] or ctx.clitic_in
    if toponym.place.kind == "continent":
        return 0.0
    if placement == "destination":
        if after and (related["destination"] or ctx.clitic_in or gap <= 1):
            return 1.0
        if venue and not after and gap <= _BEFORE_REACH:
            return 0.8
        return 0.6 if related["locative"] and after else 0.0
    if toponym.place.kind == "country" and placement == "target":
        return 1.0 if venue and after and gap <= _VENUE_REACH else 0.0
    if placement == "venue":
        near = gap <= _VENUE_REACH if after else gap <= (_FRONTED_REACH if comma else _BEFORE_REACH)
        return 1.0 if venue and near else 0.0
    if related["locative"] or ctx.clitic_in:
        return 1.0 if (gap <= _VENUE_REACH if after else gap <= _BEFORE_REACH) else 0.0
    if after and related["enumeration"]:
        return 0.9
    if after and gap == 0:
        return 0.9
    return 0.8 if not after and passive else 0.0


def modality(lexicon: Lexicon, text: str, tokens: Sequence[Token], hit: Hit) -> tuple[bool, bool]:
    """(irrealis, negation): a cue word in the trigger's clause, at most a few words before it
    ("will meet", "did not attack"; never across a comma: "As talks will resume, shelling hit X"), a
    call right before it ("urged a ceasefire", but not "urged an inquiry into the strike"), or, but for a
    visit or meeting, what ends it ("an end to hostilities": the negation); an agreement broken before or after
    it is negated too ("violated the ceasefire", "ceasefire violations", "ateşkesi ihlal etti")."""
    irrealis = negation = False
    clause = re.compile(r"[,;:()\"“”«»—–،]")
    endable = EVENT_TYPES[hit.event_type].family not in _NOT_ENDED
    breakable = EVENT_TYPES[hit.event_type].family in _BROKEN
    for j in range(hit.token - 1, max(-1, hit.token - _WINDOW - 1), -1):
        gap = text[tokens[j].end:tokens[j + 1].start]
        if clause.search(gap) and not _QUOTE_OPENS.fullmatch(gap):
            break
        near = hit.token - j <= _CALL_WINDOW
        irrealis = irrealis or lexicon.is_word("irrealis", tokens[j].text) or (
            near and lexicon.is_word("calls", tokens[j].text))
        negation = negation or lexicon.is_word("negation", tokens[j].text) or (
            near and endable and lexicon.is_word("ending", tokens[j].text)) or (
            breakable and lexicon.is_word("violation", tokens[j].text))
    for j in range(hit.end_token + 1, min(len(tokens), hit.end_token + 1 + _AFTER_WINDOW)):
        if clause.search(text[tokens[j - 1].end:tokens[j].start]):
            break  # "another meeting ... will take place"
        irrealis = irrealis or lexicon.is_word("irrealis", tokens[j].text)
        negation = negation or (breakable and lexicon.is_word("violation", tokens[j].text))
    return irrealis, negation


def _positional(f: list[float], lexicon: Lexicon, text: str, tokens: Sequence[Token], hit: Hit, firsts: set[int],
                places: Sequence[Toponym], contexts: list[PlaceContext], n: int, placement: str) -> None:
    """The features that depend on where the place stands relative to the trigger."""
    ctx = contexts[n]
    k = ctx.token
    assert k is not None
    for r, on in ctx.relation.items():
        f[_INDEX[f"rel_{r}"]] = float(on)
    f[_INDEX["clitic_in"]] = float(ctx.clitic_in)
    after = k > hit.end_token
    f[_INDEX["after_trigger"]] = float(after)
    lo, hi = (hit.end_token + 1, k) if after else (ctx.past, hit.token)
    between = tokens[lo:hi] if hi > lo else ()
    gap = sum(1 for t in between if not lexicon.is_word("fillers", t.text))
    f[_INDEX["adjacent"]] = float(gap == 0)
    f[_INDEX["log_gap"]] = math.log1p(gap)
    f[_INDEX["gap_over_12"]] = float(gap > 12)
    toponym = places[n]
    span = text[tokens[hit.end_token].end:toponym.start] if after else text[toponym.end:tokens[hit.token].start]
    f[_INDEX["commas_between"]] = min(2, span.count(",") + span.count("،"))
    f[_INDEX["clause_between"]] = float(bool(_CLAUSE.search(span)))
    f[_INDEX["speech_between"]] = float(any(lexicon.is_word("speech", t.text) for t in between))
    f[_INDEX["other_trigger_closer"]] = float(any(lo <= j < hi for j in firsts if j != hit.token))
    f[_INDEX["passive_subject"]] = float(not after and bool(between)
                                         and all(lexicon.is_word("passive", t.text) for t in between))
    f[_INDEX["speech_after"]] = float(ctx.speech_after)
    f[_INDEX["possessive_after"]] = float(ctx.possessive_after)
    f[_INDEX["region_after"]] = float(ctx.region_after)
    f[_INDEX["dateline"]] = float(ctx.dateline)
    f[_INDEX["in_list"]] = float(ctx.list_head is not None)
    if ctx.list_head is not None:
        head = contexts[ctx.list_head]
        f[_INDEX["list_head_related"]] = float(any(head.relation.get(r) for r in ("locative", "venue", "destination"))
                                               or head.clitic_in)
    related = ctx.relation
    f[_INDEX["dest_x_destination"]] = float(placement == "destination" and after
                                            and (related["destination"] or ctx.clitic_in or gap <= 1))
    f[_INDEX["venue_x_venue"]] = float(placement == "venue" and (related["venue"] or ctx.clitic_in))
    f[_INDEX["locative_x_target"]] = float(placement == "target" and (related["locative"] or ctx.clitic_in))
    f[_INDEX["object_x_target"]] = float(placement == "target" and after and gap == 0)
    f[_INDEX["country_x_target"]] = float(placement == "target" and places[n].place.kind == "country")
    f[_INDEX["locative_x_country"]] = float(places[n].place.kind == "country" and (related["locative"] or ctx.clitic_in))
    related_after = [c.token for c in contexts if c.token is not None and c.token > hit.end_token
                     and (any(c.relation.get(r) for r in ("locative", "venue", "destination")) or c.clitic_in)]
    f[_INDEX["first_related_after"]] = float(bool(related_after) and k == min(related_after))
    f[_INDEX["region_before"]] = float(k > 0 and lexicon.is_word("region", tokens[k - 1].text))
    f[_INDEX["pattern_fit"]] = _pattern_fit(ctx, places[n], placement, after, gap, bool(between) and all(
        lexicon.is_word("passive", t.text) for t in between), "," in span)
    positions = [c.token for c in contexts]
    later = [p for p in positions if p is not None and p > hit.end_token]
    earlier = [p for p in positions if p is not None and p < hit.token]
    f[_INDEX["nearest_after"]] = float(bool(later) and k == min(later))
    f[_INDEX["nearest_before"]] = float(bool(earlier) and k == max(earlier))
    # "Russia struck Kharkiv (with drones)": a bare name, a trigger, then another place — a subject, most often
    f[_INDEX["bare_before_object_after"]] = float(ctx.bare and any(k < j < p for j in firsts for p in later + earlier))


def _case_suffix(lexicon: Lexicon, text: str, toponym: Toponym) -> str | None:
    """The relation a case suffix after an apostrophe gives the place ("Halep'te": locative), if any."""
    if text[toponym.end:toponym.end + 1] not in ("'", "’", "‘", "ʼ"):
        return None
    match = re.match(r"[^\W\d_]+", text[toponym.end + 1:toponym.end + 8])
    return lexicon.case_suffixes.get(fold(match.group())) if match else None


def _speech_follows(lexicon: Lexicon, text: str, tokens: Sequence[Token], past: int) -> bool:
    """Whether a speech verb follows the place, over up to three auxiliaries or adverbs ("Baku said", "Erevan a
    dénoncé", "Moscou a de nouveau appelé"): the place is a speaker; after a comma the verb opens the report's
    attribution instead ("fighting near Pokrovsk, said the General Staff", "…Покровська, повідомили у Генштабі")."""
    start = _after_aside(text, tokens, past)
    j = start
    while j < len(tokens) and j < start + 3 and lexicon.is_word("passive", tokens[j].text):
        j += 1
    # the comma closing an aside parts nothing; any other comma before the verb makes it an attribution
    opening = tokens[start].start if start != past else (tokens[past - 1].end if past else 0)
    return j < len(tokens) and lexicon.is_word("speech", tokens[j].text) \
        and not (past and _COMMA.search(text[opening:tokens[j].start]))


_ASIDE = 4  # words of an aside between commas: "Moscow, for its part, said", "Москва, в свою очередь, заявила"


def _after_aside(text: str, tokens: Sequence[Token], past: int) -> int:
    """The token after a short aside set off by commas right after a place, all of it lower-case words ("Moscow,
    for its part, said"; not "near Pokrovsk, in Donetsk region, said the governor"), else ``past``."""
    if not past or past >= len(tokens) or text[tokens[past - 1].end:tokens[past].start].strip() not in (",", "،"):
        return past
    for k in range(past, min(len(tokens) - 1, past + _ASIDE)):
        if not tokens[k].text[:1].islower():  # a name, a number, or a script without case: no aside told apart
            return past
        if _COMMA.search(text[tokens[k].end:tokens[k + 1].start]):
            return k + 1
    return past


def _reference_after(lexicon: Lexicon, text: str, tokens: Sequence[Token], toponym: Toponym, past: int) -> bool:
    """Whether a direction said after the name makes it a landmark ("Bağdat'ın 30 km güneyinde"), in the same
    phrase (no punctuation between) and governing no name of its own ("Kalbouna, northwest of Mosul"; "X northwest
    of Y")."""
    for j in range(past, min(len(tokens), past + _REFERENCE_AFTER)):
        if _PUNCTUATION.search(text[toponym.end:tokens[j].start]):
            return False
        if len(tokens[j].text) > 5 and lexicon.is_word("reference", tokens[j].text):
            return not (j + 1 < len(tokens) and lexicon.is_word("fillers", tokens[j + 1].text))
    return False


def _before_index(lexicon: Lexicon, tokens: Sequence[Token], k: int) -> int:
    """Index of the word before token ``k``, skipping fillers ("in the regional capital Stepanakert"); -1
    when none."""
    j = k - 1
    while j >= 0 and lexicon.is_word("fillers", tokens[j].text):
        j -= 1
    return j


def _strip_clitic(word: str) -> str:
    return word[1:] if len(word) > 2 and word[0] in "وفبلك" else word


def _listed_after(lexicon: Lexicon, text: str, previous: Toponym, toponym: Toponym) -> bool:
    """Whether ``toponym`` continues a list ``previous`` is in: "A, B and C", "A et B", "A і B"."""
    gap = text[previous.end:toponym.start]
    if len(gap) > 12 or re.search(r"[.;:!?()]", gap):
        return False
    words = re.findall(r"[^\W\d_]+", gap)
    if not words:
        return "," in gap or "،" in gap
    return len(words) == 1 and (lexicon.is_word("list", words[0]) or words[0] == "و")


_LOCATING_WORDS = 5  # words at most between a place and the one that locates it
_LOCATING_KM = 100.0  # a town that locates another lies this near it
_LEVEL = {"city": 0, "district": 0, "area": 1, "admin1": 1, "country": 2, "continent": 3}


def _locates(lexicon: Lexicon, text: str, previous: Toponym, toponym: Toponym) -> bool:
    """Whether ``toponym`` only says where ``previous`` is: a coarser or bigger place holding it or near it, a
    few words on with no list word between ("Bucha, Ukraine", "Khan Younis, a city in southern Gaza",
    "Tombrakou in Mopti region"); "Rafah, Khan Younis" is a list."""
    gap = text[previous.end:toponym.start]
    words = re.findall(r"[^\W\d_]+", gap)
    if len(words) > _LOCATING_WORDS or re.search(r"[.;:!?()\"“”«»]", gap):
        return False
    if any(lexicon.is_word("list", w) or w == "و" for w in words):
        return False
    return _holds(toponym.place, previous.place, bool(words))


def _owner_locates(lexicon: Lexicon, text: str, owner: Toponym, toponym: Toponym) -> bool:
    """Whether ``owner``, marked as a possessor ("Gaza's", Turkish "Gazze'nin"), only says where the place right
    after it is, a compass word at most between them ("southern Gaza's Khan Younis", "Gazze'nin güneyindeki Han
    Yunus"): a coarser or bigger place holding it or near it."""
    if not _possessor(lexicon, text, owner):
        return False
    gap = re.sub(r"^['’‘ʼ][^\W\d_]*", "", text[owner.end:toponym.start])
    words = re.findall(r"[^\W\d_]+", gap)
    if len(words) > 1 or re.search(r"[,.;:!?()\"“”«»]", gap):
        return False
    return _holds(owner.place, toponym.place, True)


def _possessor(lexicon: Lexicon, text: str, toponym: Toponym) -> bool:
    """Whether the place is marked as a possessor: "Russia's", "Brussels'", Turkish genitive "Rusya'nın"."""
    return bool(re.match(r"['’](?:s\b|\s)", text[toponym.end:toponym.end + 3])) \
        or _case_suffix(lexicon, text, toponym) == OWNER


def _holds(here: Place, there: Place, words: bool) -> bool:
    """Whether ``here`` may locate ``there``: a coarser place holding it, or a bigger one near it (a place of the
    same level only with ``words`` between them: "Rafah Khan Younis" is no such pair)."""
    level, previous_level = _LEVEL.get(here.kind, 0), _LEVEL.get(there.kind, 0)
    if level < previous_level or (level == previous_level and (here.population <= there.population or not words)):
        return False
    if here.kind == "country":
        return here.country_iso2 == there.country_iso2
    if here.kind == "admin1":
        return here.country_iso2 == there.country_iso2 and here.admin1_code == there.admin1_code
    return here.km_to(there) <= _LOCATING_KM


def _is_dateline(text: str, k: int, toponym: Toponym) -> bool:
    """A place that opens a line as its dateline: "BAKU, Oct. 4 —", "RAWALPINDI –", "Kyiv (Reuters) -",
    "Jerusalén, EFE.-"."""
    line_start = text.rfind("\n", 0, toponym.start) + 1
    opening = text[line_start:toponym.start].strip()
    if opening == "(" and text[toponym.end:toponym.end + 1] == ")":
        return True  # "(Moscou) La Russie a affirmé ..."
    if opening:
        return False
    after = text[toponym.end:toponym.end + 4]
    if toponym.mention.isupper() and len(toponym.mention) > 3:
        return bool(_DATELINE_GAP.match(after))
    return bool(re.match(r"\s*(?:\(|—|–|-\s)", after) or _DATELINE_AFTER_COMMA.match(text, toponym.end))
