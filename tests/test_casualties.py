"""Casualty figures (geo.casualties) on sentences written for these tests, one group per rule of the annotation
guideline (../shared/corpus/dev/README.md: fatalities / injured)."""

from __future__ import annotations

import pytest

from geo.casualties import figures, find_casualties
from geo.lexicon import load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def _cases(*rows):
    return [pytest.param(sentence, killed, injured, id=f"{lang}: {sentence[:50]}")
            for lang, killed, injured, sentence in rows]


# A figure and the casualty word it belongs to: before it (subject, count) or after it (object).
PLAIN = _cases(
    ("en", 2, 5, "Two people were killed and five wounded when a drone hit a market in Sumy."),
    ("en", 3, 14, "Three soldiers were killed and 14 injured in an ambush near Gao."),
    ("en", 7, 20, "Seven killed, 20 hurt in Kabul blast"),
    ("en", None, 40, "The hospital received 40 wounded."),
    ("en", 1, None, "A drone strike killed one civilian in Kherson."),
    ("en", 3, None, "Three members of the village defence militia were killed overnight."),
    ("fr", 4, 13, "Quatre personnes ont été tuées et treize blessées par une frappe russe sur Kharkiv."),
    ("fr", 12, None, "Le bilan s'élève à 12 morts."),
    ("es", 4, 13, "Al menos cuatro personas murieron y trece resultaron heridas en el bombardeo."),
    ("es", 6, None, "Hombres armados asesinaron a seis campesinos en una vereda."),
    ("es", 20, None, "La cifra de muertos asciende a 20."),
    ("ru", 3, None, "Трое мирных жителей погибли при обстреле Донецка."),
    ("ru", 2, 7, "Два человека погибли, еще семь ранены."),
    ("ru", 12, None, "Число погибших выросло до 12."),
    ("uk", 1, 3, "Одна жінка загинула, ще троє людей поранені."),
    ("uk", 12, None, "Кількість загиблих зросла до 12."),
    ("ar", 7, 30, "أسفرت الغارة عن استشهاد سبعة مواطنين وإصابة ثلاثين آخرين."),
    ("ar", 30, None, "ارتفعت حصيلة القتلى إلى 30."),
    ("tr", 13, 38, "Saldırıda en az 13 kişi hayatını kaybetti, 38 kişi yaralandı."),
    ("tr", 25, None, "Ölü sayısı 25'e yükseldi."),
)

# "at least N", "more than N", ranges: the lowest figure; approximation phrases match as phrases.
LOWER_BOUNDS = _cases(
    ("en", 19, 12, "A car bomb went off near a checkpoint, killing at least 19 people and leaving a dozen wounded."),
    ("en", 10, None, "Between 10 and 15 people were killed, the governor said."),
    ("en", 10, None, "Ten to fifteen soldiers died in the ambush."),
    ("en", 10, None, "10-15 people were killed in the shelling."),
    ("fr", 12, None, "Une voiture piégée a explosé devant un marché, tuant au moins 12 personnes."),
    ("fr", 20, None, "Une vingtaine de soldats ont été tués dans l'embuscade."),
    ("es", 1500, None, "Más de 1.500 personas han muerto, según el ministerio."),
    ("ru", 5, None, "Не менее пяти человек погибли."),
    ("uk", 5, None, "Щонайменше п'ятеро людей загинули внаслідок удару по Одесі."),
    ("ar", 20, None, "مقتل أكثر من 20 شخصا في الغارة."),
)

# Numbers as written: thousands separators, compounds of number words.
NUMBERS = _cases(
    ("en", 1200, None, "The raid killed 1,200 people, according to the ministry."),
    ("fr", 1200, None, "L'offensive a fait 1 200 morts selon les autorités."),
    ("fr", 25, None, "Vingt-cinq personnes ont péri dans l'attaque."),
    ("fr", 70, None, "Soixante-dix personnes ont été tuées."),
    ("es", 35, None, "Treinta y cinco personas fueron asesinadas en la masacre."),
    ("es", 11, None, "El ataque dejó once muertos en el mercado."),
    ("ru", 25, None, "Погибли двадцать пять человек."),
    ("ar", 25, None, "قتل خمسة وعشرون شخصا في القصف."),
    ("en", 12000, None, "Officials said 12 thousand people were killed in the siege."),
    ("es", 3000, None, "La ofensiva dejó 3 mil muertos en la provincia."),
    ("ru", 2000, None, "В боях погибли 2 тысячи человек."),
    ("uk", 3000, None, "Під час облоги загинули 3 тисячі людей."),
)

