"""The cached index: built once, validated on open, rebuilt when stale or corrupted."""

import json
import os
import shutil
from pathlib import Path

import pytest

from gazetteer.index import GazetteerIndex


def _copy_index(source: GazetteerIndex, target_dir: Path) -> Path:
    target = target_dir / source.path.name
    shutil.copy2(source.path, target)
    for suffix in (".json", ".keys", ".seal"):
        shutil.copy2(source.path.with_suffix(suffix), target.with_suffix(suffix))
    return target


def test_valid_index_is_reused_without_rebuilding(gazetteer, tmp_path: Path, monkeypatch) -> None:
    _copy_index(gazetteer.index, tmp_path)
    monkeypatch.setattr("gazetteer.index.build_index", lambda *a, **k: pytest.fail("rebuilt a valid index"))
    index = GazetteerIndex.open(tmp_path)
    assert index.counts()["city"] > 200_000


@pytest.mark.parametrize("damage", ["truncate", "garbage", "manifest", "incomplete", "keys", "keys in place",
                                    "index in place", "seal"])
def test_damaged_index_is_never_trusted(gazetteer, tmp_path: Path, damage: str) -> None:
    path = _copy_index(gazetteer.index, tmp_path)
    if damage == "truncate":
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 2)
    elif damage == "garbage":
        path.write_bytes(b"this is not sqlite" * 1000)
    elif damage == "manifest":
        path.with_suffix(".json").unlink()
    elif damage == "keys":
        with path.with_suffix(".keys").open("r+b") as handle:
            handle.truncate(1000)
    elif damage == "keys in place":  # same size, times put back: only the checksum tells
        keys = path.with_suffix(".keys")
        times = keys.stat()
        with keys.open("r+b") as handle:
            handle.seek(keys.stat().st_size // 2)
            handle.write(b"\xff" * 64)
        os.utime(keys, ns=(times.st_atime_ns, times.st_mtime_ns))
    elif damage == "index in place":  # a page of the SQLite file overwritten, size and times put back
        times = path.stat()
        with path.open("r+b") as handle:
            handle.seek(times.st_size // 2)
            handle.write(b"\xff" * 4096)
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    elif damage == "seal":
        path.with_suffix(".seal").write_text("{")
    else:
        import sqlite3

        db = sqlite3.connect(path)
        db.execute("DELETE FROM meta WHERE key = 'complete'")
        db.commit()
        db.close()
    index = gazetteer.index
    assert GazetteerIndex._try_open(path, index.fingerprint, index.versions) is None
    assert not path.exists()


def test_an_unchanged_index_is_hashed_once_after_a_copy(gazetteer, tmp_path: Path, monkeypatch) -> None:
    """The copy's change time differs from the seal's: its digest is checked and the seal takes the new time;
    the next open trusts the unchanged file without hashing 110 MB."""
    path = _copy_index(gazetteer.index, tmp_path)
    index = gazetteer.index
    GazetteerIndex._try_open(path, index.fingerprint, index.versions).close()
    import gazetteer.index as module

    hash_file = module._sha256  # the small name trie is hashed at every open; the 110 MB index must not be
    monkeypatch.setattr(module, "_sha256", lambda p: pytest.fail("hashed again") if p == path else hash_file(p))
    reopened = GazetteerIndex._try_open(path, index.fingerprint, index.versions)
    assert reopened is not None
    reopened.close()


def test_an_index_without_a_seal_is_checked_and_sealed(gazetteer, tmp_path: Path) -> None:
    path = _copy_index(gazetteer.index, tmp_path)
    path.with_suffix(".seal").unlink()
    index = gazetteer.index
    GazetteerIndex._try_open(path, index.fingerprint, index.versions).close()
    assert json.loads(path.with_suffix(".seal").read_text())["sha256"] == json.loads(
        gazetteer.index.path.with_suffix(".seal").read_text())["sha256"]


@pytest.mark.slow
def test_corrupted_cache_is_rebuilt(gazetteer, tmp_path: Path) -> None:
    """A real rebuild from the sources after the cached file was overwritten (slow: ~40 s; CI sees a damaged
    index refused above, and a real first build from a clean cache in tests/test_one_build_path.py)."""
    path = _copy_index(gazetteer.index, tmp_path)
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 65536)
    (tmp_path / "index-0000000000000000.sqlite").write_bytes(b"stale")  # an index of older sources
    index = GazetteerIndex.open(tmp_path)
    assert index.path == path
    assert index.counts() == gazetteer.index.counts()
    assert not (tmp_path / "index-0000000000000000.sqlite").exists()
    assert sorted(p.name for p in tmp_path.glob("index-*")) == sorted([path.name, path.with_suffix(".json").name,
                                                                     path.with_suffix(".keys").name])


def test_counts_cover_every_source(gazetteer) -> None:
    counts = gazetteer.index.counts()
    assert counts["city"] == 234_908  # every cities500 place
    assert counts["admin1"] >= 4_500
    assert counts["country"] >= 240
    assert counts["continent"] == 7
    assert counts["area"] >= 11
    assert counts["names"] > 1_300_000


def test_name_keys_answer_names_and_their_beginnings(gazetteer) -> None:
    keys = gazetteer.index.name_keys()
    assert keys.is_name("baku") and keys.is_name("nagorno karabakh") and keys.is_name("степанакерт")
    assert keys.starts_name("nagorno") and not keys.is_name("nagorno")
    assert not keys.is_name("qqxv") and not keys.starts_name("qqxv")
    extra = keys.with_extra(["zzyzx springs"])
    assert extra.is_name("zzyzx springs") and extra.starts_name("zzyzx") and not keys.is_name("zzyzx springs")


def test_an_admin1_unit_is_found_by_its_country_and_code(gazetteer) -> None:
    """admin1_unit answers as a scan of the country's units would: the first by pid with the code (Bosnia and
    Herzegovina has several units under one code)."""
    index = gazetteer.index
    for country in ("UA", "BA"):
        units = index.places_of_kind("admin1", countries=[country])
        for unit in units:
            assert index.admin1_unit(country, unit.admin1_code) is next(
                u for u in units if u.admin1_code == unit.admin1_code)
    assert index.admin1_unit("UA", "UA-none") is None
