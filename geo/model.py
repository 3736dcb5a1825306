"""The values that flow from articles to events: Article, Toponym, Source, Event."""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gazetteer.place import Place

from .event_types import EVENT_TYPES as _REGISTRY
from .event_types import LAYERS

__all__ = ["Article", "Toponym", "Source", "Event", "EVENT_TYPES", "LAYERS", "layer_of", "acled_types", "count_by_type", "day_span",
           "output_order"]

#: The event types of the contract taxonomy, in registry order (``event_types.toml``).

EVENT_TYPES = tuple(_REGISTRY)


def layer_of(event_type: str) -> str:
    return LAYERS[event_type]


def acled_types(event_type: str) -> tuple[str | None, str | None]:
    """ACLED event type and sub-event type of one of our types (None where ACLED has none)."""
    entry = _REGISTRY[event_type]
    return entry.acled_event_type, entry.acled_sub_event_type


def day_span(date: str | None) -> tuple[str | None, str | None]:
    """The first and last day (``YYYY-MM-DD``) an ISO date of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` covers."""
    if not date:
        return None, None
    if len(date) == 10:
        return date, date
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:7])
        return f"{date}-01", f"{date}-{calendar.monthrange(year, month)[1]:02d}"
    return f"{date[:4]}-01-01", f"{date[:4]}-12-31"


def highest_figure(*figures: int | None) -> int | None:
    """The highest of the casualty figures given, None when none is: an event's figure is the highest
    any of its sources reports (tolls grow as reports come in)."""
    given = [figure for figure in figures if figure is not None]
    return max(given) if given else None


def output_order(event: "Event") -> tuple[str, str, str, str]:
    """The order events are output in: by type, date (undated first), place name and id, as the columns
    :data:`geo.frame.SORT_COLUMNS` sort a frame."""
    return (event.event_type, event.date or "", event.place.name, event.event_id)


def count_by_type(events: Iterable["Event"]) -> dict[str, int]:
    """Number of events per event_type, types sorted."""
    counts: dict[str, int] = {}
    for event in events:
        counts[event.event_type] = counts.get(event.event_type, 0) + 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read.  ``article_id`` is the file name without extension or the JSONL ``id``.

    ``published`` is an ISO 8601 date (``YYYY-MM-DD``) or None; ``lang`` an ISO 639-1 code.
    """

    article_id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str | None = None
    path: str | None = None

    @property
    def content_hash(self) -> str:
        """sha256 of everything that can change what is extracted from the article."""
        digest = hashlib.sha256()
        for part in (self.article_id, self.text, self.title, self.url, self.published, self.lang):
            digest.update((part or "").encode("utf-8", "surrogatepass") + b"\x00")
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place name recognised in a text: its span, the place it resolves to, how sure we are."""

    start: int
    end: int
    mention: str
    place: Place
    score: float
    method: str

    def as_json(self) -> dict[str, Any]:
        """The object of ``conflict-map parse --json`` (contract)."""
        p = self.place
        return {"start": self.start, "end": self.end, "name": self.mention, "geonameid": p.geonameid,
                "lat": p.lat, "lon": p.lon, "kind": p.kind, "country_iso2": p.country_iso2,
                "place": p.name, "score": round(self.score, 4)}


@dataclass(frozen=True, slots=True)
class Source:
    """Where an event is said: the article, and the sentence with the place mention in it.

    ``start``/``end`` are the place mention's offsets in the article text;
    ``sentence_start`` is the sentence's offset, so the mention sits at
    ``sentence[start - sentence_start : end - sentence_start]``.
    """

    article_id: str
    sentence: str
    start: int
    end: int
    sentence_start: int
    title: str | None = None
    url: str | None = None
    fatalities: int | None = None  # killed in this event, as this source reports it
    injured: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "title": self.title, "url": self.url, "sentence": self.sentence,
                "start": self.start, "end": self.end, "sentence_start": self.sentence_start,
                "fatalities": self.fatalities, "injured": self.injured}


@dataclass(slots=True)
class Event:
    """One event at one place, with every source that reports it.

    ``date`` is ISO 8601 (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) or None;
    ``date_precision`` is ``day``, ``month``, ``year``, ``published`` (the article's
    date stands in) or None.  ``actors`` are ISO2 codes of the perpetrator's or visitor's
    country, ``actor_mentions`` the phrases that name them ("Russian forces");
    ``fatalities``/``injured`` the highest figure any source reports (tolls grow as reports
    come in), None when no source gives one.  ``date_end`` is the last day of an event
    reported over consecutive days (a two-day visit), else None.  ``reviewed`` and ``note``
    come from the user's review file (:mod:`geo.review`); ``aliases`` are the ids of the
    reports merged into this event under another date, so a correction keyed by one of them
    still finds it; ``pinned_id`` keeps an event's id through a correction that changed its
    type or place.
    """

    event_type: str
    place: Place
    place_mention: str
    date: str | None
    date_precision: str | None
    actors: tuple[str, ...]
    confidence: float
    sources: list[Source] = field(default_factory=list)
    fatalities: int | None = None
    injured: int | None = None
    actor_mentions: tuple[str, ...] = ()
    date_end: str | None = None
    reviewed: bool = False
    note: str | None = None
    aliases: tuple[str, ...] = ()
    pinned_id: str | None = None

    @property
    def layer(self) -> str:
        return layer_of(self.event_type)

    @property
    def place_key(self) -> str:
        """Identity of the place for dedup (:attr:`gazetteer.place.Place.key`)."""
        return self.place.key

    @property
    def dedup_key(self) -> tuple[str, str, str]:
        return (self.event_type, self.place_key, self.date or "")

    @property
    def event_id(self) -> str:
        """A content hash of type, place and date: stable across runs and machines (or the pinned id)."""
        if self.pinned_id:
            return self.pinned_id
        return hashlib.sha256("|".join(self.dedup_key).encode()).hexdigest()[:16]

    def properties(self) -> dict[str, Any]:
        """The feature properties of the output contract (geometry aside)."""
        p = self.place
        acled_event_type, acled_sub_event_type = acled_types(self.event_type)
        return {
            "event_id": self.event_id,
            "event_type": self.event_type,
            "layer": self.layer,
            "date": self.date,
            "date_precision": self.date_precision,
            "place_name": p.name,
            "place_mention": self.place_mention,
            "geonameid": p.geonameid,
            "geo_precision": p.geo_precision,
            "country_iso2": p.country_iso2,
            "admin1": p.admin1,
            "admin1_code": p.admin1_code,
            "area": None,
            "actors": list(self.actors),
            "actor_mentions": list(self.actor_mentions),
            "confidence": round(self.confidence, 3),
            "fatalities": self.fatalities,
            "injured": self.injured,
            "acled_event_type": acled_event_type,
            "acled_sub_event_type": acled_sub_event_type,
            "sources": [s.as_json() for s in self.sources],
            # after the properties of design.md's first contract list, so its order holds:
            "date_start": day_span(self.date)[0],
            "date_end": day_span(self.date_end or self.date)[1],
            "reviewed": self.reviewed,
            "note": self.note,
        }
