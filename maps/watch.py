"""``conflict-map build --watch``: waiting for articles (and the review, overrides and lexicon
files) to change (watchfiles), and rebuilding with one :class:`maps.build.Builder` kept alive."""

from __future__ import annotations

import glob
import time
from collections.abc import Callable, Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import InputError
from geo.read import SUFFIXES

if TYPE_CHECKING:
    from .build import Builder, BuildResult

__all__ = ["article_changes", "watched_roots", "rebuild_on_changes", "file_contents"]

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


def file_contents(paths: Sequence[Path]) -> list[bytes | None]:
    """The bytes of each file (None for one that cannot be read): what a change is compared with."""
    contents = []
    for path in paths:
        try:
            contents.append(Path(path).read_bytes())
        except OSError:
            contents.append(None)
    return contents


def rebuild_on_changes(builder: "Builder", make_builder: Callable[[], "Builder"], specs: Sequence[str], *,
                       said: set[str], rules: list[Path], loaded: list[bytes | None],
                       on_rebuilt: Callable[["BuildResult", float, "Builder"], None],
                       say: Callable[[str], None]) -> None:
    """Rebuild on every change of the articles or the review file until Ctrl-C (or SIGTERM).  A
    change of the overrides or lexicon files (``rules``; ``loaded``: their contents as the
    builder read them) reloads them and re-processes every article.  A failed rebuild is one line and
    the watch goes on; a problem with a file is said once (``said``: the warnings of the first
    build).  ``on_rebuilt(result, started, builder)`` reports each rebuild; ``say`` prints a line.
    Ends on Ctrl-C or SIGTERM; raises :class:`InputError` when a watched folder is removed."""
    import signal

    from gazetteer.errors import GazetteerError
    from geo.errors import OutputError
    from geo.review import REVIEW_FILES, review_file

    def read():
        warnings: list = []
        try:
            return builder.read(specs, on_warning=warnings.append)
        finally:
            for warning in warnings:
                if str(warning) not in said:
                    say(f"warning: {warning}")
            said.clear()
            said.update(map(str, warnings))

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # end as Ctrl-C does: staging files removed
    built = [*builder.last_inputs, _review_state(builder)]
    try:
        builder.warm_up()
        review = review_file(builder.out, builder.review) or builder.out / REVIEW_FILES[0]
        changes = article_changes(specs, builder.out, also=[*rules, review])  # a spec gone by now is an error here
        say(f"watching {' '.join(specs)} for changes (Ctrl-C stops)")
        for changed in changes:
            started = time.perf_counter()
            if changed:
                builder.reporter.detail("changed: " + ", ".join(sorted(str(path) for path in changed)))
            try:
                if (now := file_contents(rules)) != loaded:
                    builder = make_builder()  # new overrides or lexicons: every article again
                    loaded, built = now, []
                inputs = read()
                if not inputs:
                    say(f"conflict-map: no readable article in {' '.join(specs)}; still watching")
                    continue
                if [article.content_hash for article in inputs] + [_review_state(builder)] == built:
                    continue  # saved without a change
                result = builder.build(inputs)
            except (GazetteerError, InputError, OutputError) as error:
                say(f"conflict-map: error: {error}; still watching")
                continue
            built = [article.content_hash for article in inputs] + [_review_state(builder)]
            on_rebuilt(result, started, builder)
    except KeyboardInterrupt:
        say("conflict-map: stopped watching")


def _review_state(builder: "Builder") -> bytes | None:
    """The bytes of the build's review file (a change of it alone rebuilds too)."""
    from geo.review import review_file

    path = review_file(builder.out, builder.review)
    return file_contents([path])[0] if path else None
