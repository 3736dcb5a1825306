"""The article-level decision: which (type, place) events an article as a whole reports.

The placement model judges one sentence; an article names its event place in the
headline, the lead and the body, and names background places once, in passing.  Each
(type, place) of an article gathers its sentence reports, and the features of the group
— the best and mean sentence probability, how many sentences report it, how often and
how early the article names the place, the headline, the place's kind, whether it is the
family's strongest place, casualty figures — feed the learned keep model
(``geo/models/event_keep.json``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer import LOCALITY

from .event_types import EVENT_TYPES
from .model import Event, Toponym

__all__ = ["Report", "ARTICLE_FEATURES", "group_reports", "group_features"]

_KINDS = ("city", LOCALITY, "admin1", "area", "country")
ARTICLE_FEATURES: tuple[str, ...] = (
    "bias", "max_p", "mean_p", "log_reports", "log_mentions", "mention_share", "in_title", "first_position",
    *(f"kind_{k}" for k in _KINDS), "family_top", "log_groups", "has_casualties", "has_day", "place_score",
    "place_top", "log_place_rivals",
)
_INDEX = {name: i for i, name in enumerate(ARTICLE_FEATURES)}


@dataclass
class Report:
    """One event as one sentence reports it, before the article-level decision."""

    event: Event
    probability: float
    sentence: int
    title: bool
    place_score: float


def group_reports(reports: Sequence[Report]) -> dict[tuple[str, str], list[Report]]:
    """Reports grouped by (event type, place), in order of first report."""
    groups: dict[tuple[str, str], list[Report]] = {}
    for report in reports:
        groups.setdefault((report.event.event_type, report.event.place_key), []).append(report)
    return groups


def group_features(groups: dict[tuple[str, str], list[Report]], toponyms: Sequence[Toponym],
                   n_sentences: int) -> dict[tuple[str, str], list[float]]:
    """The keep-model features of every group of one article."""
    mentions: dict[str, int] = {}
    for toponym in toponyms:
        mentions[toponym.place.key] = mentions.get(toponym.place.key, 0) + 1
    total = max(1, len(toponyms))
    best_of_family: dict[str, float] = {}
    for (event_type, _), reports in groups.items():
        family = EVENT_TYPES[event_type].family
        best_of_family[family] = max(best_of_family.get(family, 0.0), max(r.probability for r in reports))
    # the types one place gathers: a shelling, a clash and an explosion at one town are often one event told thrice
    best_at_place: dict[str, list[float]] = {}
    for (_, place), reports in groups.items():
        best_at_place.setdefault(place, []).append(max(r.probability for r in reports))
    result = {}
    for key, reports in groups.items():
        event_type, place = key
        event = reports[0].event
        top = max(r.probability for r in reports)
        f = [0.0] * len(ARTICLE_FEATURES)
        f[_INDEX["bias"]] = 1.0
        f[_INDEX["max_p"]] = top
        f[_INDEX["mean_p"]] = sum(r.probability for r in reports) / len(reports)
        f[_INDEX["log_reports"]] = math.log1p(len({r.sentence for r in reports}))
        f[_INDEX["log_mentions"]] = math.log1p(mentions.get(place, 0))
        f[_INDEX["mention_share"]] = mentions.get(place, 0) / total
        f[_INDEX["in_title"]] = float(any(r.title for r in reports))
        f[_INDEX["first_position"]] = min(r.sentence for r in reports) / max(1, n_sentences)
        kind = event.place.kind if event.place.kind in _KINDS else "city"
        f[_INDEX[f"kind_{kind}"]] = 1.0
        f[_INDEX["family_top"]] = float(top >= best_of_family[EVENT_TYPES[event_type].family])
        f[_INDEX["log_groups"]] = math.log1p(len(groups))
        f[_INDEX["has_casualties"]] = float(any(r.event.fatalities is not None or r.event.injured is not None
                                                for r in reports))
        f[_INDEX["has_day"]] = float(any(r.event.date_precision == "day" for r in reports))
        f[_INDEX["place_score"]] = max(r.place_score for r in reports)
        f[_INDEX["place_top"]] = float(top >= max(best_at_place[place]))
        f[_INDEX["log_place_rivals"]] = math.log1p(len(best_at_place[place]) - 1)
        result[key] = f
    return result
