"""Dates in conflict news, resolved against the article's publication date.

Finds, in English, French, Russian and Arabic text:

- full dates: "September 27, 2020", "27 septembre 2020", "27 сентября 2020 года",
  "27 سبتمبر/أيلول 2020", "2020-09-27", "27.09.2020" (day first);
- dates without a year ("Sept. 27", "1er octobre"), given the year of publication or,
  when that lands more than two months after it, the year before;
- months ("in September 2020", "в сентябре 2020 года", and "in September" given the
  publication date) and years ("in 2023", "в 2020 году", "عام 2020");
- relative days, given the publication date: weekdays ("on Friday", "в пятницу",
  "يوم الجمعة") are the latest such day on or before it ("last Friday" strictly before,
  "next Friday" strictly after, "в ночь на субботу" the Friday); "yesterday", "hier", "вчера", "أمس", "last night",
  "cette nuit", "ночью" are the day before; "today", "aujourd'hui", "сегодня", "اليوم"
  the day itself.

"May" and "March" are months only when capitalised and beside a day, a year or a
preposition ("in May"); French "mars" is not read in English text, nor a bare "sept"
(seven) in French text.  Anaphora ("the same day", "той же ночью") is left to the caller.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["DateMention", "find_dates", "event_date", "parse_published", "published_from_text"]

_AHEAD = datetime.timedelta(days=62)  # a date without a year may lie this far after publication
_HEADER_CHARS = 400
_HEADER_LINES = 6


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression and the date it stands for.

    Attributes
    ----------
    start, end : int
        Offsets of the expression in the text searched.
    value : str
        ISO 8601: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
    precision : str
        ``"day"``, ``"month"`` or ``"year"``.
    relative : bool
        Resolved from the publication date (a weekday, "yesterday", "today"...).
    """

    start: int
    end: int
    value: str
    precision: str
    relative: bool


# ---------------------------------------------------------------------------- tables

# A trailing "." marks an abbreviation whose dot is optional.  Arabic is written without
# hamza on alef and with final ه / ي: the patterns accept the other spellings.
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan.", "janvier", "janv.", "январь", "января", "январе", "янв.", "يناير", "كانون الثاني",
        "جانفي"),
    2: ("february", "feb.", "février", "fevrier", "févr.", "fevr.", "février", "февраль", "февраля", "феврале",
        "февр.", "фев.", "فبراير", "شباط", "فيفري"),
    3: ("march", "mar.", "mars", "март", "марта", "марте", "مارس", "اذار"),
    4: ("april", "apr.", "avril", "avr.", "апрель", "апреля", "апреле", "апр.", "ابريل", "نيسان", "افريل"),
    5: ("may", "mai", "май", "мая", "мае", "مايو", "ايار"),
    6: ("june", "jun.", "juin", "июнь", "июня", "июне", "يونيو", "يونيه", "حزيران", "جوان"),
    7: ("july", "jul.", "juillet", "juil.", "июль", "июля", "июле", "يوليو", "يوليه", "تموز", "جويليه"),
    8: ("august", "aug.", "août", "aout", "август", "августа", "августе", "авг.", "اغسطس", "اب", "اوت"),
    9: ("september", "sept.", "sep.", "septembre", "сентябрь", "сентября", "сентябре", "сент.", "сен.", "سبتمبر",
        "ايلول"),
    10: ("october", "oct.", "octobre", "октябрь", "октября", "октябре", "окт.", "اكتوبر", "تشرين الاول"),
    11: ("november", "nov.", "novembre", "ноябрь", "ноября", "ноябре", "нояб.", "ноя.", "نوفمبر",
         "تشرين الثاني"),
    12: ("december", "dec.", "décembre", "decembre", "déc.", "декабрь", "декабря", "декабре", "дек.", "ديسمبر",
         "كانون الاول"),
}
_CAPITALISED_ONLY = frozenset({"may", "march", "mar"})  # English words first, months when capitalised

