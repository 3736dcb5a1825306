"""py3langid's language model, decompressed once into the cache and memory-mapped by every later process.

py3langid ships its model LZMA-compressed (4.6 MB; 68 MB of arrays): decompressing it costs every
process about 0.6 s and 100 MB.  Here its arrays are written once as ``.npy`` files into the cache
directory (:mod:`geo.cached_arrays`, one folder per py3langid version) and opened memory-mapped:
a detection touches only the pages of the features and states it meets.  The identifier is
py3langid's own, given the very same arrays, so it answers exactly as py3langid does.
"""

from __future__ import annotations

import io
import lzma
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from .cached_arrays import cache_folder, cached_arrays

__all__ = ["identifier", "release"]

_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


@cache
def identifier() -> Any:
    """py3langid's LanguageIdentifier (probabilities normalised) over the memory-mapped model."""
    from py3langid.langid import LanguageIdentifier

    folder = cache_folder("language_model", f"py3langid-{version('py3langid')}")
    arrays = cached_arrays(folder, _ARRAYS, _decompressed, check=_consistent)
    # the state table is walked a byte at a time: memoryviews of the mapped arrays read as fast as py3langid's
    # own lists and load nothing up front (Python lists of the per-state arrays would hold 12 MB of ints)
    model = LanguageIdentifier(arrays["ptc"], np.array(arrays["pc"]), arrays["classes"].tolist(),
                               memoryview(arrays["nextmove"]), memoryview(arrays["out_feat"]), norm_probs=True,
                               tk_row=memoryview(arrays["nextmove_row"][:0]))
    # each state's first move, which py3langid would list from tk_row (4 MB of ints): the same values, 0.4 MB
    model.tk_row = memoryview(arrays["nextmove_row"])
    model._rowbase = memoryview(arrays["nextmove_row"].astype(np.uint32) << 8)
    return model


def release() -> None:
    """Unmap the model (mapped again on next use)."""
    identifier.cache_clear()


def _decompressed() -> dict[str, np.ndarray]:
    """py3langid's arrays, out of its LZMA-compressed file."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    with lzma.open(Path(MODEL_DIR) / MODEL_FILE) as packed, np.load(io.BytesIO(packed.read())) as model:
        return {name: model[name] for name in _ARRAYS}


def _consistent(arrays: dict[str, np.ndarray]) -> bool:
    """Whether the model's arrays fit together: a feature row per class, a feature slot per state, 256 moves a row."""
    ptc, pc = arrays["ptc"], arrays["pc"]
    return (ptc.ndim == 2 and ptc.shape[1] == len(pc) == len(arrays["classes"])
            and len(arrays["nextmove_row"]) == len(arrays["out_feat"]) and len(arrays["nextmove"]) % 256 == 0)
