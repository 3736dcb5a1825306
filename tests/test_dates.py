"""geo.dates: date formats in four languages, year inference, relative days, event dates and
publication dates.  The sentences are invented for these tests."""

from __future__ import annotations

import datetime

import pytest

from geo.dates import DateMention, event_date, find_dates, parse_published, publication_day, published_from_text

WEDNESDAY = datetime.date(2020, 9, 30)


def dates(text: str, *, lang: str | None = None, published: datetime.date | None = WEDNESDAY) -> list[str]:
    return [m.value for m in find_dates(text, lang=lang, published=published)]


def spans(text: str, *, lang: str | None = None, published: datetime.date | None = WEDNESDAY) -> list[str]:
    return [text[m.start:m.end] for m in find_dates(text, lang=lang, published=published)]


# ---------------------------------------------------------------------------- absolute dates

@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Shelling of Dalmora began on September 27, 2020, residents said.", "2020-09-27"),
    ("en", "Shelling of Dalmora began on September 27 2020.", "2020-09-27"),
    ("en", "Shelling of Dalmora began on 27 September 2020.", "2020-09-27"),
    ("en", "Shelling of Dalmora began on the 27th of September, 2020.", "2020-09-27"),
    ("en", "Shelling of Dalmora began on Sept. 27, 2020.", "2020-09-27"),
    ("en", "DALMORA, Oct 4, 2020 (Wire) - Sirens sounded.", "2020-10-04"),
    ("fr", "Les bombardements ont commencé le 27 septembre 2020 à l'aube.", "2020-09-27"),
    ("fr", "Le cessez-le-feu du 1er octobre 2020 n'a pas tenu.", "2020-10-01"),
    ("fr", "Le 10 déc. 2020, la trêve a été signée.", "2020-12-10"),
    ("ru", "Обстрелы начались 27 сентября 2020 года на рассвете.", "2020-09-27"),
    ("ru", "Перемирие объявили 10 октября 2020 г. в Москве.", "2020-10-10"),
    ("ar", "بدأ القصف في 27 سبتمبر/أيلول 2020 فجرا.", "2020-09-27"),
    ("ar", "بدأ القصف في 27 أيلول (سبتمبر) 2020 فجرا.", "2020-09-27"),
    ("ar", "أعلنت الهدنة في 10 تشرين الأول 2020.", "2020-10-10"),
    ("ar", "أعلنت الهدنة في 5 كانون الثاني 2021.", "2021-01-05"),
    ("ar", "أعلنت الهدنة في 10 أكتوبر 2020.", "2020-10-10"),
    ("ar", "أعلنت الهدنة في ١٠ أكتوبر ٢٠٢٠.", "2020-10-10"),
    (None, "Report filed 2020-09-27 by the field office.", "2020-09-27"),
    (None, "Report filed 27.09.2020 by the field office.", "2020-09-27"),
    (None, "Report filed 09/27/2020 by the field office.", "2020-09-27"),
])
def test_full_dates(lang: str | None, text: str, expected: str) -> None:
    mentions = find_dates(text, lang=lang, published=None)
    assert [(m.value, m.precision, m.relative) for m in mentions] == [(expected, "day", False)]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Drones struck Dalmora on Sept. 27.", "2020-09-27"),
    ("en", "Drones struck Dalmora on Oct 4, officials said.", "2020-10-04"),
    ("en", "Drones struck Dalmora on 27 September.", "2020-09-27"),
    ("fr", "Des drones ont frappé Dalmora le 1er octobre.", "2020-10-01"),
    ("fr", "L'attaque du 7-Octobre contre Dalmora a fait des centaines de morts.", "2020-10-07"),
    ("ru", "Беспилотники атаковали Далмору 27 сентября.", "2020-09-27"),
    ("ar", "قصفت طائرات مسيرة دالمورا في 27 أيلول.", "2020-09-27"),
])
def test_dates_without_a_year_take_the_year_of_publication(lang: str, text: str, expected: str) -> None:
    assert dates(text, lang=lang) == [expected]
    assert dates(text, lang=lang, published=None) == []


