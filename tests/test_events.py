"""Event detection on dispatches we wrote: where, what, who, how many, and what is no event."""

from __future__ import annotations

import pytest

from geo.event_typing import TYPE_FEATURES, evidenced_types, is_generic, type_features
from geo.placement import FEATURES, candidates
from geo.recognize import DOUBTFUL
from geo.lexicon import load_lexicon
from geo.model import Article
from geo.text import sentences, tokenize
from geo.triggers import TriggerIndex


@pytest.fixture(scope="module")
def pipeline(gazetteer):
    from geo.pipeline import Pipeline

    return Pipeline(gazetteer)


def _events(pipeline, text: str, lang: str = "en", published: str | None = "2025-03-04"):
    return pipeline.process(Article("t", text, lang=lang, published=published)).events


def _where(events) -> set[tuple[str, str]]:
    return {(e.event_type, e.place_mention) for e in events}


def test_shelling_with_its_toll(pipeline):
    events = _events(pipeline, "Artillery shells hit the town of Nikopol on Tuesday, killing two civilians "
                               "and wounding five others.")
    assert ("shelling", "Nikopol") in _where(events)
    event = next(e for e in events if e.place.name == "Nikopol")
    assert (event.fatalities, event.injured) == (2, 5)
    assert event.date == "2025-03-04"


def test_the_dateline_and_the_speaker_are_no_event_places(pipeline):
    events = _events(pipeline, "KYIV, March 3 — Russian drones attacked the port of Izmail overnight, "
                               "officials in Odesa said.")
    assert _where(events) == {("airstrike", "Izmail")}
    assert events[0].actors == ("RU",)


@pytest.mark.parametrize("text, lang", [
    ("Fighting continues near Pokrovsk, said the General Staff.", "en"),
    ("Бои идут под Покровском, сообщили в Минобороны.", "ru"),
    ("Бої тривають поблизу Покровська, повідомили у Генштабі.", "uk"),
])
def test_a_speech_verb_after_a_comma_attributes_the_report(pipeline, text, lang):
    """"Baku said" makes Baku a speaker; "..., said the General Staff" only says who reports the fighting."""
    assert [(e.event_type, e.place.name) for e in _events(pipeline, text, lang)] == [("clash", "Pokrovsk")]


@pytest.mark.parametrize("text, lang, place", [
    ("Russia's drone attack on Sumy wounded three civilians.", "en", "Sumy"),
    ("Rusya'nın Sumi kentine düzenlediği insansız hava aracı saldırısında 3 sivil yaralandı.", "tr", "Sumi"),
])
def test_a_country_marked_as_possessor_is_the_actor_not_the_place(pipeline, text, lang, place):
    assert {m for _, m in _where(_events(pipeline, text, lang))} == {place}


def test_a_region_is_the_admin1_unit(pipeline):
    events = _events(pipeline, "Heavy fighting continued in the Donetsk region on Friday.")
    assert [(e.event_type, e.place.kind, e.place.geo_precision) for e in events] == [("clash", "admin1", 2)]


@pytest.mark.parametrize("text, lang", [
    ("Russian shelling hit Pokrovsk, Donetsk region, killing two people.", "en"),
    ("Ракети влучили у Нікополь Дніпропетровської області, загинули двоє людей.", "uk"),
])
def test_a_town_before_its_region_stays_a_town(pipeline, text, lang):
    events = _events(pipeline, text, lang)
    assert [(e.place.kind, e.place.geo_precision) for e in events] == [("city", 1)]


@pytest.mark.parametrize("text, lang, town", [
    ("A Russian missile hit the Kyivskyi district of Kharkiv, injuring three people.", "en", "Kharkiv"),
    ("В результате обстрела Киевского района Донецка погибли два человека.", "ru", "Донецка"),
    ("Внаслідок обстрілу Шевченківського району Харкова поранено трьох людей.", "uk", "Харкова"),
])
def test_a_district_named_before_its_town_is_in_the_town(pipeline, text, lang, town):
    """The district's name alone reads a namesake far away; the event is in the town, no region of it."""
    events = _events(pipeline, text, lang)
    assert [(e.place_mention, e.place.kind) for e in events] == [(town, "city")]


@pytest.mark.parametrize("text, lang, seats", [
    ("Ворог атакував дронами Ізюмський район, пошкоджено будинки.", "uk", {"Ізюмський"}),
    ("Окупанти обстріляли Краснопільську та Білопільську громади.", "uk", {"Краснопільську", "Білопільську"}),
    ("У Харківському районі внаслідок удару КАБом пошкоджено школу.", "uk", {"Харківському"}),
    ("ВСУ обстреляли Глушковский и Суджанский районы.", "ru", {"Глушковский", "Суджанский"}),
    ("Ворог атакував Юнаківську сільську громаду та Білопільську міську громаду.", "uk",
     {"Юнаківську", "Білопільську"}),
    ("ВСУ обстреляли Кореневский муниципальный округ.", "ru", {"Кореневский"}),
    ("Artillery shelled the Izium district overnight.", "en", {"Izium"}),
])
def test_a_unit_named_after_its_seat_is_a_district_at_the_seat(pipeline, text, lang, seats):
    """A raion or hromada (its adjective: Ізюмський, Краснопільську) is a district at its town, of precision 2,
    never the admin-1 unit a seat of one names (Харківському районі is no Kharkiv oblast)."""
    events = _events(pipeline, text, lang)
    assert {e.place_mention for e in events} == seats
    assert {(e.place.kind, e.place.geo_precision) for e in events} == {("district", 2)}


