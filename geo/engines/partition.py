"""Partitions of a corpus: groups of article files and byte ranges of JSON Lines files.

The parent plans partitions from file names, sizes and (for a large JSONL file) the
positions of its line ends; the workers read the articles.  Nothing article-sized is
held by the parent: a partition is a list of (path, byte range, first line number).
The parent also reads the ids of the JSONL records, a line at a time, so that an id used
again in another part (another file, another range) is made unique as a whole read makes
it (:func:`geo.read.unique_ids`), whichever worker reads it.

Partitions are stable when a corpus grows, so that a daily run recomputes only what is
new: a JSONL file is cut at the first line end after every ``partition_bytes`` from
the previous cut (appending lines changes only the last range), and a group of small
files closes after a file chosen from its own name and size alone (adding a file changes
only the group it joins).

A range of a JSONL file is read with :func:`geo.read.read_jsonl_lines`, as a whole-file
read reads it, so that it gives exactly the articles and warnings of those lines.

>>> partitions = plan_partitions(find_inputs(["articles/"]))  # doctest: +SKIP
>>> [article.article_id for article in read_partition(partitions[0], print)]  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from ..model import Article
from ..pipeline import ArticleResult, Pipeline
from ..read import (InputUnusable, ReadWarning, UniqueIds, detect_language, open_input, read_articles, read_jsonl_lines,
                    repeated_id)

__all__ = ["PARTITION_BYTES", "Part", "Partition", "PartitionOutput", "FailedPartition", "report_outcome", "plan_partitions",
           "read_partition", "extract_partition", "partition_digest"]

#: Bytes of article files per partition: about 200 dispatches, a few seconds of one worker's time.
PARTITION_BYTES = 256 * 1024

_BLOCK = 1 << 20  # files are scanned and hashed in blocks of 1 MiB
_SNIFF_BYTES = 8192  # as geo.read: a NUL byte in the first 8 KB makes a file binary
_MAX_GROUP = 4  # a group of small files closes at this many times partition_bytes whatever the names


@dataclass(frozen=True)
class Part:
    """One input of a partition: a whole file, or the lines of a JSONL file in ``[start, end)``.

    ``path`` is the file as the user gave it (for messages), ``location`` its absolute path
    (for workers whose working directory differs).  ``first_line`` is the line number at
    ``start`` and ``lines`` how many lines the range holds (0 for a whole file).
    """

    path: str
    location: str
    start: int = 0
    end: int | None = None
    first_line: int = 1
    lines: int = 0
    #: (position among the part's articles, id, unique id, first file) of each article whose id an earlier one has
    renamed: tuple[tuple[int, str, str, str], ...] = ()

    @property
    def is_range(self) -> bool:
        return self.end is not None


@dataclass(frozen=True)
class Partition:
    """A unit of work: its position in the run (``number``) and its parts, in input order."""

    number: int
    parts: tuple[Part, ...]


@dataclass
class PartitionOutput:
    """What a worker gives back for one partition of the local engine."""

    number: int
    results: list[ArticleResult]
    warnings: list[ReadWarning]
    peak_rss_mb: float = 0.0


@dataclass
class FailedPartition:
    """A partition that failed on every attempt: its number, the error and the articles it held."""

    partition: Partition
    error: str
    attempts: int = 1
    articles: list[str] = field(default_factory=list)

    def warnings(self) -> list[ReadWarning]:
        """One warning per article the partition held (``file`` or ``file.jsonl:LINE``)."""
        problem = (f"not processed: partition {self.partition.number} failed"
                   f"{f' after {self.attempts} attempts' if self.attempts > 1 else ''} ({self.error})")
        return [ReadWarning(where, problem) for where in self.articles or held_articles(self.partition)]


# --------------------------------------------------------------------------- planning


def plan_partitions(paths: Iterable[str | Path], *, partition_bytes: int = PARTITION_BYTES) -> list[Partition]:
    """The partitions of ``paths`` (as from :func:`geo.read.find_inputs`), in input order.

    Parameters
    ----------
    paths
        Article files.
    partition_bytes
        About how many bytes of files each partition holds: JSONL files larger than this
        are cut into line ranges of this size, smaller files are grouped up to about this.

    Returns
    -------
    list of Partition
        Numbered from 0; reading them in order gives the articles of
        :func:`geo.read.read_articles` in its order.
    """
    if partition_bytes < 1:
        raise ValueError(f"partition_bytes must be at least 1, not {partition_bytes}")
    groups: list[tuple[Part, ...]] = []
    group: list[Part] = []
    group_bytes = 0
    for path in map(Path, paths):
        size = _size(path)
        location = str(path.resolve())
        if path.suffix.lower() == ".jsonl" and size > partition_bytes:
            ranges = _jsonl_ranges(path, location, partition_bytes)
            if ranges:
                if group:
                    groups.append(tuple(group))
                    group, group_bytes = [], 0
                groups.extend((part,) for part in ranges)
                continue
        group.append(Part(str(path), location))
        group_bytes += size
        if group_bytes >= _MAX_GROUP * partition_bytes or _closes_group(path, size, partition_bytes):
            groups.append(tuple(group))
            group, group_bytes = [], 0
    if group:
        groups.append(tuple(group))
    return [Partition(number, parts) for number, parts in enumerate(_with_unique_ids(groups))]


def _with_unique_ids(groups: list[tuple[Part, ...]]) -> list[tuple[Part, ...]]:
    """The groups with each part's ``renamed``: the articles whose id an earlier article of the whole read
    has (a file name in two folders, a JSONL id used again), with the unique id :func:`geo.read.unique_ids`
    gives them."""
    ids = UniqueIds()
    result = []
    for group in groups:
        parts = []
        for part in group:
            where = Path(part.path).as_posix()
            renamed = []
            for position, article_id in enumerate(_ids_of(part)):
                if (unique := ids.claim(article_id, where)) is not None:
                    renamed.append((position, article_id, unique, ids.first_file(article_id)))
            parts.append(replace(part, renamed=tuple(renamed)) if renamed else part)
        result.append(tuple(parts))
    return result


def _ids_of(part: Part) -> Iterator[str]:
    """The ids of the part's articles as a worker reads them: a file's name without extension, the ids of
    a JSONL file's records (none when it cannot be read; the worker reports why)."""
    if Path(part.path).suffix.lower() != ".jsonl":
        yield Path(part.path).stem
        return
    try:
        with open_input(part.location) as file:  # a named pipe is never opened for reading
            if b"\x00" in file.read(_SNIFF_BYTES):
                return  # binary, or UTF-16: the worker reads no article either
            file.seek(part.start)
            size = (part.end if part.is_range else os.fstat(file.fileno()).st_size) - part.start
            for article in read_jsonl_lines(_Window(file, size), part.path, _ignore, first_line=part.first_line):
                yield article.article_id
    except (InputUnusable, OSError):
        return