def test_year_inference_across_new_year() -> None:
    published = datetime.date(2021, 1, 3)
    assert dates("Fighting resumed on December 30.", published=published) == ["2020-12-30"]
    assert dates("Talks are due on 5 January.", published=published) == ["2021-01-05"]
    assert dates("Talks are due on 20 February.", published=published) == ["2021-02-20"]
    assert dates("Fighting started in 30 April.", published=published) == ["2020-04-30"]


def test_invalid_days_are_skipped() -> None:
    assert dates("Filed 2020-02-30 and on 31.09.2020.", published=None) == []
    assert dates("Filed on 31 September 2020.", published=None) == ["2020-09"]  # the month still stands


# ---------------------------------------------------------------------------- months and years

@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "The offensive began in September 2020.", "2020-09"),
    ("fr", "L'offensive a commencé en septembre 2020.", "2020-09"),
    ("ru", "Наступление началось в сентябре 2020 года.", "2020-09"),
    ("ar", "بدأ الهجوم في سبتمبر 2020.", "2020-09"),
    ("ar", "بدأ الهجوم في أيلول/سبتمبر 2020.", "2020-09"),
])
def test_month_and_year(lang: str, text: str, expected: str) -> None:
    mentions = find_dates(text, lang=lang, published=None)
    assert [(m.value, m.precision) for m in mentions] == [(expected, "month")]


@pytest.mark.parametrize("text", ["Talks stalled in August.", "Les pourparlers ont échoué en août.",
                                  "Переговоры сорвались в августе.", "تعثرت المحادثات في شهر آب."])
def test_month_after_a_preposition_needs_publication(text: str) -> None:
    assert dates(text) == ["2020-08"]
    assert dates(text, published=None) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The ceasefire has held since 2016.", "2016"),
    ("Clashes were rare in 2023.", "2023"),
    ("Clashes were rare in mid-2023.", "2023"),
    ("Les combats ont repris en 2023.", "2023"),
    ("Бои возобновились в 2023 году.", "2023"),
    ("تجدد القتال عام 2023.", "2023"),
    ("تجدد القتال في 2023م.", "2023"),
])
def test_bare_years(text: str, expected: str) -> None:
    mentions = find_dates(text, lang=None, published=None)
    assert [(m.value, m.precision) for m in mentions] == [(expected, "year")]


@pytest.mark.parametrize("text", [
    "About 2000 soldiers crossed the river.", "Losses rose to 12023 in the report.", "in 1850 and in 2150",
    "In the 2020s the front barely moved.", "Up to 2000 м of trench.", "До 2000 человек покинули город.",
])
def test_numbers_that_are_not_years(text: str) -> None:
    assert dates(text, published=None) == []


def test_year_inside_a_date_is_not_a_second_mention() -> None:
    assert dates("It began in 2020, on 27 September 2020.", published=None) == ["2020", "2020-09-27"]


# ---------------------------------------------------------------------------- false positives

def test_may_is_a_month_only_next_to_a_day_or_year() -> None:
    assert dates("Casualties may 2 rise, and up to 5 may have died.") == []
    assert dates("Officials said the strikes may continue.") == []
    assert dates("The strikes began on May 9 and ended on 12 May 2020.") == ["2020-05-09", "2020-05-12"]
    assert dates("The strikes began in May 2020.", published=None) == ["2020-05"]


def test_march_the_verb_and_mars_the_planet() -> None:
    assert dates("Protesters march 5 km to the square and march 2020 metres back.") == []
    assert dates("Troops entered the town on March 3, 2020.") == ["2020-03-03"]
    assert dates("Le 3 mars 2020, les troupes sont entrées dans la ville.", lang="fr") == ["2020-03-03"]
    assert dates("The Mars 2020 rover landed.", lang="en") == []
    assert dates("Mars est visible ce mois-ci.", lang="fr") == []


