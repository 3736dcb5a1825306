"""Writing the events frame: ``events.geojson``, ``events.gpkg`` and ``events.csv`` (output contract).

Every file is first written into a private staging directory inside the output
directory and moved into place with :func:`os.replace` only once *all* requested files
are written, so a failure leaves no partial file and every earlier output untouched.

GeoJSON is written with the :mod:`json` module, not pyogrio.  pyogrio (0.13, without
pyarrow) turns every object cell into ``str(value)``, the Python repr; GDAL's lenient
JSON parser then happens to accept some of those reprs as arrays (``['a', 'b']``) but not
others (a source with ``'title': None`` stays a string), so ``actors``/``sources``/``areas``
would come out as arrays in some features and strings in others.  GDAL also adds a
foreign ``xy_coordinate_resolution`` member and formats numbers its own way.  Written
here, the properties are real JSON arrays and objects, keys keep the contract order,
features keep the frame order, coordinates are rounded to 6 decimals, text is UTF-8 (not
``\\u``-escaped), one feature a line, and the bytes are the same on every run.
The GeoPackage, with its binary format and spatial index, is left to pyogrio.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .counts import COUNT_COLUMNS, region_counts
from .staging import commit, staging
from .errors import InputError, OutputError
from .frame import PROPERTY_COLUMNS, frame_from_records, sort_events
from .gis_fields import DATE_COLUMNS, FLAT_COLUMNS, date_range, flat_fields
from .layer_styles import counts_style, events_style, write_layer_styles

if TYPE_CHECKING:
    import geopandas
    import pandas

__all__ = ["FORMATS", "FILE_NAMES", "COUNT_COLUMNS", "write_outputs", "write_frames", "read_events_geojson"]

#: The output formats, in the order they are written.
FORMATS: tuple[str, ...] = ("geojson", "gpkg", "csv")

#: format -> file name in the output directory (contract).
FILE_NAMES: dict[str, str] = {"geojson": "events.geojson", "gpkg": "events.gpkg", "csv": "events.csv"}

_DECIMALS = 6


def write_outputs(frame: "geopandas.GeoDataFrame", out_dir: str | PathLike[str], *,
                  layers: Sequence[str] = FORMATS,
                  area_files: Iterable[str | PathLike[str]] = ()) -> dict[str, Path]:
    """Write the events in the requested formats into ``out_dir``, each file atomically.

    Parameters
    ----------
    frame
        The events frame (:func:`geo.frame.events_frame`, usually after
        :func:`geo.join.join_regions`); rows are written sorted by
        :data:`geo.frame.SORT_COLUMNS` whatever their order in ``frame``.
    out_dir
        The output directory; created with its parents if missing.
    layers
        Which of :data:`FORMATS` to write.
    area_files
        The extra areas files given to :func:`geo.join.join_regions`, for the polygons of
        the GeoPackage's ``areas`` layer.

    Returns
    -------
    dict
        format -> path of the file written.

    Raises
    ------
    OutputError
        ``out_dir`` cannot be created or written, or a file cannot be written or moved
        into place; the message names the path.  No partial file is left behind and the
        outputs already there are untouched.
    """
    _check_layers(layers)
    _check_frame(frame)
    return write_frames([sort_events(frame)], out_dir, layers=layers, area_files=area_files)


def write_frames(frames: Iterable["geopandas.GeoDataFrame"], out_dir: str | PathLike[str], *,
                 layers: Sequence[str] = FORMATS,
                 area_files: Iterable[str | PathLike[str]] = ()) -> dict[str, Path]:
    """As :func:`write_outputs`, the events given as consecutive frames already in output order (at least
    one, with the same columns; :func:`geo.join.joined_frames`): each frame is written to every file before
    the next is asked for, so a corpus's events are written holding one frame at a time."""
    _check_layers(layers)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out}: cannot create or write the output directory: {_reason(error)}") from None

    writers: dict[str, Callable[[Path], _Writer]] = {
        "geojson": _GeoJSONWriter, "gpkg": lambda path: _GpkgWriter(path, area_files), "csv": _CSVWriter}
    with staging(out, "export") as folder:
        opened: dict[str, _Writer] = {}
        try:
            for layer in dict.fromkeys(layers):
                opened[layer] = _written(layer, out, lambda: writers[layer](folder / FILE_NAMES[layer]))
            for frame in frames:
                _check_frame(frame)
                for layer, writer in opened.items():
                    _written(layer, out, lambda: writer.add(frame))
            for layer, writer in opened.items():
                _written(layer, out, writer.close)
        finally:
            for writer in opened.values():
                writer.release()
        return commit({layer: folder / FILE_NAMES[layer] for layer in opened}, out, folder)


