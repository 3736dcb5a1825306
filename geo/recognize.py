"""Toponym recognition: place names in a text, resolved with the whole document as context.

Offline and script-aware, in two passes:

1. *Spotting*: the longest run of words (up to five) whose normalised form is a
   name in the gazetteer, tried at every word; Arabic words also without a
   leading clitic (وباكو), inflected words also in their dictionary form by the
   ``[inflection]`` tables of the language packs (в Степанакерте → Степанакерт,
   у Харкові → Харків, Сумщині → Сумська область, Turkish Kiev'e → Kiev with the
   suffix outside the span, محافظة السويداء → السويداء).  Rules drop what is not a place: a Latin or
   Cyrillic name must be capitalised; common words that are also place names
   ("Most", "Police", "August") need a locative word before them; a name after
   a title is a person ("Minister Lavrov"); a name inside a longer capitalised
   name is part of an organisation or a person ("Morocco World News", "Minsk
   Group", "Jeyhun Bayramov"); demonyms are actors, not places.
2. *Resolving*: the unambiguous, important names (countries, capitals, areas)
   and the countries behind demonyms become the document's context; every name
   is then resolved again with it, so a document about Azerbaijan makes Ganja
   and Barda Azerbaijani.  Weak readings (a small town whose name is a single
   Arabic word, a sentence-initial word) are kept only with support.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache
from pathlib import Path

from gazetteer import Context, Gazetteer
from gazetteer.memo import WORDS, Memo, memoised
from gazetteer.normalize import ARABIC_CLITICS, fold, script_of
from gazetteer.place import Candidate, Place
from gazetteer.resolve import prior
from gazetteer.sources import WATER_REF, iter_water_bodies

from .errors import InputError
from .lexicon import LANGS, Lexicon, load_lexicon, pack_files, read_pack, strip_arabic_prefixes
from .model import Toponym
from .learned import LinearModel, load_model
from .ranking import MAX_CANDIDATES, DocumentPlaces, list_siblings, rank_features
from .span_filter import neighbourhoods, span_features
from .text import Sentence, Token, sentences, tokenize, whole_word_spans

__all__ = ["DOUBTFUL", "Recognizer", "Mention", "Spotted"]

MAX_WORDS = 5
_ANCHOR_SCORE = 0.6  # a first-pass reading this sure sets the document's context
#: The method of a name the span filter keeps out yet finds fairly likely ("the northern edge of Tikrit" in a text of
#: one sentence, with no context to support it): an event place the placement model weighs, never a toponym of
#: ``parse``.
DOUBTFUL = "doubtful"
_DOUBT_FLOOR = 0.2  # the span-filter likelihood a doubtful name needs
_DOUBT_SENTENCES = 3  # a text this short gives the span filter no context: its doubt weighs little
_CLITIC = 0.92  # penalty for a name found only without its Arabic clitic
_FUSED = 0.97  # penalty for a name found only as two words written joined (أبوظبي)
#: a mention's readings in one context, by its query names (name, penalty) and the number asked for
_Readings = dict[tuple[tuple[tuple[str, float], ...], int], list[Candidate]]
_CONNECTORS = frozenset({"de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "les", "el",
                         "al", "ul", "of", "the", "upon", "on", "sur", "en", "am", "an", "der", "den", "y", "i", "e",
                         "et", "and", "и", "на", "ла", "бин", "бен", "ibn", "bin", "ben", "abu", "umm"})
_ARTICLE_PREFIXES = ("al-", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "ed-", "en-", "er-", "es-", "et-")
_GENERIC_SUFFIXES = frozenset(fold(w) for w in (
    "City", "Province", "Region", "Governorate", "District", "Oblast", "Krai", "Republic", "State", "County",
    "Prefecture", "Municipality", "Rayon", "Territory", "Valley", "Mountains", "Highlands", "Peninsula",
))
_STREET_WORDS = frozenset(fold(w) for w in (
    "Street", "St", "Avenue", "Ave", "Road", "Rd", "Drive", "Dr", "Lane", "Ln", "Boulevard", "Blvd", "Court", "Ct",
    "Place", "Pl", "Way", "Highway", "Hwy", "Parkway", "Pkwy", "Terrace", "Circle", "Alley",
))  # the last word of a street's name: an address, no place of the toponym kinds
_LEMMA = 0.95  # penalty for a name found only in its dictionary form (Харкові -> Харків)
_MAX_LISTED = 8  # words of a list of names before the unit word that closes it ("A, B, C та D громадах")
_NOUN_REACH = 40  # characters around a name searched for a small-place noun
_LINK_WORDS = frozenset({"of", "de", "d", "du", "del"})  # "the village of X", "le village de X", "la aldea de X"
_FOLLOWING = 6  # characters after a name kept to tell what joins it to the next (", ", " and ")
_POSSESSIVE_JOIN = re.compile(r"['’]s? ")  # "Odesa's Kyivskyi": the second name is a part of the first
_POSSESSIVE_MARKS = ("'", "’")  # the characters a possessive join begins with
_PART_KM = 40.0  # a part of a town (a district, a suburb, a village it governs) lies this near its point
_MAX_SUFFIX = 6  # letters after an apostrophe that may be a Turkish suffix (Kiev'e, İstanbul'daki)


@dataclass(frozen=True)
class _Match:
    """The longest run of words from one token that makes a known name."""

    n: int  # words
    queries: list[tuple[str, float]]  # names to look up, with a penalty each
    cut: int  # characters at the end that are a suffix after the name (Kiev'e: 2)


@dataclass
class Mention:
    """A spotted name before resolution."""

    start: int
    end: int
    surface: str
    queries: list[tuple[str, float]]  # names to look up, with a penalty each
    sentence: int
    single_word: bool
    weak_position: bool  # sentence-initial, or a headline word: needs support
    after_title: bool
    after_locative: bool
    script: str
    place_noun: bool = False  # a place noun beside it: "the town of Baiji", "مدينة حلب", "Halep kenti"
    inflected: bool = False  # found in its dictionary form only (Харкові, Kiev'e)
    suffixed: bool = False  # a suffix after an apostrophe (Antalya'da): a proper name, not an everyday word
    objections: tuple[str, ...] = ()  # what the spotting rules hold against it (geo.span_filter.OBJECTIONS)
    following: str = ""  # the text right after it (a few characters): what joins it to the next name
    before_unknown_name: bool = False  # a capitalised word no place and no everyday word follows: a first name
    #                                    before a surname ("Вікторія Коваль")
    shouted: bool = False  # in capitals among words in capitals (a headline in capitals, not a dateline)
    kind_noun: str | None = None  # the kind a noun beside it names: "unit" ("the state of Washington", "Quebec
    #                               province", "Харківської області"), "town" ("the city of Washington"), or None
    after_path: bool = False  # after a word of a way to or from a place and no locative: "moved to X", "from X"
    after_name_of: bool = False  # a capitalised word and "of" before it: part of a longer name ("Gulf of Aden",
    #                              "Boucle du Mouhoun", "Saut d'Eau") or the core of one ("Republic of Azerbaijan")


@dataclass
class Spotted:
    """A spotted name, its best reading in the document's context and its span-filter feature row."""

    mention: Mention
    best: Candidate
    row: list[float]
    candidates: list[Candidate]  # every reading, best score first (``best`` is the first)


@dataclass(frozen=True)
class _Rules:
    """The ``[inflection]`` table of one language pack."""

    lang: str
    script: str  # the script its endings are written in
    endings: tuple[tuple[str, tuple[str, ...]], ...]  # longest ending first
    min_stem: int
    suffix_marks: frozenset[str]
    heads: frozenset[str]  # folded
    region_endings: tuple[str, ...] = ()  # a word so ending names the land around a town (Сумщина)
    fused_heads: tuple[str, ...] = ()  # folded; a name's first word often written joined to the next (أبوظبي)
    first_endings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # endings and first_word_endings, longest first
    unit_endings: tuple[str, ...] = ()  # case endings of the adjective of a unit named after its seat, longest first
    unit_stems: tuple[tuple[str, tuple[str, ...]], ...] = ()  # what such an adjective's stem ends in -> the seat's


class Inflection:
    """Dictionary forms of inflected place names, by the ``[inflection]`` tables of the language
    packs (see geo/languages/README.md): ``endings`` (Харкові -> Харків; Курской -> Курская
    область), ``first_word_endings`` (an adjective before its noun: Красном море -> Красное море),
    ``suffix_marks`` (Turkish: Kiev'e -> Kiev), ``heads`` (Arabic: محافظة السويداء -> السويداء) and
    ``unit_endings``/``unit_stems`` (the seat of a unit: Ізюмський [район] -> Ізюм).
    A word tries the endings of the packs written in its own script, the text's language first.
    Memoised: it runs on every capitalised word."""

    def __init__(self, rules: Sequence[_Rules]) -> None:
        self.rules = tuple(rules)
        self.marks: dict[str | None, frozenset[str]] = {r.lang: r.suffix_marks for r in self.rules}
        self.marks[None] = frozenset(m for r in self.rules for m in r.suffix_marks)
        self.heads = frozenset(h for r in self.rules for h in r.heads)
        self.fused_heads = tuple(sorted({h for r in self.rules for h in r.fused_heads}, key=len, reverse=True))
        self._lemmas: Memo = Memo()  # (word, language, first) -> its lemmas
        self._order: dict[tuple[str, str | None], tuple[_Rules, ...]] = {}

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None) -> "Inflection":
        """The tables of ``paths`` (default: the shipped language packs)."""
        return cls(_load_rules(tuple(pack_files() if paths is None else paths)))

    def lemmas(self, word: str, lang: str | None = None, *, first: bool = False) -> tuple[tuple[str, float], ...]:
        """Dictionary forms ``word`` may come from, with a penalty each, most likely first; ``first``: as the
        first word of a name of several words, which may also take the ``first_word_endings``."""
        memo = (word, lang, first)
        found = self._lemmas.get(memo)
        if found is None:
            forms: dict[str, float] = {}
            for rules in self._rules_for(script_of(word), lang) if len(word) > 3 else ():
                for ending, replacements in rules.first_endings if first else rules.endings:
                    if word.endswith(ending) and len(word) - len(ending) >= rules.min_stem:
                        stem = word[: -len(ending)]
                        for replacement in replacements:
                            forms.setdefault(stem + replacement, _LEMMA)
            forms.pop(word, None)
            found = tuple(forms.items())
            self._lemmas.keep(memo, found)
        return found

    def seats(self, word: str, lang: str | None = None) -> tuple[tuple[str, float], ...]:
        """Names of the town a unit's adjective may be formed from (Ізюмський -> Ізюм, Балаклійську -> Балаклія,
        Глушковском -> Глушково), with a penalty each: the packs' ``unit_endings`` taken off, then every
        ``unit_stems`` ending that fits the stem replaced.  For a word before a unit word (район, громада) only."""
        forms: dict[str, float] = {}
        for rules in self._rules_for(script_of(word), lang):
            ending = next((e for e in rules.unit_endings if word.endswith(e)), None)
            if ending is None:
                continue
            stem = word[: -len(ending)]
            for tail, replacements in rules.unit_stems:
                if stem.endswith(tail) and len(stem) - len(tail) >= rules.min_stem:
                    for replacement in replacements:
                        forms.setdefault(stem[: len(stem) - len(tail)] + replacement, _LEMMA)
        forms.pop(word, None)
        return tuple(forms.items())

    def _rules_for(self, script: str, lang: str | None) -> tuple[_Rules, ...]:
        memo = (script, lang)
        if memo not in self._order:
            same = [r for r in self.rules if r.endings and r.script == script]
            self._order[memo] = tuple(sorted(same, key=lambda r: r.lang != lang))
        return self._order[memo]

    def split_suffix(self, word: str, lang: str | None = None) -> int:
        """How many characters at the end of ``word`` are a suffix after an apostrophe
        (Suriye'nin: 4, İSTANBUL'DA: 3), or 0.  In a text of a language whose pack has no
        ``suffix_marks`` there is none ("Baha’i" in English); in a text of unknown language, any
        pack's marks count.  English possessives and French elisions never get here: the
        tokenizer has taken them off."""
        marks = self.marks.get(lang, self.marks[None])
        if not marks or not word[:1].isupper():
            return 0
        cut = max(word.rfind(mark) for mark in marks)
        if cut < 2:
            return 0
        head, tail = word[:cut], word[cut + 1:]
        if not (0 < len(tail) <= _MAX_SUFFIX and tail.isalpha()):
            return 0
        if not (tail.islower() or (tail.isupper() and head.isupper())):
            return 0
        return len(tail) + 1

    def names_region(self, word: str) -> bool:
        """Whether ``word`` names the land around a town by its ending (Сумщині: the Sumy region)."""
        return any(word.endswith(ending) and len(word) > len(ending) + 1
                   for rules in self.rules for ending in rules.region_endings)

    def unfused(self, word: str) -> list[str]:
        """The two-word keys ``word`` may be written joined from (أبوظبي: "ابو ظبي"), by the packs'
        ``fused_heads``; the second word keeps at least three letters."""
        key = fold(word)
        return [f"{head} {key[len(head):]}" for head in self.fused_heads
                if key.startswith(head) and len(key) - len(head) >= 3 and " " not in key]

    def is_head(self, word: str) -> bool:
        """Whether ``word`` is a generic word before a name that stays outside it (محافظة)."""
        if not self.heads:
            return False
        key = fold(word)
        return key in self.heads or strip_arabic_prefixes(key) in self.heads


