"""Resolution of the acceptance names, other names we were not told about, and ranking with context."""

import json

import pytest
from click.testing import CliRunner
from geopy.distance import great_circle

from gazetteer import Context
from maps.cli.main import cli

# name -> (geonameid, lat, lon, country) of the GeoNames point
BAKU = (587084, 40.37767, 49.89201, "AZ")
KHANKENDI = (146970, 39.8177, 46.7528, "AZ")
GANJA = (586523, 40.68157, 46.36134, "AZ")
JABRAYIL = (148141, 39.39917, 47.02835, "AZ")
RABAT = (2538475, 34.01325, -6.83255, "MA")
YEREVAN = (616052, 40.17765, 44.5126, "AM")
ACCEPTANCE = {
    "Stepanakert": KHANKENDI, "Khankendi": KHANKENDI, "Xankəndi": KHANKENDI, "Степанакерт": KHANKENDI,
    "خانكندي": KHANKENDI,
    "Ganja": GANJA, "Gəncə": GANJA, "Гянджа": GANJA,
    "Jabrayil": JABRAYIL, "Cəbrayıl": JABRAYIL, "Джебраил": JABRAYIL, "جبرائيل": JABRAYIL,
    "Baku": BAKU, "Bakı": BAKU, "Баку": BAKU, "باكو": BAKU,
    "Rabat": RABAT, "الرباط": RABAT,
    "Yerevan": YEREVAN, "Ереван": YEREVAN, "يريفان": YEREVAN,
}
# Names nobody special-cased: the capability must be general.
OTHERS = {
    "Tbilisi": (611717, "GE"), "Тбилиси": (611717, "GE"), "تبليسي": (611717, "GE"),
    "Aleppo": (170063, "SY"), "حلب": (170063, "SY"), "Алеппо": (170063, "SY"),
    "Kyiv": (703448, "UA"), "Kiev": (703448, "UA"), "Киев": (703448, "UA"), "Київ": (703448, "UA"),
    "Donetsk": (709717, "UA"), "Донецк": (709717, "UA"),
    "Mosul": (99072, "IQ"), "الموصل": (99072, "IQ"),
    "Khartoum": (379252, "SD"), "الخرطوم": (379252, "SD"),
    "Marrakesh": (2542997, "MA"),
    "Shusha": (147105, "AZ"), "Шуша": (147105, "AZ"),
    "Tripoli": (2210247, "LY"),
}


