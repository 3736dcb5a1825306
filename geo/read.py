"""Articles from files: plain text, Markdown, HTML and JSON Lines, as :class:`~geo.model.Article`.

Offsets downstream are Python string indices into ``Article.text``, so the text of
``.txt``, ``.md`` and JSONL records is kept exactly as decoded (only a leading BOM
of a file is dropped).  HTML is reduced to its main article text with trafilatura.

A bad input never stops a run: it is skipped and reported as a :class:`ReadWarning`.

>>> from geo.read import find_inputs, read_articles
>>> for article in read_articles(find_inputs(["articles/"]), on_warning=print):  # doctest: +SKIP
...     print(article.article_id, article.lang)
"""

from __future__ import annotations

import codecs
import glob
import itertools
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from .errors import InputError
from .model import Article
from .textform import scrub_surrogates

__all__ = ["ReadWarning", "InputUnusable", "open_input", "find_inputs", "unique_ids", "UniqueIds", "repeated_id",
           "read_articles", "read_ahead", "READ_AHEAD", "read_jsonl_lines", "detect_language", "iso_date",
           "SUFFIXES", "MAX_BYTES"]

#: file suffixes read as articles (compared case-insensitively)
SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
#: the largest file (or JSONL line) read, in bytes
MAX_BYTES = 10_000_000

_SUFFIX_LIST = ", ".join(SUFFIXES)
_SNIFF_BYTES = 8192  # a NUL byte in the first 8 KB makes a file binary (unless a UTF-16/32 BOM starts it)
# byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}
_LINE_CHUNK = 1 << 20  # JSONL lines are read (and over-long ones discarded) in pieces of 1 MiB
_MIN_LETTERS = 20  # shorter texts get no language
_MIN_PROBABILITY = 0.3  # below this the language is undecidable
_LANGUAGE_SAMPLE = 20_000  # characters of a text used to detect its language
_QUICK_SAMPLE = 500  # characters of each of the two samples whose language, when both are sure of it, is the text's
_SURE = 0.995  # the probability from which a sample is sure
_HTML_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKDOWN_TITLE = re.compile(r"^# +(.*?)(?: +#+)? *\r?$", re.MULTILINE)
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# py3langid labels that are not ISO 639-1 codes -> the ISO 639-1 code of their macrolanguage
# (or the nearest standard language); labels missing here and not two letters long are dropped.
_ISO639_1 = {
    "ary": "ar", "arz": "ar",  # Moroccan, Egyptian Arabic: py3langid often says "ary" for short Arabic text
    "uzs": "uz", "sdh": "ku", "gug": "gn", "fuv": "ff", "kik": "ki", "ltg": "lv",
    "wuu": "zh", "yue": "zh",
    "hbo": "he", "grc": "el",  # ancient forms: modern text is sometimes labelled with them
}


@dataclass(frozen=True)
class ReadWarning:
    """One problem with one input; the input is skipped (or a field ignored), the run goes on.

    Parameters
    ----------
    path
        The file, or ``file.jsonl:LINE`` for one line of a JSONL file.
    problem
        What is wrong, in a few words (``"empty file"``, ``"missing 'text'"``, ...).
    """

    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class InputUnusable(Exception):
    """This input (file or JSONL line) is skipped; the message is the problem."""


_Unusable = InputUnusable


# --------------------------------------------------------------------------- finding inputs


