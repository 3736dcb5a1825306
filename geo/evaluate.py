"""Scoring of toponyms and events against gold annotations.

Pure scoring: how the predictions were made does not matter here.  The gold is the
JSONL format of ``shared/corpus`` (one document per line, see :func:`load_gold`;
:func:`load_gold_paths` reads several files or a folder of them); predictions are
:class:`~geo.model.Toponym` and :class:`~geo.model.Event` values.

Metrics
-------
Toponym recognition
    Exact-span precision, recall and F1: a prediction is a true positive when a gold
    toponym of the same document has the same ``start`` and ``end``.
Toponym resolution (over *resolved* toponyms: span matched and gold has coordinates)
    share within 161 km (100 miles) of the gold point, share with the gold GeoNames id
    (among resolved gold toponyms that carry one), mean and median error in km and the
    AUC of the error curve (Gritta et al.), see :func:`error_auc`.  A gold country
    (``kind`` "country" with its ``country_iso2``, as the dev corpus and the seeds write
    them) is scored by identity: its point is only representative (often the capital), so
    the prediction of that country is 0 km off, see :func:`placement_error_km`.
Events
    An event matches a gold event of the same article when the types agree and the
    places agree under the strict rules of the gold row's ``precision`` (town, region,
    country), one-to-one, see :func:`score_events`; the same again with types compared
    by family (the registry's ``family``), per type, per family and per document
    language, and the agreement of the casualty figures of matched events.

Ratios with an empty denominator follow one convention throughout: precision and
recall are 1.0 when there was nothing to find *and* nothing was claimed, else 0.0;
F1 is ``2tp / (2tp + fp + fn)`` (1.0 when all three are 0).  Shares and error
statistics with nothing to measure are ``None``.
"""

from __future__ import annotations

import json
import math
import statistics
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from geopy.distance import great_circle

from gazetteer.place import Place

from geo.errors import InputError
from geo.event_types import EVENT_TYPES as _REGISTRY
from geo.event_types import scored_types
from geo.model import Article, Event, Toponym, highest_figure
from geo.read import iso_date

__all__ = [
    "GoldDoc",
    "json_lines",
    "load_gold",
    "load_gold_paths",
    "jsonl_files",
    "Counts",
    "ToponymScores",
    "score_toponyms",
    "error_auc",
    "EventPair",
    "Casualties",
    "EventScores",
    "score_events",
    "family_of",
    "format_report",
    "EVENT_TYPES_SCORED",
    "placement_error_km",
    "ACC_KM",
    "EVENT_KM",
    "MAX_ERROR_KM",
]

#: Distance (km) within which a resolved toponym counts as correct: 100 miles, "accuracy@161".
ACC_KM = 161.0
#: Distance (km) within which a predicted event place agrees with the gold place.
EVENT_KM = 50.0
#: Largest possible error on Earth (half the equatorial circumference, km), the AUC's normaliser.
MAX_ERROR_KM = 20039.0
#: Event types scored by default: those the registry marks ``scored`` (all but ``statement``).
EVENT_TYPES_SCORED = scored_types()


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldDoc:
    """One gold document.

    ``toponyms`` are the gold objects as in the file (``start``, ``end``, ``name``,
    ``lat``, ``lon``, ``geonameid`` and any extra field such as ``literal`` or
    ``type``); ``events`` are the event rows (``type``, ``place``, ``geonameid``,
    ``lat``, ``lon``, ``country_iso2``, ``evidence``, ``date``, ``also_accept`` and, in
    the development corpus, ``precision``, ``fatalities``, ``injured``), ``[]`` when
    the file has none.
    """

    id: str
    text: str
    lang: str | None
    toponyms: list[dict[str, Any]]
    events: list[dict[str, Any]] = field(default_factory=list)
    published: str | None = None  # YYYY-MM-DD, read as the article reader reads it

    def article(self, lang: str | None) -> Article:
        """The document as the pipeline reads an article of ``lang``: its dates come from ``published``
        as in a JSONL input."""
        return Article(self.id, self.text, lang=lang, published=self.published)


