"""Outputs replaced as a set: staged in a hidden folder of the output folder, then committed whole.

``with staging(out, "build") as folder:`` gives a fresh ``.conflict-map-build-PID-XXXX.tmp``
folder inside ``out``, removed on any exit (an exception, Ctrl-C, SIGTERM through the CLI's
handler).  :func:`commit` moves the staged files over the old ones; if a move fails, the
ones already moved are put back, so the set is all old or all new.  A run killed with
SIGKILL leaves its folder behind: the next run that stages into ``out`` removes it, after
finishing its commit if it had begun (marked by a ``COMMITTING`` file), so the set is whole.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

__all__ = ["staging", "commit", "remove_stale"]

_PREFIX = ".conflict-map-"
_STALE = re.compile(r"^\.conflict-map-(?:[a-z]+-)?(?:(\d+)-)?.*\.tmp$")
_MARK = "COMMITTING"
_PREVIOUS = ".previous"


@contextmanager
def staging(out: Path, kind: str) -> Iterator[Path]:
    """A new staging folder in ``out`` (stale ones of dead runs cleared first), removed on exit."""
    remove_stale(out)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{kind}-{os.getpid()}-", suffix=".tmp", dir=out))
    except OSError as error:
        raise OutputError(f"{out}: cannot write: {error.strerror or error}") from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def commit(staged: Mapping[str, Path], out: Path, folder: Path) -> dict[str, Path]:
    """Move each staged file (in ``folder``) to ``out`` under its own name, all or none.

    Returns name -> target path.  Raises :class:`OutputError` naming the file that could
    not be replaced, after putting back the files already replaced.
    """
    previous = folder / _PREVIOUS
    previous.mkdir(exist_ok=True)
    (folder / _MARK).write_text("\n".join(path.name for path in staged.values()), encoding="utf-8")
    done: list[Path] = []
    try:
        for path in staged.values():
            target = out / path.name
            if target.exists():
                os.replace(target, previous / path.name)
            done.append(target)
            os.replace(path, target)
    except OSError as error:
        _roll_back(done, previous)
        (folder / _MARK).unlink(missing_ok=True)
        raise OutputError(f"{out / path.name}: cannot replace: {error.strerror or error}; "
                          "the previous outputs are kept") from None
    (folder / _MARK).unlink(missing_ok=True)
    return {name: out / path.name for name, path in staged.items()}


def _roll_back(done: list[Path], previous: Path) -> None:
    for target in reversed(done):
        old = previous / target.name
        try:
            if old.exists():
                os.replace(old, target)
            else:
                target.unlink(missing_ok=True)
        except OSError:
            pass


def remove_stale(out: Path) -> list[Path]:
    """Remove the staging folders in ``out`` left by runs that no longer exist (finishing a
    commit they had begun); returns the folders removed."""
    removed = []
    try:
        entries = list(out.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _STALE.match(entry.name)
        if not match or not entry.is_dir() or (match.group(1) and _alive(int(match.group(1)))):
            continue
        if (entry / _MARK).exists():  # killed between renames: finish the commit, the new set is complete
            for name in (entry / _MARK).read_text(encoding="utf-8").split():
                if (entry / name).exists():
                    try:
                        os.replace(entry / name, out / name)
                    except OSError:
                        pass
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