@pytest.mark.parametrize("text, lang, expected", [
    ("Israeli drones and artillery pounded the outskirts of Rafah on Monday.", "en",
     {("airstrike", "Rafah"), ("shelling", "Rafah")}),
    ("Вранці ворог атакував Херсон дронами та артилерією.", "uk", {("airstrike", "Херсон"), ("shelling", "Херсон")}),
    # the fire is told in the sentence before: "гатив" (pounded) names none
    ("Ворог знову бив по Бериславщині з дронів і артилерії.\nГатив і по самому Херсону.", "uk",
     {("airstrike", "Бериславщині"), ("shelling", "Бериславщині"), ("airstrike", "Херсону"), ("shelling", "Херсону")}),
    # one kind of fire: one event
    ("Russian artillery shelled Kherson and Beryslav overnight.", "en", {("shelling", "Kherson"), ("shelling", "Beryslav")}),
])
def test_two_kinds_of_fire_listed_side_by_side_are_two_events(pipeline, text, lang, expected):
    assert _where(_events(pipeline, text, lang)) == expected


def test_a_borrowed_place_that_only_locates_another_gives_no_event(pipeline):
    """The sentence before says where Khan Younis is ("a town in southern Gaza"): the strikes are in Khan Younis."""
    events = _events(pipeline, "Families fled Khan Younis, a town in southern Gaza, before dawn.\n"
                               "Israeli airstrikes hit homes near its main hospital on Tuesday.")
    assert _where(events) == {("airstrike", "Khan Younis")}


@pytest.mark.parametrize("text, lang, town", [
    ("Gunmen attacked a checkpoint on the Kharkiv highway near Chuhuiv on Monday.", "en", "Chuhuiv"),
    ("هاجم مسلحون حاجزا أمنيا على طريق دمشق قرب مدينة السويداء.", "ar", "السويداء"),
    ("A missile hit a Kyiv street on Monday, killing two people.", "en", "Kyiv"),  # a street in the town
])
def test_a_town_a_road_is_named_after_is_no_place_of_the_event(pipeline, text, lang, town):
    """"the Kharkiv highway", "طريق دمشق" name a road: the event is at the town it passes."""
    assert {e.place_mention for e in _events(pipeline, text, lang)} == {town}


def test_a_sentence_borrowing_a_unit_named_after_its_seat_keeps_the_district(pipeline):
    """The adjective never names the town: the next sentence's drones hit the district, not Beryslav itself."""
    events = _events(pipeline, "Увечері росіяни обстріляли Бериславський район.\nТуди ворог скерував шість "
                               "ударних дронів.", "uk")
    assert events and {(e.place_mention, e.place.kind) for e in events} == {("Бериславський", "district")}


def test_an_oblast_administration_names_its_oblast():
    """"голова Дніпропетровської ОВА": the oblast's military administration, so the adjective is the oblast (its
    region word), never a district of the seat and never the seat itself."""
    from geo.events import _region_word
    from geo.model import Toponym
    from gazetteer.place import Place

    lexicon = load_lexicon()
    text = "повідомив голова Дніпропетровської ОВА"
    start = text.index("Дніпропетровської")
    toponym = Toponym(start, start + len("Дніпропетровської"), "Дніпропетровської",
                      Place("Dnipro", 48.47, 35.04, "city", "UA"), 0.9, "exact")
    word = _region_word(lexicon, tokenize(text), toponym)
    assert word == "ОВА" and not lexicon.is_word("district", word)
    written_out = "за словами голови Дніпропетровської обласної адміністрації"  # the same, written out
    start = written_out.index("Дніпропетровської")
    toponym = Toponym(start, start + len("Дніпропетровської"), "Дніпропетровської", toponym.place, 0.9, "exact")
    assert _region_word(lexicon, tokenize(written_out), toponym) == "обласної"


@pytest.mark.parametrize("text, lang, regions", [
    ("Russian forces shelled the Kharkiv and Sumy regions overnight.", "en", {"Kharkiv", "Sumy"}),
    # the seat's old name names its oblast: Dnipro of Dnipropetrovsk oblast
    ("У Дніпропетровській області внаслідок удару дронів поранено трьох людей.", "uk", {"Dnipropetrovsk"}),
])
def test_listed_regions_are_admin1_units(pipeline, text, lang, regions):
    events = _events(pipeline, text, lang)
    assert {e.place.name for e in events} == regions
    assert {e.place.kind for e in events} == {"admin1"}


def test_a_country_twin_of_a_town_event_is_dropped(pipeline):
    events = _events(pipeline, "Israeli airstrikes hit Lebanon on Sunday.\n\n"
                               "An airstrike on the town of Nabatieh killed three people, the health ministry said.")
    assert _where(events) == {("airstrike", "Nabatieh")}
    assert events[0].fatalities == 3


@pytest.mark.parametrize("text, lang", [
    ("Gunmen killed nine villagers overnight in Tombrakou, in Mopti region, local officials said.", "en"),
    ("Des hommes armés ont tué sept civils à Tombrakou, dans la région de Mopti, selon des sources locales.", "fr"),
])
def test_a_village_the_gazetteer_lacks_sits_at_its_region_under_its_own_name(pipeline, text, lang):
    """ACLED's way: the village as named, at the point of the unit that holds it, geo_precision 2; the region
    itself gives no twin."""
    events = _events(pipeline, text, lang)
    assert [(e.event_type, e.place.name, e.place.kind, e.place.geo_precision) for e in events] == [
        ("attack", "Tombrakou", "locality", 2)]
    mopti = next(t.place for t in pipeline.process(Article("a", text, lang=lang)).toponyms if t.mention == "Mopti")
    assert (events[0].place.lat, events[0].place.lon, events[0].place.admin1_code) == (
        mopti.lat, mopti.lon, mopti.admin1_code)