def find_inputs(specs: Sequence[str | Path], *, on_warning: Callable[[ReadWarning], None] | None = None,
                exclude: Sequence[str | Path] = (), on_skip: Callable[[Path], None] | None = None) -> list[Path]:
    """The article files named by ``specs``, in order, each once.

    Parameters
    ----------
    specs
        Files, folders (searched recursively for files ending in one of :data:`SUFFIXES`,
        hidden files and folders left out, sorted) or glob patterns (``**`` recurses).
    on_warning
        Hears about a sub-folder that cannot be read (it is skipped).
    exclude
        Folders never searched (the output folder: our own outputs are no articles).
    on_skip
        Hears about each file in a searched folder that is not an article file (a ``.docx``),
        so a summary can count what was left out.

    Returns
    -------
    list of Path
        Paths as given (folder or pattern joined with the file's relative path).

    Raises
    ------
    InputError
        When a spec does not exist, matches no article file, or names a file of
        another type.
    """
    warn = on_warning or _ignore
    excluded = {_identity(folder) for folder in exclude}
    found: list[Path] = []
    seen: set[str] = set()
    for spec in specs:
        for path in _expand(spec, warn, excluded, on_skip or _ignore):
            key = _identity(path)
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def _identity(path: str | Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _expand(spec: str | Path, warn: Callable[[ReadWarning], None], excluded: set[str],
            skip: Callable[[Path], None]) -> list[Path]:
    path = Path(spec)
    if path.is_dir():
        files = _article_files(path, warn, excluded, skip)
        if not files:
            raise InputError(f"{spec}: folder holds no article files ({_SUFFIX_LIST})")
        return files
    if path.exists():
        if not _is_article_file(path):
            raise InputError(f"{spec}: not an article file (expected {_SUFFIX_LIST})")
        return [path]
    if not _is_pattern(str(spec)):
        raise InputError(f"{spec}: no such file or folder")
    files = []
    for match in sorted(glob.glob(str(spec), recursive=True)):
        match_path = Path(match)
        if match_path.is_dir():
            files.extend(_article_files(match_path, warn, excluded, skip))
        elif _is_article_file(match_path) and not _inside(match_path, excluded):
            files.append(match_path)
    if not files:
        raise InputError(f"{spec}: pattern matches no article files ({_SUFFIX_LIST})")
    return files


def _article_files(folder: Path, warn: Callable[[ReadWarning], None], excluded: set[str],
                   skip: Callable[[Path], None] = lambda path: None) -> list[Path]:
    """Article files under ``folder``, recursively, sorted; hidden entries, symlinked folders
    and ``excluded`` folders skipped; an unreadable sub-folder is warned about; each other
    visible file is passed to ``skip``."""
    if _inside(folder, excluded):
        return []

    def unreadable(exc: OSError) -> None:
        warn(ReadWarning(str(exc.filename or folder), f"cannot read folder ({_os_reason(exc)}); skipped"))

    files = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames[:] = sorted(name for name in dirnames
                             if not name.startswith(".") and _identity(Path(dirpath, name)) not in excluded)
        for name in sorted(filenames):
            if not name.startswith("."):
                (files.append if _is_article_file(Path(name)) else skip)(Path(dirpath, name))
    return sorted(files)


def _inside(path: Path, excluded: set[str]) -> bool:
    key = _identity(path)
    return any(key == folder or key.startswith(folder.rstrip(os.sep) + os.sep) for folder in excluded)


class UniqueIds:
    """The ids one read has given so far, and the unique id an id given again gets: ``ID@FILE``, ``FILE``
    its file as given, with ``#2``, ``#3``... added when that is taken too."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}  # id -> the file that gave it first
        self._files: dict[str, str] = {}  # one string for each file, however many ids it gives

    def claim(self, article_id: str, where: str) -> str | None:
        """None when ``article_id`` is new (``where`` is now its file), else the unique id it gets in ``where``."""
        where = self._files.setdefault(where, where)
        if article_id not in self._first:
            self._first[article_id] = where
            return None
        unique, number = f"{article_id}@{where}", 2
        while unique in self._first:
            unique, number = f"{article_id}@{where}#{number}", number + 1
        self._first[unique] = where
        return unique

    def first_file(self, article_id: str) -> str:
        """The file that gave ``article_id`` first."""
        return self._first[article_id]


def repeated_id(where: str, article_id: str, first: str, unique: str) -> ReadWarning:
    """The warning that an article of ``where`` has the id of one in ``first`` and is ``unique`` instead."""
    return ReadWarning(where, f"article id {article_id!r} is also the id of an article in {first}; this one is "
                              f"{unique!r}")


def unique_ids(articles: Iterable[Article], on_warning: Callable[[ReadWarning], None] | None = None
               ) -> Iterator[Article]:
    """``articles`` with every ``article_id`` unique: an article whose id an earlier one has
    (``day1/report.txt`` and ``day2/report.txt`` are both ``report``; a JSONL id used twice)
    gets the id ``ID@FILE``, ``FILE`` its file as given (``report@day2/report.txt``), with
    ``#2``, ``#3``... added when that is taken too (:class:`UniqueIds`), and a warning names both
    files; nothing is merged silently."""
    warn = on_warning or _ignore
    ids = UniqueIds()
    for article in articles:
        where = Path(article.path).as_posix() if article.path else "?"
        unique = ids.claim(article.article_id, where)
        if unique is not None:
            warn(repeated_id(where, article.article_id, ids.first_file(article.article_id), unique))
            article = replace(article, article_id=unique)
        yield article


def _is_article_file(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def _is_pattern(spec: str) -> bool:
    return any(char in spec for char in "*?[")


# --------------------------------------------------------------------------- reading


def read_articles(
    paths: Iterable[str | Path],
    *,
    on_warning: Callable[[ReadWarning], None] | None = None,
    detect_language: bool = True,
    unique: bool = True,
) -> Iterator[Article]:
    """Stream the articles of ``paths``, in order (JSONL records in line order).

    Parameters
    ----------
    paths
        Article files, as from :func:`find_inputs`.
    on_warning
        Called with a :class:`ReadWarning` for each input skipped or field ignored;
        by default problems are skipped silently.
    detect_language
        Detect ``lang`` from the text when the input does not give it.
    unique
        Make the ids unique (:func:`unique_ids`); False for a caller that reads a part of a
        larger read and makes them unique over the whole (the engines' partitions).

    Yields
    ------
    Article
        ``article_id`` is the file name without extension, or the JSONL ``id``, made
        unique by :func:`unique_ids`; ``path`` the file as given.
    """
    warn = on_warning or _ignore
    articles = _read_all(paths, warn, detect_language)
    yield from unique_ids(articles, warn) if unique else articles


#: Articles read before the first of them is processed: reading (language detection over its model) and
#: processing (the gazetteer's tables and the memos) each keep their memory in the CPU's caches for a
#: while instead of taking turns at every article (same instructions; read one at a time, an ``extract``
#: of 2,000 articles took 2-3 % longer than with the whole corpus read first, and 0-1 % with this).
READ_AHEAD = 256


def read_ahead(articles: Iterable[Article], count: int | None = None) -> Iterator[Article]:
    """``articles`` read ``count`` (default :data:`READ_AHEAD`) at a time, then given one by one."""
    iterator = iter(articles)
    while batch := list(itertools.islice(iterator, count or READ_AHEAD)):
        yield from batch


def _read_all(paths: Iterable[str | Path], warn: Callable[[ReadWarning], None],
              detect_language: bool) -> Iterator[Article]:
    for path in map(Path, paths):
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            articles: Iterable[Article] = _read_jsonl(path, warn)
        else:
            try:
                articles = [_read_document(path, suffix)]
            except _Unusable as problem:
                warn(ReadWarning(str(path), str(problem)))
                continue
        for article in articles:
            if article.lang is None and detect_language:
                article = replace(article, lang=_language_of(article.text))
            yield article


def _ignore(warning: ReadWarning) -> None:
    pass


def _read_document(path: Path, suffix: str) -> Article:
    """One article from a .txt, .md or .html/.htm file; raises _Unusable."""
    if suffix not in SUFFIXES:
        raise _Unusable(f"not an article file (expected {_SUFFIX_LIST})")
    data = _read_bytes(path)
    if suffix in (".html", ".htm"):
        return _html_article(path, _decode_html(data))
    text = _decode_utf8(data)
    return Article(article_id=path.stem, text=text, path=str(path), **_text_header(text, markdown=suffix == ".md"))


def _text_header(text: str, *, markdown: bool) -> dict[str, str | None]:
    """``title``, ``url`` and ``published`` of a .txt or .md article (the text itself is kept whole).

    The title is a Markdown ``# heading``, else the first non-blank line when it is short
    (at most 200 characters) and not a header line.  Header lines are ``URL: ...``,
    ``Link: ...``, ``Source: http...``, ``Date: ...`` and ``Published: ...`` among the first 10
    non-blank lines; a URL must be http(s) and a date ISO 8601, else the line is ignored.
    """
    lines = [line.strip() for line in text[:4000].splitlines() if line.strip()][:10]
    header = {}
    for line in lines:
        key, colon, value = line.partition(":")
        if colon and key.strip().lower() in ("url", "link", "source", "date", "published") and value.strip():
            header.setdefault(key.strip().lower(), value.strip())
    urls = (header.get(key, "") for key in ("url", "link", "source"))
    url = next((value for value in urls if re.match(r"(?i)https?://\S+$", value)), None)
    published = iso_date(header.get("date")) or iso_date(header.get("published"))
    title = _markdown_title(text) if markdown else None
    if title is None and lines and len(lines[0]) <= 200:
        key = lines[0].partition(":")[0].strip().lower()
        if not (key in ("url", "link", "source", "date", "published") and ":" in lines[0]):
            title = lines[0].lstrip("#").strip() or None
    return {"title": title, "url": url, "published": published}


def open_input(path: str | Path) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file (a symlink to one is).

    A named pipe, socket or device (``/dev/zero``) is refused before it is opened, and the
    open itself never blocks (a pipe swapped in after the check is refused too): reading
    one would hang or never end.  Raises :class:`InputUnusable` with the problem.
    """
    try:
        kind = _special_kind(os.stat(path).st_mode)
        if kind:
            raise InputUnusable(f"not a regular file but a {kind}; skipped")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputUnusable(_os_reason(exc)) from None
    try:
        kind = _special_kind(os.fstat(fd).st_mode)
        if kind:
            raise InputUnusable(f"not a regular file but a {kind}; skipped")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _special_kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    for test, name in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "folder")):
        if test(mode):
            return name
    return "special file"


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES that is not empty; never more than
    MAX_BYTES + 1 bytes are read (a larger file is refused by its size, unread)."""
    with open_input(path) as file:
        try:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_BYTES:
                raise _Unusable(_too_large(size))
            data = file.read(MAX_BYTES + 1)
        except OSError as exc:
            raise _Unusable(_os_reason(exc)) from None
    if len(data) > MAX_BYTES:  # grew since stat
        raise _Unusable(_too_large(len(data)))
    if not data.strip():
        raise _Unusable("empty file")
    return data


def _decode_utf8(data: bytes) -> str:
    """Text of a UTF-8 file (a leading BOM dropped) or of a UTF-16/UTF-32 file with its BOM;
    lone surrogates (only possible from UTF-16/32) read as U+FFFD, nothing else changed."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data[:_SNIFF_BYTES]:
        raise _Unusable("binary file (or UTF-16 text without a byte-order mark: save it as UTF-8)")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise _Unusable(_bad_encoding(_ENCODING_NAMES.get(encoding or "utf-8", "UTF-8"), exc)) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _Unusable("empty file")
    return scrub_surrogates(text)


