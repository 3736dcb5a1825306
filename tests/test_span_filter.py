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


@pytest.mark.parametrize("text, name, objected", [
    ("اندلعت اشتباكات عنيفة جنوب شرق المدينة مساء أمس", "جنوب شرق", True),  # a direction: two everyday words
    ("وصل الوفد إلى جنوب السودان صباح اليوم", "جنوب السودان", False),
])
def test_an_arabic_name_made_only_of_everyday_words_is_objected(recognizer, text, name, objected):
    spotted, _ = recognizer.spotted(text, "ar")
    found = {s.mention.surface: s.mention.objections for s in spotted}
    assert ("common_script_word" in found[name]) is objected


@pytest.mark.parametrize("text, lang, name, expected", [
    ("Two ships were hit in the Gulf of Aden overnight.", "en", "Aden", True),
    ("Un bus a sauté près de Saut d'Eau hier soir.", "fr", "Eau", True),
    ("Aden was calm on Sunday.", "en", "Aden", False),
    ("Les réfugiés venaient d'Alep.", "fr", "Alep", False),  # an elided preposition after a lower-case word
])
def test_a_capitalised_word_and_of_before_a_name_is_marked(recognizer, text, lang, name, expected):
    spotted, _ = recognizer.spotted(text, lang)
    assert {s.mention.surface: s.mention.after_name_of for s in spotted}[name] is expected
