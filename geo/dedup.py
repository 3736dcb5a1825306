"""Merging the reports of one event: same type, same place, same day (or both undated); a visit
or meeting at one place over consecutive days is one event from ``date`` to ``date_end``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import replace

from .model import Event, highest_figure, output_order

__all__ = ["deduplicate"]

#: A report dated only by its article's publication (a headline, "the latest shelling") is the
#: same event as one of the same type and place dated explicitly up to this many days before.
PUBLISHED_LAG_DAYS = 3
#: Event types that can last several days at one place (one event from ``date`` to ``date_end``).
SPANNING_TYPES = ("visit", "meeting")


def deduplicate(events: Iterable[Event]) -> list[Event]:
    """One event per (type, place, date), carrying every source; deterministic order.

    Reports from different articles count as independent evidence (noisy-or: two
    sources at 0.6 give 0.84); a second sentence of the same article does not add
    to the confidence.  Actors are the union, actor mentions too (in order of first
    appearance); the place mention is the first source's.  ``fatalities`` and ``injured``
    are the highest figure the merged events or their sources give (tolls grow as reports
    come in), None if none gives one; each source keeps its own.
    """
    merged: dict[tuple[str, str, str], tuple[Event, _Held]] = {}
    for original_id, event in _redate(list(events)):
        found = merged.get(event.dedup_key)
        if found is None:
            kept = replace(event, sources=list(event.sources),
                           aliases=_aliases(event.aliases, original_id, event.event_id))
            merged[event.dedup_key] = (kept, _Held(kept))
        else:
            _absorb(*found, event, original_id)
    result = []
    for event in _join_days([kept for kept, _ in merged.values()]):
        event.sources.sort(key=lambda s: (s.article_id, s.start, s.end))
        first = event.sources[0]
        event.place_mention = first.sentence[first.start - first.sentence_start:first.end - first.sentence_start]
        event.confidence = round(min(event.confidence, 0.99), 3)
        event.fatalities = highest_figure(event.fatalities, *(s.fatalities for s in event.sources))
        event.injured = highest_figure(event.injured, *(s.injured for s in event.sources))
        result.append(event)
    return sorted(result, key=output_order)


def _aliases(known: tuple[str, ...], *ids: str) -> tuple[str, ...]:
    """``known`` and ``ids`` once each, in order, without the last id (the event's own)."""
    *others, own = ids
    return tuple(i for i in dict.fromkeys((*known, *others)) if i != own)


class _Held:
    """What a merged event holds already (its aliases, articles and source spans), kept beside it so that merging
    one more report costs the same however many came before (an event told by thousands of sentences or
    articles)."""

    def __init__(self, kept: Event) -> None:
        self.aliases = set(kept.aliases)
        self.articles = {s.article_id for s in kept.sources}
        self.spans = {(s.article_id, s.start, s.end) for s in kept.sources}


def _absorb(kept: Event, held: _Held, event: Event, original_id: str) -> None:
    """Merge ``event`` (reported as ``original_id`` before any redating) into ``kept``, in place (``held``: what
    ``kept`` holds, updated too)."""
    # the aliases of kept, then those of event and its ids not among them, once each, never kept's own id
    more = [i for i in dict.fromkeys((*event.aliases, original_id, event.event_id))
            if i != kept.event_id and i not in held.aliases]
    kept.aliases = (*kept.aliases, *more)
    held.aliases.update(more)
    fresh = [s for s in event.sources if (s.article_id, s.start, s.end) not in held.spans]
    if any(s.article_id not in held.articles for s in fresh):
        kept.confidence = 1 - (1 - kept.confidence) * (1 - event.confidence)
    else:
        kept.confidence = max(kept.confidence, event.confidence)
    kept.sources.extend(fresh)
    held.spans.update((s.article_id, s.start, s.end) for s in fresh)
    held.articles.update(s.article_id for s in fresh)
    kept.actors = tuple(sorted(set(kept.actors) | set(event.actors)))
    kept.actor_mentions = tuple(dict.fromkeys((*kept.actor_mentions, *event.actor_mentions)))
    kept.fatalities = highest_figure(kept.fatalities, event.fatalities)
    kept.injured = highest_figure(kept.injured, event.injured)
    kept.date_end = max(filter(None, (kept.date_end, event.date_end, event.date if event.date != kept.date else None)),
                        default=None)


def _join_days(events: list[Event]) -> list[Event]:
    """Visits and meetings of one type at one place on consecutive days (day precision) made one
    event dated from the first day, ``date_end`` the last; the other days' ids become aliases."""
    runs: dict[tuple[str, str], list[Event]] = {}
    result = []
    for event in events:
        if event.event_type in SPANNING_TYPES and event.date_precision == "day" and event.date:
            runs.setdefault((event.event_type, event.place_key), []).append(event)
        else:
            result.append(event)
    for days in runs.values():
        days.sort(key=lambda e: e.date)
        kept, held = days[0], _Held(days[0])
        for event in days[1:]:
            if _next_day(kept.date_end or kept.date) >= event.date:
                _absorb(kept, held, event, event.event_id)
            else:
                result.append(kept)
                kept, held = event, _Held(event)
        result.append(kept)
    return result


def _next_day(date: str) -> str:
    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=1)).isoformat()




def _redate(events: list[Event]) -> list[tuple[str, Event]]:
    """Give events dated only by publication the explicit date of the same event, if one is near;
    each with the id it had before."""
    explicit: dict[tuple[str, str], list[str]] = {}
    for event in events:
        if event.date and event.date_precision == "day":
            explicit.setdefault((event.event_type, event.place_key), []).append(event.date)
    result = []
    for event in events:
        original_id = event.event_id
        if event.date_precision == "published" and event.date:
            published = datetime.date.fromisoformat(event.date)
            earliest = (published - datetime.timedelta(days=PUBLISHED_LAG_DAYS)).isoformat()
            near = [d for d in explicit.get((event.event_type, event.place_key), []) if earliest <= d <= event.date]
            if near:
                event = replace(event, date=max(near), date_precision="day")
        result.append((original_id, event))
    return result
