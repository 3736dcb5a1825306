"""The whole job behind ``conflict-map build``: articles to events, GIS exports and ``map.html``.

Incremental: each article's result is kept in ``DIR/.cache`` under its content hash
(:mod:`maps.article_cache`), so a rebuild after editing or adding one article runs the
pipeline on that article only; merging, joins, exports and the map are redone from all
results every time (they are fast).  ``force`` ignores the cache.  A :class:`Builder`
kept alive (``build --watch``) also keeps the pipeline and the cached results in memory.

All outputs are written into a staging folder inside ``DIR`` and moved into place at the
end: a failed build leaves the previous outputs as they were, and a build that created
``DIR`` removes it again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import OutputError

from .article_cache import ArticleCache, InputCache, pipeline_fingerprint, reader_fingerprint
from .progress import Reporter
from .tiles import DEFAULT_TILES

if TYPE_CHECKING:
    from geo.model import Article

    from .render import MapSummary
    from geo.pipeline import ArticleResult

__all__ = ["Builder", "BuildResult", "build", "prepare_out_dir", "ensure_offline_assets", "MAP_FILE"]

#: The map's file name in the output folder (contract).
MAP_FILE = "map.html"


@dataclass
class BuildResult:
    """What a build did and wrote."""

    articles: int
    processed: list[str]
    cached: int
    events: int
    per_type: dict[str, int]
    regional: int
    unresolved: dict[str, int]  # place-like names no gazetteer entry matched -> articles naming them
    outputs: dict[str, Path]
    map_bytes: int
    map_scripts: str = "inlined"  # or "loaded from the internet (why they could not be inlined)"
    seconds: dict[str, float] = field(default_factory=dict)


class Builder:
    """Builds one output folder from articles, as often as asked.

    What does not depend on the articles is made once per builder: the pipeline (with
    its gazetteer keys and lexicons) and, through process-wide caches, the region polygons
    and the basemap; the article caches keep in memory what they read or stored.  ``build
    --watch`` keeps one builder alive, so a rebuild after an edit costs the edited file,
    the merge, the exports and the drawing.

    Parameters
    ----------
    out_dir
        The output folder: ``events.geojson``, ``events.gpkg``, ``events.csv``, ``map.html``
        and the cache ``.cache/``.
    gazetteer
        The gazetteer (:class:`gazetteer.Gazetteer`).
    lexicon_files
        Extra lexicon files, as for :class:`geo.pipeline.Pipeline`.
    offline, tiles, title, canvas_threshold
        As for :func:`maps.render.render_map`.
    reporter
        Progress and ``-v`` detail (default: silent).
    """

    def __init__(self, out_dir: str | PathLike[str], *, gazetteer, lexicon_files: Sequence[Path] = (),
                 offline: bool = False, tiles: str = DEFAULT_TILES, title: str | None = None,
                 canvas_threshold: int | None = None, reporter: Reporter | None = None) -> None:
        self.out = Path(out_dir)
        self.gazetteer = gazetteer
        self.lexicon_files = tuple(lexicon_files)
        self.offline, self.tiles, self.title, self.canvas_threshold = offline, tiles, title, canvas_threshold
        self.reporter = reporter or Reporter(bars=False)
        self.inputs = InputCache(self.out, reader_fingerprint())
        self.results = ArticleCache(self.out, pipeline_fingerprint(gazetteer, self.lexicon_files))
        self._pipeline = None

    def read(self, specs: Sequence[str | PathLike[str]], *, force: bool = False,
             on_warning=None) -> list["Article"]:
        """The articles of ``specs`` (files, folders, globs); unchanged files come from the cache.

        Nothing is written yet (the output folder may not be usable): :meth:`build` saves
        what was read.  Raises :class:`geo.errors.InputError` for a missing input (see
        :func:`geo.read.find_inputs`); ``on_warning(ReadWarning)`` hears about bad files.
        """
        from geo.read import find_inputs

        return self.inputs.read(find_inputs(list(specs), on_warning=on_warning, exclude=[self.out]),
                                on_warning=on_warning, refresh=force)

    def warm_up(self) -> None:
        """Load now what the first changed article would load (the pipeline, the language model,
        word frequencies), so a watch's first rebuild is as quick as the next ones."""
        from geo.read import detect_language

        detect_language("Rockets struck Ganja on Sunday, officials in Baku said.")
        self._get_pipeline().warm_up()

    def build(self, articles: Sequence["Article"], *, force: bool = False) -> BuildResult:
        """Run the pipeline on the new or changed ``articles`` and write every output.

        ``force`` re-processes every article, ignoring the cache.

        Raises
        ------
        OutputError
            The output folder cannot be created or written, an output cannot be written, or
            an offline map cannot be made self-contained; nothing partial is left behind.
        """
        reporter, out = self.reporter, self.out
        seconds: dict[str, float] = {}
        created = prepare_out_dir(out)
        try:
            if self.offline:
                started = time.perf_counter()
                ensure_offline_assets(reporter)
                seconds["assets"] = time.perf_counter() - started
            started = time.perf_counter()
            results, processed = self._extract(articles, force)
            seconds["extract"] = time.perf_counter() - started

            started = time.perf_counter()
            with reporter.task("Merging and joining events"):
                from geo.dedup import deduplicate
                from geo.frame import events_frame
                from geo.join import join_regions

                events = deduplicate(event for result in results for event in result.events)
                area_files = tuple(self.gazetteer.settings.area_files)
                frame = join_regions(events_frame(events), area_files=area_files)
            seconds["join"] = time.perf_counter() - started

            outputs, drawn = self._write_all(frame, area_files, seconds)
            removed = self.results.prune()
            self.inputs.save()
            self.inputs.prune()
            reporter.detail(f"cache: {len(articles) - len(processed)} reused, {len(processed)} stored, "
                            f"{removed} pruned")
        except BaseException:
            if created:
                shutil.rmtree(out, ignore_errors=True)
            raise
        unresolved = Counter(name for result in results for name in result.unresolved)
        return BuildResult(
            articles=len(articles), processed=processed, cached=len(articles) - len(processed), events=len(events),
            per_type=dict(sorted(Counter(event.event_type for event in events).items())),
            regional=sum(event.place.geo_precision != 1 for event in events),
            unresolved=dict(sorted(unresolved.items(), key=lambda item: (-item[1], item[0]))),
            outputs=outputs, map_bytes=int(drawn["bytes"]), map_scripts=drawn["scripts"], seconds=seconds)

    # ----------------------------------------------------------------------- steps

    def _extract(self, articles: Sequence["Article"], force: bool) -> tuple[list["ArticleResult"], list[str]]:
        """Each article's result, from the cache or the pipeline (built only when needed)."""
        results, processed = [], []
        with self.reporter.task("Reading events from articles", total=len(articles)) as advance:
            for article in articles:
                result = None if force else self.results.get(article)
                if result is None:
                    result = self._get_pipeline().process(article)
                    self.results.put(article, result)
                    processed.append(article.article_id)
                    self.reporter.detail(f"processed {article.article_id}: {len(result.events)} events")
                results.append(result)
                advance(1)
        return results, processed

    def _get_pipeline(self):  # -> geo.pipeline.Pipeline, made on first use
        if self._pipeline is None:
            from geo.pipeline import Pipeline

            self._pipeline = Pipeline(self.gazetteer, lexicon_files=self.lexicon_files)
        return self._pipeline

    def _write_all(self, frame, area_files: Iterable[str],
                   seconds: dict[str, float]) -> tuple[dict[str, Path], "MapSummary"]:
        """Write the exports and the map into a staging folder, then move them into the output folder."""
        from geo.export import write_outputs
        from geo.staging import commit, staging

        from .render import render_map

        out, reporter = self.out, self.reporter
        with staging(out, "build") as folder:
            started = time.perf_counter()
            with reporter.task("Writing events.geojson, .gpkg, .csv"):
                staged = dict(write_outputs(frame, folder, area_files=area_files))
            seconds["export"] = time.perf_counter() - started
            started = time.perf_counter()
            with reporter.task("Drawing map.html" + (" (offline)" if self.offline else "")):
                try:
                    summary = render_map(frame, folder / MAP_FILE, offline=self.offline, tiles=self.tiles,
                                         title=self.title, canvas_threshold=self.canvas_threshold,
                                         area_files=area_files, gazetteer=self.gazetteer)
                except OutputError as error:  # name the file the user asked for, not the staging copy
                    message = str(error).replace(str(folder / MAP_FILE), str(out / MAP_FILE))
                    raise type(error)(message) from None
            seconds["map"] = time.perf_counter() - started
            staged["map"] = folder / MAP_FILE
            return commit(staged, out, folder), summary


