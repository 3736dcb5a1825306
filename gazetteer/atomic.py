"""The one way a file is written atomically: a temporary file beside it, then :func:`os.replace`.

A reader sees the old file or the new one, never half of one; a failure (or Ctrl-C)
removes the temporary file.  The lowest layer of the project (``gazetteer``) holds it so
that ``geo`` and ``maps`` use it too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_atomic"]


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, suffix: str = ".tmp") -> Iterator[Path]:
    """A fresh temporary path beside ``path``; what is written there replaces ``path`` on a clean exit.

    For writers that want a file name (SQLite, a trie, Parquet).  The file gets the mode a
    plain ``open(path, "w")`` would give.  Raises :class:`OSError` as the writing does.
    """
    target = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, _file_mode())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8 with ``\\n`` line ends, or bytes) to ``path`` atomically; text in
    pieces, so a large page is never held encoded whole beside itself."""
    with atomic_path(path) as temp:
        if isinstance(data, str):
            with open(temp, "w", encoding="utf-8", newline="\n") as stream:
                for start in range(0, len(data), _TEXT_PIECE):
                    stream.write(data[start:start + _TEXT_PIECE])
        else:
            temp.write_bytes(data)


_TEXT_PIECE = 1 << 20  # characters


def _file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give (mkstemp makes files private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
