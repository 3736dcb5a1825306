"""The form of a text the pipeline works on, and the way back to the text as read.

Recognition compares words with the gazetteer's names, so a name must look the same
however it was typed: composed (NFC), with no zero-width or bidirectional control
characters inside it (``Gan\\u200dja`` is Ganja; decomposed ``S\\u0327us\\u0327a`` is Şuşa).
Offsets reported to users (``parse --json``, an event's sources) stay offsets into the
text as read: :class:`TextForm` maps them back.

>>> form = normal_form("Gan\\u200dja")
>>> form.text, form.raw_span(0, 5)
('Ganja', (0, 6))
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from .model import Event, Source, Toponym

__all__ = ["TextForm", "normal_form", "INVISIBLE", "scrub_surrogates", "toponym_as_read", "event_as_read"]

#: removed: zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, invisible operators, BOM, soft
#: hyphen, combining grapheme joiner, Mongolian vowel separator) and bidirectional controls
#: (LRM, RLM, ALM, embeddings, overrides and isolates)
INVISIBLE = "\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls other than tab, line feed and carriage return read as a space (same length)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def scrub_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (from a JSON ``\\ud800`` escape) replaced by U+FFFD; same length."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


@dataclass(frozen=True)
class TextForm:
    """A text in normal form and, where it differs from the text as read, the edits that made it.

    Each edit is ``(start in form, length in form, start as read, length as read)``, in order;
    between edits the two texts agree character for character.
    """

    text: str
    edits: tuple[tuple[int, int, int, int], ...] = ()
    _starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._starts.extend(edit[0] for edit in self.edits)

    @property
    def changed(self) -> bool:
        return bool(self.edits)

    def raw_start(self, offset: int) -> int:
        """The offset as read of the character at ``offset`` in the normal form."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        start, length, raw, raw_length = self.edits[i]
        if offset < start + length:
            return raw
        return raw + raw_length + offset - start - length

    def raw_end(self, offset: int) -> int:
        """The offset as read just after the character before ``offset`` (an exclusive end)."""
        if offset <= 0:
            return 0
        i = bisect.bisect_right(self._starts, offset - 1) - 1
        if i < 0:
            return offset
        start, length, raw, raw_length = self.edits[i]
        if offset - 1 < start + length:
            return raw + raw_length
        return raw + raw_length + offset - start - length

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """``(start, end)`` of the normal form as offsets into the text as read."""
        raw_start = self.raw_start(start)
        return raw_start, max(raw_start, self.raw_end(end)) if end > start else raw_start


def toponym_as_read(toponym: Toponym, form: TextForm) -> Toponym:
    """``toponym`` with its span in the text as read (its mention stays in normal form)."""
    start, end = form.raw_span(toponym.start, toponym.end)
    return dataclasses.replace(toponym, start=start, end=end)


def event_as_read(event: Event, form: TextForm, raw: str) -> Event:
    """``event`` with its sources' spans, and sentences, taken from the text as read ``raw``."""
    return dataclasses.replace(event, sources=[_source_as_read(s, form, raw) for s in event.sources])


def _source_as_read(source: Source, form: TextForm, raw: str) -> Source:
    sentence_start, sentence_end = form.raw_span(source.sentence_start, source.sentence_start + len(source.sentence))
    start, end = form.raw_span(source.start, source.end)
    return dataclasses.replace(source, sentence=raw[sentence_start:sentence_end], sentence_start=sentence_start,
                               start=start, end=end)


def normal_form(text: str) -> TextForm:
    """``text`` in NFC, invisible characters (:data:`INVISIBLE`) removed, controls and lone
    surrogates as one character each (a space, U+FFFD), with the edits that map it back."""
    text = scrub_surrogates(_CONTROL.sub(" ", text))  # length kept: offsets unchanged
    if not _INVISIBLE.search(text) and unicodedata.is_normalized("NFC", text):
        return TextForm(text)
    pieces: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    out = 0  # length of the normal form so far
    done = 0  # offset as read up to which the text is copied
    for match in _trouble().finditer(text):
        start, end = match.span()
        piece = match.group()
        new = unicodedata.normalize("NFC", _INVISIBLE.sub("", piece))
        if new == piece:
            continue
        pieces.append(text[done:start])
        out += start - done
        pieces.append(new)
        edits.append((out, len(new), start, end - start))
        out += len(new)
        done = end
    pieces.append(text[done:])
    return TextForm("".join(pieces), tuple(edits))


@cache
def _trouble() -> re.Pattern[str]:
    """A character with the marks that follow it (invisible characters among them), a run of
    invisible characters, or a character NFC changes on its own (built once, from the Unicode
    database)."""
    marks = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if unicodedata.combining(char) or unicodedata.normalize("NFC", char) != char or 0x1160 <= code <= 0x11FF:
            marks.append(code)
    ranges = []
    for code in marks:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    cls = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    # invisible characters between a character and its marks go with them: "a\u200b\u0301" is "á"
    return re.compile(f".(?:[{INVISIBLE}]*[{cls}])+|[{INVISIBLE}]+|[{cls}]+", re.DOTALL)
