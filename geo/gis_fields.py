"""The flat fields a GIS or a spreadsheet needs besides the contract properties.

The contract keeps lists (``actors``, ``sources``) and an ISO 8601 ``date`` of day, month
or year precision; QGIS's Temporal Controller, its attribute table and Excel need plain
values.  The GeoPackage and the CSV add, after the contract columns (:data:`FLAT_COLUMNS`):

``date_start``, ``date_end``
    The first and last day the event's ``date`` stands for: the day itself, or the whole
    month (``2020-10`` → 2020-10-01 … 2020-10-31) or year; null without a date.  A frame
    that already has its own ``date_start``/``date_end`` keeps them.
``n_articles``, ``n_sources``
    The distinct articles reporting the event and their distinct outlets (URL hosts),
    counted by :mod:`geo.outlets` as the popups count them.
``first_url``
    The first article's http(s) URL, or null.
``actors_text``
    The ``actors`` joined with ``", "`` (null when there are none).
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import TYPE_CHECKING, Any

from .outlets import articles_of, first_url, outlets_of

if TYPE_CHECKING:
    import pandas

__all__ = ["FLAT_COLUMNS", "DATE_COLUMNS", "COUNT_FIELDS", "date_range", "flat_fields"]

#: The flat columns, in the order they follow the contract columns.
FLAT_COLUMNS: tuple[str, ...] = ("date_start", "date_end", "n_articles", "n_sources", "first_url", "actors_text")
#: Columns written as real date fields (the contract's ``date`` is its first day).
DATE_COLUMNS: tuple[str, ...] = ("date", "date_start", "date_end")
#: Flat columns that are whole numbers.
COUNT_FIELDS: tuple[str, ...] = ("n_articles", "n_sources")

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_range(value: Any) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last day an ISO 8601 ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` date stands for.

    >>> date_range("2020-02")
    (datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))

    Anything else (null, a malformed or impossible date) gives ``(None, None)``.
    """
    if not isinstance(value, str):
        return None, None
    match = _ISO.fullmatch(value.strip())
    if match is None:
        return None, None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if day is None:
            return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
        single = datetime.date(year, month, day)
    except ValueError:
        return None, None
    return single, single


def flat_fields(frame: "pandas.DataFrame") -> "pandas.DataFrame":
    """:data:`FLAT_COLUMNS` for each row of an events frame (same index), dates as ``datetime.date``."""
    import pandas as pd

    ranges = [date_range(value) for value in frame["date"].tolist()]
    starts = [start for start, _ in ranges]
    ends = [end for _, end in ranges]
    for column, values in (("date_start", starts), ("date_end", ends)):
        if column in frame.columns:  # the frame's own range (several days merged) wins
            own = [date_range(value)[0 if column == "date_start" else 1] for value in frame[column].tolist()]
            values[:] = [mine if mine is not None else derived for mine, derived in zip(own, values, strict=True)]
    sources = [value if isinstance(value, list | tuple) else [] for value in frame["sources"].tolist()]
    articles = [articles_of(entries) for entries in sources]
    outlets = [{outlet for outlet in outlets_of(grouped).values() if outlet} for grouped in articles]
    actors = [", ".join(str(actor) for actor in value) if isinstance(value, list | tuple) and len(value) else None
              for value in frame["actors"].tolist()]
    return pd.DataFrame({
        "date_start": pd.Series(starts, index=frame.index, dtype=object),
        "date_end": pd.Series(ends, index=frame.index, dtype=object),
        "n_articles": pd.Series([len(grouped) for grouped in articles], index=frame.index, dtype="Int64"),
        "n_sources": pd.Series([len(found) for found in outlets], index=frame.index, dtype="Int64"),
        "first_url": pd.Series([first_url(entries) for entries in sources], index=frame.index, dtype=object),
        "actors_text": pd.Series(actors, index=frame.index, dtype=object),
    }, columns=list(FLAT_COLUMNS))
