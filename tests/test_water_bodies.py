"""Seas, gulfs, straits and oceans as places (``gazetteer/data/water_bodies.csv`` from Natural Earth's
marine areas, names in other languages from ``water_variants.toml``).  Our own sentences."""

from __future__ import annotations

import csv
import tomllib

import pytest

from gazetteer.sources import WATER_BODIES_FILE, WATER_VARIANTS_FILE

KINDS = {"ocean", "sea", "gulf", "strait", "bay"}


def _rows() -> list[dict[str, str]]:
    with WATER_BODIES_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_data_file_is_sound():
    rows = _rows()
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names)) > 150
    assert names == sorted(names)
    for row in rows:
        assert row["kind"] in KINDS, row
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row
        assert row["kind"] != "bay" or float(row["area_km2"]) >= 20_000, row
    assert {"Red Sea", "Black Sea", "Gulf of Aden", "Mediterranean Sea", "Bab el Mandeb", "Bosporus", "Dardanelles",
            "Taiwan Strait", "Strait of Gibraltar", "Strait of Hormuz", "Kerch Strait"} <= set(names)


def test_the_straits_natural_earth_draws_no_area_for_lie_where_their_bodies_meet():
    rows = {row["name"]: row for row in _rows()}
    for name, (south, north, west, east) in (("Kerch Strait", (45.0, 45.5, 36.4, 36.8)),
                                             ("Strait of Hormuz", (25.9, 26.9, 56.0, 57.3))):
        row = rows[name]
        assert row["kind"] == "strait" and row["area_km2"] == "", row
        assert south < float(row["lat"]) < north and west < float(row["lon"]) < east, row
    assert [name for name, row in rows.items() if not row["area_km2"]] == ["Kerch Strait", "Strait of Hormuz"]


def test_every_variant_names_a_water_body_once():
    with WATER_VARIANTS_FILE.open("rb") as handle:
        variants = tomllib.load(handle)
    known = {row["name"] for row in _rows()}
    assert set(variants) <= known
    seen: dict[str, str] = {}
    for body, by_lang in variants.items():
        for forms in by_lang.values():
            for form in forms:
                assert seen.setdefault(form.casefold(), body) == body, (form, body, seen[form.casefold()])


@pytest.mark.parametrize("name", ["Black Sea", "Чёрное море", "Черное море", "mer Noire", "Karadeniz", "Чорне море",
                                  "البحر الأسود"])
def test_names_in_every_language_find_the_sea(gazetteer, name):
    best = gazetteer.resolve(name, limit=1)[0]
    assert (best.place.kind, best.place.name, best.place.geo_precision) == ("area", "Black Sea", 2)
    assert best.place.country_iso2 is None


def test_the_atlantic_and_the_pacific_are_written_whole_beside_their_halves():
    rows = {row["name"]: row for row in _rows()}
    for whole in ("Atlantic Ocean", "Pacific Ocean"):
        halves = [rows[f"{side} {whole}"] for side in ("North", "South")]
        assert float(rows[whole]["area_km2"]) == pytest.approx(sum(float(h["area_km2"]) for h in halves), rel=0.01)


@pytest.mark.parametrize(("name", "body"), [("Atlantic Ocean", "Atlantic Ocean"), ("océan Atlantique", "Atlantic Ocean"),
                                            ("Тихий океан", "Pacific Ocean"), ("المحيط الهادئ", "Pacific Ocean")])
def test_a_whole_ocean_resolves_in_every_language(gazetteer, name, body):
    best = gazetteer.resolve(name, limit=1)[0]
    assert (best.place.kind, best.place.name) == ("area", body)


def test_a_province_named_after_its_sea_keeps_its_other_names(gazetteer):
    assert {c.place.kind for c in gazetteer.resolve("Red Sea")} == {"area"}
    assert any(c.place.kind == "admin1" and c.place.country_iso2 == "SD" for c in gazetteer.resolve("Red Sea State"))


@pytest.fixture(scope="module")
def recognizer(gazetteer):
    from geo.recognize import Recognizer

    return Recognizer(gazetteer)


