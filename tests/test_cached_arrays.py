"""Cached arrays (and documents) are derived once, mapped (read) afterwards, and derived again when damaged."""

from __future__ import annotations

import json

import numpy as np

from geo.cached_arrays import cached_arrays, cached_document


def _cached(folder, calls):
    def derive():
        calls.append(1)
        return {"values": np.arange(1000, dtype=np.int64), "ends": np.array([10, 1000])}

    return cached_arrays(folder, ("values", "ends"), derive, check=lambda a: int(a["ends"][-1]) == len(a["values"]))


def test_derived_once_then_mapped(tmp_path) -> None:
    calls: list[int] = []
    first = _cached(tmp_path / "table", calls)
    again = _cached(tmp_path / "table", calls)
    assert calls == [1] and isinstance(again["values"], np.memmap)
    assert np.array_equal(first["values"], again["values"])
    assert not [p for p in tmp_path.iterdir() if p.name != "table"]  # nothing left aside


def test_truncated_or_missing_or_inconsistent_is_derived_again(tmp_path) -> None:
    folder = tmp_path / "table"
    calls: list[int] = []
    _cached(folder, calls)
    (folder / "values.npy").write_bytes((folder / "values.npy").read_bytes()[:200])  # truncated
    assert int(_cached(folder, calls)["values"][-1]) == 999
    (folder / "ends.npy").unlink()  # missing
    assert int(_cached(folder, calls)["ends"][-1]) == 1000
    np.save(folder / "values.npy", np.arange(5))  # readable, but not what the ends say
    assert len(_cached(folder, calls)["values"]) == 1000
    assert calls == [1, 1, 1, 1]


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path) -> None:
    (tmp_path / "a file").write_text("not a folder")
    calls: list[int] = []
    arrays = _cached(tmp_path / "a file" / "table", calls)
    assert calls == [1] and int(arrays["values"][-1]) == 999 and not isinstance(arrays["values"], np.memmap)


def test_a_cache_that_never_reads_back_only_costs_time(tmp_path) -> None:
    calls: list[int] = []

    def derive():
        calls.append(1)
        return {"values": np.arange(3)}

    arrays = cached_arrays(tmp_path / "table", ("values",), derive, check=lambda arrays: False)
    assert list(arrays["values"]) == [0, 1, 2] and not isinstance(arrays["values"], np.memmap) and len(calls) == 3


def _document(path, calls, read=dict):
    def derive():
        calls.append(1)
        return {"words": ["é", "b"], "weight": 0.1}

    return cached_document(path, derive, read)


def test_document_derived_once_then_read(tmp_path) -> None:
    calls: list[int] = []
    path = tmp_path / "sub" / "doc.json"
    assert _document(path, calls) == _document(path, calls) == {"words": ["é", "b"], "weight": 0.1}
    assert calls == [1] and json.loads(path.read_text(encoding="utf-8"))["words"] == ["é", "b"]
    assert [p.name for p in path.parent.iterdir()] == ["doc.json"]  # nothing left aside


def test_damaged_or_refused_document_is_derived_again(tmp_path) -> None:
    calls: list[int] = []
    path = tmp_path / "doc.json"
    _document(path, calls)
    path.write_bytes(path.read_bytes()[:10])  # truncated
    assert _document(path, calls)["weight"] == 0.1
    path.write_text('{"other": 1}')  # JSON, but not of the shape the reader wants

    def read(document):
        return document["words"]

    assert _document(path, calls, read) == ["é", "b"] and calls == [1, 1, 1]
    assert json.loads(path.read_text(encoding="utf-8"))["weight"] == 0.1  # written afresh


def test_document_in_a_cache_that_cannot_be_written_or_read_back_only_costs_time(tmp_path) -> None:
    (tmp_path / "a file").write_text("not a folder")
    calls: list[int] = []
    assert _document(tmp_path / "a file" / "doc.json", calls)["words"] == ["é", "b"] and calls == [1]

    def derive():
        calls.append(1)
        return {"derivation": len(calls)}

    def read(document):  # refuses what it reads back from the file, every time
        if document["derivation"] < 4:
            raise ValueError("not the document written")
        return document

    assert cached_document(tmp_path / "doc.json", derive, read) == {"derivation": 4} and len(calls) == 4
