"""Who reported an event: its articles and their outlets, counted once for popups and exports.

An event's ``sources`` hold one entry per sentence; an *article* is a distinct
``article_id`` among them, and its *outlet* the host of the article's URL (lower case,
without ``www.``), so two reports from one site count as one outlet.  Only absolute
http(s) URLs have an outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from gazetteer.memo import memoised

#: Characters no link may hold: spaces (any Unicode space) and control characters.
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\s]")

__all__ = ["http_url", "outlet_of", "articles_of", "outlets_of", "first_url"]


def http_url(url: object) -> str | None:
    """``url`` stripped if it is an absolute http(s) URL without spaces or control characters, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if _SPACE_OR_CONTROL.search(url):
        return None
    return url


def outlet_of(url: object) -> str | None:
    """The outlet of a URL: its host without ``www.`` (None without an absolute http(s) URL)."""
    return _host(url) if isinstance(url, str) else None


@memoised(65536)
def _host(url: str) -> str | None:
    checked = http_url(url)
    if checked is None:
        return None
    try:
        host = (urlsplit(checked).hostname or "").lower()
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def articles_of(sources: Iterable[Any]) -> dict[str, list[Mapping[str, Any]]]:
    """The sources grouped by article (``article_id``, else ``#n`` by position), in order of appearance."""
    articles: dict[str, list[Mapping[str, Any]]] = {}
    for number, source in enumerate(sources):
        if isinstance(source, Mapping):
            article = source.get("article_id")
            key = str(article) if article is not None and str(article) else f"#{number}"
            articles.setdefault(key, []).append(source)
    return articles


def outlets_of(articles: Mapping[str, list[Mapping[str, Any]]]) -> dict[str, str | None]:
    """article -> its outlet (from its first source's URL)."""
    return {article: outlet_of(reports[0].get("url")) for article, reports in articles.items()}


def first_url(sources: Iterable[Any]) -> str | None:
    """The first absolute http(s) URL among the sources, or None."""
    for source in sources:
        if isinstance(source, Mapping) and (url := http_url(source.get("url"))):
            return url
    return None
