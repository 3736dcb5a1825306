"""What a build keeps between runs, so a rebuild re-reads and re-processes only what changed.

- :class:`InputCache`: ``DIR/.cache/inputs-<fingerprint>/<key>.jsonl`` holds the articles
  read from one input file (text, title, date, detected language, and the warnings it
  gave), keyed by the file's path and bytes: an unchanged file is neither cleaned nor
  language-detected again (for 1,000 short dispatches, reading is a good part of a rebuild).
  It is written and read a line (an article) at a time, and articles are given one at a time.
- :class:`ArticleCache`: ``DIR/.cache/articles-<fingerprint>/<content_hash>.json`` holds what a
  build keeps of what :meth:`geo.pipeline.Pipeline.process` gave for one article
  (:class:`CachedArticle`: its events and its unknown place-like names; no output uses its
  toponyms).  The key is :attr:`geo.model.Article.content_hash` (id, text, title, URL, date,
  language); the fingerprint covers everything else that can change a result
  (:meth:`geo.engines.PipelineSpec.fingerprint`, the same one the Dask store uses).  A new
  fingerprint starts an empty folder and the old ones are removed after the next successful build.

Entries are JSON (not pickle): a cache folder handed over with an output folder cannot
run code.  An unreadable or damaged entry (each carries a sha256) is treated as missing.
For ``build --watch`` (``remember``) both caches also keep in memory what they read or
stored, so a long-lived cache reads each entry from disk once; :meth:`prune` ends a build,
forgetting what it did not use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from geo.codec import event_from_record, event_record
from geo.model import Article, Event
from geo.pipeline import ArticleResult
from geo.read import ReadWarning

__all__ = ["ArticleCache", "CachedArticle", "ContentKeys", "InputCache", "pipeline_fingerprint", "reader_fingerprint",
           "CACHE_FOLDER", "result_to_json", "result_from_json"]

#: The cache's folder inside the output folder.
CACHE_FOLDER = ".cache"
_FORMAT = 5  # 4: the codec's records (date_end, reviewed, note, aliases); 5: no toponyms


class ContentKeys:
    """Cache keys, SHA-256 in hex (an article's :attr:`geo.model.Article.content_hash`, an input file's key), in
    the order added, packed 32 bytes each in one buffer: a build keeps one for every article it reads, and a
    string object for each would cost four times as much and be scattered through the memory the
    extraction used, keeping it from being handed back (a million articles: 32 MB here)."""

    __slots__ = ("_packed",)
    _WIDTH = 32

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._packed = bytearray()
        for key in keys:
            self.add(key)

    def add(self, key: str) -> None:
        digest = bytes.fromhex(key)
        if len(digest) != self._WIDTH:
            raise ValueError(f"not a SHA-256 in hex: {key!r}")
        self._packed += digest

    def clear(self) -> None:
        self._packed.clear()

    def __len__(self) -> int:
        return len(self._packed) // self._WIDTH

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self._packed), self._WIDTH):
            yield self._packed[start:start + self._WIDTH].hex()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentKeys) and self._packed == other._packed

    def __repr__(self) -> str:
        return f"ContentKeys({len(self)} keys)"


@dataclass(frozen=True, slots=True)
class CachedArticle:
    """What a build keeps of one article's :class:`geo.pipeline.ArticleResult`: its (not yet merged) events and
    the place-like names the gazetteer does not know (for the summary); not its toponyms, which no output uses."""

    article_id: str
    events: list[Event]
    unresolved: list[str]

    @classmethod
    def of(cls, result: ArticleResult) -> "CachedArticle":
        return cls(result.article_id, result.events, result.unresolved)


class ArticleCache:
    """What a build keeps of each article (:class:`CachedArticle`) by content hash, for one pipeline fingerprint.

    With ``remember`` (a builder that builds again: ``build --watch``) what was read or stored is also kept in
    memory, so a rebuild reads no file; without it a build's memory does not grow with its corpus.
    """

    def __init__(self, out_dir: Path, fingerprint: str, *, remember: bool = False) -> None:
        self.root = Path(out_dir) / CACHE_FOLDER
        self.folder = self.root / f"articles-{fingerprint}"
        self.remember = remember
        self._used = ContentKeys()
        self._memory: dict[str, CachedArticle] = {}

    def get(self, article: Article) -> CachedArticle | None:
        """The stored result of ``article``, or None."""
        key = article.content_hash
        if key in self._memory:
            self._used.add(key)
            return self._memory[key]
        document = _read_json(self.folder, key)
        if document is None or document.get("format") != _FORMAT or document.get("article_id") != article.article_id:
            return None
        try:
            result = result_from_json(document)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # damaged despite its checksum: processed again
        self._used.add(key)
        if self.remember:
            self._memory[key] = result
        return result

    def put(self, article: Article, result: CachedArticle) -> None:
        """Store ``result`` (atomically; a cache that cannot be written only costs time)."""
        key = article.content_hash
        self._used.add(key)
        if self.remember:
            self._memory[key] = result
        _write_json(self.folder, key, result_to_json(result))

    def prune(self) -> int:
        """Remove entries not used since the last prune, and other fingerprints' folders."""
        return _prune(self.root, "articles-", self.folder, self._used, self._memory)