def build(articles: Sequence["Article"], out_dir: str | PathLike[str], *, gazetteer, force: bool = False,
          **options) -> BuildResult:
    """One build of ``articles`` into ``out_dir``: ``Builder(out_dir, gazetteer=..., **options).build(...)``."""
    return Builder(out_dir, gazetteer=gazetteer, **options).build(articles, force=force)


def prepare_out_dir(out: Path) -> bool:
    """Create ``out`` if needed and check it can be written; True if it was created here.

    Raises :class:`OutputError` naming the folder (nothing is left behind).
    """
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: --out exists and is not a folder; choose a folder")
    existed = out.is_dir()
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=".conflict-map-probe-", dir=out)
        os.rmdir(probe)
    except OSError as error:
        if not existed and out.is_dir():
            shutil.rmtree(out, ignore_errors=True)
        raise OutputError(f"{out}: cannot create or write the output folder: {error.strerror or error};"
                          " choose another --out") from None
    return not existed


def check_out_dir(out: Path) -> None:
    """Fail now, before any work, if ``out`` could not be created or written; creates nothing.

    ``out`` itself when it exists, else the nearest folder above it, must be a folder we can
    write in (tried with a probe folder, removed at once).  Raises :class:`OutputError`.
    """
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: --out exists and is not a folder; choose a folder")
    existing = next((folder for folder in (out, *out.absolute().parents) if folder.exists()), None)
    if existing is None or not existing.is_dir():
        raise OutputError(f"{out}: cannot create or write the output folder: {existing} is not a folder;"
                          " choose another --out")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".conflict-map-probe-", dir=existing))
    except OSError as error:
        raise OutputError(f"{out}: cannot create or write the output folder: {error.strerror or error};"
                          " choose another --out") from None


def ensure_offline_assets(reporter: Reporter | None = None) -> None:
    """Fetch the npm packages an offline map inlines, if they are not in the cache yet."""
    from .assets import declared_assets, install_assets
    from .render import asset_elements

    reporter = reporter or Reporter(bars=False)
    install_assets(declared_assets(asset_elements()),
                   on_install=lambda spec: reporter.detail(f"fetching {spec} from the npm registry (once)"))