def jsonl_files(paths: Iterable[Path | str]) -> list[Path]:
    """The JSONL files named by ``paths``: a file as given, a folder as every ``*.jsonl`` in it (sorted).

    Raises
    ------
    InputError
        When a path does not exist or a folder holds no ``*.jsonl`` file.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.glob("*.jsonl") if p.is_file())
            if not found:
                raise InputError(f"{path}: no *.jsonl file in this folder")
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such gold file or folder")
    return list(dict.fromkeys(files))


def load_gold_paths(paths: Iterable[Path | str]) -> list[GoldDoc]:
    """The documents of several gold files and folders (see :func:`jsonl_files`), in order.

    Raises
    ------
    InputError
        As :func:`load_gold`, and when two files hold the same document id.
    """
    docs: list[GoldDoc] = []
    origin: dict[str, Path] = {}
    for path in jsonl_files(paths):
        for doc in load_gold(path):
            if doc.id in origin:
                raise InputError(f"{path}: document id {doc.id!r} is also in {origin[doc.id]}")
            origin[doc.id] = path
            docs.append(doc)
    return docs


def load_gold(path: Path | str) -> list[GoldDoc]:
    """Read a gold JSONL file.

    Parameters
    ----------
    path
        A JSONL file, one document per line.  A record carries its ``text`` inline
        (the benchmarks) or names a ``file`` relative to the gold file's folder (the
        seeds), read as UTF-8 without newline translation so offsets stay exact.
        Blank lines are skipped.

    Returns
    -------
    list[GoldDoc]
        In file order.

    Raises
    ------
    InputError
        With a one-line message ``path:line: problem`` when the gold file or a
        referenced text file is missing or unreadable, a line is not valid JSON, a
        record lacks ``id``/``text``/``file`` or has malformed toponyms, or a
        toponym's ``text[start:end]`` differs from its ``name``.
    """
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such gold file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read gold file: {exc}") from None

    docs: list[GoldDoc] = []
    seen: set[str] = set()
    for where, record in json_lines(path, raw):
        doc = _gold_doc(record, where, path.parent)
        if doc.id in seen:
            raise InputError(f"{where}: duplicate document id {doc.id!r}")
        seen.add(doc.id)
        docs.append(doc)
    return docs


def json_lines(path: Path, raw: str) -> Iterator[tuple[str, Any]]:
    """(``path:line``, value) of every non-blank line of a JSON Lines text; a line that is no JSON
    raises InputError naming it."""
    # split on "\n" only: str.splitlines() would also split on U+2028, U+0085 ... inside strings
    for lineno, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON: {exc.msg} at column {exc.colno}") from None


def _html_text(path: Path) -> str:
    """The article text of an HTML page, as the tool reads it (offsets index into this text)."""
    from .read import read_articles

    if not path.exists():
        raise FileNotFoundError(path)
    articles = list(read_articles([path], detect_language=False))
    if not articles:
        raise OSError(f"no article text found in {path}")
    return articles[0].text


def _gold_doc(record: Any, where: str, folder: Path) -> GoldDoc:
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    doc_id = record.get("id")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or doc_id == "":
        raise InputError(f"{where}: missing or invalid \"id\"")
    if isinstance(record.get("text"), str):
        text = record["text"]
    elif isinstance(record.get("file"), str):
        text_path = folder / record["file"]
        try:
            text = _html_text(text_path) if text_path.suffix.lower() in (".html", ".htm") else \
                text_path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise InputError(f"{where}: text file not found: {text_path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{where}: cannot read text file {text_path}: {exc}") from None
    else:
        raise InputError(f"{where}: record has neither \"text\" nor \"file\"")
    lang = record.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise InputError(f"{where}: \"lang\" must be a string or null")

    toponyms = record.get("toponyms", [])
    if not isinstance(toponyms, list):
        raise InputError(f"{where}: \"toponyms\" must be a list")
    for i, top in enumerate(toponyms):
        _check_toponym(top, i, text, where)
    events = record.get("events") or []
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise InputError(f"{where}: \"events\" must be a list of objects")
    for i, event in enumerate(events):
        _check_event(event, i, where)
    published = record.get("published")
    return GoldDoc(id=str(doc_id), text=text, lang=lang, toponyms=toponyms, events=events,
                   published=iso_date(published) if isinstance(published, str) else None)




def _check_event(event: dict[str, Any], i: int, where: str) -> None:
    if not isinstance(event.get("type"), str) or not isinstance(event.get("place"), str):
        raise InputError(f"{where}: event {i} needs string \"type\" and \"place\"")
    precision = event.get("precision")
    if precision is not None and (not _is_int(precision) or precision not in (1, 2, 3)):
        raise InputError(f"{where}: event {i} has precision {precision!r}: use 1, 2, 3 or null")
    for key in ("fatalities", "injured"):
        value = event.get(key)
        if value is not None and (not _is_int(value) or value < 0):
            raise InputError(f"{where}: event {i} has {key} {value!r}: use a whole number >= 0 or null")
    for key in ("lat", "lon"):
        value = event.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise InputError(f"{where}: event {i} has non-numeric {key!r}")
    also = event.get("also_accept")
    if also is not None and (not isinstance(also, list) or not all(isinstance(n, str) for n in also)):
        raise InputError(f"{where}: event {i} has \"also_accept\" that is not a list of strings")


def _check_toponym(top: Any, i: int, text: str, where: str) -> None:
    if not isinstance(top, dict):
        raise InputError(f"{where}: toponym {i} is not an object")
    start, end, name = top.get("start"), top.get("end"), top.get("name")
    if not (_is_int(start) and _is_int(end) and 0 <= start <= end <= len(text)):
        raise InputError(f"{where}: toponym {i} has invalid start/end {start!r}/{end!r}")
    if not isinstance(name, str):
        raise InputError(f"{where}: toponym {i} has no \"name\"")
    if text[start:end] != name:
        raise InputError(f"{where}: toponym {i} text[{start}:{end}] is {text[start:end]!r}, not {name!r}")
    for key in ("lat", "lon"):
        value = top.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise InputError(f"{where}: toponym {i} has non-numeric {key!r}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------- ratios


def _precision(tp: int, fp: int, fn: int) -> float:
    if tp + fp:
        return tp / (tp + fp)
    return 1.0 if fn == 0 else 0.0


def _recall(tp: int, fp: int, fn: int) -> float:
    if tp + fn:
        return tp / (tp + fn)
    return 1.0 if fp == 0 else 0.0


def _f1(tp: int, fp: int, fn: int) -> float:
    denominator = 2 * tp + fp + fn
    return 2 * tp / denominator if denominator else 1.0


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


class Counts(NamedTuple):
    """True positives, false positives and false negatives, with the ratios they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _precision(*self)

    @property
    def recall(self) -> float:
        return _recall(*self)

    @property
    def f1(self) -> float:
        return _f1(*self)

    def as_json(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


# --------------------------------------------------------------------------- toponyms


@dataclass
class ToponymScores:
    """Recognition (exact span) and resolution scores over a set of documents.

    ``resolved`` counts gold toponyms matched by span that have gold coordinates;
    ``within_161km`` those of them predicted within :data:`ACC_KM` (``<=``), and
    ``within_161km_share`` = within_161km / resolved.  ``geonameid_total`` counts the
    resolved gold toponyms that carry a GeoNames id, ``geonameid_correct`` those
    predicted with the same id.  ``gold_with_coords`` counts all gold toponyms with
    coordinates, so ``within_161km / gold_with_coords`` is the end-to-end share
    (recognition misses count as failures).  ``auc``, ``mean_error_km`` and
    ``median_error_km`` are over the resolved toponyms; ``errors_km`` lists their
    errors (unsorted).
    """

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    resolved: int
    within_161km: int
    within_161km_share: float | None
    geonameid_total: int
    geonameid_correct: int
    geonameid_share: float | None
    auc: float | None
    mean_error_km: float | None
    median_error_km: float | None
    gold_with_coords: int = 0
    errors_km: list[float] = field(default_factory=list, repr=False)

    @property
    def within_161km_of_gold(self) -> float | None:
        """Share of all gold toponyms with coordinates that were found *and* placed within 161 km."""
        return _share(self.within_161km, self.gold_with_coords)


def error_auc(errors_km: Iterable[float], *, max_error_km: float = MAX_ERROR_KM) -> float | None:
    """Area under the curve of sorted log errors (Gritta et al.), in 0..1, lower is better.

    With the ``n`` errors sorted ascending, ``x_i = ln(1 + e_i)``, the area is taken by the
    trapezoidal rule with unit steps and normalised so that the x axis spans 0..1 and
    the y axis 0..ln(max_error_km)::

        AUC = sum_{i=1}^{n-1} (x_{i-1} + x_i) / 2  /  ((n - 1) * ln(20039))

    0 means every error is 0 km; 1 means every error is the largest possible
    (20,039 km).  Source: Gritta, Pilehvar, Limsopatham & Collier, "What's missing in
    geographical parsing?", Language Resources and Evaluation 52 (2018), and Gritta,
    Pilehvar & Collier, "A pragmatic guide to geoparsing evaluation", LRE 54 (2020),
    whose evaluation code computes ``trapz(ln(1 + errors)) / (ln(20039) * (n - 1))``.
    With one error the curve is a point; its normalised height ``x_0 / ln(20039)`` is
    returned.  ``None`` when there are no errors.
    """
    logs = sorted(math.log1p(max(0.0, float(e))) for e in errors_km)
    if not logs:
        return None
    scale = math.log(max_error_km)
    if len(logs) == 1:
        return logs[0] / scale
    area = sum((a + b) / 2 for a, b in zip(logs, logs[1:]))
    return area / ((len(logs) - 1) * scale)


def score_toponyms(
    gold: Sequence[GoldDoc],
    predicted: Mapping[str, Sequence[Toponym]],
    *,
    literal_only: bool = False,
    where: Callable[[Mapping[str, Any]], bool] | None = None,
    unplaced: Mapping[str, Sequence[tuple[int, int]]] | None = None,
) -> ToponymScores:
    """Score predicted toponyms against the gold, matching exact spans per document.

    Parameters
    ----------
    gold
        The gold documents.
    predicted
        Toponyms per document id.  Ids not in ``gold`` are ignored; a gold document
        without an entry has no predictions (all its toponyms are misses).  Two
        predictions with the same span: the second is a false positive.
    literal_only
        Score literal toponyms alone (GeoWebNews, seeds): gold toponyms with
        ``"literal": false`` are dropped, and so are predictions whose span equals
        the span of a dropped gold toponym (they are neither credited nor charged).
        Every other prediction is scored as usual, so one elsewhere is still a false
        positive.  A gold toponym without a ``literal`` field counts as literal (so
        on LGL, TR-News and GeoVirus this changes nothing).
    where
        A more general filter of the same kind: keep gold toponyms for which it is
        true (e.g. ``lambda t: t["type"] == "Metonymic"``), drop the others and
        predictions on their exact spans.  Combined with ``literal_only`` by "and".
    unplaced
        Spans per document id recognised as places with no point (``Recognizer.unlisted``: names the
        gazetteer lacks): scored for recognition like the toponyms, never as resolved.

    Returns
    -------
    ToponymScores
    """
    tp = fp = fn = 0
    resolved = within = gn_total = gn_correct = with_coords = 0
    errors: list[float] = []
    for doc in gold:
        kept: dict[tuple[int, int], Mapping[str, Any]] = {}
        dropped: set[tuple[int, int]] = set()
        for top in doc.toponyms:
            span = (top["start"], top["end"])
            keep = not (literal_only and top.get("literal") is False) and (where is None or where(top))
            if keep:
                kept[span] = top
                if _has_coords(top):
                    with_coords += 1
            else:
                dropped.add(span)
        matched: set[tuple[int, int]] = set()
        # the unplaced spans (no point: recognised, never resolved) first, then the toponyms
        spans = [*((span, None) for span in (unplaced or {}).get(doc.id, ())),
                 *(((pred.start, pred.end), pred) for pred in predicted.get(doc.id, ()))]
        for span, pred in spans:
            if span in dropped and span not in kept:
                continue
            top = kept.get(span)
            if top is None or span in matched:
                fp += 1
                continue
            matched.add(span)
            tp += 1
            if pred is None or not _has_coords(top):
                continue
            resolved += 1
            error = placement_error_km(top, pred.place)
            errors.append(error)
            if error <= ACC_KM:
                within += 1
            if top.get("geonameid") is not None:
                gn_total += 1
                if pred.place.geonameid is not None and int(pred.place.geonameid) == int(top["geonameid"]):
                    gn_correct += 1
        fn += len(kept) - len(matched)
    return ToponymScores(
        tp=tp,
        fp=fp,
        fn=fn,
        precision=_precision(tp, fp, fn),
        recall=_recall(tp, fp, fn),
        f1=_f1(tp, fp, fn),
        resolved=resolved,
        within_161km=within,
        within_161km_share=_share(within, resolved),
        geonameid_total=gn_total,
        geonameid_correct=gn_correct,
        geonameid_share=_share(gn_correct, gn_total),
        auc=error_auc(errors),
        mean_error_km=statistics.fmean(errors) if errors else None,
        median_error_km=statistics.median(errors) if errors else None,
        gold_with_coords=with_coords,
        errors_km=errors,
    )


def placement_error_km(gold: Mapping[str, Any], place: Place) -> float:
    """How far ``place`` is from a gold toponym (with coordinates): 0 when the gold is a country
    (``kind`` "country", ``country_iso2`` given) and ``place`` is that country, whatever point each
    gives it; else the great-circle distance between the gold point and the place."""
    iso = gold.get("country_iso2")
    if (gold.get("kind") == "country" and iso and place.kind == "country"
            and (place.country_iso2 or "").upper() == str(iso).upper()):
        return 0.0
    return great_circle((gold["lat"], gold["lon"]), (place.lat, place.lon)).km


def _has_coords(row: Mapping[str, Any]) -> bool:
    return row.get("lat") is not None and row.get("lon") is not None



# --------------------------------------------------------------------------- events


def family_of(event_type: str) -> str:
    """The registry's family of ``event_type`` (the type's own name for a type the registry lacks)."""
    entry = _REGISTRY.get(event_type)
    return entry.family if entry is not None else event_type


@dataclass(frozen=True)
class EventPair:
    """One line of the event report: a match, a missed gold event or a spurious prediction.

    ``rule`` says how a match was made (see :func:`score_events`): ``point``,
    ``name``, ``area``, ``country`` or, for gold rows without a ``precision``,
    ``also_accept``; empty for misses.  ``distance_km`` is the predicted place's
    distance to the gold place when both points are known.  ``predicted_type`` is the
    predicted event's type when it differs from ``event_type`` (the gold type), which
    only a family-level match allows.
    """

    article_id: str
    event_type: str
    gold: str | None
    predicted: str | None
    distance_km: float | None = None
    rule: str = ""
    predicted_type: str | None = None


@dataclass(frozen=True)
class Casualties:
    """Agreement of one casualty figure (killed or injured) on matched events.

    ``compared`` counts the matches whose gold row states the figure (not null),
    ``predicted`` those of them whose prediction states one too, ``agree`` those whose
    predicted figure equals the gold figure; ``share`` = agree / compared.
    """

    compared: int = 0
    predicted: int = 0
    agree: int = 0

    @property
    def share(self) -> float | None:
        return _share(self.agree, self.compared)

    def as_json(self) -> dict[str, Any]:
        return {"compared": self.compared, "predicted": self.predicted, "agree": self.agree, "share": self.share}


@dataclass
class EventScores:
    """Event precision/recall over articles, with the breakdowns and the pairs behind them.

    ``tp``/``fp``/``fn`` and the ratios are at the exact type level, as are
    ``per_type``, ``per_lang`` (by the gold document's ``lang``; ``"?"`` when null),
    ``matches``, ``missed`` and ``spurious``.  ``family``, ``per_family`` and
    ``per_lang_family`` count again with types compared by family;
    ``family_matches`` lists the pairs of that matching, ``exact_type`` how many of
    them agree on the type as well.  ``fatalities`` and ``injured`` compare the
    casualty figures of the family-level matches.
    """

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    per_type: dict[str, Counts]
    matches: list[EventPair] = field(default_factory=list)
    missed: list[EventPair] = field(default_factory=list)
    spurious: list[EventPair] = field(default_factory=list)
    per_lang: dict[str, Counts] = field(default_factory=dict)
    family: Counts = Counts()
    per_family: dict[str, Counts] = field(default_factory=dict)
    per_lang_family: dict[str, Counts] = field(default_factory=dict)
    family_matches: list[EventPair] = field(default_factory=list)
    exact_type: int = 0
    fatalities: Casualties = Casualties()
    injured: Casualties = Casualties()

    @property
    def exact_type_share(self) -> float | None:
        """Share of the family-level matches whose types agree too."""
        return _share(self.exact_type, self.family.tp)

    def as_json(self) -> dict[str, Any]:
        """The scores as plain JSON values (``per_type`` keeps its ``[tp, fp, fn]`` lists)."""
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "per_type": {t: list(c) for t, c in self.per_type.items()},
            "per_type_scores": {t: c.as_json() for t, c in self.per_type.items()},
            "per_lang": {lang: c.as_json() for lang, c in self.per_lang.items()},
            "family": self.family.as_json(),
            "per_family": {f: c.as_json() for f, c in self.per_family.items()},
            "per_lang_family": {lang: c.as_json() for lang, c in self.per_lang_family.items()},
            "exact_type": self.exact_type,
            "exact_type_share": self.exact_type_share,
            "fatalities": self.fatalities.as_json(),
            "injured": self.injured.as_json(),
        }


