"""Dates in conflict news, resolved against the article's publication date.

The words are data: the ``[dates]`` table of each language pack (``geo/languages/<code>.toml``,
keys in ``geo/languages/README.md``), read once per process.  As for the other word lists, a
word of any pack counts in any text.  With the shipped packs this finds, in English, French,
Spanish, Russian, Ukrainian, Turkish and Arabic text:

- full dates: "September 27, 2020", "27 septembre 2020", "27 de septiembre de 2024",
  "27 сентября 2020 года", "27 вересня 2024 року", "27 Eylül 2024", "27 سبتمبر/أيلول 2020",
  "2020-09-27", "27.09.2020" (day first);
- dates without a year ("Sept. 27", "1er octobre"), given the year of publication or,
  when that lands more than two months after it, the year before;
- months ("in September 2020", "в сентябре 2020 года", "Eylül ayında", and "in September"
  given the publication date) and years ("in 2023", "в 2020 году", "2023 yılında", "عام 2020");
- relative days, given the publication date: weekdays ("on Friday", "в пятницу", "el viernes",
  "Cuma günü", "يوم الجمعة") are the latest such day on or before it ("last Friday", "geçen salı"
  strictly before, "next Friday" strictly after, "в ночь на субботу" the Friday); "yesterday",
  "hier", "ayer", "вчера", "dün", "أمس", "last night", "anoche", "ночью" are the day before;
  "today", "hoy", "сьогодні", "bugün", "اليوم" the day itself.

"May" and "March" are months only when capitalised and beside a day, a year or a
preposition ("in May"); French "mars" is not read in English text, nor a bare "sept"
(seven) in French text; a month abbreviation without its dot before a capitalised word is
part of a name ("in Jan Younis", "Mar Elias").  A birth year ("born in 1964", "1964 года
рождения", "1964 doğumlu") is no event's date.  Anaphora ("the same day", "той же ночью") is
left to the caller.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gazetteer.memo import memoised

from .errors import InputError
from .lexicon import pack_files, read_pack

__all__ = ["DATE_KEYS", "DateMention", "event_date", "find_dates", "parse_published", "publication_day",
           "published_from_text"]

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


# ---------------------------------------------------------------------------- orthography

# Script-general spelling, not vocabulary (the words are in the packs): Arabic alef with or
# without hamza or madda, final ة/ه and ى/ي; the Arabic conjunctions and prepositions written
# as one word with the next; the article ال also after ب and as لل; apostrophes; accents that
# may be dropped from Latin letters in words of four letters or more ("aout", "sabado", "eylul"; a
# shorter one would meet other words: "dün", "dun"); Turkish ı is a letter of its own (ı or I, never i).
_ALEF = "[اأإآ]"
_AR_DAY_CLITIC = "[وف]?"  # before a weekday or a relative day
_AR_CUE_CLITIC = "[وفبل]?"  # before a month or year cue ("وفي", "بداية" -> "ببداية")
_AR_ARTICLE = r"(?:ب?ال|لل)"
_APOSTROPHES = "'’ʼ`"
_APOSTROPHE = "['’ʼ`]"
_ARABIC = re.compile("[\u0600-\u06ff]")
_AFTER_NON_LETTER = r"(?<![^\W\d_])"
_BEFORE_NON_LETTER = r"(?![^\W\d_])"
_NEVER = "(?!)"

#: The keys of a pack's ``[dates]`` table (see geo/languages/README.md).
_WORD_KEYS = (
    "capitalised_months", "not_months", "capitalised_names", "not_dates", "day_suffixes", "day_articles",
    "day_month_links", "month_year_links", "month_cues", "month_fillers", "month_tail", "month_suffix",
    "year_cues", "year_tail", "year_suffix",
)
_TEMPLATE_KEYS = ("past", "next", "this", "eve", "frames")  # "last {day}", "{day} dernier"
DATE_KEYS = ("months", "weekdays", "weekdays_in_phrase", "relative_days", *_TEMPLATE_KEYS, *_WORD_KEYS, "birth_years")


def _fold_arabic(word: str) -> str:
    return re.sub("[أإآ]", "ا", word).replace("ة", "ه").replace("ى", "ي")


def _latin_base(char: str) -> str:
    """The unaccented letter of an accented Latin one ("é" -> "e"), else the letter itself."""
    if "\u00c0" <= char <= "\u024f":
        base = unicodedata.normalize("NFD", char)[0]
        if base.isascii():
            return base
    return char


@memoised(8192)
def _key(word: str) -> str:
    """A word as written, folded to its pack form: lower case, no abbreviation dot, one
    spelling of Arabic letters, no accents on Latin letters, i for ı, single spaces."""
    word = _fold_arabic(word.lower().rstrip("."))
    for apostrophe in _APOSTROPHES[1:]:
        word = word.replace(apostrophe, "'")
    chars: list[str] = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char) and chars and chars[-1].isascii():
            continue  # an accent on a Latin letter (and the dot of a lower-cased İ)
        chars.append("i" if char == "ı" else char)
    return " ".join(unicodedata.normalize("NFC", "".join(chars)).split())


def _word_pattern(word: str, *, abbreviation: bool = False, accents: bool = False, article: bool = False) -> str:
    """A regex for a pack word or phrase: spaces are any whitespace, a hyphen also a space,
    Arabic letters in all their spellings; ``abbreviation``: a final "." is optional;
    ``accents``: accents may be left out; ``article``: an Arabic word written with ال also
    matches with بال / لل."""
    dot = abbreviation and word.endswith(".")
    word = _fold_arabic((word[:-1] if dot else word).lower())
    head = ""
    if article and word.startswith("ال") and len(word) > 3:
        head, word = _AR_ARTICLE, word[2:]
    parts = []
    plain = False
    for i, char in enumerate(word):
        final = i + 1 == len(word) or word[i + 1] == " "
        if char != " " and (i == 0 or word[i - 1] == " "):
            # accents are optional on words of 4 letters or more: "août", "sabado", "eylul", not "dun"
            plain = accents and len(word[i:].split(" ", 1)[0].rstrip(".")) >= 4
        if char == " ":
            parts.append(r"\s+")
        elif char == "-":
            parts.append(r"[-\s]")
        elif char in _APOSTROPHES:
            parts.append(_APOSTROPHE + (r"\s?" if i else ""))  # "aujourd' hui"; a suffix "'de" is attached
        elif char == "ا":
            parts.append(_ALEF)
        elif final and char == "ه":
            parts.append("[هة]")
        elif final and char == "ي":
            parts.append("[يى]")
        elif char == "ı":
            parts.append("(?-i:[ıI])")
        elif plain and (base := _latin_base(char)) != char:
            parts.append(f"[{char}{base}]")
        else:
            parts.append(re.escape(char))
    return head + "".join(parts) + (r"\.?" if dot else "")


def _alternation(patterns: Iterable[str]) -> str:
    """The patterns as one group, longest first; a group that never matches when there are none."""
    unique = sorted(set(patterns), key=lambda p: (-len(p), p))
    return "(?:" + "|".join(unique) + ")" if unique else _NEVER


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): _latin_base(c) for c in map(chr, range(0xC0, 0x250))}
    table.update({ord("ı"): "i", 0x307: None, ord("أ"): "ا", ord("إ"): "ا", ord("آ"): "ا", ord("ة"): "ه",
                  ord("ى"): "ي"})
    table.update({ord(c): "'" for c in _APOSTROPHES[1:]})
    return table


_FOLD = _fold_table()
_LETTERS = re.compile(r"[^\W\d_]+")


def _fold_text(text: str) -> str:
    """Lower case, Latin accents, Arabic spellings and apostrophes folded (offsets may move):
    a text in which every word a pattern matches is found as its pack word, folded the same."""
    return text.lower().translate(_FOLD)


def _anchor(entry: str, *, article: bool) -> str:
    """A part of ``entry`` that every text it matches contains once folded: its longest run of
    letters, without ال when that run may be written with another article (بال, لل)."""
    runs = _LETTERS.findall(_fold_text(entry))
    longest = max(runs, key=len)
    if article and longest is runs[0] and longest.startswith("ال") and len(longest) > 3:
        return longest[2:]
    return longest


def _birth_pattern(entry: str) -> str:
    """A regex for a ``birth_years`` phrase: its words around any four digits ("born in {year}")."""
    before, after = (part.strip() for part in entry.split("{year}"))
    return ((_word_pattern(before, accents=True) + r"\s+" if before else "") + r"\d{4}"
            + (r"\s*" + _word_pattern(after, accents=True) if after else ""))


def _hint(anchors: Iterable[str]) -> re.Pattern[str]:
    """A case-sensitive search for any of the anchors in a folded text (fast: literals only)."""
    return re.compile("|".join(sorted({re.escape(a) for a in anchors})) or _NEVER)


# ---------------------------------------------------------------------------- the packs' [dates] tables


def _is_words(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _read_dates(path: Path) -> tuple[str, dict]:
    """The code and the checked ``[dates]`` table of one pack; InputError naming the file."""
    document = read_pack(path)
    table = document.get("dates")
    if not isinstance(table, dict):
        raise InputError(f"{path}: no [dates] table (months, weekdays, relative_days: see geo/languages/README.md)")
    unknown = sorted(set(table) - set(DATE_KEYS))
    if unknown:
        raise InputError(f"{path}: [dates] has unknown key {unknown[0]!r}; known: {', '.join(DATE_KEYS)}")
    months = table.get("months")
    if (not isinstance(months, dict) or set(months) != {str(n) for n in range(1, 13)}
            or not all(_is_words(words) and words for words in months.values())):
        raise InputError(f"{path}: [dates] months must give words for each of 1 to 12 (1 = [\"january\", ...])")
    weekdays = table.get("weekdays")
    in_phrase = table.get("weekdays_in_phrase", [[]] * 7)
    for key, value in (("weekdays", weekdays), ("weekdays_in_phrase", in_phrase)):
        if not isinstance(value, list) or len(value) != 7 or not all(_is_words(forms) for forms in value):
            raise InputError(f"{path}: [dates] {key} must be 7 lists of words, Monday first")
    if not all(a or b for a, b in zip(weekdays, in_phrase)):
        raise InputError(f"{path}: [dates] every weekday needs a word in weekdays or weekdays_in_phrase")
    relative = table.get("relative_days")
    if (not isinstance(relative, dict) or not relative
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in relative.values())):
        raise InputError(f"{path}: [dates] relative_days must map words to days from publication "
                         f"(yesterday = -1)")
    for key in (*_TEMPLATE_KEYS, *_WORD_KEYS):
        if key in table and not _is_words(table[key]):
            raise InputError(f"{path}: [dates] {key} must be a list of words")
    for key in _TEMPLATE_KEYS:
        for entry in table.get(key, []):
            if entry.count("{day}") != 1 or not (entry.startswith("{day} ") or entry.endswith(" {day}")):
                raise InputError(f"{path}: [dates] {key} entry {entry!r} must be a word before or after "
                                 f"{{day}} (\"last {{day}}\", \"{{day}} dernier\")")
    births = table.get("birth_years", [])
    if not _is_words(births) or not all(entry.count("{year}") == 1 and entry.strip() != "{year}" for entry in births):
        raise InputError(f"{path}: [dates] birth_years must be phrases around one {{year}} (\"born in {{year}}\")")
    return str(document.get("code", path.stem)), table


@dataclass(frozen=True)
class _Patterns:
    """Everything the finders use, compiled from the packs."""

    months: dict[str, int]  # folded month word -> month
    abbreviations: frozenset[str]  # folded month words a pack writes with a dot ("jan")
    capitalised_months: frozenset[str]
    not_months: dict[str, frozenset[str]]  # language -> folded words
    capitalised_names: frozenset[str]
    iso: re.Pattern[str]
    day_first: re.Pattern[str]
    day_month: re.Pattern[str]
    month_day: re.Pattern[str]
    month_year: re.Pattern[str]
    cued_month: re.Pattern[str]
    tailed_month: re.Pattern[str]
    cued_year: re.Pattern[str]
    suffixed_year: re.Pattern[str]
    weekday: re.Pattern[str]
    weekday_groups: tuple[tuple[str, int, bool], ...]  # (group, weekday, read alone)
    context_groups: tuple[str, ...]  # groups that make a weekday form part of a phrase
    relative: re.Pattern[str]
    relative_days: tuple[int, ...]  # group r<i> -> days from publication
    not_dates: re.Pattern[str]
    birth_years: re.Pattern[str]  # "born in 1964", "1964 года рождения"
    month_hint: re.Pattern[str]  # in the folded text: a month word (else no pattern with a month can match)
    tail_hint: re.Pattern[str]  # a month tail or suffix
    weekday_hint: re.Pattern[str]
    relative_hint: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    """The patterns of the shipped packs, compiled once per process."""
    return _compile(tuple(pack_files()))


@cache
def _compile(paths: tuple[Path, ...]) -> _Patterns:
    tables = [(path, *_read_dates(path)) for path in paths]
    words: dict[str, list[str]] = {key: [] for key in _WORD_KEYS}
    months: dict[str, int] = {}
    abbreviations: set[str] = set()
    month_patterns: list[str] = []
    births: list[str] = []
    alone: list[list[str]] = [[] for _ in range(7)]
    in_phrase: list[list[str]] = [[] for _ in range(7)]
    templates: dict[tuple[str, bool], list[str]] = {}  # (key, before the day) -> word patterns
    relative: dict[str, int] = {}
    not_months: dict[str, set[str]] = {}
    for path, code, table in tables:
        for number, entries in table["months"].items():
            for entry in entries:
                key = _key(entry)
                if months.setdefault(key, int(number)) != int(number):
                    raise InputError(f"{path}: [dates] month word {entry!r} is month {months[key]} in another pack")
                month_patterns.append(_word_pattern(entry, abbreviation=True, accents=True))
                if entry.endswith("."):
                    abbreviations.add(key)
        for target, key in ((alone, "weekdays"), (in_phrase, "weekdays_in_phrase")):
            for day, forms in enumerate(table.get(key, [[]] * 7)):
                target[day] += [_word_pattern(form, accents=True, article=True) for form in forms]
        for key in _TEMPLATE_KEYS:
            for entry in table.get(key, []):
                before = entry.endswith("{day}")
                words_of = entry.replace("{day}", "").strip()
                templates.setdefault((key, before), []).append(_word_pattern(words_of, accents=True))
        for phrase, days in table["relative_days"].items():
            pattern = _word_pattern(phrase, accents=True, article=True)
            pattern = _AR_DAY_CLITIC + pattern if _ARABIC.search(phrase) else pattern
            if relative.setdefault(pattern, days) != days:
                raise InputError(f"{path}: [dates] relative_days {phrase!r} has another value in another pack")
        for key in _WORD_KEYS:
            words[key] += table.get(key, [])
        births += [_birth_pattern(entry) for entry in table.get("birth_years", [])]
        not_months.setdefault(code, set()).update(_key(w) for w in table.get("not_months", []))

    def template(key: str, before: bool) -> str:
        return _alternation(templates.get((key, before), []))

    def plain(key: str) -> str:
        return _alternation(_word_pattern(w) for w in words[key])

    def cues(key: str) -> str:
        """Cue words before a month or year, then a space; "mid-" attached."""
        spaced = [(_AR_CUE_CLITIC if _ARABIC.search(w) else "") + _word_pattern(w)
                  for w in words[key] if not w.endswith("-")]
        attached = [_word_pattern(w[:-1]) + "-" for w in words[key] if w.endswith("-")]
        return rf"(?:{_alternation(spaced)}\s+|{_alternation(attached)})"

    any_month = _alternation(month_patterns)
    # A month, possibly glossed by another ("سبتمبر/أيلول", "أيلول (سبتمبر)").
    month = rf"{_AFTER_NON_LETTER}(?P<m>{any_month})(?:\s*[/(]\s*{any_month}(?:\s*\))?)?{_BEFORE_NON_LETTER}"
    year_tail = (rf"(?:(?:\s*{plain('year_tail')}|{plain('year_suffix')}){_BEFORE_NON_LETTER})")
    year = rf"(?P<y>\d{{4}})(?!\d|[.,]\d){year_tail}?{_BEFORE_NON_LETTER}"
    ordinal = rf"(?:{plain('day_suffixes')})?"
    articles = rf"(?:{plain('day_articles')}\s+)?"
    month_year_link = rf"(?:{plain('month_year_links')}\s+)?"
    modifiers_before = "|".join(template(key, True) for key in ("past", "next", "this"))
    # "Friday, December 1, 2023", "vendredi 2 octobre", "الجمعة 2 أكتوبر", "el viernes 27 de":
    # the weekday belongs to the date.
    any_weekday = _alternation(p for forms in (*alone, *in_phrase) for p in forms)
    weekday_prefix = (rf"(?:{_AFTER_NON_LETTER}{_AR_DAY_CLITIC}(?:(?:{modifiers_before})\s+)?"
                      rf"(?:{template('frames', True)}\s+)?{any_weekday}(?:\s+{template('frames', False)})?"
                      rf"[,،]?\s+{articles})?")

    flags = re.IGNORECASE
    iso = re.compile(r"(?<![\d.,/-])(?P<y>[0-9]{4})(?P<s>[-/.])(?P<mo>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})"
                     r"(?![0-9]|[.,][0-9])")
    day_first = re.compile(r"(?<![\d.,/-])(?P<d>[0-9]{1,2})(?P<s>[-/.])(?P<mo>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})"
                           rf"(?![0-9]|[.,][0-9]){year_tail}?", flags)
    day_month = re.compile(
        weekday_prefix + rf"(?<![\d.,:/])(?P<d>\d{{1,2}}){ordinal}(?:\s*[-–—]\s*\d{{1,2}}{ordinal})?"
        rf"(?:\s+{plain('day_month_links')})?(?:\s+|-){month}(?:[,،]?\s+{month_year_link}{year})?", flags)
    month_day = re.compile(
        weekday_prefix + rf"{month}\s+{articles}(?P<d>\d{{1,2}}){ordinal}(?!\d|[.,]\d|[^\W\d_])"
        rf"(?:[,،]?\s+{year})?", flags)
    month_year = re.compile(rf"{month}[,،]?\s+{month_year_link}{year}", flags)
    cued_month = re.compile(rf"{_AFTER_NON_LETTER}{cues('month_cues')}(?:{plain('month_fillers')}\s+)?{month}"
                            r"(?![,،]?\s*\d)", flags)
    tailed_month = re.compile(rf"{month}(?:\s+{plain('month_tail')}|{plain('month_suffix')}){_BEFORE_NON_LETTER}",
                              flags)
    cued_year = re.compile(rf"{_AFTER_NON_LETTER}{cues('year_cues')}{year}", flags)
    suffixed_year = re.compile(rf"(?<![\d.,/-])(?P<y>\d{{4}}){year_tail}", flags)

    # Weekdays: [frame] [eve] [last|next|this] DAY [frame] [last|next|this].  A form of
    # weekdays_in_phrase counts only with one of them.
    groups: list[tuple[str, int, bool]] = []
    day_alternatives = []
    for prefix, table_forms, read_alone in (("w", alone, True), ("v", in_phrase, False)):
        for day, forms in enumerate(table_forms):
            if forms:
                groups.append((f"{prefix}{day}", day, read_alone))
                day_alternatives.append(f"(?P<{prefix}{day}>{_alternation(forms)})")
    named = {"fb": template("frames", True), "eve": template("eve", True),
             "pb": template("past", True), "nb": template("next", True), "tb": template("this", True),
             "fa": template("frames", False), "ea": template("eve", False),
             "pa": template("past", False), "na": template("next", False), "ta": template("this", False)}
    present = tuple(name for name, pattern in named.items() if pattern != _NEVER)

    def optional(names: tuple[str, ...], before: bool) -> str:
        alternatives = "|".join(f"(?P<{n}>{named[n]})" for n in names if n in present)
        if not alternatives:
            return ""
        return rf"(?:(?:{alternatives})\s+)?" if before else rf"(?:\s+(?:{alternatives}))?"

    weekday = re.compile(
        _AFTER_NON_LETTER + _AR_DAY_CLITIC + optional(("fb",), True) + optional(("eve",), True)
        + optional(("pb", "nb", "tb"), True) + "(?:" + "|".join(day_alternatives) + ")"
        + optional(("fa",), False) + optional(("ea",), False) + optional(("pa", "na", "ta"), False)
        + _BEFORE_NON_LETTER, flags)

    relative_patterns = sorted(relative, key=lambda p: (-len(p), p))
    relative_rx = re.compile(_AFTER_NON_LETTER + "(?:" + "|".join(
        f"(?P<r{i}>{p})" for i, p in enumerate(relative_patterns)) + ")" + _BEFORE_NON_LETTER, flags)
    not_dates = [(_AR_DAY_CLITIC if _ARABIC.search(w) else "")
                 + _word_pattern(w.rstrip("*"), accents=True, article=True)
                 + ("" if w.endswith("*") else _BEFORE_NON_LETTER) for w in words["not_dates"]]
    return _Patterns(
        months=months,
        abbreviations=frozenset(abbreviations),
        capitalised_months=frozenset(_key(w) for w in words["capitalised_months"]),
        not_months={code: frozenset(keys) for code, keys in not_months.items()},
        capitalised_names=frozenset(_key(w) for w in words["capitalised_names"]),
        iso=iso, day_first=day_first, day_month=day_month, month_day=month_day, month_year=month_year,
        cued_month=cued_month, tailed_month=tailed_month, cued_year=cued_year, suffixed_year=suffixed_year,
        weekday=weekday, weekday_groups=tuple(groups),
        context_groups=tuple(n for n in present),
        relative=relative_rx, relative_days=tuple(relative[p] for p in relative_patterns),
        not_dates=re.compile(_AFTER_NON_LETTER + _alternation(not_dates), flags),
        birth_years=re.compile(_AFTER_NON_LETTER + _alternation(births) + _BEFORE_NON_LETTER, flags),
        month_hint=_hint(_anchor(w, article=False) for _, _, t in tables for ws in t["months"].values() for w in ws),
        tail_hint=_hint(_anchor(w, article=False) if _LETTERS.match(w) else _fold_text(w[0])
                        for w in (*words["month_tail"], *words["month_suffix"])),
        weekday_hint=_hint(_anchor(w, article=True) for _, _, t in tables
                           for key in ("weekdays", "weekdays_in_phrase") for ws in t.get(key, []) for w in ws),
        relative_hint=_hint(_anchor(w, article=True) for _, _, t in tables for w in t["relative_days"]),
    )


# ---------------------------------------------------------------------------- public API


def find_dates(text: str, *, lang: str | None, published: datetime.date | None) -> list[DateMention]:
    """Date expressions in ``text``, in order, none overlapping.

    Parameters
    ----------
    text : str
        Any text; offsets refer to it.
    lang : str or None
        ISO 639-1 code of the text, used only for the words its pack says are not months in
        its text (French "mars" in English, "sept" in French); None accepts every language.
    published : datetime.date or None
        Publication date.  Needed for relative days, weekdays and dates without a year,
        which are skipped without it.

    Returns
    -------
    list of DateMention
        Where two expressions overlap, the one starting first (then the longer) wins.

    Raises
    ------
    InputError
        A language pack's ``[dates]`` table is malformed (on the first call).
    """
    if not isinstance(text, str):
        raise TypeError(f"find_dates() needs a str, not {type(text).__name__}")
    if isinstance(published, datetime.datetime):
        published = published.date()
    patterns = _patterns()
    folded = _fold_text(text)  # to skip the patterns whose words are not in the text at all
    digit = _DIGIT.search(text) is not None
    candidates: list[DateMention] = []
    if digit:
        candidates += _numeric(patterns, text)
    if patterns.month_hint.search(folded) is not None:
        candidates += _named_months(patterns, text, folded, lang, published, digit=digit)
    if published is not None:
        if patterns.weekday_hint.search(folded) is not None:
            candidates += _weekdays(patterns, text, published)
        if patterns.relative_hint.search(folded) is not None:
            candidates += _relative_days(patterns, text, published)
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


@memoised(8)
def publication_day(published: str | None, text: str) -> datetime.date | None:
    """An article's publication day: its ``published`` timestamp, else the first full date of its
    header (:func:`published_from_text`).  Memoised (bounded): the event stage asks for it again
    for the article's tolls, and reading the header is a search of every date pattern."""
    return parse_published(published) or published_from_text(text)


