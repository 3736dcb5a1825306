"""Maps in headless Chromium (Playwright), with the network cut off.

An ``--offline`` map.html built from our dispatches plus an article whose title and sentences
carry ``<script>alert(1)</script>``, ``${alert(1)}`` and an ``<img onerror>``; the map README
command 1 builds (no option: scripts inlined, tiles refused, so the shipped basemap takes
over); and a ``conflict-map map`` of a GeoJSON whose place names are hostile, searched by
typing into the search box.  Every request other than ``file:`` and ``data:`` is refused and
recorded.  Skipped, with the reason, when
/usr/bin/chromium (Debian's ``chromium``), the ``playwright`` package or the npm assets
are missing.  A screenshot is saved in the test's tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from maps.errors import AssetError
from maps.symbols import LAYER_ORDER, layer_class

ROOT = Path(__file__).resolve().parents[1]
DISPATCHES = ROOT / "examples" / "dispatches"
CHROMIUM = Path(os.environ.get("CONFLICT_MAP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
XSS_ARTICLE = {
    "id": "xss_01",
    "title": "Rockets hit Ganja <script>alert(1)</script> ${alert(1)}",
    "url": "javascript:alert(1)",
    "published": "2020-10-05",
    "text": ("Rockets hit Ganja <script>alert(1)</script> ${alert(1)}\n\n"
             "Armenian forces shelled Ganja on Sunday, killing two civilians <script>alert(1)</script> "
             "and ${alert(1)} `tick` \\u, officials said.\n\n"
             "The shelling of Ganja <img src=x onerror=alert(1)> continued overnight.\n"),
}
XSS_SENTENCE = ("Armenian forces shelled Ganja on Sunday, killing two civilians <script>alert(1)</script> "
                "and ${alert(1)} `tick` \\u, officials said.")

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def built(gazetteer, tmp_path_factory) -> Path:
    """An offline build of the dispatches and the hostile article."""
    from maps.build import build
    from maps.cli.options import stream_inputs

    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copytree(DISPATCHES, corpus / "dispatches")
    (corpus / "dispatches" / "xss.jsonl").write_text(json.dumps(XSS_ARTICLE) + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("offline")
    try:
        build(list(stream_inputs((str(corpus / "dispatches"),))), out, gazetteer=gazetteer, offline=True)
    except AssetError as error:
        pytest.skip(f"offline assets cannot be installed here: {error}")
    return out


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def session(browser, built):
    """The page, loaded with the network cut off, and what it logged."""
    page, log = _open(browser, built / "map.html")
    features = json.loads((built / "events.geojson").read_text(encoding="utf-8"))["features"]
    yield page, log, features
    page.close()


@pytest.fixture(scope="module")
def default_built(gazetteer, tmp_path_factory) -> Path:
    """README command 1: ``conflict-map build examples/dispatches --out DIR``, no option."""
    from maps.build import build
    from maps.cli.options import stream_inputs

    out = tmp_path_factory.mktemp("default")
    build(list(stream_inputs((str(DISPATCHES),))), out, gazetteer=gazetteer)
    if "<script src=" in (out / "map.html").read_text(encoding="utf-8"):
        pytest.skip("the map scripts could not be inlined here (npm or its registry unavailable)")
    return out


@pytest.fixture(scope="module")
def default_session(browser, default_built):
    page, log = _open(browser, default_built / "map.html")
    features = json.loads((default_built / "events.geojson").read_text(encoding="utf-8"))["features"]
    yield page, log, features
    page.close()


def _open(browser, path: Path, viewport: dict[str, int] | None = None):
    """A page loaded from ``path`` with every non-file request refused; and its log."""
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 800})
    log = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda message: log["errors"].append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: log["errors"].append(str(error)))
    page.on("dialog", lambda dialog: (log["dialogs"].append(dialog.message), dialog.dismiss()))

    def refuse_network(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            log["requests"].append(url)
            route.abort()

    page.route("**/*", refuse_network)
    page.goto(path.as_uri())
    page.wait_for_function("window.conflictMap && window.conflictMap.started && window.conflictMap.total() > 0")
    page.wait_for_timeout(600)  # fitBounds animation, tile errors
    return page, log


def _visible(page, css_class: str) -> int:
    return page.locator(f".leaflet-marker-pane .{css_class}, .leaflet-overlay-pane .{css_class}").count()


def _open_popup(page, event_id: str) -> str:
    """Bring the event's marker into view (zooming or spiderfying its cluster), click it, return the popup text."""
    page.evaluate("() => { conflictMap.map.closePopup(); }")  # returning the map would serialise it
    page.wait_for_selector(".leaflet-popup-content", state="detached")
    page.evaluate("""(eventId) => new Promise((resolve, reject) => {
        for (const name of Object.keys(conflictMap.layers)) {
            for (const e of conflictMap.entries(name)) {
                if (e.marker.options.eventId !== eventId) { continue; }
                const mark = () => {
                    const element = e.marker._icon || e.marker._path;
                    document.querySelectorAll('[data-cm-test]').forEach(el => el.removeAttribute('data-cm-test'));
                    element.setAttribute('data-cm-test', 'target');
                    resolve(true);
                };
                if (conflictMap.isCluster(e.container)) { e.container.zoomToShowLayer(e.marker, mark); }
                else { conflictMap.map.setView(e.marker.getLatLng(), 7, {animate: false}); setTimeout(mark, 300); }
                return;
            }
        }
        reject(new Error('no marker for ' + eventId));
    })""", event_id)
    page.wait_for_timeout(400)
    page.click("[data-cm-test=target]", force=True)
    popup = page.wait_for_selector(".leaflet-popup-content")
    return popup.inner_text()


