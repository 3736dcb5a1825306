"""Inflected place names: Ukrainian and Russian case endings, Turkish suffixes after an apostrophe,
Arabic generic heads, by the ``[inflection]`` tables of the language packs.  The span is the name
as written (Харкові, Сумщину), the adjective alone for a region (Курской [области]), the name
without its suffix in Turkish (Kiev'i: Kiev); English possessives and French elisions stay as
they were.  Our own sentences, real place names."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import InputError
from geo.recognize import Inflection

KYIV, KHARKIV, KHANKENDI = 703448, 706483, 146970


@pytest.fixture(scope="module")
def recognizer(gazetteer):
    from geo.recognize import Recognizer

    return Recognizer(gazetteer)


def _found(recognizer, text: str, lang: str) -> dict[str, object]:
    """Mention as written -> resolved place; every span is the text's own slice."""
    toponyms = recognizer.toponyms(text, lang)
    assert all(text[t.start:t.end] == t.mention for t in toponyms)
    return {t.mention: t.place for t in toponyms}


# ---------------------------------------------------------------- the rules alone

def test_the_packs_give_dictionary_forms():
    inflection = Inflection.load()
    for word, lang, lemma in (("Харкові", "uk", "Харків"), ("Києва", "uk", "Київ"), ("Одещину", "uk", "Одеська область"),
                              ("Херсонської", "uk", "Херсонська область"), ("Андріївці", "uk", "Андріївка"),
                              ("Степанакерте", "ru", "Степанакерт"), ("Курской", "ru", "Курская область"),
                              ("моря", "ru", "море"), ("морю", "ru", "море"), ("Чорному", "uk", "Чорне"),
                              ("морі", "uk", "море")):
        assert lemma in {form for form, _ in inflection.lemmas(word, lang)}, (word, lemma)
    assert inflection.lemmas("Paris", "en") == ()  # no Latin endings


def test_an_adjective_takes_more_forms_before_its_noun():
    """Красном is Красное only before a noun (Красном море); alone, a -ском word is more often a district."""
    inflection = Inflection.load()
    for word, lang, lemma in (("Красном", "ru", "Красное"), ("Азовского", "ru", "Азовское"),
                              ("Каспийским", "ru", "Каспийское"), ("Персидском", "ru", "Персидский"),
                              ("Чорним", "uk", "Чорне")):
        assert lemma in {form for form, _ in inflection.lemmas(word, lang, first=True)}, (word, lemma)
        assert lemma not in {form for form, _ in inflection.lemmas(word, lang)}, (word, lemma)


def test_a_units_adjective_gives_its_seat():
    """Ізюмський [район] -> Ізюм: the seats an adjective may be formed from, tried before a unit word only."""
    inflection = Inflection.load()
    for word, lang, seat in (("Ізюмський", "uk", "Ізюм"), ("Балаклійську", "uk", "Балаклія"),
                             ("Краснопільській", "uk", "Краснопілля"), ("Марганецькій", "uk", "Марганець"),
                             ("Шосткинському", "uk", "Шостка"), ("Глушковском", "ru", "Глушково"),
                             ("Суджанский", "ru", "Суджа"), ("Шебекинского", "ru", "Шебекино")):
        assert seat in {form for form, _ in inflection.seats(word, lang)}, (word, seat)
    assert inflection.seats("Paris", "en") == ()


@pytest.mark.parametrize(("text", "lang", "mention", "name"), [
    ("Дрони атакували Балаклійську громаду.", "uk", "Балаклійську", "Balakliya"),
    ("Снаряд упал в Суджанском районе.", "ru", "Суджанском", "Sudzha"),
])
def test_a_units_adjective_before_its_unit_word_is_its_seat(recognizer, text, lang, mention, name):
    assert _found(recognizer, text, lang)[mention].name == name


def test_a_district_of_a_town_named_otherwise_is_no_seat(recognizer):
    """Куйбышевском районе Донецка is a district of Donetsk, not of Samara (once Kuibyshev)."""
    assert set(_found(recognizer, "В Куйбышевском районе Донецка погиб мужчина.", "ru")) == {"Донецка"}