def test_french_sept_is_seven_in_french_text() -> None:
    assert dates("Les sept 2020 rapports.", lang="fr") == []
    assert dates("Le 27 sept. 2020, les tirs ont repris.", lang="fr") == ["2020-09-27"]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Tanks pushed deeper in Jan Younis, medics said."),
    ("en", "Residents fled in Jan Yunis as the shelling went on."),
    ("es", "Los tanques avanzaron en Jan Yunis durante la noche."),
    ("en", "Families sheltered in Mar Elias church."),
])
def test_a_month_abbreviation_before_a_capitalised_word_is_a_name(lang: str, text: str) -> None:
    assert dates(text, lang=lang) == []


def test_a_month_abbreviation_is_still_a_month_beside_a_number_or_a_lower_case_word() -> None:
    assert dates("Fighting resumed in Jan 2020 near the border.", lang="en") == ["2020-01"]
    assert dates("On 5 Jan Israeli jets struck the depot.", lang="en") == ["2020-01-05"]
    assert dates("Talks stalled in Jan. Fighting resumed.", lang="en") == ["2020-01"]
    assert dates("Talks stalled in Jan and fighting resumed.", lang="en") == ["2020-01"]
    assert event_date("Tanks pushed into Jan Yunis on 3 March 2020.", lang="en", published=WEDNESDAY) == (
        "2020-03-03", "day")


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "The detained man, born in 1964, ran a shop in the town."),
    ("fr", "L'homme arrêté, né en 1964, tenait une boutique."),
    ("es", "El detenido, nacido en 1964, regentaba una tienda."),
    ("ru", "Задержан местный житель 1964 года рождения."),
    ("ru", "Задержан местный житель 1964 г.р., сообщила полиция."),
    ("uk", "Затримано місцевого жителя 1964 року народження."),
    ("tr", "Gözaltına alınan 1964 doğumlu şüpheli dükkân işletiyordu."),
    ("ar", "اعتقل رجل من مواليد عام 1964 في البلدة."),
])
def test_a_birth_year_is_no_event_date(lang: str, text: str) -> None:
    assert dates(text, lang=lang) == []
    assert event_date(text, lang=lang, published=WEDNESDAY) == ("2020-09-30", "published")


def test_a_year_beside_a_birth_year_is_still_a_year() -> None:
    assert dates("The man, born in 1964, moved to the town in 2015.", lang="en", published=None) == ["2015"]
    assert dates("Бои возобновились в 1964 году.", lang="ru", published=None) == ["1964"]


# ---------------------------------------------------------------------------- relative days