@pytest.mark.parametrize(("text", "lang", "mention"), [
    ("A drone hit a cargo ship in the Red Sea on Tuesday.", "en", "Red Sea"),
    ("Un drone a frappé un cargo en mer Rouge mardi.", "fr", "mer Rouge"),
    ("Un dron alcanzó un carguero en el mar Rojo el martes.", "es", "mar Rojo"),
    ("أصابت طائرة مسيرة سفينة شحن في البحر الأحمر يوم الثلاثاء.", "ar", "البحر الأحمر"),
    ("Красное море остаётся опасным: беспилотник поразил грузовое судно.", "ru", "Красное море"),
])
def test_a_ship_attack_at_sea_is_placed_on_the_sea(recognizer, text, lang, mention):
    found = {t.mention: t.place for t in recognizer.toponyms(text, lang)}
    assert found[mention].kind == "area" and found[mention].name == "Red Sea", found


def test_straits_and_gulfs_in_one_sentence(recognizer):
    text = "Tankers now avoid the Gulf of Aden and Bab el-Mandeb and sail past the Strait of Gibraltar instead."
    found = {t.mention: t.place.name for t in recognizer.toponyms(text, "en")}
    assert found == {"Gulf of Aden": "Gulf of Aden", "Bab el-Mandeb": "Bab el Mandeb",
                     "Strait of Gibraltar": "Strait of Gibraltar"}


@pytest.mark.parametrize(("text", "lang", "mention", "body"), [
    ("Беспилотник поразил танкер в Красном море.", "ru", "Красном море", "Red Sea"),
    ("Учения флота прошли в Черном море.", "ru", "Черном море", "Black Sea"),
    ("Катер затонул в Азовском море.", "ru", "Азовском море", "Sea of Azov"),
    ("Сухогруз задержали у берегов Красного моря.", "ru", "Красного моря", "Red Sea"),
    ("Эсминец ушёл к Чёрному морю.", "ru", "Чёрному морю", "Black Sea"),
    ("Судно обстреляли в Аденском заливе.", "ru", "Аденском заливе", "Gulf of Aden"),
    ("Вчера паром затонул в Керченском проливе.", "ru", "Керченском проливе", "Kerch Strait"),
    ("Дрон уражено у Чорному морі.", "uk", "Чорному морі", "Black Sea"),
    ("Катер помітили в Азовському морі.", "uk", "Азовському морі", "Sea of Azov"),
    ("Флот відійшов від берегів Чорного моря.", "uk", "Чорного моря", "Black Sea"),
    ("Танкер атаковано в Аденській затоці.", "uk", "Аденській затоці", "Gulf of Aden"),
])
def test_russian_and_ukrainian_case_forms_of_a_sea(recognizer, text, lang, mention, body):
    """An adjective and its sea noun in any case, by the packs' endings: the body of water, not a town named
    after the adjective (Красном is no Krasna)."""
    found = {t.mention: t.place for t in recognizer.toponyms(text, lang)}
    assert (found[mention].kind, found[mention].name) == ("area", body), found


@pytest.mark.parametrize(("text", "mention", "body"), [
    ("Un cargo a été touché dans le golfe d'Aden mardi.", "golfe d'Aden", "Gulf of Aden"),
    ("Un cargo a été touché dans le golfe d’Aden mardi.", "golfe d’Aden", "Gulf of Aden"),
    ("Les pétroliers évitent désormais le détroit d'Ormuz.", "détroit d'Ormuz", "Strait of Hormuz"),
    ("Des navires de guerre croisent en mer d'Azov.", "mer d'Azov", "Sea of Azov"),
])
def test_a_french_elided_de_stays_inside_the_name(recognizer, text, mention, body):
    found = {t.mention: t.place for t in recognizer.toponyms(text, "fr")}
    assert set(found) == {mention} and found[mention].name == body, found


def test_the_straits_of_the_news(recognizer):
    text = ("Iran threatened to close the Strait of Hormuz, a ferry sank in the Kerch Strait, and two warships "
            "sailed through the Bosphorus and the Dardanelles.")
    found = {t.mention: t.place.name for t in recognizer.toponyms(text, "en")}
    assert found == {"Iran": "Iran", "Strait of Hormuz": "Strait of Hormuz", "Kerch Strait": "Kerch Strait",
                     "Bosphorus": "Bosporus", "Dardanelles": "Dardanelles"}


def test_a_town_leaves_its_other_name_to_the_strait(gazetteer):
    """GeoNames gives Çanakkale the alternate name "Dardanelles"; the news means the strait."""
    assert gazetteer.resolve("Dardanelles", limit=1)[0].place.kind == "area"
    assert gazetteer.resolve("Çanakkale", limit=1)[0].place.kind == "city"
