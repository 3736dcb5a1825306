"""Task scores on two public English corpora besides the gold documents of :mod:`geo.evaluate`.

``event-location`` (``shared/corpus/event_location/sentences.jsonl``, Halterman 2019)
    One sentence a line with one event trigger (``verb``) and the spans of the places
    where *that* event happened (``locations``, possibly none).  Two figures, each on
    the adjudicated subset (``gold: true``) and on all sentences:

    *given the verb*: the places the detector chooses for the event of that trigger,
    ``pipeline.detector.place_spans(article, places, (verb_start, verb_end))`` over the
    sentence's ``pipeline.event_places`` (toponyms and localities);
    *end to end*: the place spans of every event the pipeline finds in the sentence
    (``Source.start``/``Source.end`` of each event's sources).

    A predicted span (the same span predicted twice counts once) is a true positive
    when it overlaps a gold location span not yet taken (each gold span is matched at
    most once, predictions taken left to right); else a false positive.  Gold spans
    left over are false negatives.  A sentence without locations can only add false
    positives.
``case2021`` (``shared/corpus/case2021_task2/snippets.jsonl``, CASE 2021 task 2)
    One snippet a line with our event ``type`` or null.  A snippet's predicted label
    is the family (the registry's ``family``) of its highest-confidence event among
    the scored types (ties: the more specific type), ``"no event"`` when there is
    none; the gold label is the family of ``type``, ``"no event"`` when null.  The
    DIPLO label (``type`` meeting) stands for a visit or a meeting: both are the
    diplomacy family, and for the exact-type figure a predicted visit counts as right
    too.  Reported: accuracy, macro-F1 over the labels that occur (gold or predicted),
    a confusion table, the exact-type accuracy over the snippets with a gold type and
    how often the gold type is among all the types predicted for the snippet.

Which task a file holds is told by its first record: ``verb`` and ``locations``
make an event-location file, ``acled_subtype`` (or a ``type`` with neither
``toponyms`` nor ``events``) a case2021 file, anything else a gold document file
(:func:`detect_task`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import InputError
from geo.evaluate import EVENT_TYPES_SCORED, Counts, _f1, _is_int, _pct, _share, family_of, json_lines, jsonl_files
from geo.event_types import EVENT_TYPES
from geo.model import Article

if TYPE_CHECKING:
    from geo.pipeline import Pipeline

__all__ = [
    "TASKS",
    "NO_EVENT",
    "detect_task",
    "Sentence",
    "load_event_location",
    "match_spans",
    "EventLocationScores",
    "score_event_location",
    "format_event_location",
    "Snippet",
    "load_case2021",
    "CaseScores",
    "score_case2021",
    "format_case2021",
]

#: What ``conflict-map eval --task`` accepts: the gold documents and the two tasks.
TASKS = ("gold", "event-location", "case2021")
#: The label of a snippet that gives (or should give) no event of ours.
NO_EVENT = "no event"

Advance = Callable[[int], None]


def _nothing(n: int = 1) -> None:
    return None


def detect_task(path: Path | str) -> str:
    """``event-location``, ``case2021`` or ``gold``, told by the fields of the file's first record.

    A file whose first non-blank line is not a JSON object is ``gold``: reading it as
    such reports the problem with its line number.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            for raw in handle:
                line = raw.decode("utf-8", errors="replace").strip()
                if line:
                    break
            else:
                return "gold"
    except OSError:
        return "gold"
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return "gold"
    if not isinstance(record, dict):
        return "gold"
    if "verb" in record and "locations" in record:
        return "event-location"
    if "acled_subtype" in record or ("type" in record and "toponyms" not in record and "events" not in record):
        return "case2021"
    return "gold"


def _records(paths: Iterable[Path | str]) -> Iterable[tuple[str, dict[str, Any]]]:
    """(``path:line``, record) of every non-blank line of the JSONL files and folders."""
    for path in jsonl_files(paths):
        try:
            raw = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read: {exc}") from None
        for where, record in json_lines(path, raw):
            if not isinstance(record, dict):
                raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
            if not isinstance(record.get("id"), str) or not record["id"]:
                raise InputError(f"{where}: missing or invalid \"id\"")
            if not isinstance(record.get("text"), str):
                raise InputError(f"{where}: missing or invalid \"text\"")
            yield where, record


# --------------------------------------------------------------------------- event location


