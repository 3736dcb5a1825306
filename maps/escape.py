"""The one escaping helper for text that goes into a map: article text, titles, names, URLs.

Folium does not escape popup or tooltip text, and it puts both inside JavaScript template
literals (`` `...` ``), where ``${...}`` is evaluated and a backslash starts an escape
sequence.  Every piece of text from an article or from a user's GeoJSON therefore goes
through :func:`escape_text` before it meets HTML:

- ``& < > " '`` become HTML entities (no markup, no attribute break-out);
- ``$``, the backtick and the backslash become ``&#36;``, ``&#96;`` and ``&#92;``, so the
  text can sit inside a template literal and still reads the same once the browser has
  parsed the HTML;
- ``{`` and ``}`` become ``&#123;`` and ``&#125;``: branca compiles what folium elements
  render as a Jinja template and renders it again, so ``{{ ... }}`` in an article would be
  evaluated (run as Python) while the map is built;
- characters beyond the Basic Multilingual Plane (emoji, a Gothic or cuneiform alternate
  name) become numeric character references (:func:`bmp_only`): one such character anywhere
  in the page makes Python hold the whole page at four bytes a character, not two.

>>> escape_text("<script>alert(1)</script> ${alert(1)}")
'&lt;script&gt;alert(1)&lt;/script&gt; &#36;&#123;alert(1)&#125;'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from geo.outlets import http_url

__all__ = ["escape_text", "safe_link_url", "bmp_only"]

_ENTITIES = str.maketrans({
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    "$": "&#36;",
    "`": "&#96;",
    "\\": "&#92;",
    "{": "&#123;",
    "}": "&#125;",
})


def escape_text(text: object) -> str:
    """``text`` as HTML that is also safe inside a JavaScript template literal.

    Parameters
    ----------
    text
        Any value; ``None`` gives ``""``, anything else is converted with ``str``.

    Returns
    -------
    str
        The text with ``& < > " '`` as HTML entities and ``$``, `````` ` ``````, ``\\``, ``{``,
        ``}`` and characters beyond U+FFFF as numeric character references.
    """
    if text is None:
        return ""
    return bmp_only(str(text).translate(_ENTITIES), _reference)


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def bmp_only(text: str, spell: Callable[[str], str]) -> str:
    """``text`` with each character beyond U+FFFF written as ``spell`` writes it (as a numeric
    character reference in HTML, as a JSON escape in a script): a page of such text is held
    at two bytes a character, not four."""
    return _ASTRAL.sub(lambda match: spell(match.group()), text) if not text.isascii() else text


def _reference(char: str) -> str:
    return f"&#x{ord(char):X};"


def safe_link_url(url: object) -> str | None:
    """``url`` escaped for an ``href`` attribute if it is an absolute http(s) URL, else None.

    ``javascript:``, ``data:``, relative and malformed URLs are never made links.
    """
    url = http_url(url)
    return None if url is None else escape_text(url)