def score_events(
    gold: Sequence[GoldDoc],
    predicted: Mapping[str, Sequence[Event]],
    *,
    types: Sequence[str] = EVENT_TYPES_SCORED,
    resolve_name: Callable[[str], tuple[float, float] | None] | None = None,
    area_of: Callable[[Event], set[str]] | None = None,
    max_km: float = EVENT_KM,
) -> EventScores:
    """Score predicted events against the gold events, article by article.

    Parameters
    ----------
    gold
        The gold documents; only their ``events`` (and ``lang``) are used.
    predicted
        Events, grouped by any key (usually the article id).  An event counts for
        every article among its sources (``Event.sources[*].article_id``); an event
        without sources counts for the article of its key.  The same ``Event`` object
        listed under several keys is counted once.  Articles not in ``gold`` are ignored.
    types
        Event types scored; gold and predicted events of other types are ignored.
    resolve_name
        Gives the (lat, lon) of a place name.  Used only for gold rows without a
        ``precision`` (the seeds, the bundled dispatches): for their ``also_accept``
        names, and for such a row whose own ``lat``/``lon`` are null.
    area_of
        Names of the named areas an event's place lies in (e.g. a city in
        Nagorno-Karabakh), for the area rule.
    max_km
        Distance for the point rules (``<=``), 50 km by default.

    Notes
    -----
    A predicted event and a gold event of the same article *match* when the types are
    equal (at the family level: the registry's families are equal) and the places
    agree under the rules of the gold row's ``precision``.  "Gold names" are the
    row's ``place`` and its ``also_accept`` names; a name *agrees* when, case-folded
    (Unicode NFKC, ``str.casefold``, runs of white space as one space), it equals the
    predicted place's name (``event.place.name``) or the predicted mention
    (``event.place_mention``), and the predicted place is in the row's ``country_iso2`` when both give
    one (a namesake abroad is no match by name).  The predicted precision is
    ``event.place.geo_precision``: 1 a populated place (kind ``city``), 2 an admin-1
    unit or named area, 3 a country or wider.

    ``precision`` 1 (a town, village, city district or site), one of:

    - ``point``: the predicted place is town-level (precision 1: an admin-1, area or
      country centroid never matches) and lies within ``max_km`` of the gold
      ``lat``/``lon``;
    - ``name``: a gold name agrees and the predicted place is town-level or, when
      the gold point is null (a village nobody could place), of any precision: a
      place the gazetteer lacks, kept under its name at the unit that holds it
      (:mod:`geo.localities`), is all anyone knows of it.

    ``precision`` 2 (district, province, region) and 3 (country), one of:

    - ``name``: a gold name agrees (whatever the predicted precision: an
      ``also_accept`` town the annotator allowed);
    - ``area``: a gold name equals the predicted place's name when its kind is
      ``"area"``, or a name in ``area_of(event)``;
    - ``point``: the predicted place is of precision >= 2 and the gold point lies
      within ``max_km`` of it;
    - ``country`` (precision 3 only): the predicted place is of precision >= 2 and in
      the gold ``country_iso2``.

    No ``precision`` (older gold: the seeds, the bundled dispatches), the lenient
    rules, whatever the predicted precision:

    - ``point``: within ``max_km`` of the gold point (the gold ``lat``/``lon``, else
      ``resolve_name(gold["place"])``);
    - ``also_accept``: within ``max_km`` of ``resolve_name(name)`` for a name in
      ``also_accept``;
    - ``area``: as above.

    Predictions are first collapsed, per article, to one per ``(event_type,
    place_key)`` (the gold has one row per type and place per article), so repeated
    reports of one event at one place (say with different dates) count once: as one
    true positive if it matches, else as one false positive; its casualty figures are
    the highest any of them gives.  Matching is then one-to-one and greedy: candidate
    pairs are taken in order of rank (at the family level, pairs of the same type
    first), then distance (a name or area match counts as 0 km, a country match as
    ``max_km``), each gold row and each collapsed prediction at most once.

    Casualties: among the family-level matches whose gold ``fatalities`` is not null,
    the number whose predicted ``Event.fatalities`` equals it; the same for ``injured``.
    """
    wanted = tuple(types)
    gold_by_id = {doc.id: doc for doc in gold}
    units = _collapse(predicted, gold_by_id, wanted)
    cache: dict[str, tuple[float, float] | None] = {}

    def resolve(name: str) -> tuple[float, float] | None:
        if resolve_name is None:
            return None
        if name not in cache:
            cache[name] = resolve_name(name)
        return cache[name]

    families = list(dict.fromkeys(family_of(t) for t in wanted))
    per_type = {t: [0, 0, 0] for t in wanted}
    per_family = {f: [0, 0, 0] for f in families}
    per_lang: dict[str, list[int]] = {}
    per_lang_family: dict[str, list[int]] = {}
    matches: list[EventPair] = []
    missed: list[EventPair] = []
    spurious: list[EventPair] = []
    family_matches: list[EventPair] = []
    casualties = {"fatalities": [0, 0, 0], "injured": [0, 0, 0]}
    for doc in gold:
        lang = doc.lang or "?"
        rows = [row for row in doc.events if row.get("type") in wanted]
        preds = units.get(doc.id, [])
        areas = [_area_names(unit, area_of) for unit in preds]
        for level, by_type, by_lang in (("type", per_type, per_lang), ("family", per_family, per_lang_family)):
            paired = _pair(rows, preds, areas, resolve, max_km, by_family=level == "family")
            counts_lang = by_lang.setdefault(lang, [0, 0, 0])
            key = (lambda t: t) if level == "type" else family_of
            gold_done = {gi for gi, _, _, _ in paired}
            pred_done = {pj for _, pj, _, _ in paired}
            for gi, pj, rule, distance in paired:
                row, unit = rows[gi], preds[pj]
                by_type[key(row["type"])][0] += 1
                counts_lang[0] += 1
                pair = EventPair(doc.id, row["type"], _describe_gold(row), _describe_event(unit[0]), distance, rule,
                                 None if unit[0].event_type == row["type"] else unit[0].event_type)
                if level == "type":
                    matches.append(pair)
                    continue
                family_matches.append(pair)
                for figure, tally in casualties.items():
                    if row.get(figure) is None:
                        continue
                    guess = highest_figure(*(getattr(event, figure) for event in unit))
                    tally[0] += 1
                    tally[1] += guess is not None
                    tally[2] += guess == row[figure]
            for gi, row in enumerate(rows):
                if gi not in gold_done:
                    by_type[key(row["type"])][2] += 1
                    counts_lang[2] += 1
                    if level == "type":
                        missed.append(EventPair(doc.id, row["type"], _describe_gold(row), None))
            for pj, unit in enumerate(preds):
                if pj not in pred_done:
                    event = unit[0]
                    by_type[key(event.event_type)][1] += 1
                    counts_lang[1] += 1
                    if level == "type":
                        spurious.append(EventPair(doc.id, event.event_type, None, _describe_event(event)))

    tp = sum(c[0] for c in per_type.values())
    fp = sum(c[1] for c in per_type.values())
    fn = sum(c[2] for c in per_type.values())
    family = Counts(*(sum(c[i] for c in per_family.values()) for i in range(3)))
    return EventScores(
        tp=tp,
        fp=fp,
        fn=fn,
        precision=_precision(tp, fp, fn),
        recall=_recall(tp, fp, fn),
        f1=_f1(tp, fp, fn),
        per_type={t: Counts(*c) for t, c in per_type.items()},
        matches=matches,
        missed=missed,
        spurious=spurious,
        per_lang={lang: Counts(*c) for lang, c in sorted(per_lang.items())},
        family=family,
        per_family={f: Counts(*c) for f, c in per_family.items()},
        per_lang_family={lang: Counts(*c) for lang, c in sorted(per_lang_family.items())},
        family_matches=family_matches,
        exact_type=sum(1 for pair in family_matches if pair.predicted_type is None),
        fatalities=Casualties(*casualties["fatalities"]),
        injured=Casualties(*casualties["injured"]),
    )