def _ignore(warning: ReadWarning) -> None:
    """Warnings of the parent's look at the ids: the worker reading the part gives them."""


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the reader reports the problem


def _closes_group(path: Path, size: int, partition_bytes: int) -> bool:
    """True for about one file in every ``partition_bytes`` bytes, decided by the file alone."""
    draw = int.from_bytes(hashlib.sha256(path.name.encode("utf-8", "surrogatepass")).digest()[:8], "big") / 2**64
    return draw < size / partition_bytes


def _jsonl_ranges(path: Path, location: str, partition_bytes: int) -> list[Part]:
    """Line ranges of a JSONL file, each ending at the first line end after ``partition_bytes``.

    Empty for a file that cannot be read or looks binary: it is then read whole, and the
    reader reports the problem as for any file.
    """
    ranges: list[Part] = []
    try:
        with open(location, "rb") as file:
            if b"\x00" in file.read(_SNIFF_BYTES):
                return []
            file.seek(0)
            start, first_line, newlines, offset = 0, 1, 0, 0
            while block := file.read(_BLOCK):
                index = 0
                while True:
                    target = start + partition_bytes - 1 - offset  # the line end wanted is at or after this
                    cut = block.find(b"\n", max(target, index)) if target < len(block) else -1
                    if cut < 0:
                        newlines += block.count(b"\n", index)
                        break
                    newlines += block.count(b"\n", index, cut + 1)
                    end = offset + cut + 1
                    ranges.append(Part(str(path), location, start, end, first_line, newlines - first_line + 1))
                    start, first_line, index = end, newlines + 1, cut + 1
                offset += len(block)
            if start < offset:
                tail_lines = newlines - first_line + 1 + (not _ends_with_newline(file, offset))
                ranges.append(Part(str(path), location, start, offset, first_line, tail_lines))
    except OSError:
        return []
    return ranges


def _ends_with_newline(file: IO[bytes], size: int) -> bool:
    file.seek(size - 1)
    return file.read(1) == b"\n"


# --------------------------------------------------------------------------- reading


def read_partition(partition: Partition, on_warning: Callable[[ReadWarning], None]) -> Iterator[Article]:
    """The articles of ``partition`` in order; problems go to ``on_warning`` as in :func:`read_articles`."""
    for part in partition.parts:
        yield from read_part(part, on_warning)


