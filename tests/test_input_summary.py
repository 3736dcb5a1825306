"""What a build says about its inputs: UTF-16 text is read, files of other types are counted by reason."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

TEXT = ("Shelling hits Ganja\nPublished: 2020-10-05\n\nArtillery shells struck residential streets of Ganja on "
        "4 October 2020, the city administration said.\n")


def test_utf16_is_read_and_other_files_are_counted_in_the_summary(gazetteer, tmp_path: Path) -> None:
    from maps.cli.main import cli

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ganja.txt").write_bytes(TEXT.encode("utf-16"))  # with its byte-order mark, as Notepad saves it
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not read")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 article -> 1 event" in result.output
    assert "inputs skipped: 3 - 1 empty file, 1 not an article file (.docx), 1 not an article file (.pdf)" \
        in result.output