# Monday first.  Russian: the forms used for "on <day>"; "среда" alone is also "environment".
_WEEKDAY_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "ru": ("понедельник", "вторник", "среду", "четверг", "пятниц[ау]", "суббот[ау]", "воскресенье"),
    "ar": ("اثنين", "ثلاثاء", "اربعاء", "خميس", "جمعه", "سبت", "احد"),
}
_PAST = ("last", "past", "dernier", "прошл", "الماضي")
_NEXT = ("next", "prochain", "следующ", "المقبل", "القادم")

_A = "[اأإآ]"
_AR_START = r"(?<![^\W\d_])[وف]?"  # Arabic word start with an optional conjunction clitic
_AR_ARTICLE = r"(?:ب?ال|لل)"

# (pattern, days after publication); all case-insensitive and matched as whole words.
_RELATIVE_DAYS: tuple[tuple[str, int], ...] = (
    (r"(?:the\s+)?day\s+before\s+yesterday", -2),
    (r"yesterday", -1),
    (r"last\s+night|overnight", -1),
    (r"today|tonight|this\s+(?:morning|afternoon|evening)", 0),
    (r"avant[-\s]hier", -2),
    (r"hier", -1),
    (r"cette\s+nuit|la\s+nuit\s+derni[èe]re", -1),
    (r"aujourd['’ʼ]\s?hui|ce\s+matin|ce\s+soir|cet\s+apr[èe]s-midi", 0),
    (r"позавчера", -2),
    (r"вчера", -1),
    (r"(?<!же\s)(?:этой\s+|прошлой\s+|сегодня\s+)?ночью", -1),  # not "той же ночью" (that same night)
    (r"сегодня", 0),
    (rf"{_A}ول\s+(?:من\s+)?{_A}مس|{_A}مس\s+ال{_A}ول", -2),
    (rf"(?:ب?ال)?{_A}مس", -1),
    (r"الليل[ةه]\s+الماضي[ةه]", -1),
    # "اليوم" is also "the day": not in "the next day", "the same day", "the first day"...
    (rf"{_AR_ARTICLE}يوم(?!\s+(?:التالي|السابق|نفسه|ذاته|ال{_A}ول|الثاني|الثالث|ال{_A}خير|الموالي))", 0),
)

_MONTH_CUES = (r"in|during|since|until|till|by|early|late|en|depuis|dès|début|fin|courant|jusqu['’]en|"
               r"в|во|с|до|к|начале|конце|середине|"
               rf"[وفبل]?(?:في|منذ|خلال|حتى|مطلع|{_A}واخر|{_A}وائل|منتصف|بداي[ةه]|نهاي[ةه])")
_YEAR_CUES = (r"in|since|during|until|till|throughout|early|late|en|depuis|dès|jusqu['’]en|début|fin|courant|"
              r"l['’]année|année|"
              rf"[وفبل]?(?:في|منذ|خلال|حتى|مطلع|{_A}واخر|منتصف|عام|العام|سن[ةه]|السن[ةه])")
_YEAR_TAIL = r"(?:(?:\s*(?:года|году|год|г\.)|م)(?![^\W\d_]))"  # "2020م" but not "2000 م" (metres)


def _word_pattern(word: str) -> str:
    """A regex for a table word: optional dot after an abbreviation, Arabic spelling variants."""
    dot = word.endswith(".")
    word = word.rstrip(".")
    parts = []
    for i, char in enumerate(word):
        final = i == len(word) - 1
        if char == " ":
            parts.append(r"\s+")
        elif char == "ا":
            parts.append(_A)
        elif final and char == "ه":
            parts.append("[هة]")
        elif final and char == "ي":
            parts.append("[يى]")
        else:
            parts.append(re.escape(char))
    return "".join(parts) + (r"\.?" if dot else "")


def _key(word: str) -> str:
    """A month word as written, folded to its table form."""
    word = re.sub("[أإآ]", "ا", word.lower().rstrip(".")).replace("ة", "ه").replace("ى", "ي")
    return " ".join(word.split())


_MONTHS = {_key(w): month for month, words in _MONTH_WORDS.items() for w in words}
_ANY_MONTH = "(?:" + "|".join(sorted({_word_pattern(w) for ws in _MONTH_WORDS.values() for w in ws},
                                     key=len, reverse=True)) + ")"