@dataclass(frozen=True)
class Sentence:
    """One event-location sentence: its trigger span and the gold place spans of that event."""

    id: str
    text: str
    verb: tuple[int, int]
    locations: tuple[tuple[int, int], ...]
    gold: bool


def _span(value: Any, text: str, what: str, where: str) -> tuple[int, int]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: {what} is not an object")
    start, end = value.get("start"), value.get("end")
    if not (_is_int(start) and _is_int(end) and 0 <= start <= end <= len(text)):
        raise InputError(f"{where}: {what} has invalid start/end {start!r}/{end!r}")
    if isinstance(value.get("text"), str) and text[start:end] != value["text"]:
        raise InputError(f"{where}: {what} text[{start}:{end}] is {text[start:end]!r}, not {value['text']!r}")
    return start, end


def load_event_location(paths: Iterable[Path | str]) -> list[Sentence]:
    """The sentences of event-location JSONL files (``id``, ``text``, ``verb``, ``locations``, ``gold``).

    Raises
    ------
    InputError
        One line ``path:line: problem`` for a missing file, invalid JSON, a missing
        field or a span that is out of range or does not spell its ``text``.
    """
    rows: list[Sentence] = []
    seen: set[str] = set()
    for where, record in _records(paths):
        text = record["text"]
        verb = _span(record.get("verb"), text, "verb", where)
        locations = record.get("locations")
        if not isinstance(locations, list):
            raise InputError(f"{where}: \"locations\" must be a list")
        spans = tuple(_span(loc, text, f"location {i}", where) for i, loc in enumerate(locations))
        if record["id"] in seen:
            raise InputError(f"{where}: duplicate id {record['id']!r}")
        seen.add(record["id"])
        rows.append(Sentence(record["id"], text, verb, spans, record.get("gold") is True))
    return rows


