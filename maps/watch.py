"""Waiting for articles to change: what ``conflict-map build --watch`` listens to (watchfiles)."""

from __future__ import annotations

import glob
from collections.abc import Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

from geo.errors import InputError
from geo.read import SUFFIXES

__all__ = ["article_changes", "watched_roots"]

_TICK_MS = 500  # how soon the first (catch-up) batch comes; later empty ticks are not passed on


def watched_roots(specs: Sequence[str | PathLike[str]]) -> list[Path]:
    """The folders to watch for ``specs`` (as for :func:`geo.read.find_inputs`): a folder itself,
    a file's folder, a pattern's leading folder without wildcards; each once, outermost kept."""
    return _roots([_scope(spec) for spec in specs])


def article_changes(specs: Sequence[str | PathLike[str]], out_dir: str | PathLike[str], *,
                    also: Sequence[str | PathLike[str]] = (), stop_event: Any = None) -> Iterator[set[Path]]:
    """Each batch of changed article files named by ``specs`` (and of the files ``also``: the
    user's overrides, lexicons and review file), as they change; never other files in ``out_dir``.

    An article file is one :func:`geo.read.find_inputs` would read: a file spec itself, or
    a file with an article suffix under a folder or pattern spec, hidden entries left out.
    Changes within a few tenths of a second come as one batch.  The first batch is empty
    and comes as soon as the watcher runs: whatever changed before it started (during the
    first build) is caught up then.  Ends when ``stop_event`` (a :class:`threading.Event`)
    is set; Ctrl-C raises KeyboardInterrupt.

    Raises :class:`geo.errors.InputError` at once for a file or folder spec that does not
    exist, and later when a watched folder is removed (nothing in it could be seen again).
    """
    missing = [spec for spec in specs if not glob.has_magic(str(spec)) and not Path(spec).exists()]
    if missing:
        raise InputError(f"{missing[0]}: no such file or folder")
    out = Path(out_dir).resolve()
    scopes = [_scope(spec) for spec in (*specs, *also)]
    files = {file for _, file in scopes if file is not None}
    folders = [folder for folder, _ in scopes[:len(specs)] if folder is not None]

    def is_article(change: Any, name: str) -> bool:
        path = Path(name)
        if path in files:  # named: an article file, or one of ``also`` (the review file may sit in out_dir)
            return True
        if path == out or out in path.parents:
            return False
        if path.suffix.lower() not in SUFFIXES:
            return False
        inside = [folder for folder in folders if folder in path.parents]
        return any(not any(part.startswith(".") for part in path.relative_to(folder).parts) for folder in inside)

    return _batches(_roots(scopes), is_article, stop_event)


def _batches(roots: list[Path], is_article: Any, stop_event: Any) -> Iterator[set[Path]]:
    import watchfiles

    if not roots:
        return
    started = False
    try:
        for changes in watchfiles.watch(*roots, watch_filter=is_article, debounce=400, step=50,
                                        rust_timeout=_TICK_MS, yield_on_timeout=True, stop_event=stop_event):
            if gone := [root for root in roots if not root.is_dir()]:
                raise FileNotFoundError(gone[0])
            if changes or not started:
                started = True
                yield {Path(name) for _, name in changes}
    except FileNotFoundError:  # ours, or watchfiles' when a root went before it started
        gone = next((root for root in roots if not root.is_dir()), roots[0])
        raise InputError(f"{gone}: the watched folder was removed; start the watch again") from None


def _roots(scopes: Sequence[tuple[Path | None, Path | None]]) -> list[Path]:
    """The existing folders of ``scopes`` (a file's folder for a file), outermost only."""
    candidates = {folder or file.parent for folder, file in scopes}
    roots = sorted((root for root in candidates if root.is_dir()), key=lambda path: (len(path.parts), path))
    return [root for n, root in enumerate(roots) if not any(outer in root.parents for outer in roots[:n])]


def _scope(spec: str | PathLike[str]) -> tuple[Path | None, Path | None]:
    """(folder, None) for a folder or a pattern (its leading folder without wildcards), (None, file) for a file."""
    path = Path(spec)
    if glob.has_magic(str(spec)):
        fixed = []
        for part in path.parts:
            if glob.has_magic(part):
                break
            fixed.append(part)
        return Path(*fixed).resolve() if fixed else Path.cwd(), None
    if path.is_dir():
        return path.resolve(), None
    return None, path.resolve()