def test_a_village_in_no_known_unit_and_a_group_are_no_localities(pipeline):
    """A country's centroid says nothing of where a village is; "Sabeyi fighters" are a group."""
    assert _where(_events(pipeline, "Gunmen killed nine villagers overnight in Tombrakou, Mali, officials said.")) \
        == {("attack", "Mali")}
    assert "Sabeyi" not in {e.place.name for e in _events(
        pipeline, "In Mopti region, Sabeyi fighters attacked an army post on Sunday, killing three soldiers.")}


@pytest.mark.parametrize("text, name, place", [
    ("Gunmen killed nine villagers in Tombrakou, in Mopti region.", "Tombrakou", True),
    ("Une frappe a touché la zone d'Al-Kabra, dans le sud de Gaza.", "Al-Kabra", True),  # an elision, no quote
    ("In Mopti region, Sabeyi fighters attacked an army post.", "Sabeyi", False),
    ("Shells hit the town, according to «Kalimbo», a local radio station.", "Kalimbo", False),
    ("Shells hit the town, said the regional governor Ostap Verbynko.", "Ostap Verbynko", False),
    ("Shells hit the town, said the mayor of the city, Ostap Verbynko.", "Ostap Verbynko", False),
    ("On Monday, Kalimbo, the mayor of the town, announced a curfew.", "Kalimbo", False),
])
def test_a_locality_reads_as_no_group_outlet_or_person(text, name, place):
    from geo.localities import _reads_as_place

    start = text.index(name)
    assert _reads_as_place(load_lexicon(), text, start, start + len(name)) is place


def test_a_single_town_event_takes_the_toll_of_its_dropped_twin(pipeline):
    """The country-level report tells the toll, the town-level one the place: one event with both; with two
    towns the country's figure is no town's."""
    one = _events(pipeline, "An air strike in Sudan killed twelve people on Sunday. "
                            "The strike hit a crowded market in El Obeid.")
    assert [(e.place.name, e.fatalities) for e in one] == [("El Obeid", 12)]
    two = _events(pipeline, "Drone strikes across Sudan killed twelve people on Sunday, officials said. "
                            "One strike hit a crowded market in El Obeid, another a fuel depot in Kosti.")
    assert {e.place.name for e in two} == {"El Obeid", "Kosti"}
    assert all(e.fatalities is None for e in two)


@pytest.mark.parametrize("text, lang, destination", [
    ("The President of France arrived in Beijing for a state visit.", "en", "Beijing"),
    ("Глава МИД Украины прибыл в Варшаву с визитом.", "ru", "Варшаву"),
])
def test_a_visit_goes_to_its_destination_not_to_the_visitors_country(pipeline, text, lang, destination):
    assert _where(_events(pipeline, text, lang)) == {("visit", destination)}


def test_a_visit_to_listed_places_goes_to_each(pipeline):
    assert _where(_events(pipeline, "The envoy arrived in Qatar and Egypt on Monday.")) == {
        ("visit", "Qatar"), ("visit", "Egypt")}


def test_planned_events_are_no_events(pipeline):
    assert _events(pipeline, "The two foreign ministers will meet in Geneva next week.") == []


def test_a_visit_is_at_its_destination_with_the_visitor_as_actor(pipeline):
    events = _events(pipeline, "The Turkish foreign minister arrived in Baghdad on Monday for a two-day visit.")
    assert ("visit", "Baghdad") in _where(events)
    assert next(e for e in events if e.event_type == "visit").actors == ("TR",)


@pytest.mark.parametrize("text", [
    "The singer suffered a heart attack in Boston and was taken to hospital.",
    "Food prices rocketed in Cairo after the currency was devalued.",
    "Shell said on Thursday that profits rose in Houston.",
    "The suspect was held in custody in Leeds pending a hearing.",
    "Tired fans left the stadium in Tirana after the match.",
])
def test_everyday_words_fire_no_trigger(pipeline, text):
    assert _events(pipeline, text) == []


def test_a_possessive_makes_a_country_an_actor_but_not_a_city(pipeline):
    events = _events(pipeline, "Warplanes struck Lebanon's Tyre on Monday, killing five people.")
    assert {(e.event_type, e.place_mention) for e in events} == {("airstrike", "Tyre")}
    events = _events(pipeline, "A guided bomb hit Odesa's Kyivskyi district on Monday, killing two people.")
    # "Kyivskyi" after "Odesa's" is a part of Odesa: the gazetteer's only Kyivskyi (a district of Donetsk) is none
    assert [(e.place_mention, e.fatalities) for e in events] == [("Odesa", 2)]


def test_parties_between_are_no_event_places(pipeline):
    assert _events(pipeline, "A peace deal between Kinshasa and Kigali was signed on Friday.") == []


def test_a_place_inside_an_organisation_name_is_no_event_place(pipeline):
    """The Minsk Group names Minsk (a toponym, as the public corpora have it), but it meets elsewhere."""
    text = "Les coprésidents du Groupe de Minsk se sont réunis lundi pour discuter du cessez-le-feu."
    assert any(t.mention == "Minsk" for t in pipeline.process(Article("t", text, lang="fr")).toponyms)
    assert "Minsk" not in {e.place_mention for e in _events(pipeline, text, "fr")}


def test_an_area_twin_of_a_town_event_is_dropped(pipeline):
    events = _events(pipeline, "Israeli artillery shelled Khan Younis on Monday, killing three people.\n\n"
                               "Shelling of the Gaza Strip continued overnight, medics said.")
    assert ("shelling", "Khan Younis") in _where(events)
    assert not [e for e in events if e.event_type == "shelling" and e.place.kind == "area"]