# Vague words give no figure.
VAGUE = _cases(
    ("en", None, None, "Dozens of people were killed in the fighting, officials said."),
    ("en", None, None, "Scores were wounded in the clashes."),
    ("en", None, None, "It was not immediately clear how many people were killed."),
    ("fr", None, None, "Des dizaines de civils ont été tués dans les combats."),
    ("es", None, None, "Decenas de personas murieron en los combates."),
    ("ru", None, None, "Погибли десятки людей."),
    ("ar", None, None, "قتل العشرات في الاشتباكات."),
)

# A singular victim: a singular noun or a singular verb with no figure is one.
SINGULAR = _cases(
    ("en", 1, None, "A man was killed when a shell hit his house."),
    ("en", 1, 1, "One person was killed and another person wounded in the shelling."),
    ("en", 1, 3, "A man was killed and three others were injured."),
    ("en", None, 2, "A 25-year-old man and a woman were injured."),
    ("fr", 1, None, "Un soldat a été tué dans une attaque près de Gao."),
    ("es", 1, None, "Un hombre murió tras el impacto de un misil."),
    ("es", 1, None, "Fue asesinado un líder comunitario en la vereda."),
    ("ru", 1, None, "В результате удара погиб мужчина."),
    ("ru", 1, None, "Погиб 45-летний местный житель."),
    ("uk", 1, None, "Внаслідок обстрілу загинув чоловік."),
    ("ar", 1, None, "أدت الغارة إلى استشهاد شخص في البلدة."),
    ("tr", 1, None, "Bir asker şehit oldu."),
    ("tr", None, 1, "Bir kadın ağır yaralandı."),
)

# Nobody hurt: 0; a phrase naming deaths alone sets the fatalities only.
ZERO = _cases(
    ("en", 0, 0, "No casualties were reported after the drone struck an empty warehouse."),
    ("en", 0, 0, "Nobody was hurt in the attack, the mayor said."),
    ("en", 0, None, "No one was killed in the strike, but the school was destroyed."),
    ("en", 0, None, "No one else was killed."),
    ("en", 2, 0, "Two soldiers were killed; no one else was hurt."),
    ("fr", 0, 0, "L'attaque n'a fait aucune victime, selon le maire."),
    ("fr", 0, 0, "Personne n'a été blessé lors de l'explosion."),
    ("es", 0, 0, "El ataque no dejó víctimas, según la policía."),
    ("ru", 0, 0, "Никто не пострадал, сообщили в администрации."),
    ("ru", 0, None, "Обошлось без жертв, сообщил губернатор."),
    ("uk", 0, 0, "На щастя, ніхто не постраждав."),
    ("ar", 0, 0, "سقطت القذيفة دون وقوع إصابات."),
    ("tr", 0, None, "Saldırıda can kaybı yok."),
)

# "X killed, including Y children": X; a part told before the total (Turkish) is not added either.
SUBSETS = _cases(
    ("en", 11, None, "Eleven people, including three children, were killed in the airstrike."),
    ("en", 7, None, "The strike killed seven civilians, among them two women."),
    ("fr", 12, None, "Douze personnes, dont cinq enfants, ont été tuées."),
    ("fr", None, 20, "Vingt personnes dont trois enfants ont été blessées par les frappes."),
    ("es", 11, None, "El ataque dejó once muertos, entre ellos tres niños."),
    ("uk", 2, None, "Загинули двоє людей, серед них дитина."),
    ("ar", 4, None, "أسفر القصف عن مقتل 4 مدنيين بينهم طفلان."),
    ("tr", 12, None, "Aralarında 3 çocuğun da bulunduğu 12 kişi öldü."),
    ("tr", 13, None, "Saldırıda 3'ü çocuk 13 kişi hayatını kaybetti."),
    # the commas around the inclusion clause do not part the figure from its casualty word
    ("en", 5, None, "Five other people, including three children, were moreover reportedly killed in a second raid."),
    ("fr", 5, None, "Cinq autres personnes, dont deux bébés, ont par ailleurs été tuées dans une frappe séparée."),
    ("es", 6, None, "Seis personas, entre ellas dos niñas, también fueron asesinadas en otra vereda."),
)