def test_no_console_error_and_no_request(session):
    page, log, _ = session
    assert log["errors"] == []
    assert log["requests"] == []


def test_marker_count_equals_the_events(session):
    page, _, features = session
    assert page.evaluate("conflictMap.total()") == len(features)
    for layer in LAYER_ORDER:
        expected = sum(1 for f in features if f["properties"]["layer"] == layer)
        assert page.evaluate("(name) => conflictMap.count(name)", layer) == expected, layer


def test_every_layer_is_in_the_layer_control_and_toggles_its_markers(session):
    page, _, features = session
    labels = page.locator(".leaflet-control-layers-overlays label")
    names = [text.strip() for text in labels.all_inner_texts()]
    drawn = {f["properties"]["layer"] for f in features}
    for layer in LAYER_ORDER:
        assert layer in names
        if layer not in drawn:
            continue  # a layer without events on these dispatches: listed, nothing to toggle
        checkbox = labels.nth(names.index(layer)).locator("input")
        css = layer_class(layer)
        assert _visible(page, css) > 0, layer
        checkbox.click()
        assert not page.evaluate("(name) => conflictMap.map.hasLayer(conflictMap.layers[name])", layer)
        assert _visible(page, css) == 0, layer
        checkbox.click()
        assert _visible(page, css) > 0, layer


def test_time_slider_filters_every_layer(session):
    page, _, features = session
    dates = sorted({f["properties"]["date"] for f in features if f["properties"]["date"]})
    expected = sum(1 for f in features if f["properties"]["date"] and f["properties"]["date"] <= dates[0])
    assert page.evaluate("(day) => conflictMap.timeSlider.showUpTo(day)", dates[0]) == expected
    assert page.evaluate("conflictMap.total()") == expected < len(features)
    page.evaluate("conflictMap.filters.set({})")
    assert page.evaluate("conflictMap.total()") == len(features)


def test_popup_shows_the_source_sentence(session):
    page, _, features = session
    feature = next(f for f in features if f["properties"]["place_name"] == "Jabrayil")
    text = _open_popup(page, feature["properties"]["event_id"])
    for source in feature["properties"]["sources"]:
        assert source["sentence"].split("\n")[0][:60] in text.replace("\n", " ")
    assert page.locator(".leaflet-popup-content mark").count() >= 1


def test_hostile_article_text_is_shown_not_run(session, tmp_path):
    page, log, features = session
    feature = next(f for f in features if any(s["article_id"] == "xss_01" for s in f["properties"]["sources"]))
    text = _open_popup(page, feature["properties"]["event_id"])
    flat = " ".join(text.split())
    assert " ".join(XSS_SENTENCE.split()) in flat
    assert "Rockets hit Ganja <script>alert(1)</script> ${alert(1)}" in flat
    assert "<img src=x onerror=alert(1)>" in flat
    assert page.locator(".leaflet-popup-content a[href^='javascript']").count() == 0
    assert page.locator(".leaflet-popup-content script, .leaflet-popup-content img").count() == 0
    assert log["dialogs"] == []
    assert log["errors"] == []
    screenshot = tmp_path / "map.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000