def test_a_district_twin_at_its_seat_is_dropped(pipeline):
    from geo.events import _without_coarse_twins

    from dataclasses import replace

    town = _events(pipeline, "Russian artillery shelled Izmail on Monday.")
    assert [e.place.kind for e in town] == ["city"]
    # "Ізмаїльський район" as the events step makes it: the district named after its seat, at the seat's point
    seat = town[0].place
    district = replace(town[0], place=replace(seat, kind="district", geonameid=None, ref=f"district:{seat.ref}"))
    elsewhere = replace(district, place=replace(district.place, lat=seat.lat + 0.5))
    assert _without_coarse_twins(town + [district, elsewhere]) == town + [elsewhere]


def test_a_meeting_and_its_agreement_are_two_events_at_one_place(pipeline):
    events = _events(pipeline, "The delegations held talks in Doha on Saturday and signed a ceasefire agreement "
                               "there.")
    assert {("meeting", "Doha"), ("ceasefire", "Doha")} <= _where(events)


@pytest.mark.parametrize("text, lang, place", [
    ("The Chilean president arrived in Lisbon on Monday and met the Portuguese prime minister.", "en", "Lisbon"),
    ("Le président algérien est arrivé à Rome lundi, où il a rencontré la présidente du Conseil italien.", "fr",
     "Rome"),
])
def test_a_visit_and_the_meeting_it_was_for_are_two_events(pipeline, text, lang, place):
    assert {("visit", place), ("meeting", place)} <= _where(_events(pipeline, text, lang))


def test_a_place_naming_an_organisation_is_no_event_place(pipeline):
    events = _events(pipeline, "The Sudan Doctors Network said shelling killed five people in El Fasher.")
    assert ("shelling", "El Fasher") in _where(events)
    assert not [e for e in events if e.place_mention == "Sudan"]


def test_arabic_times_of_day_are_no_places(pipeline):
    events = _events(pipeline, "قصفت الطائرات مدينة مأرب ليل الخميس.", lang="ar")
    assert {e.place.name for e in events} == {"Ma'rib"}


@pytest.mark.parametrize("text, lang", [
    ("The new round of talks comes as Paris and Berlin decided to send more aid.", "en"),
    ("Les pourparlers reprennent alors que Paris a décidé d'envoyer plus d'aide.", "fr"),
])
def test_a_place_that_decides_is_no_event_place(pipeline, text, lang):
    assert not [e for e in _events(pipeline, text, lang) if e.place.name in ("Paris", "Berlin")]


@pytest.mark.parametrize("text, lang, not_place", [
    # a speaker after a short aside
    ("Moscow, for its part, said the strike on Kharkiv was a provocation.", "en", "Moscow"),
    ("Москва, в свою очередь, заявила об ударе по Херсону.", "ru", "Moscow"),
    ("Paris, de son côté, précise que la frappe sur Kharkiv a fait deux morts.", "fr", "Paris"),
    # a dateline with its agency or country after a comma
    ("Ataques en Gaza\n\nJerusalén, EFE.- Al menos 20 personas murieron en bombardeos israelíes en Rafah.", "es",
     "Jerusalem"),
    ("Strikes overnight\n\nKyiv, Ukraine — Russian drones struck Odesa overnight, officials said.", "en", "Kyiv"),
])
def test_a_speaker_after_an_aside_or_a_dateline_after_a_comma_is_no_event_place(pipeline, text, lang, not_place):
    events = _events(pipeline, text, lang)
    assert events and not [e for e in events if e.place.name == not_place]


@pytest.mark.parametrize("text, lang", [
    ("Both sides said they were ready to hold talks in Geneva.", "en"),
    ("Стороны заявили о готовности провести переговоры в Женеве.", "ru"),
    ("Taraflar Cenevre'de görüşmeye hazır olduğunu açıkladı.", "tr"),
])
def test_talks_a_side_is_ready_for_are_no_meeting(pipeline, text, lang):
    assert not [e for e in _events(pipeline, text, lang) if e.event_type == "meeting"]


@pytest.mark.parametrize("text, lang", [
    ("Israeli forces violated the ceasefire in Khan Younis on Tuesday, killing a Palestinian, medics said.", "en"),
    ("Ceasefire violations were reported near Stepanakert on Sunday.", "en"),
    ("Ordu, Pazar günü Stepanakert yakınında ateşkesi ihlal etti.", "tr"),
    ("Армия сообщила о нарушении перемирия у Степанакерта в воскресенье.", "ru"),
    ("At a news conference in Geneva on Monday, the envoy urged an immediate ceasefire.", "en"),
    ("Lors d'une conférence de presse à Genève, lundi, l'envoyé a appelé à « un cessez-le-feu immédiat ».", "fr"),
    ('At a news conference in Geneva on Monday, the envoy urged "an immediate ceasefire".', "en"),
])
def test_a_broken_or_called_for_truce_is_no_ceasefire(pipeline, text, lang):
    """A truce violated was agreed before, one called for is not yet (a quotation opening between the call and its
    object parts no clause): what happens at the place is the violence, if any."""
    assert not [e for e in _events(pipeline, text, lang) if e.event_type == "ceasefire"]


def test_a_toll_told_in_another_sentence_about_the_place_is_the_events(pipeline):
    events = _events(pipeline, "Russian artillery shelled Kherson on Monday morning, officials said.\n\n"
                               "The governor said the attack on Kherson had killed two civilians and wounded five.")
    shelling = next(e for e in events if e.event_type == "shelling")
    assert (shelling.fatalities, shelling.injured) == (2, 5)
    assert len({s.sentence_start for s in shelling.sources}) >= 1


@pytest.mark.parametrize("text, lang", [
    ("The two presidents called for an end to hostilities and for talks in Geneva.", "en"),
    ("Les deux ministres ont plaidé à Genève pour la fin des combats.", "fr"),
    ("Министры в Женеве выступили за прекращение обстрелов.", "ru"),
    ("У Женеві міністри виступили за припинення обстрілів.", "uk"),
    ("طالب الوزيران في جنيف بوقف القصف.", "ar"),
    ("Los ministros abogaron en Ginebra por el cese de los combates.", "es"),
])
def test_an_end_to_the_fighting_is_no_fighting(pipeline, text, lang):
    events = _events(pipeline, text, lang)
    assert not [e for e in events if e.event_type in ("clash", "shelling", "airstrike")]