def _geocode_json(*args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["geocode", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", list(ACCEPTANCE))
def test_acceptance_names_put_the_right_town_first(gazetteer, name: str) -> None:
    geonameid, lat, lon, country = ACCEPTANCE[name]
    best = _geocode_json(name)[0]
    assert best["geonameid"] == geonameid, best
    assert best["country_iso2"] == country
    assert great_circle((lat, lon), (best["lat"], best["lon"])).km <= 10


@pytest.mark.parametrize("name", ["Nagorno-Karabakh", "Karabakh", "Artsakh", "ناغورنو كاراباخ", "Нагорный Карабах"])
def test_nagorno_karabakh_is_the_named_area(gazetteer, name: str) -> None:
    best = _geocode_json(name)[0]
    assert (best["kind"], best["ref"], best["country_iso2"]) == ("area", "nagorno-karabakh", "AZ")
    assert great_circle((39.85, 46.65), (best["lat"], best["lon"])).km < 60


@pytest.mark.parametrize(("name", "ref"), [("Central Africa", "central-africa"), ("Afrique centrale", "central-africa"),
                                           ("وسط أفريقيا", "central-africa"), ("East Africa", "east-africa"),
                                           ("Afrique de l'Est", "east-africa"), ("شرق أفريقيا", "east-africa"),
                                           ("Восточная Африка", "east-africa")])
def test_the_un_subregions_of_africa_are_named_areas(gazetteer, name: str, ref: str) -> None:
    """The UN geoscheme's Middle and Eastern Africa, in the news' languages, beside West and North Africa."""
    best = gazetteer.resolve(name)[0]
    assert (best.place.kind, best.place.ref) == ("area", ref)


@pytest.mark.parametrize("name", ["Korean Peninsula", "péninsule coréenne", "Корейский полуостров", "Kore Yarımadası"])
def test_the_korean_peninsula_is_both_koreas(gazetteer, name: str) -> None:
    best = gazetteer.resolve(name)[0]
    assert (best.place.kind, best.place.ref, best.place.country_iso2) == ("area", "korean-peninsula", None)


def test_a_named_african_subregion_is_one_toponym(gazetteer) -> None:
    """"Central Africa" is one place, not the word "Central" and the continent."""
    from geo.recognize import Recognizer

    text = "Aid agencies warned that the crisis could spread across Central Africa and East Africa."
    found = [(t.mention, t.place.ref) for t in Recognizer(gazetteer).toponyms(text, "en")]
    assert found == [("Central Africa", "central-africa"), ("East Africa", "east-africa")]


@pytest.mark.parametrize(("name", "iso"), [("أذربيجان", "AZ"), ("Azerbaïdjan", "AZ"), ("Азербайджан", "AZ"),
                                           ("الصحراء الغربية", "EH"), ("Western Sahara", "EH"),
                                           ("U.S.", "US"), ("Royaume-Uni", "GB"), ("روسيا", "RU")])
def test_country_names_in_any_language(gazetteer, name: str, iso: str) -> None:
    best = gazetteer.resolve(name)[0]
    assert best.place.country_iso2 == iso
    assert best.place.kind in ("country", "area")


@pytest.mark.parametrize("name", list(OTHERS))
def test_names_we_were_not_told_about(gazetteer, name: str) -> None:
    geonameid, country = OTHERS[name]
    best = gazetteer.resolve(name)[0].place
    assert (best.geonameid, best.country_iso2) == (geonameid, country)


def test_document_language_separates_arabic_from_urdu_forms(gazetteer) -> None:
    # Arabic news write Marrakesh مراكش; Urdu and Persian write Morocco مراکش (another kaf).
    assert gazetteer.resolve("مراكش", Context(lang="ar"))[0].place.geonameid == 2542997
    assert gazetteer.resolve("مراکش", Context(lang="ur"))[0].place.kind == "country"


def test_scores_are_in_unit_interval_and_sorted(gazetteer) -> None:
    for name in ("Moscow", "Paris", "Georgia", "Springfield", "باكو", "Sahel"):
        scores = [c.score for c in gazetteer.resolve(name, limit=20)]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)


def test_without_context_countries_then_capitals_then_population(gazetteer) -> None:
    assert gazetteer.resolve("Georgia")[0].place.kind == "country"
    assert gazetteer.resolve("Moscow")[0].place.country_iso2 == "RU"
    assert gazetteer.resolve("Rabat")[0].place.country_iso2 == "MA"  # capital beats Rabat, Malta
    springfields = [c.place for c in gazetteer.resolve("Springfield", limit=50) if c.place.kind == "city"]
    assert springfields[0].population == max(p.population for p in springfields)


def test_context_of_the_document_wins(gazetteer) -> None:
    idaho = [gazetteer.resolve(n, Context(countries=frozenset({"US"})))[0].place for n in ("Boise", "Pocatello", "Coeur d'Alene")]
    moscow = gazetteer.resolve("Moscow", Context(countries=frozenset({"US"}), places=tuple(idaho)))[0].place
    assert (moscow.country_iso2, moscow.admin1_code) == ("US", "US-ID")
    malta = gazetteer.resolve("Malta")[0].place
    rabat = gazetteer.resolve("Rabat", Context(countries=frozenset({"MT"}), places=(malta,)))[0].place
    assert rabat.country_iso2 == "MT"


def test_a_reading_in_the_context_is_no_neighbour_of_its_namesakes(gazetteer) -> None:
    """A capital the context already holds makes no town known by its name too a neighbour of it: "London"
    beside London stays London, not the City of London (a seat, whose alternate name it also is)."""
    london = gazetteer.resolve("London")[0].place
    assert london.rank == 2
    again = gazetteer.resolve("London", Context(countries=frozenset({"GB"}), places=(london,), lang="en"))[0].place
    assert again == london
    nearby = gazetteer.resolve("Reading")[0].place  # a real neighbour still helps
    assert gazetteer.resolve("London", Context(countries=frozenset({"GB"}), places=(nearby,)))[0].place == london


def test_expected_kind_and_country_filter(gazetteer) -> None:
    assert gazetteer.resolve("Ganja", Context(kind="admin1"))[0].place.kind == "admin1"
    assert all(c.place.country_iso2 == "US" for c in gazetteer.resolve("Paris", Context(country="US")))


def test_methods(gazetteer) -> None:
    assert gazetteer.resolve("Baku")[0].method == "exact"
    assert gazetteer.resolve("Баку")[0].method == "alternate"
    assert gazetteer.resolve("BAKOU")[0].method == "alternate"  # case alone is not normalisation
    assert gazetteer.resolve("Бaку".replace("a", "а"))[0].method == "alternate"
    assert gazetteer.resolve("Xankendi")[0].method in ("alternate", "normalised")
    assert gazetteer.resolve("Xankəndî")[0].method == "normalised"
    assert gazetteer.resolve("Karabakh")[0].method == "area"
    assert gazetteer.resolve("وباكو")[0].place.geonameid == BAKU[0]  # a clitic before the name


def test_unknown_names_give_nothing(gazetteer) -> None:
    assert gazetteer.resolve("Qwertzuiopland") == []
    assert gazetteer.resolve("") == []


def test_an_airport_code_among_alternate_names_is_no_name(gazetteer) -> None:
    """GAO is Guantánamo's airport code: "Gao" is the town in Mali, and only "GAO" in capitals may be the code."""
    assert [(c.place.name, c.place.country_iso2) for c in gazetteer.resolve("Gao", limit=1)] == [("Gao", "ML")]
    codes = [c for c in gazetteer.resolve("Gao", limit=10) if c.place.country_iso2 == "CU"]
    assert not codes
    assert any(c.place.country_iso2 == "CU" for c in gazetteer.resolve("GAO", limit=10))


@pytest.mark.parametrize(("name", "country"), [("Qamishli", "SY"), ("Fasher", "SD"), ("Mayadin", "SY")])
def test_a_town_of_the_arabic_world_is_known_without_its_article(gazetteer, name: str, country: str) -> None:
    """GeoNames writes "Al Qāmishlī" and "El Fasher"; the news often drops the article."""
    best = gazetteer.resolve(name, limit=1)[0]
    assert (best.place.kind, best.place.country_iso2) == ("city", country)


def test_a_town_elsewhere_keeps_its_article() -> None:
    """"El Paso" is no "Paso": only towns of the countries that write the Arabic article get a bare name."""
    from gazetteer.sources import ARTICLE_COUNTRIES, _bare_names

    assert "US" not in ARTICLE_COUNTRIES
    assert _bare_names([("Al Qāmishlī", None), ("El-Oued", "fr"), ("Alma", None)]) == [("Qāmishlī", None),
                                                                                        ("Oued", "fr")]


def test_a_misspelt_alternate_name_makes_no_namesake_town(gazetteer) -> None:
    """Minneota (MN) is also spelt "Minnesota" in GeoNames; the state is what the name means."""
    best = gazetteer.resolve("Minnesota", limit=1)[0]
    assert (best.place.kind, best.place.country_iso2) == ("admin1", "US")


def test_a_roundup_keeps_every_place_each_line_gives_alone(gazetteer) -> None:
    """Document context may help a place, never erase one whose own line gives it."""
    from geo.recognize import Recognizer

    lines = [
        "Gunmen killed four soldiers near Djibo on Tuesday.",
        "An airstrike hit a house in Rafah overnight.",
        "Protesters marched through Tbilisi against the new law.",
        "Police in Nouméa reported calm after a night of unrest.",
        "A car bomb exploded in Kabul near the airport.",
        "Floods cut the road between Goma and Bukavu.",
        "Talks resumed in Doha on Thursday.",
        "Shelling damaged a school in Kherson.",
    ]
    recognizer = Recognizer(gazetteer)
    alone = {t.mention for line in lines for t in recognizer.toponyms(line, "en")}
    together = {t.mention for t in recognizer.toponyms("\n".join(lines), "en")}
    assert len(alone) >= 8 and alone <= together, alone - together


def test_us_counties_resolve_and_are_recognised_whole(gazetteer) -> None:
    """US counties are districts of their state, at a point inside them, with their FIPS code."""
    from geo.recognize import Recognizer

    best = gazetteer.resolve("Laurel County", limit=1)[0].place
    assert (best.kind, best.ref, best.admin1, best.geo_precision) == ("district", "US-21125", "Kentucky", 2)
    assert great_circle((best.lat, best.lon), (37.11, -84.12)).km < 40
    text = "Deputies in Laurel County arrested two men after a chase near London, Ky., on Friday."
    mentions = {t.mention: t.place for t in Recognizer(gazetteer).toponyms(text, "en")}
    assert mentions["Laurel County"].ref == "US-21125"
    # the document's state picks the right one of many namesakes
    text = "Flooding closed roads in Madison County, officials in Huntsville, Alabama, said."
    mentions = {t.mention: t.place for t in Recognizer(gazetteer).toponyms(text, "en")}
    assert mentions["Madison County"].admin1 == "Alabama"


def test_the_document_picks_the_namesake(gazetteer) -> None:
    """The ranker judges each reading by the document's other places: Arlington and Fairfax beside the
    Potomac are the ones in Virginia (the formula alone took Texas and Oklahoma); a brief about France
    keeps Paris in France."""
    from geo.recognize import Recognizer

    recognizer = Recognizer(gazetteer)
    text = "The council of Alexandria approved a new bridge across the Potomac to Arlington and Fairfax."
    places = {t.mention: t.place for t in recognizer.toponyms(text, "en")}
    assert places["Arlington"].admin1 == places["Fairfax"].admin1 == "Virginia"
    text = "Strikes closed schools in Lyon, Marseille and Toulouse on Tuesday, and unions marched in Paris."
    places = {t.mention: t.place for t in recognizer.toponyms(text, "en")}
    assert places["Paris"].country_iso2 == "FR"


@pytest.mark.parametrize(("name", "kind", "country"), [
    ("Refah", "city", "PS"),  # Turkish exonym of Rafah, from data/city_variants.toml
    ("Nebatiye", "city", "LB"), ("Hodeidah", "city", "YE"),  # data/city_variants.toml
    ("ABD", "country", "US"),  # Turkish abbreviation, data/country_variants.toml
    ("Artsaj", "area", "AZ"), ("Franja de Gaza", "area", "PS"), ("Gazze Şeridi", "area", "PS"),
    ("Нагірний Карабах", "area", "AZ"),
])
def test_spanish_turkish_and_ukrainian_exonyms(gazetteer, name: str, kind: str, country: str) -> None:
    best = gazetteer.resolve(name, limit=1)[0].place
    assert (best.kind, best.country_iso2) == (kind, country)


@pytest.mark.parametrize(("text", "lang", "area"), [
    ("La ONU pidió una tregua en Oriente Medio tras los bombardeos.", "es", "Middle East"),
    ("Bakan, Orta Doğu'da gerilimin arttığını söyledi.", "tr", "Middle East"),
    ("Делегація повернулася з поїздки по Південному Кавказу.", "uk", "South Caucasus"),
])
def test_named_areas_in_spanish_turkish_and_ukrainian(gazetteer, text: str, lang: str, area: str) -> None:
    from geo.recognize import Recognizer

    found = Recognizer(gazetteer).toponyms(text, lang)
    assert [t.place.name for t in found if t.place.kind == "area"] == [area]


def test_admin1_units_sit_at_geonames_point(gazetteer) -> None:
    """A province or state is geocoded at GeoNames' own point (data/admin1_points.csv), the convention of the
    public geoparsing corpora, not at Natural Earth's label point; England, Scotland, Wales and Northern
    Ireland, which Natural Earth splits into counties, are admin-1 units of their own."""
    queensland = gazetteer.resolve("Queensland", limit=1)[0].place
    assert (queensland.kind, queensland.admin1_code) == ("admin1", "AU-QLD")
    assert great_circle((queensland.lat, queensland.lon), (-20.0, 145.0)).km < 1
    england = [c.place for c in gazetteer.resolve("England", limit=5)]
    assert any(p.kind == "admin1" and p.admin1_code == "GB-ENG" for p in england)
    scotland = gazetteer.resolve("Scotland", limit=1)[0].place
    assert (scotland.kind, scotland.country_iso2, scotland.admin1_code) == ("admin1", "GB", "GB-SCT")


@pytest.mark.parametrize("name, code", [("Ituri", "CD-IT"), ("Catalonia", "ES-CT"), ("Tuscany", "IT-52"),
                                        ("Sicily", "IT-82"), ("Boucle du Mouhoun", "BF-01"), ("Normandie", "FR-NOR")])
def test_units_natural_earth_lacks_are_geonames_units(gazetteer, name: str, code: str) -> None:
    """Natural Earth predates the DR Congo's 2015 provinces and splits Tuscany or Catalonia into
    provinces: GeoNames' ADM1 unit is an admin-1 unit of its own, under its ISO 3166-2 code."""
    best = gazetteer.resolve(name, limit=1)[0].place
    assert (best.kind, best.admin1_code) == ("admin1", code)


def test_a_region_name_natural_earth_gave_its_provinces_is_the_regions(gazetteer) -> None:
    """Natural Earth lists "Tuscany" among each Tuscan province's names; the region has it, not Grosseto."""
    assert all(c.place.admin1_code in ("IT-52", None) or c.place.kind != "admin1"
               for c in gazetteer.resolve("Tuscany", limit=10))


def test_a_compass_word_names_no_unit(gazetteer) -> None:
    """Burkina Faso's "Nord" and "Est" regions would make every capitalised "Est" a place: no such unit."""
    assert not any(c.place.admin1_code in ("BF-10", "BF-08") for c in gazetteer.resolve("Nord", limit=20))


@pytest.mark.parametrize("name", ["Tel Abyad", "Tal Abyad", "Tell Abyad"])
def test_the_opening_word_of_an_arabic_place_name_in_any_romanisation(gazetteer, name: str) -> None:
    """GeoNames writes "Tall Abyaḑ" (BGN/PCGN), the news "Tel Abyad" or "Tal Abyad": the same town."""
    best = gazetteer.resolve(name, limit=1)[0]
    assert (best.place.name, best.place.country_iso2, best.method) == ("Tall Abyaḑ", "SY", "alternate")


@pytest.mark.parametrize("text, country", [
    ("Rebels attacked Beni in North Kivu; the army of Congo sent troops from Goma.", "CD"),
    ("Voters in Brazzaville and Pointe-Noire queued as Congo held its election.", "CG"),
])
def test_congo_alone_is_the_congo_the_places_around_it_are_in(gazetteer, text: str, country: str) -> None:
    """"Congo" names the DR Congo in most news (the AP's usage) and the Republic of the Congo in much else: the
    places around it decide."""
    from geo.recognize import Recognizer

    found = Recognizer(gazetteer).toponyms(text, "en")
    assert [t.place.country_iso2 for t in found if t.mention == "Congo"] == [country]


def test_a_country_name_that_is_one_of_its_units_is_the_unit(gazetteer) -> None:
    """CLDR's Walser German calls the United Kingdom "England" and several locales call Tunisia "Tunis":
    a name of the country that is one of its own admin-1 units (and none of its English names) is the unit's."""
    assert all(c.place.kind != "country" for c in gazetteer.resolve("England", limit=10))
    assert all(c.place.kind != "country" for c in gazetteer.resolve("Tunis", limit=10))
    assert gazetteer.resolve("Mexico", limit=1)[0].place.kind == "country"


def test_an_abbreviated_word_with_its_period_is_part_of_the_name(gazetteer) -> None:
    """"St. Louis" and "Mt. Pleasant" are one name each, though a period and a space part the words."""
    from geo.recognize import Recognizer

    text = "The convoy left St. Louis at dawn and reached Mt. Pleasant by noon."
    assert {t.mention for t in Recognizer(gazetteer).toponyms(text, "en")} == {"St. Louis", "Mt. Pleasant"}


def test_a_name_joined_by_and_is_one_name(gazetteer) -> None:
    """"Trinidad and Tobago" is one country; two countries joined by "and" stay two names."""
    from geo.recognize import Recognizer

    text = "Delegates of Trinidad and Tobago flew on to Armenia and Georgia for the talks."
    found = {t.mention: t.place.kind for t in Recognizer(gazetteer).toponyms(text, "en")}
    assert found["Trinidad and Tobago"] == "country" and {"Armenia", "Georgia"} <= set(found)



def test_a_road_number_before_a_town_makes_it_no_surname(gazetteer) -> None:
    """"the M5 Gloucester junction": a road's number is no first name, so Gloucester stays a place."""
    from geo.recognize import Recognizer

    text = "Lorries were diverted at the M5 Gloucester junction, and drivers bound for Gloucester faced delays."
    found = [t for t in Recognizer(gazetteer).toponyms(text, "en") if t.mention == "Gloucester"]
    assert found and found[-1].start == text.rindex("Gloucester")


@pytest.mark.parametrize("text, name, admin1", [
    ("A 40-year-old Laurel, Md. woman was charged on Friday.", "Md.", "US-MD"),
    ("The fire began near Bristol, Va. and spread north.", "Va.", "US-VA"),
    ("Crews from Kamloops, B.C. were sent east.", "B.C.", "CA-BC"),
])
def test_a_two_letter_abbreviation_with_its_period_is_its_state(gazetteer, text: str, name: str, admin1: str) -> None:
    """"Md." and "Va." are Maryland and Virginia with their period (two letters alone are no name); the
    Canadian Press abbreviations of provinces ("B.C.") are names too (data/admin1_variants.toml)."""
    from geo.recognize import Recognizer

    found = {t.mention: t.place for t in Recognizer(gazetteer).toponyms(text, "en")}
    assert found[name].kind == "admin1" and found[name].admin1_code == admin1
    assert "Va" not in {t.mention for t in Recognizer(gazetteer).toponyms("The Va clinic reopened.", "en")}


def test_zaire_is_the_former_name_of_the_democratic_republic_of_the_congo(gazetteer) -> None:
    assert gazetteer.resolve("Zaire", limit=1)[0].place.country_iso2 == "CD"
    assert gazetteer.resolve("Zaire", limit=1)[0].place.kind == "country"


def test_a_name_after_a_towns_possessive_is_a_part_of_that_town(gazetteer) -> None:
    """"Odesa's Kyivskyi district" is in Odesa: the gazetteer's only Kyivskyi (a district of Donetsk, 500 km
    away) is no reading of it; a wider unit after the possessive ("Toronto's Ontario") stays."""
    from geo.recognize import Recognizer

    recognizer = Recognizer(gazetteer)
    found = {t.mention: t.place for t in recognizer.toponyms("A drone hit Odesa's Kyivskyi district at night.", "en")}
    assert set(found) == {"Odesa"}
    found = {t.mention: t.place for t in recognizer.toponyms(
        "Most of Toronto's Ontario health-card holders saw a doctor last year.", "en")}
    assert found["Ontario"].kind == "admin1"


def test_an_armed_service_named_with_a_place_word_is_no_place(gazetteer) -> None:
    """Turkish "Kara Kuvvetleri" is the land forces (kara: land), no town Kara: an organisation suffix follows."""
    from geo.recognize import Recognizer

    text = "Savunma Bakanı, Kara Kuvvetleri Komutanı Orgeneral Ali Demir ve Deniz Kuvvetleri Komutanı toplantıya katıldı."
    assert [t.mention for t in Recognizer(gazetteer).toponyms(text, "tr")] == []


def test_a_name_out_of_context_is_resolved_once_a_process(gazetteer) -> None:
    """The first reading of a name (the language its only context) is the same in every document: the
    second document reuses it, and finds what the first found."""
    from geo.recognize import Recognizer

    calls: list[str] = []

    class Counting:
        def __getattr__(self, name: str):
            return getattr(gazetteer, name)

        def resolve(self, name, context=None, **kwargs):
            if context is not None and not context.places and not context.countries:
                calls.append(name)
            return gazetteer.resolve(name, context, **kwargs)

    recognizer = Recognizer(Counting())
    first = recognizer.toponyms("Shelling hit Kharkiv on Monday.", "en")
    once = len(calls)
    again = recognizer.toponyms("Kharkiv was quiet on Tuesday, officials said.", "en")
    assert once and len(calls) == once
    assert [t.place for t in first] == [t.place for t in again]


@pytest.mark.parametrize(("text", "lang", "seat"), [
    ("Une frappe a détruit un immeuble dans la ville de Nabatiyé ce matin.", "fr", ("LB", 33.38, 35.48)),
    ("Militants fired on a checkpoint inside the city of Nineveh at dawn.", "en", ("IQ", 36.34, 43.12)),
])
def test_a_town_noun_makes_a_name_spelt_as_its_unit_the_seat(gazetteer, text, lang, seat):
    """A spelling only the governorate carries still names the town when "la ville de" / "the city of" says so."""
    from geo.recognize import Recognizer

    found = Recognizer(gazetteer).toponyms(text, lang)
    assert len(found) == 1 and found[0].place.kind == "city", found
    place = found[0].place
    assert (place.country_iso2, round(place.lat, 2), round(place.lon, 2)) == seat
    assert gazetteer.seat_of(place) is None  # a town has no seat


def test_a_neighbourhood_named_abroad_is_no_place_of_a_one_country_report(gazetteer):
    """"la colonia Alameda" of a report from Culiacán is a neighbourhood the gazetteer lacks, not Alameda, California;
    the same name with no neighbourhood noun, or one in the report's country, stays."""
    from geo.recognize import Recognizer

    recognizer = Recognizer(gazetteer)
    text = "Los disparos comenzaron en la colonia Alameda de Culiacán y siguieron hacia el centro de Mazatlán."
    assert {t.mention for t in recognizer.toponyms(text, "es")} == {"Culiacán", "Mazatlán"}
    text = "Los disparos comenzaron en Alameda, California, y siguieron en Oakland."
    assert "Alameda" in {t.mention for t in recognizer.toponyms(text, "es")}