def _script_errors(log) -> list[str]:
    """Console errors other than the refused tile requests."""
    return [error for error in log["errors"] if "net::ERR_FAILED" not in error]


def test_readme_map_opens_without_internet_on_the_labelled_shipped_basemap(default_session, tmp_path):
    page, log, features = default_session
    assert _script_errors(log) == [] and log["dialogs"] == []
    assert log["requests"] and all(re.search(r"/\d+/\d+/\d+\.png$", url) for url in log["requests"])  # tiles only
    assert page.evaluate("conflictMap.total()") == len(features) > 0
    overlays = [text.strip() for text in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]
    assert all(layer in overlays for layer in LAYER_ORDER)
    assert page.locator("#cm-startup").count() == 0  # the words shown until the scripts run are gone
    assert page.evaluate("conflictMap.basemap.fallback") is True
    assert "No tile server could be reached" in page.locator(".cm-basemap-notice").text_content()
    assert page.locator(".leaflet-cm-basemap-pane path").count() > 100  # country and admin-1 outlines
    countries = page.locator(".cm-label-country").all_inner_texts()
    assert "AZERBAIJAN" in [text.upper() for text in countries]
    page.evaluate("() => { conflictMap.map.setView([40.4, 47.5], 7, {animate: false}); }")  # not the map back
    page.wait_for_timeout(200)
    admin1 = page.locator(".cm-label-admin1").all_text_contents()
    places = page.locator(".cm-label-place").all_inner_texts()
    assert "Ganja" in admin1 and "Ganja" in places and "Baku" in page.locator(".cm-label-capital").all_inner_texts()
    # the unit named like the place is hidden under the place's label; other units show
    assert len([name for name in page.locator(".cm-label-admin1").all_inner_texts() if name]) > 3
    page.screenshot(path=str(tmp_path / "default-offline.png"))


def _search(page, text: str) -> list[str]:
    """Type ``text`` into the search box (opened if needed); the result rows' text."""
    if not page.locator(".leaflet-control-search input.search-input").is_visible():
        page.click(".leaflet-control-search .search-button")
    box = page.locator(".leaflet-control-search input.search-input")
    box.fill("")
    box.type(text, delay=20)
    page.wait_for_timeout(600)  # the search waits 150 ms after the last key
    return page.locator(".leaflet-control-search .search-tip").all_inner_texts()


def test_search_finds_every_alias_and_goes_there(default_session):
    page, log, _ = default_session
    assert any(row.startswith("Ganja") and "Гянджа" in row for row in _search(page, "Гянджа"))
    rows = _search(page, "stepanakert")
    assert rows and rows[0].startswith("Khankendi")
    page.locator(".leaflet-control-search .search-tip").first.click()
    page.wait_for_timeout(400)
    centre = page.evaluate("(() => { const c = conflictMap.map.getCenter(); return [c.lat, c.lng]; })()")
    assert abs(centre[0] - 39.82) < 0.1 and abs(centre[1] - 46.75) < 0.1
    assert any(row.startswith("Nagorno-Karabakh") for row in _search(page, "Карабах"))  # a named area's alias
    assert _script_errors(log) == []


HOSTILE_NAMES = ["Ganja<img src=x onerror=alert(1)>", "Gx<script>alert(2)</script>", "G${alert(3)}`x`",
                 "G\"><svg onload=alert(4)>", "__proto__", "G</script><script>alert(5)</script>"]


@pytest.fixture(scope="module")
def hostile_session(browser, default_built, tmp_path_factory):
    """``conflict-map map`` of the README map's events with hostile place names and mentions."""
    from click.testing import CliRunner

    from maps.cli.main import cli

    folder = tmp_path_factory.mktemp("hostile")
    collection = json.loads((default_built / "events.geojson").read_text(encoding="utf-8"))
    for number, feature in enumerate(collection["features"]):
        name = HOSTILE_NAMES[number % len(HOSTILE_NAMES)]
        feature["properties"].update(place_name=name, place_mention=name + " <b>m</b>", geonameid=None)
    (folder / "edited.geojson").write_text(json.dumps(collection), encoding="utf-8")
    result = CliRunner().invoke(cli, ["map", str(folder / "edited.geojson"), "--out", str(folder / "map.html")])
    assert result.exit_code == 0, result.output
    page, log = _open(browser, folder / "map.html")
    yield page, log
    page.close()