def test_a_sentence_naming_no_place_borrows_the_ledes_when_no_headline_stands_apart(pipeline):
    events = _events(pipeline, "A peace agreement was signed on Friday in Doha between the two delegations.\n"
                               "Both delegations said the deal would hold.\n"
                               "After the ceremony, the ministers were received by the emir for talks.")
    assert ("meeting", "Doha") in _where(events)


def test_an_article_of_talks_keeps_its_likeliest_visit(pipeline):
    events = _events(pipeline, "Turkey urges the world to back Azerbaijan\n\n"
                               "Turkey's foreign minister made the comments during a visit to Azerbaijan on Tuesday. "
                               "He said the world should stand with Baku. Fighting continued for a tenth day along "
                               "the front line. Both sides accused each other of targeting civilians. Several Western "
                               "capitals urged restraint.")
    assert ("visit", "Azerbaijan") in _where(events)


def test_the_end_of_talks_leaves_the_talks(pipeline):
    assert ("meeting", "Doha") in _where(_events(pipeline, "At the end of talks in Doha the sides signed a deal."))


def test_a_sentence_naming_no_place_borrows_from_its_paragraph_before_the_headline(pipeline):
    events = _events(pipeline, "Blast in Odesa\n\n"
                               "A bomb exploded near a police car in Odesa on Monday, killing one officer.\n\n"
                               "Earlier, on Saturday, a bomb went off in central Lviv. Police had been called to a "
                               "shop. 25 people were injured in the blast.")
    lviv = [e for e in events if e.place.name == "Lviv"]
    assert lviv and max(e.injured or 0 for e in lviv) == 25
    assert all((e.injured or 0) != 25 for e in events if e.place.name == "Odesa")


def test_a_call_for_an_inquiry_into_a_strike_leaves_the_strike(pipeline):
    events = _events(pipeline, "The envoy urged an independent inquiry into the drone strike on Sumy that killed "
                               "four people.")
    assert ("airstrike", "Sumy") in _where(events)


@pytest.mark.parametrize("text, lang", [
    ("The attack on the Manchester defence brought a late goal and the league title.", "en"),
    ("Санкции нанесли новый удар по экономике Калининграда.", "ru"),
    ("Le nouvel impôt a porté un coup dur aux commerçants de Lyon, et l'attaque contre l'économie continue.", "fr"),
])
def test_figures_of_speech_in_sport_and_the_economy_are_no_events(pipeline, text, lang):
    assert _events(pipeline, text, lang) == []


@pytest.mark.parametrize("text, lang, expected", [
    ("A missile strike on Kharkiv hit the city's economy hard, killing two people.", "en", "Kharkiv"),
    ("Росіяни завдали удару по Одесі, постраждала економіка міста.", "uk", "Odesa"),
])
def test_a_weapon_a_toll_or_a_nationality_keeps_the_report_literal(pipeline, text, lang, expected):
    """Sport and economy words do not veto a sentence that names a weapon, a toll or who struck."""
    assert expected in {e.place.name for e in _events(pipeline, text, lang)}


@pytest.mark.parametrize("text, lang, speaker", [
    ("Erevan a dénoncé la visite du ministre turc à Bakou.", "fr", "Erevan"),
    ("Moscow has again condemned the shelling of Ganja.", "en", "Moscow"),
    ("Moscow denounces the arrival of foreign fighters in the region.", "en", "Moscow"),
])
def test_a_speaker_over_auxiliaries_is_no_event_place(pipeline, text, lang, speaker):
    assert speaker not in {e.place_mention for e in _events(pipeline, text, lang)}


@pytest.mark.parametrize("text,generic", [
    ("Russian forces launched an attack on the village with artillery.", True),
    ("Heavy clashes continued near the village despite the artillery fire.", False),
    ("Les combats se poursuivent près du village malgré l'artillerie.", False),
    ("Rus kuvvetleri topçu desteğiyle köye saldırı düzenledi.", True),
])
def test_only_a_generic_trigger_takes_its_type_from_the_sentences_cues(text, generic):
    lexicon = load_lexicon()
    tokens = tokenize(text)
    hits = TriggerIndex(lexicon).find(tokens)
    hit = next(h for h in hits if h.event_type == "clash")
    features = type_features(lexicon, tokens, hits, hit, [])
    assert (features[TYPE_FEATURES.index("generic_x_shelling")] > 0) is generic


@pytest.mark.parametrize("text,lang,town,locator", [
    ("Israeli airstrikes hit a school in Khan Younis, a city in southern Gaza, killing five people.", "en",
     "Khan Younis", "Gaza"),
    ("Un bombardeo alcanzó el campo de refugiados de Jan Yunis, al sur de Gaza, y dejó tres muertos.", "es",
     "Jan Yunis", "Gaza"),
    # the owner before the place: a possessive, a genitive
    ("An Israeli strike on southern Gaza's Khan Younis killed nine people on Sunday.", "en", "Khan Younis", "Gaza"),
    ("Gazze'nin güneyindeki Han Yunus kentine düzenlenen hava saldırısında dokuz kişi öldü.", "tr",
     "Han Yunus", "Gazze"),
])
def test_a_place_that_only_locates_the_event_town_is_no_second_event(pipeline, text, lang, town, locator):
    places = {mention for _, mention in _where(_events(pipeline, text, lang))}
    assert town in places
    assert locator not in places


