"""Arrays and documents derived once from shipped or installed data, kept in the cache directory.

Four things are costly to derive at every start and cheap to map: wordfreq's word lists
(:mod:`geo.word_frequency`), py3langid's model (:mod:`geo.language_model`), the admin-1 units
dissolved by ISO code and the named areas' unions (:mod:`geo.join`).  Each lives in a folder of ``.npy`` files under
``$CONFLICT_MAP_CACHE_DIR`` (beside the gazetteer index), named by what it was derived from, so a
new version of the source gets a new folder.  A folder is written aside and renamed into place
(a crash leaves no half-written folder; two processes writing it at once keep the first), one
that cannot be read (truncated, a file missing, arrays of the wrong shape) is derived again, and
where none can be written the arrays are derived into memory for the process.

Smaller things costly to derive and quick to read whole (the language packs parsed, the lexicon
folded: :mod:`geo.lexicon`) are one JSON file each (:func:`cached_document`), named by what they were
derived from and kept the same way: written atomically, derived again when damaged, in memory when
the cache cannot be written.  Never a pickle: a cache directory may be handed over.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

__all__ = ["cached_arrays", "cached_document", "cache_folder"]

T = TypeVar("T")


def cache_folder(*parts: str) -> Path:
    """A folder of the cache directory (not created)."""
    from gazetteer.index import default_cache_dir

    return default_cache_dir().joinpath(*parts)


def cached_arrays(folder: Path, names: Sequence[str], derive: Callable[[], dict[str, np.ndarray]],
                  check: Callable[[dict[str, np.ndarray]], bool] = lambda arrays: True) -> dict[str, np.ndarray]:
    """The arrays ``names`` of ``folder``, memory-mapped (read-only); derived by ``derive`` and written first
    when the folder is missing, or unreadable or fails ``check`` (then derived again, once); derived and kept
    in memory only when the folder cannot be written, or read back."""
    for _ in range(2):
        if not all((folder / f"{name}.npy").is_file() for name in names):
            derived = derive()
            shutil.rmtree(folder, ignore_errors=True)  # a folder with a file missing
            try:
                _write(folder, derived)
            except OSError:  # a cache that cannot be written (no space, no folder) only costs time
                return derived
        try:
            arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in names}
            if check(arrays):
                return arrays
            raise ValueError(f"{folder}: arrays of the wrong shape")
        except (OSError, ValueError):
            shutil.rmtree(folder, ignore_errors=True)
    return derive()  # written twice and unreadable both times: a cache that does not work only costs time


def cached_document(path: Path, derive: Callable[[], Any], read: Callable[[Any], T]) -> T:
    """The JSON file ``path`` made into a value by ``read``; ``derive`` gives the document (JSON values only) and
    it is written first when the file is missing, or unreadable or refused by ``read`` (which raises ValueError,
    KeyError or TypeError for a document of the wrong shape; then it is derived again, once); derived and kept in
    memory only when the file cannot be written (or the document is no JSON), or read back."""
    from gazetteer.atomic import write_atomic

    for _ in range(2):
        if not path.is_file():
            derived = derive()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, json.dumps(derived, ensure_ascii=False, separators=(",", ":")))
            except (OSError, TypeError, ValueError):  # a cache that cannot be written only costs time
                return read(derived)
        try:
            return read(json.loads(path.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            with suppress(OSError):  # a damaged file in a folder that cannot be written: derived below
                path.unlink(missing_ok=True)
    return read(derive())  # written twice and unreadable both times: a cache that does not work only costs time


def _write(folder: Path, arrays: dict[str, np.ndarray]) -> None:
    aside = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(aside, ignore_errors=True)
    try:
        aside.mkdir(parents=True)
        for name, array in arrays.items():
            np.save(aside / f"{name}.npy", array, allow_pickle=False)
    except OSError:
        shutil.rmtree(aside, ignore_errors=True)
        raise
    try:
        aside.rename(folder)
    except OSError:  # another process wrote it first
        shutil.rmtree(aside, ignore_errors=True)
        if not folder.exists():
            raise
