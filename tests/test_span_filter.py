"""The span filter's evidence from the words around a name: a place noun beside it ("the town of
X", "ville de X", "مدينة X", "X kenti") is a feature of its own.  Our own sentences."""

from __future__ import annotations

import pytest

from geo.span_filter import SPAN_FEATURES

PLACE_NOUN = SPAN_FEATURES.index("place_noun")


@pytest.fixture(scope="module")
def recognizer(gazetteer):
    from geo.recognize import Recognizer

    return Recognizer(gazetteer)


def _place_noun(recognizer, text: str, lang: str) -> dict[str, bool]:
    spotted, _ = recognizer.spotted(text, lang)
    return {s.mention.surface: bool(s.row[PLACE_NOUN]) for s in spotted}


@pytest.mark.parametrize("text, lang, name, expected", [
    ("Fighting went on in the town of Baiji on Monday.", "en", "Baiji", True),
    ("Officials in Baiji said the road was closed.", "en", "Baiji", False),
    ("Des tirs ont visé la ville de Goma hier.", "fr", "Goma", True),
    ("Halep kenti yeniden saldırıya uğradı.", "tr", "Halep", True),
    ("وقعت اشتباكات في مدينة حلب أمس", "ar", "حلب", True),
    ("Talks opened in Geneva.", "en", "Geneva", False),
])
def test_a_place_noun_beside_a_name_is_a_feature(recognizer, text, lang, name, expected):
    assert _place_noun(recognizer, text, lang)[name] is expected


@pytest.mark.parametrize("text, lang, name, expected", [
    ("Floods reached the state of Washington on Monday.", "en", "Washington", "unit"),
    ("A Washington state farm was closed.", "en", "Washington", "unit"),
    ("Fighting went on in the town of Baiji on Monday.", "en", "Baiji", "town"),
    ("Washington State University opened a clinic.", "en", "Washington", None),
    ("Officials in Baiji said the road was closed.", "en", "Baiji", None),
    ("La province de Québec a fermé les écoles.", "fr", "Québec", "unit"),
    ("Hatay ilinde saldırı oldu.", "tr", "Hatay", "unit"),
    ("Halep kenti yeniden saldırıya uğradı.", "tr", "Halep", "town"),
    ("قصف في ولاية الخرطوم أمس", "ar", "الخرطوم", "unit"),
    ("Обстріл Харківської області триває.", "uk", "Харківської", "unit"),
])
def test_a_noun_beside_a_name_tells_the_kind_it_names(recognizer, text, lang, name, expected):
    spotted, _ = recognizer.spotted(text, lang)
    assert {s.mention.surface: s.mention.kind_noun for s in spotted}[name] == expected


def test_the_shipped_filter_trusts_a_place_noun(recognizer):
    """The fitted span filter holds a name likelier a place with its place noun than without it."""
    from geo.learned import load_model

    model = load_model("toponym_span")
    spotted, _ = recognizer.spotted("Militants attacked the security forces in the town of Baiji overnight.", "en")
    row = next(s.row for s in spotted if s.mention.surface == "Baiji")
    without = list(row)
    without[PLACE_NOUN] = 0.0
    assert model.scores([row])[0] > model.scores([without])[0]


def test_a_name_with_lower_case_words_is_spotted_when_written_as_the_gazetteer_writes_it(recognizer):
    """French country names keep their adjectives in lower case; a name and its place noun stay apart."""
    text = "Les Émirats arabes unis ont livré de l'aide au Burkina. Le port de Cork city a fermé."
    spotted, _ = recognizer.spotted(text, "fr")
    found = {text[s.mention.start:s.mention.end]: s.best.place.country_iso2 for s in spotted}
    assert found["Émirats arabes unis"] == "AE" and found["Burkina"] == "BF"
    assert "Cork city" not in found


def test_a_name_before_its_lower_case_place_noun_is_spotted_alone(recognizer):
    """The gazetteer knows "X district" and "X state" as names; written with a lower-case place noun, the
    longer name is refused and the name alone is spotted (the guideline's core name)."""
    text = "Troops were sent to Kisoro district last week. The refugees fled Chin state for India."
    spotted, _ = recognizer.spotted(text, "en")
    found = {s.mention.surface: s.best.place.country_iso2 for s in spotted}
    assert found.get("Kisoro") == "UG"
    assert "Chin" in found
    assert not any(" " in name for name in found)


def _mentions(recognizer, text: str, lang: str) -> dict[str, object]:
    spotted, _ = recognizer.spotted(text, lang)
    return {s.mention.surface: s for s in spotted}


def test_a_quotation_starts_capitalised_so_its_first_word_is_in_a_weak_position(recognizer):
    text = "Военные рассказали о боях под Донецком. Командир сказал: «Южный фланг держится»."
    found = _mentions(recognizer, text, "ru")
    assert found["Южный"].mention.weak_position
    assert not found["Донецком"].mention.weak_position


