"""Progress for long jobs: rich bars on a terminal, nothing when piped, detail lines with ``-v``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["Reporter", "IndexBuildProgress"]


class Reporter:
    """Where a job says what it is doing.

    Parameters
    ----------
    bars
        Show progress bars (default: when ``stream`` is a terminal).
    verbose
        Print :meth:`detail` lines.
    stream
        Where everything goes (default stderr, so stdout stays for results).
    """

    def __init__(self, *, bars: bool | None = None, verbose: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bars = self.stream.isatty() if bars is None else bars
        self.verbose = verbose
        self._progress = None

    @contextmanager
    def task(self, description: str, total: int | None = None, *,
             unit: str | None = None) -> Iterator[Callable[[int], None]]:
        """A step of the job; yields ``advance(n=1)``.  A bar is shown only on a terminal; without a
        ``total``, a count of ``unit`` done (when given)."""
        if not self.bars:
            yield lambda n=1: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn()] if total else [SpinnerColumn(), TextColumn("{task.description}"),
                                                       *([TextColumn(f"{{task.completed:,.0f}} {unit}")] if unit else []),
                                                       TimeElapsedColumn()]
        with Progress(*columns, console=Console(file=self.stream), transient=True) as progress:
            self._progress = progress
            task = progress.add_task(description, total=total)
            try:
                yield lambda n=1: progress.advance(task, n)
            finally:
                self._progress = None

    def detail(self, message: str) -> None:
        """A line for ``-v``."""
        if not self.verbose:
            return
        if self._progress is not None:
            self._progress.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=self.stream)


class IndexBuildProgress:
    """What the first run says while it builds the gazetteer index: one line that it is built
    once, then a rich bar of places read on a terminal, or a plain line every 50,000 places
    when piped; :meth:`close` says how long it took.  Silent when no index is built.

    Call it as the ``progress`` of :meth:`gazetteer.Gazetteer.open`.
    """

    #: About how many places the index holds (242,882 in Nov 2026: cities500, admin-1 units, US counties, countries, areas).
    EXPECTED_PLACES = 243_000
    _PIPED_STEP = 50_000

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self._started: float | None = None
        self._bar = None
        self._task = None

    def __call__(self, places: int) -> None:
        import time

        if self._started is None:
            self._started = time.perf_counter()
            print("conflict-map: building the gazetteer index (once, about a minute; later runs reuse it)",
                  file=self.stream, flush=True)
            if self.stream.isatty():
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                self._bar = Progress(TextColumn("gazetteer index"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), console=Console(file=self.stream), transient=True)
                self._bar.start()
                self._task = self._bar.add_task("places", total=self.EXPECTED_PLACES)
        if self._bar is not None:
            self._bar.update(self._task, completed=min(places, self.EXPECTED_PLACES))
        elif places and places % self._PIPED_STEP == 0:
            print(f"gazetteer index: {places:,} places read", file=self.stream, flush=True)

    def close(self) -> None:
        """End the bar and say the index is ready (only if one was built)."""
        import time

        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if self._started is not None:
            print(f"conflict-map: gazetteer index built in {time.perf_counter() - self._started:.0f} s",
                  file=self.stream, flush=True)
            self._started = None