def published_from_text(text: str) -> datetime.date | None:
    """The first full date (day, month and year) in the header of a pasted article: its first
    6 non-blank lines within the first 400 characters ("Published: 2020-10-05",
    "Friday, December 1, 2023", "5 октября 2020 г.")."""
    lines = [line for line in text[:_HEADER_CHARS].splitlines() if line.strip()]
    head = "\n".join(lines[:_HEADER_LINES])
    if _FOUR_DIGITS.search(head) is None:
        return None  # every pattern of a full date without a publication day has a four-digit year (most headers)
    for mention in find_dates(head, lang=None, published=None):
        if mention.precision == "day":
            return datetime.date.fromisoformat(mention.value)
    return None


# ---------------------------------------------------------------------------- finders

_DIGIT = re.compile(r"\d")
_FOUR_DIGITS = re.compile(r"\d{4}")
_WORD_BEFORE = re.compile(r"(\w+)\s+$")


def _numeric(patterns: _Patterns, text: str) -> Iterator[DateMention]:
    """Numeric dates ("2020-09-27", "27.09.2020") and years after a cue or before a tail."""
    for match in patterns.iso.finditer(text):
        if (day := _date(int(match["y"]), int(match["mo"]), int(match["d"]))) is not None:
            yield DateMention(match.start(), match.end(), day.isoformat(), "day", False)
    for match in patterns.day_first.finditer(text):
        year, month, day_number = int(match["y"]), int(match["mo"]), int(match["d"])
        day = _date(year, month, day_number) or _date(year, day_number, month)  # 09/27/2020 is month first
        if day is not None:
            yield DateMention(match.start(), match.end(), day.isoformat(), "day", False)
    births: list[tuple[int, int]] | None = None
    for pattern in (patterns.cued_year, patterns.suffixed_year):
        for match in pattern.finditer(text):
            if not 1900 <= int(match["y"]) <= 2100:
                continue
            if births is None:
                births = [birth.span() for birth in patterns.birth_years.finditer(text)]
            if not any(s <= match.start("y") and match.end("y") <= e for s, e in births):
                yield DateMention(match.start("y"), match.end(), f"{int(match['y']):04d}", "year", False)


