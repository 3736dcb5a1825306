"""The language packs of ``geo/languages/`` and the demonyms of ``geo/lexicons/``, loaded once.

A language pack is one TOML file per language (``en.toml``, ``uk.toml``, ...): its event
triggers, its type cues, its word lists (locative, speech, titles, ...) and its number
words; ``geo/languages/README.md`` says what each key means, and a test checks that every
pack has them all.  Adding a language is adding a file.  The packs are merged: a word of
any language counts wherever the text's language is unsure.

Users extend the packs with files of the same layout (``--lexicon FILE``: ``code`` names
the language it extends) or the demonyms with a file whose name contains ``demonyms``;
entries are added to the shipped ones, never replace them.
"""

from __future__ import annotations

import hashlib
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gazetteer.memo import Memo, memoised
from gazetteer.normalize import ARABIC_CLITICS, fold

from .errors import InputError
from .event_types import EVENT_TYPES

__all__ = ["Lexicon", "Trigger", "load_lexicon", "PACK_DIR", "LEXICON_DIR", "LANGS", "WORD_LISTS", "pack_files",
           "strip_arabic_prefixes"]

PACK_DIR = Path(__file__).parent / "languages"
LEXICON_DIR = Path(__file__).parent / "lexicons"
DEMONYMS = LEXICON_DIR / "demonyms.toml"
_FORMAT = 1  # of the lexicon's cached JSON: bump when it changes
#: The word lists every pack has (``[words]`` keys); see geo/languages/README.md.
WORD_LISTS = (
    "titles", "org_heads", "org_suffixes", "facilities", "speech", "locative", "venue", "enumeration", "destination", "passive", "irrealis", "calls",
    "ending", "violation", "reference",
    "common", "calendar", "fillers", "agent", "source", "figurative", "negation", "list", "region", "district", "unit_qualifiers", "locality", "road", "forces", "generic", "killed",
    "injured", "people", "cumulative", "approximate", "between", "subset", "unharmed", "singular", "ages",
)
#: The case a suffix after an apostrophe gives a possessor ("Gazze'nin": of Gaza), besides the relations of
#: the word lists ("Halep'te": locative).
OWNER = "owner"


def pack_files() -> list[Path]:
    """The shipped language packs, in code order."""
    return sorted(PACK_DIR.glob("*.toml"))


#: ISO 639-1 codes of the shipped language packs.
LANGS: tuple[str, ...] = tuple(path.stem for path in pack_files())


@dataclass(frozen=True)
class Trigger:
    """A trigger of one event type: folded words, whether the last one is a stem."""

    event_type: str
    words: tuple[str, ...]
    stem: bool
    weight: float
    text: str
    lang: str = ""


@dataclass
class _WordList:
    """Folded whole words and stems (entries written ``stem*``) of one list."""

    words: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    lengths: tuple[int, ...] = ()
    heads: frozenset[str] = frozenset()  # the stems' openings of the shortest stem's length: most words begin none

    def add(self, entry: str) -> None:
        if entry.endswith("*"):
            self.stems.add(fold(entry[:-1]))
        else:
            self.words.add(fold(entry))

    def as_json(self) -> dict[str, list[str]]:
        return {"words": sorted(self.words), "stems": sorted(self.stems)}

    @classmethod
    def from_json(cls, document: dict[str, list[str]]) -> "_WordList":
        words = cls(set(document["words"]), set(document["stems"]))
        words.seal()
        return words

    @classmethod
    def union(cls, lists: Iterable[_WordList]) -> _WordList:
        """The words and stems of all ``lists``: a word is in it exactly when it is in one of them."""
        members = list(lists)
        union = cls(set().union(*(w.words for w in members)), set().union(*(w.stems for w in members)))
        union.seal()
        return union

    def seal(self) -> None:
        self.lengths = tuple(sorted({len(s) for s in self.stems}, reverse=True))
        self.heads = frozenset(s[:self.lengths[-1]] for s in self.stems) if self.stems else frozenset()

    def __contains__(self, key: str) -> bool:
        if key in self.words:
            return True
        if not self.lengths or key[:self.lengths[-1]] not in self.heads:
            return False
        return any(key[:n] in self.stems for n in self.lengths if len(key) >= n)


