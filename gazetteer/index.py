"""The on-disk index: one SQLite file in the user cache, built once from the sources.

The file name carries a fingerprint of every source version, so a new release of
a source makes a new index and the stale one is removed.  A file that is
truncated, overwritten or left incomplete fails validation and is rebuilt, never
trusted.  Builds write a temporary file and rename it, under a lock, so two
processes never see a half-written index.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from .atomic import atomic_path, write_atomic
from .errors import IndexBuildError
from .keys import NameKeys, write_name_keys
from .memo import Memo
from .normalize import fold
from .place import Place
from .sources import PlaceRecord, source_versions

__all__ = ["GazetteerIndex", "IndexProgress", "default_cache_dir", "SCHEMA_VERSION", "PROGRESS_STEP"]

SCHEMA_VERSION = "4"
#: How many places apart the index build reports its progress.
PROGRESS_STEP = 10_000
#: Told how many places the index build has read (0 when it starts).
IndexProgress = Callable[[int], None]
_CELL = 1.0  # degrees per grid cell of the reverse-geocoding grid
_NAMESAKE_DEGREES = 0.75  # how near a unit's label point its namesake town must lie

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    pid INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, ref TEXT NOT NULL,
    country TEXT, admin1 TEXT, admin1_code TEXT, geonameid INTEGER,
    population INTEGER NOT NULL, rank INTEGER NOT NULL, cell INTEGER NOT NULL
);
CREATE TABLE names (key TEXT NOT NULL, pid INTEGER NOT NULL, name TEXT NOT NULL, lang TEXT);
"""
_INDEXES = """
CREATE INDEX names_by_key ON names (key);
CREATE INDEX places_by_cell ON places (cell) WHERE kind = 'city';
CREATE INDEX places_by_geonameid ON places (geonameid);
CREATE INDEX units_by_code ON places (country, admin1_code) WHERE kind = 'admin1';
CREATE INDEX seats_by_code ON places (country, admin1_code) WHERE kind = 'city' AND rank >= 1;
"""
_PLACE_COLUMNS = "p.kind, p.name, p.lat, p.lon, p.ref, p.country, p.admin1, p.admin1_code, p.geonameid, p.population, p.rank"