def test_a_district_named_as_a_towns_is_that_district_further_on(recognizer):
    """One sense per document: once "Кировском районе Макеевки", a later "в Кировском районе" is that district again,
    no district at Kirov."""
    alone = _found(recognizer, "Снаряд упал в Кировском районе.", "ru")
    assert alone["Кировском"].country_iso2 == "RU"  # read alone: the seat, Kirov
    text = "В Кировском районе Макеевки погиб мужчина. Позже снаряд снова упал в Кировском районе."
    assert set(_found(recognizer, text, "ru")) == {"Макеевки"}


@pytest.mark.parametrize(("word", "lang", "cut"), [
    ("Kiev'e", "tr", 2), ("Suriye'nin", "tr", 4), ("Irak’ın", "tr", 3), ("İSTANBUL'DA", "tr", 3),
    ("Kiev'e", None, 2),  # a text of unknown language: any pack's marks
    ("Baha’i", "en", 0),  # English has no suffixes after an apostrophe
    ("kiev'e", "tr", 0),  # only after a name
    ("İstanbul'Da", "tr", 0), ("Ankara'nınkilerden", "tr", 0),  # no suffix: mixed case, too long
])
def test_turkish_suffix_split(word: str, lang: str | None, cut: int):
    assert Inflection.load().split_suffix(word, lang) == cut


