"""Event detection per sentence: trigger words, the place the sentence says it happened at,
actors, date and a confidence.

A sentence with a trigger of some event type (``lexicons/triggers.toml``) yields an event
at each place that *fits* it: the place hit, where the meeting was held, the destination
of the visit.  A place fits when a locative word introduces it ("in Rabat", "на Гянджу",
"في الرباط"), when it is the trigger's object ("liberated Jabrayil", "visit to Azerbaijan",
"shelling of Stepanakert") or the subject of a passive trigger ("Stepanakert was
bombed"), and places listed with a fitting one ("Stepanakert, Shusha and Martuni") fit
too.  A place never fits when it is an actor — followed by a speech verb ("Baku denies",
"Moscow said"), a possessive ("Azerbaijan's minister"), after "by" ("bombed by
Azerbaijan") — or the dateline ("BAKU, Oct. 4 —").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer.normalize import fold

from .dates import event_date, parse_published, published_from_text
from .lexicon import Lexicon, Trigger, _strip_arabic_prefixes, load_lexicon
from .model import Article, Event, Source, Toponym
from .recognize import Mention
from .text import Sentence, Token, sentences, tokenize

__all__ = ["EventDetector"]

_FILLERS = frozenset(fold(w) for w in (
    "the", "city", "town", "village", "capital", "regional", "of", "district", "region", "province", "area",
    "outskirts", "centre", "center", "la", "le", "les", "ville", "village", "région", "город", "города", "село",
    "села", "района", "район", "области", "столицу", "столице", "مدينة", "مدينه", "بلدة", "بلده", "قرية", "قريه",
    "إقليم", "اقليم", "منطقة", "منطقه", "العاصمة", "العاصمه", "محافظة", "محافظه", "de", "du", "des", "d",
))
_AGENT = frozenset(fold(w) for w in ("by", "par", "from", "de la part", "со стороны", "من قبل"))
_LIST_GAP = re.compile(r"^\s*(?:,|and|et|и|or|ou|или|،)?\s*(?:,|and|et|и|or|ou|или|و|،)?\s*$")
_DATELINE_GAP = re.compile(r"^\s*(?:\(|,|—|–|-|:)")
_OBJECT_WINDOW = 0  # content words between a trigger and its object ("liberated the town of Jabrayil": 0)
_VENUE_WINDOW = 12  # content words from a trigger to a later "in X"
_BEFORE_WINDOW = 5  # content words from an earlier "in X" to the trigger
_SPEAKER_WINDOW = 9  # the same for a statement after a fronted venue ("At a briefing in Baku, a spokeswoman ...")
_IRREALIS_WINDOW = 8
# When two triggers fit a place equally, the more specific type wins ("drone strike": airstrike).
_SPECIFICITY = {"airstrike": 5, "shelling": 4, "clash": 3, "visit": 2, "meeting": 1, "statement": 0}
_LIST_WINDOW = 8  # words between two listed places ("Stepanakert and Azerbaijan's second city, Ganja")
_MIN_FIT = 0.5
_LIST_FACTOR = 0.85
_PLACE_TYPES_NEEDING_VENUE = ("meeting", "statement")


@dataclass(frozen=True)
class _Hit:
    trigger: Trigger
    token: int  # index of the trigger's first word in the sentence tokens
    end_token: int


class EventDetector:
    """Finds events in an article's sentences, given its recognised toponyms."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self._by_first: dict[str, list[Trigger]] = {}
        for trigger in self.lexicon.triggers:
            self._by_first.setdefault(trigger.words[0][:3], []).append(trigger)

    def detect(self, article: Article, recognised: Sequence[tuple[Toponym, Mention]]) -> list[Event]:
        """Events of one article, one per (type, place) per sentence."""
        text = article.text
        published = parse_published(article.published) or published_from_text(text)
        by_sentence: dict[int, list[Toponym]] = {}
        for toponym, mention in recognised:
            by_sentence.setdefault(mention.sentence, []).append(toponym)
        events: list[Event] = []
        for index, sentence in enumerate(sentences(text)):
            places = by_sentence.get(index)
            if not places:
                continue
            tokens = tokenize(text, sentence.start, sentence.end)
            hits = [hit for hit in self._triggers(tokens) if not self._irrealis(tokens, hit)]
            if not hits:
                continue
            date, precision = event_date(sentence.text, lang=article.lang, published=published)
            for toponym, hit, fit in self._assign(text, tokens, hits, places):
                events.append(self._event(article, sentence, hit, toponym, fit, places, tokens, date, precision))
        return events

    # ------------------------------------------------------------------ triggers

    def _triggers(self, tokens: Sequence[Token]) -> list[_Hit]:
        keys = [fold(t.text) for t in tokens]
        bare = [_strip_arabic_prefixes(k) for k in keys]
        hits = []
        for i in range(len(tokens)):
            for candidate in {keys[i][:3], bare[i][:3]}:
                for trigger in self._by_first.get(candidate, ()):
                    end = _match(trigger, keys, bare, i)
                    if end is not None:
                        hits.append(_Hit(trigger, i, end))
        return hits

    def _irrealis(self, tokens: Sequence[Token], hit: _Hit) -> bool:
        """A planned, hoped-for or hypothetical event ("will meet", "bid to liberate")."""
        window = tokens[max(0, hit.token - _IRREALIS_WINDOW):hit.token]
        return any(self.lexicon.is_word("irrealis", token.text) for token in window)

    # ------------------------------------------------------------------ places

    def _assign(self, text: str, tokens: Sequence[Token], hits: list[_Hit],
                places: list[Toponym]) -> list[tuple[Toponym, _Hit, float]]:
        """Each place with the trigger it fits best, if any fits well enough."""
        starts = {t.start: k for k, t in enumerate(tokens)}
        positions = [_token_at(tokens, starts, toponym.start) for toponym in places]
        actors = self._actors(text, tokens, places, positions)
        best: dict[int, tuple[tuple[float, int, int], _Hit]] = {}
        for hit in hits:
            fits = [0.0 if (k is None or n in actors) else self._fit(text, tokens, k, places[n], hit)
                    for n, k in enumerate(positions)]
            _extend_lists(text, places, fits)
            for n, fit in enumerate(fits):
                if fit < _MIN_FIT or positions[n] is None:
                    continue
                rank = (fit, _SPECIFICITY[hit.trigger.event_type], -abs(positions[n] - hit.token))
                if n not in best or rank > best[n][0]:
                    best[n] = (rank, hit)
        chosen = [(places[n], hit, rank[0]) for n, (rank, hit) in sorted(best.items())]
        # a country only when the sentence places its event nowhere finer in that country
        finer = {(hit.trigger.event_type, t.place.country_iso2) for t, hit, _ in chosen if t.place.kind != "country"}
        chosen = [(t, hit, fit) for t, hit, fit in chosen
                  if t.place.kind != "country" or (hit.trigger.event_type, t.place.country_iso2) not in finer]
        unique: dict[tuple[str, str], tuple[Toponym, _Hit, float]] = {}
        for toponym, hit, fit in chosen:
            key = (hit.trigger.event_type, f"{toponym.place.kind}:{toponym.place.ref}")
            if key not in unique or fit > unique[key][2]:
                unique[key] = (toponym, hit, fit)
        return list(unique.values())

    def _actors(self, text: str, tokens: Sequence[Token], places: list[Toponym], positions: list[int | None]) -> set[int]:
        """Places the sentence uses as actors: "Baku denies", "Azerbaijan's minister", "accuses Yerevan",
        "bombed by Azerbaijan", the dateline, and a place written right after an actor ("تتهم باكو يريفان")."""
        lex = self.lexicon
        actors: set[int] = set()
        for n, (toponym, k) in enumerate(zip(places, positions)):
            if k is None:
                continue
            past = k + _span_tokens(tokens, k, toponym.end)
            after = tokens[past] if past < len(tokens) else None
            before = _before(tokens, k)
            if (_is_dateline(text, k, toponym)
                    or (after is not None and lex.is_word("speech", after.text))
                    or re.match(r"['’]s\b", text[toponym.end:toponym.end + 3])
                    or (before is not None and (fold(before.text) in _AGENT or lex.is_word("speech", before.text)))
                    or (n > 0 and n - 1 in actors and not text[places[n - 1].end:toponym.start].strip())):
                actors.add(n)
        return actors

    def _fit(self, text: str, tokens: Sequence[Token], k: int, toponym: Toponym, hit: _Hit) -> float:
        """How well the sentence says the event of ``hit`` happened at this place, 0..1."""
        lex = self.lexicon
        event_type = hit.trigger.event_type
        if toponym.place.kind == "continent":
            return 0.0
        before = _before(tokens, k)
        word = before.text if before is not None else ""
        locative = before is not None and (lex.is_word("locative", word) or lex.is_word("locative", _strip_clitic(word)))
        venue = before is not None and (lex.is_word("venue", word) or lex.is_word("venue", _strip_clitic(word)))
        destination = before is not None and lex.is_word("destination", word)
        clitic_in = toponym.start > tokens[k].start and text[toponym.start - 1] in "بل"  # بالرباط, لباكو
        after_trigger = k > hit.end_token
        gap = _content_words(tokens, hit.end_token + 1, k) if after_trigger else _content_words(tokens, k + 1, hit.token)
        if event_type == "visit":
            if after_trigger and (destination or clitic_in or gap <= 1):
                return 1.0  # "visit to Azerbaijan", "visited Baku", "زيارة إلى"
            if (venue or clitic_in) and not after_trigger and gap <= _BEFORE_WINDOW:
                return 0.8  # "arrived in Baku for a visit"
            return 0.6 if locative and after_trigger else 0.0
        if toponym.place.kind == "country" and event_type != "meeting":
            # "fighting in Azerbaijan"; never "in Azerbaijan since the fighting began"
            return 1.0 if (venue or clitic_in) and after_trigger and gap <= _VENUE_WINDOW else 0.0
        if event_type in _PLACE_TYPES_NEEDING_VENUE or toponym.place.kind == "country":
            fronted = event_type == "statement" and "," in text[toponym.end:tokens[hit.token].start]
            before_window = _SPEAKER_WINDOW if fronted else _BEFORE_WINDOW
            near = gap <= _VENUE_WINDOW if after_trigger else gap <= before_window
            return 1.0 if (venue or clitic_in) and near else 0.0  # "talks in Rabat"
        if locative or clitic_in:
            return 1.0 if (gap <= _VENUE_WINDOW if after_trigger else gap <= _BEFORE_WINDOW) else 0.0
        if after_trigger and before is not None and lex.is_word("enumeration", word):
            return 0.9  # "shelling on big cities, including Stepanakert"
        if after_trigger and gap <= _OBJECT_WINDOW:
            return 0.9  # "liberated the town of Jabrayil", "shelling Ganja"
        between = tokens[k + _span_tokens(tokens, k, toponym.end):hit.token]
        if not after_trigger and between and all(lex.is_word("passive", t.text) for t in between):
            return 0.8  # "Stepanakert was bombed", "Гянджа снова под обстрелом"
        return 0.0

    # ------------------------------------------------------------------ events

    def _event(self, article: Article, sentence: Sentence, hit: _Hit, toponym: Toponym, fit: float,
               places: list[Toponym], tokens: Sequence[Token], date: str | None, precision: str | None) -> Event:
        event_type = hit.trigger.event_type
        actors = set()
        for other in places:
            if other.place.kind == "country" and other.place != toponym.place and other.place.country_iso2:
                actors.add(other.place.country_iso2)
        for token in tokens:
            if iso := self.lexicon.demonym(token.text):
                actors.add(iso)
        confidence = round(min(1.0, hit.trigger.weight * (0.6 + 0.4 * fit) * (0.7 + 0.3 * min(1.0, toponym.score / 0.8))), 3)
        source = Source(article_id=article.article_id, sentence=sentence.text, start=toponym.start, end=toponym.end,
                        sentence_start=sentence.start, title=article.title, url=article.url)
        return Event(event_type=event_type, place=toponym.place, place_mention=toponym.mention, date=date,
                     date_precision=precision, actors=tuple(sorted(actors)), confidence=confidence, sources=[source])