def _check_layers(layers: Sequence[str]) -> None:
    unknown = [layer for layer in layers if layer not in FILE_NAMES]
    if unknown:
        raise ValueError(f"unknown output format(s) {', '.join(map(repr, unknown))}: choose from {', '.join(FORMATS)}")


def _check_frame(frame: "geopandas.GeoDataFrame") -> None:
    import geopandas

    if not isinstance(frame, geopandas.GeoDataFrame):
        raise TypeError(f"write_outputs needs a GeoDataFrame (geo.frame.events_frame), not {type(frame).__name__}")
    missing = [column for column in PROPERTY_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"events frame lacks column(s) {', '.join(missing)}: build it with geo.frame.events_frame")


_T = TypeVar("_T")


def _written(layer: str, out: Path, step: Callable[[], _T]) -> _T:
    """``step()`` of the ``layer`` file's writer; its failure an :class:`OutputError` naming the file."""
    try:
        return step()
    except OSError as error:
        raise OutputError(f"{out / FILE_NAMES[layer]}: cannot write: {_reason(error)}") from error
    except RuntimeError as error:  # pyogrio's DataSourceError / DataLayerError
        raise OutputError(f"{out / FILE_NAMES[layer]}: cannot write: {error}") from error


class _Writer:
    """One output file written a frame at a time: opened, each frame added, closed (``release`` frees what
    is open, also after a failure)."""

    def add(self, frame: "geopandas.GeoDataFrame") -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.release()

    def release(self) -> None:
        pass


def read_events_geojson(path: str | PathLike[str]) -> "geopandas.GeoDataFrame":
    """Read an ``events.geojson`` back into an events frame (columns, dtypes and row order kept).

    ``actors``, ``sources`` and ``areas`` come back as lists, not JSON text.
    Raises :class:`geo.errors.InputError` naming the file when it cannot be read.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {_reason(error)}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}:{error.lineno}: invalid JSON: {error.msg}") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InputError(f"{path}:1: not a GeoJSON FeatureCollection")
    features = document.get("features") or []
    records = [feature.get("properties") or {} for feature in features]
    coordinates = [(feature.get("geometry") or {}).get("coordinates") or (math.nan, math.nan)
                   for feature in features]
    return frame_from_records(records, [xy[0] for xy in coordinates], [xy[1] for xy in coordinates])


# --------------------------------------------------------------------------- GeoJSON


class _GeoJSONWriter(_Writer):
    """One feature a line, written as it is made (the file is never held whole)."""

    def __init__(self, path: Path) -> None:
        self.handle = path.open("w", encoding="utf-8", newline="\n")
        self.handle.write('{"type": "FeatureCollection", "features": [')
        self.separator = "\n"

    def add(self, frame: "geopandas.GeoDataFrame") -> None:
        lons, lats = _coordinates(frame)
        for properties, lon, lat in zip(_records(frame), lons, lats, strict=True):
            geometry = None if lon is None else {"type": "Point", "coordinates": [lon, lat]}
            feature = {"type": "Feature", "geometry": geometry, "properties": properties}
            self.handle.write(self.separator + json.dumps(feature, ensure_ascii=False, allow_nan=False))
            self.separator = ",\n"

    def close(self) -> None:
        self.handle.write("]}\n" if self.separator == "\n" else "\n]}\n")
        self.handle.close()

    def release(self) -> None:
        self.handle.close()


# --------------------------------------------------------------------------- CSV


class _CSVWriter(_Writer):
    """UTF-8 with a byte order mark (so Excel reads Arabic and Cyrillic right); the contract columns,
    the frame's others, the flat fields (:mod:`geo.gis_fields`), then ``lon``, ``lat``."""

    def __init__(self, path: Path) -> None:
        self.handle = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.columns: list[str] | None = None  # the header, from the first frame

    def add(self, frame: "geopandas.GeoDataFrame") -> None:
        if self.columns is None:
            self.columns = _table_columns(frame)
            self.writer.writerow([*self.columns, *FLAT_COLUMNS, "lon", "lat"])
        flat = flat_fields(frame)
        flat_rows = [[_csv_cell(_plain(value)) for value in row] for row in flat.astype(object).itertuples(index=False)]
        lons, lats = _coordinates(frame)
        for record, extra, lon, lat in zip(_records(frame), flat_rows, lons, lats, strict=True):
            self.writer.writerow([*(_csv_cell(record[column]) for column in self.columns), *extra,
                                  "" if lon is None else f"{lon:.{_DECIMALS}f}",
                                  "" if lat is None else f"{lat:.{_DECIMALS}f}"])

    def release(self) -> None:
        self.handle.close()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------- GeoPackage