@cache
def _load_rules(paths: tuple[Path, ...]) -> tuple[_Rules, ...]:
    found = []
    for path in paths:
        document = read_pack(path)
        table = document.get("inflection", {})
        where = f"{path}: [inflection]"
        if not isinstance(table, dict):
            raise InputError(f"{where} must be a table")
        known = ("endings", "first_word_endings", "min_stem", "suffix_marks", "heads", "region_endings",
                 "fused_heads", "case_suffixes", "unit_endings", "unit_stems")  # case_suffixes: geo/lexicon.py
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise InputError(f"{where} has unknown key {unknown[0]!r}; known: {', '.join(known)}")
        endings, first_only = (_endings(table.get(key, []), f"{where} {key}")
                               for key in ("endings", "first_word_endings"))
        first_endings = sorted(endings + first_only, key=lambda e: -len(e[0]))  # stable: the file's order
        marks, heads = table.get("suffix_marks", []), table.get("heads", [])
        regional, fused = table.get("region_endings", []), table.get("fused_heads", [])
        unit_endings, unit_stems = table.get("unit_endings", []), _endings(table.get("unit_stems", []),
                                                                            f"{where} unit_stems")
        for key, values in (("suffix_marks", marks), ("heads", heads), ("region_endings", regional),
                            ("fused_heads", fused), ("unit_endings", unit_endings)):
            if not (isinstance(values, list) and all(isinstance(v, str) and v for v in values)):
                raise InputError(f"{where} {key} must be a list of strings")
        min_stem = table.get("min_stem", 3)
        if not isinstance(min_stem, int) or isinstance(min_stem, bool) or min_stem < 1:
            raise InputError(f"{where} min_stem must be a positive integer")
        script = script_of("".join(e for e, _ in endings)) if endings else "other"
        found.append(_Rules(document.get("code", path.stem), script, tuple(endings), min_stem, frozenset(marks),
                            frozenset(fold(h) for h in heads), tuple(regional), tuple(fold(h) for h in fused),
                            tuple(first_endings), tuple(sorted(unit_endings, key=len, reverse=True)),
                            tuple(unit_stems)))
    return tuple(found)


def _endings(entries: object, where: str) -> list[tuple[str, tuple[str, ...]]]:
    """``[ending, [replacement, ...]]`` pairs, longest ending first (equal lengths in the file's order)."""
    found = []
    for entry in entries if isinstance(entries, list) else [entries]:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and entry[0]
                and isinstance(entry[1], list) and all(isinstance(r, str) for r in entry[1])):
            raise InputError(f"{where}: each entry is [ending, [replacement, ...]], not {entry!r}")
        found.append((entry[0], tuple(entry[1])))
    return sorted(found, key=lambda e: -len(e[0]))