def _match(trigger: Trigger, keys: list[str], bare: list[str], i: int) -> int | None:
    """Index past the trigger's last word if it matches the tokens at ``i``, else None."""
    words = trigger.words
    if i + len(words) > len(keys):
        return None
    for n, word in enumerate(words):
        last = n == len(words) - 1
        ok = False
        for key in (keys[i + n], bare[i + n]):
            if key == word or (last and trigger.stem and key.startswith(word)):
                ok = True
        if not ok:
            return None
    return i + len(words) - 1


def _listed_after(text: str, previous: Toponym, toponym: Toponym) -> bool:
    """Whether ``toponym`` continues a list that ``previous`` is in: "A, B and C", "A and X's city, B"."""
    gap = text[previous.end:toponym.start]
    if _LIST_GAP.match(gap):
        return True
    return (toponym.place.kind == "city" and bool(re.match(r"\s*(?:,|and\b|et\b|и\b|و)", gap))
            and len(gap.split()) <= _LIST_WINDOW and not re.search(r"[.;:!?]", gap))


def _token_at(tokens: Sequence[Token], starts: dict[int, int], offset: int) -> int | None:
    if offset in starts:
        return starts[offset]
    for k, token in enumerate(tokens):  # a mention that starts after an Arabic clitic
        if token.start <= offset < token.end:
            return k
    return None


