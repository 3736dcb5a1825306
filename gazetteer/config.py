"""User configuration: where overrides and extra areas live, and the optional online fallback.

Read from ``$CONFLICT_MAP_CONFIG`` or ``config.toml`` in the user config directory::

    [gazetteer]
    overrides = "~/places.csv"           # or $CONFLICT_MAP_OVERRIDES; default: overrides.csv/.toml beside this file
    areas = ["~/my-areas.toml"]          # extra named areas, same format as gazetteer/data/areas.toml

    [fallback]                           # off unless this table names a geocoder
    geocoder = "nominatim"               # any name geopy.geocoders.get_geocoder_for_service knows
    min_score = 0.5                      # ask online only when the offline best scores below this
    min_delay_seconds = 1.0              # geopy RateLimiter
    options = { user_agent = "my-newsroom-map (me@example.org)" }
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataFileError

__all__ = ["Settings", "FallbackSettings", "load_settings", "config_dir"]


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("conflict-map"))


@dataclass(frozen=True)
class FallbackSettings:
    """An online geopy geocoder consulted only when the offline answer is missing or weak."""

    geocoder: str
    min_score: float = 0.5
    min_delay_seconds: float = 1.0
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    overrides: Path | None = None
    area_files: tuple[Path, ...] = ()
    cache_dir: Path | None = None
    fallback: FallbackSettings | None = None
    source: Path | None = None


def load_settings(path: Path | None = None) -> Settings:
    """Settings from ``path``, ``$CONFLICT_MAP_CONFIG`` or the user config file (all optional).

    Raises :class:`DataFileError` with one line, ``file: problem``, for a configuration
    that cannot be read (a folder, not UTF-8, invalid TOML) or a setting of the wrong type
    or naming a missing file.
    """
    path = path or (Path(os.environ["CONFLICT_MAP_CONFIG"]) if os.environ.get("CONFLICT_MAP_CONFIG") else None)
    explicit = path is not None
    path = path or config_dir() / "config.toml"
    document: dict[str, Any] = {}
    if path.exists():
        if not path.is_file():
            raise DataFileError(f"{path}: configuration is not a file")
        try:
            document = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
        except OSError as error:
            raise DataFileError(f"{path}: cannot read configuration: {error.strerror or error}") from None
        except UnicodeDecodeError as error:
            raise DataFileError(f"{path}: configuration is not UTF-8 text (byte {error.start})") from None
        except tomllib.TOMLDecodeError as error:
            raise DataFileError(f"{path}: invalid TOML: {error}") from None
    elif explicit:
        raise DataFileError(f"{path}: configuration file not found")
    base = path.parent
    section = _table(document, "gazetteer", path)
    overrides = os.environ.get("CONFLICT_MAP_OVERRIDES") or _string(section, "overrides", path, "[gazetteer]")
    if overrides:
        overrides_path: Path | None = _resolve_path(overrides, base)
    else:
        overrides_path = next((p for p in (base / "overrides.csv", base / "overrides.toml") if p.exists()), None)
    areas = section.get("areas", [])
    if isinstance(areas, str):
        areas = [areas]
    if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
        raise DataFileError(f"{path}: [gazetteer] areas must be a list of file names")
    area_files = tuple(_resolve_path(a, base) for a in areas)
    for area_file in area_files:
        if not area_file.is_file():
            raise DataFileError(f"{path}: [gazetteer] areas file {area_file} not found")
    cache_dir = _string(section, "cache_dir", path, "[gazetteer]")
    fallback = _table(document, "fallback", path)
    geocoder = _string(fallback, "geocoder", path, "[fallback]")
    options = fallback.get("options", {})
    if not isinstance(options, dict):
        raise DataFileError(f"{path}: [fallback] options must be a table")
    return Settings(
        overrides=overrides_path,
        area_files=area_files,
        cache_dir=_resolve_path(cache_dir, base) if cache_dir else None,
        fallback=FallbackSettings(
            geocoder=geocoder,
            min_score=_float(fallback, "min_score", 0.5, path),
            min_delay_seconds=_float(fallback, "min_delay_seconds", 1.0, path),
            options=dict(options),
        ) if geocoder else None,
        source=path if path.exists() else None,
    )


def _table(document: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = document.get(name, {})
    if not isinstance(value, dict):
        raise DataFileError(f"{path}: {name} must be a table ([{name}])")
    return value


def _string(table: dict[str, Any], key: str, path: Path, where: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise DataFileError(f"{path}: {where} {key} must be a string, not {type(value).__name__}")
    return value or None


def _float(table: dict[str, Any], key: str, default: float, path: Path) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataFileError(f"{path}: [fallback] {key} must be a number, not {type(value).__name__}")
    return float(value)


def _resolve_path(value: str, base: Path) -> Path:
    path = Path(os.path.expanduser(str(value)))
    return path if path.is_absolute() else base / path
