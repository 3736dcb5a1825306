"""Merging the reports of one event (geo.dedup): sources, actors, casualty figures."""

from __future__ import annotations

from gazetteer.place import Place
from geo.dedup import deduplicate
from geo.model import Event, Source

GANJA = Place("Ganja", 40.6828, 46.3606, "city", "AZ", geonameid=586523)


def _report(article_id: str, *, fatalities: int | None = None, injured: int | None = None,
            mentions: tuple[str, ...] = (), actors: tuple[str, ...] = ("AM",), event_figures: bool = True) -> Event:
    """One article's report of the shelling of Ganja on 2020-10-04, with the figures it gives."""
    sentence = f"Shelling of Ganja killed {fatalities} ({article_id})."
    source = Source(article_id=article_id, sentence=sentence, start=12, end=17, sentence_start=0,
                    fatalities=fatalities, injured=injured)
    return Event(event_type="shelling", place=GANJA, place_mention="Ganja", date="2020-10-04", date_precision="day",
                 actors=actors, confidence=0.6, sources=[source], fatalities=fatalities if event_figures else None,
                 injured=injured if event_figures else None, actor_mentions=mentions)


def test_merged_event_takes_the_highest_figure_and_sources_keep_their_own():
    first = _report("a1", fatalities=3, mentions=("Armenian forces",))
    second = _report("a2", fatalities=5, injured=7, mentions=("the Armenian army", "Armenian forces"))
    third = _report("a3", fatalities=4, injured=2, mentions=("separatists",), actors=("AZ",))
    for order in ([first, second, third], [third, second, first]):
        [merged] = deduplicate(order)
        assert (merged.fatalities, merged.injured) == (5, 7)
        assert [(s.article_id, s.fatalities, s.injured) for s in merged.sources] == [
            ("a1", 3, None), ("a2", 5, 7), ("a3", 4, 2)]
        assert merged.actors == ("AM", "AZ")
    [merged] = deduplicate([first, second, third])
    assert merged.actor_mentions == ("Armenian forces", "the Armenian army", "separatists")  # order of appearance


def test_figures_stay_none_when_no_report_gives_one():
    [merged] = deduplicate([_report("a1"), _report("a2")])
    assert (merged.fatalities, merged.injured, merged.actor_mentions) == (None, None, ())


def test_a_zero_counts_as_a_figure():
    [merged] = deduplicate([_report("a1", fatalities=0, injured=0), _report("a2")])
    assert (merged.fatalities, merged.injured) == (0, 0)


def test_figures_of_sources_and_of_events_both_count():
    """An event's own figure survives a merge; a source's figure reaches the event it is merged into."""
    from_sources = _report("a1", fatalities=6, injured=1, event_figures=False)
    from_event = _report("a2", fatalities=2, injured=9)
    [merged] = deduplicate([from_sources, from_event])
    assert (merged.fatalities, merged.injured) == (6, 9)


def test_deduplicate_leaves_its_input_alone():
    first, second = _report("a1", fatalities=3), _report("a2", fatalities=5)
    deduplicate([first, second])
    assert (first.fatalities, len(first.sources)) == (3, 1)