class InputCache:
    """The articles of each input file, by path and content.

    Articles are given one at a time (:meth:`stream`): a file's entry is read a line at a time,
    and a file read afresh has its articles spooled to one temporary file until :meth:`save` (the
    output folder may not exist yet when the inputs are read), so memory holds an article, not a
    corpus.  An entry is JSON Lines (:func:`_write_entry`).  With ``remember`` (a builder that
    builds again: ``build --watch``) the entries read or stored are also kept in memory, so a
    rebuild reads no entry file.
    """

    def __init__(self, out_dir: Path, fingerprint: str, *, remember: bool = False) -> None:
        self.root = Path(out_dir) / CACHE_FOLDER
        self.folder = self.root / f"inputs-{fingerprint}"
        self.remember = remember
        self._used = ContentKeys()  # the files' keys (sha256 of path and bytes) read since the last prune
        self._spool: IO[bytes] | None = None  # the article lines of the files read since the last save
        self._pending: dict[str, _Spooled] = {}
        self._memory: dict[str, _InputEntry] = {}

    def read(self, paths: Sequence[Path], on_warning=None, *, refresh: bool = False) -> list[Article]:
        """The articles of :meth:`stream` as a list."""
        return list(self.stream(paths, on_warning, refresh=refresh))

    def stream(self, paths: Sequence[Path], on_warning=None, *, refresh: bool = False) -> Iterator[Article]:
        """The articles of ``paths`` in order, ids made unique (:func:`geo.read.unique_ids`), each file
        read (by :func:`geo.read.read_articles`) only if it is not in the cache or ``refresh`` is set;
        cached warnings are given again (``on_warning(ReadWarning)``)."""
        from geo.read import unique_ids

        return unique_ids(self._articles(paths, on_warning or _ignore, refresh), on_warning)

    def save(self) -> None:
        """Write the entries read since the last save (a cache that cannot be written only costs time)."""
        spool, self._spool = self._spool, None
        for key, spooled in self._pending.items():
            assert spool is not None
            _write_entry(self.folder / f"{key}{_INPUT_SUFFIX}", spooled, spool)
        self._pending.clear()
        if spool is not None:
            spool.close()

    def prune(self) -> int:
        """Remove entries not used since the last prune, and other fingerprints' folders."""
        return _prune(self.root, "inputs-", self.folder, self._used, self._memory, suffix=_INPUT_SUFFIX)

    def _articles(self, paths: Sequence[Path], warn, refresh: bool) -> Iterator[Article]:
        """Each file's articles: from memory (``remember``), from its stored entry when that is whole, else
        from the file itself."""
        for path in paths:
            key = self._key(path)
            if key is None:
                yield from self._read_afresh(path, None, warn)
                continue
            self._used.add(key)
            entry = None if refresh else self._memory.get(key)
            if entry is not None:
                for warning in entry.warnings:
                    warn(warning)
                yield from entry.articles
                continue
            stored = self.folder / f"{key}{_INPUT_SUFFIX}"
            warnings = None if refresh else _verified_warnings(stored)
            if warnings is None:
                yield from self._read_afresh(path, key, warn)
                continue
            for warning in warnings:
                warn(warning)
            kept: list[Article] = []
            for article in _stored_articles(stored):
                if self.remember:
                    kept.append(article)
                yield article
            if self.remember:
                self._memory[key] = _InputEntry(kept, warnings)

    def _read_afresh(self, path: Path, key: str | None, warn) -> Iterator[Article]:
        """The articles of ``path`` from the file itself; with a ``key``, spooled for :meth:`save`."""
        from geo.read import read_articles

        warnings: list[ReadWarning] = []

        def said(warning: ReadWarning) -> None:
            warnings.append(warning)
            warn(warning)

        if key is None:
            yield from read_articles([path], on_warning=warn)
            return
        if self._spool is None:
            self._spool = tempfile.TemporaryFile(prefix="conflict-map-inputs-")
        spool = self._spool
        start = spool.seek(0, os.SEEK_END)
        kept: list[Article] = []
        count = 0
        for article in read_articles([path], on_warning=said):
            spool.write(_json_line(asdict(article)))
            if self.remember:
                kept.append(article)
            count += 1
            yield article
        self._pending[key] = _Spooled(start, spool.tell(), count, warnings)
        if self.remember:
            self._memory[key] = _InputEntry(kept, warnings)

    def _key(self, path: Path) -> str | None:
        """sha256 of the path and the bytes of a regular file, read in pieces (a JSON Lines file may be
        large); None for anything the reader refuses (it reports it) or a single file over the limit."""
        from geo.read import MAX_BYTES, InputUnusable, open_input

        digest = hashlib.sha256(str(path).encode("utf-8", "surrogatepass") + b"\x00")
        try:
            with open_input(path) as file:
                if Path(path).suffix.lower() != ".jsonl" and os.fstat(file.fileno()).st_size > MAX_BYTES:
                    return None  # refused by its size, never read
                while piece := file.read(1 << 20):
                    digest.update(piece)
        except (InputUnusable, OSError):
            return None
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class _InputEntry:
    """What reading one input file gave: its articles (ids not yet made unique) and its warnings."""

    articles: list[Article]
    warnings: list[ReadWarning]


