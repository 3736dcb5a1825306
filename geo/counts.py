"""The one region counter: events per region key and event type (the GeoPackage's count layers and
the map's choropleths both count with it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import EVENT_TYPES

if TYPE_CHECKING:
    import pandas

__all__ = ["COUNT_COLUMNS", "region_counts"]

#: One column per event type (``n_shelling`` ...) and the total ``n_events``.
COUNT_COLUMNS: tuple[str, ...] = (*(f"n_{event_type}" for event_type in EVENT_TYPES), "n_events")


def region_counts(keys: "pandas.Series", event_types: "pandas.Series") -> "pandas.DataFrame":
    """Per region key (null and empty keys left out): :data:`COUNT_COLUMNS` as int64, indexed and sorted by key."""
    import pandas as pd

    pairs = pd.DataFrame({"key": keys.astype(object).to_numpy(), "type": event_types.astype(object).to_numpy()})
    pairs = pairs.dropna()
    pairs = pairs[pairs["key"].map(lambda key: isinstance(key, str) and key != "")]
    if pairs.empty:
        return pd.DataFrame({column: pd.Series(dtype="int64") for column in COUNT_COLUMNS},
                            index=pd.Index([], dtype=object, name="key"))
    table = pd.crosstab(pairs["key"], pairs["type"]).reindex(columns=list(EVENT_TYPES), fill_value=0)
    table.columns = list(COUNT_COLUMNS[:-1])
    table["n_events"] = table.sum(axis=1)
    return table.astype("int64").sort_index().rename_axis("key")
