"""py3langid's language model, decompressed once into the cache and memory-mapped by every later process.

py3langid ships its model LZMA-compressed (4.6 MB; 68 MB of arrays): decompressing it costs every
process about 0.6 s and 100 MB.  Here its arrays are written once as ``.npy`` files into the cache
directory (beside the gazetteer index, one folder per py3langid version) and opened memory-mapped:
a detection touches only the pages of the features and states it meets.  The identifier is
py3langid's own, given the very same arrays, so it answers exactly as py3langid does.
"""

from __future__ import annotations

import io
import lzma
import os
import shutil
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["identifier"]

_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


@cache
def identifier() -> Any:
    """py3langid's LanguageIdentifier (probabilities normalised) over the memory-mapped model."""
    from py3langid.langid import LanguageIdentifier

    folder = _model_folder()
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
    # the state table is walked a byte at a time: a memoryview of the mapped array reads as fast as
    # py3langid's own array and loads nothing up front; the small arrays become Python lists as py3langid has them
    return LanguageIdentifier(arrays["ptc"], np.array(arrays["pc"]), arrays["classes"].tolist(),
                              memoryview(arrays["nextmove"]), arrays["out_feat"].tolist(), norm_probs=True,
                              tk_row=arrays["nextmove_row"].tolist())


def _model_folder() -> Path:
    """The cache folder of the decompressed model, written on first use."""
    from gazetteer.index import default_cache_dir

    folder = default_cache_dir() / "language_model" / f"py3langid-{version('py3langid')}"
    if not (folder / "out_feat.npy").exists():
        _write_model(folder)
    return folder


def _write_model(folder: Path) -> None:
    """py3langid's arrays as ``.npy`` files in ``folder`` (written aside, then renamed into place)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    with lzma.open(Path(MODEL_DIR) / MODEL_FILE) as packed, np.load(io.BytesIO(packed.read())) as model:
        aside = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        aside.mkdir(parents=True, exist_ok=True)
        for name in _ARRAYS:
            np.save(aside / f"{name}.npy", model[name])
    try:
        aside.rename(folder)
    except OSError:  # another process wrote it first
        shutil.rmtree(aside, ignore_errors=True)
