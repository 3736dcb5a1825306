"""Arrays derived once from shipped or installed data, kept in the cache directory and memory-mapped.

Three things are costly to derive at every start and cheap to map: wordfreq's word lists
(:mod:`geo.word_frequency`), py3langid's model (:mod:`geo.language_model`) and the admin-1 units
dissolved by ISO code (:mod:`geo.join`).  Each lives in a folder of ``.npy`` files under
``$CONFLICT_MAP_CACHE_DIR`` (beside the gazetteer index), named by what it was derived from, so a
new version of the source gets a new folder.  A folder is written aside and renamed into place
(a crash leaves no half-written folder; two processes writing it at once keep the first), one
that cannot be read (truncated, a file missing, arrays of the wrong shape) is derived again, and
where none can be written the arrays are derived into memory for the process.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

__all__ = ["cached_arrays", "cache_folder"]


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
