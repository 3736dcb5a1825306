"""What a worker process needs to build the same Pipeline as the parent, and its per-process cache.

A :class:`PipelineSpec` is small and picklable: it travels to every worker, which opens the
gazetteer index (a read-only SQLite file in the cache directory, built once) and loads the
lexicons exactly once per process (:func:`pipeline_for`), however many partitions it runs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gazetteer.config import Settings

    from ..pipeline import Pipeline

__all__ = ["PipelineSpec", "pipeline_for"]


@dataclass(frozen=True)
class PipelineSpec:
    """The recipe of a :class:`geo.pipeline.Pipeline`: settings, overrides file and extra lexicons.

    Parameters
    ----------
    settings
        The gazetteer settings (:func:`gazetteer.config.load_settings`).  For the local
        engines ``cache_dir`` is pinned to the parent's, so the workers open the index the
        parent opened (or built) instead of building their own.
    overrides
        The overrides file that replaces the one of the settings, or None.
    lexicon_files
        Extra lexicon files (``--lexicon``).
    """

    settings: "Settings"
    overrides: Path | None = None
    lexicon_files: tuple[Path, ...] = ()

    @classmethod
    def load(cls, *, overrides: Path | None = None, lexicon_files: tuple[Path, ...] = (),
             settings: "Settings | None" = None, pin_cache: bool = True) -> "PipelineSpec":
        """The spec of the user's settings (``$CONFLICT_MAP_CONFIG`` ...), as the CLI builds its Pipeline.

        ``pin_cache`` fixes the cache directory to this process's (``$CONFLICT_MAP_CACHE_DIR`` or
        the user cache); leave it off for a remote cluster whose workers have their own.
        """
        from gazetteer.config import load_settings
        from gazetteer.index import default_cache_dir

        settings = settings or load_settings()
        if pin_cache and settings.cache_dir is None:
            settings = replace(settings, cache_dir=default_cache_dir().resolve())
        return cls(settings=settings, overrides=Path(overrides).resolve() if overrides else None,
                   lexicon_files=tuple(sorted(Path(p).resolve() for p in lexicon_files)))

    @classmethod
    def of(cls, gazetteer, lexicon_files: tuple[Path, ...] = ()) -> "PipelineSpec":
        """The spec that rebuilds the Pipeline of an open ``gazetteer`` (same settings, index and overrides)."""
        settings = gazetteer.settings
        if settings.cache_dir is None:
            settings = replace(settings, cache_dir=Path(gazetteer.index.path).parent.resolve())
        return cls(settings=settings, overrides=gazetteer.override_file.resolve() if gazetteer.override_file else None,
                   lexicon_files=tuple(sorted(Path(p).resolve() for p in lexicon_files)))

    @property
    def area_files(self) -> tuple[Path, ...]:
        return tuple(self.settings.area_files)

    def build(self) -> "Pipeline":
        """A fresh Pipeline (opens the gazetteer; builds its index if this cache has none)."""
        from gazetteer import Gazetteer

        from ..pipeline import Pipeline

        gazetteer = Gazetteer.open(self.settings, overrides=self.overrides)
        return Pipeline(gazetteer, lexicon_files=self.lexicon_files)

    def fingerprint(self) -> str:
        """A digest of everything besides the articles that can change the events
        (:func:`geo.fingerprint.results_fingerprint`): a stored partition or cached article
        result is reused only when the run that would recompute it has the same fingerprint."""
        from ..fingerprint import results_fingerprint

        fallback = self.settings.fallback
        return results_fingerprint(
            (self.overrides or self.settings.overrides, *self.lexicon_files, *self.area_files),
            repr(fallback and (fallback.geocoder, fallback.min_score, sorted(fallback.options.items()))))


def pipeline_for(spec: PipelineSpec) -> "Pipeline":
    """The Pipeline of ``spec`` in this process, built on first use and kept."""
    key = repr(spec)
    with _BUILDING:
        pipeline = _PIPELINES.get(key)
        if pipeline is None:
            pipeline = _PIPELINES[key] = spec.build()
    return pipeline


_PIPELINES: dict[str, "Pipeline"] = {}
_BUILDING = threading.Lock()
