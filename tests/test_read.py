"""geo.read: finding inputs, reading each format, and skipping bad inputs with a clear warning."""

from __future__ import annotations

import errno
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.model import Article
from geo.read import MAX_BYTES, ReadWarning, UniqueIds, detect_language, find_inputs, read_articles

# Invented dispatches, written for these tests.
EN = "Artillery fire hit the outskirts of Dalmora overnight, local officials said on Tuesday."
AR = ("قصفت المدفعية أطراف مدينة دالمورا الليلة الماضية، "
      "وقال مسؤولون محليون إن الأضرار كبيرة.")
FR = ("Des tirs d'artillerie ont touché la périphérie de Dalmora pendant la nuit, "
      "selon les autorités locales.")
RU = "Артиллерийский огонь накрыл окраины Далморы ночью, сообщили во вторник местные власти."


def read(paths: list[Path], **kwargs: object) -> tuple[list[Article], list[ReadWarning]]:
    warnings: list[ReadWarning] = []
    articles = list(read_articles(paths, on_warning=warnings.append, **kwargs))
    return articles, warnings


def write_jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                            for r in records), encoding="utf-8")
    return path


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    """A well-formed article read beside each bad input: it must still come through."""
    path = tmp_path / "good.txt"
    path.write_text(EN, encoding="utf-8")
    return path


def assert_one_warning(warnings: list[ReadWarning], path: str, problem: str) -> None:
    assert len(warnings) == 1, warnings
    line = str(warnings[0])
    assert "\n" not in line
    assert warnings[0].path == path
    assert problem in warnings[0].problem
    assert line == f"{path}: {warnings[0].problem}"


# ----------------------------------------------------------------- malformed inputs


