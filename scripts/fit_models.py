"""Fit the event placement and event type models from ../shared/corpus, report honest scores,
and write ``geo/models/placement.json`` and ``geo/models/event_type.json``.

    python scripts/fit_models.py [--corpus ../shared/corpus] [--folds 5] [--repeats 1] [--dry-run]

Training data:
- ``event_location/sentences.jsonl`` (English; the verb given, the spans where its event
  happened): every (verb, recognised place) pair is an example, positive when the place
  overlaps a gold span.  The adjudicated ``gold`` subset is held apart for reporting.
- ``dev/*.jsonl`` (seven languages): every (trigger, place) candidate of the detector,
  positive when the article's gold has an event of the trigger's family at that place; the
  type model learns the gold type of every candidate whose place carries a gold event.
- ``case2021_task2/snippets.jsonl`` (English, ACLED labels): every trigger of a snippet
  of one of our types is a type example of that type (the type model only; the snippets
  mark no places).

Honest figures: the dev corpus is split k-fold *by article*; each fold's articles are run
through the whole detector with models fitted without them and scored with
``geo.evaluate.score_events``; the CASE 2021 snippets are split into the same number of
folds, fold k held out together with the dev articles of fold k, and each snippet is run
through ``extract`` with the type model that never saw it
(``geo.evaluate_tasks.score_case2021``); the event-location gold subset is never fitted on.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import LOCALITY  # noqa: E402
from geo.article_level import ARTICLE_FEATURES, group_features, group_reports  # noqa: E402
from geo.event_types import EVENT_TYPES  # noqa: E402
from geo.event_typing import TYPE_FEATURES, type_features  # noqa: E402
from geo.learned import MODEL_DIR, LinearModel, fit_binary, fit_multinomial, plateau_threshold  # noqa: E402
from geo.model import Article, Toponym  # noqa: E402
from geo.text import neighbour_texts, sentences  # noqa: E402
from geo.placement import FEATURES  # noqa: E402

EL_WEIGHT = 0.7  # an event-location example counts this much beside a dev example
L2_PLACEMENT = 2.0
L2_TYPE = 5.0
L2_KEEP = 1.0
# the keep model's threshold: the middle of its F1 plateau, +-2 grid steps (k-fold 0.544 against 0.542 at its peak);
# the placement threshold stays at its peak (window 2 there: dev 0.546, but event-location given the verb 0.569 -> 0.552)
KEEP_THRESHOLD_WINDOW = 2
CASE_WEIGHT = 1.0  # a CASE 2021 type example counts this much beside a dev one
KM = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=1,
                        help="also run the k-fold over this many shuffled splits and report the F1 spread")
    parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    parser.add_argument("--limit", type=int, default=0, help="use only this many examples of each corpus (tests)")
    parser.add_argument("--el-weight", type=float, default=EL_WEIGHT,
                        help=f"weight of an event-location example beside a dev example [{EL_WEIGHT}]")
    parser.add_argument("--case-weight", type=float, default=CASE_WEIGHT,
                        help=f"weight of a CASE 2021 type example beside a dev one [{CASE_WEIGHT}]")
    args = parser.parse_args()
    globals()["EL_WEIGHT"] = args.el_weight
    globals()["CASE_WEIGHT"] = args.case_weight

    from geo.pipeline import Pipeline

    pipeline = Pipeline()
    detector = pipeline.detector
    el_train, el_gold = event_location_examples(pipeline, args.corpus / "event_location" / "sentences.jsonl",
                                                args.limit)
    docs = dev_documents(args.corpus / "dev", args.limit)
    dev = [dev_examples(pipeline, doc) for doc in docs]
    snippets, case_rows = case_examples(pipeline, args.corpus / "case2021_task2" / "snippets.jsonl", args.limit)
    print(f"event_location: {len(el_train)} training pairs, {len(el_gold)} gold-subset pairs; "
          f"dev: {len(docs)} articles, {sum(len(d['placement']) for d in dev)} candidates", file=sys.stderr)

    kfold, case_kfold = kfold_scores(pipeline, el_train, docs, dev, snippets, case_rows, args.folds)
    repeated = {}
    if args.repeats > 1:  # the spread of the k-fold figure over other splits: what a change must beat
        runs = [kfold_scores(pipeline, el_train, docs, dev, snippets, case_rows, args.folds, seed)[0]
                for seed in range(1, args.repeats)] + [kfold]
        repeated = {key: {"mean": round(float(np.mean([r[key]["F1"] for r in runs])), 3),
                          "sd": round(float(np.std([r[key]["F1"] for r in runs])), 3)}
                    for key in kfold if "F1" in kfold[key]}
        print(f"k-fold F1 over {args.repeats} splits: " + ", ".join(
            f"{k} {v['mean']:.3f}±{v['sd']:.3f}" for k, v in repeated.items()), file=sys.stderr)

    placement, typing, keep = fit_models(pipeline, el_train, dev, docs, [r for rows in case_rows for r in rows])
    detector._placement, detector._typing, detector._keep = placement, typing, keep
    el_scores = span_scores(placement, el_gold)
    final = score(pipeline, [(doc, run_detector(pipeline, doc)) for doc in docs])
    report = {"kfold_by_article": kfold, "final_model_on_its_own_training_data": final,
              **({"kfold_repeated_f1": repeated} if repeated else {}),
              "case2021_kfold_by_snippet": case_kfold,
              "event_location_gold_subset_given_the_verb": el_scores}
    print(json.dumps(report, indent=1))
    if args.dry_run:
        return
    fitted = {
        "script": "scripts/fit_models.py",
        "fitted": datetime.date.today().isoformat(),
        "data_sha256": {str(p.relative_to(args.corpus)): sha256(p) for p in
                        [args.corpus / "event_location" / "sentences.jsonl",
                                         args.corpus / "case2021_task2" / "snippets.jsonl",
                                         *sorted((args.corpus / "dev").glob("*.jsonl"))]},
        "examples": {"event_location": len(el_train), "dev_candidates": sum(len(d["placement"]) for d in dev),
                     "case2021_type_rows": sum(len(rows) for rows in case_rows)},
        "scores": report,
    }
    MODEL_DIR.mkdir(exist_ok=True)
    placement.meta = fitted
    typing.meta = {k: v for k, v in fitted.items() if k != "scores"}
    keep.meta = typing.meta
    for model in (placement, typing, keep):
        model.save(MODEL_DIR / f"{model.name}.json")
    print(f"wrote {MODEL_DIR}/placement.json, event_type.json and event_keep.json", file=sys.stderr)


# --------------------------------------------------------------------------- data


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def event_location_examples(pipeline, path: Path, limit: int = 0) -> tuple[list, dict]:
    """Training rows (features, label) of the event-location sentences, and the gold subset:
    sentence id -> (gold spans, its candidate rows) for span scoring."""
    detector = pipeline.detector
    train: list = []
    gold: dict[str, tuple[list, list]] = {}
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit and n >= limit:
                break
            record = json.loads(line)
            text = record["text"]
            gold_spans = [(loc["start"], loc["end"]) for loc in record["locations"]]
            if record.get("gold"):
                gold[record["id"]] = (gold_spans, [])
            recognised = pipeline.event_places(text, "en")
            verb = record["verb"]
            for c in detector.verb_candidates(text, recognised, (verb["start"], verb["end"])):
                label = any(c.toponym.start < e and s < c.toponym.end for s, e in gold_spans)
                if record.get("gold"):
                    gold[record["id"]][1].append((c.features, (c.toponym.start, c.toponym.end)))
                else:
                    train.append((c.features, float(label)))
    return train, gold


def case_examples(pipeline, path: Path, limit: int = 0) -> tuple[list, list[list]]:
    """The CASE 2021 snippets, and per snippet its type rows (features, our type): every trigger of a
    snippet labelled with one of our types."""
    from geo.evaluate_tasks import load_case2021
    from geo.text import tokenize

    snippets = load_case2021([path])[:limit or None]
    lexicon = pipeline.detector.lexicon
    rows: list[list] = []
    for snippet in snippets:
        found: list = []
        if snippet.type is not None:
            spans = sentences(snippet.text)
            for i, sentence in enumerate(spans):
                tokens = tokenize(snippet.text, sentence.start, sentence.end)
                hits = pipeline.detector.triggers.find(tokens)
                neighbours = neighbour_texts(spans, i)
                near = pipeline.detector.trigger_types(neighbours)
                found += [(type_features(lexicon, tokens, hits, hit, neighbours, near), snippet.type) for hit in hits]
        rows.append(found)
    return snippets, rows


class _FoldPipeline:
    """The pipeline with, for each snippet, the models of the fold that held it out."""

    def __init__(self, pipeline, fold_of: dict[str, int], models: list) -> None:
        self.pipeline, self.fold_of, self.models = pipeline, fold_of, models

    def process(self, article):
        detector = self.pipeline.detector
        detector._placement, detector._typing, detector._keep = self.models[self.fold_of[article.article_id]]
        return self.pipeline.process(article)


def case_scores(pipeline, snippets: list, folds: list[int], models: list) -> dict:
    """Accuracy and macro-F1 of the event family on the CASE 2021 snippets, each through ``extract`` with
    the models of the fold that held it out."""
    from geo.evaluate_tasks import score_case2021

    fold_of = {s.id: f for s, f in zip(snippets, folds)}
    scores = score_case2021(snippets, _FoldPipeline(pipeline, fold_of, models))
    return {"accuracy": _round(scores.accuracy), "macro_f1": _round(scores.macro_f1),
            "exact_type": _round(scores.exact_accuracy)}


def dev_documents(folder: Path, limit: int = 0) -> list[dict]:
    docs = []
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            lines = [json.loads(line) for line in handle if line.strip()]
        docs += lines[:limit] if limit else lines
    return docs


def _near(a: tuple[float, float], b: tuple[float, float]) -> bool:
    from geopy.distance import great_circle

    return great_circle(a, b).km <= KM


def _place_matches(toponym, row) -> bool:
    if toponym.place.kind == LOCALITY and row.get("precision", 1) == 1 and row.get("lat") is not None:
        return False  # the gold knows the village's point, the locality only its unit's (as geo.evaluate scores it)
    names = {row["place"].casefold(), *(n.casefold() for n in row.get("also_accept") or ())}
    if toponym.mention.casefold() in names or toponym.place.name.casefold() in names:
        return True
    if row.get("lat") is None:
        return False
    if row.get("precision", 1) == 3 or toponym.place.kind == "country":
        return toponym.place.kind == "country" and toponym.place.country_iso2 == row.get("country_iso2") \
            and row.get("precision", 1) == 3
    return _near((row["lat"], row["lon"]), (toponym.place.lat, toponym.place.lon))


def _evidence_span(text: str, row: dict) -> tuple[int, int] | None:
    start = text.find(row.get("evidence") or "\0")
    return (start, start + len(row["evidence"])) if start >= 0 else None


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int]) -> bool:
    return a is not None and a[0] < b[1] and b[0] < a[1]


def dev_examples(pipeline, doc: dict) -> dict:
    """Placement rows (features, label) and type rows (features, gold type) of one dev article."""
    from geo.text import sentences

    text, lang = doc["text"], doc.get("lang")
    recognised = pipeline.event_places(text, lang)
    doc["_recognised"] = recognised
    spans = sentences(text)
    detector = pipeline.detector
    gold = doc.get("events") or []
    placement, typing = [], []
    evidence = [_evidence_span(text, row) for row in gold]
    for group in detector.sentence_candidates(text, spans, recognised):
        neighbours = neighbour_texts(spans, group.index)
        near = detector.trigger_types(neighbours)
        here = (group.sentence.start, group.sentence.end)
        for c in group.candidates:
            family = EVENT_TYPES[c.event_type].family
            # a gold event at this place, said in this sentence or of this trigger's family
            fitting = [row for row, span in zip(gold, evidence) if row["type"] in EVENT_TYPES
                       and _place_matches(c.toponym, row)
                       and (EVENT_TYPES[row["type"]].family == family or _overlaps(span, here))]
            placement.append((c.features, float(bool(fitting))))
            if fitting:
                same = [row["type"] for row in fitting if EVENT_TYPES[row["type"]].family == family]
                typing.append((type_features(detector.lexicon, group.tokens, group.hits, c.hit, neighbours, near),
                               same[0] if same else fitting[0]["type"]))
    return {"placement": placement, "typing": typing}


# --------------------------------------------------------------------------- fitting


def kfold_scores(pipeline, el_train: list, docs: list[dict], dev: list[dict], snippets: list, case_rows: list,
                 k: int, seed: int = 0) -> tuple[dict, dict]:
    """Dev scores k-fold by article and CASE 2021 scores k-fold by snippet, fold j of both held out
    together; ``seed`` 0 deals articles to folds in corpus order, another seed shuffles them."""
    detector = pipeline.detector
    order = np.random.default_rng(seed).permutation(len(docs)) if seed else np.arange(len(docs))
    folds = [0] * len(docs)
    for rank, i in enumerate(order):
        folds[i] = rank % k
    case_folds = [i % k for i in range(len(snippets))]
    out_of_fold = []
    models = []
    for fold in range(k):
        train = [d for d, f in zip(dev, folds) if f != fold]
        train_docs = [doc for doc, f in zip(docs, folds) if f != fold]
        case_train = [r for rows, f in zip(case_rows, case_folds) if f != fold for r in rows]
        models.append(fit_models(pipeline, el_train, train, train_docs, case_train))
        detector._placement, detector._typing, detector._keep = models[-1]
        out_of_fold += [(doc, run_detector(pipeline, doc)) for doc, f in zip(docs, folds) if f == fold]
    case = case_scores(pipeline, snippets, case_folds, models) if not seed else {}
    return score(pipeline, out_of_fold), case


def fit_models(pipeline, el_train: list, dev: list[dict], docs: list[dict],
               case_rows: list) -> tuple[LinearModel, ...]:
    """The placement and type models, then the keep model over what they report on ``docs``."""
    placement, typing = fit_sentence_models(el_train, dev, case_rows)
    detector = pipeline.detector
    detector._placement, detector._typing, detector.use_keep = placement, typing, False
    rows = []
    for doc in docs:
        article = Article(doc["id"], doc["text"], lang=doc.get("lang"), published=doc.get("published"))
        recognised = doc["_recognised"]
        groups = group_reports(detector.reports(article, recognised))
        if not groups:
            continue
        features = group_features(groups, [t for t, _ in recognised], len(sentences(doc["text"])))
        gold = [row for row in doc.get("events") or [] if row["type"] in EVENT_TYPES]
        at_place: dict[str, set[str]] = {}
        for event_type, place in groups:
            at_place.setdefault(place, set()).add(event_type)
        for key, reports in groups.items():
            event = reports[0].event
            proxy = Toponym(0, 0, event.place_mention, event.place, 1.0, "")
            family = EVENT_TYPES[event.event_type].family
            # the gold's type, or its family when no other type reported at the place is the gold's: a shelling
            # beside the airstrike the gold gives at one town is a false event, not a second right one
            label = any(_place_matches(proxy, row) and (row["type"] == event.event_type or (
                EVENT_TYPES[row["type"]].family == family and row["type"] not in at_place[key[1]]))
                for row in gold)
            rows.append((features[key], float(label)))
    detector.use_keep = True
    x = np.asarray([r[0] for r in rows])
    y = np.asarray([r[1] for r in rows])
    weights = fit_binary(x, y, l2=L2_KEEP)
    keep = LinearModel("event_keep", ARTICLE_FEATURES, ("yes",), weights[None, :],
                       best_threshold(1 / (1 + np.exp(-(x @ weights))), y, window=KEEP_THRESHOLD_WINDOW))
    return placement, typing, keep


def fit_sentence_models(el_train: list, dev: list[dict], case_rows: list) -> tuple[LinearModel, LinearModel]:
    rows = [(f, y, EL_WEIGHT) for f, y in el_train] + [(f, y, 1.0) for d in dev for f, y in d["placement"]]
    x = np.asarray([r[0] for r in rows])
    y = np.asarray([r[1] for r in rows])
    w = np.asarray([r[2] for r in rows])
    weights = fit_binary(x, y, l2=L2_PLACEMENT, sample_weight=w)
    dev_x = np.asarray([f for d in dev for f, _ in d["placement"]])
    dev_y = np.asarray([y for d in dev for _, y in d["placement"]])
    threshold = best_threshold(1 / (1 + np.exp(-(dev_x @ weights))), dev_y)
    placement = LinearModel("placement", FEATURES, ("yes",), weights[None, :], threshold)

    types = list(EVENT_TYPES)
    type_rows = [(f, types.index(t), 1.0) for d in dev for f, t in d["typing"]]
    type_rows += [(f, types.index(t), CASE_WEIGHT) for f, t in case_rows]
    # every trigger type votes for itself once, so a type with few examples keeps its own trigger
    for t in types:
        prior = [0.0] * len(TYPE_FEATURES)
        prior[0] = 1.0
        prior[TYPE_FEATURES.index(f"trigger_{t}")] = 1.0
        type_rows += [(prior, types.index(t), 1.0)] * 3
    tx = np.asarray([r[0] for r in type_rows])
    ty = np.asarray([r[1] for r in type_rows])
    tw = np.asarray([r[2] for r in type_rows])
    typing = LinearModel("event_type", TYPE_FEATURES, tuple(types),
                         fit_multinomial(tx, ty, len(types), l2=L2_TYPE, sample_weight=tw))
    return placement, typing


def best_threshold(p: np.ndarray, y: np.ndarray, window: int = 0) -> float:
    """The cut that maximises candidate-level F1, averaged over ``window`` grid steps either side
    (:func:`geo.learned.plateau_threshold`); the same best-of-candidates rule the detector applies is left to the
    end-to-end scores."""
    grid = [float(t) for t in np.arange(0.2, 0.81, 0.025)]
    scores = []
    for t in grid:
        tp = float(((p >= t) & (y == 1)).sum())
        fp = float(((p >= t) & (y == 0)).sum())
        fn = float(((p < t) & (y == 1)).sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return round(plateau_threshold(grid, scores, window), 3)


# --------------------------------------------------------------------------- scoring


def span_scores(placement: LinearModel, gold: dict) -> dict:
    """P/R/F1 of the chosen place spans on the event-location gold subset, the verb given."""
    tp = fp = fn = 0
    for gold_spans, rows in gold.values():
        chosen = [span for (features, span), p in zip(rows, placement.scores([f for f, _ in rows]) if rows else [])
                  if p >= placement.threshold]
        matched: set[int] = set()
        for s, e in chosen:
            hit = next((i for i, (gs, ge) in enumerate(gold_spans) if i not in matched and s < ge and gs < e), None)
            if hit is None:
                fp += 1
            else:
                matched.add(hit)
                tp += 1
        fn += len(gold_spans) - len(matched)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "P": round(p, 3), "R": round(r, 3),
            "F1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def run_detector(pipeline, doc: dict):
    article = Article(doc["id"], doc["text"], lang=doc.get("lang"), published=doc.get("published"))
    return pipeline.process(article).events


def score(pipeline, runs: list) -> dict:
    """Strict event scores over (gold doc, predicted events) pairs (``geo.evaluate.score_events``):
    overall, family level, per language, casualty agreement."""
    from geo.evaluate import GoldDoc, score_events

    gold = [GoldDoc(id=d["id"], text=d["text"], lang=d.get("lang"), toponyms=[], events=d.get("events") or [])
            for d, _ in runs]
    predicted = {d["id"]: events for d, events in runs}

    def resolve(name: str):
        found = pipeline.gazetteer.resolve(name, limit=1)
        return (found[0].place.lat, found[0].place.lon) if found else None

    areas = pipeline.areas_of([e for _, events in runs for e in events])
    s = score_events(gold, predicted, resolve_name=resolve, area_of=lambda event: areas.get(event.event_id, set()))
    result = {"all": _counts(s), "family": _counts(s.family)}
    result.update({lang: _counts(c) for lang, c in sorted(s.per_lang.items())})
    result["fatalities"] = {"agree": s.fatalities.agree, "compared": s.fatalities.compared,
                            "share": _round(s.fatalities.share)}
    result["injured"] = {"agree": s.injured.agree, "compared": s.injured.compared, "share": _round(s.injured.share)}
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _counts(c) -> dict:
    return {"tp": c.tp, "fp": c.fp, "fn": c.fn, "P": round(c.precision, 3), "R": round(c.recall, 3),
            "F1": round(c.f1, 3)}


if __name__ == "__main__":
    main()