def _named_months(patterns: _Patterns, text: str, folded: str, lang: str | None,
                  published: datetime.date | None, *, digit: bool) -> Iterator[DateMention]:
    """Dates with a month name (the year possibly inferred), months with a year, and months
    after a cue ("in September") or before one ("Eylül ayında")."""
    if digit:
        for pattern in (patterns.day_month, patterns.month_day):
            for match in pattern.finditer(text):
                month = _month(patterns, match, lang)
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
        for match in patterns.month_year.finditer(text):
            if (month := _month(patterns, match, lang)) is not None:
                yield DateMention(match.start(), match.end(), f"{int(match['y']):04d}-{month:02d}", "month", False)
    if published is None:
        return
    cued = [patterns.cued_month]
    if patterns.tail_hint.search(folded) is not None:
        cued.append(patterns.tailed_month)
    for pattern in cued:
        for match in pattern.finditer(text):
            if _names_a_place(patterns, match):
                continue  # "in Jan Younis"
            if (month := _month(patterns, match, lang)) is not None and (first := _infer_year(month, 1, published)):
                yield DateMention(match.start("m"), match.end(), first.isoformat()[:7], "month", False)


def _weekdays(patterns: _Patterns, text: str, published: datetime.date) -> Iterator[DateMention]:
    """Weekday names, resolved to the latest such day on or before publication."""
    blocked: list[tuple[int, int]] | None = None
    for match in patterns.weekday.finditer(text):
        group, weekday, alone = next(g for g in patterns.weekday_groups if match.group(g[0]) is not None)
        in_phrase = any(match.group(name) for name in patterns.context_groups)
        if not alone and not in_phrase:
            continue
        if not in_phrase and _is_name(patterns, text, match.group(group), match.start(group)):
            continue  # "Santo Domingo"
        if blocked is None:
            blocked = _blocked(patterns, text)
        if _inside(blocked, match):
            continue
        back = (published.weekday() - weekday) % 7
        if _any(match, patterns, ("pb", "pa")):
            back = back or 7
        elif _any(match, patterns, ("nb", "na")):
            back = -((weekday - published.weekday()) % 7 or 7)
        if _any(match, patterns, ("eve", "ea")):
            back += 1  # "в ночь на субботу": the night that begins on Friday
        day = published - datetime.timedelta(days=back)
        yield DateMention(match.start(), match.end(), day.isoformat(), "day", True)


