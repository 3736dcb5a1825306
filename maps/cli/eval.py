"""``conflict-map eval GOLD.jsonl``: score our toponyms and events against a gold annotation."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from .options import lexicon_option, open_gazetteer, overrides_option


@click.command("eval")
@click.argument("gold_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--literal-only", is_flag=True, help="Score literal gold toponyms only (GeoWebNews, seeds).")
@click.option("--details", is_flag=True, help="List every event match, miss and spurious event.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--types", "types", default=None, metavar="LIST",
              help="Comma-separated event types to score [default: all but statement, which the shared gold"
                   " does not annotate].")
@lexicon_option
@overrides_option
def evaluate(gold_file: Path, literal_only: bool, details: bool, as_json: bool, types: str | None,
             lexicon_files: tuple[Path, ...], overrides) -> None:
    """Toponym P/R/F1 (exact spans), accuracy within 161 km, error AUC and event P/R/F1 on GOLD_FILE."""
    from geo.evaluate import EVENT_TYPES_SCORED, format_report, load_gold, score_events, score_toponyms
    from geo.model import EVENT_TYPES, Article
    from geo.pipeline import Pipeline
    from geo.read import detect_language

    listed = EVENT_TYPES_SCORED if types is None else types.split(",")
    scored_types = tuple(dict.fromkeys(t.strip() for t in listed if t.strip()))
    unknown = [t for t in scored_types if t not in EVENT_TYPES]
    if unknown or not scored_types:
        raise click.BadParameter(f"{', '.join(unknown) or 'nothing'}: choose from {', '.join(EVENT_TYPES)}",
                                 param_hint="--types")

    gold = load_gold(gold_file)
    gazetteer = open_gazetteer(overrides)
    pipeline = Pipeline(gazetteer, lexicon_files=lexicon_files)
    results = [pipeline.process(Article(doc.id, doc.text, lang=doc.lang or detect_language(doc.text)))
               for doc in gold]
    toponyms = score_toponyms(gold, {r.article_id: r.toponyms for r in results}, literal_only=literal_only)
    scored_events = None
    if any(doc.events for doc in gold):
        areas = pipeline.areas_of([e for r in results for e in r.events])

        def resolve_name(name: str) -> tuple[float, float] | None:
            found = gazetteer.resolve(name, limit=1)
            return (found[0].place.lat, found[0].place.lon) if found else None

        scored_events = score_events(gold, {r.article_id: r.events for r in results}, types=scored_types,
                                     resolve_name=resolve_name, area_of=lambda event: areas.get(event.event_id, set()))
    if as_json:
        payload = {"toponyms": _plain(toponyms), "events": _plain(scored_events) if scored_events else None}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(format_report(toponyms, scored_events, title=f"conflict-map eval {gold_file}", details=details))


def _plain(scores: object) -> dict:
    data = asdict(scores)  # type: ignore[call-overload]
    for key in ("errors_km", "matches", "missed", "spurious"):
        data.pop(key, None)
    return data
