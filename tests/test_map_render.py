"""Maps: escaping, popups, layers, offline pages, ``conflict-map build`` (incremental) and ``map``, bad inputs.

Pages are checked as text here; tests/test_map_browser.py opens them in Chromium.  The
offline tests need the npm packages of maps/assets.py (fetched once per session into the
session cache); they are skipped with the reason when npm or its registry is unavailable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from gazetteer.place import Place
from geo.frame import PROPERTY_COLUMNS, events_frame
from geo.join import join_regions
from geo.model import EVENT_TYPES, LAYERS, Event, Source
from maps.assets import npm_file, remote_references
from maps.cli.main import _Group, cli
from maps.cli.map import map_command
from maps.errors import AssetError, EventsFileError
from maps.events_file import read_events_file
from maps.escape import escape_text, safe_link_url
from maps.popups import highlighted_sentence, popup_html, tooltip_text
from maps.render import map_html, render_map
from maps.symbols import EVENT_SYMBOLS, LAYER_ORDER, layer_class

ROOT = Path(__file__).resolve().parents[1]
DISPATCHES = ROOT / "examples" / "dispatches"
XSS = "<script>alert(1)</script> ${alert(1)}"


# --------------------------------------------------------------------------- helpers


def _event(name: str, lat: float, lon: float, event_type: str = "shelling", *, kind: str = "city",
           date: str | None = "2020-10-04", sentence: str | None = None, title: str | None = "A dispatch",
           url: str | None = "https://example.org/a", actors: tuple[str, ...] = ("AM",)) -> Event:
    sentence = sentence or f"Shells fell on {name} overnight."
    start = sentence.index(name) if name in sentence else 0
    source = Source(article_id="a1", sentence=sentence, start=100 + start, end=100 + start + len(name),
                    sentence_start=100, title=title, url=url)
    return Event(event_type=event_type, place=Place(name, lat, lon, kind, "AZ"), place_mention=name, date=date,
                 date_precision="day" if date else None, actors=actors, confidence=0.8, sources=[source])


def _events() -> list[Event]:
    return [
        _event("Ganja", 40.6828, 46.3606),
        _event("Tartar", 40.3418, 46.9302, "airstrike", date="2020-10-10"),
        _event("Jabrayil", 39.3999, 47.0265, "clash", date=None),
        _event("Nagorno-Karabakh", 39.82, 46.75, "clash", kind="area"),
        _event("Baku", 40.3777, 49.892, "meeting", actors=()),
        _event("Azerbaijan", 40.4901, 48.463, "statement", kind="country", actors=()),
    ]


@pytest.fixture(scope="module")
def frame():
    return join_regions(events_frame(_events()))


@pytest.fixture(scope="module")
def page(frame) -> str:
    return map_html(frame)[0]


@pytest.fixture(scope="session")
def offline_assets(cache_dir) -> None:
    """The npm packages of offline maps, in the session cache; skips when they cannot be fetched."""
    from maps.build import ensure_offline_assets

    try:
        ensure_offline_assets()
    except AssetError as error:
        pytest.skip(f"offline assets cannot be installed here: {error}")


@pytest.fixture(scope="module")
def runner(gazetteer) -> CliRunner:
    """A CliRunner; depends on ``gazetteer`` so the session index exists before a command opens it."""
    return CliRunner()


def invoke(runner: CliRunner, group: click.Group, *args: str | Path) -> Result:
    result = runner.invoke(group, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{' '.join(map(str, args))} raised {result.exception!r}\n{result.stderr}") \
            from result.exception
    return result


def _with_map_command() -> click.Group:
    """The command group with ``map`` registered, as the main module will (same error handling)."""
    group = _Group(name="conflict-map", commands=dict(cli.commands))
    group.add_command(map_command)
    return group


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


# --------------------------------------------------------------------------- escaping


def test_escape_text_makes_html_and_template_literals_inert():
    assert escape_text("<b>&\"'</b>") == "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;"
    assert escape_text("${alert(1)} `x` \\u") == "&#36;&#123;alert(1)&#125; &#96;x&#96; &#92;u"
    assert escape_text(None) == ""
    assert escape_text(3) == "3"
    assert not re.search(r"[<>$`\\{}]", escape_text(XSS + "`\\"))


def test_escape_text_defuses_jinja():
    assert escape_text("{{ 7*7 }} {% raw %} {# c #}") \
        == "&#123;&#123; 7*7 &#125;&#125; &#123;% raw %&#125; &#123;# c #&#125;"


def test_characters_beyond_the_bmp_are_written_as_references_and_escapes():
    from maps.elements import script_json

    assert escape_text("Boom \U0001F4A5 <b>") == "Boom &#x1F4A5; &lt;b&gt;"
    assert script_json(["\U00010343\U0001F4A5 é"]) == '["\\ud800\\udf43\\ud83d\\udca5 é"]'
    assert json.loads(script_json(["\U00010343\U0001F4A5 é"])) == ["\U00010343\U0001F4A5 é"]


def test_a_page_with_emoji_in_its_articles_holds_no_character_beyond_the_bmp():
    """One such character would make Python hold the whole page at four bytes a character."""
    event = _event("Ganja", 40.68, 46.36, sentence="Shells \U0001F4A5 hit Ganja today.", title="Live \U0001F534")
    html, _ = map_html(join_regions(events_frame([event])))
    assert max(map(ord, html)) <= 0xFFFF
    assert "&#x1F4A5;" in html and "&#x1F534;" in html  # the popup's sentence and title, as references


def test_only_http_urls_become_links():
    assert safe_link_url("https://example.org/a?b=1&c=$2") == "https://example.org/a?b=1&amp;c=&#36;2"
    for url in ("javascript:alert(1)", "data:text/html,<script>", "//evil.example", "/relative", "", None,
                "https://exa mple.org", "http:///nohost"):
        assert safe_link_url(url) is None, url


# --------------------------------------------------------------------------- popups


def test_popup_escapes_article_text_and_keeps_it_readable():
    event = _event("Ganja", 40.68, 46.36, sentence=f"Shells hit Ganja {XSS} today.", title=XSS,
                   url="javascript:alert(1)")
    html = popup_html(event.properties())
    assert "<script" not in html and "${" not in html and "`" not in html and "\\" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt; &#36;&#123;alert(1)&#125;") == 2  # title, sentence
    assert "href" not in html  # a javascript: URL is not a link


def test_popup_lists_every_source_with_the_mention_highlighted():
    event = _event("Ganja", 40.68, 46.36)
    second = Source(article_id="a2", sentence="Ganja was shelled again.", start=50, end=55, sentence_start=50,
                    title="Second <report>", url="http://example.org/2")
    event.sources.append(second)
    html = popup_html(event.properties())
    assert 'href="https://example.org/a"' in html and 'href="http://example.org/2"' in html
    assert "Shells fell on <mark>Ganja</mark> overnight." in html
    assert "<mark>Ganja</mark> was shelled again." in html
    assert "Second &lt;report&gt;" in html and "2 articles · 1 outlet" in html
    for label in ("Date", "Actors", "Confidence"):
        assert f"<th>{label}</th>" in html
    assert "AM (Armenia)" in html and "0.80" in html and "2020-10-04" in html


def test_popup_counts_articles_and_outlets_not_sentences():
    event = _event("Ganja", 40.68, 46.36)
    first = event.sources[0]
    event.sources = [first, replace(first, sentence="Ganja burned.", start=0, end=5, sentence_start=0),
                     replace(first, article_id="a2", title="Other", url="https://www.other.net/x"),
                     replace(first, article_id="a3", title="No link", url=None)]
    html = popup_html(event.properties())
    assert "3 articles · 2 outlets" in html
    assert html.count("<li>") == 3 and html.count("<blockquote>") == 4  # a1's two sentences under one item
    assert '<small class="cm-outlet">other.net</small>' in html and '<small class="cm-outlet">example.org</small>' in html


def test_popup_and_tooltip_name_the_place_as_written_and_the_gazetteer_name():
    from maps.popups import place_label

    event = _event("Khankendi", 39.82, 46.75)
    properties = {**event.properties(), "place_mention": "Stepanakert"}
    assert place_label(properties) == "Stepanakert (Khankendi)"
    assert '<div class="cm-popup-place">Stepanakert (Khankendi)</div>' in popup_html(properties)
    assert "Stepanakert (Khankendi)" in tooltip_text(properties)
    assert place_label({**properties, "place_mention": "KHANKÉNDI"}) == "Khankendi"
    assert place_label({**properties, "place_mention": None}) == "Khankendi"
    assert place_label({"place_name": None, "place_mention": XSS}) == XSS  # plain text; escaped where it meets HTML
    assert XSS not in popup_html({**properties, "place_mention": XSS})


def test_popup_shows_killed_and_injured_and_each_source_figure_when_they_disagree():
    event = _event("Ganja", 40.68, 46.36, title=XSS)
    event.sources = [replace(event.sources[0], fatalities=3, injured=12),
                     replace(event.sources[0], article_id="a2", title="Later <report>", fatalities=5)]
    event.fatalities, event.injured = 5, 12
    html = popup_html(event.properties())
    assert "<tr><th>Killed</th><td>5</td></tr><tr><th>Injured</th><td>12</td></tr>" in html
    assert '<small class="cm-toll">killed 3, injured 12</small>' in html
    assert '<small class="cm-toll">killed 5</small>' in html
    assert "Later &lt;report&gt;" in html and "<script" not in html and "${" not in html


def test_popup_leaves_out_absent_figures_and_source_figures_that_agree():
    event = _event("Ganja", 40.68, 46.36)
    assert "Killed" not in popup_html(event.properties()) and "Injured" not in popup_html(event.properties())
    event.sources = [replace(event.sources[0], fatalities=0), replace(event.sources[0], article_id="a2", fatalities=0)]
    event.fatalities = 0
    html = popup_html(event.properties())
    assert "<th>Killed</th><td>0</td>" in html and "cm-toll" not in html and "Injured" not in html


def test_popup_figures_from_a_users_file_are_shown_only_as_numbers():
    properties = {**_event("Ganja", 40.68, 46.36).properties(), "fatalities": XSS, "injured": "7"}
    properties["sources"] = [{**properties["sources"][0], "fatalities": "<b>2</b>"},
                             {**properties["sources"][0], "article_id": "a2", "fatalities": 4}]
    html = popup_html(properties)
    assert "Killed</th>" not in html and "<th>Injured</th><td>7</td>" in html
    assert "<b>2</b>" not in html and "alert" not in html and "cm-toll" not in html


def test_highlight_falls_back_to_the_mention_and_then_to_plain_text():
    assert highlighted_sentence({"sentence": "Near <Ganja> today", "start": 6, "end": 11, "sentence_start": 0}) \
        == "Near &lt;<mark>Ganja</mark>&gt; today"
    assert highlighted_sentence({"sentence": "Near Ganja today"}, "Ganja") == "Near <mark>Ganja</mark> today"
    assert highlighted_sentence({"sentence": "Near ${x} today", "start": 90, "end": 99, "sentence_start": 0}) \
        == "Near &#36;&#123;x&#125; today"


def test_tooltip_is_escaped():
    assert tooltip_text({"event_type": "clash", "place_name": "<b>X</b>", "date": None}) \
        == "Armed clash · &lt;b&gt;X&lt;/b&gt;"


# --------------------------------------------------------------------------- the page


def test_every_layer_and_control_is_on_the_page(page):
    for layer in LAYER_ORDER:
        assert f'conflictMap.layers[{json.dumps(layer)}]' in page
        assert json.dumps(layer) + ":" in page  # in the layer control's overlays
    for name in ("Events per admin-1 unit", "Events per named area"):
        assert json.dumps(name) in page
    for control in ("L.markerClusterGroup", "L.Control.Search", "L.control.fullscreen", "L.Control.MiniMap",
                    "L.Control.Measure", "cm-range-track", "cm-legend", "fitBounds("):
        assert control in page, control
    assert "L.circleMarker" in page  # the area- and country-level events: hollow, unclustered


def test_only_the_smallest_named_area_holding_an_event_is_painted_and_tooltips_use_names(frame):
    from maps.choropleth import admin1_choropleth, area_choropleth

    areas = area_choropleth(frame)
    painted = [feature["properties"]["tooltip"] for feature in areas.geojson["features"]]
    # Ganja, Tartar, Jabrayil, Baku and Azerbaijan lie in South Caucasus and Caucasus too: only the smallest counts
    assert any(t.startswith("<b>Nagorno-Karabakh</b>") for t in painted)
    assert not any(t.startswith("<b>Caucasus</b>") for t in painted)
    assert sum(feature["properties"]["n_events"] for feature in areas.geojson["features"]) == frame["area"].notna().sum()
    units = admin1_choropleth(frame).geojson["features"]
    assert units and all("(Azerbaijan)" in f["properties"]["tooltip"] for f in units)
    ids = set(frame["admin1_code"].dropna()) | {"nagorno-karabakh", "south-caucasus"}
    assert not any(code in f["properties"]["tooltip"] for f in units + areas.geojson["features"] for code in ids)


def test_legend_has_one_ramp_per_choropleth_shown_with_its_layer():
    from maps.legend import legend_html

    html = legend_html({"shelling": 2}, ramps=[("Events per admin-1 unit", [1, 2], True),
                                               ("Events per named area", [1, 3, 7], False)])
    blocks = re.findall(r'<div class="cm-ramp-block" data-layer="([^"]+)"( style="display:none")?>', html)
    assert blocks == [("Events per admin-1 unit", ""), ("Events per named area", ' style="display:none"')]
    assert html.count("<h4") == 3 and 'title="2"' in html and 'title="4–7"' in html


def test_every_type_of_the_taxonomy_is_drawn_in_its_layer():
    events = [_event(f"Place {n}", 40.0 + n / 10, 46.0 + n / 10, event_type)
              for n, event_type in enumerate(EVENT_TYPES)]
    assert len(EVENT_TYPES) == 10 and len(LAYER_ORDER) == 8
    html, summary = map_html(join_regions(events_frame(events)))
    assert summary["per_layer"] == {layer: list(LAYERS.values()).count(layer) for layer in LAYER_ORDER}
    for event_type, symbol in EVENT_SYMBOLS.items():
        assert f"cm-glyph-{event_type}" in html and escape_text(symbol.label) in html  # icon, legend row
    for layer in LAYER_ORDER:
        assert f".marker-cluster.cm-cluster.{layer_class(layer)} div" in html  # cluster colour
        assert f"conflictMap.layers[{json.dumps(layer)}]" in html


def test_default_page_inlines_its_scripts_and_falls_back_to_the_shipped_basemap(page):
    assert "<script src=" not in page and "<link rel=\"stylesheet\" href=\"http" not in page
    assert {reference.split()[0] for reference in remote_references(page)} == {"tiles"}  # only the tiles are online
    assert "tileerror" in page and "cm-basemap" in page and 'id="cm-startup"' in page
    labels = json.loads(re.search(r"(\[\[.*?\]\])\.forEach\(function \(l\)", page).group(1))
    kinds = {label[3] for label in labels}
    assert kinds == {"country", "capital", "admin1", "place"}
    assert ["Azerbaijan", "Baku", "Ganja"] == sorted({label[0] for label in labels if label[0] in ("Azerbaijan", "Baku", "Ganja")})


def test_a_page_whose_scripts_cannot_be_inlined_says_so_in_words(frame, monkeypatch, tmp_path):
    import maps.assets
    import maps.render

    def unreachable(package, version, folder, npm):
        raise AssetError(f"npm pack {package}@{version} failed: registry unreachable")

    monkeypatch.setattr(maps.assets, "assets_dir", lambda: tmp_path / "no-assets")
    monkeypatch.setattr(maps.assets, "_fetch", unreachable)
    monkeypatch.setattr(maps.render, "_UNAVAILABLE", [])
    html, summary = map_html(frame)
    assert "<script src=\"https://" in html and summary["scripts"].startswith("loaded from the internet")
    notice = re.search(r'<div id="cm-startup"[^>]*>([^<]*)</div>', html).group(1)
    assert "could not be put inside the page" in notice and "registry unreachable" in notice
    assert "conflict-map assets install" in notice
    with pytest.raises(AssetError):  # --offline never falls back
        map_html(frame, offline=True)


def test_search_rows_show_names_as_text_never_as_html(frame):
    from maps.elements import PlaceSearch
    from maps.search import SearchEntry

    hostile = "Ganja<img src=x onerror=alert(1)>"
    html = map_html(frame)[0]
    search = html[html.index("new CmSearch"):]
    assert "row.textContent = label" in search and "note.textContent" in search
    assert "innerHTML" not in html[html.index("var entries"):html.index("new CmSearch")]
    element = PlaceSearch([SearchEntry(hostile, 40.0, 46.0, "place", [hostile, "</script><script>alert(1)"])])
    assert json.loads(element.entries_json.replace("<\\/", "</")) == [[hostile, 40.0, 46.0, ["</script><script>alert(1)"]]]
    assert "</script>" not in element.entries_json


def test_search_knows_every_alias_of_event_places_and_named_areas(gazetteer):
    from maps.layers import event_points
    from maps.search import search_entries

    ganja = _event("Ganja", 40.6828, 46.3606)
    ganja.place = replace(ganja.place, geonameid=586523)
    ganja.place_mention = "Gandja"
    hostile = _event("Ganja<img src=x onerror=alert(1)>", 40.0, 45.0)
    frame = join_regions(events_frame([ganja, hostile, _event("Nagorno-Karabakh", 39.82, 46.75, "clash", kind="area")]))
    entries = {entry.label: entry for entry in search_entries(event_points(frame), gazetteer=gazetteer)}
    assert {"Гянджа", "Gəncə", "Gandja"} <= set(entries["Ganja"].aliases)
    assert "Ganja<img src=x onerror=alert(1)>" in entries  # kept as plain text: the page shows it with textContent
    karabakh = entries["Nagorno-Karabakh"]
    assert karabakh.kind == "area" and {"Karabakh", "Нагорный Карабах"} <= set(karabakh.aliases)
    assert "South Caucasus" in entries  # every named area holding an event


def test_title_heads_the_page_and_the_legend_escaped(frame):
    html = map_html(frame, title=f"Karabakh week {XSS}")[0]
    escaped = escape_text(f"Karabakh week {XSS}")
    assert f"<title>{escaped}</title>" in html
    assert f"<summary>{escaped}<\\/summary>" in html  # the legend's heading, in its script JSON
    assert "<summary>Legend<\\/summary>" in map_html(frame)[0] and "<title>conflict-map: 6 events</title>" in map_html(frame)[0]


def test_page_is_deterministic(frame, page):
    assert map_html(frame)[0] == page
    assert not re.search(r"_[0-9a-f]{32}\b", page)  # no random folium ids


def test_jinja_in_article_text_is_not_evaluated():
    """branca re-renders what elements render as Jinja: ``{{ 12345*2 }}`` must stay text, not become 24690."""
    payload = "{{ 12345*2 }} {% raw %} {# x"
    event = _event("Ganja", 40.68, 46.36, sentence=f"Shells hit Ganja {payload} today.", title=payload)
    frame = join_regions(events_frame([event]))
    frame.loc[0, "event_id"] = "{{ 11111*7 }}"
    frame.loc[0, "place_name"] = "Ganja {{ 3131*3 }}"
    html, _ = map_html(frame)
    assert "24690" not in html and "77777" not in html and "9393" not in html
    assert html.count("12345*2") == 2 and "11111*7" in html and "3131*3" in html


def test_markers_are_built_in_the_browser_from_one_array_per_group(frame):
    html, summary = map_html(frame)
    assert html.count("var rows = [") == 5  # clustered places in 3 layers, region circles in 2
    assert "group.addLayers(markers)" in html and summary["drawn"] == len(frame) and not summary["canvas"]
    assert map_html(frame, canvas_threshold=2)[1]["canvas"]


def test_remote_references_finds_what_would_be_fetched():
    html = ('<script src="https://cdn.example/x.js"></script><link href="//cdn.example/y.css" rel="stylesheet">'
            '<style>.a{background:url("https://img.example/z.png")}</style>'
            'var t = L.tileLayer("https://{s}.tile.example/{z}/{x}/{y}.png"); '
            'var p = "<img src=\\"https://img.example/w.png\\">";'
            '<a href="https://example.org/article">source</a><svg xmlns="http://www.w3.org/2000/svg"></svg>')
    found = remote_references(html)
    assert [item.split()[-1] for item in found] == [
        "https://cdn.example/x.js", "//cdn.example/y.css", "https://img.example/w.png",
        "https://img.example/z.png", "https://{s}.tile.example/{z}/{x}/{y}.png"]


def test_folium_urls_map_to_pinned_npm_files():
    assert npm_file("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js").spec == "leaflet@1.9.3"
    assert npm_file("https://code.jquery.com/jquery-3.7.1.min.js").path == "dist/jquery.min.js"
    marker = npm_file("https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css")
    assert (marker.spec, marker.path) == ("leaflet.markercluster@1.1.0", "dist/MarkerCluster.css")
    with pytest.raises(AssetError, match="no offline copy"):
        npm_file("https://unpkg.com/whatever@1.0.0/x.js")


def test_offline_page_fetches_nothing(frame, offline_assets, tmp_path):
    summary = render_map(frame, tmp_path / "map.html", offline=True)
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert remote_references(html) == []
    assert "L.tileLayer" not in html and "Offline map" in html and summary["offline"]
    assert "leaflet@1.9.3 (BSD-2-Clause)" in html  # licences recorded
    assert os.listdir(tmp_path) == ["map.html"]  # written atomically: no temporary file left


# --------------------------------------------------------------------------- build


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "dispatches"
    shutil.copytree(DISPATCHES, folder)
    return folder


@pytest.fixture(scope="module")
def built(runner, corpus, tmp_path_factory, offline_assets) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("build") / "out"
    return out, invoke(runner, cli, "build", corpus, "--out", out, "--offline")


def test_build_writes_the_outputs_and_a_summary(built):
    out, result = built
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [str(out / name) for name in
                                     ("events.geojson", "events.gpkg", "events.csv", "map.html")]
    assert sorted(os.listdir(out)) == [".cache", "events.csv", "events.geojson", "events.gpkg", "map.html"]
    features = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    assert len(features) >= 10
    summary = result.stderr
    assert "11 articles" in summary and "11 processed, 0 from cache" in summary
    assert "places unresolved: 0" in summary
    for layer in LAYER_ORDER:
        assert layer in summary
    assert remote_references((out / "map.html").read_text(encoding="utf-8")) == []


def test_rebuild_reprocesses_only_the_edited_article(runner, built, corpus):
    out, _ = built
    before = (out / "map.html").read_bytes()
    unchanged = invoke(runner, cli, "build", corpus, "--out", out, "--offline", "-v")
    assert unchanged.exit_code == 0 and "0 processed, 11 from cache" in unchanged.stderr
    assert (out / "map.html").read_bytes() == before  # same input, same bytes

    edited = corpus / "en_02_ganja.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nRockets also hit Tartar on Sunday.\n",
                      encoding="utf-8")
    again = invoke(runner, cli, "build", corpus, "--out", out, "--offline", "-v")
    assert again.exit_code == 0, again.stderr
    assert re.findall(r"^processed (\S+):", again.stderr, re.MULTILINE) == ["en_02_ganja"]
    assert "1 processed, 10 from cache" in again.stderr
    cached = list((out / ".cache").glob("articles-*/*.json"))
    assert len(cached) == 11  # the old entry of the edited article was pruned
    assert len(list((out / ".cache").glob("inputs-*/*.jsonl"))) == len(os.listdir(corpus))  # one per file

    forced = invoke(runner, cli, "build", corpus, "--out", out, "--offline", "--force")
    assert "11 processed, 0 from cache" in forced.stderr


def test_map_command_redraws_a_corrected_geojson(runner, built, tmp_path):
    out, _ = built
    document = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    feature = document["features"][0]
    feature["geometry"]["coordinates"] = [44.5136, 40.1811]  # moved to Yerevan by an analyst
    feature["properties"]["place_name"] = "Corrected <place>"
    feature["properties"]["actors"] = json.dumps(feature["properties"]["actors"])  # as a GIS may save a list
    corrected = tmp_path / "corrected.geojson"
    corrected.write_text(json.dumps(document), encoding="utf-8")
    result = invoke(runner, _with_map_command(), "map", corrected, "--out", tmp_path / "map.html", "--offline")
    assert result.exit_code == 0, result.stderr
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "Corrected &lt;place&gt;" in html and "[40.1811,44.5136," in html  # a row: lat, lon, ...


# --------------------------------------------------------------------------- errors


def _one_error_line(result: Result, status: int, pattern: str) -> None:
    assert result.exit_code == status, (result.exit_code, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and re.search(pattern, lines[0]), result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_out_is_one_line_and_creates_nothing(runner, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = invoke(runner, cli, "build", DISPATCHES / "en_01_stepanakert.txt", "--out", blocker / "out")
    _one_error_line(result, 2, r"^conflict-map: error: .*a-file/out: cannot create or write the output folder")
    assert _files(tmp_path) == ["a-file"]
    result = invoke(runner, cli, "build", DISPATCHES / "en_01_stepanakert.txt", "--out", blocker)
    _one_error_line(result, 2, r"a-file: --out exists and is not a folder")


def test_missing_input_folder_is_one_line_and_creates_nothing(runner, tmp_path):
    result = invoke(runner, cli, "build", tmp_path / "nowhere", "--out", tmp_path / "out")
    _one_error_line(result, 2, r"^conflict-map: error: .*nowhere")
    assert _files(tmp_path) == []


def test_empty_corpus_is_one_line_and_creates_nothing(runner, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    result = invoke(runner, cli, "build", tmp_path / "in", "--out", tmp_path / "out")
    _one_error_line(result, 1, r"^conflict-map: error: .*empty\.txt: empty file$")
    assert _files(tmp_path) == ["in", "in/empty.txt"]


@pytest.mark.parametrize("command", ["build", "extract", "parse"])
def test_one_unreadable_file_is_one_error_line(runner, tmp_path, command):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    out = ("--out", tmp_path / "out") if command != "parse" else ()
    result = invoke(runner, cli, command, binary, *out)
    _one_error_line(result, 1, r"^conflict-map: error: .*scan\.txt: binary file")
    assert not (tmp_path / "out").exists()


def test_an_unreadable_file_beside_readable_ones_is_a_warning(runner, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "in" / "dispatch.txt").write_text((DISPATCHES / "en_01_stepanakert.txt").read_text())
    result = invoke(runner, cli, "parse", tmp_path / "in" / "dispatch.txt")
    assert result.exit_code == 0
    result = invoke(runner, cli, "extract", tmp_path / "in", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"^warning: .*scan\.txt: binary file", result.stderr, re.M), result.stderr


def test_unknown_tiles_is_one_line(runner, tmp_path):
    result = invoke(runner, cli, "build", DISPATCHES, "--out", tmp_path / "out", "--tiles", "OpenStretMap.Mapnik")
    _one_error_line(result, 2, r"--tiles 'OpenStretMap.Mapnik': no such xyzservices provider; did you mean")
    assert _files(tmp_path) == []


@pytest.mark.parametrize(("geometry", "message"), [
    ({"type": "Point", "coordinates": ["x", 40]}, r"feature 2 \(event_id e2\): broken Point coordinates"),
    ({"type": "Point", "coordinates": [46.3, 140]}, r"feature 2 \(event_id e2\): coordinates .* not WGS84"),
    (None, r"feature 2 \(event_id e2\): no geometry"),
    ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, r"feature 2 \(event_id e2\): geometry is a LineString"),
])
def test_broken_geojson_is_one_line_and_writes_nothing(runner, tmp_path, geometry, message):
    good = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.36, 40.68]},
            "properties": {**{name: None for name in PROPERTY_COLUMNS}, "event_id": "e1", "event_type": "shelling"}}
    bad = {**good, "geometry": geometry, "properties": {**good["properties"], "event_id": "e2"}}
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [good, bad]}), encoding="utf-8")
    result = invoke(runner, _with_map_command(), "map", path, "--out", tmp_path / "map.html")
    _one_error_line(result, 2, r"^conflict-map: error: .*events\.geojson: " + message)
    assert _files(tmp_path) == ["events.geojson"]


def test_geojson_missing_contract_properties_names_the_feature(runner, tmp_path):
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.36, 40.68]},
               "properties": {"event_id": "e1", "event_type": "shelling"}}
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    result = invoke(runner, _with_map_command(), "map", path, "--out", tmp_path / "map.html")
    _one_error_line(result, 2, r"feature 1 \(event_id e1\): missing contract properties layer, date")
    assert _files(tmp_path) == ["events.geojson"]


def _events_file(tmp_path: Path, *properties: dict) -> Path:
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.36, 40.68]}, "properties": p}
                for p in properties]
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_events_file_without_casualties_or_acled_types_still_loads(tmp_path):
    """An events.geojson written before the contract had them: figures null, ACLED types from the type."""
    old = {name: value for name, value in _event("Ganja", 40.68, 46.36).properties().items()
           if name not in ("actor_mentions", "fatalities", "injured", "acled_event_type", "acled_sub_event_type")}
    old["sources"] = [{k: v for k, v in old["sources"][0].items() if k not in ("fatalities", "injured")}]
    frame = read_events_file(_events_file(tmp_path, old))
    row = frame.iloc[0]
    assert row["fatalities"] is pd.NA and row["injured"] is pd.NA and row["actor_mentions"] == []
    assert (row["acled_event_type"], row["acled_sub_event_type"]) == (
        "Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert str(frame["fatalities"].dtype) == "Int64"
    assert "Killed" not in popup_html(row.to_dict())


def test_events_file_reads_casualty_figures(tmp_path):
    properties = {**_event("Ganja", 40.68, 46.36, "attack").properties(), "fatalities": "4", "injured": 0.0,
                  "actor_mentions": json.dumps(["gunmen"]), "acled_event_type": "Battles"}
    row = read_events_file(_events_file(tmp_path, properties)).iloc[0]
    assert (row["fatalities"], row["injured"], row["actor_mentions"]) == (4, 0, ["gunmen"])
    assert row["acled_event_type"] == "Violence against civilians"  # follows event_type, as layer does


@pytest.mark.parametrize(("value", "message"), [
    (-1, r"fatalities must be a whole number from 0 \(or null\), not -1"),
    (2.5, r"fatalities must be a whole number"),
    ("many", r"fatalities must be a whole number"),
])
def test_events_file_rejects_a_bad_casualty_figure(tmp_path, value, message):
    properties = {**_event("Ganja", 40.68, 46.36).properties(), "event_id": "e1", "fatalities": value}
    with pytest.raises(EventsFileError, match=r"events\.geojson: feature 1 \(event_id e1\): " + message):
        read_events_file(_events_file(tmp_path, properties))


def test_offline_build_fails_if_anything_remote_remains(runner, corpus, tmp_path, offline_assets, monkeypatch):
    import maps.legend

    monkeypatch.setattr(maps.legend, "legend_html", lambda *a, **k: '<img src="https://example.org/logo.png">')
    out = tmp_path / "out"
    result = invoke(runner, cli, "build", corpus, "--out", out, "--offline")
    _one_error_line(result, 2, r"out/map\.html: the --offline page would still fetch <img src> "
                               r"https://example\.org/logo\.png")
    assert _files(tmp_path) == []  # the folder it created is gone again


# --------------------------------------------------------------------------- basemap labels, date range, note


def test_country_labels_show_by_size_and_the_event_countries_first(gazetteer):
    from maps.basemap import LABEL_MIN_ZOOM, basemap_labels, country_label_zoom

    labels = basemap_labels(["AZ"], [("Ganja", 40.68, 46.36)], gazetteer=gazetteer)
    countries = {text: zoom for text, _, _, kind, zoom in labels if kind == "country"}
    assert countries["Russia"] == LABEL_MIN_ZOOM["country"]
    assert countries["France"] < countries["Belgium"] < countries["Liechtenstein"]
    assert countries["Azerbaijan"] == LABEL_MIN_ZOOM["country"]  # the events' country: from the first zoom
    order = [text for text, *_ in labels]
    assert order[0] == "Azerbaijan" and order.index("Russia") < order.index("France") < order.index("Monaco")
    kinds = [kind for *_, kind, _ in labels]
    assert kinds == sorted(kinds, key=["country", "capital", "place", "admin1"].index)  # importance
    capitals = {text: zoom for text, _, _, kind, zoom in labels if kind == "capital"}
    assert capitals["Vaduz"] > capitals["Paris"] >= LABEL_MIN_ZOOM["capital"]
    assert country_label_zoom(160, 39_000) > country_label_zoom(41_000, 17_000_000) > country_label_zoom(640_000, 0)


def test_page_has_a_two_handle_date_range_in_the_filter_panel_and_no_bottom_slider(page):
    assert "handle('from', 0), high = handle('to', days)" in page and "input.type = 'range'" in page
    assert "panel.form.insertBefore(box, panel.reset)" in page
    assert "cm-timeslider" not in page and "input.type = 'date'" not in page
    assert "conflictMap.timeSlider = {" in page


def test_basemap_note_is_a_dismissable_chip(page):
    assert "cm-basemap-notice" in page and "No tiles: shipped basemap" in page
    assert "No tile server could be reached" in page and "Hide this note" in page


def test_search_aliases_are_capped_per_place_taking_each_script_in_turn():
    from maps.search import MAX_ALIASES, _capped

    latin = [f"Gorod{'a' * n}" for n in range(1, 150)]
    others = ["Гянджа", "Гянжа", "كنجه", "Գանձակ", "Γκάντζα", "גנג'ה", "განჯა", "占贾"]
    aliases = _capped(["Ganja", "Gandja"], [*latin, *others])
    assert len(aliases) == MAX_ALIASES
    assert aliases[:2] == ["Ganja", "Gandja"]  # the names the articles wrote come first
    assert set(others) <= set(aliases)  # one script does not crowd out the others
    assert "Goroda" in aliases and latin[-1] not in aliases  # shortest first within a script
    assert _capped(["Baku"], ["Baku", "Bakı", "BAKU"]) == ["Baku", "Bakı"]  # distinct by search key
