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
    """Settings from ``path``, ``$CONFLICT_MAP_CONFIG`` or the user config file (all optional)."""
    path = path or (Path(os.environ["CONFLICT_MAP_CONFIG"]) if os.environ.get("CONFLICT_MAP_CONFIG") else None)
    explicit = path is not None
    path = path or config_dir() / "config.toml"
    document: dict[str, Any] = {}
    if path.exists():
        try:
            with path.open("rb") as handle:
                document = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise DataFileError(f"{path}: invalid TOML: {error}") from None
    elif explicit:
        raise DataFileError(f"{path}: configuration file not found")
    section = document.get("gazetteer", {})
    base = path.parent
    overrides = os.environ.get("CONFLICT_MAP_OVERRIDES") or section.get("overrides")
    if overrides:
        overrides_path: Path | None = _resolve_path(overrides, base)
    else:
        overrides_path = next((p for p in (base / "overrides.csv", base / "overrides.toml") if p.exists()), None)
    fallback = document.get("fallback", {})
    return Settings(
        overrides=overrides_path,
        area_files=tuple(_resolve_path(p, base) for p in section.get("areas", [])),
        cache_dir=_resolve_path(section["cache_dir"], base) if section.get("cache_dir") else None,
        fallback=FallbackSettings(
            geocoder=str(fallback["geocoder"]),
            min_score=float(fallback.get("min_score", 0.5)),
            min_delay_seconds=float(fallback.get("min_delay_seconds", 1.0)),
            options=dict(fallback.get("options", {})),
        ) if fallback.get("geocoder") else None,
        source=path if path.exists() else None,
    )


def _resolve_path(value: str, base: Path) -> Path:
    path = Path(os.path.expanduser(str(value)))
    return path if path.is_absolute() else base / path