@dataclass
class Lexicon:
    """Everything the recogniser and the event detector look words up in, folded."""

    triggers: list[Trigger] = field(default_factory=list)
    cues: dict[str, _WordList] = field(default_factory=dict)  # event type -> words that point to it
    numbers: dict[str, int] = field(default_factory=dict)  # folded number word -> value
    demonyms: dict[str, str] = field(default_factory=dict)  # folded word -> ISO2
    demonym_stems: list[tuple[str, str]] = field(default_factory=list)  # (folded stem, ISO2)
    words: dict[str, _WordList] = field(default_factory=dict)  # list name -> its words, all languages
    common_cased: frozenset[str] = frozenset()  # capitalised common words as written (Latin, Cyrillic)
    languages: tuple[str, ...] = ()
    case_suffixes: dict[str, str] = field(default_factory=dict)  # folded suffix after an apostrophe -> relation
    # (a relation word list's name, or ``OWNER``: the genitive, "Gazze'nin" of Gaza)
    # memos of the lookups asked of every word: token -> its answer (for the word lists: the names of those holding it)
    _demonym_cache: Memo = field(init=False, repr=False, compare=False)
    _stems: tuple[dict[str, str], list[int], frozenset[str]] | None = field(default=None, repr=False)
    _lists_cache: Memo = field(init=False, repr=False, compare=False)
    _cue_cache: Memo = field(init=False, repr=False, compare=False)
    _any_word: _WordList | None = field(default=None, init=False, repr=False, compare=False)  # every list's words
    _any_cue: _WordList | None = field(default=None, init=False, repr=False, compare=False)  # every type's words
    _list_sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, init=False, repr=False,
                                                             compare=False)  # one copy of each set of list names

    def __post_init__(self) -> None:
        self._demonym_cache = Memo(answer=self._demonym_of)
        self._lists_cache = Memo(answer=self._lists_holding)
        self._cue_cache = Memo(answer=self._cue_types_of)

    def demonym(self, token: str) -> str | None:
        """ISO2 of the country a word is a demonym of, or None (memoised: it runs on every word)."""
        return self._demonym_cache[token]

    def _demonym_of(self, token: str) -> str | None:
        key = fold(token)
        bare = strip_arabic_prefixes(key)
        found = self.demonyms.get(key) or self.demonyms.get(bare)
        if found is None:
            stems, lengths, heads = self._stem_index()
            if key[:lengths[-1]] not in heads and bare[:lengths[-1]] not in heads:
                return None  # begins no stem (most words)
            for length in lengths:
                found = stems.get(key[:length]) or stems.get(bare[:length])
                if found:
                    break
        return found

    def is_demonym_form(self, token: str) -> bool:
        """Whether ``token`` is written exactly as a listed demonym ("Israeli"), not only by a stem."""
        key = fold(token)
        return key in self.demonyms or strip_arabic_prefixes(key) in self.demonyms

    def _stem_index(self) -> tuple[dict[str, str], list[int], frozenset[str]]:
        """The demonym stems (stem -> ISO2), their lengths, longest first, and their openings of the shortest
        length."""
        if self._stems is None:
            stems = dict(reversed(self.demonym_stems))  # the first listed stem wins
            lengths = sorted({len(stem) for stem in stems}, reverse=True) or [0]
            self._stems = (stems, lengths, frozenset(stem[:lengths[-1]] for stem in stems))
        return self._stems

    def is_place_noun(self, token: str) -> bool:
        """Whether ``token`` is a noun among the ``fillers`` ("town", "ville", "مدينة", "kenti"): a filler of
        more than three letters; the shorter ones are articles and links ("the", "of", "de")."""
        return self.is_word("fillers", token) and len(fold(token)) > 3

    def region_word_at(self, words: Sequence[str]) -> int | None:
        """Where the region word is that opens ``words``: 0 for the first word, 1 after a unit qualifier ("міській
        громаді", "муниципальном округе": the unit's own kind of its word), None when none does."""
        if words and self.is_word("region", words[0]):
            return 0
        if len(words) > 1 and self.is_word("unit_qualifiers", words[0]) and self.is_word("district", words[1]):
            return 1
        return None

    def is_word(self, list_name: str, token: str) -> bool:
        """Whether ``token`` is in the word list ``list_name`` of any pack (Arabic: also without a clitic)."""
        return list_name in self._lists_cache[token]

    def _lists_holding(self, token: str) -> frozenset[str]:
        """The names of the word lists ``token`` is in (memoised by :meth:`is_word`: each word is asked of several
        lists, so one answer a word serves them all)."""
        key = fold(token)
        bare = strip_arabic_prefixes(key)
        if self._any_word is None:
            self._any_word = _WordList.union(self.words.values())
        if key not in self._any_word and (bare == key or bare not in self._any_word):
            return frozenset()  # in no list (most words)
        found = frozenset(name for name, words in self.words.items()
                          if key in words or (bare != key and bare in words))
        return self._list_sets.setdefault(found, found)

    def cue_types(self, token: str) -> tuple[str, ...]:
        """The event types a word points to ("artillery": shelling; "drone": airstrike), or the parts of a hyphenated
        word do ("беспилотников-камикадзе"); memoised."""
        return self._cue_cache[token]

    def _cue_types_of(self, token: str) -> tuple[str, ...]:
        key = fold(token)
        found = self._cues_of(key)
        if not found and "-" in key:
            found = tuple(dict.fromkeys(t for part in key.split("-") if part for t in self._cues_of(part)))
        return found

    def _cues_of(self, key: str) -> tuple[str, ...]:
        bare = strip_arabic_prefixes(key)
        if self._any_cue is None:
            self._any_cue = _WordList.union(self.cues.values())
        if key not in self._any_cue and bare not in self._any_cue:
            return ()  # no type's word (most words)
        return tuple(event_type for event_type, words in self.cues.items() if key in words or bare in words)

    def number(self, token: str) -> int | None:
        """The value of a number word ("two", "deux", "двое", "اثنان"), else None."""
        key = fold(token)
        value = self.numbers.get(key)
        return value if value is not None else self.numbers.get(strip_arabic_prefixes(key))


