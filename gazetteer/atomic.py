"""The one way a file is written atomically: a temporary file beside it, then :func:`os.replace`.

A reader sees the old file or the new one, never half of one; a failure (or Ctrl-C)
removes the temporary file.  The lowest layer of the project (``gazetteer``) holds it so
that ``geo`` and ``maps`` use it too.  A build writes one small file per article (its cache
entry), so a write makes the few system calls it needs: create the temporary file (with the
mode a plain ``open(path, "w")`` gives), write, rename.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_atomic"]

_NUMBERS = itertools.count()  # with the process id, a temporary name no other writer on this machine uses


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, suffix: str = ".tmp") -> Iterator[Path]:
    """A fresh temporary path beside ``path``; what is written there replaces ``path`` on a clean exit.

    For writers that want a file name (SQLite, a trie, Parquet).  The file gets the mode a
    plain ``open(path, "w")`` would give.  Raises :class:`OSError` as the writing does.
    """
    handle, temp = _create_beside(Path(path), suffix)
    os.close(handle)
    with _replacing(temp, path):
        yield temp


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8 with ``\\n`` line ends, or bytes) to ``path`` atomically; text in
    pieces, so a large page is never held encoded whole beside itself."""
    handle, temp = _create_beside(Path(path), ".tmp")
    with _replacing(temp, path):
        if isinstance(data, str):
            with open(handle, "w", encoding="utf-8", newline="\n") as stream:
                for start in range(0, len(data), _TEXT_PIECE):
                    stream.write(data[start:start + _TEXT_PIECE])
        else:
            with open(handle, "wb") as stream:
                stream.write(data)


_TEXT_PIECE = 1 << 20  # characters


@contextmanager
def _replacing(temp: Path, path: str | os.PathLike[str]) -> Iterator[None]:
    """``temp`` replaces ``path`` when the block ends cleanly; otherwise it is removed."""
    try:
        yield
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _create_beside(target: Path, suffix: str) -> tuple[int, Path]:
    """A new empty file beside ``target``, hidden (``.NAME.PID.N<suffix>``), open for writing: its descriptor
    and path.  Created exclusively, so a name left by a killed process that had this process's id is never
    written over (a random name is drawn then)."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.{next(_NUMBERS)}{suffix}")
    try:
        return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), temp
    except FileExistsError:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
        os.chmod(name, 0o666 & ~_umask())
        return handle, Path(name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
