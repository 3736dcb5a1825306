"""Progress for long jobs: rich bars on a terminal, nothing when piped, detail lines with ``-v``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["Reporter"]


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
    def task(self, description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        """A step of the job; yields ``advance(n=1)``.  A bar is shown only on a terminal."""
        if not self.bars:
            yield lambda n=1: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn()] if total else [SpinnerColumn(), TextColumn("{task.description}"),
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