@dataclass(frozen=True, slots=True)
class _Spooled:
    """An entry waiting in the spool: its article lines are the spool's bytes ``start:end``."""

    start: int
    end: int
    articles: int
    warnings: list[ReadWarning]


_INPUT_FORMAT = 2  # the JSON Lines entries of _write_entry
_INPUT_SUFFIX = ".jsonl"


def _write_entry(path: Path, spooled: _Spooled, spool: IO[bytes]) -> None:
    """Store an entry atomically as JSON Lines: a header (format, warnings, number of articles), an
    article a line (copied from ``spool``), then the sha256 of the lines before it."""
    from gazetteer.atomic import atomic_path

    header = {"format": _INPUT_FORMAT, "warnings": [[w.path, w.problem] for w in spooled.warnings],
              "articles": spooled.articles}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temp, temp.open("wb") as file:
            head = _json_line(header)
            digest = hashlib.sha256(head)
            file.write(head)
            spool.seek(spooled.start)
            left = spooled.end - spooled.start
            while left and (piece := spool.read(min(left, 1 << 20))):
                digest.update(piece)
                file.write(piece)
                left -= len(piece)
            file.write(_json_line({"sha256": digest.hexdigest()}))
    except OSError:
        return


def _verified_warnings(path: Path) -> list[ReadWarning] | None:
    """The warnings of the entry at ``path`` if it is whole, its checksum holds and every line is an
    article, else None (missing, damaged, foreign); its articles are then read by :func:`_stored_articles`."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            header_line = file.readline()
            digest.update(header_line)
            header = json.loads(header_line)
            if not isinstance(header, dict) or header.get("format") != _INPUT_FORMAT:
                return None
            warnings = [ReadWarning(str(where), str(problem)) for where, problem in header["warnings"]]
            for _ in range(int(header["articles"])):
                line = file.readline()
                digest.update(line)
                Article(**json.loads(line))
            seal = json.loads(file.readline())
            if file.read(1) or not isinstance(seal, dict) or seal.get("sha256") != digest.hexdigest():
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return warnings


def _stored_articles(path: Path) -> Iterator[Article]:
    """The articles of an entry :func:`_verified_warnings` accepted, one line at a time."""
    with path.open("rb") as file:
        count = int(json.loads(file.readline())["articles"])
        for _ in range(count):
            yield Article(**json.loads(file.readline()))


def _ignore(_warning: ReadWarning) -> None:
    pass


def _json_line(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass") + b"\n"


def reader_fingerprint() -> str:
    """What can change how a file is read: the code of ``geo`` and the reading libraries (:mod:`geo.fingerprint`)."""
    from geo.fingerprint import code_digest

    return hashlib.sha256(f"format {_INPUT_FORMAT}\n{code_digest()}".encode()).hexdigest()[:16]


def pipeline_fingerprint(spec) -> str:  # spec: geo.engines.PipelineSpec
    """What besides the article can change what the pipeline extracts: :meth:`PipelineSpec.fingerprint`."""
    return hashlib.sha256(f"format {_FORMAT}\n{spec.fingerprint()}".encode()).hexdigest()[:16]


def result_to_json(result: CachedArticle) -> dict[str, Any]:
    """What a build keeps of one article as plain JSON values."""
    return {"format": _FORMAT, "article_id": result.article_id,
            "events": [event_record(event) for event in result.events], "unresolved": list(result.unresolved)}


def result_from_json(document: dict[str, Any]) -> CachedArticle:
    """The :class:`CachedArticle` stored by :func:`result_to_json`."""
    return CachedArticle(document["article_id"], [event_from_record(record) for record in document["events"]],
                         list(document["unresolved"]))


def _read_json(folder: Path, key: str) -> dict[str, Any] | None:
    """The document of a cache entry if its checksum holds, else None (missing, damaged, foreign)."""
    try:
        sealed = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(sealed, dict) or not isinstance(sealed.get("document"), dict):
        return None
    if sealed.get("sha256") != _checksum(sealed["document"]):
        return None
    return sealed["document"]


def _checksum(document: dict[str, Any]) -> str:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _write_json(folder: Path, key: str, document: dict[str, Any]) -> None:
    """Store ``document`` with its checksum (atomically; a cache that cannot be written only costs time)."""
    from gazetteer.atomic import write_atomic

    text = json.dumps({"sha256": _checksum(document), "document": document}, ensure_ascii=False,
                      separators=(",", ":"))
    data = text.encode("utf-8", "surrogatepass")
    try:
        try:
            write_atomic(folder / f"{key}.json", data)
        except FileNotFoundError:  # the first entry makes the folder
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(folder / f"{key}.json", data)
    except OSError:
        return


def _prune(root: Path, prefix: str, current: Path, used: ContentKeys, memory: dict[str, Any], *,
           suffix: str = ".json") -> int:
    """Remove ``root/<prefix>*`` folders other than ``current`` and entries (``*<suffix>``) of ``current``
    not in ``used``; forget the same in ``memory``, and start ``used`` afresh."""
    kept = set(used)
    for key in memory.keys() - kept:
        del memory[key]
    removed = 0
    if root.is_dir():
        for folder in root.glob(f"{prefix}*"):
            if folder != current:
                shutil.rmtree(folder, ignore_errors=True)
    if current.is_dir():
        for entry in current.iterdir():
            if entry.suffix == ".tmp" or (entry.suffix == suffix and entry.stem not in kept):
                entry.unlink(missing_ok=True)
                removed += 1
    used.clear()
    return removed
