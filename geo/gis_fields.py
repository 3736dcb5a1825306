"""The flat fields a GIS or a spreadsheet needs besides the contract properties.

The contract keeps lists (``actors``, ``sources``); QGIS's attribute table and Excel need
plain values.  The GeoPackage and the CSV add, after the event's properties
(:data:`FLAT_COLUMNS`):

``n_articles``, ``n_sources``
    The distinct articles reporting the event and their distinct outlets (URL hosts),
    counted by :mod:`geo.outlets` as the popups count them.
``first_url``
    The first article's http(s) URL, or null.
``actors_text``
    The ``actors`` joined with ``", "`` (null when there are none).

The GeoPackage writes ``date`` (its first day), ``date_start`` and ``date_end`` (the event's
first and last day, :meth:`geo.model.Event.properties`) as Date fields, read by :func:`date_range`.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from .model import day_span
from .outlets import articles_of, first_url, outlets_of

if TYPE_CHECKING:
    import pandas

__all__ = ["FLAT_COLUMNS", "DATE_COLUMNS", "COUNT_FIELDS", "date_range", "flat_fields"]

#: The flat columns, in the order they follow the contract columns.
FLAT_COLUMNS: tuple[str, ...] = ("n_articles", "n_sources", "first_url", "actors_text")
#: Columns written as real date fields (the contract's ``date`` is its first day).
DATE_COLUMNS: tuple[str, ...] = ("date", "date_start", "date_end")
#: Flat columns that are whole numbers.
COUNT_FIELDS: tuple[str, ...] = ("n_articles", "n_sources")

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_range(value: Any) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last day an ISO 8601 ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` date stands for
    (:func:`geo.model.day_span`), as dates.

    >>> date_range("2020-02")
    (datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))

    Anything else (null, a malformed or impossible date) gives ``(None, None)``.
    """
    if not isinstance(value, str) or _ISO.fullmatch(value.strip()) is None:
        return None, None
    try:
        first, last = day_span(value.strip())
        return datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    except ValueError:
        return None, None


def flat_fields(frame: "pandas.DataFrame") -> "pandas.DataFrame":
    """:data:`FLAT_COLUMNS` for each row of an events frame (same index)."""
    import pandas as pd

    sources = [value if isinstance(value, list | tuple) else [] for value in frame["sources"].tolist()]
    articles = [articles_of(entries) for entries in sources]
    outlets = [{outlet for outlet in outlets_of(grouped).values() if outlet} for grouped in articles]
    actors = [", ".join(str(actor) for actor in value) if isinstance(value, list | tuple) and len(value) else None
              for value in frame["actors"].tolist()]
    return pd.DataFrame({
        "n_articles": pd.Series([len(grouped) for grouped in articles], index=frame.index, dtype="Int64"),
        "n_sources": pd.Series([len(found) for found in outlets], index=frame.index, dtype="Int64"),
        "first_url": pd.Series([first_url(entries) for entries in sources], index=frame.index, dtype=object),
        "actors_text": pd.Series(actors, index=frame.index, dtype=object),
    }, columns=list(FLAT_COLUMNS))