def _pair(
    rows: Sequence[Mapping[str, Any]],
    preds: Sequence[Sequence[Event]],
    areas: Sequence[set[str]],
    resolve: Callable[[str], tuple[float, float] | None],
    max_km: float,
    *,
    by_family: bool,
) -> list[tuple[int, int, str, float | None]]:
    """The one-to-one greedy matching of gold rows and collapsed predictions: (gold, prediction, rule, km)."""
    candidates: list[tuple[tuple[bool, float], int, int, str, float | None]] = []
    for gi, row in enumerate(rows):
        for pj, unit in enumerate(preds):
            predicted_type = unit[0].event_type
            if predicted_type != row["type"] and not (by_family and family_of(predicted_type) == family_of(row["type"])):
                continue
            found = _match(row, unit, areas[pj], resolve, max_km)
            if found is not None:
                rank, rule, distance = found
                candidates.append(((predicted_type != row["type"], rank), gi, pj, rule, distance))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    gold_done: set[int] = set()
    pred_done: set[int] = set()
    paired: list[tuple[int, int, str, float | None]] = []
    for _, gi, pj, rule, distance in candidates:
        if gi in gold_done or pj in pred_done:
            continue
        gold_done.add(gi)
        pred_done.add(pj)
        paired.append((gi, pj, rule, distance))
    return paired