def _decode_html(data: bytes) -> str:
    """UTF-8, or the charset the page declares in a ``<meta>`` tag."""
    try:
        return _decode_utf8(data)
    except _Unusable:
        charset = _declared_charset(data)
        if charset is None:
            raise
    try:
        return scrub_surrogates(data.decode(charset))
    except UnicodeDecodeError as exc:
        raise _Unusable(_bad_encoding(charset, exc)) from None


def _declared_charset(data: bytes) -> str | None:
    """The codec of a ``<meta charset>`` declaration near the top, unless unknown or UTF-8."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return None if name == "utf-8" else name


def _markdown_title(text: str) -> str | None:
    match = _MARKDOWN_TITLE.search(text)
    return (match.group(1).strip() or None) if match else None


def _too_large(size: int) -> str:
    return f"larger than 10 MB ({size / 1e6:.1f} MB)"


def _bad_encoding(encoding: str, exc: UnicodeDecodeError) -> str:
    return f"not valid {encoding} (byte 0x{exc.object[exc.start]:02X} at offset {exc.start})"


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


# --------------------------------------------------------------------------- HTML


def _html_article(path: Path, html: str) -> Article:
    """The main text and metadata of an HTML page (trafilatura)."""
    document = _extract_html(html)
    text = (document.text or "").strip() if document is not None else ""
    if sum(char.isalpha() for char in text) < _MIN_LETTERS:
        raise _Unusable("no article text found in HTML")
    return Article(article_id=path.stem, text=text, title=document.title or None, url=document.url or None,
                   published=iso_date(document.date), path=str(path))


def _extract_html(html: str) -> Any:
    """trafilatura's Document for ``html`` (None when it finds no body); raises _Unusable."""
    import lxml.etree
    import lxml.html
    import trafilatura

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                  collect_ids=False, default_doctype=False)
    # control characters are no HTML and lxml refuses them in text it moves (a tail after a dropped <script>)
    html = _HTML_CONTROLS.sub(" ", html)
    try:  # parsed here so a bare fragment (no <html>) is a document too, and never re-decoded
        tree = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
        _drop_invisible(tree)
    except (lxml.etree.ParserError, ValueError):
        return None
    try:
        return trafilatura.bare_extraction(
            tree, favor_precision=True, include_comments=False, with_metadata=True,
            # the published date only from metadata, never guessed from dates in the article text
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except Exception as exc:  # a parser failure on one page must not stop a run
        raise _Unusable(f"HTML extraction failed ({type(exc).__name__}: {exc})") from None


def _drop_invisible(tree: Any) -> None:
    """Remove code and inert markup; JSON-LD stays (trafilatura reads metadata from it)."""
    for element in list(tree.iter("script", "style", "noscript", "template")):
        if element.tag == "script" and (element.get("type") or "").strip().lower() == "application/ld+json":
            continue
        element.drop_tree()  # keeps the element's tail text


# --------------------------------------------------------------------------- JSON Lines


def _read_jsonl(path: Path, warn: Callable[[ReadWarning], None]) -> Iterator[Article]:
    """One article a line; bad lines are warned about and skipped."""
    try:
        file = open_input(path)
    except InputUnusable as problem:
        warn(ReadWarning(str(path), str(problem)))
        return
    warned = False

    def note(warning: ReadWarning) -> None:
        nonlocal warned
        warned = True
        warn(warning)

    found = 0
    with file:
        try:
            head = file.read(_SNIFF_BYTES)
            if any(head.startswith(bom) for bom, name in _BOMS if name != "utf-8"):
                warn(ReadWarning(str(path), "JSON Lines in UTF-16/UTF-32: save it as UTF-8"))
                return
            if b"\x00" in head:
                warn(ReadWarning(str(path), "binary file"))
                return
            file.seek(0)
            for article in read_jsonl_lines(file, path, note):
                found += 1
                yield article
        except OSError as exc:
            warn(ReadWarning(str(path), _os_reason(exc)))
            return
    if not found and not warned:
        warn(ReadWarning(str(path), "empty file"))


def read_jsonl_lines(file: IO[bytes], path: str | Path, on_warning: Callable[[ReadWarning], None], *,
                     first_line: int = 1) -> Iterator[Article]:
    """The articles of the JSON Lines read from ``file`` (anything with a binary ``readline``,
    such as a file positioned at a line start), numbered from ``first_line``: one a line,
    blank lines skipped, a bad line warned about (``path:LINE``) and skipped.  Languages are
    taken from the records, not detected.  Raises OSError as ``file`` does."""
    for number, line in enumerate(_lines(file), start=first_line):
        where = f"{path}:{number}"
        if isinstance(line, int):
            on_warning(ReadWarning(where, f"line {_too_large(line)}"))
            continue
        if not line.strip():
            continue
        try:
            yield _record_article(line, number, Path(path), where, on_warning)
        except _Unusable as problem:
            on_warning(ReadWarning(where, str(problem)))


def _lines(file: IO[bytes]) -> Iterator[bytes | int]:
    """The lines of ``file``; a line longer than MAX_BYTES comes as its length and is never held whole."""
    while piece := file.readline(_LINE_CHUNK):
        pieces: list[bytes] = []
        size = 0
        while True:
            size += len(piece)
            if size <= MAX_BYTES + 1:  # the line so far fits (with its newline)
                pieces.append(piece)
            else:
                pieces.clear()  # too long: count the rest without keeping it
            if piece.endswith(b"\n") or not (piece := file.readline(_LINE_CHUNK)):
                break
        length = size - piece.endswith(b"\n")  # without the newline
        if length > MAX_BYTES:
            yield length
            continue
        line = b"".join(pieces)
        pieces.clear()  # hold the line once, not twice
        yield line


def _record_article(line: bytes, number: int, path: Path, where: str,
                    warn: Callable[[ReadWarning], None]) -> Article:
    """An Article from one JSONL line; raises _Unusable for a line to skip."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Unusable(_bad_encoding("UTF-8", exc)) from None
    text = text.rstrip("\r\n")  # so an error never points past the line
    if number == 1:
        text = text.removeprefix("\ufeff")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Unusable(f"invalid JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}") from None
    except RecursionError:
        raise _Unusable("invalid JSON: nested too deeply") from None
    if not isinstance(record, dict):
        raise _Unusable(f"not a JSON object but {type(record).__name__}")
    # a "\\ud800" escape decodes to a lone surrogate, which no UTF-8 output can hold
    record = {key: scrub_surrogates(value) if isinstance(value, str) else value for key, value in record.items()}
    article_id = _record_id(record)
    body = record.get("text")
    if body is None:
        raise _Unusable("missing 'text'")
    if not isinstance(body, str):
        raise _Unusable(f"'text' is not a string but {type(body).__name__}")
    if not body.strip():
        raise _Unusable("empty 'text'")

    def optional(key: str) -> str | None:
        value = record.get(key)
        if value is None or isinstance(value, str):
            return value or None
        warn(ReadWarning(where, f"'{key}' is not a string but {type(value).__name__}; ignored"))
        return None

    published = optional("published")
    iso_published = iso_date(published)
    if published is not None and iso_published is None:
        warn(ReadWarning(where, f"'published' is not an ISO date ({published[:40]!r}); ignored"))
    return Article(article_id=article_id, text=body, title=optional("title"), url=optional("url"),
                   published=iso_published, lang=_language_tag(optional("lang")), path=str(path))


def _record_id(record: dict[str, Any]) -> str:
    value = record.get("id")
    if value is None or value == "":
        raise _Unusable("missing 'id'")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _Unusable(f"'id' is not a string but {type(value).__name__}")
    return value


def iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` of an ISO 8601 date or date-time (the date as written, no time zone shift)."""
    if not value:
        return None
    value = value.strip()
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parsed = parse(value)
        except ValueError:
            continue
        return (parsed.date() if isinstance(parsed, datetime) else parsed).isoformat()
    return None


def _language_tag(value: str | None) -> str | None:
    """``en`` of ``EN``, ``en-US`` or ``en_GB``."""
    if not value or not value.strip():
        return None
    return re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]