# Groups of victims add up.
SUMS = _cases(
    ("en", None, 9, "Two civilians and seven police officers were wounded in the blast."),
    ("en", 3, None, "Two soldiers and a civilian were killed at the checkpoint."),
    ("es", None, 9, "Al menos dos civiles y siete agentes resultaron heridos durante las protestas."),
    ("ru", None, 5, "Ранения получили две женщины и трое мужчин."),
    # a victim and a relative of theirs: two ("a man and his son")
    ("en", 2, None, "A farmer and his daughter were killed when the shell hit their yard."),
    ("en", None, 2, "The drone wounded an old woman and her husband."),
    ("fr", 2, None, "Un homme et son fils ont été tués par la frappe."),
    ("es", 2, None, "Murieron un campesino y su esposa en el bombardeo."),
    ("ru", 2, None, "При обстреле погибли 60-летний водитель и его сын."),
    ("uk", 2, None, "Загинули жінка та її донька."),
    ("ar", 2, None, "استشهد رجل وابنه في القصف."),
    ("tr", 2, None, "Bir adam ve oğlu hayatını kaybetti."),
    ("tr", None, 2, "Saldırıda bir kadın ve kızı yaralandı."),
)

# Numbers that are no toll: weapons and places counted, dates, years, ages, times, percentages, articles,
# a war's cumulative toll.
NOT_FIGURES = _cases(
    ("en", 2, None, "Russia launched 40 drones at Odesa overnight, killing two people."),
    ("en", None, None, "Russia fired 12 missiles and 30 drones at Kyiv overnight."),
    ("en", None, 2, "Three drones were shot down over the region, and two people were injured by falling debris."),
    ("en", 5, None, "Two weeks after the attack that killed 5, the market reopened."),
    ("en", None, 12, "Police said 3 suspects were arrested after the bombing that wounded 12."),
    ("en", 3, None, "At least 3 people were killed on May 5 in Kharkiv."),
    ("en", 5, None, "Israeli strikes killed 5 Palestinians on 12 October."),
    ("en", None, None, "The 25-year-old soldier was found near the border."),
    ("en", None, None, "Ukraine said 95% of the drones that killed nobody were shot down at 5:00."),
    ("en", None, None, "Since the start of the war, more than 10,000 civilians have been killed."),
    ("en", None, None, "Since 2014, more than 14,000 people have been killed in Donbas."),
    ("en", 12, None, "A total of 12 people were killed in the strike on the city."),
    ("fr", None, None, "Des civils ont été tués lors d'une frappe de drone."),
    ("fr", 4, None, "Quatre enfants ont été tués lorsqu'une frappe a touché leur tente."),
    ("ru", None, None, "С начала года погибли 1 200 человек."),
    ("tr", None, None, "Ateşkesin ilan edildiği günden bu yana bölgede 350 kişi hayatını kaybetti."),
    ("tr", None, None, "Rusya 40 insansız hava aracıyla saldırdı."),
    # an age written with an age word beside the number
    ("en", 1, None, "A shepherd aged 52 was killed by a mine."),
    ("en", 9, None, "Last year 9 people were killed by mines in the valley."),
    ("fr", 1, None, "Un berger de 52 ans a été tué par une mine."),
    ("fr", 2, None, "Une femme et sa fille de 8 ans ont été tuées."),
    ("es", 1, None, "Murió un comerciante de 38 años en el ataque."),
    ("ru", 1, None, "Погиб мужчина 47 лет."),
    ("uk", 1, None, "Загинула жінка 63 років."),
    ("ar", 1, None, "قتل شاب يبلغ 23 عاما في القصف."),
    ("tr", 1, None, "Saldırıda 23 yaşındaki bir genç öldürüldü."),
)


@pytest.mark.parametrize("sentence,killed,injured",
                         PLAIN + LOWER_BOUNDS + NUMBERS + VAGUE + SINGULAR + ZERO + SUBSETS + SUMS + NOT_FIGURES)
def test_figures(lexicon, sentence, killed, injured):
    assert figures(lexicon, sentence) == (killed, injured)