@pytest.mark.parametrize(("text", "expected"), [
    ("Drones hit the depot on Friday.", "2020-09-25"),
    ("Drones hit the depot on Wednesday.", "2020-09-30"),
    ("Drones hit the depot on Thursday.", "2020-09-24"),
    ("Drones hit the depot last Wednesday.", "2020-09-23"),
    ("Talks resume next Friday.", "2020-10-02"),
    ("Clashes broke out after Friday prayers.", "2020-09-25"),
    ("Des drones ont frappé le dépôt vendredi.", "2020-09-25"),
    ("Des drones ont frappé le dépôt vendredi dernier.", "2020-09-25"),
    ("Беспилотники атаковали склад в пятницу.", "2020-09-25"),
    ("Беспилотники атаковали склад в среду.", "2020-09-30"),
    ("قصفت طائرات مسيرة المستودع يوم الجمعة.", "2020-09-25"),
    ("قصفت طائرات مسيرة المستودع الجمعة.", "2020-09-25"),
    ("وقصفت طائرات مسيرة المستودع والأحد الماضي.", "2020-09-27"),
])
def test_weekdays(text: str, expected: str) -> None:
    mentions = find_dates(text, lang=None, published=WEDNESDAY)
    assert [(m.value, m.precision, m.relative) for m in mentions] == [(expected, "day", True)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Shells fell on the market yesterday.", "2020-09-29"),
    ("Shells fell on the market today.", "2020-09-30"),
    ("Shells fell on the market last night.", "2020-09-29"),
    ("Shells fell on the market overnight.", "2020-09-29"),
    ("Des obus sont tombés sur le marché hier.", "2020-09-29"),
    ("Des obus sont tombés sur le marché aujourd'hui.", "2020-09-30"),
    ("Des obus sont tombés sur le marché cette nuit.", "2020-09-29"),
    ("Des obus sont tombés sur le marché avant-hier.", "2020-09-28"),
    ("Снаряды упали на рынок вчера.", "2020-09-29"),
    ("Снаряды упали на рынок сегодня.", "2020-09-30"),
    ("Снаряды упали на рынок ночью.", "2020-09-29"),
    ("Снаряды упали на рынок позавчера.", "2020-09-28"),
    ("سقطت قذائف على السوق أمس.", "2020-09-29"),
    ("وسقطت قذائف على السوق بالأمس.", "2020-09-29"),
    ("سقطت قذائف على السوق اليوم.", "2020-09-30"),
    ("سقطت قذائف على السوق الليلة الماضية.", "2020-09-29"),
    ("سقطت قذائف على السوق أول أمس.", "2020-09-28"),
])
def test_yesterday_today_last_night(text: str, expected: str) -> None:
    mentions = find_dates(text, lang=None, published=WEDNESDAY)
    assert [(m.value, m.relative) for m in mentions] == [(expected, True)]


def test_relative_words_need_publication_and_weeks_are_not_dates() -> None:
    assert dates("Shells fell yesterday and on Friday.", published=None) == []
    assert dates("Shelling intensified this week and last week.") == []
    assert dates("Russia Today reported the strike.") == []
    assert dates("وفي اليوم التالي انسحبت القوات.") == []


def test_russian_night_before_a_weekday_and_anaphoric_night() -> None:
    saturday = datetime.date(2020, 10, 10)
    assert dates("Министры договорились в ночь на субботу.", published=saturday) == ["2020-10-09"]
    assert dates("Той же ночью ракета попала в дом.", published=saturday) == []


def test_weekday_before_a_date_belongs_to_it() -> None:
    text = "The strike came on Friday, October 2, 2020, before dawn."
    [mention] = find_dates(text, lang="en", published=WEDNESDAY)
    assert text[mention.start:mention.end] == "Friday, October 2, 2020"
    assert (mention.value, mention.relative) == ("2020-10-02", False)


def test_datetime_as_publication() -> None:
    assert dates("It happened yesterday.", published=datetime.datetime(2020, 9, 30, 12)) == ["2020-09-29"]


# ---------------------------------------------------------------------------- offsets

