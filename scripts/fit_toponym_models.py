"""Fit the toponym span filter and ranker (``geo/models/toponym_span.json``, ``toponym_rank.json``)
and report cross-corpus scores.

    python scripts/fit_toponym_models.py [--corpus ../shared/corpus] [--dry-run] [--limit N]

Training data: every name the recogniser spots (``Recognizer.spotted``) in the public
geoparsing corpora (``benchmarks/{lgl,tr_news,geowebnews,geovirus}.jsonl``, English) and the
dev corpus (``dev/*.jsonl``, seven languages), positive when its span is exactly a gold
toponym's.  Each corpus weighs the same in the fit, whatever its size (the dev corpus
``--dev-weight`` times as much).

The ranker learns from the candidate readings of every kept name whose span is a gold
toponym with coordinates: positive when the reading lies within 161 km of the gold point (a gold
country: when it is that country, as ``conflict-map eval`` scores it,
``geo.evaluate.placement_error_km``) and, when the gold's own GeoNames place is among the readings,
is of its kind.

Honest figures: each corpus is scored by models fitted on the *other* corpora only
(leave one corpus out), with the recogniser's own selection (the likeliest of overlapping
names, above the threshold) and exact spans, as ``conflict-map eval`` counts them, and the
ranker's acc@161 on those names beside the gazetteer formula's.  Beside each F1, the F1 the same
selection would have with the names the gazetteer lacks added (``Recognizer.unlisted``: "in Bunagana", every
mention of such a name that reads as no person's): what recognising them would be worth, not what ships.
The shipped models are then fitted on all of them.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.evaluate import ACC_KM, load_gold, placement_error_km  # noqa: E402
from geo.learned import MODEL_DIR, LinearModel, fit_binary, fit_choice, plateau_threshold  # noqa: E402
from geo.ranking import RANK_FEATURES  # noqa: E402
from geo.span_filter import SPAN_FEATURES  # noqa: E402

CORPORA = {
    "lgl": "benchmarks/lgl.jsonl",
    "tr_news": "benchmarks/tr_news.jsonl",
    "geowebnews": "benchmarks/geowebnews.jsonl",
    "geovirus": "benchmarks/geovirus.jsonl",
    "dev": "dev",
}
L2 = 1.0
RANK_L2 = 0.1  # the ranker's (of 0.1, 1 and 10: held out acc@161 LGL 0.877, 0.866, 0.839; the others within 0.005)
THRESHOLD_WINDOW = 2  # the span filter's threshold maximises the F1 averaged over this many grid steps either side
DEV_WEIGHT = 1.0  # the dev corpus (seven languages, conflict news) beside one public corpus


@dataclass
class Document:
    """The spotted names of one gold document: spans, feature rows, labels, and the gold spans."""

    corpus: str
    lang: str | None
    spans: list[tuple[int, int]]
    rows: np.ndarray
    labels: np.ndarray
    gold: set[tuple[int, int]]
    spotted: list  # Recognizer.spotted()
    points: dict[tuple[int, int], dict]  # gold span -> gold toponym with a point
    readings: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # per kept gold name:
    resolve: Callable[[LinearModel | None], list[bool]] | None = None  # candidate rows, within 161 km; and
    #                                                 whether each is right within 161 km, by a ranker
    unlisted: Callable[[set[tuple[int, int]]], set[tuple[int, int]]] | None = None  # kept spans -> the spans of
    #                                                 the names the gazetteer lacks beside them (Recognizer.unlisted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    parser.add_argument("--limit", type=int, default=0, help="use only this many documents of each corpus (tests)")
    parser.add_argument("--folds", type=int, default=5, help="folds by article for the dev corpus [5]")
    parser.add_argument("--dev-weight", type=float, default=DEV_WEIGHT,
                        help=f"weight of the dev corpus beside one public corpus [{DEV_WEIGHT}]")
    args = parser.parse_args()
    globals()["DEV_WEIGHT"] = args.dev_weight

    from gazetteer import default_gazetteer
    from geo.recognize import Recognizer

    recognizer = Recognizer(default_gazetteer())
    files = {name: sorted((args.corpus / path).glob("*.jsonl")) if (args.corpus / path).is_dir()
             else [args.corpus / path] for name, path in CORPORA.items()}
    files = {name: paths for name, paths in files.items() if all(p.exists() for p in paths) and paths}
    documents = [doc for name, paths in files.items() for doc in read_corpus(recognizer, name, paths, args.limit)]
    names = list(files)
    print(f"{len(documents)} documents, {sum(len(d.spans) for d in documents)} spotted names "
          f"({sum(int(d.labels.sum()) for d in documents)} gold) from {', '.join(names)}", file=sys.stderr)

    held_out: dict[str, dict[str, float]] = {}
    with_unlisted: dict[str, dict[str, float]] = {}  # the same, the names the gazetteer lacks added (not shipped)
    for name in names:
        if name != "dev":
            model = fit([d for d in documents if d.corpus != name])
            inside = [d for d in documents if d.corpus == name]
            held_out[name] = score(model, inside)
            with_unlisted[name] = score(model, inside, unlisted=True)
            print(f"{name:>10} (fitted without it): {held_out[name]}; with unlisted names: {with_unlisted[name]}",
                  file=sys.stderr)
    if "dev" in names:
        folded, folded_unlisted = dev_kfold(documents, args.folds)
        held_out.update(folded)
        with_unlisted.update(folded_unlisted)
        for key in folded:
            print(f"{key:>10} ({args.folds}-fold by article): {held_out[key]}; with unlisted names: "
                  f"{with_unlisted[key]}", file=sys.stderr)
    model = fit(documents)
    # the ranker learns from the names this span filter keeps (the shipped one may have other features)
    attach_readings(recognizer, documents, model)
    ranking: dict[str, dict[str, dict[str, float]]] = {}
    for name in names:
        inside = [d for d in documents if d.corpus == name]
        ranker = fit_ranker([d for d in documents if d.corpus != name])
        ranking[name] = {"held_out": rank_score(ranker, inside), "formula": rank_score(None, inside)}
        print(f"{name:>10} ranking (fitted without it): {ranking[name]}", file=sys.stderr)
        if name == "dev":  # per language too
            for lang in sorted({d.lang or "?" for d in inside}):
                part = [d for d in inside if (d.lang or "?") == lang]
                ranking[f"dev:{lang}"] = {"held_out": rank_score(ranker, part), "formula": rank_score(None, part)}
                print(f"{'dev:' + lang:>10} ranking: {ranking[f'dev:{lang}']}", file=sys.stderr)
    ranker = fit_ranker(documents)
    report = {"held_out": held_out, "held_out_with_unlisted": with_unlisted, "ranking": ranking,
              "classic_rules": {name: score(None, [d for d in documents if d.corpus == name]) for name in names},
              "final_model_on_its_own_training_data": {name: score(model, [d for d in documents if d.corpus == name])
                                                      for name in names}}
    print(json.dumps(report, indent=1))
    if args.dry_run:
        return
    model.meta = {
        "script": "scripts/fit_toponym_models.py",
        "fitted": datetime.date.today().isoformat(),
        "data_sha256": {str(p.relative_to(args.corpus)): sha256(p) for paths in files.values() for p in paths},
        "examples": {name: sum(len(d.spans) for d in documents if d.corpus == name) for name in names},
        "scores": report,
    }
    ranker.meta = {k: v for k, v in model.meta.items() if k != "scores"} | {"scores": {"ranking": ranking}}
    MODEL_DIR.mkdir(exist_ok=True)
    model.save(MODEL_DIR / "toponym_span.json")
    ranker.save(MODEL_DIR / "toponym_rank.json")
    print(f"wrote {MODEL_DIR / 'toponym_span.json'} and toponym_rank.json", file=sys.stderr)


def fit_ranker(documents: list[Document]) -> LinearModel:
    """The ranker fitted on the candidates of every name with a right and a wrong reading (a conditional
    logit: the name's readings compete), each corpus weighing the same."""
    groups = [(d.corpus, rows, near) for d in documents for rows, near in d.readings
              if len(near) > 1 and 0 < near.sum() < len(near)]
    sizes: dict[str, int] = {}
    for corpus, _, _ in groups:
        sizes[corpus] = sizes.get(corpus, 0) + 1
    x = np.vstack([rows for _, rows, _ in groups])
    y = np.concatenate([near for _, _, near in groups])
    starts = np.cumsum([0] + [len(rows) for _, rows, _ in groups[:-1]])
    weight = np.asarray([len(groups) / (len(sizes) * sizes[corpus]) for corpus, _, _ in groups])
    w = fit_choice(x, starts, y, l2=RANK_L2, group_weight=weight)
    return LinearModel("toponym_rank", RANK_FEATURES, ("meant",), w[None, :], 0.5)


def attach_readings(recognizer, documents: list[Document], span_filter: LinearModel) -> None:
    """The ranker's data of each document: the candidate readings of the names ``span_filter`` keeps
    whose span is a gold toponym with a point, labelled by :func:`_meant`."""
    for doc in documents:
        kept = recognizer.kept(doc.spotted, span_filter)
        doc.readings = []
        for found, (candidates, rows) in zip(kept, recognizer.readings(kept)):
            gold = doc.points.get((found.mention.start, found.mention.end))
            if gold is not None:
                doc.readings.append((np.asarray(rows, dtype=np.float64), np.asarray(_meant(gold, candidates),
                                                                                   dtype=np.float64)))
        doc.resolve = partial(_right, recognizer, kept, doc.points)


def _meant(gold: dict, candidates) -> list[bool]:
    """Which readings the ranker learns as meant: those within 161 km of the gold point and, when the gold's
    own GeoNames place is among the readings, of its kind (the town, not the province around it, which is
    as near for acc@161 but not for an event: event F1 0.487 with every reading within 161 km, 0.515 so)."""
    near = [placement_error_km(gold, c.place) <= ACC_KM for c in candidates]
    kinds = {c.place.kind for c in candidates if gold.get("geonameid") is not None and c.place.geonameid == gold["geonameid"]}
    return [n and (not kinds or c.place.kind in kinds) for n, c in zip(near, candidates)]


def _right(recognizer, kept, points, ranker: LinearModel | None) -> list[bool]:
    """Whether each kept gold name's reading (the ranker's, or the formula's first) is within 161 km."""
    chosen = [s.best for s in kept] if ranker is None else recognizer.choose(kept, ranker)
    return [placement_error_km(gold, c.place) <= ACC_KM for s, c in zip(kept, chosen)
            if (gold := points.get((s.mention.start, s.mention.end))) is not None]


def rank_score(model: LinearModel | None, documents: list[Document]) -> dict[str, float]:
    """acc@161 of the chosen readings over the kept gold names (``model`` None: the formula's first)."""
    right = [r for doc in documents for r in doc.resolve(model)]
    return {"acc161": round(sum(right) / len(right), 3) if right else 0.0, "names": len(right)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_corpus(recognizer, corpus: str, paths: list[Path], limit: int = 0) -> list[Document]:
    """The spotted names of every document of one corpus, labelled by its gold spans."""
    result = []
    for path in paths:
        gold_docs = load_gold(path)
        for doc in gold_docs[:limit or None]:
            gold = {(t["start"], t["end"]) for t in doc.toponyms}
            spotted, _ = recognizer.spotted(doc.text, doc.lang)
            spans = [(s.mention.start, s.mention.end) for s in spotted]
            rows = np.asarray([s.row for s in spotted], dtype=np.float64).reshape(-1, len(SPAN_FEATURES))
            labels = np.asarray([span in gold for span in spans], dtype=np.float64)
            points = {(t["start"], t["end"]): t for t in doc.toponyms
                      if t.get("lat") is not None and t.get("lon") is not None}
            unlisted = partial(_unlisted, recognizer, doc.text, doc.lang)
            result.append(Document(corpus, doc.lang, spans, rows, labels, gold, spotted, points, unlisted=unlisted))
    return result


def _unlisted(recognizer, text: str, lang: str | None, kept: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """``kept`` and the mentions of the names the gazetteer lacks that overlap none of them."""
    return kept | set(recognizer.unlisted(text, kept, lang))


def fit(documents: list[Document]) -> LinearModel:
    """The span filter fitted on ``documents``, each corpus weighing the same; its threshold the middle of the
    plateau of best F1 on them (:func:`plateau_threshold`)."""
    x = np.vstack([d.rows for d in documents])
    y = np.concatenate([d.labels for d in documents])
    sizes: dict[str, int] = {}
    for d in documents:
        sizes[d.corpus] = sizes.get(d.corpus, 0) + len(d.spans)
    share = {name: DEV_WEIGHT if name == "dev" else 1.0 for name in sizes}
    total = sum(share.values())
    weight = np.concatenate([np.full(len(d.spans), len(y) * share[d.corpus] / (total * sizes[d.corpus]))
                             for d in documents])
    w = fit_binary(x, y, l2=L2, sample_weight=weight)
    model = LinearModel("toponym_span", SPAN_FEATURES, ("toponym",), w[None, :], 0.5)
    grid = [float(t) for t in np.arange(0.2, 0.8, 0.025)]
    model.threshold = round(plateau_threshold(grid, [f1(select_all(model, documents, t)) for t in grid],
                                                window=THRESHOLD_WINDOW), 3)
    return model


def dev_kfold(documents: list[Document], folds: int) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """The dev corpus scored k-fold by article (the public corpora always in the training data), overall
    and per language: ``{"dev": ..., "dev:ar": ...}``; and the same with the names the gazetteer lacks."""
    dev = [d for d in documents if d.corpus == "dev"]
    others = [d for d in documents if d.corpus != "dev"]
    fold_of = {id(d): k % folds for k, d in enumerate(dev)}
    kept: dict[int, set[tuple[int, int]]] = {}
    for fold in range(folds):
        model = fit(others + [d for d in dev if fold_of[id(d)] != fold])
        for d in dev:
            if fold_of[id(d)] == fold:
                kept[id(d)] = select(model, d, model.threshold)
    more = {id(d): d.unlisted(kept[id(d)]) if d.unlisted else kept[id(d)] for d in dev}
    result = {"dev": _counts_score(dev, kept)}
    unlisted = {"dev": _counts_score(dev, more)}
    for lang in sorted({d.lang or "?" for d in dev}):
        part = [d for d in dev if (d.lang or "?") == lang]
        result[f"dev:{lang}"], unlisted[f"dev:{lang}"] = _counts_score(part, kept), _counts_score(part, more)
    return result, unlisted


def _counts_score(documents: list[Document], kept: dict[int, set[tuple[int, int]]]) -> dict[str, float]:
    tp = sum(len(kept[id(d)] & d.gold) for d in documents)
    fp = sum(len(kept[id(d)] - d.gold) for d in documents)
    fn = sum(len(d.gold - kept[id(d)]) for d in documents)
    return _figures(tp, fp, fn)


def _figures(tp: int, fp: int, fn: int) -> dict[str, float]:
    return {"precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0, "f1": round(f1((tp, fp, fn)), 3)}


_CLASSIC = SPAN_FEATURES.index("classic_accept")
_OBJECTED = SPAN_FEATURES.index("objected")


def select(model: LinearModel | None, doc: Document, threshold: float) -> set[tuple[int, int]]:
    """The spans the recogniser keeps: the likeliest of overlapping names, above the threshold
    (``model`` None: the classic rules, the first of overlapping names they accept)."""
    if not doc.spans:
        return set()
    if model is None:
        likelihood = ((doc.rows[:, _CLASSIC] == 1) & (doc.rows[:, _OBJECTED] == 0)).astype(np.float64)
    else:
        likelihood = model.scores(doc.rows)
    kept: list[tuple[int, int]] = []
    for k in sorted(range(len(doc.spans)), key=lambda k: -likelihood[k]):  # stable: the first of equals
        if likelihood[k] < threshold:
            break
        start, end = doc.spans[k]
        if not any(start < e and s < end for s, e in kept):
            kept.append((start, end))
    return set(kept)


def select_all(model: LinearModel | None, documents: list[Document], threshold: float,
               unlisted: bool = False) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) over ``documents`` (``unlisted``: with the names the
    gazetteer lacks)."""
    tp = fp = fn = 0
    for doc in documents:
        kept = select(model, doc, threshold)
        if unlisted and doc.unlisted is not None:
            kept = doc.unlisted(kept)
        tp += len(kept & doc.gold)
        fp += len(kept - doc.gold)
        fn += len(doc.gold - kept)
    return tp, fp, fn


def f1(counts: tuple[int, int, int]) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(model: LinearModel | None, documents: list[Document], unlisted: bool = False) -> dict[str, float]:
    """Exact-span precision, recall and F1 of ``model`` at its threshold on ``documents`` (None: the
    classic rules; ``unlisted``: with the names the gazetteer lacks)."""
    threshold = model.threshold if model is not None else 0.5
    return _figures(*select_all(model, documents, threshold, unlisted))


if __name__ == "__main__":
    main()
