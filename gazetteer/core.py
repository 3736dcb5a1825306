"""The gazetteer as one object: the index, the user's overrides, ranking and reverse lookup."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from .config import Settings, load_settings
from .index import GazetteerIndex, IndexProgress, default_cache_dir
from .normalize import fold
from .overrides import Overrides
from .place import Candidate, Context, Place
from .resolve import Resolver

__all__ = ["Gazetteer"]


class Gazetteer:
    """Names to places, offline.  ``Gazetteer.open()`` builds the index on first use."""

    def __init__(self, index: GazetteerIndex, overrides: Overrides | None = None,
                 settings: Settings | None = None, override_file: Path | None = None) -> None:
        self.index = index
        self.overrides = overrides or Overrides()
        self.settings = settings or Settings()
        #: The overrides file read (``--overrides`` or the settings'), or None.
        self.override_file = Path(override_file) if override_file else None
        self._resolver = Resolver(index, self.overrides)

    @classmethod
    def open(cls, settings: Settings | None = None, *, overrides: Path | None = None,
             progress: "IndexProgress | None" = None) -> "Gazetteer":
        """Open with the user's settings (see :mod:`gazetteer.config`); ``overrides`` replaces theirs."""
        settings = settings or load_settings()
        index = GazetteerIndex.open(settings.cache_dir, area_files=settings.area_files, progress=progress)
        override_file = overrides or settings.overrides
        return cls(index, Overrides.load(override_file) if override_file else None, settings, override_file)

    def resolve(self, name: str, context: Context | None = None, *, limit: int = 10) -> list[Candidate]:
        """Ranked candidates for ``name`` (see :mod:`gazetteer.resolve`)."""
        return self._resolver.resolve(name, context, limit=limit)

    def reverse(self, lat: float, lon: float) -> tuple[Place, float] | None:
        """The nearest populated place to (lat, lon) and its distance in km, or None if none within ~300 km."""
        from geopy.distance import great_circle

        for radius in (1, 3):
            cities = self.index.cities_near(lat, lon, radius_cells=radius)
            if cities:
                distances = [(great_circle((lat, lon), (c.lat, c.lon)).km, c.ref, c) for c in cities]
                km, _, place = min(distances)
                if km <= 111.0 * radius or radius == 3:
                    return place, km
        return None

    def region_of(self, city: Place) -> Place:
        """The region a town names when the text means the land around it ("the Kharkiv region",
        "Сумщина"): the admin-1 unit of the same name that holds it (or whose namesake seat it is by another
        name: Dnipro of Dnipropetrovsk oblast), else a district at the town
        ("Izmail district", "Нікопольщина"), of precision 2."""
        found = self.resolve(city.name, Context(kind="admin1", country=city.country_iso2), limit=3)
        region = next((c.place for c in found if c.place.kind == "admin1" and c.place.admin1_code == city.admin1_code),
                      None)
        if region is None and city.rank == 1 and city.country_iso2:  # its seat, by another of its names
            region = self.index.admin1_unit(city.country_iso2, city.admin1_code)
        return region or self.district_at(city)

    def seat_of(self, unit: Place) -> Place | None:
        """The town an admin-1 unit is named after ("la ville de Nabatiyé": the town, though only the governorate
        is spelt so), or None: its namesake town, else the national capital when it bears the unit's name."""
        if unit.kind != "admin1" or not unit.country_iso2:
            return None
        seats = self.index.seats(unit.country_iso2, unit.admin1_code)
        return next((s for s in seats if s.rank == 1 or fold(s.name) == fold(unit.name)), None)

    @staticmethod
    def district_at(city: Place) -> Place:
        """The unit below admin-1 a town is the seat of and names ("Izmail district", "Ізюмський район"),
        placed at the town (the text gives nothing finer), of precision 2."""
        return replace(city, kind="district", geonameid=None, ref=f"district:{city.ref or city.name}", rank=0)

    def country(self, iso2: str | None) -> Place | None:
        """The country place for an ISO2 code."""
        return self.index.by_ref("country", iso2) if iso2 else None

    def info(self) -> dict[str, Any]:
        """Sources, versions, counts and cache location."""
        meta = self.index.meta()
        return {
            "cache_dir": str(self.index.path.parent),
            "index": str(self.index.path),
            "index_bytes": self.index.path.stat().st_size,
            "built": meta.get("built"),
            "build_seconds": float(meta.get("build_seconds", math.nan)),
            "versions": self.index.versions,
            "counts": self.index.counts(),
            "overrides": {"file": str(self.settings.overrides) if self.settings.overrides else None,
                          "places": len(self.overrides), "problems": self.overrides.problems},
            "area_files": [str(p) for p in self.settings.area_files],
            "fallback": self.settings.fallback.geocoder if self.settings.fallback else None,
            "config": str(self.settings.source) if self.settings.source else None,
            "default_cache_dir": str(default_cache_dir()),
        }