def test_offsets_cover_the_expressions() -> None:
    text = ("BAKU, Sept. 27 - Shelling resumed yesterday, 27 сентября 2020 года, in September 2020, "
            "le 1er octobre, 27 سبتمبر/أيلول 2020 and 27.09.2020, in 2023, في اليوم.")
    assert spans(text) == ["Sept. 27", "yesterday", "27 сентября 2020 года", "September 2020", "1er octobre",
                           "27 سبتمبر/أيلول 2020", "27.09.2020", "2023", "اليوم"]
    mentions = find_dates(text, lang=None, published=WEDNESDAY)
    assert all(isinstance(m, DateMention) and 0 <= m.start < m.end <= len(text) for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


# ---------------------------------------------------------------------------- event_date

def test_event_date_prefers_a_day() -> None:
    sentence = "In September 2020, shells hit Dalmora on 27 September and again in 2021."
    assert event_date(sentence, lang="en", published=WEDNESDAY) == ("2020-09-27", "day")


def test_event_date_relative_day() -> None:
    assert event_date("Shells hit Dalmora yesterday.", lang="en", published=WEDNESDAY) == ("2020-09-29", "day")


def test_event_date_month_then_year() -> None:
    assert event_date("Dalmora fell in 2019, after sieges in May 2019.", lang="en", published=None) == (
        "2019-05", "month")
    assert event_date("Dalmora fell in 2019.", lang="en", published=WEDNESDAY) == ("2019", "year")


def test_event_date_falls_back_to_publication() -> None:
    assert event_date("Shells hit Dalmora.", lang="en", published=WEDNESDAY) == ("2020-09-30", "published")
    assert event_date("Shells hit Dalmora.", lang="en", published=None) == (None, None)


# ---------------------------------------------------------------------------- publication dates

@pytest.mark.parametrize(("value", "expected"), [
    ("2020-10-05", datetime.date(2020, 10, 5)),
    ("2020-10-05T10:00:00Z", datetime.date(2020, 10, 5)),
    ("2020-10-05 23:30:00+03:00", datetime.date(2020, 10, 5)),
    (" 2020-10-05 ", datetime.date(2020, 10, 5)),
    ("Mon, 05 Oct 2020 10:00:00 GMT", datetime.date(2020, 10, 5)),
    ("garbage", None),
    ("2020-13-45", None),
    ("", None),
    (None, None),
])
def test_parse_published(value: str | None, expected: datetime.date | None) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("header", [
    "Published: 2020-10-05\nCeasefire violated near Dalmora",
    "Ceasefire violated near Dalmora\nOctober 5, 2020\n",
    "Cessez-le-feu violé près de Dalmora\n5 octobre 2020",
    "Нарушение перемирия у Далморы\n5 октября 2020 г., 10:15",
    "خرق وقف إطلاق النار قرب دالمورا\n5 أكتوبر 2020",
    "2020-10-05T10:00:00Z\nCeasefire violated near Dalmora",
])
def test_published_from_text(header: str) -> None:
    assert published_from_text(header + "\nShells fell on 3 October 2020.") == datetime.date(2020, 10, 5)


def test_published_from_text_weekday_header_and_limits() -> None:
    assert published_from_text("Friday, December 1, 2023\nDALMORA - Shells fell.") == datetime.date(2023, 12, 1)
    assert published_from_text("Shells fell on Friday and in 2023.\nNothing else.") is None
    assert published_from_text("\n".join(["A line."] * 6 + ["5 October 2020"])) is None
    assert published_from_text("x" * 400 + " 5 October 2020") is None


@pytest.mark.parametrize("header", [
    "5 October\nShells fell.", "October 5, 20\nShells fell.", "05.10.20 10:15", "Monday 5 Oct", "le 5 octobre",
    "٥ أكتوبر ٢٠٢٠", "5 أكتوبر ٢٠٢٠", "5/10/2020", "2020", "Oct 2020", "5 октября 2020 г.", "", "no date at all",
])
def test_published_from_text_is_the_first_full_date_found(header: str) -> None:
    """A header without four digits in a row is passed by: every full date without a publication day has its year."""
    days = [m.value for m in find_dates(header, lang=None, published=None) if m.precision == "day"]
    expected = datetime.date.fromisoformat(days[0]) if days else None
    assert published_from_text(header) == expected


def test_publication_day_is_each_articles_own() -> None:
    """The publication day is remembered by timestamp and text: articles alike but for their header date or their
    timestamp each keep their own, asked once or again."""
    body = "\nShells fell on the port."
    for _ in range(2):
        assert publication_day(None, "5 October 2020" + body) == datetime.date(2020, 10, 5)
        assert publication_day(None, "6 October 2020" + body) == datetime.date(2020, 10, 6)
        assert publication_day("2021-01-02", "6 October 2020" + body) == datetime.date(2021, 1, 2)
        assert publication_day(None, "Shells fell." + body) is None


# ---------------------------------------------------------------------------- Spanish, Ukrainian, Turkish

@pytest.mark.parametrize(("text", "expected", "span"), [
    ("Los bombardeos comenzaron el 27 de septiembre de 2024 al amanecer.", "2024-09-27",
     "27 de septiembre de 2024"),
    ("El alto el fuego del 1º de octubre de 2024 no se respetó.", "2024-10-01", "1º de octubre de 2024"),
    ("La tregua se firmó el 3 de Marzo del 2021 en Dalmora.", "2021-03-03", "3 de Marzo del 2021"),
    ("Обстріли почалися 27 вересня 2024 року на світанку.", "2024-09-27", "27 вересня 2024 року"),
    ("Перемир'я оголосили 10 жовтня 2024 р. у Далморі.", "2024-10-10", "10 жовтня 2024 р."),
    ("Saldırılar 27 Eylül 2024 sabahı başladı.", "2024-09-27", "27 Eylül 2024"),
    ("Ateşkes 10 Ekim 2024'te ilan edildi.", "2024-10-10", "10 Ekim 2024'te"),
    ("ATEŞKES 1 KASIM 2024 TARİHİNDE İMZALANDI.", "2024-11-01", "1 KASIM 2024"),
    ("Ateşkes 27 Eylul 2024 tarihinde bozuldu.", "2024-09-27", "27 Eylul 2024"),
])
def test_full_dates_es_uk_tr(text: str, expected: str, span: str) -> None:
    assert [(m.value, m.precision, m.relative) for m in find_dates(text, lang=None, published=None)] == [
        (expected, "day", False)]
    assert spans(text, published=None) == [span]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "Drones atacaron Dalmora el 27 de septiembre.", "2020-09-27"),
    ("uk", "Дрони атакували Далмору 27 вересня.", "2020-09-27"),
    ("uk", "Дрони атакували Далмору 2 лютого.", "2020-02-02"),
    ("tr", "İHA'lar 27 Eylül'de Dalmora'yı vurdu.", "2020-09-27"),
])
def test_dates_without_a_year_es_uk_tr(lang: str, text: str, expected: str) -> None:
    assert dates(text, lang=lang) == [expected]
    assert dates(text, lang=lang, published=None) == []