class _GpkgWriter(_Writer):
    """Layers ``events`` and ``countries``, ``admin1``, ``areas`` (the polygons holding at least
    one event, with counts per event type), each with its default QGIS style (``layer_styles``).

    ``events`` holds the contract columns, the frame's others and the flat fields: ``date``,
    ``date_start`` and ``date_end`` as Date fields, the integer columns of the frame
    (``Int64``: ``fatalities``, ``injured``, ...) and the counts as integer fields (nulls
    kept), lists as JSON text.  Each frame's rows are appended to ``events``; the counts are
    summed over the frames and the count layers written at the end.
    """

    def __init__(self, path: Path, area_files: Iterable[str | PathLike[str]]) -> None:
        self.path, self.area_files = path, tuple(area_files)
        self.started = False  # the events layer is made by the first frame, the others are appended
        self.counts: dict[str, "pandas.DataFrame"] = {}

    def add(self, frame: "geopandas.GeoDataFrame") -> None:
        import pyogrio

        pyogrio.write_dataframe(_gpkg_events(frame), self.path, layer="events", driver="GPKG",
                                geometry_type="Point", use_arrow=True, append=self.started)
        self.started = True
        for name, keys, event_types in _counted(frame):
            part = region_counts(keys, event_types)
            self.counts[name] = part if name not in self.counts else _summed(self.counts[name], part)

    def close(self) -> None:
        import pyogrio

        styles = {"events": (events_style(), "Events, one colour per event family (map layer)")}
        layers = {"countries": _country_counts, "admin1": _admin1_counts,
                  "areas": lambda counts: _area_counts(counts, self.area_files)}
        for name, make in layers.items():
            layer = make(self.counts[name].rename_axis("key").reset_index())
            pyogrio.write_dataframe(layer, self.path, layer=name, driver="GPKG", geometry_type="MultiPolygon",
                                    promote_to_multi=True)
            styles[name] = (counts_style(layer["n_events"].tolist()), f"Events per {name} unit, graduated")
        write_layer_styles(self.path, styles)


def _counted(frame: "geopandas.GeoDataFrame") -> Iterator[tuple[str, "pandas.Series", "pandas.Series"]]:
    """For each count layer, the region key of each event and its type: an event counts in every area holding
    it (``areas``), not only the smallest (``area``)."""
    yield "countries", frame["country_iso2"], frame["event_type"]
    yield "admin1", frame["admin1_code"], frame["event_type"]
    if "areas" in frame.columns:
        names = frame[["areas", "event_type"]].explode("areas")
        yield "areas", names["areas"], names["event_type"]
    else:
        yield "areas", frame["area"], frame["event_type"]


def _summed(total: "pandas.DataFrame", part: "pandas.DataFrame") -> "pandas.DataFrame":
    """Two :func:`geo.counts.region_counts` tables as one (keys of either, counts added, sorted by key)."""
    return total.add(part, fill_value=0).astype("int64").sort_index().rename_axis("key")


def _gpkg_events(frame: "geopandas.GeoDataFrame") -> "geopandas.GeoDataFrame":
    """The events layer's table: dates as Arrow ``date32``, lists as JSON text, integers as ``Int64``."""
    import geopandas
    import pandas as pd
    import pyarrow as pa

    columns = _table_columns(frame)
    events = pd.concat([frame[columns].reset_index(drop=True), flat_fields(frame).reset_index(drop=True)], axis=1)
    for column in _json_columns(events):
        events[column] = pd.Series([None if value is None else json.dumps(value, ensure_ascii=False)
                                    for value in map(_plain, events[column].tolist())], dtype=object)
    for column in DATE_COLUMNS:  # "date": a month's or a year's first day
        side = 1 if column == "date_end" else 0
        events[column] = pd.Series([date_range(value)[side] for value in events[column].tolist()],
                                   dtype=pd.ArrowDtype(pa.date32()))
    for column in events.columns:
        values = events[column].tolist()
        if column in DATE_COLUMNS or str(events[column].dtype) in ("Int64", "float64"):
            continue
        if values and all(value is None or isinstance(value, bool) for value in values):
            events[column] = pd.Series(values, dtype="boolean")  # "reviewed": a Boolean field
        else:
            events[column] = pd.Series([_text_cell(value) for value in values], dtype=object)
    return geopandas.GeoDataFrame(events, geometry=frame.geometry.reset_index(drop=True), crs=frame.crs)


def _text_cell(value: Any) -> str | None:
    value = _plain(value)
    return None if value is None else str(value)