def test_a_list_of_neighbouring_towns_keeps_each_town(pipeline):
    places = {m for _, m in _where(_events(pipeline, "Israeli airstrikes hit Rafah, Khan Younis and Gaza City "
                                                     "overnight, killing twelve people."))}
    assert {"Rafah", "Khan Younis", "Gaza City"} <= places


def test_a_news_outlet_named_after_a_place_is_no_event_place(pipeline):
    events = _events(pipeline, "وقالت وكالة قدس برس إن غارة إسرائيلية استهدفت منزلا في رفح وقتلت ثلاثة أشخاص.", "ar")
    assert {e.place.name for e in events} == {"Rafaḩ"}
    recognised = pipeline.recognizer.recognise("قال مراسل قدس برس إن القصف استمر طوال الليل.", "ar")
    assert all("org" in mention.objections for toponym, mention in recognised if toponym.mention == "قدس")


@pytest.mark.parametrize("text,lang,word", [
    ("Des frappes de drone ont tué trois civils dans un village à l'Ouest de Niamey.", "fr", "Ouest"),
    ("Les frappes ont visé Kharkiv, la deuxième ville du pays, dans le Nord-Est.", "fr", "Nord-Est"),
])
def test_a_compass_word_is_no_region_of_its_own(pipeline, text, lang, word):
    assert word not in {t.mention for t in pipeline.recognizer.toponyms(text, lang)}


@pytest.mark.parametrize("text,lang", [
    ("Houthi rebels attacked two cargo ships in the Gulf of Aden on Monday.", "en"),
    ("هاجم الحوثيون سفينتين تجاريتين في خليج عدن يوم الاثنين.", "ar"),
    ("Les rebelles houthis ont attaqué deux navires dans le Golfe d'Aden lundi.", "fr"),
])
def test_a_sea_named_after_a_town_is_no_event_in_the_town(pipeline, text, lang):
    assert "Aden" not in {e.place.name for e in _events(pipeline, text, lang)}


@pytest.mark.parametrize("text,lang", [
    ("Російська армія вдарила КАБами по селу на Сумщині, загинули двоє людей.", "uk"),
    ("Противник атаковал позиции ВСУ КАБами и дронами.", "ru"),
])
def test_an_inflected_acronym_is_no_place(pipeline, text, lang):
    assert not any(t.mention.startswith("КАБ") for t in pipeline.recognizer.toponyms(text, lang))


def test_a_toll_shared_by_several_towns_is_no_towns_own(pipeline):
    """One figure for strikes on two towns is their total: neither town's figure. Figures told apart
    stay, and so does "no casualties"."""
    shared = _events(pipeline, "Eighteen people were killed in missile strikes on Odesa and Mykolaiv on Tuesday.")
    assert {(e.place_mention, e.fatalities) for e in shared} == {("Odesa", None), ("Mykolaiv", None)}
    apart = _events(pipeline, "Five people were killed in Odesa and two in Mykolaiv in missile strikes on Tuesday.")
    assert {(e.place_mention, e.fatalities) for e in apart} == {("Odesa", 5), ("Mykolaiv", 2)}
    regions = _events(pipeline, "Russian shelling killed six people in the Kherson and Zaporizhzhia regions on Tuesday.")
    assert regions and all(e.fatalities is None for e in regions)
    town = _events(pipeline, "Gunmen killed six farmers near Tumaco, in the department of Nariño, on Tuesday.")
    assert [e.fatalities for e in town if e.place_mention == "Tumaco"] == [6]
    none = _events(pipeline, "Missiles struck Odesa and Mykolaiv on Tuesday, causing no casualties.")
    assert {(e.place_mention, e.fatalities, e.injured) for e in none} == {("Odesa", 0, 0), ("Mykolaiv", 0, 0)}


@pytest.mark.parametrize("text,lang,place,killed", [
    ("Des médecins d'Odessa ont indiqué que la frappe russe sur Izmaïl avait tué quatre personnes lundi.", "fr",
     "Izmaïl", 4),
    ("Médicos de Jartum dijeron que el bombardeo sobre Omdurman mató a cuatro personas el lunes.", "es",
     "Omdurman", 4),
])
def test_a_toll_stays_with_its_town_when_the_other_place_is_named_apart(pipeline, text, lang, place, killed):
    """Only places the sentence lists together ("on A and B") share a total; a place named elsewhere in the
    sentence (whose doctors speak) leaves the struck town its figure."""
    assert [e.fatalities for e in _events(pipeline, text, lang) if e.place_mention == place] == [killed]


@pytest.mark.parametrize("text, lang, place", [
    ("A drone hit a car in Vovchansk on Monday. In Kupiansk two people were wounded.", "en", "Vovchansk"),
    ("В Рыльском районе дрон атаковал автомобиль. В Глушковском районе ранены двое.", "ru", "Рыльском"),
])
def test_the_next_sentence_naming_another_town_tells_no_toll_of_this_one(pipeline, text, lang, place):
    assert [(e.fatalities, e.injured) for e in _events(pipeline, text, lang) if e.place_mention == place] == [
        (None, None)]


@pytest.mark.parametrize("text,lang,place,killed", [
    ("A missile struck Kharkiv on Monday. The missile was launched from Belgorod. In Kharkiv, three people died.",
     "en", "Kharkiv", 3),
    ("Une frappe de drone a touché Kharkiv lundi. Les secours sont arrivés rapidement. À Kharkiv, trois personnes "
     "sont mortes.", "fr", "Kharkiv", 3),
    ("Un bombardeo alcanzó la ciudad de Rafah el lunes. Los aviones volvieron después a su base. En Rafah murieron "
     "al menos nueve personas, según los médicos.", "es", "Rafah", 9),
])
def test_a_later_sentence_without_a_trigger_gives_the_toll_at_the_town(pipeline, text, lang, place, killed):
    """A sentence that names the town and a toll but no trigger of its own is one more source of the event there;
    naming no day, it tells the toll of the event of any day."""
    assert [e.fatalities for e in _events(pipeline, text, lang) if e.place_mention == place] == [killed]


