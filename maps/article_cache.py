"""What a build keeps between runs, so a rebuild re-reads and re-processes only what changed.

- :class:`InputCache`: ``DIR/.cache/inputs-<fingerprint>/<key>.jsonl`` holds the articles
  read from one input file (text, title, date, detected language, and the warnings it
  gave), keyed by the file's path and bytes: an unchanged file is neither cleaned nor
  language-detected again (for 1,000 short dispatches, reading is a good part of a rebuild).
  It is written and read a line (an article) at a time.
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
import itertools
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from geo.codec import event_from_record, event_record
from geo.model import Article, Event
from geo.pipeline import ArticleResult
from geo.read import ReadWarning

__all__ = ["ArticleCache", "CachedArticle", "InputCache", "pipeline_fingerprint", "reader_fingerprint",
           "CACHE_FOLDER", "result_to_json", "result_from_json"]

#: The cache's folder inside the output folder.
CACHE_FOLDER = ".cache"
_FORMAT = 5  # 4: the codec's records (date_end, reviewed, note, aliases); 5: no toponyms


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
        self._used: set[str] = set()
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
    """The articles of each input file, by path and content; new entries are kept in memory
    until :meth:`save` (the output folder may not exist yet when the inputs are read).

    An entry is JSON Lines (:func:`_write_entry`), written and read a line at a time, so a large
    JSON Lines input is never held as one document beside its articles.  With ``remember`` (a
    builder that builds again: ``build --watch``) the entries read or stored are also kept in
    memory, so a rebuild reads no entry file.
    """

    def __init__(self, out_dir: Path, fingerprint: str, *, remember: bool = False) -> None:
        self.root = Path(out_dir) / CACHE_FOLDER
        self.folder = self.root / f"inputs-{fingerprint}"
        self.remember = remember
        self._used: set[str] = set()
        self._pending: dict[str, _InputEntry] = {}
        self._memory: dict[str, _InputEntry] = {}

    def read(self, paths: Sequence[Path], on_warning=None, *, refresh: bool = False) -> list[Article]:
        """The articles of ``paths`` in order, each file read (by :func:`geo.read.read_articles`)
        only if it is not in the cache or ``refresh`` is set; cached warnings are given again
        (``on_warning(ReadWarning)``)."""
        from geo.read import read_articles, unique_ids

        articles: list[Article] = []
        for path in paths:
            key = self._key(path)
            entry = self._load(key) if key and not refresh else None
            if entry is None:
                warnings: list[ReadWarning] = []
                entry = _InputEntry(list(read_articles([path], on_warning=warnings.append)), warnings)
                if key:
                    self._pending[key] = entry
            if key:
                self._used.add(key)
                if self.remember:
                    self._memory[key] = entry
            if on_warning is not None:
                for warning in entry.warnings:
                    on_warning(warning)
            articles.extend(entry.articles)
        return list(unique_ids(articles, on_warning))

    def save(self) -> None:
        """Write the entries read since the last save (a cache that cannot be written only costs time)."""
        for key, entry in self._pending.items():
            _write_entry(self.folder / f"{key}{_INPUT_SUFFIX}", entry)
        self._pending.clear()

    def prune(self) -> int:
        """Remove entries not used since the last prune, and other fingerprints' folders."""
        return _prune(self.root, "inputs-", self.folder, self._used, self._memory, suffix=_INPUT_SUFFIX)

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

    def _load(self, key: str) -> "_InputEntry | None":
        if key in self._memory:
            return self._memory[key]
        return _read_entry(self.folder / f"{key}{_INPUT_SUFFIX}")


@dataclass(frozen=True, slots=True)
class _InputEntry:
    """What reading one input file gave: its articles (ids not yet made unique) and its warnings."""

    articles: list[Article]
    warnings: list[ReadWarning]


_INPUT_FORMAT = 1  # the JSON Lines entries of _write_entry
_INPUT_SUFFIX = ".jsonl"


def _write_entry(path: Path, entry: _InputEntry) -> None:
    """Store ``entry`` atomically as JSON Lines: a header (format, warnings, number of articles), an
    article a line, then the sha256 of the lines before it; a cache that cannot be written only costs time."""
    from gazetteer.atomic import atomic_path

    header = {"format": _INPUT_FORMAT, "warnings": [[w.path, w.problem] for w in entry.warnings],
              "articles": len(entry.articles)}
    lines = itertools.chain([header], map(asdict, entry.articles))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temp, temp.open("wb") as file:
            digest = hashlib.sha256()
            for document in lines:
                line = _json_line(document)
                digest.update(line)
                file.write(line)
            file.write(_json_line({"sha256": digest.hexdigest()}))
    except OSError:
        return


def _read_entry(path: Path) -> "_InputEntry | None":
    """The entry :func:`_write_entry` stored if it is whole and its checksum holds, else None."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            header_line = file.readline()
            digest.update(header_line)
            header = json.loads(header_line)
            if not isinstance(header, dict) or header.get("format") != _INPUT_FORMAT:
                return None
            warnings = [ReadWarning(str(where), str(problem)) for where, problem in header["warnings"]]
            articles = []
            for _ in range(int(header["articles"])):
                line = file.readline()
                digest.update(line)
                articles.append(Article(**json.loads(line)))
            seal = json.loads(file.readline())
            if file.read(1) or not isinstance(seal, dict) or seal.get("sha256") != digest.hexdigest():
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return _InputEntry(articles, warnings)


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
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{key}.json", text.encode("utf-8", "surrogatepass"))
    except OSError:
        return


def _prune(root: Path, prefix: str, current: Path, used: set[str], memory: dict[str, Any], *,
           suffix: str = ".json") -> int:
    """Remove ``root/<prefix>*`` folders other than ``current`` and entries (``*<suffix>``) of ``current``
    not in ``used``; forget the same in ``memory``, and start ``used`` afresh."""
    for key in memory.keys() - used:
        del memory[key]
    removed = 0
    if root.is_dir():
        for folder in root.glob(f"{prefix}*"):
            if folder != current:
                shutil.rmtree(folder, ignore_errors=True)
    if current.is_dir():
        for entry in current.iterdir():
            if entry.suffix == ".tmp" or (entry.suffix == suffix and entry.stem not in used):
                entry.unlink(missing_ok=True)
                removed += 1
    used.clear()
    return removed