def strip_arabic_prefixes(key: str) -> str:
    """Drop one leading clitic from a folded Arabic word (the article is already gone)."""
    if len(key) > 4 and key.startswith("لل"):  # ل + ال, the alef elided
        return key[2:]
    if len(key) > 3 and key[0] in ARABIC_CLITICS and "\u0600" <= key[1] <= "\u06ff":
        rest = key[1:]
        return rest[2:] if rest.startswith("ال") and len(rest) > 4 else rest
    return key




@cache
def load_lexicon(extra: tuple[Path, ...] = ()) -> Lexicon:
    """The shipped language packs and demonyms, plus ``extra`` user files of the same layouts; folded once
    into the cache directory (:func:`geo.cached_arrays.cached_document`), named by a digest of every file
    and of the code that folds them."""
    from .cached_arrays import cache_folder, cached_document

    shipped, users = ([(path, *_read(path)) for path in paths] for paths in ((*pack_files(), DEMONYMS), extra))
    key = hashlib.sha256(_code_digest().encode())
    for path, digest, _ in (*shipped, *users):
        key.update(f"\0{path.name}\0{digest}".encode())
    return cached_document(cache_folder("lexicon", f"{key.hexdigest()[:32]}.json"),
                           lambda: _as_json(_folded(shipped, users)), _from_json)


def _folded(shipped: list[tuple[Path, str, dict]], extra: list[tuple[Path, str, dict]]) -> Lexicon:
    """The lexicon of the shipped files and the user's ``extra`` ones (path, digest, document), folded: a file
    whose name contains "demonyms" gives demonyms, any other is a language pack."""
    known = {document.get("code") for path, _, document in shipped if "demonyms" not in path.name}
    for path, _, document in extra:
        if "demonyms" not in path.name and document.get("code") not in known:
            raise InputError(f"{path}: \"code\" must name a language pack ({', '.join(sorted(known))}), "
                             f"not {document.get('code')!r}; a new language is a file in {PACK_DIR}")
    lexicon = Lexicon()
    cased: set[str] = set()
    for path, _, document in (*shipped, *extra):
        if "demonyms" not in path.name:
            _add_pack(lexicon, path, document, cased)
    for path, _, document in (*shipped, *extra):
        if "demonyms" in path.name:
            _add_demonyms(lexicon, document)
    for words in (*lexicon.words.values(), *lexicon.cues.values()):
        words.seal()
    lexicon.common_cased = frozenset(cased)
    lexicon.languages = tuple(sorted(known))
    return lexicon


