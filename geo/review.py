"""An analyst's corrections, kept in a review file and applied to the events of every build.

A review file is CSV (a header row, UTF-8, Excel's BOM allowed) or TOML (``[[correction]]``
tables) with one correction a row, keyed by ``event_id``:

============  =====================================================================
column        meaning
============  =====================================================================
event_id      the event corrected (required)
action        ``drop``, ``move``, ``retype``, ``merge``, ``set``, ``note`` or ``reviewed``
place         ``move``: a place name the gazetteer resolves (its best candidate)
lat, lon      ``move``: coordinates (WGS84 degrees) instead of a place name
event_type    ``retype``: one of the contract's event types
into          ``merge``: the event_id of the event this one is merged into
fatalities    ``set``: the figure (empty leaves it; ``none`` clears it)
injured       ``set``: as ``fatalities``
note          any action: a note shown in the popup and exports (``note`` adds only it)
============  =====================================================================

Every correction marks its event ``reviewed``.  A corrected event keeps its ``event_id``
(a retype or a move to another place does not change it), and a correction also finds an
event through the ids of the reports merged into it (:attr:`geo.model.Event.aliases`), so
corrections survive rebuilds on new articles.  A correction whose event no longer exists
is returned as an orphan, to be listed, never silently dropped.
"""

from __future__ import annotations

import csv
import math
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import EVENT_TYPES, Event, highest_figure, output_order

__all__ = ["ACTIONS", "REVIEW_COLUMNS", "REVIEW_FILES", "Correction", "Reviewed", "apply_review", "load_review",
           "review_file", "write_review"]

#: What a correction can do.
ACTIONS = ("drop", "move", "retype", "merge", "set", "note", "reviewed")
#: The columns of a review CSV, in file order.
REVIEW_COLUMNS = ("event_id", "action", "place", "lat", "lon", "event_type", "into", "fatalities", "injured",
                  "note")
#: The review files looked for in the output folder when none is named, in this order.
REVIEW_FILES = ("review.csv", "review.toml")
_NEEDS = {"move": "place or lat and lon", "retype": "event_type", "merge": "into", "set": "fatalities or injured"}


@dataclass(frozen=True)
class Correction:
    """One row of a review file; ``where`` is ``file:line``."""

    event_id: str
    action: str
    where: str = ""
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    event_type: str | None = None
    into: str | None = None
    fatalities: int | None = None
    injured: int | None = None
    clear: tuple[str, ...] = ()  # the figures set to none
    note: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.action} {self.event_id}" if self.where else f"{self.action} {self.event_id}"

    def row(self) -> dict[str, str]:
        """The CSV row of this correction."""
        values = {name: getattr(self, name) for name in REVIEW_COLUMNS}
        for name in self.clear:
            values[name] = "none"
        return {name: "" if value is None else str(value) for name, value in values.items()}


@dataclass
class Reviewed:
    """The events after the review, how many corrections applied, and those whose event is gone."""

    events: list[Event]
    applied: int = 0
    orphans: list[Correction] = field(default_factory=list)


def review_file(out_dir: Path, given: Path | None = None) -> Path | None:
    """The review file of a build: ``given`` (``--review``), else the one of :data:`REVIEW_FILES` in ``out_dir``
    (:class:`InputError` if both are there)."""
    if given is not None:
        return Path(given)
    found = [Path(out_dir) / name for name in REVIEW_FILES if (Path(out_dir) / name).is_file()]
    if len(found) > 1:  # never apply one and silently ignore the other
        raise InputError(f"{found[0]} and {found[1].name}: two review files; merge them into one, or name one "
                         "with --review")
    return found[0] if found else None


def load_review(path: Path | None) -> list[Correction]:
    """The corrections of a review file, in file order (none for ``None``).

    Raises :class:`InputError` with ``file:line: problem`` for the first bad row, or a file
    that cannot be read.
    """
    if path is None:
        return []
    from gazetteer.errors import reading_data_file

    path = Path(path)
    if path.suffix.lower() not in (".toml", ".csv"):
        raise InputError(f"{path}: a review file must be .csv or .toml")
    with reading_data_file(path, "review", InputError):
        rows = _toml_rows(path) if path.suffix.lower() == ".toml" else _csv_rows(path)
    corrections = []
    for line, row in rows:
        try:
            corrections.append(_correction(row, f"{path}:{line}"))
        except ValueError as error:
            raise InputError(f"{path}:{line}: {error}") from None
    return corrections