# A month, possibly glossed by another ("سبتمبر/أيلول", "أيلول (سبتمبر)").
_MONTH = rf"(?<![^\W\d_])(?P<m>{_ANY_MONTH})(?:\s*[/(]\s*{_ANY_MONTH}(?:\s*\))?)?(?![^\W\d_])"
_AR_WEEKDAYS = "|".join(_word_pattern(w) for w in _WEEKDAY_WORDS["ar"])
_ANY_WEEKDAY = ("(?:" + "|".join(w for lang in ("en", "fr", "ru") for w in _WEEKDAY_WORDS[lang])
                + "|сред[ау]|" + rf"[وف]?(?:يوم\s+)?{_AR_ARTICLE}(?:{_AR_WEEKDAYS}))")
# "Friday, December 1, 2023", "vendredi 2 octobre", "الجمعة 2 أكتوبر": the weekday belongs to the date.
_WEEKDAY_PREFIX = rf"(?:(?<![^\W\d_]){_ANY_WEEKDAY}[,،]?\s+(?:the\s+|le\s+)?)?"
_YEAR = rf"(?P<y>\d{{4}})(?!\d|[.,]\d){_YEAR_TAIL}?(?![^\W\d_])"
_ORDINAL = r"(?:st|nd|rd|th|er|ᵉʳ)?"

_ISO = re.compile(r"(?<![\d.,/-])(?P<y>[0-9]{4})(?P<s>[-/.])(?P<mo>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})"
                  r"(?![0-9]|[.,][0-9])")
_DAY_FIRST = re.compile(r"(?<![\d.,/-])(?P<d>[0-9]{1,2})(?P<s>[-/.])(?P<mo>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})"
                        rf"(?![0-9]|[.,][0-9]){_YEAR_TAIL}?")
_DAY_MONTH = re.compile(
    _WEEKDAY_PREFIX + rf"(?<![\d.,:/])(?P<d>\d{{1,2}}){_ORDINAL}(?:\s*[-–—]\s*\d{{1,2}}{_ORDINAL})?"
    rf"(?:\s+(?:of|de|من))?\s+{_MONTH}(?:[,،]?\s+{_YEAR})?", re.IGNORECASE)
_MONTH_DAY = re.compile(
    _WEEKDAY_PREFIX + rf"{_MONTH}\s+(?:the\s+)?(?P<d>\d{{1,2}}){_ORDINAL}(?!\d|[.,]\d|[^\W\d_])"
    rf"(?:[,،]?\s+{_YEAR})?", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"{_MONTH}[,،]?\s+(?:of\s+)?{_YEAR}", re.IGNORECASE)
_CUED_MONTH = re.compile(rf"(?<![^\W\d_])(?:(?:{_MONTH_CUES})\s+|mid-|mi-)(?:of\s+|شهر\s+)?{_MONTH}"
                         r"(?![,،]?\s*\d)", re.IGNORECASE)
_CUED_YEAR = re.compile(rf"(?<![^\W\d_])(?:(?:{_YEAR_CUES})\s+|mid-|mi-){_YEAR}", re.IGNORECASE)
_SUFFIXED_YEAR = re.compile(rf"(?<![\d.,/-])(?P<y>\d{{4}}){_YEAR_TAIL}", re.IGNORECASE)