def _collapse(
    predicted: Mapping[str, Sequence[Event]], gold_by_id: Mapping[str, GoldDoc], wanted: tuple[str, ...]
) -> dict[str, list[list[Event]]]:
    """Article id -> predictions grouped by (event_type, place_key), in first-seen order."""
    seen_objects: set[int] = set()
    groups: dict[str, dict[tuple[str, str], list[Event]]] = {}
    for key, events in predicted.items():
        for event in events:
            if id(event) in seen_objects or event.event_type not in wanted:
                continue
            seen_objects.add(id(event))
            articles = list(dict.fromkeys(s.article_id for s in event.sources)) or [key]
            for article_id in articles:
                if article_id in gold_by_id:
                    bucket = groups.setdefault(article_id, {})
                    bucket.setdefault((event.event_type, event.place_key), []).append(event)
    return {article_id: list(bucket.values()) for article_id, bucket in groups.items()}


def _area_names(unit: Sequence[Event], area_of: Callable[[Event], set[str]] | None) -> set[str]:
    names: set[str] = set()
    for event in unit:
        if event.place.kind == "area":
            names.add(_fold(event.place.name))
        if area_of is not None:
            names.update(_fold(n) for n in area_of(event) or ())
    return names


def _match(
    row: Mapping[str, Any],
    unit: Sequence[Event],
    area_names: set[str],
    resolve: Callable[[str], tuple[float, float] | None],
    max_km: float,
) -> tuple[float, str, float | None] | None:
    """(rank, rule, distance to the gold point) when the collapsed prediction matches the gold row, else None.

    The rank orders the greedy matching: a name or area match ranks as 0 km, a point
    match as its distance, a country match as ``max_km`` (after every point match).
    """
    place = unit[0].place
    here = (place.lat, place.lon)
    also = [n for n in row.get("also_accept") or () if isinstance(n, str)]
    gold_names = {_fold(row["place"]), *(_fold(n) for n in also)}
    precision = row.get("precision")
    if precision is None:
        return _match_lenient(row, here, also, gold_names, area_names, resolve, max_km)

    gold_distance = great_circle((row["lat"], row["lon"]), here).km if _has_coords(row) else None
    gold_country = row.get("country_iso2")
    # a namesake in another country is no match by name ("Доля" of a Donetsk report read as Dole, France)
    abroad = bool(gold_country and place.country_iso2 and gold_country.upper() != place.country_iso2.upper())
    by_name = not abroad and bool(gold_names & ({_fold(place.name)} | {_fold(e.place_mention) for e in unit}))
    near = gold_distance is not None and gold_distance <= max_km
    if precision == 1:
        if by_name and (place.geo_precision == 1 or not _has_coords(row)):
            return (0.0, "name", gold_distance)
        if place.geo_precision != 1:
            return None
        return (gold_distance, "point", gold_distance) if near else None  # type: ignore[return-value]
    if by_name:
        return (0.0, "name", gold_distance)
    if gold_names & area_names:
        return (0.0, "area", gold_distance)
    if place.geo_precision < 2:
        return None
    if near:
        return (gold_distance, "point", gold_distance)  # type: ignore[return-value]
    if precision == 3 and gold_country and place.country_iso2 and gold_country.upper() == place.country_iso2.upper():
        return (max_km, "country", gold_distance)
    return None