def default_cache_dir() -> Path:
    """``$CONFLICT_MAP_CACHE_DIR`` or the user cache directory of conflict-map."""
    configured = os.environ.get("CONFLICT_MAP_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("conflict-map"))


def _manifest_path(index_path: Path) -> Path:
    return index_path.with_suffix(".json")


def _keys_path(index_path: Path) -> Path:
    return index_path.with_suffix(".keys")


def _manifest(index_path: Path, fingerprint: str) -> dict[str, object]:
    """What the manifest records of a finished index and its key trie; any later write to either changes it."""
    stat, keys = index_path.stat(), _keys_path(index_path).stat()
    return {"fingerprint": fingerprint, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "keys_bytes": keys.st_size, "keys_mtime_ns": keys.st_mtime_ns,
            "keys_sha256": _sha256(_keys_path(index_path))}  # a damaged name trie is rebuilt, whatever its times


def _seal_path(index_path: Path) -> Path:
    return index_path.with_suffix(".seal")


def _seal(index_path: Path, digest: str) -> None:
    """Record the SHA-256 of the SQLite file with its size and times now (a failed write leaves it unsealed:
    it is then checked again at the next open)."""
    try:
        stat = index_path.stat()
        write_atomic(_seal_path(index_path), json.dumps({"sha256": digest, "bytes": stat.st_size,
                                                         "mtime_ns": stat.st_mtime_ns, "ctime_ns": stat.st_ctime_ns}))
    except OSError:
        pass


def _sealed(index_path: Path) -> bool:
    """Whether the SQLite file is as built, its content included: a damaged file whose size and times were
    put back is never trusted.

    The seal records the file's SHA-256 (about 0.15 s for the 110 MB file) and its change time, which any
    write sets and no one can put back; the digest is computed only when that time differs (the file was
    written, copied or restored), and a match records the new time, so an unchanged index opens in
    milliseconds.  Where the change time is the creation time (Windows) the digest is checked every time.
    An index with no seal of its size and modification time (built before seals existed, or rebuilt by a
    version without them) passes SQLite's ``quick_check`` once and is then sealed.
    """
    stat = index_path.stat()
    try:
        seal = json.loads(_seal_path(index_path).read_text())
        recorded, digest = int(seal["ctime_ns"]), str(seal["sha256"])
        if (int(seal["bytes"]), int(seal["mtime_ns"])) != (stat.st_size, stat.st_mtime_ns):
            digest = None
    except FileNotFoundError:
        recorded, digest = None, None
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if digest is None:
        with closing(sqlite3.connect(f"file:{index_path}?mode=ro&immutable=1", uri=True)) as db:
            if db.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                return False
        _seal(index_path, _sha256(index_path))
        return True
    if os.name != "nt" and stat.st_ctime_ns == recorded:
        return True
    if _sha256(index_path) != digest:
        return False
    if os.name != "nt":
        _seal(index_path, digest)
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _cell(lat: float, lon: float) -> int:
    return int((lat + 90) // _CELL) * 1000 + int((lon + 180) // _CELL)


class GazetteerIndex:
    """Read access to a built index.  Use :meth:`open` to get one."""

    def __init__(self, path: Path, fingerprint: str, versions: dict[str, str]) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.versions = versions
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._places: dict[int, Place] = Memo()
        self._name_keys: NameKeys | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, cache_dir: Path | None = None, *, area_files: Iterable[Path] = (),
             progress: "IndexProgress | None" = None) -> "GazetteerIndex":
        """Open the index for the current sources, building it first if needed (``progress``: see :func:`build_index`)."""
        cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        area_files = tuple(Path(p) for p in area_files)
        versions = source_versions(area_files)
        versions["schema"] = SCHEMA_VERSION
        fingerprint = hashlib.sha256(json.dumps(versions, sort_keys=True).encode()).hexdigest()[:16]
        path = cache_dir / f"index-{fingerprint}.sqlite"
        index = cls._try_open(path, fingerprint, versions)
        if index is not None:
            return index
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise IndexBuildError(f"{cache_dir}: cannot create the cache directory: {error.strerror}") from None
        try:
            with _lock(cache_dir / "index.lock"):
                index = cls._try_open(path, fingerprint, versions)  # another process may have built it
                if index is None:
                    build_index(path, fingerprint, versions, area_files, progress=progress)
                    index = cls._try_open(path, fingerprint, versions)
                if index is None:
                    raise IndexBuildError(f"{path}: the index just built does not validate")
                for stale in cache_dir.glob("index-*"):
                    if stale.stem != path.stem:
                        stale.unlink(missing_ok=True)
        except OSError as error:  # an unwritable cache folder, an index.lock that is a folder, a full disk
            where = error.filename or cache_dir
            raise IndexBuildError(f"{where}: cannot build the gazetteer index: {error.strerror or error}; "
                                  "set CONFLICT_MAP_CACHE_DIR to a writable folder") from None
        return index

    @classmethod
    def _try_open(cls, path: Path, fingerprint: str, versions: dict[str, str]) -> "GazetteerIndex | None":
        """The index at ``path`` if it exists and validates, else None (and it is removed)."""
        if not path.exists():
            return None
        index = None
        try:
            index = cls(path, fingerprint, versions)
            meta = dict(index._db.execute("SELECT key, value FROM meta"))
            manifest = json.loads(_manifest_path(path).read_text())
            valid = (
                meta.get("fingerprint") == fingerprint
                and meta.get("complete") == "1"
                and manifest == _manifest(path, fingerprint)
                and index._db.execute("SELECT count(*) FROM places").fetchone()[0] == int(meta["places"])
                and _sealed(path)
            )
        except (sqlite3.DatabaseError, ValueError, KeyError, OSError):
            valid = False
        if valid:
            return index
        if index is not None:
            index.close()
        for stale in (path, _manifest_path(path), _keys_path(path), _seal_path(path)):
            stale.unlink(missing_ok=True)
        return None

    # ------------------------------------------------------------------ queries

    def _place(self, pid: int, row: tuple[Any, ...]) -> Place:
        place = self._places.get(pid)
        if place is None:
            kind, name, lat, lon, ref, country, admin1, admin1_code, geonameid, population, rank = row
            place = Place(name=name, lat=lat, lon=lon, kind=kind, country_iso2=country, admin1=admin1,
                          admin1_code=admin1_code, geonameid=geonameid, population=population, ref=ref, rank=rank)
            self._places.keep(pid, place)
        return place

    def lookup(self, key: str) -> list[tuple[Place, str, str | None]]:
        """Places with a name whose key is ``key``: (place, name as written, its language)."""
        rows = self._db.execute(
            f"SELECT p.pid, {_PLACE_COLUMNS}, n.name, n.lang FROM names n JOIN places p USING (pid) WHERE n.key = ?",
            (key,),
        ).fetchall()
        return [(self._place(row[0], row[1:12]), row[12], row[13]) for row in rows]

    def places_of_kind(self, kind: str, *, countries: Iterable[str] | None = None,
                       capitals: bool = False) -> list[Place]:
        """Every place of ``kind`` (of ``countries`` when given; national capitals only with ``capitals``), by pid."""
        query = f"SELECT p.pid, {_PLACE_COLUMNS} FROM places p WHERE p.kind = ?"
        arguments: list[Any] = [kind]
        if countries is not None:
            codes = sorted(set(countries))
            query += f" AND p.country IN ({','.join('?' * len(codes))})"
            arguments += codes
        if capitals:
            query += " AND p.rank = 2"
        rows = self._db.execute(query + " ORDER BY p.pid", arguments).fetchall()
        return [self._place(row[0], row[1:]) for row in rows]

    def names_by_geonameid(self, geonameids: Iterable[int]) -> dict[int, list[str]]:
        """Every name (as written, in every language) of the places with these GeoNames ids.

        One pass over the names (they are indexed by key, not by place): fast for thousands of ids.
        """
        wanted = json.dumps(sorted({int(g) for g in geonameids}))
        places = dict(self._db.execute("SELECT pid, geonameid FROM places WHERE geonameid IN "
                                       "(SELECT value FROM json_each(?))", (wanted,)))
        found: dict[int, list[str]] = {}
        rows = self._db.execute("SELECT pid, name FROM names WHERE pid IN (SELECT value FROM json_each(?)) "
                                "ORDER BY pid, rowid", (json.dumps(sorted(places)),))
        for pid, name in rows:
            found.setdefault(places[pid], []).append(name)
        return found

    def name_keys(self) -> NameKeys:
        """Every name key, as a memory-mapped trie (see :mod:`gazetteer.keys`)."""
        if self._name_keys is None:
            self._name_keys = NameKeys(_keys_path(self.path))
        return self._name_keys

    def has_key(self, key: str) -> bool:
        """Whether any place has a name with this key."""
        return self._db.execute("SELECT 1 FROM names WHERE key = ? LIMIT 1", (key,)).fetchone() is not None

    def cities_near(self, lat: float, lon: float, radius_cells: int = 1) -> list[Place]:
        """Populated places in the grid cells around (lat, lon)."""
        row, col = divmod(_cell(lat, lon), 1000)
        cells = [(row + dr) * 1000 + (col + dc) % 360
                 for dr in range(-radius_cells, radius_cells + 1)
                 for dc in range(-radius_cells, radius_cells + 1)]
        marks = ",".join("?" * len(cells))
        rows = self._db.execute(
            f"SELECT p.pid, {_PLACE_COLUMNS} FROM places p WHERE p.kind = 'city' AND p.cell IN ({marks})", cells
        ).fetchall()
        return [self._place(row[0], row[1:]) for row in rows]

    def admin1_unit(self, country: str, admin1_code: str | None) -> Place | None:
        """The admin-1 unit of ``country`` with ``admin1_code`` (the first by pid where two share them), or None."""
        row = self._db.execute(f"SELECT p.pid, {_PLACE_COLUMNS} FROM places p WHERE p.kind = 'admin1' AND p.country = ? "
                               "AND p.admin1_code IS ? ORDER BY p.pid LIMIT 1", (country, admin1_code)).fetchone()
        return self._place(row[0], row[1:]) if row else None

    def seats(self, country: str, admin1_code: str | None) -> list[Place]:
        """The namesake towns and the national capital in ``country``'s admin-1 unit ``admin1_code`` (rank 1, then 2)."""
        rows = self._db.execute(f"SELECT p.pid, {_PLACE_COLUMNS} FROM places p WHERE p.kind = 'city' AND p.rank >= 1 "
                                "AND p.country = ? AND p.admin1_code IS ? ORDER BY p.rank, p.pid",
                                (country, admin1_code)).fetchall()
        return [self._place(row[0], row[1:]) for row in rows]

    def by_ref(self, kind: str, ref: str) -> Place | None:
        """The place of ``kind`` with source identifier ``ref`` (ISO2 for a country, ...)."""
        row = self._db.execute(f"SELECT p.pid, {_PLACE_COLUMNS} FROM places p WHERE p.kind = ? AND p.ref = ?",
                               (kind, ref)).fetchone()
        return self._place(row[0], row[1:]) if row else None

    def counts(self) -> dict[str, int]:
        """Number of places per kind, and of names."""
        counts = dict(self._db.execute("SELECT kind, count(*) FROM places GROUP BY kind ORDER BY kind"))
        counts["names"] = self._db.execute("SELECT count(*) FROM names").fetchone()[0]
        return counts

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta"))

    def close(self) -> None:
        self._db.close()


# ---------------------------------------------------------------------- building


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def iter_records(area_files: Iterable[Path] = ()) -> Iterator[PlaceRecord]:
    """Every place of every source, admin-1 units first (cities need their names)."""
    from .areas import iter_areas, load_areas
    from .boundaries import admin1_units, country_labels
    from .sources import (country_points, iter_admin1, iter_cities, iter_continents, iter_countries, iter_us_counties,
                          iter_water_bodies)

    units = admin1_units()
    unit_labels: _UnitLabels = {}
    unit_names: dict[str, set[str]] = {}  # country -> the English names of its units
    waters = list(iter_water_bodies())
    water_keys = {fold(name) for record in waters for name, _ in record.names}
    for record in iter_admin1(units):
        # A unit named after its sea (Egypt's and Sudan's Red Sea provinces) leaves the bare name to the sea,
        # which the news means by it far more often; it keeps its other names ("Red Sea State").
        record.names = [(name, lang) for name, lang in record.names if fold(name) not in water_keys] or record.names
        for name, lang in record.names:
            unit_labels.setdefault((record.country_iso2, fold(name)), []).append(
                (record.lat, record.lon, record.admin1_code))
            if lang == "en" and record.country_iso2:
                unit_names.setdefault(record.country_iso2, set()).add(fold(name))
        yield record
    yield from iter_us_counties(units)
    capitals: dict[str, tuple[float, float]] = {}
    for record in iter_cities(units):
        # A town's other name that names a water body (Çanakkale's "Dardanelles") is left to the water body;
        # a town keeps its own name ("Mer Rouge", Louisiana).
        record.names = [(name, lang) for name, lang in record.names
                        if fold(name) not in water_keys or fold(name) == fold(record.name)]
        if record.rank == 2 and record.country_iso2:
            capitals.setdefault(record.country_iso2, (record.lat, record.lon))
        elif _is_namesake(record, unit_labels):
            record.rank = 1  # the namesake town of an admin-1 unit: Jabrayil of Jabrayil district
        yield record
    # A country sits at its conventional centre, else its polygon's label point, else its capital.
    yield from iter_countries({**capitals, **country_labels(), **country_points()}, unit_names)
    yield from iter_continents()
    yield from iter_areas(load_areas(area_files))
    yield from waters


_UnitLabels = dict[tuple[str | None, str], list[tuple[float, float, str | None]]]


def _is_namesake(city: PlaceRecord, unit_labels: _UnitLabels) -> bool:
    """Whether a town shares a name with an admin-1 unit of its country that holds it (by the town's own
    name) or whose label point lies near it (by any of its names: Khankendi is Stepanakert; a far unit
    only by an alternate name is a misspelling: Minneota is also "Minnesota")."""
    for name, _ in city.names:
        for lat, lon, code in unit_labels.get((city.country_iso2, fold(name)), ()):
            near = abs(lat - city.lat) < _NAMESAKE_DEGREES and abs(lon - city.lon) < _NAMESAKE_DEGREES
            if near or (code == city.admin1_code and name == city.name):
                return True
    return False


def build_index(path: Path, fingerprint: str, versions: dict[str, str], area_files: Iterable[Path] = (),
                *, progress: "IndexProgress | None" = None) -> dict[str, int]:
    """Build the index at ``path`` (atomically) and return its counts.

    ``progress(places)`` hears 0 at the start, then every :data:`PROGRESS_STEP` places read, and
    the number of places when all are read.
    """
    started = time.perf_counter()
    with atomic_path(path, suffix=".sqlite") as temp:
        db = sqlite3.connect(temp)
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        places = names = 0
        batch: list[tuple[str, int, str, str | None]] = []
        if progress:
            progress(0)
        for pid, record in enumerate(iter_records(area_files), start=1):
            db.execute(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (pid, record.kind, record.name, record.lat, record.lon, record.ref, record.country_iso2,
                 record.admin1, record.admin1_code, record.geonameid, record.population, record.rank,
                 _cell(record.lat, record.lon)),
            )
            seen: set[tuple[str, str]] = set()
            for name, lang in record.names:
                key = fold(name)
                if key and (key, name) not in seen:
                    seen.add((key, name))
                    batch.append((key, pid, name, lang))
            if len(batch) > 50_000:
                db.executemany("INSERT INTO names VALUES (?,?,?,?)", batch)
                names += len(batch)
                batch.clear()
            places = pid
            if progress and pid % PROGRESS_STEP == 0:
                progress(pid)
        if progress:
            progress(places)  # all read; the name index, VACUUM and the keys follow
        db.executemany("INSERT INTO names VALUES (?,?,?,?)", batch)
        names += len(batch)
        db.executescript(_INDEXES)
        meta = {**{f"version:{k}": v for k, v in versions.items()}, "fingerprint": fingerprint,
                "places": str(places), "names": str(names), "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "build_seconds": f"{time.perf_counter() - started:.1f}"}
        db.executemany("INSERT INTO meta VALUES (?, ?)", [*meta.items(), ("complete", "1")])
        db.commit()
        db.execute("VACUUM")
        write_name_keys((key for (key,) in db.execute("SELECT DISTINCT key FROM names")), _keys_path(path))
        db.close()
    # The manifest is written last: an index without one, or written to since, never validates.
    _seal(path, _sha256(path))
    write_atomic(_manifest_path(path), json.dumps(_manifest(path, fingerprint)))
    return {"places": places, "names": names}
