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
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from .errors import InputError
from .model import Article

__all__ = ["ReadWarning", "find_inputs", "read_articles", "read_jsonl_lines", "detect_language", "SUFFIXES",
           "MAX_BYTES"]

#: file suffixes read as articles (compared case-insensitively)
SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
#: the largest file (or JSONL line) read, in bytes
MAX_BYTES = 10_000_000

_SUFFIX_LIST = ", ".join(SUFFIXES)
_SNIFF_BYTES = 8192  # a NUL byte in the first 8 KB makes a file binary
_LINE_CHUNK = 1 << 20  # JSONL lines are read (and over-long ones discarded) in pieces of 1 MiB
_MIN_LETTERS = 20  # shorter texts get no language
_MIN_PROBABILITY = 0.3  # below this the language is undecidable
_LANGUAGE_SAMPLE = 20_000  # characters of a text used to detect its language
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


class _Unusable(Exception):
    """Internal: this input (file or JSONL line) is skipped; the message is the problem."""


# --------------------------------------------------------------------------- finding inputs


def find_inputs(specs: Sequence[str | Path]) -> list[Path]:
    """The article files named by ``specs``, in order, each once.

    Parameters
    ----------
    specs
        Files, folders (searched recursively for files ending in one of :data:`SUFFIXES`,
        hidden files and folders left out, sorted) or glob patterns (``**`` recurses).

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
    found: list[Path] = []
    seen: set[str] = set()
    for spec in specs:
        for path in _expand(spec):
            key = os.path.normcase(os.path.abspath(path))
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def _expand(spec: str | Path) -> list[Path]:
    path = Path(spec)
    if path.is_dir():
        files = _article_files(path)
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
            files.extend(_article_files(match_path))
        elif _is_article_file(match_path):
            files.append(match_path)
    if not files:
        raise InputError(f"{spec}: pattern matches no article files ({_SUFFIX_LIST})")
    return files


def _article_files(folder: Path) -> list[Path]:
    """Article files under ``folder``, recursively, sorted; hidden entries and symlinked folders skipped."""
    files = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        files.extend(Path(dirpath, name) for name in filenames
                     if not name.startswith(".") and _is_article_file(Path(name)))
    return sorted(files)


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

    Yields
    ------
    Article
        ``article_id`` is the file name without extension, or the JSONL ``id``;
        ``path`` the file as given.
    """
    warn = on_warning or _ignore
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
    published = _iso_date(header.get("date")) or _iso_date(header.get("published"))
    title = _markdown_title(text) if markdown else None
    if title is None and lines and len(lines[0]) <= 200:
        key = lines[0].partition(":")[0].strip().lower()
        if not (key in ("url", "link", "source", "date", "published") and ":" in lines[0]):
            title = lines[0].lstrip("#").strip() or None
    return {"title": title, "url": url, "published": published}


def _read_bytes(path: Path) -> bytes:
    """The bytes of a file of at most MAX_BYTES that is neither empty nor binary."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _Unusable(_too_large(size))
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _Unusable(_os_reason(exc)) from None
    if len(data) > MAX_BYTES:  # grew since stat
        raise _Unusable(_too_large(len(data)))
    if not data.strip():
        raise _Unusable("empty file")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise _Unusable("binary file")
    return data


def _decode_utf8(data: bytes) -> str:
    """Strict UTF-8, a leading BOM dropped, nothing else changed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Unusable(_bad_encoding("UTF-8", exc)) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _Unusable("empty file")
    return text


def _decode_html(data: bytes) -> str:
    """UTF-8, or the charset the page declares in a ``<meta>`` tag."""
    try:
        return _decode_utf8(data)
    except _Unusable:
        charset = _declared_charset(data)
        if charset is None:
            raise
    try:
        return data.decode(charset)
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
                   published=_iso_date(document.date), path=str(path))


def _extract_html(html: str) -> Any:
    """trafilatura's Document for ``html`` (None when it finds no body); raises _Unusable."""
    import lxml.etree
    import lxml.html
    import trafilatura

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                  collect_ids=False, default_doctype=False)
    try:  # parsed here so a bare fragment (no <html>) is a document too, and never re-decoded
        tree = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    _drop_invisible(tree)
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
        file = path.open("rb")
    except OSError as exc:
        warn(ReadWarning(str(path), _os_reason(exc)))
        return
    warned = False

    def note(warning: ReadWarning) -> None:
        nonlocal warned
        warned = True
        warn(warning)

    found = 0
    with file:
        try:
            if b"\x00" in file.read(_SNIFF_BYTES):
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
    iso_published = _iso_date(published)
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


def _iso_date(value: str | None) -> str | None:
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
    sample = text[:_LANGUAGE_SAMPLE]
    if sum(char.isalpha() for char in sample) < _MIN_LETTERS:
        return None
    totals: dict[str, float] = {}
    for label, probability in _identifier().rank(sample):
        code = _ISO639_1.get(label, label if len(label) == 2 else None)
        if code is not None:
            totals[code] = totals.get(code, 0.0) + probability
    if not totals:
        return None
    code = max(sorted(totals), key=totals.__getitem__)
    return code if totals[code] >= _MIN_PROBABILITY else None


@cache
def _identifier() -> Any:
    """py3langid's model with probabilities, loaded once (about 0.6 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
