"""The value types the gazetteer hands out: a place and a ranked candidate."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .nearby import NearbyPlaces, great_circle_km

__all__ = ["KINDS", "LOCALITY", "Place", "Candidate", "Context"]

#: Kinds of place, broadest first.  ``geo_precision`` follows ACLED: 1 place, 2 region, 3 country.
KINDS = ("continent", "country", "area", "admin1", "district", "city")
#: The kind of an event place the gazetteer lacks (:mod:`geo.localities`): a village named by the text, at the
#: point of the unit that holds it.  No gazetteer entry is of this kind.
LOCALITY = "locality"


@dataclass(frozen=True, slots=True)
class Place:
    """A place the gazetteer knows.

    ``ref`` is the identifier in its own source: the ISO 3166-1 code of a country,
    the Natural Earth ``adm1_code`` of an admin-1 unit, the slug of a named area,
    the GeoNames id of a city (as text) or the name of a user override.  A ``district`` is a
    unit below admin-1 named after its seat ("Izmail district", a raion or hromada), placed
    at the seat: the text gives nothing finer; a US county is a district too, at a point inside it and with
    its FIPS code as ``ref`` ("US-21125").
    """

    name: str
    lat: float
    lon: float
    kind: str
    country_iso2: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    geonameid: int | None = None
    population: int = 0
    ref: str = ""
    rank: int = 0  # 2 a national capital, 1 the namesake town of its admin-1 unit

    def __hash__(self) -> int:  # places key the resolver's and the ranker's dicts: hash what tells them apart
        return hash((self.geonameid, self.name, self.lat, self.lon))

    @property
    def key(self) -> str:
        """The place's identity (events at it merge): its GeoNames id, else its kind and source ref."""
        return f"gn:{self.geonameid}" if self.geonameid else f"{self.kind}:{self.ref or self.name}"

    def km_to(self, other: "Place") -> float:
        """Great-circle distance in km between the two places' points (haversine: asked for every pair of a
        document's towns, and geopy's own would import its geocoders, requests and asyncio with it)."""
        return great_circle_km(self.lat, self.lon, other.lat, other.lon)

    @property
    def geo_precision(self) -> int:
        """ACLED-style precision: 1 a populated place, 2 a region (or a ``locality``: a village the gazetteer
        lacks, at the point of the unit that holds it), 3 a country or wider."""
        return {"city": 1, "district": 2, "admin1": 2, "area": 2, LOCALITY: 2}.get(self.kind, 3)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place proposed for a name, with a score in 0..1 and how the name matched.

    ``method`` is one of ``override``, ``exact`` (the place's own name),
    ``alternate`` (one of its alternate or translated names), ``normalised``
    (equal only after case/diacritic/script folding) or ``area`` (a named area).
    """

    place: Place
    score: float
    method: str
    matched: str = ""

    def as_json(self) -> dict[str, Any]:
        """The JSON object of the output contract, plus score detail."""
        p = self.place
        return {
            "geonameid": p.geonameid,
            "name": p.name,
            "lat": p.lat,
            "lon": p.lon,
            "kind": p.kind,
            "country_iso2": p.country_iso2,
            "admin1": p.admin1,
            "admin1_code": p.admin1_code,
            "score": round(self.score, 4),
            "method": self.method,
            "ref": p.ref,
        }


@dataclass(frozen=True)
class Context:
    """What the document already tells about where it is.

    ``countries`` are ISO2 codes mentioned or implied, ``demonym_countries`` those a
    demonym implies ("Syrian"), ``places`` those already resolved, ``lang`` the document
    language (ISO 639-1), ``kind`` the kind of place expected (one of :data:`KINDS`),
    ``country`` a hard filter.
    """

    countries: frozenset[str] = frozenset()
    places: tuple[Place, ...] = ()
    lang: str | None = None
    kind: str | None = None
    country: str | None = None
    demonym_countries: frozenset[str] = field(default=frozenset(), compare=False)  # a subset of countries
    admin1_codes: frozenset[str] = field(default=frozenset(), init=False)
    place_set: frozenset[Place] = field(default=frozenset(), init=False, repr=False, compare=False)
    nearby: "NearbyPlaces" = field(default=None, init=False, repr=False, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        codes = frozenset(p.admin1_code for p in self.places if p.admin1_code)
        object.__setattr__(self, "admin1_codes", codes)
        object.__setattr__(self, "place_set", frozenset(self.places))
        object.__setattr__(self, "nearby", NearbyPlaces(self.places))

    @property
    def is_empty(self) -> bool:
        return not (self.countries or self.places or self.kind)
