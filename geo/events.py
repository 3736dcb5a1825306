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
_PASSIVE_WINDOW = 4
_OBJECT_WINDOW = 4
_VENUE_WINDOW = 12
_LIST_WINDOW = 8  # words between two listed places ("Stepanakert and Azerbaijan's second city, Ganja")
_MIN_FIT = 0.5
_PLACE_TYPES_NEEDING_LOCATIVE = ("meeting", "statement")


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
        spans = sentences(text)
        events: list[Event] = []
        by_sentence: dict[int, list[tuple[Toponym, Mention]]] = {}
        for toponym, mention in recognised:
            by_sentence.setdefault(mention.sentence, []).append((toponym, mention))
        for index, sentence in enumerate(spans):
            places = by_sentence.get(index)
            if not places:
                continue
            tokens = tokenize(text, sentence.start, sentence.end)
            hits = self._triggers(tokens)
            if not hits:
                continue
            date, precision = event_date(sentence.text, lang=article.lang, published=published)
            for event_type, hit in _strongest_per_type(hits).items():
                for toponym, fit in self._fitting_places(text, sentence, tokens, hit, places, index == 0):
                    events.append(self._event(article, sentence, event_type, hit, toponym, fit, places, tokens,
                                              date, precision))
        return events

    # ------------------------------------------------------------------ triggers

    def _triggers(self, tokens: list[Token]) -> list[_Hit]:
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

    # ------------------------------------------------------------------ places

    def _fitting_places(self, text: str, sentence: Sentence, tokens: list[Token], hit: _Hit,
                        places: list[tuple[Toponym, Mention]], first_sentence: bool) -> list[tuple[Toponym, float]]:
        event_type = hit.trigger.event_type
        starts = {t.start: k for k, t in enumerate(tokens)}
        fits: list[tuple[Toponym, float]] = []
        for toponym, _mention in places:
            k = _token_at(tokens, starts, toponym.start)
            if k is None:
                continue
            fits.append((toponym, self._fit(text, tokens, k, toponym, hit, event_type, first_sentence)))
        # places listed after a fitting place fit as well as it does
        anchor: tuple[Toponym, float] | None = None
        for n, (toponym, fit) in enumerate(fits):
            if anchor is not None and fit < anchor[1] and _listed_after(text, anchor[0], toponym):
                fits[n] = (toponym, anchor[1])
            if fits[n][1] >= _MIN_FIT and toponym.place.kind != "country":
                anchor = fits[n]
        chosen = [(t, f) for t, f in fits if f >= _MIN_FIT]
        # a country only when the sentence places the event nowhere finer
        if any(t.place.kind != "country" for t, _ in chosen) and event_type not in ("visit",):
            chosen = [(t, f) for t, f in chosen if t.place.kind != "country"]
        best: dict[str, tuple[Toponym, float]] = {}
        for toponym, fit in chosen:
            key = f"{toponym.place.kind}:{toponym.place.ref}"
            if key not in best or fit > best[key][1]:
                best[key] = (toponym, fit)
        return list(best.values())

    def _fit(self, text: str, tokens: list[Token], k: int, toponym: Toponym, hit: _Hit, event_type: str,
             first_sentence: bool) -> float:
        """How well the sentence says the event happened at this place, 0..1."""
        lex = self.lexicon
        past = k + _span_tokens(tokens, k, toponym.end)
        after = tokens[past] if past < len(tokens) else None
        if _is_dateline(text, tokens, k, toponym):
            return 0.0
        if after is not None and lex.is_word("speech", after.text) and not hit.token > k:
            return 0.0  # "Baku denies ...": an actor
        if re.match(r"['’]s\b", text[toponym.end:toponym.end + 3]):
            return 0.0  # "Azerbaijan's foreign minister"
        j = k - 1
        while j >= 0 and fold(tokens[j].text) in _FILLERS:
            j -= 1
        before = tokens[j] if j >= 0 else None
        if before is not None and fold(before.text) in _AGENT:
            return 0.0  # "bombed by Azerbaijan"
        locative = before is not None and (lex.is_word("locative", before.text)
                                           or lex.is_word("locative", _strip_clitic(before.text)))
        venue = before is not None and (lex.is_word("venue", before.text) or lex.is_word("venue", _strip_clitic(before.text)))
        destination = before is not None and lex.is_word("destination", before.text)
        clitic_in = toponym.start > 0 and text[toponym.start - 1] in "بل" and tokens[k].start < toponym.start
        distance = k - hit.end_token if k > hit.token else hit.token - k
        if event_type == "visit":
            if destination or clitic_in or (k > hit.token and distance <= 2):
                return 1.0
            return 0.6 if locative and k > hit.token else 0.0
        if toponym.place.kind == "continent":
            return 0.0
        if event_type in _PLACE_TYPES_NEEDING_LOCATIVE or toponym.place.kind == "country":
            # "talks in Rabat", "fighting in Azerbaijan", near enough to the trigger
            return 1.0 if (venue or clitic_in) and distance <= _VENUE_WINDOW else 0.0
        if locative or clitic_in:
            return 1.0 if distance <= _VENUE_WINDOW else 0.7
        if before is not None and k > hit.token and lex.is_word("enumeration", before.text):
            return 0.9  # "shelling on big cities, including Stepanakert"
        if k > hit.token and distance <= _OBJECT_WINDOW:
            return 0.9  # "liberated Jabrayil", "shelling Ganja"
        if k < hit.token and distance <= _PASSIVE_WINDOW:
            return 0.8  # "Stepanakert was bombed"
        return 0.0

    # ------------------------------------------------------------------ events

    def _event(self, article: Article, sentence: Sentence, event_type: str, hit: _Hit, toponym: Toponym, fit: float,
               places: list[tuple[Toponym, Mention]], tokens: list[Token], date: str | None,
               precision: str | None) -> Event:
        actors = set()
        for other, _ in places:
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


