"""gazetteer.atomic: a file is replaced whole or not at all, with a plain file's mode, and no temporary file stays."""

from __future__ import annotations

import itertools
import os
import stat
from pathlib import Path

import pytest

from gazetteer import atomic
from gazetteer.atomic import atomic_path, write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_text_and_bytes_replace_the_file_with_a_plain_files_mode(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    target = tmp_path / "page.html"
    target.write_text("old")
    write_atomic(target, "new\nпервая строка\n")
    assert target.read_bytes() == "new\nпервая строка\n".encode()
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert _mode(target) == _mode(plain)
    assert sorted(os.listdir(tmp_path)) == ["page.html", "plain.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "entry.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_text("half")
        raise RuntimeError("writer failed")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["entry.json"]


def test_a_name_left_by_a_killed_process_is_not_written_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "_NUMBERS", itertools.count(7))
    left = tmp_path / f".entry.json.{os.getpid()}.7.tmp"
    left.write_text("another writer's")
    write_atomic(tmp_path / "entry.json", b"mine")
    assert (tmp_path / "entry.json").read_bytes() == b"mine"
    assert left.read_text() == "another writer's"
    assert sorted(os.listdir(tmp_path)) == sorted([left.name, "entry.json"])


def test_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "absent" / "entry.json", b"x")