def read_part(part: Part, on_warning: Callable[[ReadWarning], None]) -> Iterator[Article]:
    """The articles of one part, ``Article.path`` and warnings naming the file as the user gave it."""
    if not part.is_range:
        def relabel(warning: ReadWarning) -> None:
            on_warning(ReadWarning(part.path + warning.path.removeprefix(part.location), warning.problem))

        # ids made unique by the plan, over the whole read and named by the file as given (not its location)
        articles: Iterable[Article] = read_articles([part.location], on_warning=relabel, unique=False)
    else:
        articles = _read_range(part, on_warning)
    renamed = {position: (article_id, unique, first) for position, article_id, unique, first in part.renamed}
    for position, article in enumerate(articles):
        if position in renamed and article.article_id == renamed[position][0]:
            article_id, unique, first = renamed[position]
            on_warning(repeated_id(Path(part.path).as_posix(), article_id, first, unique))
            article = replace(article, article_id=unique)
        yield replace(article, path=part.path)


def _read_range(part: Part, warn: Callable[[ReadWarning], None]) -> Iterator[Article]:
    """The records of a JSONL line range, read as :func:`geo.read.read_articles` reads a whole file."""
    try:
        with open(part.location, "rb") as file:
            file.seek(part.start)
            window = _Window(file, part.end - part.start)
            for article in read_jsonl_lines(window, part.path, warn, first_line=part.first_line):
                if article.lang is None:
                    article = replace(article, lang=detect_language(article.text))
                yield article
    except OSError as error:
        warn(ReadWarning(part.path, error.strerror or str(error)))


class _Window:
    """The ``readline`` of a binary file, stopped after ``size`` bytes."""

    def __init__(self, file: IO[bytes], size: int) -> None:
        self._file = file
        self._left = size

    def readline(self, limit: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        line = self._file.readline(self._left if limit < 0 else min(limit, self._left))
        self._left -= len(line)
        return line


def held_articles(partition: Partition) -> list[str]:
    """Where the articles of ``partition`` are: ``file`` per file, ``file.jsonl:LINE (id ...)`` per record.

    Reads the JSONL lines of the partition (only called for a partition that failed).
    """
    held: list[str] = []
    for part in partition.parts:
        if Path(part.path).suffix.lower() != ".jsonl":
            held.append(part.path)
            continue
        try:
            with open(part.location, "rb") as file:
                file.seek(part.start)
                size = (part.end if part.is_range else os.fstat(file.fileno()).st_size) - part.start
                window = _Window(file, size)
                number = part.first_line
                while line := window.readline():
                    if line.strip():
                        held.append(f"{part.path}:{number}{_id_note(line)}")
                    number += 1
        except OSError:
            held.append(part.path)
    return held


def _id_note(line: bytes) -> str:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return ""
    article_id = record.get("id") if isinstance(record, dict) else None
    return f" (id {article_id})" if isinstance(article_id, str | int) else ""


# --------------------------------------------------------------------------- work


def extract_partition(partition: Partition, pipeline: Pipeline) -> PartitionOutput:
    """Read and process every article of ``partition`` with ``pipeline``."""
    warnings: list[ReadWarning] = []
    results = [pipeline.process(article) for article in read_partition(partition, warnings.append)]
    return PartitionOutput(partition.number, results, warnings, peak_rss_mb())


def partition_digest(partition: Partition, fingerprint: str) -> str:
    """A content hash of the partition's inputs (file names, ranges, bytes) and the pipeline's fingerprint."""
    digest = hashlib.sha256(fingerprint.encode())
    for part in partition.parts:
        digest.update(json.dumps([Path(part.path).name, part.start, part.end, part.first_line,
                                  part.renamed]).encode())
        try:
            with open_input(part.location) as file:
                file.seek(part.start)
                left = None if part.end is None else part.end - part.start
                while block := file.read(_BLOCK if left is None else min(_BLOCK, left)):
                    digest.update(block)
                    if left is not None:
                        left -= len(block)
        except InputUnusable as problem:  # a named pipe is never opened for reading
            digest.update(f"unreadable: {problem}".encode())
        except OSError as error:
            digest.update(f"unreadable: {error.strerror}".encode())
    return digest.hexdigest()[:32]


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def report_outcome(outcome: object, on_warning: Callable[[ReadWarning], None] | None,
                   on_failure: Callable[[FailedPartition], None] | None) -> None:
    """Hand a finished partition's read warnings (and, if it failed, the failure) to the callbacks."""
    if isinstance(outcome, FailedPartition):
        if on_failure:
            on_failure(outcome)
        warnings = outcome.warnings()
    else:
        warnings = outcome.warnings  # type: ignore[attr-defined]
    if on_warning:
        for warning in warnings:
            on_warning(warning)