def write_review(path: Path, corrections: Sequence[Correction]) -> None:
    """Write ``corrections`` as a review CSV (atomically)."""
    import io

    from gazetteer.atomic import write_atomic

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(REVIEW_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for correction in corrections:
        writer.writerow(correction.row())
    write_atomic(path, buffer.getvalue())


def apply_review(events: Iterable[Event], corrections: Sequence[Correction], gazetteer: Any = None) -> Reviewed:
    """``events`` with ``corrections`` applied in file order.

    ``gazetteer`` resolves the place names of ``move`` (:meth:`gazetteer.Gazetteer.resolve`).
    Raises :class:`InputError` (``file:line``) for a place name the gazetteer does not know.
    """
    events = list(events)
    if not corrections:
        return Reviewed(events)
    current = {event.event_id: event for event in events}  # a corrected event keeps its id
    aliases = {alias: event.event_id for event in events for alias in event.aliases if alias not in current}
    result = Reviewed([])
    for correction in corrections:
        key = _key(correction.event_id, current, aliases)
        if key is None:
            result.orphans.append(correction)
            continue
        event = current[key]
        pinned = replace(event, pinned_id=key, reviewed=True,
                         note=correction.note if correction.note is not None else event.note)
        if correction.action == "drop":
            del current[key]
        elif correction.action == "merge":
            target = _key(correction.into or "", current, aliases)
            if target is None or target == key:
                result.orphans.append(correction)
                continue
            current[target] = _merged(current[target], pinned)
            aliases.update(dict.fromkeys((key, *event.aliases), target))
            del current[key]
        else:
            current[key] = _corrected(pinned, correction, gazetteer)
        result.applied += 1
    result.events = sorted(current.values(), key=output_order)
    return result


def _key(event_id: str, current: dict[str, Event], aliases: dict[str, str]) -> str | None:
    """The id of the event that ``event_id`` names now (its own, or one merged into it), None if gone."""
    if event_id in current:
        return event_id
    key = aliases.get(event_id)
    return key if key in current else None


def _corrected(event: Event, correction: Correction, gazetteer: Any) -> Event:
    if correction.action == "retype":
        return replace(event, event_type=correction.event_type)
    if correction.action == "move":
        if correction.lat is not None and correction.lon is not None:
            place = replace(event.place, lat=correction.lat, lon=correction.lon, admin1=None, admin1_code=None)
        else:
            found = gazetteer.resolve(correction.place, limit=1) if gazetteer is not None else []
            if not found:
                raise InputError(f"{correction.where}: the gazetteer knows no place named {correction.place!r}; "
                                 "give lat and lon instead")
            place = found[0].place
        return replace(event, place=place)
    if correction.action == "set":
        changes = {name: getattr(correction, name) for name in ("fatalities", "injured")
                   if getattr(correction, name) is not None}
        changes.update(dict.fromkeys(correction.clear))
        return replace(event, **changes)
    return event  # note, reviewed


def _merged(target: Event, other: Event) -> Event:
    """``other`` merged into ``target``: its sources, actors and figures; ``target``'s id kept."""
    known = {(s.article_id, s.start, s.end) for s in target.sources}
    sources = sorted([*target.sources, *(s for s in other.sources if (s.article_id, s.start, s.end) not in known)],
                     key=lambda s: (s.article_id, s.start, s.end))

    return replace(target, pinned_id=target.event_id, sources=sources, reviewed=True,
                   actors=tuple(sorted(set(target.actors) | set(other.actors))),
                   actor_mentions=tuple(dict.fromkeys((*target.actor_mentions, *other.actor_mentions))),
                   fatalities=highest_figure(target.fatalities, other.fatalities),
                   injured=highest_figure(target.injured, other.injured),
                   aliases=tuple(dict.fromkeys((*target.aliases, other.event_id, *other.aliases))),
                   note=target.note or other.note)


# --------------------------------------------------------------------------- reading


def _correction(row: dict[str, Any], where: str) -> Correction:
    """One row as a :class:`Correction`; ValueError says what is wrong."""
    unknown = sorted(set(row) - set(REVIEW_COLUMNS))
    if unknown:
        raise ValueError(f"unknown column {unknown[0]!r} (columns: {', '.join(REVIEW_COLUMNS)})")
    values = {name: _text(row.get(name), name) for name in REVIEW_COLUMNS}
    if not values["event_id"]:
        raise ValueError("event_id is empty")
    action = (values["action"] or "").lower()
    if action not in ACTIONS:
        raise ValueError(f"action {values['action']!r} is not one of {', '.join(ACTIONS)}")
    lat, lon = _number(values["lat"], "lat", 90), _number(values["lon"], "lon", 180)
    if (lat is None) != (lon is None):
        raise ValueError("give both lat and lon, or neither")
    figures = {name: _count(values[name], name) for name in ("fatalities", "injured")}
    clear = tuple(name for name in ("fatalities", "injured") if (values[name] or "").lower() == "none")
    if values["event_type"] and values["event_type"] not in EVENT_TYPES:
        raise ValueError(f"event_type {values['event_type']!r} is not one of {', '.join(EVENT_TYPES)}")
    given = {"move": values["place"] or lat is not None, "retype": values["event_type"], "merge": values["into"],
             "set": any(figure is not None for figure in figures.values()) or clear}
    if action in _NEEDS and not given[action]:
        raise ValueError(f"{action} needs {_NEEDS[action]}")
    return Correction(event_id=values["event_id"], action=action, where=where, place=values["place"], lat=lat,
                      lon=lon, event_type=values["event_type"], into=values["into"], clear=clear,
                      note=values["note"], **figures)


def _text(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"{name} must be text or a number, not {type(value).__name__}")
    text = str(value).strip()
    return text or None


def _number(text: str | None, name: str, bound: float) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a number") from None
    if not math.isfinite(value) or abs(value) > bound:
        raise ValueError(f"{name} {text} is out of range (-{bound:g} to {bound:g})")
    return value


def _count(text: str | None, name: str) -> int | None:
    if text is None or text.lower() == "none":
        return None
    if not text.isdigit() or not text.isascii():
        raise ValueError(f"{name} {text!r} is not a whole number of people (or none)")
    return int(text)


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"event_id", "action"} <= {f.strip() for f in reader.fieldnames if f}:
            raise InputError(f"{path}:1: the header must name at least the columns event_id,action")
        rows = []
        try:
            for row in reader:
                if None in row:
                    raise InputError(f"{path}:{reader.line_num}: more fields than the header names")
                rows.append((reader.line_num, {k.strip(): v for k, v in row.items() if k and v not in (None, "")}))
        except csv.Error as error:
            raise InputError(f"{path}:{reader.line_num}: {error}") from None
    return rows


def _toml_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8")
    document = tomllib.loads(text)
    tables = document.get("correction", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise InputError(f"{path}: expected [[correction]] tables")
    lines = [number for number, line in enumerate(text.splitlines(), 1) if line.strip() == "[[correction]]"]
    return [(lines[n] if n < len(lines) else 0, table) for n, table in enumerate(tables)]