def test_a_trigger_may_name_the_elided_article_of_its_word():
    """French "l'attaque" is a trigger though "attaque" alone is not (a team's attack): the tokenizer leaves
    "l'" outside the word, the trigger index matches the word with it and without it."""
    lexicon = load_lexicon()
    index = TriggerIndex(lexicon)
    for sentence, found in (("L'attaque a visé Djibo.", [("clash", "attaque")]),
                            ("Une attaque a visé Djibo.", [("clash", "Une attaque")]),
                            ("L'attaquant a marqué un but.", []),
                            ("L'explosion a détruit le pont.", [("explosion", "explosion")])):
        tokens = tokenize(sentence)
        assert [(h.event_type, " ".join(t.text for t in tokens[h.token:h.end_token + 1]))
                for h in index.find(tokens)] == found


def test_a_river_named_after_a_town_is_no_event_place(pipeline):
    """"the Dnipro River" names the river, not the city of Dnipro (an organisation-like suffix follows)."""
    events = _events(pipeline, "Russian artillery kept shelling villages on the left bank from across the Dnipro River.")
    assert all(e.place_mention != "Dnipro" for e in events)


def test_a_sentence_naming_no_place_borrows_the_first_sentence_places(pipeline):
    """No headline: the first sentence is a sentence like any other, and the next one may borrow its place."""
    events = _events(pipeline, "Residents of Nikopol had hoped for a quiet week after the river crossing reopened. "
                               "On Tuesday night, artillery shells hit the town again, killing two civilians.")
    assert _where(events) == {("shelling", "Nikopol")}


def test_the_type_model_sees_the_triggers_of_the_neighbouring_sentences(pipeline):
    """"The attack killed three" after "a drone struck the port": the type model knows a drone strike is near."""
    detector = pipeline.detector
    neighbours = ["A Russian drone struck the port of Izmail overnight.", "Rescue work went on until noon."]
    near = detector.trigger_types(neighbours)
    assert "airstrike" in near
    tokens = tokenize("The attack killed three dock workers.")
    hits = detector.triggers.find(tokens)
    features = type_features(detector.lexicon, tokens, hits, hits[0], neighbours, near)
    assert features[TYPE_FEATURES.index("near_trigger_airstrike")] == 1.0
    assert features[TYPE_FEATURES.index("near_trigger_protest")] == 0.0
    bare = tokenize("The attack lasted two hours.")
    hit = detector.triggers.find(bare)[0]
    assert is_generic(detector.lexicon, bare, hit)
    features = type_features(detector.lexicon, bare, [hit], hit, neighbours, near)
    assert "airstrike" in evidenced_types(features, generic=True)
    assert "clash" not in evidenced_types(features, generic=True)
    assert evidenced_types(features) == ["clash"]


@pytest.mark.parametrize("text, lang", [
    ("A drone struck the port of Odesa overnight. The attacks killed two dock workers.", "en"),
    ("İnsansız hava araçları gece boyunca Odessa limanını vurdu. Saldırılarda iki liman işçisi yaralandı.", "tr"),
])
def test_a_bare_attack_after_a_strike_tells_the_strike_again(pipeline, text, lang):
    """No clash beside the drone strike: "the attacks" are the strike the sentence before tells."""
    assert {t for t, _ in _where(_events(pipeline, text, lang))} == {"airstrike"}


@pytest.mark.parametrize("text, lang, fire", [
    ("Militants launched an attack on the outpost with mortars and artillery.", "en", {"shelling"}),
    ("Губернатор сообщил о нападении на село с использованием беспилотников-камикадзе.", "ru", {"airstrike"}),
    ("Une attaque de drones a visé le dépôt de carburant.", "fr", {"airstrike"}),
])
def test_a_generic_word_beside_a_weapon_of_remote_fire_is_that_fire(text, lang, fire):
    """"An attack with kamikaze drones" is an air strike, whatever the type model weighs; a trigger of its own
    type (no generic word) keeps that type among its options."""
    lexicon = load_lexicon()
    tokens = tokenize(text)
    hits = TriggerIndex(lexicon).find(tokens)
    hit = next(h for h in hits if is_generic(lexicon, tokens, h))
    features = type_features(lexicon, tokens, hits, hit, [])
    assert set(evidenced_types(features, generic=True)) == fire
    assert "clash" in evidenced_types(features, generic=False)


def test_a_bare_name_before_the_trigger_with_a_place_after_it_reads_as_a_subject(pipeline):
    """"Russia struck Kharkiv": the feature marks Russia, never Kharkiv; the event is in Kharkiv."""
    text = "Russia struck Kharkiv with drones overnight."
    detector = pipeline.detector
    places = [t for t, _ in pipeline.recognizer.recognise(text, "en")]
    tokens = tokenize(text)
    found = candidates(detector.lexicon, text, tokens, detector.triggers.find(tokens), places)
    marked = {c.toponym.mention: c.features[FEATURES.index("bare_before_object_after")] for c in found
              if c.hit.trigger.text == "struck"}
    assert marked == {"Russia": 1.0, "Kharkiv": 0.0}
    assert _where(_events(pipeline, "Russia launched drones at Kharkiv overnight.")) == {("airstrike", "Kharkiv")}