@pytest.mark.parametrize(("text", "expected", "precision"), [
    ("La ofensiva empezó en septiembre de 2024.", "2024-09", "month"),
    ("La ofensiva empezó en septiembre del 2024.", "2024-09", "month"),
    ("Наступ почався у вересні 2024 року.", "2024-09", "month"),
    ("Saldırı Eylül 2024'te başladı.", "2024-09", "month"),
    ("Los combates se reanudaron en 2023.", "2023", "year"),
    ("Бої відновилися у 2023 році.", "2023", "year"),
    ("Çatışmalar 2023 yılında yeniden başladı.", "2023", "year"),
    ("Çatışmalar 2023'te yeniden başladı.", "2023", "year"),
])
def test_months_and_years_es_uk_tr(text: str, expected: str, precision: str) -> None:
    assert [(m.value, m.precision) for m in find_dates(text, lang=None, published=None)] == [
        (expected, precision)]


@pytest.mark.parametrize("text", [
    "Las conversaciones fracasaron en agosto.", "Las conversaciones fracasaron a finales de agosto.",
    "Переговори зірвалися в серпні.", "Переговори тривали до серпня.",
    "Görüşmeler Ağustos ayında durdu.", "Görüşmeler Ağustos'ta durdu.",
])
def test_month_after_a_cue_es_uk_tr(text: str) -> None:
    assert dates(text) == ["2020-08"]
    assert dates(text, published=None) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Drones atacaron el depósito el viernes.", "2020-09-25"),
    ("Drones atacaron el depósito el miercoles.", "2020-09-30"),
    ("Drones atacaron el depósito el pasado martes.", "2020-09-29"),
    ("Drones atacaron el depósito el martes pasado.", "2020-09-29"),
    ("Las negociaciones siguen el próximo viernes.", "2020-10-02"),
    ("Дрони атакували склад у п'ятницю.", "2020-09-25"),
    ("Дрони атакували склад у п’ятницю.", "2020-09-25"),
    ("Дрони атакували склад у пʼятницю.", "2020-09-25"),
    ("Дрони атакували склад у середу.", "2020-09-30"),
    ("Дрони атакували склад минулої п'ятниці.", "2020-09-25"),
    ("Дрони атакували склад минулого понеділка.", "2020-09-28"),
    ("Переговори продовжаться наступного вівторка.", "2020-10-06"),
    ("İHA'lar depoyu Cuma günü vurdu.", "2020-09-25"),
    ("İHA'lar depoyu cuma sabahı vurdu.", "2020-09-25"),
    ("İHA'lar depoyu geçen salı vurdu.", "2020-09-29"),
    ("İHA'lar depoyu geçen Çarşamba vurdu.", "2020-09-23"),
    ("İHA'lar depoyu Çarşamba günü vurdu.", "2020-09-30"),
    ("İHA'lar depoyu Pazar günü vurdu.", "2020-09-27"),
    ("Görüşmeler önümüzdeki cuma sürecek.", "2020-10-02"),
])
def test_weekdays_es_uk_tr(text: str, expected: str) -> None:
    mentions = find_dates(text, lang=None, published=WEDNESDAY)
    assert [(m.value, m.precision, m.relative) for m in mentions] == [(expected, "day", True)]