@pytest.mark.parametrize("text, lang, name, expected", [
    ("Вчора в лікарні померла медсестра Вікторія Гнатюк, повідомили в поліції міста.", "uk", "Вікторія", True),
    ("Ayer habló el ministro ucraniano Volodimir Bondarenko sobre la guerra en el país.", "es", "Volodimir", True),
    ("Shelling hit Kharkiv overnight and the Kharkiv region on Friday.", "en", "Kharkiv", False),
])
def test_a_name_before_an_unknown_capitalised_word_is_marked(recognizer, text, lang, name, expected):
    """A first name before a surname: the next word is capitalised, no place and no everyday word."""
    assert _mentions(recognizer, text, lang)[name].mention.before_unknown_name is expected


def test_words_in_capitals_among_words_in_capitals_are_shouted_a_dateline_is_not(recognizer):
    text = ("Haber ajansı açıklama yaptı.\n\nBARIŞ GÖRÜŞMELERİ ANKARA'DA BAŞLADI\n\n"
            "Görüşmeler sabah saatlerinde başladı.")
    assert _mentions(recognizer, text, "tr")["BARIŞ"].mention.shouted
    text = "KYIV, March 3 — Drones struck the city overnight, officials said."
    assert not _mentions(recognizer, text, "en")["KYIV"].mention.shouted


@pytest.mark.parametrize("feature", ["shouted_zipf", "before_unknown_name"])
def test_the_shipped_filter_doubts_what_these_features_flag(feature):
    """Each of these features lowers the fitted filter's belief that the words are a place."""
    from geo.learned import load_model

    model = load_model("toponym_span")
    assert model.weights[0][SPAN_FEATURES.index(feature)] < 0


def test_the_shipped_filter_doubts_an_everyday_cyrillic_word_at_least_as_much_as_a_latin_one():
    """A Cyrillic single word's frequency weighs ``zipf`` plus ``zipf_cyrillic``: no less doubt than a Latin
    word's ``zipf`` alone (within fitting noise: since big cities no longer read as namesake hamlets, the
    Latin weight carries nearly all of it)."""
    from geo.learned import load_model

    weights = load_model("toponym_span").weights[0]
    zipf, cyrillic = weights[SPAN_FEATURES.index("zipf")], weights[SPAN_FEATURES.index("zipf_cyrillic")]
    assert zipf + cyrillic < 0
    assert cyrillic < 0.1


@pytest.mark.parametrize("text, name, country", [
    ("Aid trucks reached the camps near Cox's Bazar on Tuesday.", "Cox's Bazar", "BD"),
    ("The Democratic People's Republic of Korea tested a rocket.", "Democratic People's Republic of Korea", "KP"),
    ("Envoys of the People's Republic of China arrived late.", "People's Republic of China", "CN"),
])
def test_a_name_with_a_possessive_inside_is_spotted_whole(recognizer, text, name, country):
    """The tokenizer leaves an English possessive out of its words; a name written with one stays one name."""
    found = _mentions(recognizer, text, "en")
    assert found[name].best.place.country_iso2 == country
    assert "Republic of Korea" not in found


def test_a_possessive_between_two_names_still_parts_them(recognizer):
    found = _mentions(recognizer, "Britain's envoy met Turkey's minister in Ankara's old town.", "en")
    assert {"Britain", "Turkey", "Ankara"} <= set(found)


@pytest.mark.parametrize("text, inner, outer", [
    ("A New Mexico GOP lawmaker filed the bill.", "Mexico", "New Mexico"),
    ("The New Jersey Lottery sold the winning ticket.", "Jersey", "New Jersey"),
])
def test_a_name_inside_a_longer_spotted_name_is_objected_to(recognizer, text, inner, outer):
    found = _mentions(recognizer, text, "en")
    assert "inside_name" in found[inner].mention.objections
    assert "inside_name" not in found[outer].mention.objections


def test_the_shipped_filter_keeps_the_longer_name_around_a_nested_one(recognizer):
    toponyms = recognizer.toponyms("A New Mexico GOP lawmaker filed the bill.", "en")
    assert [(t.mention, t.place.kind) for t in toponyms] == [("New Mexico", "admin1")]


@pytest.mark.parametrize("text, name, expected", [
    ("She moved to Thornbury after the war.", "Thornbury", True),
    ("The lorry came from Gloucester at dawn.", "Gloucester", True),
    ("Officials in Gloucester closed the road.", "Gloucester", False),
])
def test_a_name_after_to_or_from_is_on_a_path(recognizer, text, name, expected):
    assert _mentions(recognizer, text, "en")[name].mention.after_path is expected


def test_the_shipped_filter_trusts_a_name_on_a_path(recognizer):
    """A name after "to" is a place the more: by its own word and by its reading being located in the document."""
    from geo.learned import load_model

    model = load_model("toponym_span")
    row = _mentions(recognizer, "She moved to Thornbury after the war.", "en")["Thornbury"].row
    assert row[SPAN_FEATURES.index("located")] == 1.0
    without = list(row)
    without[SPAN_FEATURES.index("after_path")] = without[SPAN_FEATURES.index("located")] = 0.0
    assert model.scores([row])[0] > model.scores([without])[0]