def _relative_days(patterns: _Patterns, text: str, published: datetime.date) -> Iterator[DateMention]:
    """"yesterday", "aujourd'hui", "ночью", "dün", "أمس"... as days counted from publication."""
    blocked: list[tuple[int, int]] | None = None
    for match in patterns.relative.finditer(text):
        if _is_name(patterns, text, match.group(), match.start()):
            continue  # "Russia Today"
        if blocked is None:
            blocked = _blocked(patterns, text)
        if _inside(blocked, match):
            continue  # "той же ночью", "اليوم التالي"
        day = published + datetime.timedelta(days=patterns.relative_days[int(match.lastgroup[1:])])
        yield DateMention(match.start(), match.end(), day.isoformat(), "day", True)


# ---------------------------------------------------------------------------- helpers


def _any(match: re.Match[str], patterns: _Patterns, names: tuple[str, ...]) -> bool:
    return any(match.group(name) is not None for name in names if name in patterns.context_groups)


def _is_name(patterns: _Patterns, text: str, word: str, start: int) -> bool:
    """Whether a capitalised date word right after a capitalised word is part of a name."""
    if not word[:1].isupper() or _key(word) not in patterns.capitalised_names:
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and before[1][:1].isupper()


def _blocked(patterns: _Patterns, text: str) -> list[tuple[int, int]]:
    """Spans of the phrases in which a weekday or relative day is not a date (``not_dates``)."""
    return [match.span() for match in patterns.not_dates.finditer(text)]


def _inside(spans: list[tuple[int, int]], match: re.Match[str]) -> bool:
    start, end = match.span()
    return any(s <= start and end <= e for s, e in spans)


def _month(patterns: _Patterns, match: re.Match[str], lang: str | None) -> int | None:
    """The month matched, or None when the word is more likely not a month here."""
    word = match["m"]
    key = _key(word)
    if key in patterns.capitalised_months and not word[:1].isupper():
        return None
    if lang is not None and not word.endswith(".") and key in patterns.not_months.get(lang, ()):
        return None
    return patterns.months.get(key)


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_])")


def _names_a_place(patterns: _Patterns, match: re.Match[str]) -> bool:
    """Whether a month with no day or year is an abbreviation written without its dot before a capitalised
    word: the first word of a name ("Jan Younis", "Mar Elias"), no month."""
    word = match["m"]
    if word.endswith(".") or _key(word) not in patterns.abbreviations:
        return False
    after = _NEXT_WORD.match(match.string, match.end("m"))
    return after is not None and after[1].isupper()


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