@pytest.mark.parametrize(("text", "expected", "span"), [
    ("Cayeron obuses sobre el mercado ayer.", "2020-09-29", "ayer"),
    ("Cayeron obuses sobre el mercado anoche.", "2020-09-29", "anoche"),
    ("Cayeron obuses sobre el mercado hoy.", "2020-09-30", "hoy"),
    ("Cayeron obuses sobre el mercado anteayer.", "2020-09-28", "anteayer"),
    ("Снаряди впали на ринок вчора.", "2020-09-29", "вчора"),
    ("Снаряди впали на ринок сьогодні вночі.", "2020-09-29", "сьогодні вночі"),
    ("Снаряди впали на ринок сьогодні.", "2020-09-30", "сьогодні"),
    ("Снаряди впали на ринок позавчора.", "2020-09-28", "позавчора"),
    ("Pazara dün top mermisi düştü.", "2020-09-29", "dün"),
    ("Pazara dün gece top mermisi düştü.", "2020-09-29", "dün gece"),
    ("Pazara bugün top mermisi düştü.", "2020-09-30", "bugün"),
    ("Dünkü saldırıda pazar yeri yıkıldı.", "2020-09-29", "Dünkü"),
])
def test_relative_days_es_uk_tr(text: str, expected: str, span: str) -> None:
    mentions = find_dates(text, lang=None, published=WEDNESDAY)
    assert [(m.value, m.relative) for m in mentions] == [(expected, True)]
    assert spans(text) == [span]


@pytest.mark.parametrize("text", [
    "Los bombardeos se intensificaron la semana pasada.",
    "La delegación llegó a Santo Domingo por la noche.",
    "Обстріли посилилися минулого тижня.",
    "Рішення відклали до п'ятниці.",  # a genitive weekday alone: "until Friday"
    "Bombardımanlar geçen hafta yoğunlaştı.",
    "Çarşamba ilçesinde pazar yeri kuruldu.",  # a town and a market, not Wednesday and Sunday
    "Sali Berisha spoke to reporters.",  # not Turkish "salı"
    "Ertesi gün, yani bir önceki gün ilan edilen ateşkes bozuldu.",
    "Dun cattle grazed by the river.",
])
def test_not_dates_es_uk_tr(text: str) -> None:
    assert dates(text) == []


def test_ukrainian_night_before_a_weekday() -> None:
    saturday = datetime.date(2020, 10, 10)
    assert dates("Ракети вдарили по Далморі в ніч на суботу.", published=saturday) == ["2020-10-09"]
    assert dates("Ракети вдарили по Далморі в ніч проти суботи.", published=saturday) == ["2020-10-09"]


