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

import itertools
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import OutputError
from geo.read import read_ahead

from .article_cache import ArticleCache, CachedArticle, ContentKeys, InputCache, pipeline_fingerprint, reader_fingerprint
from .progress import Reporter
from .tiles import DEFAULT_TILES

if TYPE_CHECKING:
    import geopandas

    from geo.model import Article, Event
    from geo.spill import EventSpill

    from .render import MapSummary

__all__ = ["Builder", "BuildResult", "NothingToBuild", "build", "prepare_out_dir", "ensure_offline_assets", "MAP_FILE"]

#: The map's file name in the output folder (contract).
MAP_FILE = "map.html"


@dataclass
class BuildResult:
    """What a build did and wrote: the one result of ``extract``, ``build``, ``--watch`` and every engine."""

    articles: int
    processed: list[str]  # the ids of the articles the local engine processed (not taken from its cache)
    cached: int  # articles whose results came from the cache
    events: int
    per_type: dict[str, int]
    regional: int
    unresolved: dict[str, int]  # place-like names no gazetteer entry matched -> articles naming them
    outputs: dict[str, Path]
    map_bytes: int = 0
    map_scripts: str = "inlined"  # or "loaded from the internet (why they could not be inlined)"
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> input files left out
    corrected: int = 0  # events a review correction applied to
    orphans: list[str] = field(default_factory=list)  # review corrections whose event no longer exists


class _Tally:
    """What a build's summary counts of the events that pass through :meth:`of`, as they pass."""

    def __init__(self) -> None:
        self.per_type: Counter[str] = Counter()
        self.regional = 0  # placed by a region, not a point

    @property
    def events(self) -> int:
        return sum(self.per_type.values())

    def of(self, events: Iterable["Event"]) -> Iterator["Event"]:
        for event in events:
            self.per_type[event.event_type] += 1
            self.regional += event.place.geo_precision != 1
            yield event


class NothingToBuild(Exception):
    """No input file held a readable article (the command exits 1; nothing is written)."""