class Recognizer:
    """Finds and resolves place names in texts with one gazetteer and one lexicon."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon or load_lexicon()
        self._names = gazetteer.index.name_keys().with_extra(gazetteer.overrides.places)
        self.inflection = Inflection.load()
        # recognise() and unresolved() read the same document one after the other
        self._document = lru_cache(maxsize=2)(self._split)
        # unlisted() (the event places) and unresolved() (the article's result) ask for the same document's names
        self._unresolved = lru_cache(maxsize=2)(self._unresolved_of)
        # words asked again and again, answered from the gazetteer and the packs alone
        self._names_country = lru_cache(maxsize=WORDS)(self._country_named)
        self._unknown_name = lru_cache(maxsize=WORDS)(self._unknown_word)
        # recognise() and doubtful() (the event places) weigh the same document's names
        self._filtered = lru_cache(maxsize=2)(self._span_filter)
        # (words, first word, language) -> names to query, suffix cut, whether more words may continue the name
        self._spans: Memo = Memo()
        # (word, language) -> its forms that may open a name of several words (see _openers)
        self._opening: Memo = Memo()
        # (word, language) -> whether a lower-case word is a name alone at most, and opens no water body's name
        # (see _lower_start)
        self._lower_starts: Memo = Memo()
        # language -> the readings of names out of any context but the language, shared by every document
        self._alone: dict[str | None, _Readings] = {}

    # ------------------------------------------------------------------ public

    def warm_up(self) -> None:
        """Load the word frequencies of every lexicon language now rather than at the first article."""
        for lang in LANGS:
            _is_common_word("the", lang, "latin")

    def toponyms(self, text: str, lang: str | None = None) -> list[Toponym]:
        """The place names of ``text``, resolved, sorted by position; read in normal form
        (:mod:`geo.textform`), spans in ``text`` as given."""
        from .textform import normal_form, toponym_as_read

        form = normal_form(text)
        found = [toponym for toponym, _ in self.recognise(form.text, lang)]
        return [toponym_as_read(t, form) for t in found] if form.changed else found

    def recognise(self, text: str, lang: str | None = None) -> list[tuple[Toponym, Mention]]:
        """Toponyms with the mention each came from (the event detector needs both): the spotted
        names the span filter keeps (the likeliest first where two overlap), each resolved to the
        reading the ranker finds likeliest."""
        spotted, context, likelihood = self._filtered(text, lang)
        kept = self.kept(spotted, likelihood=likelihood)
        result = [(Toponym(f.mention.start, f.mention.end, f.mention.surface, self._region(f.mention, best.place),
                           best.score, best.method), f.mention) for f, best in zip(kept, self.choose(kept))]
        return self._localities(text, self._parts_of_towns(text, self._qualified(text, result, context), context),
                                context)

    def doubtful(self, text: str, lang: str | None, spans: Iterable[tuple[int, int]]) -> list[tuple[Toponym, Mention]]:
        """The spotted names the span filter keeps out but finds fairly likely (at least ``_DOUBT_FLOOR``), with no
        objection and overlapping none of ``spans`` (the toponyms) nor each other (the likelier first), at their best
        reading, method :data:`DOUBTFUL`, in text order."""
        if len(self._document(text)[0]) > _DOUBT_SENTENCES:
            return []
        spotted, _, likelihood = self._filtered(text, lang)
        threshold = load_model("toponym_span").threshold
        doubted = [k for k in _likeliest_first(likelihood)
                   if _DOUBT_FLOOR <= likelihood[k] < threshold and not spotted[k].mention.objections]
        return [(Toponym(f.mention.start, f.mention.end, f.mention.surface, self._region(f.mention, f.best.place),
                         f.best.score, DOUBTFUL), f.mention) for f in _apart(spotted, doubted, _Covered(spans))]

    def _region(self, mention: Mention, place: Place) -> Place:
        """The place a mention names: the region around the town for a word whose ending says so
        (Сумщині: the Sumy oblast, Нікопольщину: the district of Nikopol), else the place itself."""
        if place.kind != "city" or not mention.single_word or not self.inflection.names_region(mention.surface):
            return place
        return self.gazetteer.region_of(place)

    def _span_filter(self, text: str, lang: str | None) -> tuple[list[Spotted], Context, Sequence[float]]:
        """The document's spotted names, its context and the shipped span filter's likelihood of each name."""
        spotted, context = self.spotted(text, lang)
        return spotted, context, load_model("toponym_span").scores([s.row for s in spotted]) if spotted else []

    def kept(self, spotted: Sequence[Spotted], model: LinearModel | None = None,
             likelihood: Sequence[float] | None = None) -> list[Spotted]:
        """The spotted names the span filter (``model``, by default the shipped one, whose ``likelihood`` of each
        name may be given) keeps, in text order: the likeliest of overlapping names, each above the model's
        threshold."""
        if not spotted:
            return []
        model = model or load_model("toponym_span")
        if likelihood is None:
            likelihood = model.scores([s.row for s in spotted])
        threshold = model.threshold
        return _apart(spotted, itertools.takewhile(lambda k: likelihood[k] >= threshold, _likeliest_first(likelihood)))

    def readings(self, kept: Sequence[Spotted]) -> list[tuple[list[Candidate], list[list[float]]]]:
        """Each kept name's candidate readings (best formula score first) and their ranker features."""
        document = DocumentPlaces(tuple(s.best.place for s in kept),
                                  tuple(tuple(c.place for c in s.candidates) for s in kept))
        counts = document.counts()
        listed = list_siblings([(s.mention.start, s.mention.end, s.mention.following,
                                 [s.best.place, *(c.place for c in s.candidates)]) for s in kept],
                               lambda word: self.lexicon.is_word("list", word))
        result = []
        for found, siblings in zip(kept, listed):
            result.append((found.candidates, rank_features(found.candidates, found.best.place, document, counts,
                                                           found.mention.surface,
                                                           tuple(kept[j].best.place for j in siblings),
                                                           found.mention.kind_noun)))
        return result

    def choose(self, kept: Sequence[Spotted], ranker: LinearModel | None = None) -> list[Candidate]:
        """The reading of each kept name the ranker finds likeliest, judged against the formula's readings of
        the document's other names (judging again against the ranker's own choices measured no better)."""
        ranker = ranker or load_model("toponym_rank")
        chosen = [_town_of_unit(candidates, int(ranker.scores(rows).argmax()), found.mention.kind_noun)
                  if len(candidates) > 1 else candidates[0] for found, (candidates, rows) in zip(kept, self.readings(kept))]
        return [self._town_named(c) if found.mention.kind_noun == "town" else c for found, c in zip(kept, chosen)]

    def _town_named(self, chosen: Candidate) -> Candidate:
        """A name a town noun stands beside ("la ville de Nabatiyé", "the city of X") read as an admin-1 unit is
        its namesake seat, at the unit's score."""
        seat = self.gazetteer.seat_of(chosen.place) if chosen.place.kind == "admin1" else None
        return replace(chosen, place=seat) if seat is not None else chosen

    def spotted(self, text: str, lang: str | None = None) -> tuple[list[Spotted], Context]:
        """Every spotted name with its best reading in the document's context and its span-filter
        features (:mod:`geo.span_filter`), in text order, and that context."""
        spans, persons = self._document(text)
        town_districts: set[str] = set()  # the unit adjectives the text names as a town's ("Киевского района Донецка")
        mentions = _mark_nested([m for i, sentence in enumerate(spans)
                                 for m in self._spot(text, sentence, i, persons, lang, town_districts)])
        demonym_countries = self._demonym_countries(text, spans)
        # a long article names a town in thousands of sentences: each context resolves each query list once
        alone, resolved_alone = Context(lang=lang), self._readings_alone(lang)
        first = {id(m): self._best(m, alone, resolved_alone) for m in mentions}
        # a town known in Latin script only by an alternate name ("Hamas" for Hamm) sets no context: it would
        # support itself (Arabic and Cyrillic names are alternate names of most towns)
        anchors = [c for m in mentions if (c := first[id(m)]) is not None and c.score >= _ANCHOR_SCORE
                   and not m.objections
                   and not (m.script == "latin" and c.method == "alternate" and c.place.kind == "city"
                            and c.place.rank == 0)]
        context = Context(
            countries=frozenset(c.place.country_iso2 for c in anchors if c.place.country_iso2) | demonym_countries,
            places=tuple(dict.fromkeys(c.place for c in anchors if c.place.kind in ("city", "admin1"))),
            lang=lang,
            demonym_countries=demonym_countries,
        )
        found: list[tuple[Mention, list[Candidate]]] = []
        resolved: _Readings = {}
        for mention in mentions:
            candidates = self._candidates(mention, context, memo=resolved) if first[id(mention)] is not None else []
            if not candidates:
                continue
            best = candidates[0]
            if best.matched.endswith(".") and not mention.surface.endswith("."):
                if text[mention.end:mention.end + 1] != ".":
                    continue  # an abbreviation needs its period: "Miss." is Mississippi, "Miss" a title
                mention.end += 1
                mention.surface = text[mention.start:mention.end]
            mention.following = text[mention.end:mention.end + _FOLLOWING]
            found.append((mention, candidates))
        around = neighbourhoods(
            text, [(m.start, m.end, m.surface, c[0].place.kind) for m, c in found],
            [self.lexicon.is_word("speech", _next_word(text, m.end)) for m, _ in found],
            lambda word: self.lexicon.is_word("list", word),
            [m.after_locative or m.after_path or m.place_noun for m, _ in found], [c[0].place for _, c in found])
        spotted = [Spotted(m, c[0], span_features(m, (e := _evidence(c)), first[id(m)], context, a, self._zipf(m, lang),
                                                  self._classic_verdict(m, _no_worse(e, first[id(m)]), context)),
                           c)
                   for (m, c), a in zip(found, around)]
        return spotted, context

    def with_demonyms(self, text: str, toponyms: Sequence[Toponym]) -> list[Toponym]:
        """``toponyms`` and every demonym that overlaps none of them as a toponym of its country
        ("American", "Palestinians"), as the public geoparsing corpora annotate them (``parse --demonyms``;
        our output contract keeps demonyms as actors)."""
        taken = _Covered((t.start, t.end) for t in toponyms)
        found = list(toponyms)
        spans, _ = self._document(text)
        for sentence in spans:
            for token in tokenize(text, sentence.start, sentence.end):
                iso2 = self.lexicon.demonym(token.text) or (token.text.endswith("s")
                                                            and self.lexicon.demonym(token.text[:-1]))
                place = self.gazetteer.country(iso2) if iso2 else None
                if place is not None and not taken.overlaps(token.start, token.end):
                    found.append(Toponym(token.start, token.end, token.text, place, 1.0, "demonym"))
        return sorted(found, key=lambda t: t.start)

    def unresolved(self, text: str, toponyms: Sequence[Toponym], lang: str | None = None) -> list[str]:
        """Names that read like a place but are no toponym: a capitalised run of words right
        after a locative word, or listed after one ("in Guzanli", "in Tartar and Guzanli",
        "в Гузанлы"), or beside a place noun ("the village of Guzanli", "Guzanli district"), none of it a recognised toponym, a calendar word, a title, a demonym, a
        person's name or an everyday word.  What an analyst may want to add as an override;
        Latin and Cyrillic script only (Arabic has no capitals to tell a name by).  Distinct
        names, in order of first mention."""
        return list(self._unresolved(text, tuple((t.start, t.end) for t in toponyms), lang))

    def _unresolved_of(self, text: str, spans: tuple[tuple[int, int], ...], lang: str | None) -> tuple[str, ...]:
        """:meth:`unresolved` of the toponyms that cover ``spans``, memoised."""
        return tuple(self._unresolved_names(text, _Covered(spans), lang))

    def _unresolved_names(self, text: str, covered: "_Covered", lang: str | None) -> list[str]:
        """:meth:`unresolved`, the toponyms given as the spans they cover."""
        spans, persons = self._document(text)
        found: dict[str, None] = {}
        for sentence in spans:
            tokens = tokenize(text, sentence.start, sentence.end)
            if _is_headline(tokens):
                continue  # capitals say nothing there
            for i in range(1, len(tokens)):
                if not _capitalised(tokens[i].text) or not self.lexicon.is_word("locative", tokens[i - 1].text):
                    continue  # no capitalised run can start here (the cheaper test first), or no locative before
                while words := _capitalised_run(text, tokens, i):
                    name = self._core(words)
                    start, end = name[0].start, name[-1].end
                    if not covered.overlaps(start, end) and self._unknown(name, persons, lang):
                        found.setdefault(text[start:end])
                    i += len(words)
                    if i + 1 < len(tokens) and text[tokens[i - 1].end:tokens[i].start] == " " \
                            and tokens[i].text.lower() in _LIST_WORDS:
                        i += 1  # "Tartar and Guzanli"
                    elif not (i < len(tokens) and text[tokens[i - 1].end:tokens[i].start] == ", "):
                        break  # "Tartar, Guzanli" goes on
            for words in self._beside_place_nouns(text, tokens):
                start, end = words[0].start, words[-1].end
                if not covered.overlaps(start, end) and self._unknown(words, persons, lang):
                    found.setdefault(text[start:end])
        return list(found)

    def _beside_place_nouns(self, text: str, tokens: Sequence[Token]) -> Iterator[Sequence[Token]]:
        """The capitalised runs of a sentence with a place noun before them over short fillers or right after
        them ("the village of Bamenyam", "le village de Bougui", "the Shouf district", "Ghegharkunik Province":
        the run without its generic last word)."""
        i = 0
        while i < len(tokens):
            words = _capitalised_run(text, tokens, i)
            if not words or (i > 0 and _capitalised(tokens[i - 1].text) and _adjacent(text, tokens[i - 1], tokens[i])):
                i += max(1, len(words))
                continue
            name = self._core(words)
            if _beside_place_noun(self.lexicon, tokens, i, len(name)):
                yield name
            i += len(words)

    def _core(self, words: Sequence[Token]) -> Sequence[Token]:
        """A capitalised run without its last word when that is a place noun ("Ghegharkunik Province"): the name
        is the core, as the corpora annotate it."""
        return words[:-1] if len(words) > 1 and self.lexicon.is_place_noun(words[-1].text) else words

    def unlisted(self, text: str, spans: Iterable[tuple[int, int]], lang: str | None = None) -> list[tuple[int, int]]:
        """Every mention of the :meth:`unresolved` names (places the gazetteer lacks: "in Bunagana", "à
        Djiguibombo") that overlaps none of ``spans`` (the toponyms), in text order, leaving out a name that
        reads as a person's somewhere in the document: a word of it a person's name, after a capitalised word
        ("Rex Tillerson") or before a speech verb ("Hickson said").  Spans only: the gazetteer has no point for
        them (the public corpora and ours annotate such places as toponyms)."""
        spans = tuple(spans)
        covered = _Covered(spans)
        names = [*self._unresolved(text, spans, lang), *self._after_arabic_place_noun(text, covered, lang)]
        persons = self._document(text)[1]
        found: set[tuple[int, int]] = set()
        for name in names:
            mentions = whole_word_spans(name, text)
            if set(name.split()) & persons or any(self._reads_as_person(text, start, end) for start, end in mentions):
                continue
            found.update((start, end) for start, end in mentions if not covered.overlaps(start, end))
        return sorted(found)

    def _after_arabic_place_noun(self, text: str, covered: "_Covered", lang: str | None) -> list[str]:
        """Arabic names the gazetteer lacks, told by the place noun before them (Arabic has no capitals): the
        word after "بلدة", "قرية", "منطقة", "مخيم", "حي" ... (and the next one after a first word of compound names:
        "قرية دير سريان") that is no toponym, no everyday word and no word of the packs' lists."""
        found: dict[str, None] = {}
        for sentence in self._document(text)[0]:
            tokens = tokenize(text, sentence.start, sentence.end)
            for i in range(1, len(tokens)):
                noun = tokens[i - 1].text
                if script_of(tokens[i].text) != "arabic" or not _adjacent(text, tokens[i - 1], tokens[i]) \
                        or not (self.lexicon.is_place_noun(noun) or self.inflection.is_head(noun)):
                    continue
                n = 2 if (fold(tokens[i].text) in self.inflection.fused_heads and i + 1 < len(tokens)
                          and _adjacent(text, tokens[i], tokens[i + 1])) else 1
                words = tokens[i:i + n]
                start, end = words[0].start, words[-1].end
                if not covered.overlaps(start, end) and self._unknown_arabic(words[-1].text, lang):
                    found.setdefault(text[start:end])
        return list(found)

    def _unknown_arabic(self, word: str, lang: str | None) -> bool:
        """Whether an Arabic word after a place noun may be a place the gazetteer lacks: no everyday word,
        no word of the packs' lists, no demonym."""
        lex = self.lexicon
        if len(fold(word)) < 3 or word.endswith(_ARABIC_POSSESSIVES) or lex.demonym(word) \
                or _is_common_word(word, lang or "ar", "arabic", _KNOWN_ZIPF + 1):
            return False  # "ومحيطها" (and its surroundings): a noun with its pronoun, no name
        return not any(lex.is_word(key, word) for key in ("common", "calendar", "fillers", "titles", "org_heads",
                                                           "region", "locative"))

    def _reads_as_person(self, text: str, start: int, end: int) -> bool:
        """Whether the name at ``start:end`` follows a capitalised word that is no locative or list word ("Rex
        Tillerson"; not "In Bunagana") or comes before a speech verb ("Hickson said")."""
        before = _PREVIOUS_WORD.search(text, max(0, start - 64), start)
        if before is not None:
            word = before.group(1)
            if word[:1].isupper() and not (self.lexicon.is_word("locative", word) or word.lower() in _LIST_WORDS):
                return True
        return self.lexicon.is_word("speech", _next_word(text, end))

    def _unknown(self, words: Sequence[Token], persons: frozenset[str], lang: str | None) -> bool:
        """Whether a capitalised run (no toponym) may be a place the gazetteer lacks."""
        lex, first = self.lexicon, words[0].text
        singular = first[:-1] if first.endswith("s") else first  # "Fridays", "Canadians"
        return not (len(first) < 3 or first.isupper() or lex.is_word("calendar", singular)
                    or lex.is_word("titles", first) or lex.demonym(first) or lex.demonym(singular)
                    or first in persons or first in lex.common_cased or lex.is_word("org_suffixes", words[-1].text)
                    or (len(words) > 1 and fold(words[-1].text) in _STREET_WORDS)  # "Parkwood Drive"
                    or any(_camel_case(w.text) for w in words)  # "TxDOT", "AirTran": a brand or a surname
                    or _is_common_word(first, lang, script_of(first), _KNOWN_ZIPF))

    def _qualified(self, text: str, found: list[tuple[Toponym, Mention]],
                   context: Context) -> list[tuple[Toponym, Mention]]:
        """A place followed by ", <its region or country>" is the one in it: "Paris, Tenn.", "Rabat, Malta"."""
        result = list(found)
        for n in range(len(result) - 1):
            (toponym, mention), (qualifier, _) = result[n], result[n + 1]
            if text[toponym.end:qualifier.start] != ", " or qualifier.place.kind not in ("admin1", "country"):
                continue
            if toponym.place.kind != "city" or qualifier.place.country_iso2 is None:
                continue
            within = Context(countries=context.countries | {qualifier.place.country_iso2}, places=(qualifier.place,),
                             lang=context.lang, country=qualifier.place.country_iso2)
            best = self._best(mention, within)
            if best is not None and (qualifier.place.kind == "country"
                                     or best.place.admin1_code == qualifier.place.admin1_code):
                result[n] = (Toponym(toponym.start, toponym.end, toponym.mention, best.place, best.score, best.method),
                             mention)
        return result

    def _parts_of_towns(self, text: str, found: list[tuple[Toponym, Mention]],
                        context: Context) -> list[tuple[Toponym, Mention]]:
        """A name after a town's possessive, or before a region word and the town, is a part of that town
        ("Odesa's Kyivskyi district", "the Kyivskyi district of Odesa", "Киевского района Донецка"): read near it,
        or not at all when the gazetteer knows only a namesake far away (Kyivskyi, a district of Donetsk)."""
        result = list(found)
        dropped: set[int] = set()
        for n in range(len(result) - 1):
            town_at, part_at = n, n + 1
            gap = text[result[n][0].end:result[n + 1][0].start]
            if not _POSSESSIVE_JOIN.fullmatch(gap):
                if not self._district_of(gap):
                    continue
                town_at, part_at = n + 1, n
            (town, _), (part, mention) = result[town_at], result[part_at]
            if town.place.kind != "city":
                continue
            if part.place.kind not in ("city", "district") or part.place.km_to(town.place) <= _PART_KM:
                continue  # "Toronto's Ontario": a wider unit, no part of the town
            near = Context(countries=context.countries, places=(town.place,), lang=context.lang,
                           country=town.place.country_iso2)
            best = self._best(mention, near)
            if best is not None and best.place.km_to(town.place) <= _PART_KM:
                result[part_at] = (Toponym(part.start, part.end, part.mention, best.place, best.score, best.method),
                                   mention)
            else:
                dropped.add(part_at)
        return [pair for n, pair in enumerate(result) if n not in dropped]

    def _localities(self, text: str, found: list[tuple[Toponym, Mention]],
                    context: Context) -> list[tuple[Toponym, Mention]]:
        """Without the towns a small-place noun stands right beside ("la colonia Alameda", "поселка Доля", "حي X",
        "X köyü", "the village of X") that the gazetteer places only in a country the text names nowhere else, by
        a place or a demonym: a place it lacks, not the namesake abroad (Alameda, California in a report from
        Culiacán; Dole, France in one from Donetsk)."""
        suspects = [n for n, (t, _) in enumerate(found)
                    if t.place.kind == "city" and self._beside_locality_noun(text, t)]
        if not suspects:
            return found
        named = context.demonym_countries
        foreign = {n for n in suspects
                   if found[n][0].place.country_iso2 not in named
                   and all(t.place.country_iso2 != found[n][0].place.country_iso2
                           for m, (t, _) in enumerate(found) if m != n)}
        return [pair for n, pair in enumerate(found) if n not in foreign]

    def _beside_locality_noun(self, text: str, toponym: Toponym) -> bool:
        """Whether a small-place noun is the word right after the name or right before it, over a link word
        ("of", "de") at most."""
        lex = self.lexicon
        after = re.match(r"[ \t]+([^\W\d_]+)", text[toponym.end:toponym.end + _NOUN_REACH])
        window = text[max(0, toponym.start - _NOUN_REACH):toponym.start]
        before = re.findall(r"[^\W\d_]+", window)[-2:]
        if not window.rstrip(" \t'’").endswith(tuple(before[-1:])):
            before = []  # punctuation between: no noun of this name
        return bool((after and lex.is_word("locality", after.group(1)))
                    or (before and lex.is_word("locality", before[-1]))
                    or (len(before) == 2 and before[1].casefold() in _LINK_WORDS and lex.is_word("locality", before[0])))

    def _district_of(self, gap: str) -> bool:
        """Whether the words between two names make the first a district of the second: a region word, and a
        filler at most ("district of", "района"); never one that says "in" ("Krasnodar bölgesindeki Tuapse": Tuapse in
        the Krasnodar region)."""
        words = re.findall(r"[^\W\d_]+", gap)
        return 1 <= len(words) <= 2 and self.lexicon.is_word("region", words[0]) and (
            not self.lexicon.is_word("locative", words[0])) and (
            len(words) == 1 or self.lexicon.is_word("fillers", words[1]))

    # ------------------------------------------------------------------ spotting

    def _spot(self, text: str, sentence: Sentence, index: int, persons: frozenset[str],
              lang: str | None = None, town_districts: set[str] | None = None) -> Iterator[Mention]:
        """The names of one sentence.  ``town_districts`` (shared by the document's sentences, in text order) holds
        the unit adjectives named as a town's district ("Куйбышевском районе Донецка"): one sense per document, so
        "в Куйбышевском районе" further on is that district again, never a district at the namesake seat."""
        town_districts = set() if town_districts is None else town_districts
        tokens = self._split_compounds(tokenize(text, sentence.start, sentence.end))
        headline = _is_headline(tokens)
        lower, cased = _case_runs(tokens)
        i = 0
        while i < len(tokens):
            reach = min(MAX_WORDS, len(tokens) - i)  # the words every span the spotter tries here lies in
            if lower[i] >= reach or self._begins_nothing(text, tokens[i], lang, among_cased=cased[i] >= reach):
                i += 1  # no name starts here (_case_runs, _begins_nothing)
                continue
            found = self._longest(text, tokens, i, lang)
            if found is None or found.n == 1:
                before = self._before_unit(tokens, i)
                if before is None:
                    town_districts.add(_stem(tokens[i].text))
                elif before:  # the town's district named alone again, or a unit named after its seat
                    found = None if _stem(tokens[i].text) in town_districts else self._as_seat(tokens[i].text, lang,
                                                                                                found)
            if found is not None and i + 1 < len(tokens) and self.inflection.is_head(tokens[i].text):
                if self._longest(text, tokens, i + 1, lang) is not None:
                    i += 1  # محافظة السويداء: the name is السويداء, spotted from the next word
                    continue
            if found is None:
                i += 1
                continue
            mention = self._mention(text, tokens, i, found, index, headline, persons, lang)
            while mention is None and found is not None and found.n > 1:
                # the longest name was refused ("Kisoro district", a lower-case place noun): a shorter one may not be
                found = self._longest(text, tokens, i, lang, most=found.n - 1)
                if found is not None:
                    mention = self._mention(text, tokens, i, found, index, headline, persons, lang)
            if found is None:
                i += 1
                continue
            if mention is not None and all(factor in (_CLITIC, _CLITIC * _FUSED) for _, factor in found.queries):
                # only the name without its clitic matched (وأرمينيا): the mention starts after it
                mention.start += 1
                mention.surface = text[mention.start:mention.end]
            if mention is None:
                i += 1
                continue
            yield mention
            i += 1 if mention.objections else found.n  # an objected name may hide a name inside it

    def _begins_nothing(self, text: str, token: Token, lang: str | None, *, among_cased: bool) -> bool:
        """Whether ``token`` begins no name for certain, so the spotter may pass it by (most words).  Only a lower-case
        word may (:meth:`_mention` refuses a lower-case name alone), when it opens no longer name and no possessive
        follows it, or, ``among_cased`` (the words every span tried here may take are of cased scripts), when none of
        its forms opens a water body's name written lower-case first (:meth:`_spelt_as_the_gazetteer`: "mer Rouge",
        "golfo de Adén"), the only names of several words that begin lower-case."""
        if _capitalised(token.text):
            return False
        alone, no_water = self._lower_start(token.text, lang)
        return (alone and text[token.end:token.end + 1] not in _POSSESSIVE_MARKS) or (among_cased and no_water)

    def _lower_start(self, word: str, lang: str | None) -> tuple[bool, bool]:
        """For a word not capitalised (see :meth:`_begins_nothing`): whether it is a name alone at most (no longer
        name begins with it), and whether it opens no water body's name written lower-case first; both in a cased
        script, where the case rules apply (memoised)."""
        key = (word, lang)
        found = self._lower_starts.get(key)
        if found is None:
            _, cut, more = self._span(word, word, lang)
            cased = script_of(word[:len(word) - cut]) in _CASED_SCRIPTS  # the script of the word read as a name
            forms = [word, *(lemma for lemma, _ in self.inflection.lemmas(word, lang, first=True))]
            found = (cased and not more and script_of(word) in _CASED_SCRIPTS,
                     cased and _lower_cased(word) and not any(_first_folded(f) in self._water_openers for f in forms))
            self._lower_starts.keep(key, found)
        return found

    @cached_property
    def _water_openers(self) -> frozenset[str]:
        """The first words (folded) of the water bodies' names written lower-case first ("mer", "golfo")."""
        return frozenset(_first_folded(name) for record in iter_water_bodies() for name, _ in record.names
                         if name[:1].islower())

    def _before_unit(self, tokens: Sequence[Token], i: int) -> bool | None:
        """Whether the capitalised ``tokens[i]`` comes before a unit word named after its seat, alone or in a list
        that word closes ("Ізюмський район", "Марганецькій, Покровській та Мирівській громадах"), or a unit of the
        region so named ("Ізмаїльському районі Одеської області"); None for a district of the town named after the
        unit word ("Киевского района Донецка": named otherwise)."""
        if not _capitalised(tokens[i].text):
            return False
        lex = self.lexicon
        j = i + 1
        while j < min(len(tokens), i + _MAX_LISTED) and (
                _capitalised(tokens[j].text) or lex.is_word("list", tokens[j].text)):
            j += 1
        at = lex.region_word_at([t.text for t in tokens[j:j + 2]])
        if at is None or not lex.is_word("district", tokens[j + at].text):
            return False
        unit = j + at
        after = tokens[unit + 1:unit + 3]  # a name after the unit word: the town it is a district of, or a region
        if after and _capitalised(after[0].text) and not (len(after) > 1 and lex.is_word("region", after[1].text)):
            return None
        return True

    def _as_seat(self, word: str, lang: str | None, found: _Match | None) -> _Match | None:
        """A word before a unit word read as the unit's seat (Ізюмський район: Ізюм; Харківську громаду: Харків,
        not the oblast its adjective names before области), beside the names it reads as otherwise."""
        queries = [(name, factor) for name, factor in (found.queries if found else ()) if " " not in name]
        known = {name for name, _ in queries}
        queries += [(name, factor) for name, factor in self.inflection.seats(word, lang)
                    if name not in known and self._names.is_name(fold(name))]
        return _Match(1, queries, found.cut if found else 0) if queries else found

    def _split_compounds(self, tokens: Sequence[Token]) -> Sequence[Token]:
        """Split hyphenated words that are no name themselves (Azerbaijan-Armenia, Armenian-backed)."""
        result = []
        for token in tokens:
            if "-" not in token.text or self._names.is_name(key := fold(token.text)) or self._names.starts_name(key):
                result.append(token)
                continue
            offset = token.start
            for part in token.text.split("-"):
                if part:
                    result.append(Token(offset, offset + len(part), part))
                offset += len(part) + 1
        return result

    def _longest(self, text: str, tokens: Sequence[Token], i: int, lang: str | None = None,
                 most: int = MAX_WORDS) -> _Match | None:
        """The most words (at most ``most``) from ``tokens[i]`` that make a known name, with the names to query."""
        best: _Match | None = None
        for n in range(1, min(most, len(tokens) - i) + 1):
            if n > 1:
                gap = _gap(text, tokens[i + n - 2], tokens[i + n - 1])
                if ((gap.strip(" \t-‐‑–") or len(gap) > 3) and not _abbreviated(tokens[i + n - 2].text, gap)
                        and not _POSSESSIVE_JOIN.fullmatch(gap)):  # "Cox's Bazar", "Democratic People's Republic"
                    break
            surface = text[tokens[i].start:tokens[i + n - 1].end]
            queries, cut, more = self._span(surface, tokens[i].text, lang)
            if queries:
                best = _Match(n, queries, cut)
                if n == 1 and any(" " in name for name, _ in queries):
                    break  # an adjective that stands for its area (Сумської [області]) is the whole span
            if cut or not (more or self._continues_after_possessive(text, tokens, i, n, lang)):
                break
        return best

    def _continues_after_possessive(self, text: str, tokens: Sequence[Token], i: int, n: int,
                                    lang: str | None) -> bool:
        """Whether the ``n`` words from ``tokens[i]`` and the possessive after them (the tokenizer's words leave
        it out) may begin a name: "Democratic People's [Republic of Korea]", "King's [Lynn]"."""
        if i + n >= len(tokens):
            return False
        joint = text[tokens[i + n - 1].end:tokens[i + n].start]
        if not _POSSESSIVE_JOIN.fullmatch(joint):
            return False
        return self._span(text[tokens[i].start:tokens[i + n - 1].end] + joint.rstrip(), tokens[i].text, lang)[2]

    def _span(self, surface: str, first_word: str, lang: str | None) -> tuple[list[tuple[str, float]], int, bool]:
        """:meth:`_queries` of a run of words and whether a longer run may still be a name; memoised (bounded):
        every word of every sentence is looked at, and most words come again and again."""
        key = (surface, first_word, lang)
        found = self._spans.get(key)
        if found is None:
            queries, cut = self._queries(surface, first_word, lang)
            found = (queries, cut, not cut and self._may_continue(surface, first_word, lang))
            self._spans.keep(key, found)
        return found

    def _queries(self, surface: str, first_word: str, lang: str | None = None) -> tuple[list[tuple[str, float]], int]:
        """The names to look up for ``surface``, with a penalty each, and how many characters at its
        end are a suffix after the name (Turkish Kiev'e: 2)."""
        script = script_of(first_word)
        if script == "latin" and (cut := self.inflection.split_suffix(surface, lang)):
            head = surface[:-cut]
            if self._names.is_name(fold(head)) and not self._spelt_with_apostrophe(surface):
                return [(head, 1.0)], cut
        queries = []
        key = fold(surface)
        if self._names.is_name(key):
            queries.append((surface, 1.0))
        if script == "arabic":
            return self._arabic_queries(surface, first_word, queries), 0
        if not queries:
            # inflected forms: the last word, the first or both in their dictionary form (Харкові, Нагорного
            # Карабаха; an adjective before a noun whose case form is its dictionary form: Красном море)
            words = surface.split(" ")
            lemmas = self.inflection.lemmas
            if len(words) == 1:
                heads, tails = [("", 1.0)], list(lemmas(words[0], lang))
            else:
                heads = self._openers(words[0], lang)  # only these can begin the name
                tails = [*lemmas(words[-1], lang), (words[-1], 1.0)] if heads else []
            for lemma, factor in tails:  # a last word as written needs a first word in another form
                for head, head_factor in heads:
                    if head == words[0] and lemma == words[-1]:
                        continue
                    name = " ".join([head, *words[1:-1], lemma]) if len(words) > 1 else lemma
                    if self._names.is_name(fold(name)):
                        queries.append((name, factor * head_factor))
                        break
        return queries, 0

    def _arabic_queries(self, surface: str, first_word: str, queries: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """``queries`` (the name as written, if it is one) and the names an Arabic ``surface`` may be
        written for: without its clitic (وأرمينيا; ل + ال elides the alef: للرباط is ل + الرباط) and, for
        one word that is no name, the two words a pack writes joined (أبوظبي, وأبوظبي)."""
        key = fold(surface)
        forms = [(surface, 1.0)]
        if first_word[0] in ARABIC_CLITICS:
            candidate = "ال" + surface[2:] if surface.startswith("لل") else surface[1:]
            forms.append((candidate, _CLITIC))
            if self._names.is_name(fold(candidate)) and fold(candidate) != key:
                queries.append((candidate, _CLITIC))
        if not queries and " " not in surface:
            for form, factor in forms:
                found = [name for name in self.inflection.unfused(form) if self._names.is_name(name)]
                if found:
                    return [(found[0], factor * _FUSED)]
        return queries

    def _spelt_as_the_gazetteer(self, queries: Sequence[tuple[str, float]], words: Sequence[Token]) -> bool:
        """Whether a name of several words, not all capitalised, is written (in its dictionary form, ``queries``)
        with the capitals the gazetteer gives one of its names: a capitalised name with lower-case words
        ("Territoires palestiniens", "Émirats arabes unis", "Красном море"; not "Cork city", a name and its place
        noun), or a water body whose generic word French and Spanish write in lower case ("mer Rouge", "golfo de
        Adén", "golfe d'Aden"; other names so written are no toponym as annotated: "bande de Gaza" is "Gaza")."""
        if len(words) < 2:
            return False
        if _capitalised(words[0].text):
            if self.lexicon.is_place_noun(words[-1].text):
                return False
            water_only = False
        elif words[0].text.islower() and _capitalised(words[-1].text):
            water_only = True
        else:
            return False
        return any(_capitals_agree(c.matched, name) and (not water_only or c.place.ref.startswith(WATER_REF))
                   for name, _ in queries for c in self.gazetteer.resolve(name, limit=5))

    def _abbreviation(self, text: str, word: Token) -> bool:
        """Whether a two-letter ``word`` and the period after it are an abbreviation the gazetteer writes with
        its period ("Md.", "Va.": Maryland, Virginia; "Va" alone is no name)."""
        if text[word.end:word.end + 1] != ".":
            return False
        written = text[word.start:word.end + 1]
        return any(c.matched == written for c in self.gazetteer.resolve(written, limit=5))

    def _spelt_with_apostrophe(self, surface: str) -> bool:
        """Whether ``surface`` is a name the gazetteer writes with its apostrophe (Sana'a), not a
        name and a suffix."""
        if not self._names.is_name(fold(surface)):
            return False
        return any(mark in c.matched for c in self.gazetteer.resolve(surface, limit=1) for mark in "'’‘ʼ")

    def _may_continue(self, surface: str, first_word: str, lang: str | None = None) -> bool:
        key = fold(surface)
        starts = self._names.starts_name
        if starts(key):
            return True
        script = script_of(first_word)
        if script == "arabic":
            return first_word[0] in ARABIC_CLITICS and (starts(fold(surface[1:])) or starts(fold("ال" + surface[2:])))
        if " " not in surface:
            return bool(self._openers(surface, lang))  # Красном [море]
        if not starts(fold(surface.split(" ", 1)[0])):
            return False  # a dictionary form changes the last word only: the first must begin a name as written
        return any(starts(fold(lemma)) for lemma, _ in self.inflection.lemmas(surface, lang))

    def _openers(self, word: str, lang: str | None) -> tuple[tuple[str, float], ...]:
        """The forms of ``word`` that may begin a name of several words (a prefix of a name key), with a penalty
        each: the word as written, then its dictionary forms as a first word (Красном: Красное [море]); none for
        most words.  Memoised (bounded): every capitalised word asks."""
        key = (word, lang)
        found = self._opening.get(key)
        if found is None:
            forms = [(word, 1.0), *self.inflection.lemmas(word, lang, first=True)]
            found = tuple((form, factor) for form, factor in forms if self._names.starts_name(fold(form)))
            self._opening.keep(key, found)
        return found

    def _mention(self, text: str, tokens: Sequence[Token], i: int, match: _Match, sentence: int, headline: bool,
                 persons: frozenset[str], lang: str | None = None) -> Mention | None:
        """The spotted words as a Mention, or None when the rules say they are no place
        (``persons``: the words this document uses as a person's name)."""
        n, queries = match.n, match.queries
        words = tokens[i:i + n]
        written = text[words[0].start:words[-1].end]
        surface = written[:len(written) - match.cut]  # Kiev'e: Kiev
        script = script_of(surface)
        if n == 1 and script in _CASED_SCRIPTS and not _capitalised(words[0].text):
            return None  # a lower-case word is no name alone (the case rule below, asked first: most words are)
        # an inflected form (Украины, Suriye'nin) ends its noun phrase: a capitalised word next to it
        # is no part of the same name (Президент Украины Владимир, Rusya'nın Krasnodar bölgesi) unless
        # it agrees with it (Дональдом Трампом: a person)
        inflected = script != "arabic" and all(name != written for name, _ in queries)
        area = n == 1 and any(" " in name for name, _ in queries)  # Донецкой [области]: no first name
        lex = self.lexicon
        if n == 1 and lex.demonym(surface) and (lex.is_demonym_form(surface) or not self._names_country(surface)):
            # demonyms are told by their stem: روسي- and afghan- are demonyms, روسيا and Afghanistan countries
            return None
        abbreviation = n == 1 and len(surface) == 2 and surface.istitle() and self._abbreviation(text, words[0])
        if abbreviation:
            queries = [(surface + ".", 1.0)]  # "Severn, Md. man": Maryland, written with its period
        elif n == 1 and len(surface) < 2 or (len(surface) == 2 and script != "arabic" and not surface.isupper()):
            return None  # "I", "Al", "Va"
        if n == 1 and script == "cyrillic" and _inflected_acronym(surface):
            return None  # "КАБами" (guided bombs), "ЗСУ-шники": an acronym with a case ending, no place
        following = tokens[i + n] if i + n < len(tokens) else None
        if (n == 1 and script == "arabic" and following is not None and script_of(following.text) == "arabic"
                and _adjacent(text, words[0], following)
                and any(fold(name) in self.inflection.fused_heads for name, _ in queries)):
            return None  # "دير زرنوق", "تل ...": the first word of a longer name the gazetteer lacks
        objections: list[str] = []
        if n == 1 and surface in persons:
            objections.append("person")
        previous = tokens[i - 1] if i > 0 else None
        after_title = (previous is not None and lex.is_word("titles", previous.text)
                       and _adjacent_or_dot(text, previous, words[0]))  # "Bakan, İstanbul'da": no title of it
        after_locative = previous is not None and lex.is_word("locative", previous.text)
        after_path = previous is not None and not after_locative and (lex.is_word("destination", previous.text)
                                                                       or lex.is_word("source", previous.text))
        place_noun = _beside_place_noun(lex, tokens, i, n)
        kind_noun = _kind_noun(lex, text, tokens, i, n)
        if (closing := _before_org_suffix(lex, text, tokens, i + n)) is not None:
            objections.append("org")  # Minsk Group, Sudan Doctors Network, Şanghay İşbirliği Örgütü
            if lex.is_word("facilities", closing):
                objections.append("facility")  # "Leeds General Hospital", "Ohio State University": a site's name
        elif _after_org_head(lex, text, tokens, i) or (script == "arabic" and previous is not None
                                                        and lex.is_word("org_heads", previous.text)):
            objections.append("org")  # Groupe de Minsk, Council of Europe, University of Baku, مجموعة مينسك
        if (script == "cyrillic" and following is not None and _adjacent(text, words[-1], following)
                and not _capitalised(following.text) and lex.is_word("facilities", following.text)):
            objections += ["org", "facility"]  # "на Киевском вокзале", "на Київському вокзалі": a station's name
        if n == 1 and lex.is_word("calendar", words[0].text):
            return None  # "May", "ليل الخميس" (Thursday night)
        if script in _CASED_SCRIPTS:
            if not (all(_capitalised(w.text) or (0 < k < n - 1 and w.text.lower() in _CONNECTORS)
                        for k, w in enumerate(words)) or self._spelt_as_the_gazetteer(queries, words)):
                return None
            if n == 1 and words[0].text in lex.common_cased and not abbreviation and (
                    not after_locative or _points_at_a_name(lex, tokens, i + 1)):  # "Slidell, La." is Louisiana
                objections.append("common_cased")  # "Nice", but not "à l'Ouest de Niamey", "in the North of Mali"
            if not headline:
                if (following is not None and _capitalised(following.text) and _adjacent(text, words[-1], following)
                        and not (match.cut or area or (inflected and not _agree(written, following.text)))
                        and not (after_title and self._names_country(surface))  # президента США Джо Байден
                        # a country, or any place before a title, starts no longer name: "Suriye
                        # Cumhurbaşkanı", "ABD Başkanı", "Rusya Savunma Bakanlığı" (but "Memphis St.")
                        and not (lex.is_word("titles", following.text) and text[following.end:following.end + 1] != ".")
                        and not self._names_country(surface)):
                    follow_key = fold(following.text)
                    if lex.is_word("org_suffixes", following.text) or not (follow_key in _GENERIC_SUFFIXES
                                                                           or following.text in lex.common_cased):
                        objections.append("longer_next")
                if (previous is not None and i > 1 and _capitalised(previous.text) and not after_title
                        and not (inflected and not match.cut and not _agree(written, previous.text))
                        and _adjacent(text, previous, words[0]) and previous.text not in lex.common_cased
                        and not lex.demonym(previous.text) and not self.inflection.split_suffix(previous.text, lang)):
                    objections.append("longer_prev")
        elif script == "arabic":
            if all(lex.is_word("common", w.text) for w in words):
                objections.append("common_script_word")  # "جنوب شرق" (south-east) is a direction, no place
        weak = (headline or i == 0 or (previous is not None and text[previous.end:words[0].start].strip() in ("—", "-"))
                or text[words[0].start - 1:words[0].start] in _OPENING_QUOTES)  # a quotation starts capitalised
        unknown_next = (not match.cut and following is not None and text[words[-1].end:following.start] in (" ", "-")
                        and self._unknown_name(following.text, lang))
        shouted = surface.isupper() and any(
            t is not None and _adjacent(text, *pair) and len(t.text) > 2 and t.text.isupper()
            for t, pair in ((previous, (previous, words[0])), (following, (words[-1], following))) if t is not None)
        return Mention(words[0].start, words[-1].end - match.cut, surface, queries, sentence, n == 1, weak,
                       after_title, after_locative, script, place_noun, inflected, bool(match.cut),
                       tuple(objections), before_unknown_name=unknown_next, shouted=shouted, kind_noun=kind_noun,
                       after_path=after_path,
                       after_name_of=script == "latin" and _after_name_of(text, tokens, i))

    def _unknown_word(self, word: str, lang: str | None) -> bool:
        """Whether ``word`` is a capitalised Latin or Cyrillic word that is no place name (in any of its
        dictionary forms), no everyday word and no word of the packs' lists around names (a surname, a
        brand): the name before it is more likely a first name than a place."""
        script = script_of(word)
        if script not in ("latin", "cyrillic") or not word[:1].isupper() or word.isupper() or len(word) < 3:
            return False
        lex = self.lexicon
        if (self._names.is_name(fold(word)) or any(self._names.is_name(fold(lemma))
                                                   for lemma, _ in self.inflection.lemmas(word, lang))):
            return False
        if fold(word) in _GENERIC_SUFFIXES or word in lex.common_cased or lex.demonym(word):
            return False
        if any(lex.is_word(key, word) for key in ("org_suffixes", "titles", "calendar", "fillers")) \
                or lex.is_place_noun(word):
            return False
        return not _is_common_word(word, lang, script)

    def _split(self, text: str) -> tuple[tuple[Sentence, ...], frozenset[str]]:
        """The sentences of ``text`` and the words it uses as a person's name."""
        spans = tuple(sentences(text))
        return spans, self._person_names(text, spans)

    def _person_names(self, text: str, spans: Sequence[Sentence]) -> frozenset[str]:
        """Words the document uses as a person's name: after a title ("Sen. Brown", "Minister
        Lavrov") or after a first name mid-sentence ("John Brown"); one sense per document."""
        names = set()
        for sentence in spans:
            tokens = tokenize(text, sentence.start, sentence.end)
            for k in range(1, len(tokens)):
                previous, token = tokens[k - 1], tokens[k]
                if not (_capitalised(token.text) and _adjacent_or_dot(text, previous, token)):
                    continue
                if self.lexicon.is_word("titles", previous.text):
                    if not (self._names_country(token.text) or self._names_area(token.text)):
                        # "Президент Азербайджана", "глава Донецкой [области]": of a country, of a region
                        names.add(token.text)
                elif (k > 1 and _capitalised(previous.text) and not self._names.is_name(fold(previous.text))
                      and not any(ch.isdigit() for ch in previous.text)  # "the A429 Cirencester junction": a road
                      and previous.text not in self.lexicon.common_cased
                      and not self.inflection.split_suffix(previous.text)  # Erdoğan'a Çin'de
                      and not self._inflected_place(previous.text, token.text)):
                    names.add(token.text)
        return frozenset(names)

    def _inflected_place(self, previous: str, word: str) -> bool:
        """Whether ``word`` after the capitalised ``previous`` is a place's inflected form rather than a
        surname: "Минобороны Армении", "Безсалівка Сумської [області]" (a first name and a surname
        agree: "Дональдом Трампом")."""
        if script_of(word) != "cyrillic" or self._names.is_name(fold(word)):
            return False
        return self._names_country(word) or (not _agree(previous, word) and any(
            self._names.is_name(fold(lemma)) for lemma, _ in self.inflection.lemmas(word)))

    def _names_area(self, word: str) -> bool:
        """Whether ``word`` is an adjective standing for its region (Донецкой -> Донецкая область)."""
        return any(" " in lemma and self._names.is_name(fold(lemma)) for lemma, _ in self.inflection.lemmas(word))

    def _country_named(self, word: str) -> bool:
        """Whether ``word`` (or its dictionary form: Азербайджана) is exactly a country's name."""
        forms = [word, *(lemma for lemma, _ in self.inflection.lemmas(word))]
        return any(c.place.kind == "country" and c.method in ("exact", "alternate")
                   for form in forms if self._names.is_name(fold(form))
                   for c in self.gazetteer.resolve(form, limit=1))

    def _demonym_countries(self, text: str, spans: Sequence[Sentence]) -> frozenset[str]:
        # each distinct word asked once: most words of a document come again and again
        words = {token.text for sentence in spans for token in tokenize(text, sentence.start, sentence.end)}
        demonym = self.lexicon.demonym
        return frozenset(iso for word in words if (iso := demonym(word)))

    # ------------------------------------------------------------------ resolving

    def _readings_alone(self, lang: str | None) -> _Readings:
        """The memo of readings in the context of the language alone: each name is resolved so once a process
        (emptied when it grows past :data:`gazetteer.memo.WORDS`)."""
        memo = self._alone.setdefault(lang, {})
        if len(memo) > WORDS:
            memo.clear()
        return memo

    def _candidates(self, mention: Mention, context: Context, limit: int = MAX_CANDIDATES, *,
                    memo: _Readings | None = None) -> list[Candidate]:
        """Every reading of a mention under any of its query names, best score first (at most ``limit``);
        ``memo``: the readings found so far in this same ``context``, by query names."""
        if memo is None:
            return self._readings_of(mention.queries, context, limit)
        key = (tuple(mention.queries), limit)
        if key not in memo:
            memo[key] = self._readings_of(mention.queries, context, limit)
        return list(memo[key])

    def _readings_of(self, queries: Sequence[tuple[str, float]], context: Context, limit: int) -> list[Candidate]:
        found: dict[Place, Candidate] = {}
        for name, factor in queries:
            for candidate in self.gazetteer.resolve(name, context, limit=limit):
                if factor != 1.0:
                    candidate = Candidate(candidate.place, candidate.score * factor, candidate.method, candidate.matched)
                best = found.get(candidate.place)  # a place hashes in Python: looked up once
                if best is None or candidate.score > best.score:
                    found[candidate.place] = candidate
        return sorted(found.values(), key=lambda c: -c.score)[:limit]

    def _best(self, mention: Mention, context: Context, memo: _Readings | None = None) -> Candidate | None:
        """The mention's best reading (the first of its candidates, resolving one per query name)."""
        return next(iter(self._candidates(mention, context, limit=1, memo=memo)), None)

    def _zipf(self, mention: Mention, lang: str | None) -> float:
        """How everyday the words are in the language (wordfreq's Zipf scale; names in their dictionary
        form by the form as written; a name of several words by its rarest word: "White House" is two
        everyday words, "Trinidad and Tobago" is not)."""
        letters = mention.surface.replace(".", "")
        if (letters.isupper() and len(letters) <= 4) or mention.suffixed:
            return 0.0  # an acronym is no word of the language; a headline's capitals are ("BARIŞ" is peace)
        if not mention.single_word:
            words = [w for w in mention.surface.split(" ") if w.lower() not in _CONNECTORS]
            return min((_zipf(w.strip("."), lang, mention.script) for w in words), default=0.0)
        words = [mention.surface] if mention.inflected else [n for n, _ in mention.queries]
        return max(_zipf(word, lang, mention.script) for word in words)

    def _classic_verdict(self, mention: Mention, best: Candidate, context: Context) -> str | None:
        """The hand rule that would reject the best reading as a place (a span-filter feature), or None."""
        place = best.place
        if mention.after_title and place.kind == "city":
            return "title_town"
        letters = mention.surface.replace(".", "")
        if mention.script != "arabic" and letters.isupper() and len(letters) <= 4 and place.kind == "city":
            return "acronym_town"  # an acronym (SDF, ADF, EU), not a town that happens to have it as a code
        if best.matched.isupper() and len(best.matched) <= 4 and not mention.surface.isupper():
            return "code_word"  # a code written as a word: "Eau" is no EAU
        supported = bool(place.country_iso2 and place.country_iso2 in context.countries)
        important = prior(place) >= 0.62
        if (mention.single_word and best.method == "alternate" and place.kind == "city" and not supported
                and place.rank == 0 and not mention.after_locative and best.score < _FOREIGN_ALTERNATE):
            return "foreign_alternate"  # "Hamas" is an alternate name of Hamm (Germany); in a text about Gaza no place
        if (mention.single_word and mention.surface in self.lexicon.common_cased and not supported
                and place.rank < 2 and place.kind not in ("country", "continent", "area")):
            return "common_cased_town"  # "à l'Ouest de Niamey" is no Western District of American Samoa
        if (mention.single_word and not mention.after_locative and not mention.surface.isupper()
                and not mention.suffixed and any(_is_common_word(name, context.lang, mention.script)
                        for name in ([mention.surface] if mention.inflected else [n for n, _ in mention.queries]))):
            # "Welcome", "Mobile", "Man", "للوحدة": everyday words first, places somewhere second
            if mention.script == "latin":
                strong = (place.kind != "city" or place.rank == 2) and best.method in ("exact", "alternate")
            else:  # in Cyrillic a capital means a name: a frequent word may be a frequent place (Львова)
                strong = (place.kind in ("country", "continent", "area") or place.rank == 2
                          or (important and mention.script == "cyrillic" and not mention.weak_position))
            if not strong:
                return "everyday_word"
        if (mention.weak_position and mention.single_word and not mention.suffixed
                and not (important or (supported and best.method == "exact"))):
            return "weak_position"
        if mention.script == "arabic" and mention.single_word and not (important or (supported and best.score >= 0.45)):
            return "arabic_weak"
        return None if best.score >= 0.3 else "low_score"


_FOREIGN_ALTERNATE = 0.7  # an unsupported town known only by an alternate name needs at least this score
_COMMON_ZIPF = 4.3  # wordfreq Zipf frequency from which a word is an everyday word (~20 per million)
_KNOWN_ZIPF = 3.0  # ~1 per million: a word this frequent is known to everyone, so no unknown place
_DEFAULT_LANG = {"latin": "en", "cyrillic": "ru", "arabic": "ar"}
_DOTLESS_I = ("tr", "az")


def _is_common_word(word: str, lang: str | None, script: str, zipf: float = _COMMON_ZIPF) -> bool:
    """Whether ``word`` (lower-cased) is an everyday word of the language (wordfreq, offline):
    at least ``zipf`` on wordfreq's scale."""
    return _zipf(word, lang, script) >= zipf


def _town_of_unit(candidates: Sequence[Candidate], chosen: int, kind_noun: str | None = None) -> Candidate:
    """The chosen reading, or, when it is an admin-1 unit and its namesake seat is a reading too, that town
    (Stepanakert, Kharkiv: the name alone is the town; "the Kharkiv region", "Quebec province", with a noun
    naming a unit beside it, is the unit)."""
    unit = candidates[chosen].place
    if unit.kind != "admin1" or kind_noun == "unit":
        return candidates[chosen]
    return next((c for c in candidates if c.place.kind == "city" and c.place.rank >= 1
                 and c.place.admin1_code == unit.admin1_code), candidates[chosen])


def _evidence(candidates: Sequence[Candidate]) -> Candidate:
    """The reading whose kind the span filter weighs: the first, unless it is a town known by that name only as an
    alternate and a country or an admin-1 unit of exactly that name is among the next readings ("Maryland": the
    state, not Maryland City; "Oklahoma": the state, not Oklahoma City)."""
    best = candidates[0]
    if best.place.kind != "city" or best.method != "alternate":
        return best
    return next((c for c in candidates[1:_UNIT_READINGS] if c.place.kind in ("admin1", "country")
                 and c.method == "exact"), best)


_UNIT_READINGS = 3  # readings looked at for a unit of the same name as a town's alternate name


def _mark_nested(mentions: list[Mention]) -> list[Mention]:
    """``mentions`` (in text order), each inside a longer spotted name objected to as ``inside_name``: "Mexico" in
    "a New Mexico GOP lawmaker", "Jersey" in "the New Jersey Lottery" (the longer name, objected to for the
    capitalised word after it, let the spotter look inside it)."""
    reach = -1  # the furthest end of the mentions so far, each starting no later than the next
    for mention in mentions:
        if reach >= mention.end:
            mention.objections = (*mention.objections, "inside_name")
        reach = max(reach, mention.end)
    return mentions


def _no_worse(best: Candidate, alone: Candidate | None) -> Candidate:
    """``best`` with the better of its score and the name's score with no context: the document's
    context may raise a name, never sink it."""
    if alone is None or alone.score <= best.score:
        return best
    return Candidate(best.place, alone.score, best.method, best.matched)


@memoised(WORDS)
def _zipf(word: str, lang: str | None, script: str) -> float:
    """wordfreq's Zipf frequency of ``word`` lower-cased in ``lang`` (0 for a language it lacks)."""
    from .word_frequency import zipf

    lang = lang or _DEFAULT_LANG.get(script, "en")
    if lang in _NO_WORDLIST:
        return 0.0
    if lang in _DOTLESS_I:  # Turkish and Azerbaijani lower I to ı and İ to i
        word = word.replace("I", "ı").replace("İ", "i")
    try:
        return zipf(word.lower(), lang)
    except LookupError:  # wordfreq does not remember a language it lacks: asking again costs a disk scan
        _NO_WORDLIST.add(lang)
        return 0.0


_NO_WORDLIST: set[str] = set()  # languages wordfreq has no list for


def _next_word(text: str, end: int) -> str:
    """The word right after ``end`` (after spaces), or ''."""
    match = _WORD.match(text, end)
    return match.group(1) if match else ""


_WORD = re.compile(r"[ \t]*(\w+)")
_ARABIC_POSSESSIVES = ("ها", "هم", "هما", "هن", "كم")  # pronoun endings of nouns ("its", "their", "your")
_PREVIOUS_WORD = re.compile(r"(\w+) $")  # the word right before a name, one space apart


_OF = frozenset({"of", "de", "du", "des", "di", "del", "della"})


def _after_org_head(lex: Lexicon, text: str, tokens: Sequence[Token], i: int) -> bool:
    """Whether the name at ``tokens[i]`` completes an organisation: "<Group> of|de <name>"."""
    if i >= 2 and fold(tokens[i - 1].text) in _OF:
        head = tokens[i - 2]
    elif i >= 1 and text[tokens[i].start - 2:tokens[i].start] in ("d'", "d’"):
        head = tokens[i - 1]
    else:
        return False
    return _capitalised(head.text) and (lex.is_word("org_suffixes", head.text) or lex.is_word("org_heads", head.text))


def _after_name_of(text: str, tokens: Sequence[Token], i: int) -> bool:
    """Whether a capitalised word and "of" ("de", "du", an elided "d'") stand right before ``tokens[i]``
    ("Gulf of Aden", "Boucle du Mouhoun", "Saut d'Eau")."""
    if i >= 2 and fold(tokens[i - 1].text) in _OF and tokens[i - 1].text.islower():
        head = tokens[i - 2]
        gap = text[head.end:tokens[i].start]
        return _capitalised(head.text) and gap == f" {tokens[i - 1].text} "
    if i >= 1 and text[tokens[i - 1].end:tokens[i].start] in (" d'", " d’"):
        return _capitalised(tokens[i - 1].text)
    return False


def _stem(word: str) -> str:
    """The first letters of a word, the same in its inflected forms (Куйбышевском, Куйбышевского)."""
    return fold(word)[:_STEM_LETTERS]


_STEM_LETTERS = 5


def _camel_case(word: str) -> bool:
    """Whether ``word`` has a capital after a lower-case letter ("TxDOT", "AirTran", "McHale"): a brand's or a
    surname's spelling, seldom a place the gazetteer lacks."""
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))


