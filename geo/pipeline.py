"""From articles to events: recognition, event detection, dedup, joins and exports in one place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gazetteer import Gazetteer, default_gazetteer

from .collector import one_article
from .dedup import deduplicate
from .events import EventDetector
from .lexicon import load_lexicon
from .localities import with_localities
from .model import Article, Event, Toponym, count_by_type
from .recognize import Mention, Recognizer
from .textform import event_as_read, normal_form, toponym_as_read

if TYPE_CHECKING:
    import geopandas

__all__ = ["Pipeline", "ArticleResult", "Extraction", "release_memory"]


@dataclass
class ArticleResult:
    """What one article gave: its toponyms and its (not yet merged) events."""

    article_id: str
    toponyms: list[Toponym]
    events: list[Event]
    unresolved: list[str] = field(default_factory=list)  # place-like names not in the gazetteer


@dataclass
class Extraction:
    """The result of a run: per-article results and the merged events."""

    articles: list[ArticleResult] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return count_by_type(self.events)


class Pipeline:
    """The article -> events pipeline with one gazetteer and one lexicon."""

    def __init__(self, gazetteer: Gazetteer | None = None, *, lexicon_files: Sequence[Path] = (),
                 area_files: Sequence[Path] = ()) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        lexicon = load_lexicon(tuple(sorted(Path(p) for p in lexicon_files)))
        self.recognizer = Recognizer(self.gazetteer, lexicon)
        self.detector = EventDetector(lexicon, self.gazetteer)
        self.area_files = tuple(area_files) or tuple(self.gazetteer.settings.area_files)

    def warm_up(self) -> None:
        """Load now what the first article would load lazily (word frequencies, compiled patterns):
        a long-lived pipeline then answers its first article as fast as the next."""
        self.recognizer.warm_up()
        self.process(Article("warm-up", "Rockets struck Ganja on Sunday, officials in Baku said.", lang="en"))

    def process(self, article: Article) -> ArticleResult:
        """Toponyms and events of one article, read in normal form (:mod:`geo.textform`), offsets
        and sentences reported in the text as read."""
        with one_article():
            return self._process(article)

    def _process(self, article: Article) -> ArticleResult:
        form = normal_form(article.text)
        read = replace(article, text=form.text) if form.text != article.text else article
        recognised = self.recognizer.recognise(read.text, read.lang)
        events = self.detector.detect(read, self.event_places(read.text, read.lang, recognised))
        toponyms = [t for t, _ in recognised]
        unresolved = self.recognizer.unresolved(read.text, toponyms, read.lang)
        if read is not article:  # offsets and sentences of the text as read
            toponyms = [toponym_as_read(t, form) for t in toponyms]
            events = [event_as_read(e, form, article.text) for e in events]
        return ArticleResult(article.article_id, toponyms, events, unresolved)

    def event_places(self, text: str, lang: str | None,
                     recognised: Sequence[tuple[Toponym, Mention]] | None = None) -> list[tuple[Toponym, Mention]]:
        """The places events may sit at: the recognised toponyms (``recognised``, else recognised now) and the
        villages the gazetteer lacks (:mod:`geo.localities`), in text order."""
        if recognised is None:
            recognised = self.recognizer.recognise(text, lang)
        places = with_localities(self.recognizer, text, recognised, lang)
        doubtful = self.recognizer.doubtful(text, lang, [(t.start, t.end) for t, _ in places])
        return sorted([*places, *doubtful], key=lambda pair: pair[0].start) if doubtful else places

    def run(self, articles: Iterable[Article]) -> Extraction:
        """Process every article and merge the events reported by several of them."""
        results = [self.process(article) for article in articles]
        return Extraction(results, deduplicate(e for r in results for e in r.events))

    def frame(self, events: Sequence[Event]) -> "geopandas.GeoDataFrame":
        """The events as a GeoDataFrame joined to countries, admin-1 units and named areas."""
        from .frame import events_frame
        from .join import join_regions

        return join_regions(events_frame(events), area_files=self.area_files)

    def areas_of(self, events: Sequence[Event]) -> dict[str, set[str]]:
        """event_id -> names of the named areas its point lies in (for scoring area-level gold)."""
        if not events:
            return {}
        areas: dict[str, set[str]] = {}
        for row in self.frame(events).itertuples():
            names = {name for name in (row.areas if isinstance(row.areas, list) else []) if isinstance(name, str)}
            if isinstance(row.area, str):
                names.add(row.area)
            areas[row.event_id] = names
        return areas

    def export(self, events: Sequence[Event], out_dir: Path) -> dict[str, Path]:
        """Write events.geojson, events.gpkg and events.csv into ``out_dir`` (atomically)."""
        from .export import write_outputs

        return write_outputs(self.frame(events), out_dir, area_files=self.area_files)


def release_memory() -> None:
    """Free what the extraction holds once its pipelines are dropped, all of it made again when next needed:
    unmap the memory-mapped models (the language model, the word frequencies: ~100 MB of pages on a
    multilingual corpus), empty every memo (:func:`gazetteer.memo.clear_memos`) and collect the dropped
    pipelines (:func:`geo.collector.release`).  A build that extracts nothing more calls it before its joins
    and exports, whose libraries take about as much."""
    from gazetteer.memo import clear_memos

    from . import collector, language_model, word_frequency

    language_model.release()
    word_frequency.release()
    clear_memos()
    collector.release()