def _strongest_per_type(hits: list[_Hit]) -> dict[str, _Hit]:
    best: dict[str, _Hit] = {}
    for hit in hits:
        current = best.get(hit.trigger.event_type)
        if current is None or hit.trigger.weight > current.trigger.weight:
            best[hit.trigger.event_type] = hit
    # shelling/airstrike words also describe the fighting: keep the most specific type only
    if "airstrike" in best and "shelling" in best:
        del best["shelling"]
    if ("shelling" in best or "airstrike" in best) and "clash" in best:
        del best["clash"]
    return best


def _listed_after(text: str, previous: Toponym, toponym: Toponym) -> bool:
    """Whether ``toponym`` continues a list that ``previous`` is in: "A, B and C", "A and X's city, B"."""
    gap = text[previous.end:toponym.start]
    if _LIST_GAP.match(gap):
        return True
    return (toponym.place.kind == "city" and bool(re.match(r"\s*(?:,|and\b|et\b|и\b|و)", gap))
            and len(gap.split()) <= _LIST_WINDOW and not re.search(r"[.;:!?]", gap))


def _token_at(tokens: list[Token], starts: dict[int, int], offset: int) -> int | None:
    if offset in starts:
        return starts[offset]
    for k, token in enumerate(tokens):  # a mention that starts after an Arabic clitic
        if token.start <= offset < token.end:
            return k
    return None


def _span_tokens(tokens: list[Token], k: int, end: int) -> int:
    n = 1
    while k + n < len(tokens) and tokens[k + n].start < end:
        n += 1
    return n


def _strip_clitic(word: str) -> str:
    return word[1:] if len(word) > 2 and word[0] in "وفبلك" else word


def _is_dateline(text: str, tokens: list[Token], k: int, toponym: Toponym) -> bool:
    """A place that opens a line and is followed by a comma, a dash or a parenthesis: the dateline."""
    line_start = text.rfind("\n", 0, toponym.start) + 1
    return not text[line_start:toponym.start].strip() and bool(_DATELINE_GAP.match(text[toponym.end:toponym.end + 3])) \
        and (toponym.mention.isupper() or k == 0)