def _country_counts(counts: "pandas.DataFrame") -> "geopandas.GeoDataFrame":
    """``counts``: ``key`` and :data:`COUNT_COLUMNS` per country code."""
    from .join import country_polygons

    return _with_polygons(country_polygons(), _keyed(counts, "country_iso2"), "country_iso2")


def _admin1_counts(counts: "pandas.DataFrame") -> "geopandas.GeoDataFrame":
    """Units sharing an ISO 3166-2 code (Natural Earth has a few) are dissolved into one row."""
    from .join import admin1_polygons

    counts = _keyed(counts, "admin1_code")
    units = admin1_polygons()
    units = units[units["iso_3166_2"].isin(counts["admin1_code"])]
    units = units.dissolve("iso_3166_2", aggfunc="first", sort=True).reset_index()
    units = units.rename(columns={"iso_3166_2": "admin1_code", "name": "admin1"})
    units = units[["admin1_code", "admin1", "country_iso2", "adm1_code", "geometry"]]
    return _with_polygons(units, counts, "admin1_code")


def _area_counts(counts: "pandas.DataFrame", area_files: Iterable[str | PathLike[str]]) -> "geopandas.GeoDataFrame":
    from .join import named_area_polygons

    areas = named_area_polygons(area_files).drop(columns="size").drop_duplicates("area")
    layer = _with_polygons(areas, _keyed(counts, "area"), "area")
    return layer.sort_values("area_id", kind="stable").reset_index(drop=True) if len(layer) else layer


def _keyed(counts: "pandas.DataFrame", key: str) -> "pandas.DataFrame":
    """``counts`` (``key`` and :data:`COUNT_COLUMNS`) with its key column named ``key``."""
    return counts.rename(columns={"key": key})[[key, *COUNT_COLUMNS]]


def _with_polygons(polygons: "geopandas.GeoDataFrame", counts: "pandas.DataFrame", key: str) -> "geopandas.GeoDataFrame":
    """The polygons that have counts (inner join on ``key``), counts as int columns, by ``key``."""
    import geopandas

    attributes = [column for column in polygons.columns if column != "geometry"]
    merged = polygons.merge(counts, on=key, how="inner").sort_values(key, kind="stable")
    merged = merged[[*attributes, *COUNT_COLUMNS, "geometry"]].reset_index(drop=True)
    return geopandas.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")


# --------------------------------------------------------------------------- values


def _property_columns(frame: "geopandas.GeoDataFrame") -> list[str]:
    """The contract columns in contract order, then the frame's other columns in its order."""
    extra = [column for column in frame.columns if column not in PROPERTY_COLUMNS and column != frame.geometry.name]
    return [*PROPERTY_COLUMNS, *extra]


def _table_columns(frame: "geopandas.GeoDataFrame") -> list[str]:
    """The property columns of the GeoPackage and the CSV, before their flat fields (which replace
    any column of the same name)."""
    return [column for column in _property_columns(frame) if column not in FLAT_COLUMNS]


def _json_columns(frame: "pandas.DataFrame") -> list[str]:
    """The columns holding lists or dicts (``actors``, ``sources``, ``areas``, ...)."""
    import geopandas

    geometry = frame.geometry.name if isinstance(frame, geopandas.GeoDataFrame) else None
    return [column for column in frame.columns
            if column != geometry and frame[column].dtype == object
            and any(isinstance(value, list | tuple | dict) for value in frame[column].tolist())]


def _records(frame: "geopandas.GeoDataFrame") -> Iterator[dict[str, Any]]:
    """Each row's properties as plain JSON values (None for nulls, Python ints and floats), one row at a time."""
    columns = _property_columns(frame)
    if not columns or not len(frame):
        return
    values = [[_plain(value) for value in frame[column].tolist()] for column in columns]
    for row in zip(*values, strict=True):
        yield dict(zip(columns, row, strict=True))


_PLAIN_TYPES = (str, int, bool, type(None))


def _plain(value: Any) -> Any:
    """A cell as a plain JSON value: lists and dicts recursively, numpy scalars unwrapped, nulls None."""
    if type(value) in _PLAIN_TYPES:
        return value
    import numpy as np
    import pandas as pd

    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _coordinates(frame: "geopandas.GeoDataFrame") -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes rounded to 6 decimals (None where a point is missing or empty)."""
    import shapely

    geometry = frame.geometry.to_crs("EPSG:4326") if frame.crs is not None else frame.geometry
    xs = shapely.get_x(geometry.to_numpy()).tolist()
    ys = shapely.get_y(geometry.to_numpy()).tolist()

    def rounded(values: list[float]) -> list[float | None]:
        return [None if math.isnan(v) else round(v, _DECIMALS) + 0.0 for v in values]

    return rounded(xs), rounded(ys)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