def _span_tokens(tokens: Sequence[Token], k: int, end: int) -> int:
    n = 1
    while k + n < len(tokens) and tokens[k + n].start < end:
        n += 1
    return n


def _strip_clitic(word: str) -> str:
    return word[1:] if len(word) > 2 and word[0] in "وفبلك" else word


def _extend_lists(text: str, places: list[Toponym], fits: list[float]) -> None:
    """Places listed after a fitting place fit almost as well as it does ("A, B and C"); a
    place's own fit to another trigger still wins over one borrowed from a list."""
    anchor: int | None = None
    for n, toponym in enumerate(places):
        borrowed = fits[anchor] * _LIST_FACTOR if anchor is not None else 0.0
        if fits[n] < borrowed and _listed_after(text, places[anchor], toponym):
            fits[n] = borrowed
        if fits[n] >= _MIN_FIT and toponym.place.kind != "country":
            anchor = n


def _before(tokens: Sequence[Token], k: int) -> Token | None:
    """The word before token ``k``, skipping fillers ("in the regional capital Stepanakert")."""
    j = k - 1
    while j >= 0 and fold(tokens[j].text) in _FILLERS:
        j -= 1
    return tokens[j] if j >= 0 else None


def _content_words(tokens: Sequence[Token], start: int, end: int) -> int:
    """Words between two positions that are not fillers (nor quotes' words such as "the")."""
    return sum(1 for t in tokens[max(0, start):max(0, end)] if fold(t.text) not in _FILLERS)


def _is_dateline(text: str, k: int, toponym: Toponym) -> bool:
    """A place that opens a line and is followed by a comma, a dash or a parenthesis: the dateline."""
    line_start = text.rfind("\n", 0, toponym.start) + 1
    return not text[line_start:toponym.start].strip() and bool(_DATELINE_GAP.match(text[toponym.end:toponym.end + 3])) \
        and (toponym.mention.isupper() or k == 0)