@pytest.mark.parametrize("typed", ["g", "G", "<", "img", "script", "$", "proto", "\"", "onerror", "m"])
def test_hostile_place_names_typed_into_the_search_box_run_nothing(hostile_session, typed):
    page, log = hostile_session
    rows = _search(page, typed)
    assert rows, typed
    assert page.locator(".search-tooltip img, .search-tooltip script, .search-tooltip svg, .search-tooltip b").count() == 0
    shown = " ".join(rows)
    assert any(name in shown for name in HOSTILE_NAMES)  # the names are shown as written
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_timeout(150)
    assert log["dialogs"] == []
    assert _script_errors(log) == []
    assert page.evaluate("typeof window.conflictMap.search") == "object"


_CONTROL_BOXES = """() => Array.from(document.querySelectorAll('.leaflet-control')).filter(function (el) {
    var r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).display !== 'none';
}).map(function (el) {
    var r = el.getBoundingClientRect();
    return {name: el.className.split(' ').filter(function (c) { return c !== 'leaflet-control'; })[0] || el.className,
            left: r.left, top: r.top, right: r.right, bottom: r.bottom};
})"""


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [(a["name"], b["name"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1
            and a["top"] < b["bottom"] - 1 and b["top"] < a["bottom"] - 1]


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_no_control_overlaps_another_and_the_first_view_holds_every_event(browser, default_built, width, height,
                                                                          tmp_path):
    page, log = _open(browser, default_built / "map.html", {"width": width, "height": height})
    try:
        boxes = page.evaluate(_CONTROL_BOXES)
        assert len(boxes) >= 6
        assert _overlaps(boxes) == []
        assert all(box["left"] >= 0 and box["right"] <= width and box["bottom"] <= height for box in boxes), boxes
        outside = page.evaluate("""() => { var view = conflictMap.map.getBounds(), out = 0;
            Object.keys(conflictMap.layers).forEach(function (name) {
                conflictMap.entries(name).forEach(function (e) { if (!view.contains(e.marker.getLatLng())) { out++; } });
            }); return out; }""")
        assert outside == 0
        narrow = width < 600
        assert page.evaluate("conflictMap.narrow") is narrow
        assert page.locator(".leaflet-control-minimap").count() == (0 if narrow else 1)
        assert page.locator(".leaflet-control-layers-expanded").count() == (0 if narrow else 1)
        assert page.evaluate("document.querySelector('.cm-legend details').open") is not narrow
        page.screenshot(path=str(tmp_path / f"map-{width}x{height}.png"))
        assert _script_errors(log) == []
    finally:
        page.close()


def test_a_popup_fits_a_phone_screen(browser, default_built):
    page, log = _open(browser, default_built / "map.html", {"width": 390, "height": 844})
    try:
        features = json.loads((default_built / "events.geojson").read_text(encoding="utf-8"))["features"]
        longest = max(features, key=lambda f: len(json.dumps(f["properties"]["sources"])))
        _open_popup(page, longest["properties"]["event_id"])
        page.wait_for_timeout(500)  # the popup pans into view
        box = page.locator(".leaflet-popup-content-wrapper").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        assert _script_errors(log) == []
    finally:
        page.close()


def _expected(features, *, types=None, country="", confidence=0.0, first="", last="") -> list[dict]:
    """The features the filters keep, by the rules the page applies."""
    kept = []
    for feature in features:
        p = feature["properties"]
        date = p["date"]
        if types and p["event_type"] not in types or country and p["country_iso2"] != country:
            continue
        if confidence and not (p["confidence"] is not None and p["confidence"] >= confidence):
            continue
        if (first or last) and (not date or first and date < first[:len(date)] or last and date > last):
            continue
        kept.append(p)
    return kept


def test_filters_apply_together_to_markers_clusters_legend_and_list(default_session):
    page, log, features = default_session
    page.evaluate("document.querySelector('.cm-filters details').open = true")
    try:
        wanted = {"types": "shelling,clash,meeting", "country": "AZ", "confidence": "0.5", "from": "2020-10-01",
                  "to": "2020-10-12"}
        kept = _expected(features, types={"shelling", "clash", "meeting"}, country="AZ", confidence=0.5,
                         first="2020-10-01", last="2020-10-12")
        assert 0 < len(kept) < len(features)
        lines = page.evaluate("conflictMap.lines.drawn()")
        assert lines > 0
        assert page.evaluate("(v) => conflictMap.filters.set(v)", wanted) == len(kept)
        assert page.evaluate("conflictMap.lines.drawn()") == 0  # no visit among the types kept
        assert page.evaluate("conflictMap.density.points()") == len(kept)  # the heat map of what is shown
        assert page.evaluate("conflictMap.total()") == len(kept)  # markers, clustered or not
        clustered = page.evaluate("""() => Object.keys(conflictMap.layers).reduce(function (n, name) {
            return n + conflictMap.entries(name).filter(function (e) { return conflictMap.isCluster(e.container); }).length;
        }, 0)""")
        assert clustered == sum(1 for p in kept if p["geo_precision"] == 1)
        for event_type in ("shelling", "clash", "meeting", "airstrike"):
            count = page.locator(f".cm-legend .cm-row[data-type={event_type}] .cm-count").inner_text()
            assert int(count) == sum(1 for p in kept if p["event_type"] == event_type), event_type
        assert page.locator(".cm-event-list tbody tr").count() == len(kept)
        assert f"({len(kept)} of {len(features)})" in page.locator(".cm-filters summary").inner_text()
        regional = page.locator(".cm-legend .cm-row[data-type=regional] .cm-count").inner_text()
        assert int(regional) == sum(1 for p in kept if p["geo_precision"] != 1)
        units = page.evaluate("""() => { var out = {}; conflictMap.choropleths[0].layer.eachLayer(function (r) {
            out[r.feature.properties.match] = [r.feature.properties.n_events, r.options.fillOpacity,
                                               r.feature.properties.tooltip]; }); return out; }""")
        for code, (count, opacity, tooltip) in units.items():
            assert count == sum(1 for p in kept if p["admin1_code"] == code), code
            assert (opacity > 0) == (count > 0) and f"{count} event" in tooltip
        assert sum(count for count, _, _ in units.values()) == sum(1 for p in kept if p["admin1_code"] in units) > 0
        # the same through the form: a country alone
        page.evaluate("conflictMap.filters.set({})")
        page.select_option(".cm-filters select:not([multiple])", "AM")
        assert page.evaluate("conflictMap.total()") == len(_expected(features, country="AM"))
        page.fill(".cm-filters input[type=number]", "0.99")
        assert page.evaluate("conflictMap.total()") == len(_expected(features, country="AM", confidence=0.99))
        # an admin-1 unit and an actor (matched in the actors as the popups write them)
        from maps.popups import event_facts

        region = next(f["properties"]["admin1"] for f in features if f["properties"]["admin1"])
        assert page.evaluate("(r) => conflictMap.filters.set({region: r})", region) == sum(
            1 for f in features if f["properties"]["admin1"] == region)
        actors = [event_facts(f["properties"]).get("a", "") for f in features]
        actor = max((a.split(", ")[0] for a in actors if a), key=lambda a: sum(a in other for other in actors))
        kept = sum(1 for a in actors if actor.lower() in a.lower())
        assert page.evaluate("(a) => conflictMap.filters.set({actor: a.toUpperCase()})", actor) == kept
        assert 0 < kept < len(features)
        assert _script_errors(log) == []
    finally:
        page.evaluate("conflictMap.filters.set({})")
    assert page.evaluate("conflictMap.total()") == len(features)
    assert page.evaluate("conflictMap.lines.drawn()") == lines


def test_event_list_sorts_and_a_row_opens_its_events_popup(default_session):
    page, log, features = default_session
    page.evaluate("conflictMap.filters.set({}); document.querySelector('.cm-filters details').open = true")
    assert page.locator(".cm-event-list tbody tr").count() == len(features)
    page.click(".cm-event-list th[data-sort=articles]")
    articles = [int(text) for text in page.locator(".cm-event-list tbody tr td:nth-child(5)").all_inner_texts()]
    assert articles == sorted(articles, reverse=True) and articles[0] > articles[-1]
    page.click(".cm-event-list th[data-sort=articles]")
    articles = [int(text) for text in page.locator(".cm-event-list tbody tr td:nth-child(5)").all_inner_texts()]
    assert articles == sorted(articles)
    target = next(f["properties"] for f in features if f["properties"]["place_name"] == "Khankendi")
    page.evaluate("() => { conflictMap.map.closePopup(); }")
    page.click(f".cm-event-list tr[data-event='{target['event_id']}']")
    popup = page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    assert "Khankendi" in popup.inner_text()
    assert f"event={target['event_id']}" in page.evaluate("location.hash")
    page.evaluate("() => { conflictMap.map.closePopup(); document.querySelector('.cm-filters details').open = false; }")
    assert _script_errors(log) == []


def test_url_hash_restores_view_filters_and_open_event(browser, default_built):
    page, log = _open(browser, default_built / "map.html")
    try:
        features = json.loads((default_built / "events.geojson").read_text(encoding="utf-8"))["features"]
        kept = _expected(features, types={"shelling"}, first="2020-10-04")
        page.evaluate("conflictMap.filters.set({types: 'shelling', from: '2020-10-04'})")
        page.evaluate("() => { conflictMap.map.setView([40.1, 46.9], 8, {animate: false}); }")
        target = kept[0]["event_id"]
        assert page.evaluate("(id) => conflictMap.filters.select(id)", target)
        page.wait_for_selector(".leaflet-popup-content", timeout=5000)
        page.wait_for_timeout(300)
        saved = page.evaluate("location.hash")
        assert "types=shelling" in saved and "from=2020-10-04" in saved and f"event={target}" in saved
        page.reload()
        page.wait_for_function("window.conflictMap && window.conflictMap.started")
        page.wait_for_selector(".leaflet-popup-content", timeout=5000)
        assert page.evaluate("conflictMap.total()") == len(kept)
        assert page.evaluate("conflictMap.filters.state.from") == "2020-10-04"
        assert page.evaluate("location.hash") .startswith("#map=")
        assert _script_errors(log) == []
    finally:
        page.close()


def test_markers_of_deadly_events_are_larger_with_the_toll(default_session):
    page, _, features = default_session
    badges = page.evaluate("""() => { var found = {}; Object.keys(conflictMap.layers).forEach(function (name) {
        conflictMap.entries(name).forEach(function (e) {
            var icon = e.marker.options.icon;
            if (icon && /cm-badge/.test(icon.options.html)) { found[e.marker.options.eventId] = icon.options.iconSize[0]; }
        }); }); return found; }""")
    deadly = {f["properties"]["event_id"]: f["properties"]["fatalities"] for f in features
              if f["properties"]["geo_precision"] == 1 and (f["properties"]["fatalities"] or 0) > 0}
    assert deadly and set(badges) == set(deadly)
    assert all(size > 22 for size in badges.values())


def test_chart_counts_the_dated_events_shown_per_day(default_session):
    page, log, features = default_session
    page.evaluate("conflictMap.filters.set({})")
    per_day = dict(page.evaluate("conflictMap.filters.chart()"))
    dated = [f["properties"]["date"] for f in features if f["properties"]["date"] and len(f["properties"]["date"]) == 10]
    assert per_day == {day: dated.count(day) for day in set(dated)}
    page.evaluate("conflictMap.filters.set({country: 'AM'})")
    armenia = [f["properties"]["date"] for f in features if f["properties"]["country_iso2"] == "AM"
               and f["properties"]["date"] and len(f["properties"]["date"]) == 10]
    assert sum(n for _, n in page.evaluate("conflictMap.filters.chart()")) == len(armenia)
    page.evaluate("conflictMap.filters.set({})")
    assert page.locator(".cm-chart rect").count() >= len(set(dated))
    assert _script_errors(log) == []


# --------------------------------------------------------------------------- layout and the date range

_MARKER_BOXES = """() => Array.from(document.querySelectorAll(
        '.leaflet-marker-pane .leaflet-marker-icon:not(.cm-label), .leaflet-overlay-pane path.leaflet-interactive'))
    .filter(function (el) { return !el.closest('.leaflet-control'); })
    .map(function (el) { var r = el.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, name: el.className.baseVal || el.className}; })
    .filter(function (b) { return b.right - b.left > 0 && b.right - b.left < 80; })"""


def _covered(markers: list[dict], controls: list[dict]) -> list[tuple[str, str]]:
    return [(m["name"], c["name"]) for m in markers for c in controls
            if m["left"] < c["right"] and c["left"] < m["right"] and m["top"] < c["bottom"] and c["top"] < m["bottom"]]


def test_no_marker_lies_under_a_control_in_the_first_view(browser, default_built):
    page, log = _open(browser, default_built / "map.html", {"width": 1280, "height": 800})
    try:
        markers = page.evaluate(_MARKER_BOXES)
        assert len(markers) >= 5
        assert _covered(markers, page.evaluate(_CONTROL_BOXES)) == []
        assert page.locator(".cm-timeslider").count() == 0  # the dates are in the filter panel
        assert _script_errors(log) == []
    finally:
        page.close()


def test_the_basemap_note_is_a_small_chip_that_opens_and_hides(browser, default_built):
    page, log = _open(browser, default_built / "map.html", {"width": 1280, "height": 800})
    try:
        note = page.locator(".cm-basemap-notice")
        box = note.bounding_box()
        assert box["width"] <= 260 and box["height"] <= 30, box
        assert "No tile server could be reached" in note.get_attribute("title")
        note.locator("summary").click()
        assert "No tile server could be reached" in note.inner_text()
        note.locator("summary").click()
        note.locator(".cm-close").click()
        assert page.locator(".cm-basemap-notice").count() == 0
        assert page.evaluate("conflictMap.basemap.fallback") is True  # the labels stay
    finally:
        page.close()


def _drag_handle(page, name: str, value: int) -> None:
    page.evaluate("""([name, value]) => { var input = document.querySelector('.cm-range-' + name);
        input.value = value; input.dispatchEvent(new Event('input', {bubbles: true})); }""", [name, value])


def test_the_date_range_has_two_handles_on_a_time_scale(default_session):
    page, log, features = default_session
    page.evaluate("conflictMap.filters.set({})")
    page.evaluate("document.querySelector('.cm-filters details').open = true")
    try:
        handles = page.locator(".cm-filters .cm-range-track input[type=range]")
        assert handles.count() == 2
        dates = sorted({f["properties"]["date"][:10] for f in features
                        if f["properties"]["date"] and len(f["properties"]["date"]) == 10})
        import datetime
        span = (datetime.date.fromisoformat(dates[-1]) - datetime.date.fromisoformat(dates[0])).days
        assert page.evaluate("conflictMap.timeSlider.days") == span  # one step a day: a real time scale
        assert page.locator(".cm-range-label").inner_text() == "all dates"
        # the "from" handle one week in, the "to" handle one week before the end
        low, high = min(7, span // 3), max(span - 7, 2 * span // 3)
        first = datetime.date.fromisoformat(dates[0])
        day_from = (first + datetime.timedelta(days=low)).isoformat()
        day_to = (first + datetime.timedelta(days=high)).isoformat()
        _drag_handle(page, "from", low)
        _drag_handle(page, "to", high)
        kept = _expected(features, first=day_from, last=day_to)
        assert page.evaluate("conflictMap.filters.state.from") == day_from
        assert page.evaluate("conflictMap.filters.state.to") == day_to
        assert page.evaluate("conflictMap.total()") == len(kept)
        assert page.locator(".cm-range-label").inner_text() == f"{day_from} \u2013 {day_to}"
        assert f"from={day_from}" in page.evaluate("location.hash") and f"to={day_to}" in page.evaluate("location.hash")
        # the handles never cross: "from" pushed past "to" takes it along
        _drag_handle(page, "from", high + 1)
        assert page.evaluate("+document.querySelector('.cm-range-to').value") == high + 1
        # the state set elsewhere (a link, a chart bar) moves the handles
        page.evaluate("(d) => conflictMap.filters.set({from: d, to: d})", day_from)
        assert page.evaluate("[+document.querySelector('.cm-range-from').value, "
                             "+document.querySelector('.cm-range-to').value]") == [low, low]
        page.click(".cm-filters .cm-reset")
        assert page.evaluate("[+document.querySelector('.cm-range-from').value, "
                             "+document.querySelector('.cm-range-to').value]") == [0, span]
        assert page.evaluate("conflictMap.total()") == len(features)
        assert _script_errors(log) == []
    finally:
        page.evaluate("conflictMap.filters.set({})")
        page.evaluate("document.querySelector('.cm-filters details').open = false")


def _count_toggles(page) -> None:
    """Count the filter panel's ``toggle`` events from now on, by the state each finds (``cmToggles.open``,
    ``cmToggles.closed``). The browser fires the event as a task after the panel opens or closes, later than the
    test's next step on a busy machine; the page's own handler (which scrolls the panel to its top) was added
    first, so it has run once the count is seen."""
    page.evaluate("""() => {
        const details = document.querySelector('.cm-filters details');
        window.cmToggles = {open: 0, closed: 0};
        details.addEventListener('toggle', () => { window.cmToggles[details.open ? 'open' : 'closed'] += 1; });
    }""")


def test_the_filter_panel_opens_at_its_top(default_session):
    page, log, _ = default_session
    details = ".cm-filters details"
    _count_toggles(page)
    if page.evaluate(f"document.querySelector('{details}').open"):  # left open by another test
        page.evaluate(f"document.querySelector('{details}').open = false")
        page.wait_for_function("window.cmToggles.closed >= 1")
    page.click(f"{details} > summary")
    page.wait_for_function("window.cmToggles.open >= 1")
    assert page.evaluate("document.querySelector('.cm-filters').scrollTop") == 0
    page.evaluate("document.querySelector('.cm-filters').scrollTop = 10000")
    assert page.evaluate("document.querySelector('.cm-filters').scrollTop") > 0
    page.click(f"{details} > summary", force=True)  # close (the summary is scrolled out of sight)
    page.evaluate("document.querySelector('.cm-filters').scrollTop = 10000")  # as a browser may keep it
    page.evaluate("document.querySelector('.cm-filters summary').click()")
    page.wait_for_function("window.cmToggles.open >= 2")
    assert page.evaluate("document.querySelector('.cm-filters details').open") is True
    assert page.evaluate("document.querySelector('.cm-filters').scrollTop") == 0
    summary = page.locator(".cm-filters summary").bounding_box()
    panel = page.locator(".cm-filters").bounding_box()
    assert summary["y"] >= panel["y"] - 1
    page.evaluate("document.querySelector('.cm-filters details').open = false")


_LABEL_BOXES = """() => Array.from(document.querySelectorAll('.cm-label span')).filter(function (el) {
        return getComputedStyle(el).visibility !== 'hidden'; }).map(function (el) {
    var r = el.getBoundingClientRect(); return {text: el.textContent, left: r.left, top: r.top, right: r.right,
                                                bottom: r.bottom}; })
    .filter(function (b) { return b.right > 0 && b.left < innerWidth && b.bottom > 0 && b.top < innerHeight; })"""


@pytest.mark.parametrize("width,height,zooms", [(1280, 800, (4, 5)), (390, 844, (4, 5, 6))])
def test_labels_do_not_crowd_the_fallback_basemap(browser, default_built, width, height, zooms):
    page, log = _open(browser, default_built / "map.html", {"width": width, "height": height})
    try:
        counts = []
        for zoom in zooms:
            page.evaluate("(z) => { conflictMap.map.setView([45, 25], z, {animate: false}); }", zoom)
            page.wait_for_timeout(200)
            labels = page.evaluate(_LABEL_BOXES)
            clashes = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:]
                       if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"]
                       and b["top"] < a["bottom"]]
            assert clashes == [], (zoom, clashes)
            counts.append(len(labels))
        assert all(count > 0 for count in counts), counts
        hidden = page.evaluate("""() => Array.from(document.querySelectorAll('.cm-label span'))
            .filter(function (el) { return getComputedStyle(el).visibility === 'hidden'; }).length""")
        assert hidden > 0  # some were thinned out at the last zoom
        assert _script_errors(log) == []
    finally:
        page.close()