class Builder:
    """Builds one output folder from articles, as often as asked: the one build path.

    ``extract``, ``build``, ``build --watch`` and every engine (``--workers N``, ``--engine
    dask``) go through :meth:`run` (or :meth:`read` + :meth:`build` for the watch): the
    events are extracted (the local engine with the article cache, or a pool / Dask
    cluster), merged, corrected by the review file (:mod:`geo.review`), joined to the
    regions and written by the same code, so every engine writes the same bytes.

    What does not depend on the articles is made once per builder: the pipeline (with
    its gazetteer keys and lexicons) and, through process-wide caches, the region polygons
    and the basemap.  ``build --watch`` keeps one builder alive (``rebuilds``), its article
    caches keeping in memory what they read or stored, so a rebuild after an edit costs the
    edited file, the merge, the exports and the drawing.

    Parameters
    ----------
    out_dir
        The output folder: ``events.geojson``, ``events.gpkg``, ``events.csv``, ``map.html``
        and the cache ``.cache/`` (and ``store/`` for the Dask engine).
    gazetteer
        The gazetteer (:class:`gazetteer.Gazetteer`); its overrides and area files serve
        every engine and the map.
    lexicon_files
        Extra lexicon files, as for :class:`geo.pipeline.Pipeline`.
    offline, tiles, title, canvas_threshold
        As for :func:`maps.render.render_map`.
    render
        Draw ``map.html`` (``extract`` does not).
    review
        The review file (default: ``review.csv`` or ``review.toml`` in ``out_dir`` if there is one).
    engine, workers, scheduler
        As ``--engine``, ``--workers``, ``--scheduler``.
    rebuilds
        The builder will build again (``build --watch``): the article cache keeps every article's events in
        memory, so a rebuild reads none again.  Without it a build holds its events for the merge only, and
        spills them to disk past :data:`geo.spill.SPILL_EVENTS`.
    reporter
        Progress and ``-v`` detail (default: silent).
    """

    def __init__(self, out_dir: str | PathLike[str], *, gazetteer, lexicon_files: Sequence[Path] = (),
                 offline: bool = False, tiles: str = DEFAULT_TILES, title: str | None = None,
                 canvas_threshold: int | None = None, reporter: Reporter | None = None, render: bool = True,
                 review: Path | None = None, engine: str = "local", workers: int = 1,
                 scheduler: str | None = None, rebuilds: bool = False) -> None:
        from dataclasses import replace

        from geo.engines import PipelineSpec

        self.out = Path(out_dir)
        self.gazetteer = gazetteer
        self.lexicon_files = tuple(lexicon_files)
        self.offline, self.tiles, self.title, self.canvas_threshold = offline, tiles, title, canvas_threshold
        self.render, self.review, self.rebuilds = render, review, rebuilds
        self.engine, self.workers, self.scheduler = engine, workers, scheduler
        self.reporter = reporter or Reporter(bars=False)
        self.spec = PipelineSpec.of(gazetteer, self.lexicon_files)
        if scheduler:  # a remote cluster's workers keep their own index cache
            self.spec = replace(self.spec, settings=gazetteer.settings)
        self.inputs = InputCache(self.out, reader_fingerprint(), remember=rebuilds)
        self.results = ArticleCache(self.out, pipeline_fingerprint(self.spec), remember=rebuilds)
        self.skipped: Counter[str] = Counter()
        self.last_inputs = ContentKeys()  # the content hashes of the articles last built
        self._pipeline = None

    @property
    def local(self) -> bool:
        """One process with the article cache (no pool, no cluster)."""
        return self.engine == "local" and self.workers == 1

    def run(self, specs: Sequence[str | PathLike[str]], *, force: bool = False, on_warning=None,
            progress=None) -> BuildResult:
        """Read ``specs`` (files, folders, globs), extract with the chosen engine, write every output.

        Raises :class:`NothingToBuild` when no article is readable (nothing written),
        :class:`geo.errors.InputError` / :class:`OutputError` as :meth:`read` and :meth:`build`.
        """
        from geo.review import load_review, review_file

        load_review(review_file(self.out, self.review))  # a bad review file fails now, not after the corpus
        if self.local:
            articles = self.stream(specs, force=force, on_warning=on_warning)
            first = next(articles, None)
            if first is None:
                raise NothingToBuild(" ".join(map(str, specs)))
            return self.build(itertools.chain([first], articles), force=force)
        return self._build_with_engine(specs, on_warning, progress)

    def read(self, specs: Sequence[str | PathLike[str]], *, force: bool = False,
             on_warning=None) -> list["Article"]:
        """The articles of ``specs`` (files, folders, globs); unchanged files come from the cache.

        Nothing is written yet (the output folder may not be usable): :meth:`build` saves
        what was read.  Raises :class:`geo.errors.InputError` for a missing input (see
        :func:`geo.read.find_inputs`); ``on_warning(ReadWarning)`` hears about bad files.
        """
        return list(self.stream(specs, force=force, on_warning=on_warning))

    def stream(self, specs: Sequence[str | PathLike[str]], *, force: bool = False,
               on_warning=None) -> Iterator["Article"]:
        """The articles of :meth:`read` one at a time (the inputs are found now, read as they are asked for)."""
        warn = self._counting(on_warning)
        return self.inputs.stream(self._find(specs, warn), on_warning=warn, refresh=force)

    def warm_up(self) -> None:
        """Load now what the first changed article would load (the pipeline, the language model,
        word frequencies), so a watch's first rebuild is as quick as the next ones."""
        from geo.read import detect_language

        detect_language("Rockets struck Ganja on Sunday, officials in Baku said.")
        self._get_pipeline().warm_up()

    def build(self, articles: Iterable["Article"], *, force: bool = False) -> BuildResult:
        """Run the pipeline on the new or changed ``articles`` (a list, or a stream read as it goes) and
        write every output.

        ``force`` re-processes every article, ignoring the cache.

        Raises
        ------
        OutputError
            The output folder cannot be created or written, an output cannot be written, or
            an offline map cannot be made self-contained; nothing partial is left behind.
        """
        from geo.spill import EventSpill

        seconds: dict[str, float] = {}
        with self._output_folder(seconds), EventSpill() as spill:
            started = time.perf_counter()
            inputs, processed, unresolved = self._extract(articles, force, spill)
            seconds["extract"] = time.perf_counter() - started
            if not self.rebuilds:  # nothing more to extract: free the pipeline's memory for the joins and exports
                self._release_pipeline()
            result = self._finish(spill.merged(), articles=len(inputs), processed=processed,
                                  cached=len(inputs) - len(processed), seconds=seconds, unresolved=unresolved)
            removed = self.results.prune()
            self.last_inputs = inputs
            self.inputs.save()
            self.inputs.prune()
            self.reporter.detail(f"cache: {len(inputs) - len(processed)} reused, {len(processed)} stored, "
                                 f"{removed} pruned")
        return result

    # ----------------------------------------------------------------------- steps

    def _find(self, specs: Sequence[str | PathLike[str]], warn) -> list[Path]:
        from geo.read import find_inputs

        self.skipped.clear()

        def skip(path: Path) -> None:
            self.skipped[f"not an article file ({path.suffix.lower() or 'no suffix'})"] += 1

        return find_inputs(list(specs), on_warning=warn, exclude=[self.out], on_skip=skip)

    def _counting(self, on_warning):
        """``on_warning`` that also counts each input left out by its problem (for the summary)."""
        def warn(warning) -> None:
            if not warning.problem.startswith("article id "):  # a renamed duplicate id is kept, not skipped
                self.skipped[warning.problem.split(" (")[0].split(";")[0]] += 1
            if on_warning is not None:
                on_warning(warning)
        return warn

    @contextmanager
    def _output_folder(self, seconds: dict[str, float]) -> Iterator[None]:
        """The output folder made ready (and the offline assets); removed again on failure if made here."""
        created = prepare_out_dir(self.out)
        try:
            if self.offline and self.render:
                started = time.perf_counter()
                ensure_offline_assets(self.reporter)
                seconds["assets"] = time.perf_counter() - started
            yield
        except BaseException:
            if created:
                shutil.rmtree(self.out, ignore_errors=True)
            raise

    def _build_with_engine(self, specs: Sequence[str | PathLike[str]], on_warning, progress) -> BuildResult:
        """Extraction and merge on a process pool or a Dask cluster, then :meth:`_finish` as locally."""
        from geo.engines import run_engine

        warn = self._counting(on_warning)
        check_out_dir(self.out)  # an unwritable --out fails now, not after the extraction
        paths = self._find(specs, warn)
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        run = run_engine(paths, engine=self.engine, workers=self.workers, scheduler=self.scheduler,
                         store=self.out / "store", spec=self.spec, on_warning=warn, progress=progress)
        seconds["extract"] = time.perf_counter() - started
        if not run.articles:
            raise NothingToBuild(" ".join(map(str, specs)))
        with self._output_folder(seconds):
            return self._finish(run.events, articles=run.articles, processed=[], cached=0, seconds=seconds,
                                unresolved=run.unresolved)

    def _finish(self, events: Iterable["Event"], *, articles: int, processed: list[str], cached: int,
                seconds: dict[str, float], unresolved: Counter[str]) -> BuildResult:
        """Apply the review, join the regions, write the exports (and the map): the same for every engine.

        ``events`` are the merged events in output order, read once.  Without a map they are joined and
        written a chunk at a time (:func:`geo.join.joined_frames`) as they come, so the exports of a large
        corpus never hold its whole frame (and the merge, the joins and the writing are all timed as
        "export"); the map draws every event, so then they are joined all at once.
        """
        from geo.join import joined_frames
        from geo.review import Reviewed, apply_review, load_review, review_file

        started = time.perf_counter()
        area_files = tuple(self.gazetteer.settings.area_files)
        tally = _Tally()
        with self.reporter.task("Merging and joining events"):
            review = load_review(review_file(self.out, self.review))
            reviewed = apply_review(events, review, self.gazetteer) if review else Reviewed([])
            counted = tally.of(reviewed.events if review else events)
            if self.render:
                merged = list(counted)
                whole = next(joined_frames(merged, area_files=area_files, rows=max(len(merged), 1)))
                frames: Iterable[geopandas.GeoDataFrame] = [whole]
            else:
                whole, frames = None, joined_frames(counted, area_files=area_files)
        seconds["join"] = time.perf_counter() - started
        outputs, drawn = self._write_all(frames, whole, seconds)
        return BuildResult(
            articles=articles, processed=processed, cached=cached, events=tally.events,
            per_type=dict(sorted(tally.per_type.items())), regional=tally.regional,
            unresolved=dict(sorted(unresolved.items(), key=lambda item: (-item[1], item[0]))),
            outputs=outputs, map_bytes=int(drawn["bytes"]) if drawn else 0,
            map_scripts=drawn["scripts"] if drawn else "", seconds=seconds, skipped=dict(sorted(self.skipped.items())),
            corrected=reviewed.applied, orphans=[str(orphan) for orphan in reviewed.orphans])

    def _extract(self, articles: Iterable["Article"], force: bool,
                 spill: "EventSpill") -> tuple[ContentKeys, list[str], Counter[str]]:
        """Each article's events into ``spill``, from the cache or the pipeline (built only when needed): the
        content hashes of all the articles, the ids of those processed, and the unknown place-like names with
        the number of articles naming each."""
        inputs = ContentKeys()
        processed: list[str] = []
        unresolved: Counter[str] = Counter()
        total = len(articles) if isinstance(articles, Sized) else None
        with self.reporter.task("Reading events from articles", total=total, unit="articles") as advance:
            for article in read_ahead(articles):
                inputs.add(article.content_hash)
                result = None if force else self.results.get(article)
                if result is None:
                    result = CachedArticle.of(self._get_pipeline().process(article))
                    self.results.put(article, result)
                    processed.append(article.article_id)
                    self.reporter.detail(f"processed {article.article_id}: {len(result.events)} events")
                spill.add(result.events)
                unresolved.update(result.unresolved)
                advance(1)
        return inputs, processed, unresolved

    def _get_pipeline(self):  # -> geo.pipeline.Pipeline, made on first use
        if self._pipeline is None:
            from geo.pipeline import Pipeline

            self._pipeline = Pipeline(self.gazetteer, lexicon_files=self.lexicon_files)
        return self._pipeline

    def _release_pipeline(self) -> None:
        """Drop the pipeline and free what the extraction held (:func:`geo.pipeline.release_memory`)."""
        from geo.pipeline import release_memory

        self._pipeline = None
        release_memory()

    def _write_all(self, frames: Iterable["geopandas.GeoDataFrame"], whole: "geopandas.GeoDataFrame | None",
                   seconds: dict[str, float]) -> tuple[dict[str, Path], "MapSummary | None"]:
        """Write the exports (and the map of ``whole``) into a staging folder, then move them into the output
        folder."""
        from geo.export import write_frames
        from geo.staging import commit, staging

        from .render import render_map

        out, reporter = self.out, self.reporter
        area_files = tuple(self.gazetteer.settings.area_files)
        summary = None
        with staging(out, "build") as folder:
            started = time.perf_counter()
            with reporter.task("Writing events.geojson, .gpkg, .csv"):
                staged = dict(write_frames(frames, folder, area_files=area_files))
            seconds["export"] = time.perf_counter() - started
            if whole is not None:
                started = time.perf_counter()
                with reporter.task("Drawing map.html" + (" (offline)" if self.offline else "")):
                    try:
                        summary = render_map(whole, folder / MAP_FILE, offline=self.offline, tiles=self.tiles,
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