def test_empty_and_whitespace_files_are_skipped(tmp_path: Path, good: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_bytes(b" \n\t\r\n")
    blank_lines = tmp_path / "blank.jsonl"
    blank_lines.write_bytes(b"\n\n  \n")
    articles, warnings = read([empty, good, blank, blank_lines])
    assert [a.article_id for a in articles] == ["good"]
    assert [str(w) for w in warnings] == [f"{empty}: empty file", f"{blank}: empty file",
                                          f"{blank_lines}: empty file"]


def test_binary_file_is_skipped(tmp_path: Path, good: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    articles, warnings = read([binary, good])
    assert [a.article_id for a in articles] == ["good"]
    assert_one_warning(warnings, str(binary), "binary file")


def test_invalid_utf8_names_the_byte_and_offset(tmp_path: Path, good: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Réunion à Genève".encode("latin-1"))
    articles, warnings = read([latin1, good])
    assert [a.article_id for a in articles] == ["good"]
    assert_one_warning(warnings, str(latin1), "not valid UTF-8 (byte 0xE9 at offset 1)")


def test_file_over_10_mb_is_skipped_unread(tmp_path: Path, good: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 500_000)  # sparse: no need to write the bytes
    articles, warnings = read([big, good])
    assert [a.article_id for a in articles] == ["good"]
    assert_one_warning(warnings, str(big), "larger than 10 MB (10.5 MB)")


def test_50_mb_jsonl_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    with path.open("wb") as f:
        f.write(json.dumps({"id": "a", "text": EN}).encode() + b"\n")
        f.write(b'{"id": "huge", "text": "')
        chunk = b"x" * (1 << 20)
        for _ in range(50):
            f.write(chunk)
        f.write(b'"}\n')
        f.write(json.dumps({"id": "b", "text": FR}).encode() + b"\n")
    tracemalloc.start()
    try:
        articles, warnings = read([path], detect_language=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30_000_000, f"peak {peak / 1e6:.1f} MB"
    assert [a.article_id for a in articles] == ["a", "b"]
    assert_one_warning(warnings, f"{path}:2", "larger than 10 MB (52.4 MB)")


def test_jsonl_line_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "edge.jsonl"
    head = b'{"id": "edge", "text": "'
    with path.open("wb") as f:
        f.write(head + b"y" * (MAX_BYTES - len(head) - 2) + b'"}\n')
    articles, warnings = read([path], detect_language=False)
    assert warnings == []
    assert len(articles[0].text) == MAX_BYTES - len(head) - 2


def test_html_full_of_scripts_keeps_only_the_body(tmp_path: Path, good: Path) -> None:
    script = ("<script>var token = 'SCRIPT_TOKEN'; document.write('<p>SCRIPT_TOKEN</p>');</script>"
              "<style>p::before { content: 'STYLE_TOKEN'; }</style>"
              "<noscript>NOSCRIPT_TOKEN</noscript><template><p>TEMPLATE_TOKEN</p></template>")
    page = tmp_path / "scripted.html"
    page.write_text(
        f"<html><head>{script * 20}<title>Shelling in Dalmora</title></head><body>{script * 50}"
        f"<article>{script}<p>{EN}</p>{script}<p>Residents said the power station was hit twice.</p></article>"
        f"{script * 50}</body></html>", encoding="utf-8")
    only_scripts = tmp_path / "only_scripts.htm"
    only_scripts.write_text(f"<html><head></head><body>{script * 30}</body></html>", encoding="utf-8")
    articles, warnings = read([page, only_scripts, good])
    assert [a.article_id for a in articles] == ["scripted", "good"]
    text = articles[0].text
    assert EN in text and "power station was hit twice" in text
    assert "TOKEN" not in text and "document.write" not in text and "content:" not in text
    assert_one_warning(warnings, str(only_scripts), "no article text found in HTML")


def test_jsonl_bad_lines_are_skipped_and_named(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "batch.jsonl",
        {"id": "one", "text": EN},
        '{"id": "two", "text": "unterminated',
        "",
        {"text": FR},
        {"id": "four", "title": "no text here"},
        {"id": "five", "text": 5},
        '["not", "an", "object"]',
        {"id": "six", "text": RU},
    )
    articles, warnings = read([path])
    assert [a.article_id for a in articles] == ["one", "six"]
    assert [str(w) for w in warnings] == [
        f"{path}:2: invalid JSON: Unterminated string starting at column 23",
        f"{path}:4: missing 'id'",
        f"{path}:5: missing 'text'",
        f"{path}:6: 'text' is not a string but int",
        f"{path}:7: not a JSON object but list",
    ]


def test_jsonl_bad_published_is_dropped_with_a_warning(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "dates.jsonl",
        {"id": "a", "text": EN, "published": "2023-10-05T08:30:00+03:00"},
        {"id": "b", "text": EN, "published": "last Tuesday"},
        {"id": "c", "text": EN, "published": "2023-10-05"},
    )
    articles, warnings = read([path])
    assert [a.published for a in articles] == ["2023-10-05", None, "2023-10-05"]
    assert_one_warning(warnings, f"{path}:2", "'published' is not an ISO date ('last Tuesday')")


def test_jsonl_invalid_utf8_and_binary(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(b'{"id": "x", "text": "caf\xe9"}\n' + json.dumps({"id": "y", "text": EN}).encode() + b"\n")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\x00\x01\x02" * 10)
    articles, warnings = read([mixed, binary])
    assert [a.article_id for a in articles] == ["y"]
    assert [str(w) for w in warnings] == [f"{mixed}:1: not valid UTF-8 (byte 0xE9 at offset 24)",
                                          f"{binary}: binary file"]


def test_unreadable_file_gives_the_os_reason(tmp_path: Path, good: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(EN, encoding="utf-8")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads anything: refuse the way the OS would
        real_open = os.open

        def refuse(path: object, *args: object, **kwargs: object) -> object:
            if Path(path) == locked:  # type: ignore[arg-type]
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", refuse)
    try:
        articles, warnings = read([locked, good])
    finally:
        locked.chmod(0o644)
    assert [a.article_id for a in articles] == ["good"]
    assert_one_warning(warnings, str(locked), "Permission denied")


def test_missing_file_given_directly_is_a_warning(tmp_path: Path, good: Path) -> None:
    gone = tmp_path / "gone.txt"
    articles, warnings = read([gone, good])
    assert [a.article_id for a in articles] == ["good"]
    assert_one_warning(warnings, str(gone), "No such file or directory")


def test_default_on_warning_skips_silently(tmp_path: Path, good: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.touch()
    assert [a.article_id for a in read_articles([empty, good])] == ["good"]


# ----------------------------------------------------------------- finding inputs


def test_folder_is_searched_recursively_and_sorted(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    for name in ["b.txt", "a.md", "sub/z.html", "sub/deeper/c.jsonl", "notes.csv", ".hidden.txt",
                 ".git/x.txt", "A.HTM"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(EN, encoding="utf-8")
    found = find_inputs([root])
    assert [p.relative_to(root).as_posix() for p in found] == [
        "A.HTM", "a.md", "b.txt", "sub/deeper/c.jsonl", "sub/z.html"]
    assert all(str(p).startswith(str(root)) for p in found)


def test_glob_and_duplicates(tmp_path: Path) -> None:
    for name in ["x2.txt", "x1.txt", "y.md", "x3.csv"]:
        (tmp_path / name).write_text(EN, encoding="utf-8")
    found = find_inputs([str(tmp_path / "x*"), tmp_path / "x1.txt", str(tmp_path / "**" / "*.md")])
    assert [p.name for p in found] == ["x1.txt", "x2.txt", "y.md"]


@pytest.mark.parametrize("spec, message", [
    ("nowhere/article.txt", "no such file or folder"),
    ("nowhere/*.txt", "pattern matches no article files"),
    ("empty_folder", "folder holds no article files"),
    ("table.csv", "not an article file"),
])
def test_spec_matching_nothing_is_an_input_error(tmp_path: Path, spec: str, message: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty_folder").mkdir()
    (tmp_path / "table.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        find_inputs([spec])
    assert str(raised.value).startswith(f"{spec}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


# ----------------------------------------------------------------- text and offsets


def test_txt_offsets_index_the_decoded_text(tmp_path: Path) -> None:
    raw = "Ереван, 3 октября.\r\nShelling near Ağdam — “heavy”, said Ms Ünal.\r\nThe road to Dalmora is closed.\n"
    path = tmp_path / "dispatch_01.txt"
    path.write_bytes(raw.encode("utf-8"))
    (article,) = read_articles([path], detect_language=False)
    assert article.text == raw
    start = raw.index("Dalmora")
    assert article.text[start:start + len("Dalmora")] == "Dalmora"
    assert article.article_id == "dispatch_01"
    assert article.path == str(path)
    assert article.title == "Ереван, 3 октября."  # the first line (issue 13)


def test_bom_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + EN.encode("utf-8"))
    jsonl = tmp_path / "bom.jsonl"
    jsonl.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "j", "text": EN}).encode() + b"\n")
    articles, warnings = read([path, jsonl])
    assert warnings == []
    assert [a.text for a in articles] == [EN, EN]
    assert articles[0].text.index("Dalmora") == EN.index("Dalmora")


def test_markdown_is_kept_verbatim_with_its_heading_as_title(tmp_path: Path) -> None:
    raw = "Filed from the front.\n\n# Talks resume in Dalmora #\n\n**Negotiators** met on *Tuesday*.\n"
    path = tmp_path / "talks.md"
    path.write_text(raw, encoding="utf-8")
    (article,) = read_articles([path])
    assert article.text == raw
    assert article.title == "Talks resume in Dalmora"


def test_jsonl_fields(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "batch.jsonl", {
        "id": "d-17", "text": EN, "title": "Night shelling", "url": "https://news.example/d-17",
        "published": "2024-02-29", "lang": "en-GB"}, {"id": 18, "text": RU, "title": None})
    articles, warnings = read([path])
    assert warnings == []
    assert articles[0] == Article(article_id="d-17", text=EN, title="Night shelling",
                                  url="https://news.example/d-17", published="2024-02-29", lang="en",
                                  path=str(path))
    assert (articles[1].article_id, articles[1].title, articles[1].lang) == ("18", None, "ru")


def test_order_follows_paths_then_lines(tmp_path: Path) -> None:
    b = tmp_path / "b.txt"
    b.write_text(EN, encoding="utf-8")
    batch = write_jsonl(tmp_path / "a.jsonl", {"id": "2", "text": EN}, {"id": "1", "text": EN})
    a = tmp_path / "a.txt"
    a.write_text(EN, encoding="utf-8")
    assert [x.article_id for x in read_articles([b, batch, a])] == ["b", "2", "1", "a"]


# ----------------------------------------------------------------- HTML


def test_html_metadata(tmp_path: Path) -> None:
    page = tmp_path / "talks.html"
    page.write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ceasefire talks resume in Dalmora | The Example Ledger</title>
<meta property="og:title" content="Ceasefire talks resume in Dalmora">
<meta property="article:published_time" content="2023-10-05T22:30:00-04:00">
<link rel="canonical" href="https://news.example/world/ceasefire-talks">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ceasefire talks resume in Dalmora</h1>
<p>{EN}</p>
<p>Negotiators met in the town hall on Wednesday, and both delegations said the talks would continue.</p>
</article><footer>© The Example Ledger</footer></body></html>""", encoding="utf-8")
    (article,) = read_articles([page])
    assert article.article_id == "talks"
    assert article.title == "Ceasefire talks resume in Dalmora"
    assert article.url == "https://news.example/world/ceasefire-talks"
    assert article.published == "2023-10-05"
    assert article.lang == "en"
    assert EN in article.text and "Home" not in article.text and "©" not in article.text


def test_html_date_is_not_guessed_from_the_text(tmp_path: Path) -> None:
    page = tmp_path / "undated.html"
    page.write_text("<html><head><title>Undated</title></head><body>"
                    "<p>Troops entered Dalmora on 12 March 2021 after a week of fighting around the main road, "
                    "officials said in a statement.</p></body></html>", encoding="utf-8")
    (article,) = read_articles([page])
    assert article.published is None


def test_html_fragment_and_declared_charset(tmp_path: Path) -> None:
    fragment = tmp_path / "fragment.html"
    fragment.write_text(f"<p>{EN}</p><p>Two shells landed near the school.</p>", encoding="utf-8")
    arabic = tmp_path / "arabic.html"
    arabic.write_bytes(b'<html><head><meta charset="windows-1256"></head><body><p>'
                       + AR.encode("cp1256") + b"</p></body></html>")
    articles, warnings = read([fragment, arabic])
    assert warnings == []
    assert EN in articles[0].text
    assert articles[1].text == AR
    assert articles[1].lang == "ar"


# ----------------------------------------------------------------- language


@pytest.mark.parametrize("text, lang", [(EN, "en"), (AR, "ar"), (FR, "fr"), (RU, "ru"),
                                        ("قصفت القوات الحكومية مواقع المتمردين قرب النهر يوم الثلاثاء.", "ar")])
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "Dalmora", "12:45 — 3/10/2023 ☂", "Shelling resumed."])
def test_detect_language_abstains_on_short_text(text: str) -> None:
    assert detect_language(text) is None


def test_language_detection_can_be_turned_off_and_jsonl_lang_wins(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "langs.jsonl", {"id": "a", "text": FR},
                       {"id": "b", "text": FR, "lang": "de"})
    assert [a.lang for a in read_articles([path])] == ["fr", "de"]
    assert [a.lang for a in read_articles([path], detect_language=False)] == [None, "de"]


def test_txt_first_line_is_the_title_and_header_lines_give_url_and_date(tmp_path: Path) -> None:
    raw = ("Shelling resumes near Dalmora\nURL: https://news.example/d-1\nDate: 2024-02-29\n\n"
           "Shells fell on Dalmora overnight, officials said.\n")
    path = tmp_path / "d1.txt"
    path.write_text(raw, encoding="utf-8")
    hostile = tmp_path / "d2.txt"
    hostile.write_text("Source: javascript:alert(1)\nDate: yesterday\n\n" + "Long body line. " * 20 + "\n",
                       encoding="utf-8")
    markdown = tmp_path / "d3.md"
    markdown.write_text("# Talks in Dalmora\nLink: http://news.example/d-3\nPublished: 2024-03-01T10:00:00\n\nBody.\n",
                        encoding="utf-8")
    first, second, third = read_articles([path, hostile, markdown], detect_language=False)
    assert first.text == raw  # offsets unchanged: the header stays in the text
    assert (first.title, first.url, first.published) == ("Shelling resumes near Dalmora", "https://news.example/d-1",
                                                         "2024-02-29")
    assert (second.title, second.url, second.published) == (None, None, None)  # no http URL, no ISO date
    assert (third.title, third.url, third.published) == ("Talks in Dalmora", "http://news.example/d-3", "2024-03-01")


def test_unique_ids_keep_one_string_for_each_file_not_one_for_each_id() -> None:
    ids = UniqueIds()
    first, second = ("/".join(["day1", "wire.jsonl"]) for _ in range(2))  # equal, made apart (as each article's)
    assert first is not second
    assert ids.claim("a", first) is None and ids.claim("b", second) is None
    assert ids.first_file("a") is ids.first_file("b")
    assert ids.claim("a", second) == "a@day1/wire.jsonl"