def _inflected_acronym(word: str) -> bool:
    """Capitals followed by lower-case letters, as Cyrillic inflects acronyms ("КАБи", "БПЛА-шники"); a
    name starts with one capital."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 2 and letters[0].isupper() and letters[1].isupper() and any(c.islower() for c in letters)


def _points_at_a_name(lex: Lexicon, tokens: Sequence[Token], j: int) -> bool:
    """Whether a filler word and a capitalised word follow from ``tokens[j]``: an everyday word before them
    gives a direction or a part ("l'Ouest de Niamey"), not a place of its own."""
    return j + 1 < len(tokens) and lex.is_word("fillers", tokens[j].text) and _capitalised(tokens[j + 1].text)


def _before_org_suffix(lex: Lexicon, text: str, tokens: Sequence[Token], j: int) -> str | None:
    """The organisation word that closes a name opened by the name ending before ``tokens[j]``, or None: the
    last of a run of at most :data:`_ORG_RUN` adjacent capitalised words from ``j`` ("Minsk Group", "Sudan Doctors
    Network", "Şanghay İşbirliği Örgütü"); in a script without capitals, the word right after the name ("قدس
    برس", the Quds Press agency)."""
    if j < len(tokens) and j > 0 and script_of(tokens[j].text) == "arabic":
        found = _adjacent(text, tokens[j - 1], tokens[j]) and lex.is_word("org_suffixes", tokens[j].text)
        return tokens[j].text if found else None
    for k in range(j, min(len(tokens), j + _ORG_RUN)):
        before = tokens[k - 1]
        if not (_capitalised(tokens[k].text) and _adjacent(text, before, tokens[k])):
            return None
        if lex.is_word("org_suffixes", tokens[k].text):
            return tokens[k].text
    return None


_ORG_RUN = 3  # words of an organisation's name after the place it names


def _beside_place_noun(lex: Lexicon, tokens: Sequence[Token], i: int, n: int) -> bool:
    """Whether a place noun stands before the name of tokens ``i`` to ``i + n``, over short fillers ("the
    town of Baiji", "ville de Goma", "مدينة حلب"), or right after it ("Halep kenti", "Kharkiv region") or after
    the list of names it opens ("Halep, İdlib ve Hama bölgelerindeki", "the Kharkiv and Sumy regions"), or before
    the list it closes ("départements du Centre et de l'Ouest", "the provinces of Hama and Idlib")."""
    listed, fillers_only = False, True  # a list word passed; nothing but fillers passed
    for j in range(i - 1, max(0, i - _LIST_REACH - 1) - 1, -1):  # at most _LIST_REACH words, then the noun
        word = tokens[j].text
        if lex.is_place_noun(word):
            if listed or (fillers_only and j >= i - 3):
                return True
            break
        if lex.is_word("list", word):
            listed, fillers_only = True, False
        elif not lex.is_word("fillers", word):
            if not _capitalised(word):
                break
            fillers_only = False
    k = i + n
    while k < min(len(tokens), i + n + _LIST_REACH) and (
            _capitalised(tokens[k].text) or lex.is_word("list", tokens[k].text)):
        k += 1
    return k < len(tokens) and _capitalised(tokens[k - 1].text) and lex.is_place_noun(tokens[k].text)


_LIST_REACH = 8  # words of a list of names between a name and the place noun opening or closing the list


def _kind_noun(lex: Lexicon, text: str, tokens: Sequence[Token], i: int, n: int) -> str | None:
    """The kind of place a noun beside the name of tokens ``i`` to ``i + n`` names: "unit" for a word of the
    packs' ``region`` lists, "town" for another place noun (``Lexicon.is_place_noun``); before the name over at
    most two short fillers ("the state of Washington", "la province de Québec", "ولاية الخرطوم") or right after
    it ("Washington state", "Hatay ili", "Харківської області"), lower-case (a capitalised word after it opens
    another name: "Washington State University")."""
    j = i - 1
    while j >= max(0, i - 2) and lex.is_word("fillers", tokens[j].text) and not lex.is_place_noun(tokens[j].text):
        j -= 1
    words = [tokens[j]] if j >= 0 and j < i else []
    if i + n < len(tokens) and text[tokens[i + n - 1].end:tokens[i + n].start] in (" ", "-"):
        words.append(tokens[i + n])
    for word in words:
        if word.text[:1].isupper() and script_of(word.text) != "arabic" and word.start > tokens[i].start:
            continue
        if lex.is_word("region", word.text):
            return "unit"
        if lex.is_place_noun(word.text):
            return "town"
    return None


def _abbreviated(word: str, gap: str) -> bool:
    """Whether ``word`` and the ``gap`` after it are an abbreviation inside a name ("St. Louis", "Mt. Vernon"):
    a capitalised word of at most three letters and its period."""
    return gap == ". " and len(word) <= 3 and word[:1].isupper() and word[1:].islower()


def _gap(text: str, a: Token, b: Token) -> str:
    """What stands between two words, less a French elided article or preposition that belongs to the second
    ("golfe d'Aden", "Côte d'Ivoire": one space)."""
    gap = text[a.end:b.start]
    return gap[:-len(b.elided)] if b.elided and gap.endswith(b.elided) else gap


def _capitals_agree(written: str, name: str) -> bool:
    """Whether ``written`` is ``name`` (the same key) with capitals on the same words ("mer Rouge", not "Mer
    Rouge"; "Черное море" is "Чёрное море")."""
    return fold(written) == fold(name) and [w[:1].isupper() for w in written.split()] == [
        w[:1].isupper() for w in name.split()]


_CASED_SCRIPTS = ("latin", "cyrillic")  # scripts whose names are written capitalised


def _case_runs(tokens: Sequence[Token]) -> tuple[list[int], list[int]]:
    """For each token, how many tokens from it on are :func:`_lower_cased` words, and how many are
    :func:`_cased_letters` words (one pass over the sentence for both).  No name starts at a token whose run of
    lower-case words covers every span the spotter tries there (:data:`MAX_WORDS`): :meth:`Recognizer._mention`
    refuses a lower-case name alone, and a name of several words that begins lower-case ("mer Rouge") must end
    capitalised."""
    lower = [0] * (len(tokens) + 1)
    cased = [0] * (len(tokens) + 1)
    for k in range(len(tokens) - 1, -1, -1):
        word = tokens[k].text
        if _cased_letters(word):  # a lower-case word (_lower_cased) is one of these
            cased[k] = cased[k + 1] + 1
            if _lower_cased(word):
                lower[k] = lower[k + 1] + 1
    return lower, cased


@memoised(WORDS)
def _cased_letters(word: str) -> bool:
    """Whether every letter of ``word`` (it may have none) is Latin or Cyrillic: a run of such words after one with
    letters is in a cased script, whose capital rules apply."""
    return word.isascii() or all(script_of(char) in _CASED_SCRIPTS for char in word if char.isalpha())


def _first_folded(name: str) -> str:
    """The first word of a name's lookup key."""
    return fold(name).split(" ", 1)[0]


@memoised(WORDS)
def _lower_cased(word: str) -> bool:
    """Whether ``word`` is not capitalised and has letters, all Latin or Cyrillic (so any run of such words is in
    a cased script, whose capital rules apply)."""
    return any(map(str.isalpha, word)) and not _capitalised(word) and _cased_letters(word)


@memoised(WORDS)
def _capitalised(word: str) -> bool:
    """Whether ``word`` begins with a capital, or after an Arabic article ("al-Raqqa"); memoised (bounded): the
    spotter and the person-name pass ask it of every word, most words again and again."""
    if word[:1].isupper():
        return True
    if "-" not in word:
        return False  # every article prefix ends in a hyphen
    lower = word.lower()
    return lower.startswith(_ARTICLE_PREFIXES) and word[lower.index("-") + 1:][:1].isupper()


def _agree(a: str, b: str) -> bool:
    """Whether two inflected words end alike, as a first name and a surname do (Дональдом Трампом)."""
    return a[-2:] == b[-2:]


def _adjacent(text: str, a: Token, b: Token) -> bool:
    return text[a.end:b.start] in (" ", "\u00a0")


def _adjacent_or_dot(text: str, a: Token, b: Token) -> bool:
    return text[a.end:b.start] in (" ", "\u00a0", ". ")


def _capitalised_run(text: str, tokens: Sequence[Token], i: int) -> list[Token]:
    """The capitalised Latin or Cyrillic words from ``tokens[i]`` on, one space apart (at most MAX_WORDS)."""
    words: list[Token] = []
    for token in tokens[i:i + MAX_WORDS]:
        if words and not _adjacent(text, words[-1], token):
            break
        if not (_capitalised(token.text) and script_of(token.text) in ("latin", "cyrillic")):
            break
        words.append(token)
    return words


_OPENING_QUOTES = frozenset("«„“\"'‘‹")


_LIST_WORDS = frozenset({"and", "or", "et", "ou", "и", "или"})


def _is_headline(tokens: Sequence[Token]) -> bool:
    """A title-case line: most words capitalised, so capitals say nothing."""
    words = [t for t in tokens if len(t.text) > 3]
    return len(words) >= 3 and sum(_capitalised(t.text) for t in words) >= 0.7 * len(words)


def _likeliest_first(likelihood: Sequence[float]) -> list[int]:
    """Indices of ``likelihood``, the likeliest first."""
    return sorted(range(len(likelihood)), key=lambda k: -likelihood[k])


def _apart(spotted: Sequence[Spotted], order: Iterable[int], taken: "_Covered | None" = None) -> list[Spotted]:
    """The spotted names of the indices ``order`` gives, each overlapping neither ``taken`` nor a name taken before
    it in that order, in text order."""
    chosen: list[Spotted] = []  # by start, never overlapping: only the neighbours of a new span can overlap it
    starts: list[int] = []
    for k in order:
        mention = spotted[k].mention
        if taken is not None and taken.overlaps(mention.start, mention.end):
            continue
        i = bisect.bisect_left(starts, mention.start)
        if (i > 0 and chosen[i - 1].mention.end > mention.start) or (i < len(chosen)
                                                                     and chosen[i].mention.start < mention.end):
            continue
        chosen.insert(i, spotted[k])
        starts.insert(i, mention.start)
    return chosen


class _Covered:
    """Spans of text, asked whether any overlaps a span in logarithmic time (a long article has
    thousands of toponyms and as many questions)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(itertools.accumulate((e for _, e in ordered), max, initial=-1))[1:]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span ``(s, e)`` has ``s < end`` and ``start < e``."""
        i = bisect.bisect_left(self._starts, end)  # spans [0, i) start before ``end``
        return i > 0 and self._reach[i - 1] > start
