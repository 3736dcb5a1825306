"""Event detection: per sentence, triggers, the places they happened at, type, actors,
casualty figures and date; then the article-level decision.

1. A sentence's triggers (:mod:`geo.triggers`, from the language packs) say which events
   it may report.
2. Every (trigger, place) pair becomes a :class:`~geo.placement.Candidate` with
   language-neutral features; the learned placement model scores it.  Of the triggers the
   model accepts for a place, the nearest governs it (a bare casualty verb last).  A
   sentence with a trigger and no place borrows the places of the sentence before it, or of
   the nearest before it in its paragraph, or the headline's (the lede's when no headline
   stands apart).  Datelines, actors ("Baku said") and planned or denied events are never
   event places, whatever the model says: the design's contract.
3. The learned type model (:mod:`geo.event_typing`) reads the trigger's type and the type
   cues of the sentence and its neighbours ("attack" with "artillery" is shelling, with
   "drone" an airstrike).
4. "the Kharkiv region", "Херсонської області", "محافظة إدلب" put the event at the admin-1
   unit, "Izmail district" at a district; actors (:mod:`geo.actors`), casualty figures
   (:mod:`geo.casualties`) and the date (:mod:`geo.dates`) complete the event.
5. The learned keep model (:mod:`geo.article_level`) decides which (type, place) reports
   the article as a whole bears out (an article of talks keeps its likeliest visit or
   meeting); a country- or region-level event of a family the article places finer
   inside it is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from gazetteer import LOCALITY, Gazetteer, Place

from .actors import find_actors
from .article_level import Report, group_features, group_reports
from .casualties import figures, find_casualties
from .dates import event_date, publication_day
from .event_types import EVENT_TYPES
from .event_typing import evidenced_types, is_generic, type_features
from .learned import LinearModel, load_model
from .lexicon import Lexicon, Trigger, load_lexicon
from .model import Article, Event, Source, Toponym, highest_figure
from .placement import FEATURES, Candidate, candidates, token_at
from .recognize import Mention
from .text import Sentence, Token, neighbour_texts, sentences, tokenize
from .triggers import Hit, TriggerIndex

__all__ = ["EventDetector", "SentenceCandidates"]


@dataclass
class SentenceCandidates:
    """The candidates of one sentence, and what the later steps need of the sentence."""

    index: int
    sentence: Sentence
    tokens: tuple[Token, ...]
    hits: list[Hit]
    places: list[Toponym]
    candidates: list[Candidate]
    borrowed: bool
    toll_only: bool = False  # no trigger: a casualty word taken as one, for the toll alone (``_toll_sentences``)
    home: tuple[Token, ...] = ()  # borrowed: the tokens of the sentence the places come from


class EventDetector:
    """Finds events in an article's sentences, given its recognised toponyms."""

    def __init__(self, lexicon: Lexicon | None = None, gazetteer: Gazetteer | None = None, *,
                 placement: LinearModel | None = None, typing: LinearModel | None = None,
                 keep: LinearModel | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.gazetteer = gazetteer
        self.triggers = TriggerIndex(self.lexicon)
        self._placement = placement
        self._typing = typing
        self._keep = keep
        self.use_keep = True

    @property
    def placement(self) -> LinearModel:
        """The learned placement model (``geo/models/placement.json`` unless one was given)."""
        if self._placement is None:
            self._placement = load_model("placement")
        return self._placement

    @property
    def keep(self) -> LinearModel | None:
        """The learned article-level keep model (``geo/models/event_keep.json``), None when switched off."""
        if not self.use_keep:
            return None
        if self._keep is None:
            self._keep = load_model("event_keep")
        return self._keep

    @property
    def typing(self) -> LinearModel:
        """The learned type model (``geo/models/event_type.json`` unless one was given)."""
        if self._typing is None:
            self._typing = load_model("event_type")
        return self._typing

    # ------------------------------------------------------------------ public

    def detect(self, article: Article, recognised: Sequence[tuple[Toponym, Mention]]) -> list[Event]:
        """Events of one article: its sentence reports that the article as a whole bears out."""
        spans = sentences(article.text)
        found = self.sentence_candidates(article.text, spans, recognised)
        reports = self.reports(article, recognised, found)
        groups = group_reports(reports)
        n_sentences = len(spans)
        if self.keep is not None and groups and n_sentences > _SHORT:
            features = group_features(groups, [t for t, _ in recognised], n_sentences)
            keys = list(groups)
            probabilities = self.keep.scores([features[k] for k in keys])
            kept = {k for k, p in zip(keys, probabilities) if p >= self.keep.threshold}
            kept |= _likeliest_talks(keys, probabilities, kept)
            reports = [r for r in reports if (r.event.event_type, r.event.place_key) in kept]
        events = self._tolls_told_apart([r.event for r in reports], article, spans, found, recognised)
        return _without_coarse_twins(events)

    def reports(self, article: Article, recognised: Sequence[tuple[Toponym, Mention]],
                found: Sequence[SentenceCandidates] | None = None) -> list[Report]:
        """Every event a sentence of the article reports, with the placement model's probability, but those at a
        far namesake (:func:`_far_namesakes`; ``found``: the article's :meth:`sentence_candidates`, when the caller
        has them).  The keep model is fitted on these reports."""
        text = article.text
        published = publication_day(article.published, text)
        spans = sentences(text)
        reports: list[Report] = []
        if found is None:
            found = self.sentence_candidates(text, spans, recognised)
        by_sentence = _places_by_sentence(recognised)
        for group in found:
            chosen = self._choose(group)
            if not chosen:
                continue
            date, precision = event_date(group.sentence.text, lang=article.lang, published=published)
            neighbours = neighbour_texts(spans, group.index)
            title = group.index == 0 and _is_title(text, group.sentence)
            following = _next_if_same_places(spans, group.index, by_sentence)
            types: dict[Hit, str] = {}  # one type decision per trigger of the sentence
            near_types = self.trigger_types(neighbours)
            for candidate, _ in chosen:
                if candidate.hit not in types:
                    types[candidate.hit] = self._type(group, candidate, neighbours, near_types)
            places = [self._regional(group, candidate) for candidate, _ in chosen]  # where each event sits
            # the toll told nearest the place ("five were killed in A, while in B two people died")
            tolls = _own_tolls(self.lexicon, text, group.places, [
                (toponym.place, candidate.toponym, EVENT_TYPES[types[candidate.hit]].family,
                 find_casualties(self.lexicon, group.sentence.text, following,
                                 at=None if candidate.borrowed else candidate.toponym.start - group.sentence.start))
                for (candidate, _), toponym in zip(chosen, places)])
            listed = self._weapons_listed(group.tokens)
            if group.index and not any(_REMOTE_FIRE.intersection(self.lexicon.cue_types(t.text)) for t in group.tokens):
                listed = self._weapons_listed(tokenize(spans[group.index - 1].text))  # "Гатив і по місту": the fire told before
            for (candidate, probability), toponym, toll in zip(chosen, places, tolls):
                # "attacked with drones and artillery": an event of each kind of fire the sentence lists
                for event_type in _with_listed(types[candidate.hit], listed):
                    event = self._event(article, group, candidate, toponym, probability, event_type, toll,
                                        date, precision)
                    reports.append(Report(event, probability, group.index, title, candidate.toponym.score))
        far = _far_namesakes({t.place.key: t.place for t, _ in recognised})
        return [r for r in reports if r.event.place.key not in far]

    def sentence_candidates(self, text: str, spans: Sequence[Sentence],
                            recognised: Sequence[tuple[Toponym, Mention]]) -> list[SentenceCandidates]:
        """Every sentence with a trigger, with its (trigger, place) candidates."""
        by_sentence = _places_by_sentence(recognised)
        result = []
        title = bool(spans) and _is_title(text, spans[0])
        for index, sentence in enumerate(spans):
            places = by_sentence.get(index, [])
            lender = None if places else _lender(text, spans, index, by_sentence, title)
            previous = [] if places or lender is None else [
                p for p in by_sentence.get(lender, []) if p.place.kind != "continent"]
            if not places and not previous:
                continue
            tokens = tokenize(text, sentence.start, sentence.end)
            hits = self.triggers.find(tokens)
            if hits and _figurative(self.lexicon, tokens):
                hits = [h for h in hits if not EVENT_TYPES[h.event_type].figurative]
            if not hits:
                continue
            borrowed = not places and bool(previous)
            pool = places or previous
            home = tokenize(text, spans[lender].start, spans[lender].end) if borrowed else ()
            found = candidates(self.lexicon, text, tokens, hits, pool,
                               headline=index == 0 and title, borrowed=borrowed, home=home)
            if found:
                result.append(SentenceCandidates(index, sentence, tokens, hits, pool, found, borrowed, home=home))
        return result

    def place_spans(self, article: Article, recognised: Sequence[tuple[Toponym, Mention]],
                    trigger: tuple[int, int]) -> list[tuple[int, int]]:
        """Spans of the places the placement model chooses for the event whose trigger is at
        ``trigger`` (character offsets), whether or not that word is in a pack: the
        event-location task, where the verb is given."""
        found = self.verb_candidates(article.text, recognised, trigger)
        probabilities = self.placement.scores([c.features for c in found]) if found else []
        return [(c.toponym.start, c.toponym.end) for c, p in zip(found, probabilities)
                if p >= self.placement.threshold and not _ruled_out(c)]

    def verb_candidates(self, text: str, recognised: Sequence[tuple[Toponym, Mention]],
                        trigger: tuple[int, int]) -> list[Candidate]:
        """The (trigger, place) candidates of the sentence holding the given trigger span, that word
        taken as a trigger of its pack or, when no pack lists it, as a generic one."""
        spans = sentences(text)
        index = next((i for i, s in enumerate(spans) if s.start <= trigger[0] < s.end), None)
        if index is None:
            return []
        sentence = spans[index]
        tokens = tokenize(text, sentence.start, sentence.end)
        first, last = token_at(tokens, trigger[0]), token_at(tokens, max(trigger[0], trigger[1] - 1))
        places = [t for t, m in recognised if m.sentence == index]
        if first is None or last is None or not places:
            return []
        hit = next((h for h in self.triggers.find(tokens) if h.token <= first <= h.end_token), None)
        if hit is None:
            hit = Hit(_GENERIC_TRIGGER, first, last)
        return candidates(self.lexicon, text, tokens, [hit], places)

    def _toll_sentences(self, text: str, spans: Sequence[Sentence], by_sentence: dict[int, list[Toponym]],
                        found: Sequence[SentenceCandidates]) -> list[SentenceCandidates]:
        """The sentences with no trigger that tell a toll at a place they name: the first casualty word taken as a
        trigger of no type of its own ("В Макеевке погиб мужчина", "murieron 12 personas en Deir al-Balah"), the
        places the placement model accepts for it."""
        with_trigger = {group.index for group in found}
        result = []
        for index, places in sorted(by_sentence.items()):
            if index in with_trigger:
                continue
            sentence = spans[index]
            if figures(self.lexicon, sentence.text) == (None, None):
                continue
            tokens = tokenize(text, sentence.start, sentence.end)
            word = next((j for j, t in enumerate(tokens) if self.lexicon.is_word("killed", t.text)
                         or self.lexicon.is_word("injured", t.text)), None)
            if word is None:
                continue
            hit = Hit(_GENERIC_TRIGGER, word, word)
            pairs = candidates(self.lexicon, text, tokens, [hit], places)
            scores = self.placement.scores([c.features for c in pairs]) if pairs else []
            accepted = [c for c, p in zip(pairs, scores) if p >= self.placement.threshold and not _ruled_out(c)]
            if accepted:
                result.append(SentenceCandidates(index, sentence, tokens, [hit], places, accepted, False, True))
        return result

    def _tolls_told_apart(self, events: list[Event], article: Article, spans: Sequence[Sentence],
                          found: Sequence[SentenceCandidates],
                          recognised: Sequence[tuple[Toponym, Mention]] = ()) -> list[Event]:
        """An event with no figure takes the toll of another sentence that names its place beside a
        trigger of violence, on no other day, as one more source ("... shelling hit El Fasher." then "12
        civilians were killed by shelling on El Fasher on Sunday": the placement model may have judged
        the second sentence alone too weak); the event's figure is the highest its sources give.  A sentence
        with no trigger counts when its casualty word places the toll at the town (:meth:`_toll_sentences`:
        "In Makiivka a man died")."""
        wanting = [e for e in events if (e.fatalities is None or e.injured is None)
                   and EVENT_TYPES[e.event_type].family not in _TALKS]
        if not wanting:
            return events
        by_sentence = _places_by_sentence(recognised)
        found = [*found, *self._toll_sentences(article.text, spans, by_sentence, found)]
        published = publication_day(article.published, article.text)
        extra: dict[int, list[Source]] = {}
        seen: set[tuple[int, int]] = set()  # (sentence, place offset): several triggers name one place
        # place key -> date (None: undated) -> the events wanting a figure there; a long article names a town in
        # thousands of sentences, so neither the events nor their sources are scanned per sentence
        wanting_at: dict[str, dict[str | None, list[Event]]] = {}
        for event in wanting:
            wanting_at.setdefault(event.place.key, {}).setdefault(event.date, []).append(event)
        # sentence -> the kinds of figure (killed, injured) a source of the event gives from it already; a report
        # borrowed by the next sentence ("It said 15 were injured in the shelling") is recorded on the sentence it
        # borrows from, whose own toll ("Four people were killed in Kunduz ...") it did not read
        told: dict[int, dict[int, tuple[bool, bool]]] = {}
        for e in wanting:
            given = told[id(e)] = {}
            for s in e.sources:
                had = given.get(s.sentence_start, (False, False))
                given[s.sentence_start] = (had[0] or s.fatalities is not None, had[1] or s.injured is not None)
        for group in found:
            sentence = group.sentence
            if group.borrowed:
                continue
            following = _next_if_same_places(spans, group.index, by_sentence)
            violent = [c for c in group.candidates if EVENT_TYPES[c.event_type].family not in _TALKS
                       and not _ruled_out(c) and c.locates is None]  # "Khan Younis, in southern Gaza": one place
            if not any(c.toponym.place.key in wanting_at for c in violent):
                continue
            regional = [self._regional(group, c).place for c in violent]
            tolls = _own_tolls(self.lexicon, article.text, group.places, [
                (place, c.toponym, EVENT_TYPES[c.event_type].family, find_casualties(
                    self.lexicon, sentence.text, following, at=c.toponym.start - sentence.start))
                for c, place in zip(violent, regional)])
            for candidate, place, (killed, injured) in zip(violent, regional, tolls):
                # a sentence with no trigger tells the toll of the place as it names it: "in the Kharkiv region"
                # is no toll of Kharkiv city
                by_date = wanting_at.get(place.key if group.toll_only else candidate.toponym.place.key)
                if not by_date or (group.index, candidate.toponym.start) in seen:
                    continue
                seen.add((group.index, candidate.toponym.start))
                if killed is None and injured is None:
                    continue
                day, precision = event_date(sentence.text, lang=article.lang, published=published)
                if precision == "published":
                    day = None  # the sentence names no day: the publication day is no day of its own
                # another day's attack on the same town is no source
                matching = ([e for dated in by_date.values() for e in dated] if day is None
                            else [*by_date.get(day, ()), *by_date.get(None, ())])
                source = Source(article_id=article.article_id, sentence=sentence.text,
                                start=candidate.toponym.start, end=candidate.toponym.end,
                                sentence_start=sentence.start, title=article.title, url=article.url,
                                fatalities=killed, injured=injured)
                for event in matching:
                    had = told[id(event)].get(sentence.start)
                    if had is not None and (killed is None or had[0]) and (injured is None or had[1]):
                        continue  # the sentence that reports the event gave its figure already, or gave it here
                    told[id(event)][sentence.start] = (True, True)
                    extra.setdefault(id(event), []).append(source)
        result = []
        for event in events:
            more = extra.get(id(event))
            if more:
                event = replace(event, sources=[*event.sources, *more],
                                fatalities=highest_figure(event.fatalities, *(s.fatalities for s in more)),
                                injured=highest_figure(event.injured, *(s.injured for s in more)))
            result.append(event)
        return result

    # ------------------------------------------------------------------ decisions

    def _choose(self, group: SentenceCandidates) -> list[tuple[Candidate, float]]:
        """Each place with the trigger it fits best, when the model says it is the event's place."""
        probabilities = self.placement.scores([c.features for c in group.candidates])
        best: dict[tuple[int, str], tuple[tuple[float, int], Candidate, float]] = {}
        for candidate, p in zip(group.candidates, probabilities):
            if _ruled_out(candidate):
                continue  # planned, hoped for or denied; the dateline; a place that acts or speaks ("Baku said")
            # among the triggers the model accepts for a place, the nearest governs it ("At a briefing in Baku,
            # a spokeswoman condemned the attack": a statement in Baku, not an attack there), a bare casualty
            # verb only when nothing else does ("a bomb hit Kandahar, killing two": an explosion)
            accepted = p >= self.placement.threshold
            toll = self.lexicon.is_word("killed", group.tokens[candidate.hit.token].text)
            rank = (accepted, not toll, -_distance(candidate) if accepted else float(p),
                    EVENT_TYPES[candidate.event_type].specificity)
            # a visit, the meeting it was for and the agreement it reached are three events at one place ("arrived
            # in Istanbul for talks that ended with a prisoner swap"); violence at a place is told by its nearest
            # trigger
            family = EVENT_TYPES[candidate.event_type].family
            key = (candidate.place, candidate.event_type if family in _TALKS else "")
            if key not in best or rank > best[key][0]:
                best[key] = (rank, candidate, float(p))
        threshold = self.placement.threshold
        chosen = [(c, p) for _, c, p in (best[k] for k in sorted(best)) if p >= threshold
                  and c.toponym.place.kind != "continent"]
        # a place that only locates another the sentence places the same family at is no second event
        # ("strikes on Khan Younis, in southern Gaza": one strike, in Khan Younis)
        located = {(c.place, EVENT_TYPES[c.event_type].family) for c, _ in chosen}
        chosen = [(c, p) for c, p in chosen
                  if c.locates is None or (c.locates, EVENT_TYPES[c.event_type].family) not in located]
        # a visit goes where the text says it goes: with a destination named ("arrived in Beijing"), a place
        # neither named so nor listed is the visitor's ("the President of France", "глава МИД Украины")
        headed = {(c.place, c.event_type) for c in group.candidates if _headed_for(c)}
        bound = {c.event_type for c, _ in chosen if (c.place, c.event_type) in headed}
        return [(c, p) for c, p in chosen
                if c.event_type not in bound or (c.place, c.event_type) in headed or c.features[_IN_LIST]]

    def _weapons_listed(self, tokens: Sequence[Token]) -> frozenset[str]:
        """The kinds of remote fire a sentence lists side by side ("drones and artillery", "дронами та
        артилерією", "missiles and drones"): two weapon words of different types joined by a list word."""
        kinds: set[str] = set()
        for a, word, b in zip(tokens, tokens[1:], tokens[2:]):
            if not self.lexicon.is_word("list", word.text):
                continue
            first, second = (set(self.lexicon.cue_types(t.text)) & _REMOTE_FIRE for t in (a, b))
            if first and second and first != second:
                kinds |= first | second
        return frozenset(kinds)

    def trigger_types(self, texts: Sequence[str]) -> frozenset[str]:
        """The event types the triggers of ``texts`` (a sentence's neighbours) name."""
        return frozenset().union(*(self.triggers.event_types(text) for text in texts))

    def _type(self, group: SentenceCandidates, candidate: Candidate, neighbours: Sequence[str],
              near_types: frozenset[str] = frozenset()) -> str:
        """The event type the type model gives, among the trigger's and the sentence's cue types."""
        features = type_features(self.lexicon, group.tokens, group.hits, candidate.hit, neighbours, near_types)
        probabilities = self.typing.scores([features])[0]
        # the model chooses among the types the sentence (or, for a bare "attack", its neighbours) gives evidence of
        evidenced = evidenced_types(features, is_generic(self.lexicon, group.tokens, candidate.hit))
        # nor a type whose own trigger the sentence calls for or denies: "called for a ceasefire" is a statement
        unreal = {c.hit.event_type for c in group.candidates
                  if c.hit is not candidate.hit and any(c.features[k] for k in _MODALITY)}
        evidenced = [t for t in evidenced if t == candidate.event_type or t not in unreal] or evidenced
        # a visit, the meeting it was for and the agreement it reached are told by a trigger each ("arrived in
        # Lisbon and met the prime minister"): a trigger of talks takes no type another trigger of the sentence names
        named = {h.event_type for h in group.hits if h is not candidate.hit} if \
            EVENT_TYPES[candidate.event_type].family in _TALKS else set()
        evidenced = [t for t in evidenced if t == candidate.event_type or t not in named] or evidenced
        return max(evidenced, key=lambda t: probabilities[self.typing.classes.index(t)])

    # ------------------------------------------------------------------ events

    def _event(self, article: Article, group: SentenceCandidates, candidate: Candidate, toponym: Toponym,
               probability: float, event_type: str, toll: tuple[int | None, int | None], date: str | None,
               precision: str | None) -> Event:
        """The event of ``candidate`` placed at ``toponym`` (its place, or the region it names: :meth:`_regional`)."""
        sentence = group.sentence
        actors, mentions = find_actors(self.lexicon, article.text, group.tokens, candidate.hit, group.places,
                                       candidate.place if not candidate.borrowed else None)
        killed, injured = toll
        source = Source(article_id=article.article_id, sentence=sentence.text, start=toponym.start, end=toponym.end,
                        sentence_start=sentence.start, title=article.title, url=article.url,
                        fatalities=killed, injured=injured)
        if candidate.borrowed:  # the place is named in the sentence before: the source quotes both
            start = min(sentence.start, _line_of(article.text, toponym)[0])
            source = Source(article_id=article.article_id, sentence=article.text[start:sentence.end],
                            start=toponym.start, end=toponym.end, sentence_start=start,
                            title=article.title, url=article.url, fatalities=killed, injured=injured)
        confidence = round(min(0.99, probability * (0.7 + 0.3 * min(1.0, toponym.score / 0.8))), 3)
        return Event(event_type=event_type, place=toponym.place, place_mention=toponym.mention, date=date,
                     date_precision=precision, actors=actors, confidence=confidence, sources=[source],
                     fatalities=killed, injured=injured, actor_mentions=mentions)

    def _regional(self, group: SentenceCandidates, candidate: Candidate) -> Toponym:
        """The admin-1 unit when the text says "the X region" of a city X; a district at X when no admin-1
        unit is named after it ("Izmail district").  A borrowed place keeps only a district its own sentence
        names after it ("Бериславський район": the adjective never names the town); the gold keeps other
        borrowed places at their towns (regional readings of them measured k-fold .547 -> .529)."""
        toponym = candidate.toponym
        if self.gazetteer is None or toponym.place.kind != "city":
            return toponym
        if candidate.borrowed:
            word = _region_word(self.lexicon, group.home, toponym, group.places, after_only=True)
            if word is None or not self.lexicon.is_word("district", word):
                return toponym
        else:
            word = _region_word(self.lexicon, group.tokens, toponym, group.places)
        if word is None:
            return toponym
        region = (self.gazetteer.district_at(toponym.place) if self.lexicon.is_word("district", word)
                  else self.gazetteer.region_of(toponym.place))
        return Toponym(toponym.start, toponym.end, toponym.mention, region, toponym.score, "region")


#: Features that rule a candidate out whatever the model says: the event did not happen (irrealis, negation),
#: or the place is where the report was written (dateline) or an actor ("Baku said", "Azerbaijan's army",
#: "by Azerbaijan", "a deal between Kinshasa and Kigali") or names a road ("طريق دمشق", "the Kyiv highway"): the
#: design's contract, never a matter of degree.
_NEVER = tuple(FEATURES.index(name) for name in ("irrealis", "negation", "dateline", "speech_after",
                                                  "rel_agent", "rel_speech", "rel_between", "rel_road"))
_MODALITY = tuple(FEATURES.index(name) for name in ("irrealis", "negation"))
#: A possessive makes a country an actor ("Azerbaijan's army", "Syria's Idlib"), not a city: "Kharkiv's
#: Kholodnohirskyi district was struck" is an event in Kharkiv.
_POSSESSIVE = FEATURES.index("possessive_after")
#: The families of talks and deals: their events carry no casualty figure of their own and stand beside another
#: type's at one place in one sentence.
_TALKS = ("diplomacy", "agreements")
#: The keep probability at which an article's likeliest visit or meeting stays though the keep model doubts every
#: one of them: a report of talks is about at least one ("during a visit to Azerbaijan").  Not so for agreements:
#: a call for a ceasefire is far more often told than one agreed.
_TALKS_FLOOR = 0.1
_SHORT = 3  # an article of this many sentences or fewer is its own evidence: no article-level decision
_LOG_GAP = FEATURES.index("log_gap")
_DESTINATION = FEATURES.index("dest_x_destination")  # a destination word before a place of a destination type
_IN_LIST = FEATURES.index("in_list")
#: The trigger of a verb no pack lists, when the caller names it (the event-location task).
_GENERIC_TRIGGER = Trigger("clash", ("",), True, 0.5, "")


def _likeliest_talks(keys: Sequence[tuple[str, str]], probabilities: Sequence[float],
                     kept: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The likeliest visit or meeting (type, place) group when the article keeps none and the keep model gives it
    at least :data:`_TALKS_FLOOR`."""
    if any(EVENT_TYPES[event_type].family == "diplomacy" for event_type, _ in kept):
        return set()
    talks = [(float(p), key) for key, p in zip(keys, probabilities)
             if EVENT_TYPES[key[0]].family == "diplomacy" and p >= _TALKS_FLOOR]
    return {max(talks, key=lambda pair: pair[0])[1]} if talks else set()


def _places_by_sentence(recognised: Sequence[tuple[Toponym, Mention]]) -> dict[int, list[Toponym]]:
    """Sentence index -> the places it names, in text order; a name inside an organisation's is none (the Minsk
    Group names Minsk, but nothing happens there)."""
    by_sentence: dict[int, list[Toponym]] = {}
    for toponym, mention in recognised:
        if "org" not in mention.objections:
            by_sentence.setdefault(mention.sentence, []).append(toponym)
    return by_sentence


def _next_if_same_places(spans: Sequence[Sentence], index: int, by_sentence: dict[int, list[Toponym]]) -> list[str]:
    """The next sentence, as the one that may tell the toll of sentence ``index``, unless it names a town of its
    own ("A drone hit a car in Rylsk district. In Glushkovo district two were wounded": the toll is Glushkovo's);
    the region or country around (the governor "of the Kherson region" who tells it) is none."""
    if index + 1 >= len(spans):
        return []
    here = [t.place for t in by_sentence.get(index, ())]
    own = [t.place for t in by_sentence.get(index + 1, ())
           if t.place.kind in ("city", "district") and all(t.place.key != p.key for p in here)]
    return [] if own else [spans[index + 1].text]


def _own_tolls(lexicon: Lexicon, text: str, named: Sequence[Toponym],
               told: Sequence[tuple[Place, Toponym, str, tuple[int | None, int | None]]]
               ) -> list[tuple[int | None, int | None]]:
    """Each (place, its mention, family, toll) of one sentence without a figure the sentence gives alike to the
    places of one family at its finest level when it lists the place with another it names (``named``): a total
    over them ("36 died in strikes on A and B", "6 killed in the Zaporizhzhia and Dnipro regions"), no place's own
    figure.  Figures told apart ("five in A, two in B"), "no casualties", and a place named apart from the others
    ("medics in A said strikes on B killed 11") keep theirs; a region or country beside a town is no second place."""
    finest: dict[str, int] = {}
    for place, _, family, _ in told:
        finest[family] = min(finest.get(family, place.geo_precision), place.geo_precision)
    given: dict[tuple[str, int], set[int | None]] = {}
    for _, _, family, toll in told:
        for kind, figure in enumerate(toll):
            given.setdefault((family, kind), set()).add(figure)
    return [tuple(None if figure and place.geo_precision == finest[family] and given[(family, kind)] == {figure}
                  and _listed(lexicon, text, mention, place, named) else figure
                  for kind, figure in enumerate(toll))  # type: ignore[misc]
            for place, mention, family, toll in told]


_LIST_REACH = 12  # words between two places of one list ("A, in the north of the Strip, and B")


def _listed(lexicon: Lexicon, text: str, mention: Toponym, place: Place, named: Sequence[Toponym]) -> bool:
    """Whether a list word ("and", "و" joined to the name) joins the place to another of ``named`` as fine as it,
    with at most :data:`_LIST_REACH` words between."""
    for other in named:
        if other.place.key in (place.key, mention.place.key) or other.place.geo_precision > place.geo_precision:
            continue
        (_, end), (start, _) = sorted([(mention.start, mention.end), (other.start, other.end)])
        if start < end:
            continue
        words = tokenize(text, end, start)
        clitic = re.search(r"(\w+)$", text[max(0, start - 3):start])  # Arabic "وخان يونس": "و" before the name
        if len(words) <= _LIST_REACH + 1 and (any(lexicon.is_word("list", w.text) for w in words) or (
                clitic is not None and lexicon.is_word("list", clitic.group(1)))):
            return True
    return False


def _ruled_out(candidate: Candidate) -> bool:
    """Whether the contract rules the candidate out whatever the model says (see :data:`_NEVER`)."""
    features = candidate.features
    return any(features[k] for k in _NEVER) or (
        bool(features[_POSSESSIVE]) and candidate.toponym.place.kind == "country")


def _distance(candidate: Candidate) -> float:
    """Words between a candidate's trigger and its place (its log-gap feature, exact enough to rank)."""
    return candidate.features[_LOG_GAP]


#: The kinds of remote fire a sentence may list side by side, each an event of its own (the registry's ``fire``).
_REMOTE_FIRE = frozenset(name for name, t in EVENT_TYPES.items() if t.fire)


_SMALL_TOWN = 100_000  # people
_FAR_KM = 1_000


def _far_namesakes(named: dict[str, Place]) -> set[str]:
    """The keys of the places in ``named`` (an article's places by key) that are namesakes abroad of a village the
    gazetteer lacks (Trianon in New Caledonia in a story from Haiti), not where the news happened: a small town
    (under :data:`_SMALL_TOWN` people) of a country no other place of the article lies in, over :data:`_FAR_KM`
    from each other place, while two other places lie that near each other (the story's own ground)."""
    places = list(named.values())
    countries: dict[str | None, int] = {}
    for place in places:
        countries[place.country_iso2] = countries.get(place.country_iso2, 0) + 1
    lonely = [p for p in places if p.kind == "city" and p.population < _SMALL_TOWN and countries[p.country_iso2] == 1]
    if not lonely:
        return set()
    far = {town.key for town in lonely if all(town.km_to(p) > _FAR_KM for p in places if p is not town)}
    # a pair within reach of each other holds no far town, so the story's ground is any such pair
    grounded = bool(far) and any(a.km_to(b) <= _FAR_KM for k, a in enumerate(places) for b in places[k + 1:])
    return far if grounded else set()


def _with_listed(event_type: str, listed: frozenset[str]) -> tuple[str, ...]:
    """The event's type, and the other kind of remote fire the text lists beside it when it is one of them."""
    if event_type not in listed:
        return (event_type,)
    return (event_type, *sorted(listed - {event_type}))


def _headed_for(candidate: Candidate) -> bool:
    """Whether the text names the place as where an event of a destination type goes: "arrived in Beijing"."""
    return bool(candidate.features[_DESTINATION])


def _region_word(lexicon: Lexicon, tokens: Sequence[Token], toponym: Toponym,
                 places: Sequence[Toponym] = (), *, after_only: bool = False) -> str | None:
    """The region word that makes the name a region: "Kharkiv region", "Херсонської області", "the region of
    Idlib", "محافظة إدلب", and each name of a list the region word closes ("the Kharkiv and Sumy regions",
    "Марганецькій, Покровській та Мирівській громадах"); None for a town before a region's name, in that region
    ("Pokrovsk, Donetsk region", "Нікополь Дніпропетровської області"), no region itself.  ``after_only``: a
    region word after the name only."""
    k = token_at(tokens, toponym.start)
    if k is None:
        return None
    before = [] if after_only else [tokens[j].text for j in range(max(0, k - 2), k)]
    if before and lexicon.is_word("region", before[-1]):
        return None if _named_before(tokens, k - 1) else before[-1]
    if len(before) == 2 and lexicon.is_word("region", before[0]) and lexicon.is_word("fillers", before[1]):
        return None if _named_before(tokens, k - 2) else before[0]
    starts = {p.start for p in places}
    past = k
    while past < len(tokens):
        while past < len(tokens) and tokens[past].start < toponym.end:
            past += 1
        if past >= len(tokens):
            return None
        if (at := lexicon.region_word_at([t.text for t in tokens[past:past + 2]])) is not None:
            return tokens[past + at].text
        # over a list word to the next listed place: "Kharkiv and Sumy regions"
        listed = lexicon.is_word("list", tokens[past].text) and past + 1 < len(tokens) \
            and tokens[past + 1].start in starts
        if listed:
            past += 1
        if tokens[past].start not in starts:
            return None
        following = next(p for p in places if p.start == tokens[past].start)
        if not listed and _unit_of(following.place, toponym.place):
            return None  # "Pokrovsk, Donetsk region": the region is Donetsk's, Pokrovsk a town in it
        toponym = following
    return None


def _named_before(tokens: Sequence[Token], region_word: int) -> bool:
    """Whether a name opens the region word's phrase: "the Kyivskyi district of Kharkiv", "Киевского района
    Донецка" name a district of the town after them, no region of it."""
    return region_word > 0 and tokens[region_word - 1].text[:1].isupper()


def _unit_of(unit: Place, town: Place) -> bool:
    """Whether ``unit`` reads as the admin-1 unit ``town`` lies in: the unit, or its namesake seat."""
    return (unit.kind == "admin1" or (unit.kind == "city" and unit.rank == 1)) and unit is not town \
        and unit.country_iso2 == town.country_iso2 and unit.admin1_code == town.admin1_code


def _figurative(lexicon: Lexicon, tokens: Sequence[Token]) -> bool:
    """Whether the sentence speaks of sport or the economy (a pack's ``figurative`` word) and names no
    weapon, fighter, victim, toll or nationality: "a blow to the economy", "Spartak's attack"."""
    if not any(lexicon.is_word("figurative", t.text) for t in tokens):
        return False
    violent = {name for name, t in EVENT_TYPES.items() if t.figurative}
    return not any(violent.intersection(lexicon.cue_types(t.text)) or lexicon.demonym(t.text)
                   or any(lexicon.is_word(w, t.text) for w in ("forces", "killed", "injured")) for t in tokens)


def _lender(text: str, spans: Sequence[Sentence], index: int, by_sentence: dict[int, list[Toponym]],
            title: bool) -> int | None:
    """The sentence whose places a sentence naming none borrows: the one right before it, else the nearest before
    it in its paragraph ("... in central Lviv. Police were called. 25 people were injured"), else the headline, or
    the lede when no headline stands apart and the lede names a place ("A deal was signed in Doha ..." and, lines
    later, "the ministers were received by the emir for talks")."""
    if index and by_sentence.get(index - 1):
        return index - 1
    for before in range(index - 1, -1, -1):
        if "\n" in text[spans[before].end:spans[before + 1].start]:
            break
        if by_sentence.get(before):
            return before
    return 0 if title or by_sentence.get(0) else None


def _is_title(text: str, sentence: Sentence) -> bool:
    """The first line of an article, set apart by a blank line: its headline."""
    return text[sentence.end:sentence.end + 3].lstrip(" \t").startswith("\n\n") or \
        text[sentence.end:].lstrip(" \t")[:2] == "\n\n"


def _line_of(text: str, toponym: Toponym) -> tuple[int, int]:
    start = text.rfind("\n", 0, toponym.start) + 1
    end = text.find("\n", toponym.end)
    return start, len(text) if end < 0 else end


def _without_coarse_twins(events: list[Event]) -> list[Event]:
    """Drop a coarser event when the article places the same family finer inside it: a country or an
    admin-1 unit holding a town event of the family; a named area with one within :data:`_AREA_KM` of its
    point (the Gaza Strip beside Khan Younis); a district with one at its seat ("Izmail district" beside
    Izmail).  When a single town event stands for the twin, it takes the twin's casualty figures it lacks
    ("an air strike in Sudan killed twelve" beside "the strike hit a market in El Obeid")."""
    towns: dict[tuple[str, str | None], list[Event]] = {}  # (family, country) -> its town events
    for e in events:
        if e.place.kind in ("city", LOCALITY):
            towns.setdefault((EVENT_TYPES[e.event_type].family, e.place.country_iso2), []).append(e)
    kept = []
    for e in events:
        family, country = EVENT_TYPES[e.event_type].family, e.place.country_iso2
        inside = [t for t in (towns.get((family, country), ()) if country else ()) if _holds(e.place, t.place)]
        if not inside:
            kept.append(e)
            continue
        if len({t.place for t in inside}) == 1:
            for town in inside:
                town.fatalities = town.fatalities if town.fatalities is not None else e.fatalities
                town.injured = town.injured if town.injured is not None else e.injured
    return kept


def _holds(coarse: Place, town: Place) -> bool:
    """Whether a town of the same country lies inside a coarser place of an event: the country, its admin-1 unit,
    a named area within :data:`_AREA_KM` of its point or a district at the town (its seat)."""
    if coarse.kind == "country":
        return True
    if coarse.kind == "admin1":
        return coarse.admin1_code == town.admin1_code
    reach = {"area": _AREA_KM, "district": _SEAT_KM}.get(coarse.kind)
    return reach is not None and town.km_to(coarse) <= reach


_AREA_KM = 100.0  # a town this near a named area's point lies in it (the areas we name are regions, not states)
_SEAT_KM = 1.0  # a district's point is its seat town's
