"""Popup and tooltip HTML of one event: what happened, where, when, who, how sure, and every source.

The input is one event's contract properties (a row of the events frame or a feature of
``events.geojson``).  Every value taken from an article or a user's file goes through
:func:`maps.escape.escape_text`; only absolute http(s) URLs become links.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from geo.outlets import articles_of, outlets_of

from .escape import escape_text, safe_link_url
from .symbols import EVENT_SYMBOLS

__all__ = ["popup_html", "tooltip_text", "place_label", "country_name", "event_facts", "highlighted_sentence",
           "PRECISION_LABELS", "MAX_SOURCES"]

#: geo_precision -> how the reader should take the point.
PRECISION_LABELS = {
    1: "at the place itself",
    2: "near here: in the region drawn at its centre, or a village drawn at the nearest place the text names",
    3: "somewhere in this country (drawn at its centre)",
}

#: Sources listed in full in one popup; the rest are counted.
MAX_SOURCES = 12
#: Characters of a sentence shown around the place mention.
_SENTENCE_CHARS = 480
#: The casualty figures of an event and of each source (contract property -> label).
_FIGURES = (("fatalities", "Killed"), ("injured", "Injured"))


def popup_html(event: Mapping[str, Any]) -> str:
    """The popup of one event: type, place, date, actors, killed and injured, confidence and
    every source (with the figures each gives, when the sources disagree).

    Parameters
    ----------
    event
        The event's contract properties (``event_type``, ``place_name``, ``date``,
        ``actors``, ``fatalities``, ``injured``, ``confidence``, ``sources``, ...); missing or
        null values are left out.

    Returns
    -------
    str
        One line of HTML with no ``$``, backtick or backslash outside entities, safe in a
        folium popup (a JavaScript template literal) and in ``bindPopup``.
    """
    event_type = str(event.get("event_type") or "")
    symbol = EVENT_SYMBOLS.get(event_type)
    label = symbol.label if symbol else event_type
    glyph = f'<span class="cm-glyph cm-glyph-{event_type}"></span>' if symbol else ""
    head = (f'<div class="cm-popup-head">{glyph}'
            f'<span class="cm-popup-type">{escape_text(label)}</span></div>')
    place = f'<div class="cm-popup-place">{escape_text(place_label(event))}</div>'
    rows = [(name, value) for name, value in _facts(event) if value]
    table = "".join(f"<tr><th>{escape_text(name)}</th><td>{value}</td></tr>" for name, value in rows)
    sources = _sources_html(event)
    return f'<div class="cm-popup">{head}{place}<table class="cm-facts">{table}</table>{sources}</div>'


def place_label(event: Mapping[str, Any]) -> str:
    """The place as the article wrote it and the gazetteer's name: ``Stepanakert (Khankendi)``
    (plain text, not escaped); the name alone when both are the same word, "unnamed place" when there is none."""
    name = _value(event.get("place_name"))
    mention = _value(event.get("place_mention"))
    if not name:
        return mention or "unnamed place"
    if mention and not _same_name(mention, name):
        return f"{mention} ({name})"
    return name


def event_facts(event: Mapping[str, Any]) -> dict[str, Any]:
    """What the filters and the event list read of an event, as plain text and numbers (the page
    sets them with ``textContent``): ``p`` place label, ``c`` country, ``r`` admin-1 unit,
    ``f`` confidence, ``k`` killed, ``i`` injured, ``n`` articles, ``a`` actors; and, compared
    with the choropleths' ``match`` (escaped alike, never shown), ``u`` the admin-1 code and
    ``g`` the smallest named area."""
    confidence = _float(event.get("confidence"))
    sources = [source for source in _list(event.get("sources")) if isinstance(source, Mapping)]
    articles = articles_of(sources)
    facts = {"p": place_label(event), "c": _value(event.get("country_iso2")), "r": _value(event.get("admin1")),
             "f": round(confidence, 3) if confidence is not None else None, "k": _count(event.get("fatalities")),
             "i": _count(event.get("injured")), "n": len(articles),
             "a": ", ".join(_actor_label(actor) for actor in _list(event.get("actors")) if isinstance(actor, str)),
             "u": escape_text(_value(event.get("admin1_code"))), "g": escape_text(_value(event.get("area")))}
    return {key: value for key, value in facts.items() if value not in (None, "")}


def tooltip_text(event: Mapping[str, Any]) -> str:
    """A one-line hover text, e.g. ``Shelling · Ganja · 2020-10-04`` (escaped)."""
    event_type = str(event.get("event_type") or "")
    symbol = EVENT_SYMBOLS.get(event_type)
    parts = [symbol.label if symbol else event_type, place_label(event), _value(event.get("date"))]
    return " · ".join(escape_text(part) for part in parts if part)


def highlighted_sentence(source: Mapping[str, Any], mention: str | None = None) -> str:
    """The source's sentence, escaped, with the place mention in ``<mark>``.

    The mention is at ``sentence[start - sentence_start : end - sentence_start]``
    (:class:`geo.model.Source`); without usable offsets the first occurrence of
    ``mention`` is marked, and failing that nothing is.  Long sentences are cut to a
    window around the mention.
    """
    sentence = _value(source.get("sentence")) or ""
    span = _mention_span(source, sentence, mention)
    if span is None:
        return escape_text(_clip(sentence))
    begin, end = span
    before, marked, after = sentence[:begin], sentence[begin:end], sentence[end:]
    room = max(0, _SENTENCE_CHARS - len(marked)) // 2
    if len(before) > room:
        before = "…" + before[len(before) - room:]
    if len(after) > room:
        after = after[:room] + "…"
    return f"{escape_text(before)}<mark>{escape_text(marked)}</mark>{escape_text(after)}"


# --------------------------------------------------------------------------- helpers


def _facts(event: Mapping[str, Any]) -> list[tuple[str, str]]:
    date = _value(event.get("date"))
    precision = _value(event.get("date_precision"))
    end = _value(event.get("date_end"))
    if date and end and len(date) == 10 and end != date:  # over several days
        date = f"{date} – {end}"
    when = escape_text(date) + (f" <small>({escape_text(precision)})</small>" if date and precision else "")
    region = ", ".join(part for part in (_value(event.get("admin1")), _value(event.get("country_iso2"))) if part)
    geo_precision = _int(event.get("geo_precision"))
    confidence = _float(event.get("confidence"))
    return [
        ("Date", when if date else "unknown"),
        ("Region", escape_text(region)),
        ("Area", escape_text(_value(event.get("area")) or "")),
        ("Placed", escape_text(PRECISION_LABELS[geo_precision]) if geo_precision in (2, 3) else ""),
        ("Actors", ", ".join(escape_text(_actor_label(actor)) for actor in _list(event.get("actors")))),
        *((label, escape_text(str(figure)) if (figure := _count(event.get(name))) is not None else "")
          for name, label in _FIGURES),
        ("Confidence", f"{confidence:.2f}" if confidence is not None else ""),
        ("Reviewed", "yes" if _value(event.get("reviewed")) in ("True", "true", "1") else ""),
        ("Note", escape_text(_value(event.get("note")) or "")),
    ]


def _sources_html(event: Mapping[str, Any]) -> str:
    """Every article reporting the event (title, link, outlet), each with its sentences; the head
    counts articles and outlets (an outlet is the host of an article's URL), not sentences."""
    sources = [source for source in _list(event.get("sources")) if isinstance(source, Mapping)]
    if not sources:
        return ""
    mention = _value(event.get("place_mention"))
    disagree = any(len({figure for source in sources if (figure := _count(source.get(name))) is not None}) > 1
                   for name, _ in _FIGURES)
    articles = articles_of(sources)
    items = []
    outlets = outlets_of(articles)
    for article, reports in list(articles.items())[:MAX_SOURCES]:
        first = reports[0]
        title = _value(first.get("title")) or _value(first.get("article_id")) or "source"
        url = safe_link_url(first.get("url"))
        name = (f'<a href="{url}" target="_blank" rel="noopener noreferrer nofollow">{escape_text(title)}</a>'
                if url else f"<b>{escape_text(title)}</b>")
        outlet = outlets[article]
        where = f' <small class="cm-outlet">{escape_text(outlet)}</small>' if outlet else ""
        ident = (f' <small class="cm-article">{escape_text(article)}</small>'
                 if _value(first.get("article_id")) and article != title else "")
        quotes = "".join(f"<blockquote>{highlighted_sentence(report, mention)}"
                         f"{_toll_html(report) if disagree else ''}</blockquote>"
                         for report in reports if report.get("sentence"))
        toll = "" if any(report.get("sentence") for report in reports) or not disagree else _toll_html(first)
        items.append(f"<li>{name}{where}{ident}{toll}{quotes}</li>")
    more = len(articles) - MAX_SOURCES
    tail = f'<p class="cm-more">and {more} more article{"s" if more > 1 else ""}</p>' if more > 0 else ""
    distinct = {outlet for outlet in outlets.values() if outlet}
    count = _plural(len(articles), "article") + (f" · {_plural(len(distinct), 'outlet')}" if distinct else "")
    return f'<div class="cm-sources-head">{count}</div><ol class="cm-sources">{"".join(items)}</ol>{tail}'


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _toll_html(source: Mapping[str, Any]) -> str:
    """`` killed 12, injured 30`` as this source reports them ("" when it gives no figure)."""
    parts = [f"{label.lower()} {figure}" for name, label in _FIGURES
             if (figure := _count(source.get(name))) is not None]
    return f' <small class="cm-toll">{escape_text(", ".join(parts))}</small>' if parts else ""


def _mention_span(source: Mapping[str, Any], sentence: str, mention: str | None) -> tuple[int, int] | None:
    start, end, base = _int(source.get("start")), _int(source.get("end")), _int(source.get("sentence_start"))
    if start is not None and end is not None and base is not None:
        begin, stop = start - base, end - base
        if 0 <= begin < stop <= len(sentence):
            return begin, stop
    if mention:
        found = sentence.find(mention)
        if found >= 0:
            return found, found + len(mention)
    return None


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= _SENTENCE_CHARS else sentence[:_SENTENCE_CHARS] + "…"


@cache
def country_name(code: str) -> str:
    """The common English name of an ISO 3166-1 alpha-2 code (``Azerbaijan``); the code itself if unknown."""
    if len(code) == 2 and code.isalpha():
        import pycountry

        country = pycountry.countries.get(alpha_2=code.upper())
        if country is not None:
            return getattr(country, "common_name", None) or country.name
    return code


def _actor_label(actor: str) -> str:
    """``AZ (Azerbaijan)`` for an ISO 3166-1 code, the actor as written otherwise."""
    if len(actor) == 2 and actor.isalpha() and actor.isupper() and (name := country_name(actor)) != actor:
        return f"{actor} ({name})"
    return actor


def _same_name(mention: str, name: str) -> bool:
    """Whether the mention is the gazetteer name itself (case, accents and spacing aside)."""
    from .search import search_key

    return search_key(mention) == search_key(name)


def _value(value: Any) -> str | None:
    """A cell as text, None for null, NaN (float or pandas' NA) and empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return None
    text = str(value)
    return text or None


def _list(value: Any) -> Sequence[Any]:
    if value is None or isinstance(value, str | bytes | Mapping):
        return [value] if isinstance(value, str) and value else []
    try:
        return list(value)
    except TypeError:
        return []


def _int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) else None


def _count(value: Any) -> int | None:
    """A casualty figure: a whole number from 0, else None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) and number.is_integer() and number >= 0 else None


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