def test_weekday_before_a_date_belongs_to_it_es() -> None:
    text = "El ataque ocurrió el viernes 2 de octubre de 2020, antes del amanecer."
    [mention] = find_dates(text, lang="es", published=WEDNESDAY)
    assert text[mention.start:mention.end] == "viernes 2 de octubre de 2020"
    assert (mention.value, mention.relative) == ("2020-10-02", False)


@pytest.mark.parametrize(("header", "expected"), [
    ("Alto el fuego violado cerca de Dalmora\n5 de octubre de 2020", datetime.date(2020, 10, 5)),
    ("Порушення перемир'я біля Далмори\n5 жовтня 2020 р., 10:15", datetime.date(2020, 10, 5)),
    ("Dalmora yakınında ateşkes ihlali\n5 Ekim 2020 Pazartesi", datetime.date(2020, 10, 5)),
])
def test_published_from_text_es_uk_tr(header: str, expected: datetime.date) -> None:
    assert published_from_text(header) == expected


# ---------------------------------------------------------------------------- the words come from the packs

def test_a_language_is_a_file(tmp_path, monkeypatch) -> None:
    from geo import dates as module
    from geo.lexicon import pack_files

    path = tmp_path / "it.toml"
    path.write_text('code = "it"\n[dates]\nweekdays = [["lunedì"], ["martedì"], ["mercoledì"], ["giovedì"], '
                    '["venerdì"], ["sabato"], ["domenica"]]\npast = ["{day} scorso"]\n'
                    '[dates.months]\n' + "".join(f'{n} = ["{w}"]\n' for n, w in enumerate(
                        ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
                         "settembre", "ottobre", "novembre", "dicembre"], start=1))
                    + '[dates.relative_days]\nieri = -1\n', encoding="utf-8")
    patterns = module._compile((*pack_files(), path))
    monkeypatch.setattr(module, "_patterns", lambda: patterns)
    assert dates("Il bombardamento è iniziato il 27 settembre 2024.") == ["2024-09-27"]
    assert dates("I droni hanno colpito il deposito ieri e venerdì scorso.") == ["2020-09-29", "2020-09-25"]


@pytest.mark.parametrize(("table", "message"), [
    ('[dates]\nweekdays = [["a"]]\nrelative_days = { x = -1 }\n[dates.months]\n1 = ["x"]\n', "months"),
    ('[dates]\nweekdays = [["a"]]\nrelative_days = { x = -1 }\n[dates.months]\n'
     + "".join(f'{n} = ["m{n}"]\n' for n in range(1, 13)), "weekdays must be 7 lists"),
    ('[dates]\nweekdays = [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]\nrelative_days = { x = "y" }\n'
     '[dates.months]\n' + "".join(f'{n} = ["m{n}"]\n' for n in range(1, 13)), "relative_days"),
    ('[dates]\nweekdays = [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]\nrelative_days = { x = -1 }\n'
     'past = ["last"]\n[dates.months]\n' + "".join(f'{n} = ["m{n}"]\n' for n in range(1, 13)), "{day}"),
    ('[dates]\nweekdays = [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]\nrelative_days = { x = -1 }\n'
     'birth_years = ["born in"]\n[dates.months]\n' + "".join(f'{n} = ["m{n}"]\n' for n in range(1, 13)), "birth_years"),
    ('[dates]\nweekday = []\n', "unknown key 'weekday'"),
    ('code = "xx"\n', "no \\[dates\\] table"),
])
def test_malformed_dates_table_is_a_one_line_error(tmp_path, table: str, message: str) -> None:
    from geo import dates as module
    from geo.errors import InputError

    path = tmp_path / "xx.toml"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        module._compile((path,))
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_spanish_mayo_is_the_irish_county_in_english_text() -> None:
    assert dates("Floods hit farms in Mayo, officials said.", lang="en") == []
    assert dates("Las inundaciones llegaron en mayo.", lang="es") == ["2020-05"]
    assert dates("Las inundaciones llegaron el 3 de mayo de 2021.", lang=None) == ["2021-05-03"]