def match_spans(predicted: Iterable[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> Counts:
    """Overlap matching of character spans: each gold span at most once, predictions left to right.

    The same predicted span given twice counts once.
    """
    taken: set[int] = set()
    tp = fp = 0
    for start, end in sorted(set(predicted)):
        for i, (g_start, g_end) in enumerate(gold):
            if i not in taken and start < g_end and g_start < end:
                taken.add(i)
                tp += 1
                break
        else:
            fp += 1
    return Counts(tp, fp, len(gold) - len(taken))


def _add(a: Counts, b: Counts) -> Counts:
    return Counts(a.tp + b.tp, a.fp + b.fp, a.fn + b.fn)


@dataclass
class EventLocationScores:
    """Span P/R/F1 given the verb and end to end, each on the gold subset and on all sentences.

    ``given_verb`` is None when the detector has no ``place_spans`` (``skipped`` says so).
    """

    sentences: dict[str, int]
    end_to_end: dict[str, Counts]
    given_verb: dict[str, Counts] | None = None
    skipped: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "given_verb": None if self.given_verb is None else {k: c.as_json() for k, c in self.given_verb.items()},
            "end_to_end": {k: c.as_json() for k, c in self.end_to_end.items()},
            "skipped": self.skipped,
        }


def score_event_location(rows: Sequence[Sentence], pipeline: "Pipeline", *,
                         advance: Advance = _nothing) -> EventLocationScores:
    """Run one pipeline over every sentence (``lang="en"``) and score both figures (module docstring)."""
    place_spans = getattr(pipeline.detector, "place_spans", None)
    given = {s: Counts() for s in _SUBSETS}
    end_to_end = {s: Counts() for s in _SUBSETS}
    sentences = dict.fromkeys(_SUBSETS, 0)
    for row in rows:
        article = Article(row.id, row.text, lang="en")
        keys = _subsets_of(row)
        for key in keys:
            sentences[key] += 1
        if place_spans is not None:
            recognised = pipeline.event_places(row.text, "en")
            spans = [(int(s), int(e)) for s, e in place_spans(article, recognised, row.verb)]
            counts = match_spans(spans, row.locations)
            for key in keys:
                given[key] = _add(given[key], counts)
        result = pipeline.process(article)
        found = [(s.start, s.end) for event in result.events for s in event.sources if s.article_id == row.id]
        counts = match_spans(found, row.locations)
        for key in keys:
            end_to_end[key] = _add(end_to_end[key], counts)
        advance(1)
    return EventLocationScores(
        sentences=sentences,
        end_to_end=end_to_end,
        given_verb=given if place_spans is not None else None,
        skipped=None if place_spans is not None else
        "given-verb figure skipped: EventDetector.place_spans(article, recognised, verb_span) does not exist yet",
    )


#: The sentence sets scored: the adjudicated gold subset, its sentences whose gold spans are whole words, all.
_SUBSETS = ("gold", "gold_words", "all")
_SUBSET_LABELS = {"gold": "gold", "gold_words": "gold, whole words", "all": "all"}


def _subsets_of(row: Sentence) -> tuple[str, ...]:
    """The sentence sets of :data:`_SUBSETS` that ``row`` belongs to."""
    if not row.gold:
        return ("all",)
    return ("all", "gold", "gold_words") if whole_words(row) else ("all", "gold")


def whole_words(row: Sentence) -> bool:
    """Whether every gold location span of ``row`` is whole words opening with a letter.  42 of the 372 spans of
    the adjudicated subset are not ("g", "ey c", "1070": offsets the source shifted), a ceiling no system passes."""
    text = row.text
    return all(text[start:end].strip()[:1].isalpha() and not (start > 0 and text[start - 1].isalnum())
               and not (end < len(text) and text[end].isalnum()) for start, end in row.locations)


def format_event_location(scores: EventLocationScores, *, title: str | None = None) -> str:
    lines = [title, "=" * len(title)] if title else []
    lines.append(f"{'location spans':<42}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}")
    figures = (("given the verb", scores.given_verb), ("end to end", scores.end_to_end))
    for label, by_subset in figures:
        if by_subset is None:
            continue
        for subset in _SUBSETS:
            c = by_subset[subset]
            name = f"{label}, {_SUBSET_LABELS[subset]} ({scores.sentences[subset]})"
            lines.append(f"{name:<42}{c.tp:>6}{c.fp:>6}{c.fn:>6}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}")
    if scores.skipped:
        lines.append(scores.skipped)
    return "\n".join(lines)


# --------------------------------------------------------------------------- CASE 2021 event types


@dataclass(frozen=True)
class Snippet:
    """One CASE 2021 snippet: its text and our event type for its label (None: none of ours)."""

    id: str
    text: str
    type: str | None
    acled_subtype: str | None = None


def load_case2021(paths: Iterable[Path | str]) -> list[Snippet]:
    """The snippets of case2021 JSONL files (``id``, ``text``, ``type``, optional ``acled_subtype``).

    Raises
    ------
    InputError
        One line ``path:line: problem`` for a missing file, invalid JSON, a missing
        field or a ``type`` the event-type registry lacks.
    """
    rows: list[Snippet] = []
    seen: set[str] = set()
    for where, record in _records(paths):
        if "type" not in record:
            raise InputError(f"{where}: missing \"type\" (null for none of ours)")
        kind = record["type"]
        if kind is not None and kind not in EVENT_TYPES:
            raise InputError(f"{where}: unknown type {kind!r}: choose from {', '.join(EVENT_TYPES)} or null")
        if record["id"] in seen:
            raise InputError(f"{where}: duplicate id {record['id']!r}")
        seen.add(record["id"])
        subtype = record.get("acled_subtype")
        rows.append(Snippet(record["id"], record["text"], kind, subtype if isinstance(subtype, str) else None))
    return rows


def _accepts(gold_type: str, predicted_type: str | None) -> bool:
    """Exact type agreement; DIPLO (our ``meeting``) is a visit or a meeting."""
    if gold_type == "meeting":
        return predicted_type in ("meeting", "visit")
    return predicted_type == gold_type


@dataclass
class CaseScores:
    """Event-type decision on the snippets: family labels plus ``no event``.

    ``per_label`` are one-vs-rest counts per label; ``confusion[gold][predicted]``
    counts snippets; ``exact``/``exact_total`` the snippets with a gold type whose top
    predicted type is that type, and ``any_type`` those whose gold type is among all
    the types predicted.
    """

    total: int
    correct: int
    labels: list[str]
    per_label: dict[str, Counts]
    confusion: dict[str, dict[str, int]]
    exact: int
    exact_total: int
    any_type: int
    types: tuple[str, ...] = field(default=EVENT_TYPES_SCORED)

    @property
    def accuracy(self) -> float | None:
        return _share(self.correct, self.total)

    @property
    def macro_f1(self) -> float | None:
        """Mean one-vs-rest F1 over the labels that occur in the gold or the predictions."""
        used = [c for c in self.per_label.values() if c.tp + c.fp + c.fn]
        return sum(_f1(*c) for c in used) / len(used) if used else None

    @property
    def exact_accuracy(self) -> float | None:
        return _share(self.exact, self.exact_total)

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total, "correct": self.correct, "accuracy": self.accuracy, "macro_f1": self.macro_f1,
            "per_label": {label: c.as_json() for label, c in self.per_label.items()},
            "confusion": self.confusion,
            "exact_type": {"correct": self.exact, "total": self.exact_total, "accuracy": self.exact_accuracy,
                           "gold_type_among_predicted": self.any_type},
            "types": list(self.types),
        }