def _match_lenient(
    row: Mapping[str, Any],
    here: tuple[float, float],
    also: list[str],
    gold_names: set[str],
    area_names: set[str],
    resolve: Callable[[str], tuple[float, float] | None],
    max_km: float,
) -> tuple[float, str, float | None] | None:
    """The rules for gold rows without a precision: point, also_accept (resolved), area."""
    gold_point = (row["lat"], row["lon"]) if _has_coords(row) else resolve(row["place"])
    gold_distance = great_circle(gold_point, here).km if gold_point is not None else None
    best: tuple[float, str, float | None] | None = None
    if gold_distance is not None and gold_distance <= max_km:
        best = (gold_distance, "point", gold_distance)
    for name in also:
        point = resolve(name)
        if point is None:
            continue
        distance = great_circle(point, here).km
        if distance <= max_km and (best is None or distance < best[0]):
            best = (distance, "also_accept", gold_distance)
    if area_names & gold_names:
        best = (0.0, "area", gold_distance)
    return best


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _describe_gold(row: Mapping[str, Any]) -> str:
    where = f" ({row['lat']:.3f}, {row['lon']:.3f})" if _has_coords(row) else ""
    precision = f" p{row['precision']}" if row.get("precision") is not None else ""
    also = f" [also: {', '.join(row['also_accept'])}]" if row.get("also_accept") else ""
    return f"{row['type']} @ {row['place']}{precision}{where}{also}"