_WEEKDAYS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![^\W\d_])(?:(?P<mod>last|next|past|this)\s+)?(?:"
               + "|".join(f"(?P<w{i}>{w})" for i, w in enumerate(_WEEKDAY_WORDS["en"])) + r")(?![^\W\d_])",
               re.IGNORECASE),
    re.compile(r"(?<![^\W\d_])(?:" + "|".join(f"(?P<w{i}>{w})" for i, w in enumerate(_WEEKDAY_WORDS["fr"]))
               + r")(?:\s+(?P<mod>dernier|prochain))?(?![^\W\d_])", re.IGNORECASE),
    re.compile(r"(?<![^\W\d_])(?P<night>ночь\s+на\s+)?(?:(?P<mod>прошл(?:ый|ую|ое)|следующ(?:ий|ую|ее))\s+)?(?:"
               + "|".join(f"(?P<w{i}>{w})" for i, w in enumerate(_WEEKDAY_WORDS["ru"])) + r")(?![^\W\d_])",
               re.IGNORECASE),
    re.compile(rf"{_AR_START}(?:يوم\s+)?{_AR_ARTICLE}(?:"
               + "|".join(f"(?P<w{i}>{_word_pattern(w)})" for i, w in enumerate(_WEEKDAY_WORDS["ar"]))
               + r")(?:\s+(?P<mod>الماضي[ةه]?|المقبل[ةه]?|القادم[ةه]?))?(?![^\W\d_])"),
)
_RELATIVE = tuple((re.compile(rf"{_AR_START}(?:{p})(?![^\W\d_])" if re.search("[\u0600-\u06ff]", p)
                              else rf"(?<![^\W\d_])(?:{p})(?![^\W\d_])", re.IGNORECASE), days)
                  for p, days in _RELATIVE_DAYS)
_PROPER_NOUN_BEFORE = re.compile(r"[A-Z]\w*\s+$")  # "Russia Today", "USA Today"


# ---------------------------------------------------------------------------- public API


def find_dates(text: str, *, lang: str | None, published: datetime.date | None) -> list[DateMention]:
    """Date expressions in ``text``, in order, none overlapping.

    Parameters
    ----------
    text : str
        Any text; offsets refer to it.
    lang : str or None
        ISO 639-1 code of the text, used only to tell French "mars" / "sept" from English
        words; None accepts every language.
    published : datetime.date or None
        Publication date.  Needed for relative days, weekdays and dates without a year,
        which are skipped without it.

    Returns
    -------
    list of DateMention
        Where two expressions overlap, the one starting first (then the longer) wins.
    """
    if not isinstance(text, str):
        raise TypeError(f"find_dates() needs a str, not {type(text).__name__}")
    if isinstance(published, datetime.datetime):
        published = published.date()
    candidates = [*_absolute(text, lang, published), *_months_and_years(text, lang, published)]
    if published is not None:
        candidates += [*_weekdays(text, published), *_relative_days(text, published)]
    chosen: list[DateMention] = []
    for mention in sorted(candidates, key=lambda m: (m.start, m.start - m.end)):
        if not chosen or mention.start >= chosen[-1].end:
            chosen.append(mention)
    return chosen


def event_date(sentence: str, *, lang: str | None,
               published: datetime.date | None) -> tuple[str | None, str | None]:
    """The date of an event told in ``sentence`` and its precision.

    Returns
    -------
    tuple of (str or None, str or None)
        The first day-precision date in the sentence, else its first month, else its first
        year; else ``(published.isoformat(), "published")``; else ``(None, None)``.
    """
    mentions = find_dates(sentence, lang=lang, published=published)
    for precision in ("day", "month", "year"):
        for mention in mentions:
            if mention.precision == precision:
                return mention.value, precision
    if published is not None:
        return published.isoformat(), "published"
    return None, None