# --------------------------------------------------------------------------- language


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language of ``text``, offline (py3langid).

    Parameters
    ----------
    text
        Any text; only its first 20,000 characters are looked at.

    Returns
    -------
    str or None
        ``"en"``, ``"ar"``, ``"ru"``, ...; None when the text has fewer than 20
        letters or no language is likely enough.
    """
    return _language_of(text)


def _language_of(text: str) -> str | None:
    """The language of the text's opening and of the end of its first ``_LANGUAGE_SAMPLE`` characters
    (``_QUICK_SAMPLE`` characters each) when both are sure of the same one, else of those first characters
    whole: most articles are in one language, told apart in a paragraph; a text of several is read whole."""
    window = text[:_LANGUAGE_SAMPLE]
    if len(window) > 2 * _QUICK_SAMPLE:
        opening, closing = _ranked_language(window[:_QUICK_SAMPLE]), _ranked_language(window[-_QUICK_SAMPLE:])
        if opening is not None and closing is not None and opening[0] == closing[0] \
                and min(opening[1], closing[1]) >= _SURE:
            return opening[0]
    ranked = _ranked_language(window)
    return ranked[0] if ranked is not None and ranked[1] >= _MIN_PROBABILITY else None


def _ranked_language(sample: str) -> tuple[str, float] | None:
    """The likeliest ISO 639-1 code of ``sample`` and its probability (py3langid's labels of one code summed)."""
    from .language_model import identifier

    if sum(map(str.isalpha, sample)) < _MIN_LETTERS:
        return None
    totals: dict[str, float] = {}
    for label, probability in identifier().rank(sample):
        code = _ISO639_1.get(label, label if len(label) == 2 else None)
        if code is not None:
            totals[code] = totals.get(code, 0.0) + probability
    if not totals:
        return None
    code = max(sorted(totals), key=totals.__getitem__)
    return code, totals[code]