@cache
def _code_digest() -> str:
    """A digest of what a folded lexicon depends on besides the packs: this module, the folding
    (``gazetteer.normalize`` and the Unicode tables it reads) and the event types' names and weights."""
    from gazetteer import normalize

    digest = hashlib.sha256(f"{_FORMAT} {unicodedata.unidata_version} {[(t.name, t.weight) for t in EVENT_TYPES.values()]}"
                            .encode())
    for path in (Path(__file__), Path(normalize.__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _as_json(lexicon: Lexicon) -> dict:
    """The folded lexicon as JSON values (sets sorted, every list and table in its order)."""
    return {"triggers": [[t.event_type, t.words, t.stem, t.weight, t.text, t.lang] for t in lexicon.triggers],
            "cues": {name: words.as_json() for name, words in lexicon.cues.items()},
            "numbers": lexicon.numbers, "demonyms": lexicon.demonyms, "demonym_stems": lexicon.demonym_stems,
            "words": {name: words.as_json() for name, words in lexicon.words.items()},
            "common_cased": sorted(lexicon.common_cased), "languages": lexicon.languages,
            "case_suffixes": lexicon.case_suffixes}


def _from_json(document: dict) -> Lexicon:
    """The lexicon of :func:`_as_json`; KeyError, TypeError or ValueError for a document of another shape."""
    return Lexicon(
        triggers=[Trigger(event_type, tuple(words), stem, weight, text, lang)
                  for event_type, words, stem, weight, text, lang in document["triggers"]],
        cues={name: _WordList.from_json(words) for name, words in document["cues"].items()},
        numbers=dict(document["numbers"]), demonyms=dict(document["demonyms"]),
        demonym_stems=[(stem, iso) for stem, iso in document["demonym_stems"]],
        words={name: _WordList.from_json(words) for name, words in document["words"].items()},
        common_cased=frozenset(document["common_cased"]), languages=tuple(document["languages"]),
        case_suffixes=dict(document["case_suffixes"]))


def read_pack(path: Path) -> dict:
    """A language pack (or lexicon file) parsed; InputError naming the file.  Parsed once a process for each
    version of the file, and once for all into the cache directory (as JSON, named by the file's digest): the
    lexicon, the inflection rules and the date patterns each read every pack (the caller must not change the
    document)."""
    return _read(path)[1]


def _read(path: Path) -> tuple[str, dict]:
    """sha256 of a pack's bytes (hex) and the pack parsed from those bytes."""
    try:
        stat = path.stat()
    except OSError as error:
        raise InputError(f"{path}: cannot read lexicon: {error.strerror}") from None
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@memoised(64)
def _parsed(path: Path, mtime_ns: int, size: int) -> tuple[str, dict]:
    from .cached_arrays import cache_folder, cached_document

    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read lexicon: {error.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    return digest, cached_document(cache_folder("packs", f"{digest[:32]}.json"), lambda: _toml(path, data), _table)


def _toml(path: Path, data: bytes) -> dict:
    try:
        return tomllib.loads(data.decode())
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: invalid TOML: {error}") from None


def _table(document: object) -> dict:
    if not isinstance(document, dict):
        raise TypeError("a pack is a table")
    return document


def _add_pack(lexicon: Lexicon, path: Path, document: dict, cased: set[str]) -> None:
    lang = document.get("code")
    for table in ("triggers", "cues"):
        unknown = sorted(set(document.get(table, {})) - set(EVENT_TYPES))
        if unknown:
            raise InputError(f"{path}: [{table}] names unknown event type {unknown[0]!r}; "
                             f"known: {', '.join(EVENT_TYPES)}")
    for event_type, entries in document.get("triggers", {}).items():
        weight = EVENT_TYPES[event_type].weight
        for entry in _strings(path, f"triggers.{event_type}", entries):
            whole = entry.startswith("=")
            text = entry.lstrip("=")
            words = tuple(fold(text).split())
            if words:
                lexicon.triggers.append(Trigger(event_type, words, not whole, weight, text, lang))
    for event_type, entries in document.get("cues", {}).items():
        cue = lexicon.cues.setdefault(event_type, _WordList())
        for entry in _strings(path, f"cues.{event_type}", entries):  # stems, unless written "=word"
            cue.add(entry[1:] if entry.startswith("=") else entry if entry.endswith("*") else entry + "*")
    for list_name, entries in document.get("words", {}).items():
        if list_name not in WORD_LISTS:
            raise InputError(f"{path}: [words] has unknown list {list_name!r}; known: {', '.join(WORD_LISTS)}")
        target = lexicon.words.setdefault(list_name, _WordList())
        for entry in _strings(path, f"words.{list_name}", entries):
            target.add(entry)
            if list_name == "common" and lang != "ar":
                cased.add(entry)
    for relation, suffixes in document.get("inflection", {}).get("case_suffixes", {}).items():
        if relation not in WORD_LISTS and relation != OWNER:
            raise InputError(f"{path}: [inflection] case_suffixes names unknown relation {relation!r}")
        for suffix in _strings(path, f"inflection.case_suffixes.{relation}", suffixes):
            lexicon.case_suffixes[fold(suffix)] = relation
    for word, value in document.get("numbers", {}).items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InputError(f"{path}: [numbers] {word!r} must be a non-negative integer")
        lexicon.numbers[fold(word)] = value


def _strings(path: Path, key: str, entries: object) -> list[str]:
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise InputError(f"{path}: {key} must be a list of strings")
    return entries


def _add_demonyms(lexicon: Lexicon, document: dict) -> None:
    for iso, table in document.items():
        for forms in table.values():
            for form in forms:
                if form.endswith("*"):
                    lexicon.demonym_stems.append((fold(form[:-1]), iso))
                else:
                    lexicon.demonyms[fold(form)] = iso