def score_case2021(rows: Sequence[Snippet], pipeline: "Pipeline", *, types: Sequence[str] = EVENT_TYPES_SCORED,
                   advance: Advance = _nothing) -> CaseScores:
    """Run one pipeline over every snippet (``lang="en"``) and score the labels (module docstring).

    ``types`` are the event types a prediction may carry; events of other types
    (``statement`` by default) are ignored.
    """
    wanted = tuple(types)
    families = list(dict.fromkeys(family_of(t) for t in wanted))
    labels = families + [NO_EVENT]
    confusion: dict[str, dict[str, int]] = {}
    correct = exact = exact_total = any_type = 0
    for row in rows:
        result = pipeline.process(Article(row.id, row.text, lang="en"))
        events = [e for e in result.events if e.event_type in wanted]
        top = max(events, key=lambda e: (e.confidence, EVENT_TYPES[e.event_type].specificity), default=None)
        predicted_type = top.event_type if top is not None else None
        predicted = family_of(predicted_type) if predicted_type else NO_EVENT
        gold = family_of(row.type) if row.type else NO_EVENT
        for label in (gold, predicted):
            if label not in labels:
                labels.append(label)
        confusion.setdefault(gold, {})
        confusion[gold][predicted] = confusion[gold].get(predicted, 0) + 1
        correct += gold == predicted
        if row.type is not None:
            exact_total += 1
            exact += _accepts(row.type, predicted_type)
            any_type += any(_accepts(row.type, e.event_type) for e in events)
        advance(1)
    per_label: dict[str, Counts] = {}
    for label in labels:
        tp = confusion.get(label, {}).get(label, 0)
        fn = sum(confusion.get(label, {}).values()) - tp
        fp = sum(by_pred.get(label, 0) for gold, by_pred in confusion.items() if gold != label)
        per_label[label] = Counts(tp, fp, fn)
    ordered = {gold: {p: confusion.get(gold, {}).get(p, 0) for p in labels} for gold in labels}
    return CaseScores(total=len(rows), correct=correct, labels=labels, per_label=per_label, confusion=ordered,
                      exact=exact, exact_total=exact_total, any_type=any_type, types=wanted)


def format_case2021(scores: CaseScores, *, title: str | None = None) -> str:
    lines = [title, "=" * len(title)] if title else []
    macro = "-" if scores.macro_f1 is None else f"{scores.macro_f1:.3f}"
    accuracy = "-" if scores.accuracy is None else f"{scores.accuracy:.3f}"
    lines.append(f"snippets {scores.total}: accuracy {accuracy} ({scores.correct}/{scores.total}), "
                 f"macro-F1 {macro} over {sum(1 for c in scores.per_label.values() if c.tp + c.fp + c.fn)} labels")
    lines.append(f"exact type on {scores.exact}/{scores.exact_total} snippets with a type "
                 f"({_pct(scores.exact_accuracy)}); gold type among the predicted types on {scores.any_type} "
                 f"({_pct(_share(scores.any_type, scores.exact_total))})")
    lines.append(f"{'label':<28}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for label, c in scores.per_label.items():
        lines.append(f"  {label:<26}{c.tp:>6}{c.fp:>6}{c.fn:>6}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}")
    short = {label: f"({i})" for i, label in enumerate(scores.labels, start=1)}
    width = max(len(label) for label in scores.labels) + 1
    lines.append("confusion (rows gold, columns predicted):")
    lines.append(" " * (7 + width) + "".join(f"{short[p]:>6}" for p in scores.labels))
    for gold in scores.labels:
        cells = "".join(f"{scores.confusion[gold][p]:>6}" for p in scores.labels)
        lines.append(f"  {short[gold]:<5}{gold:<{width}}{cells}")
    return "\n".join(lines)