def test_the_next_sentence_gives_the_toll_the_sentence_lacks(lexicon):
    assert find_casualties(lexicon, "A missile hit a school in Kramatorsk.",
                           ["Four people were killed and 11 injured, the governor said."]) == (4, 11)
    assert find_casualties(lexicon, "Four children were killed when a drone hit their tent.",
                           ["The strike also wounded more than 20 people."]) == (4, 20)
    assert find_casualties(lexicon, "Трое погибли при обстреле Херсона.", ["Ещё пятеро ранены."]) == (3, 5)


def test_the_sentence_figure_wins_over_its_neighbour(lexicon):
    assert find_casualties(lexicon, "Two people were killed in Sumy.", ["Ten were killed in Kharkiv."]) == (2, None)


def test_a_neighbour_with_its_own_day_tells_another_event(lexicon):
    assert find_casualties(lexicon, "A missile hit a school in Kramatorsk.",
                           ["On Saturday, a car bomb killed four civilians in Izium."]) == (None, None)
    assert find_casualties(lexicon, "On Saturday a missile hit a school in Kramatorsk.",
                           ["On Saturday, four people were killed."]) == (4, None)


def test_a_zero_in_the_next_sentence(lexicon):
    assert find_casualties(lexicon, "Ворог атакував дроном автівку поблизу села.",
                           ["На щастя, люди не постраждали."]) == (0, 0)


def test_the_figure_nearest_the_place_when_one_sentence_tells_two_events(lexicon):
    sentence = "Five were killed in a strike on Kostiantynivka, the governor said, and one in a strike on Druzhkivka."
    assert figures(lexicon, sentence) == (5, None)
    assert figures(lexicon, sentence, sentence.index("Kostiantynivka")) == (5, None)
    assert figures(lexicon, sentence, sentence.index("Druzhkivka")) == (1, None)
    sentence = "In Bakhmut, shelling killed four civilians while in Toretsk, two people died."
    assert figures(lexicon, sentence, sentence.index("Bakhmut")) == (4, None)
    assert figures(lexicon, sentence, sentence.index("Toretsk")) == (2, None)
    sentence = "Трое погибли в Харькове и двое в Сумах."
    assert find_casualties(lexicon, sentence, at=sentence.index("Сумах")) == (2, None)
    assert find_casualties(lexicon, sentence, at=sentence.index("Харькове")) == (3, None)
    # "and" opening the gapped clause of the second figure parts the two places
    sentence = "Missile strikes killed five people in Odesa and two in Mykolaiv."
    assert figures(lexicon, sentence, sentence.index("Odesa")) == (5, None)
    assert figures(lexicon, sentence, sentence.index("Mykolaiv")) == (2, None)
    sentence = "Les frappes ont tué cinq personnes à Lviv et deux à Rivne."
    assert figures(lexicon, sentence, sentence.index("Lviv")) == (5, None)
    assert figures(lexicon, sentence, sentence.index("Rivne")) == (2, None)


# Multi-word entries of the approximation lists match as phrases: without "at least", "at" would read as the
# place preposition of "killed at 5 places".
PHRASES = _cases(
    ("en", 5, None, "The shelling killed at least 5 civilians."),
    ("en", 28, None, "Officials reported as many as 28 people killed by the militants."),
    ("fr", 8, None, "La frappe a tué au moins 8 personnes."),
    ("es", 9, None, "El bombardeo mató por lo menos a 9 personas."),
    ("ru", 6, None, "Погибли по меньшей мере 6 человек."),
    ("uk", 4, None, "Загинули як мінімум 4 людини."),
    ("ar", 20, None, "أسفر القصف عن مقتل ما لا يقل عن 20 شخصا."),
)


@pytest.mark.parametrize("sentence,killed,injured", PHRASES)
def test_multi_word_entries_match_as_phrases(lexicon, sentence, killed, injured):
    assert figures(lexicon, sentence) == (killed, injured)


def test_a_superscript_digit_is_no_number(gazetteer):
    """Found by the fuzzing harness: "²" is a digit to str.isdigit but no decimal, and int() refuses it."""
    from geo.model import Article
    from geo.pipeline import Pipeline

    result = Pipeline(gazetteer).process(Article("t", "Ganja.²:killed", lang="en"))
    assert [t.mention for t in result.toponyms] == ["Ganja"]