@pytest.mark.parametrize("text, lang, landmark, place", [
    ("A roadside bomb exploded in Ramadi, 40 kilometres west of Fallujah.", "en", "Fallujah", "Ramadi"),
    ("Des tirs ont visé Kramatorsk, à 20 km au nord de Donetsk.", "fr", "Donetsk", "Kramatorsk"),
    ("Обстрел Купянска, в 40 км к востоку от Харькова.", "ru", "Харькова", "Купянска"),
    ("Kerkük'ün 30 kilometre güneyinde bir bomba patladı.", "tr", "Kerkük", None),
])
def test_a_place_named_as_a_landmark_reads_so(pipeline, text, lang, landmark, place):
    """"40 kilometres west of Fallujah": the direction names Fallujah as a landmark only (the ``reference`` list of
    every pack), not the place before it."""
    detector = pipeline.detector
    places = [t for t, _ in pipeline.recognizer.recognise(text, lang)]
    tokens = tokenize(text)
    found = candidates(detector.lexicon, text, tokens, detector.triggers.find(tokens), places)
    marked = {c.toponym.mention: c.features[FEATURES.index("rel_reference")] for c in found}
    assert marked[landmark] == 1.0
    if place is not None:
        assert marked[place] == 0.0


def test_a_compass_word_after_an_article_names_a_part_of_the_place(pipeline):
    """"in the north of Gaza", "في جنوب لبنان": the event is in that part of the place, no landmark."""
    detector = pipeline.detector
    for text, lang in [("Heavy shelling was reported in the north of Gaza.", "en"),
                       ("غارات إسرائيلية في جنوب لبنان.", "ar")]:
        places = [t for t, _ in pipeline.recognizer.recognise(text, lang)]
        tokens = tokenize(text)
        found = candidates(detector.lexicon, text, tokens, detector.triggers.find(tokens), places)
        assert found and all(c.features[FEATURES.index("rel_reference")] == 0.0 for c in found)


def test_a_borrowed_report_takes_the_toll_of_the_sentence_it_borrows_from(pipeline):
    """The next sentence borrows Kunduz from the first and says how many were injured; the deaths the first sentence
    tells are the same shelling's, though its source is recorded on that first sentence."""
    text = ("Four people were killed and more than a dozen injured after border troops opened fire on civilians in "
            "Kunduz.\n\nThe army said the troops used artillery to target the market. It said 15 citizens were "
            "injured in the shelling.")
    shelling = [e for e in _events(pipeline, text) if e.event_type == "shelling"]
    assert shelling and all((e.fatalities, e.injured) == (4, 15) for e in shelling)


def test_a_doubtful_name_of_a_short_text_is_an_event_place_only(pipeline):
    """A text of one sentence gives the span filter no context: a name it keeps out, yet finds fairly likely, is an
    event place the placement model weighs (method ``doubtful``), never a toponym of ``parse``; an article's context
    makes the filter's doubt count."""
    text = "Rockets hit the northern edge of Tikrit overnight."
    assert "Tikrit" not in {t.mention for t in pipeline.recognizer.toponyms(text, "en")}
    places = {t.mention: t.method for t, _ in pipeline.event_places(text, "en")}
    assert places.get("Tikrit") == DOUBTFUL
    assert {place for _, place in _where(_events(pipeline, text))} == {"Tikrit"}
    article = " ".join([text, "Officials gave no figures.", "Schools stayed open.", "Markets reopened on Monday."])
    assert "Tikrit" not in {t.mention for t, _ in pipeline.event_places(article, "en")}


@pytest.mark.parametrize("text", [
    "Вночі у центрі Житомира на вул. Шевченка пролунав вибух.",
    "Взрыв прогремел в Житомире на ул. Шевченко ночью.",
])
def test_a_street_abbreviation_ends_no_sentence(text):
    """"на вул. Шевченка" (street): the sentence goes on, and the place before it stays its place."""
    assert [s.text for s in sentences(text)] == [text]


def test_no_event_at_a_far_namesake_of_a_village_the_gazetteer_lacks(pipeline):
    """A small town thousands of kilometres from every other place of the story is a namesake (Ely in England for
    a village near El Fasher), not where the attack happened; named alone it keeps its event."""
    story = ("Militia kills villagers near El Fasher\n\nGunmen killed seven villagers in Tawila, near El Fasher in "
             "North Darfur, on Monday. The attackers also burned houses in Ely, a village west of the city.")
    places = {e.place.name for e in _events(pipeline, story)}
    assert "El Fasher" in places and "Ely" not in places
    alone = _events(pipeline, "Gunmen burned houses and killed two villagers in Ely on Monday.")
    assert [(e.event_type, e.place.name) for e in alone] == [("attack", "Ely")]


def test_a_trigger_listed_twice_gives_one_hit_per_word():
    """The index keeps each trigger once per word (a trigger found by the part and its bare form, or listed by two
    packs alike): the hits are those of the lexicon with each trigger once."""
    from geo.lexicon import Lexicon, Trigger

    shelling = Trigger("shelling", ("shelled",), False, 1.0, "shelled")
    twice = Lexicon(triggers=[shelling, Trigger("shelling", ("shelled",), False, 1.0, "shelled"),
                              Trigger("clash", ("the", "clash"), True, 1.0, "the clash*")])
    hits = TriggerIndex(twice).find(tokenize("Troops shelled the town after the clashes."))
    assert [(h.event_type, h.token, h.end_token) for h in hits] == [("shelling", 1, 1), ("clash", 5, 6)]


def test_the_trigger_types_of_a_sentence_are_its_own(pipeline):
    """The types of the triggers of a sentence, remembered by sentence: each sentence gives its own, read again
    or not."""
    detector = pipeline.detector
    drone, quiet = "A Russian drone struck the port of Izmail overnight.", "Rescue work went on until noon."
    for _ in range(2):
        assert "airstrike" in detector.trigger_types([drone])
        assert detector.trigger_types([quiet]) == frozenset()
        assert detector.trigger_types([quiet, drone]) == detector.trigger_types([drone])
        assert detector.trigger_types([]) == frozenset()