def test_a_state_abbreviation_with_its_period_is_no_everyday_word(recognizer):
    """"La." after a town and a comma is Louisiana, though "La" is an everyday word in other languages."""
    found = _mentions(recognizer, "A boy drowned at his home in Slidell, La. on Monday.", "en")
    assert "common_cased" not in found["La."].mention.objections
    assert found["La."].best.place.name == "Louisiana"


def _neighbourhoods(recognizer, text: str) -> dict[str, list]:
    """The span-filter rows of each spotted surface, in text order."""
    spotted, _ = recognizer.spotted(text, "en")
    found: dict[str, list] = {}
    for s in spotted:
        found.setdefault(s.mention.surface, []).append(s.row)
    return found


def test_a_town_placed_once_by_its_words_is_located_in_every_mention(recognizer):
    """One sense per document: "in Thornbury" places every other "Thornbury" of the text too."""
    text = "Thornbury council met on Monday. Floods hit homes in Thornbury overnight. Thornbury schools shut."
    located = SPAN_FEATURES.index("located")
    assert [row[located] for row in _neighbourhoods(recognizer, text)["Thornbury"]] == [1.0, 1.0, 1.0]
    text = "Thornbury council met on Monday. Thornbury schools shut."
    assert [row[located] for row in _neighbourhoods(recognizer, text)["Thornbury"]] == [0.0, 0.0]


def test_the_shipped_filter_trusts_a_located_name():
    from geo.learned import load_model

    assert load_model("toponym_span").weights[0][SPAN_FEATURES.index("located")] > 0


@pytest.mark.parametrize("text, name", [
    ("Troopers in Maryland said the road was shut.", "Maryland"),
    ("Storms crossed Oklahoma overnight.", "Oklahoma"),
])
def test_a_state_name_is_weighed_as_the_state_not_a_town_known_by_it_as_an_alternate(recognizer, text, name):
    """The formula reads "Maryland" first as Maryland City, whose alternate name it is; the span filter weighs the
    state of that exact name, so a state is not doubted as a small town."""
    found = _mentions(recognizer, text, "en")[name]
    assert found.best.place.kind == "city" and found.best.method == "alternate"
    assert found.row[SPAN_FEATURES.index("kind_admin1")] == 1.0
    assert found.row[SPAN_FEATURES.index("kind_city")] == 0.0


def test_a_town_of_its_own_exact_name_keeps_its_kind(recognizer):
    found = _mentions(recognizer, "Fighting went on near Kharkiv on Monday.", "en")["Kharkiv"]
    assert found.row[SPAN_FEATURES.index("kind_city")] == 1.0


@pytest.mark.parametrize("text, name, objected", [
    ("اندلعت اشتباكات عنيفة جنوب شرق المدينة مساء أمس", "جنوب شرق", True),  # a direction: two everyday words
    ("وصل الوفد إلى جنوب السودان صباح اليوم", "جنوب السودان", False),
])
def test_an_arabic_name_made_only_of_everyday_words_is_objected(recognizer, text, name, objected):
    spotted, _ = recognizer.spotted(text, "ar")
    found = {s.mention.surface: s.mention.objections for s in spotted}
    assert ("common_script_word" in found[name]) is objected


@pytest.mark.parametrize("text, lang, name, expected", [
    ("Two ships were hit off the Port of Aden overnight.", "en", "Aden", True),  # "Gulf of Aden" is a sea now
    ("Un bus a sauté près de Saut d'Eau hier soir.", "fr", "Eau", True),
    ("Aden was calm on Sunday.", "en", "Aden", False),
    ("Les réfugiés venaient d'Alep.", "fr", "Alep", False),  # an elided preposition after a lower-case word
])
def test_a_capitalised_word_and_of_before_a_name_is_marked(recognizer, text, lang, name, expected):
    spotted, _ = recognizer.spotted(text, lang)
    assert {s.mention.surface: s.mention.after_name_of for s in spotted}[name] is expected


@pytest.mark.parametrize("text, name, facility", [
    ("The boy was taken to Leeds General Hospital on Friday.", "Leeds", True),
    ("She teaches at Ohio State University in the spring.", "Ohio", True),
    ("The shop on Bristol Street was closed.", "Bristol", True),
    ("The Oslo News Agency printed the letter.", "Oslo", False),  # an organisation, no site
    ("Talks ended in Leeds on Friday.", "Leeds", False),
])
def test_a_name_before_a_building_or_site_word_is_a_facility(recognizer, text, name, facility):
    """A building or site word closing the name ("Hospital", "University", "Street") names that site, not its
    town: the objection "facility" beside "org"; an organisation word ("Agency") gives "org" alone."""
    objections = _mentions(recognizer, text, "en")[name].mention.objections
    assert ("facility" in objections) is facility
    assert ("org" in objections) is (facility or "Agency" in text)


def test_the_shipped_filter_doubts_a_name_before_a_site_word(recognizer):
    from geo.learned import load_model

    model = load_model("toponym_span")
    row = _mentions(recognizer, "The boy was taken to Leeds General Hospital on Friday.", "en")["Leeds"].row
    without = list(row)
    without[SPAN_FEATURES.index("objection_facility")] = 0.0
    assert model.scores([row])[0] < model.scores([without])[0]
