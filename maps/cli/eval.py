"""``conflict-map eval PATH...``: score our toponyms and events against a gold annotation or a task corpus."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import lexicon_option, open_gazetteer, overrides_option


@click.command("eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--task", type=click.Choice(["auto", "gold", "event-location", "case2021"]), default="auto",
              show_default=True,
              help="What the files hold: gold documents (toponyms, events), event-location sentences or CASE 2021"
                   " snippets; auto tells it by the fields of the first record.")
@click.option("--literal-only", is_flag=True, help="Score literal gold toponyms only (GeoWebNews, seeds).")
@click.option("--demonyms", is_flag=True, help="Count demonyms as toponyms of their country (as parse --demonyms).")
@click.option("--unlisted", is_flag=True,
              help="Count the names the gazetteer lacks (\"in Bunagana\") as recognised toponyms with no point, as the"
                   " corpora annotate them.")
@click.option("--details", is_flag=True, help="List every event match, miss and spurious event.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--types", "types", default=None, metavar="LIST",
              help="Comma-separated event types to score [default: the registry's scored types, all but"
                   " statement].")
@lexicon_option
@overrides_option
def evaluate(paths: tuple[Path, ...], task: str, literal_only: bool, demonyms: bool, unlisted: bool, details: bool,
             as_json: bool, types: str | None, lexicon_files: tuple[Path, ...], overrides) -> None:
    """Score us on PATH...: gold JSONL files or folders of them (every *.jsonl inside).

    Gold documents: toponym P/R/F1 (exact spans), accuracy within 161 km, error AUC,
    and strict event P/R/F1 per type, family and language with casualty agreement.
    event-location: place-span P/R/F1 given the verb and end to end.  case2021:
    event-type accuracy, macro-F1 and confusion over families.
    """
    from geo.errors import InputError
    from geo.evaluate import EVENT_TYPES_SCORED, jsonl_files
    from geo.event_types import EVENT_TYPES
    from geo.evaluate_tasks import detect_task

    listed = EVENT_TYPES_SCORED if types is None else types.split(",")
    scored_types = tuple(dict.fromkeys(t.strip() for t in listed if t.strip()))
    unknown = [t for t in scored_types if t not in EVENT_TYPES]
    if unknown or not scored_types:
        raise click.BadParameter(f"{', '.join(unknown) or 'nothing'}: choose from {', '.join(EVENT_TYPES)}",
                                 param_hint="--types")

    files = jsonl_files(paths)
    if task == "auto":
        kinds = {path: detect_task(path) for path in files}
        found = set(kinds.values())
        if len(found) > 1:
            listing = ", ".join(f"{path} ({kind})" for path, kind in kinds.items())
            raise InputError(f"cannot score different kinds of file together: {listing}")
        task = found.pop()
    title = f"conflict-map eval {' '.join(str(p) for p in paths)}"
    if task == "gold":
        _gold(files, title, scored_types, literal_only, demonyms, unlisted, details, as_json, lexicon_files,
              overrides)
    else:
        _task(task, files, title, scored_types, as_json, lexicon_files, overrides)


def _gold(files: list[Path], title: str, scored_types: tuple[str, ...], literal_only: bool, demonyms: bool,
          unlisted: bool, details: bool, as_json: bool, lexicon_files: tuple[Path, ...], overrides) -> None:
    from dataclasses import asdict

    from geo.evaluate import format_report, load_gold_paths, score_events, score_toponyms
    from geo.pipeline import Pipeline
    from geo.read import detect_language
    from maps.progress import Reporter

    gold = load_gold_paths(files)
    gazetteer = open_gazetteer(overrides)
    pipeline = Pipeline(gazetteer, lexicon_files=lexicon_files)
    results = []
    with Reporter().task("Reading the gold articles", total=len(gold)) as advance:
        for doc in gold:
            results.append(pipeline.process(doc.article(doc.lang or detect_language(doc.text))))
            advance(1)
    found = {r.article_id: r.toponyms for r in results}
    if demonyms:
        texts = {doc.id: doc.text for doc in gold}
        found = {key: pipeline.recognizer.with_demonyms(texts[key], value) for key, value in found.items()}
    unplaced = None
    if unlisted:
        languages = {doc.id: doc.lang or detect_language(doc.text) for doc in gold}
        unplaced = {doc.id: pipeline.recognizer.unlisted(doc.text, [(t.start, t.end) for t in found.get(doc.id, ())],
                                                         languages[doc.id]) for doc in gold}
    toponyms = score_toponyms(gold, found, literal_only=literal_only, unplaced=unplaced)
    scored_events = None
    if any(doc.events for doc in gold):
        areas = pipeline.areas_of([e for r in results for e in r.events])

        def resolve_name(name: str) -> tuple[float, float] | None:
            found = gazetteer.resolve(name, limit=1)
            return (found[0].place.lat, found[0].place.lon) if found else None

        scored_events = score_events(gold, {r.article_id: r.events for r in results}, types=scored_types,
                                     resolve_name=resolve_name, area_of=lambda event: areas.get(event.event_id, set()))
    if as_json:
        plain = asdict(toponyms)
        plain.pop("errors_km", None)
        payload = {"toponyms": plain, "events": scored_events.as_json() if scored_events else None}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(format_report(toponyms, scored_events, title=title, details=details))


def _task(task: str, files: list[Path], title: str, scored_types: tuple[str, ...], as_json: bool,
          lexicon_files: tuple[Path, ...], overrides) -> None:
    from geo.evaluate_tasks import (
        format_case2021,
        format_event_location,
        load_case2021,
        load_event_location,
        score_case2021,
        score_event_location,
    )
    from geo.pipeline import Pipeline
    from maps.progress import Reporter

    rows = load_event_location(files) if task == "event-location" else load_case2021(files)
    pipeline = Pipeline(open_gazetteer(overrides), lexicon_files=lexicon_files)
    with Reporter().task(f"Scoring {task}", total=len(rows)) as advance:
        if task == "event-location":
            scores = score_event_location(rows, pipeline, advance=advance)  # type: ignore[arg-type]
        else:
            scores = score_case2021(rows, pipeline, types=scored_types, advance=advance)  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps({"task": task, **scores.as_json()}, ensure_ascii=False, indent=2))  # type: ignore[union-attr]
    elif task == "event-location":
        click.echo(format_event_location(scores, title=title))  # type: ignore[arg-type]
    else:
        click.echo(format_case2021(scores, title=title))  # type: ignore[arg-type]