def _describe_event(event: Event) -> str:
    p = event.place
    mention = f" \"{event.place_mention}\"" if event.place_mention and event.place_mention != p.name else ""
    return f"{event.event_type} @ {p.name}{mention} [{p.kind}] ({p.lat:.3f}, {p.lon:.3f})"


# --------------------------------------------------------------------------- report


def format_report(
    toponyms: ToponymScores | None = None,
    events: EventScores | None = None,
    *,
    title: str | None = None,
    details: bool = False,
) -> str:
    """A compact plain-text report of toponym and/or event scores.

    Events: overall and per type (exact type), per family and overall at the family
    level, per language (both levels), the share of family matches with the exact type
    and the casualty agreement.  ``details`` adds one line per event match (exact
    type), miss and spurious prediction, and one per match that only the family level
    makes.
    """
    lines: list[str] = []
    if title:
        lines += [title, "=" * len(title)]
    header = f"{'':<30}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"
    if toponyms is not None:
        t = toponyms
        lines.append(header)
        lines.append(_row("toponyms (exact span)", Counts(t.tp, t.fp, t.fn)))
        lines.append(
            f"resolved {t.resolved}: <=161 km {t.within_161km} ({_pct(t.within_161km_share)}; "
            f"{_pct(t.within_161km_of_gold)} of {t.gold_with_coords} gold), "
            f"GeoNames id {t.geonameid_correct}/{t.geonameid_total} ({_pct(t.geonameid_share)})"
        )
        lines.append(
            f"error km: mean {_num(t.mean_error_km, 1)}, median {_num(t.median_error_km, 1)}; "
            f"AUC {_num(t.auc, 3)} (0 best)"
        )
    if events is not None:
        if toponyms is not None:
            lines.append("")
        lines.append(header)
        lines.append(_row("events (exact type)", Counts(events.tp, events.fp, events.fn)))
        for event_type, counts in events.per_type.items():
            lines.append(_row(f"  {event_type}", counts))
        lines.append(_row("events (family)", events.family))
        for family, counts in events.per_family.items():
            lines.append(_row(f"  {family}", counts))
        if events.per_lang:
            lines.append(f"{'per language':<30}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}{'F1 fam':>8}")
            for lang, counts in events.per_lang.items():
                family = events.per_lang_family.get(lang, Counts())
                lines.append(_row(f"  {lang}", counts) + f"{family.f1:>8.3f}")
        lines.append(f"exact type on {events.exact_type}/{events.family.tp} family matches "
                     f"({_pct(events.exact_type_share)})")
        for label, c in (("fatalities", events.fatalities), ("injured", events.injured)):
            lines.append(f"{label}: equal on {c.agree}/{c.compared} matches with a gold figure "
                         f"({_pct(c.share)}; predicted a figure on {c.predicted})")
        if details:
            for pair in events.matches:
                lines.append(f"  ok    {pair.article_id}: {pair.gold} <- {pair.predicted} ({_how(pair)})")
            for pair in events.family_matches:
                if pair.predicted_type is not None:
                    lines.append(f"  ~fam  {pair.article_id}: {pair.gold} <- {pair.predicted} ({_how(pair)})")
            for pair in events.missed:
                lines.append(f"  miss  {pair.article_id}: {pair.gold}")
            for pair in events.spurious:
                lines.append(f"  extra {pair.article_id}: {pair.predicted}")
    return "\n".join(lines)


def _how(pair: EventPair) -> str:
    return pair.rule + (f", {pair.distance_km:.1f} km" if pair.distance_km is not None else "")


def _row(label: str, c: Counts) -> str:
    return f"{label:<30}{c.tp:>6}{c.fp:>6}{c.fn:>6}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