def test_a_broken_table_names_the_file(tmp_path: Path):
    pack = tmp_path / "xx.toml"
    pack.write_text('code = "xx"\n\n[inflection]\nendings = [["ові"]]\n', encoding="utf-8")
    with pytest.raises(InputError, match="xx.toml"):
        Inflection.load([pack])
    pack.write_text('code = "xx"\n\n[inflection]\nsuffixes = ["-"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'suffixes'"):
        Inflection.load([pack])


# ---------------------------------------------------------------- Ukrainian

@pytest.mark.parametrize(("text", "expected"), [
    ("Увечері в Харкові та Одесі знову лунали вибухи.", {"Харкові", "Одесі"}),
    ("Окупанти вдарили по Херсону, а дрони атакували передмістя Харкова.", {"Херсону", "Харкова"}),
    ("Делегація прибула до Києва, а потім міністр вирушив до Львова.", {"Києва", "Львова"}),
    ("Переговори між Україною та Польщею тривали дві години.", {"Україною", "Польщею"}),
    ("Ворожі дрони знову атакували Сумщину та Нікопольщину.", {"Сумщину", "Нікопольщину"}),
    ("Уночі в Запоріжжі пошкоджено кілька будинків.", {"Запоріжжі"}),
])
def test_ukrainian_case_forms(recognizer, text: str, expected: set[str]):
    assert expected <= set(_found(recognizer, text, "uk"))


def test_ukrainian_forms_resolve_to_the_city(recognizer):
    found = _found(recognizer, "Зустріч відбулася в Києві, а не в Харкові.", "uk")
    assert found["Києві"].geonameid == KYIV and found["Харкові"].geonameid == KHARKIV


def test_an_oblast_adjective_is_the_span_and_the_oblast_the_place(recognizer):
    text = "У Запорізькій області пошкоджено лінії електропередач, повідомив голова Херсонської ОВА."
    found = _found(recognizer, text, "uk")
    assert {"Запорізькій", "Херсонської"} <= set(found)
    assert not any("області" in mention for mention in found)
    assert found["Запорізькій"].kind == "admin1" and found["Херсонської"].kind == "admin1"


# ---------------------------------------------------------------- Russian (regression)

@pytest.mark.parametrize(("text", "expected"), [
    ("Вечером в Степанакерте снова звучали сирены.", {"Степанакерте"}),
    ("Президент Украины Владимир Зеленский прибыл в Харьков.", {"Украины", "Харьков"}),
    ("Губернатор Курской области сообщил о повреждении линии электропередачи.", {"Курской"}),
    ("В Минобороны Армении заявили, что обстрел продолжался всю ночь.", {"Армении"}),
])
def test_russian_case_forms(recognizer, text: str, expected: set[str]):
    found = _found(recognizer, text, "ru")
    assert expected <= set(found), found
    if "Степанакерте" in found:
        assert found["Степанакерте"].geonameid == KHANKENDI


def test_a_first_name_in_the_instrumental_is_no_place(recognizer):
    found = _found(recognizer, "Министр встретился с Дональдом Трампом в Вашингтоне.", "ru")
    assert "Дональдом" not in found


# ---------------------------------------------------------------- Turkish

@pytest.mark.parametrize(("text", "expected"), [
    ("Rus ordusu gece boyunca Harkiv'i ve Odessa'yı vurdu.", {"Harkiv", "Odessa"}),
    ("Bakan, İstanbul'da yapılan görüşmenin ardından Ankara'ya döndü.", {"İstanbul", "Ankara"}),
    ("Heyet, Suriye'nin başkenti Şam'a bir ziyaret gerçekleştirdi.", {"Suriye", "Şam"}),
    ("Patlama Irak’ın kuzeyindeki bir köyde meydana geldi.", {"Irak"}),
    ("Ukrayna'nın Kiev kentinde sirenler çaldı.", {"Ukrayna", "Kiev"}),
    ("Dün akşam Suriye Cumhurbaşkanı ile bir görüşme yapıldı.", {"Suriye"}),
])
def test_turkish_suffixes_stay_outside_the_span(recognizer, text: str, expected: set[str]):
    found = _found(recognizer, text, "tr")
    assert expected <= set(found), found
    assert not any("'" in mention or "’" in mention for mention in found)


# ---------------------------------------------------------------- Arabic

def test_a_generic_head_stays_outside_the_arabic_span(recognizer):
    found = _found(recognizer, "اندلعت اشتباكات عنيفة في محافظة السويداء مساء السبت.", "ar")
    assert "السويداء" in found and "محافظة السويداء" not in found


def test_a_compound_name_written_joined_is_split_after_its_pack_head():
    inflection = Inflection.load()
    assert inflection.unfused("امدرمان") == ["ام درمان"]
    assert inflection.unfused("ام") == [] and inflection.unfused("امس") == []  # no second word of 3 letters


def test_a_joined_compound_name_is_spotted_without_its_clitic(recognizer):
    text = "وصل الوفد إلى الخرطوم ثم زار وامدرمان صباح اليوم."
    spotted, _ = recognizer.spotted(text, "ar")
    found = {text[s.mention.start:s.mention.end]: s.best.place for s in spotted}
    assert found["امدرمان"].name == "Omdurman"


# ---------------------------------------------------------------- English and French unchanged

def test_english_possessives_and_french_elisions_are_unchanged(recognizer):
    found = _found(recognizer, "Ukraine's foreign minister spoke after talks in Kyiv’s city hall.", "en")
    assert {"Ukraine", "Kyiv"} <= set(found) and not any("'" in m or "’" in m for m in found)
    found = _found(recognizer, "Les frappes ont visé l'Ukraine et la région d'Odessa.", "fr")
    assert {"Ukraine", "Odessa"} <= set(found)
    found = _found(recognizer, "Members of the Baha’i community met in Haifa on Sunday.", "en")
    assert "Baha" not in found and "Haifa" in found


def test_a_name_with_an_elided_de_is_one_name(recognizer):
    """The tokenizer keeps the elided "d'" outside the word; a name spans it (Côte d'Ivoire, not Côte)."""
    found = _found(recognizer, "Des casques bleus ont quitté la Côte d'Ivoire pour le Mali.", "fr")
    assert set(found) == {"Côte d'Ivoire", "Mali"} and found["Côte d'Ivoire"].country_iso2 == "CI"


def test_an_n_apostrophe_before_a_capital_is_part_of_the_name(recognizer):
    """N'Djamena, Fada N’Gourma: not the negation's elided "n'" (which "n'est" keeps out of the word)."""
    found = _found(recognizer, "Le car avait quitté Kantchari pour Fada N’Gourma ; ce n'est pas N'Djamena.", "fr")
    assert {"Fada N’Gourma", "N'Djamena"} <= set(found) and "Gourma" not in found
    assert found["N'Djamena"].country_iso2 == "TD"


def test_word_frequencies_in_a_language_wordfreq_lacks_cost_one_lookup(monkeypatch):
    """wordfreq scans its data folder on every call for a language it has no list for; we ask it once."""
    import wordfreq

    from geo import recognize

    calls = []
    real = wordfreq.get_frequency_list

    def counting(lang, *args, **kwargs):
        calls.append(lang)
        return real(lang, *args, **kwargs)

    monkeypatch.setattr(wordfreq, "get_frequency_list", counting)
    recognize._zipf.cache_clear()
    assert [recognize._zipf(w, "xx", "latin") for w in ("Alpha", "Beta", "Gamma")] == [0.0, 0.0, 0.0]
    assert calls == ["xx"]


def test_turkish_capital_i_lowers_to_dotless_i():
    from geo.recognize import _zipf

    assert _zipf("BARIŞ", "tr", "latin") == _zipf("barış", "tr", "latin") > 4


def test_a_region_noun_names_the_land_around_its_town(recognizer):
    """Сумщина is the Sumy oblast and Нікопольщина the land around Nikopol (no oblast bears its name):
    never the town itself, which keeps its own name (Сумах)."""
    found = _found(recognizer, "Ворог атакував Сумщину дронами, а вночі обстріляв Нікопольщину. У Сумах "
                               "пролунали вибухи.", "uk")
    oblast, district, town = found["Сумщину"], found["Нікопольщину"], found["Сумах"]
    assert (oblast.kind, oblast.name, oblast.geo_precision) == ("admin1", "Sumy", 2)
    assert (district.kind, district.name, district.geo_precision) == ("district", "Nikopol", 2)
    assert (town.kind, town.name) == ("city", "Sumy")


@pytest.mark.parametrize(("text", "lang", "kept"), [
    ("Поезд из Харькова прибыл на Киевский вокзал.", "ru", {"Харькова"}),
    ("Потяг із Харкова прибув на Київський вокзал.", "uk", {"Харкова"}),
    ("Вибух пролунав у Васильківському районі.", "uk", {"Васильківському"}),
])
def test_an_adjective_before_a_building_noun_names_the_building(recognizer, text, lang, kept):
    """"Киевский вокзал" (the Kyiv station of Moscow), "Київський вокзал": no town;
    before a district word the adjective still gives its seat."""
    assert set(_found(recognizer, text, lang)) == kept


def test_a_region_word_that_says_in_makes_the_name_before_it_the_container(recognizer):
    """"Krasnodar bölgesindeki Tuapse" is Tuapse in the Krasnodar region: Krasnodar stays, never a district of it."""
    found = _found(recognizer, "Dronlar gece Krasnodar bölgesindeki Tuapse limanını vurdu.", "tr")
    assert "Krasnodar" in found


@pytest.mark.parametrize(("text", "beside"), [
    ("Halep, İdlib ve Hama bölgelerindeki mevziler vuruldu.", True),
    ("Kharkiv and Sumy regions were shelled overnight.", True),
    ("Kharkiv and Sumy said nothing of it.", False),
])
def test_a_place_noun_closing_a_list_stands_beside_its_first_name(text, beside):
    from geo.lexicon import load_lexicon
    from geo.recognize import _beside_place_noun
    from geo.text import tokenize

    assert _beside_place_noun(load_lexicon(), tokenize(text), 0, 1) is beside


@pytest.mark.parametrize(("text", "name", "beside"), [
    ("Les départements du Nord et de l’Artibonite ont été touchés.", "Artibonite", True),
    ("Shelling hit the provinces of Hama, Homs and Idlib.", "Idlib", True),
    ("The governors of Hama and Idlib met on Monday.", "Idlib", False),
    ("Ministers from Hama and Idlib met on Monday.", "Idlib", False),
])
def test_a_place_noun_opening_a_list_stands_beside_its_last_name(text, name, beside):
    """"the provinces of Hama, Homs and Idlib": the plural place noun before the list names each of its names."""
    from geo.lexicon import load_lexicon
    from geo.recognize import _beside_place_noun
    from geo.text import tokenize

    tokens = tokenize(text)
    i = next(k for k, t in enumerate(tokens) if t.text == name)
    assert _beside_place_noun(load_lexicon(), tokens, i, 1) is beside
