"""The one cache fingerprint: a digest of every input besides the articles that can change results.

The code and data of ``geo`` and ``gazetteer`` (lexicons, language packs, the model weights
in ``geo/models``, the gazetteer's shipped data and source versions), the versions of the
packages that read articles or score words (trafilatura, py3langid, lxml, wordfreq), and
the user's overrides, lexicon and area files.  The article cache
(:mod:`maps.article_cache`) and the Dask store (:mod:`geo.engines.store`) both key on
:func:`results_fingerprint` (through :meth:`geo.engines.PipelineSpec.fingerprint`); the
input cache, which only reads files, on :func:`code_digest`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

__all__ = ["RESULT_PACKAGES", "code_digest", "file_digest", "results_fingerprint"]

#: Installed packages whose version can change what is extracted from an article.
RESULT_PACKAGES = ("trafilatura", "py3langid", "lxml", "wordfreq")
_DATA_SUFFIXES = (".py", ".toml", ".csv", ".gz", ".json", ".md")


@cache
def code_digest() -> str:
    """The code and data of ``geo`` and ``gazetteer`` and the versions of :data:`RESULT_PACKAGES`."""
    import gazetteer

    import geo
    from gazetteer.sources import source_versions

    digest = hashlib.sha256(repr(sorted(source_versions().items())).encode())
    for package in (Path(geo.__file__).parent, Path(gazetteer.__file__).parent):
        for path in sorted(package.rglob("*")):
            if path.is_file() and path.suffix in _DATA_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(package)).encode() + b"\x00" + path.read_bytes())
    for name in RESULT_PACKAGES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}: absent".encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or what made it unreadable."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as error:
        return f"unreadable: {error.strerror}"


def results_fingerprint(files: Iterable[Path | None], settings: str = "") -> str:
    """:func:`code_digest` with the name and bytes of each of the user's ``files`` and ``settings`` text."""
    digest = hashlib.sha256(code_digest().encode())
    for path in files:
        digest.update(b"\x00" + str(path).encode())
        if path is not None:
            digest.update(file_digest(Path(path)).encode())
    digest.update(settings.encode())
    return digest.hexdigest()[:32]