def parse_published(value: str | None) -> datetime.date | None:
    """The date of a publication timestamp: ISO 8601 ("2020-10-05", "2020-10-05T10:00:00Z")
    or a short date string ("Mon, 05 Oct 2020 10:00:00 GMT"); None when there is none."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        pass
    if len(value) > 100:
        return None
    return published_from_text(value)


def published_from_text(text: str) -> datetime.date | None:
    """The first full date (day, month and year) in the header of a pasted article: its first
    6 non-blank lines within the first 400 characters ("Published: 2020-10-05",
    "Friday, December 1, 2023", "5 октября 2020 г.")."""
    lines = [line for line in text[:_HEADER_CHARS].splitlines() if line.strip()]
    head = "\n".join(lines[:_HEADER_LINES])
    for mention in find_dates(head, lang=None, published=None):
        if mention.precision == "day":
            return datetime.date.fromisoformat(mention.value)
    return None


# ---------------------------------------------------------------------------- finders


def _absolute(text: str, lang: str | None, published: datetime.date | None) -> Iterator[DateMention]:
    """Dates with a day: numeric, and with a month name (the year possibly inferred)."""
    for match in _ISO.finditer(text):
        if (day := _date(int(match["y"]), int(match["mo"]), int(match["d"]))) is not None:
            yield DateMention(match.start(), match.end(), day.isoformat(), "day", False)
    for match in _DAY_FIRST.finditer(text):
        year, month, day_number = int(match["y"]), int(match["mo"]), int(match["d"])
        day = _date(year, month, day_number) or _date(year, day_number, month)  # 09/27/2020 is month first
        if day is not None:
            yield DateMention(match.start(), match.end(), day.isoformat(), "day", False)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            month = _month(match, lang)
            if month is None:
                continue
            if match["y"]:
                day = _date(int(match["y"]), month, int(match["d"]))
            elif published is not None:
                day = _infer_year(month, int(match["d"]), published)
            else:
                continue
            if day is not None:
                yield DateMention(match.start(), match.end(), day.isoformat(), "day", False)


def _months_and_years(text: str, lang: str | None, published: datetime.date | None) -> Iterator[DateMention]:
    """Months with a year or after a preposition, and years after a preposition or with "года"."""
    for match in _MONTH_YEAR.finditer(text):
        if (month := _month(match, lang)) is not None:
            yield DateMention(match.start(), match.end(), f"{int(match['y']):04d}-{month:02d}", "month", False)
    if published is not None:
        for match in _CUED_MONTH.finditer(text):
            if (month := _month(match, lang)) is not None and (first := _infer_year(month, 1, published)):
                yield DateMention(match.start("m"), match.end(), first.isoformat()[:7], "month", False)
    for pattern in (_CUED_YEAR, _SUFFIXED_YEAR):
        for match in pattern.finditer(text):
            if 1900 <= int(match["y"]) <= 2100:
                yield DateMention(match.start("y"), match.end(), f"{int(match['y']):04d}", "year", False)


def _weekdays(text: str, published: datetime.date) -> Iterator[DateMention]:
    """Weekday names, resolved to the latest such day on or before publication."""
    for pattern in _WEEKDAYS:
        for match in pattern.finditer(text):
            weekday = next(i for i in range(7) if match[f"w{i}"])
            back = (published.weekday() - weekday) % 7
            mod = _key(match["mod"] or "")
            if mod.startswith(_PAST):
                back = back or 7
            elif mod.startswith(_NEXT):
                back = -((weekday - published.weekday()) % 7 or 7)
            if match.groupdict().get("night"):
                back += 1  # "в ночь на субботу": the night that begins on Friday
            day = published - datetime.timedelta(days=back)
            yield DateMention(match.start(), match.end(), day.isoformat(), "day", True)


def _relative_days(text: str, published: datetime.date) -> Iterator[DateMention]:
    """"yesterday", "aujourd'hui", "ночью", "أمس"... as days counted from publication."""
    for pattern, days in _RELATIVE:
        for match in pattern.finditer(text):
            word = match.group()
            if word[:1] == "T" and word.lower() == "today" and _PROPER_NOUN_BEFORE.search(text, 0, match.start()):
                continue
            day = published + datetime.timedelta(days=days)
            yield DateMention(match.start(), match.end(), day.isoformat(), "day", True)


# ---------------------------------------------------------------------------- helpers


def _month(match: re.Match[str], lang: str | None) -> int | None:
    """The month matched, or None when the word is more likely not a month here."""
    word = match["m"]
    key = _key(word)
    if key in _CAPITALISED_ONLY and not word[:1].isupper():
        return None
    if (key == "mars" and lang == "en") or (key == "sept" and not word.endswith(".") and lang == "fr"):
        return None
    return _MONTHS.get(key)


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, published: datetime.date) -> datetime.date | None:
    """``day``/``month`` in the year of publication, or the year before when that lands over
    two months after publication."""
    for year in (published.year, published.year - 1):
        candidate = _date(year, month, day)
        if candidate is not None and candidate <= published + _AHEAD:
            return candidate
    return None
