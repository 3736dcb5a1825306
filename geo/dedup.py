"""Merging the reports of one event: same type, same place, same day (or both undated)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .model import Event

__all__ = ["deduplicate"]


def deduplicate(events: Iterable[Event]) -> list[Event]:
    """One event per (type, place, date), carrying every source; deterministic order.

    Reports from different articles count as independent evidence (noisy-or: two
    sources at 0.6 give 0.84); a second sentence of the same article does not add
    to the confidence.  Actors are the union; the place mention is the first source's.
    """
    merged: dict[tuple[str, str, str], Event] = {}
    for event in events:
        kept = merged.get(event.dedup_key)
        if kept is None:
            merged[event.dedup_key] = replace(event, sources=list(event.sources))
            continue
        articles = {s.article_id for s in kept.sources}
        known = {(s.article_id, s.start, s.end) for s in kept.sources}
        fresh = [s for s in event.sources if (s.article_id, s.start, s.end) not in known]
        if any(s.article_id not in articles for s in fresh):
            kept.confidence = 1 - (1 - kept.confidence) * (1 - event.confidence)
        else:
            kept.confidence = max(kept.confidence, event.confidence)
        kept.sources.extend(fresh)
        kept.actors = tuple(sorted(set(kept.actors) | set(event.actors)))
    result = []
    for event in merged.values():
        event.sources.sort(key=lambda s: (s.article_id, s.start, s.end))
        first = event.sources[0]
        event.place_mention = first.sentence[first.start - first.sentence_start:first.end - first.sentence_start]
        event.confidence = round(min(event.confidence, 0.99), 3)
        result.append(event)
    return sorted(result, key=lambda e: (e.event_type, e.date or "", e.place.name, e.event_id))
