"""The engines (geo.engines): a local process pool and Dask give the events of one process.

The Dask tests share one LocalCluster of 2 worker processes; deselect them with ``-m "not dask"``.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer.place import Place
from geo.engines import PipelineSpec, plan_partitions, run_local
from geo.engines import store as store_module
from geo.engines.partition import read_partition
from geo.engines.store import events_from_rows, read_rows, read_stored, write_partition
from geo.model import Event, Source
from geo.read import find_inputs, read_articles

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dispatches"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
POISONED = "en_02_ganja"


@pytest.fixture(scope="module")
def spec(gazetteer) -> PipelineSpec:
    """The user's settings of the test session (its private cache, where ``gazetteer`` built the index)."""
    return PipelineSpec.load()


@pytest.fixture(scope="module")
def pipeline(spec):
    return spec.build()


@pytest.fixture(scope="module")
def examples() -> list[Path]:
    return find_inputs([EXAMPLES])


@pytest.fixture()
def corpus(tmp_path) -> list[Path]:
    """The examples plus a JSONL file with bad lines, big enough to be cut into line ranges."""
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, folder)
    records = (EXAMPLES / "more.jsonl").read_text(encoding="utf-8").splitlines()
    lines = [records[0], "", "{not json", json.dumps({"id": "no-text"}),
             *(json.dumps({**json.loads(line), "id": f"copy-{n}"}) for n, line in enumerate(records)), "[1, 2]"]
    (folder / "zz_batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return find_inputs([folder])


@pytest.fixture()
def store_libraries() -> None:
    """The store writes GeoParquet with pyarrow, which comes with the [dask] extra: skip without it."""
    pytest.importorskip("pyarrow", reason="the event store needs the [dask] extra (pyarrow)")


def _identity(events) -> list[tuple]:
    """What must agree between engines: ids, places and sources, in output order."""
    return [(e.event_id, e.place, [s.as_json() for s in e.sources]) for e in events]


def _warnings_of(paths) -> list[str]:
    found: list[str] = []
    list(read_articles(paths, on_warning=lambda warning: found.append(str(warning))))
    return found


# --------------------------------------------------------------------------- partitions and store


def test_partitions_read_the_articles_and_warnings_of_a_whole_read(corpus):
    for size in (1, 600, 1 << 20):
        partitions = plan_partitions(corpus, partition_bytes=size)
        warnings: list[str] = []
        articles = [a for p in partitions for a in read_partition(p, lambda w: warnings.append(str(w)))]
        # zz_batch.jsonl uses an id of more.jsonl again: renamed as a whole read renames it, with its warning
        assert articles == list(read_articles(corpus))
        assert warnings == _warnings_of(corpus) and any("is also the id of" in w for w in warnings)
    assert any(part.is_range for p in plan_partitions(corpus, partition_bytes=600) for part in p.parts)


def test_partitions_rename_a_file_name_used_twice_as_a_whole_read_does(tmp_path):
    for day in ("day1", "day2", "day3"):
        (tmp_path / day).mkdir()
        shutil.copy(EXAMPLES / "en_02_ganja.txt", tmp_path / day / "report.txt")
    paths = find_inputs([tmp_path])
    whole: list[str] = []
    expected = [a.article_id for a in read_articles(paths, on_warning=lambda w: whole.append(str(w)))]
    for size in (1, 1 << 20):
        warnings: list[str] = []
        ids = [a.article_id for p in plan_partitions(paths, partition_bytes=size)
               for a in read_partition(p, lambda w: warnings.append(str(w)))]
        assert ids == expected and len(set(ids)) == 3 and warnings == whole and len(whole) == 2


def test_partitions_name_a_repeated_jsonl_id_by_the_file_as_given(tmp_path, monkeypatch):
    """A JSONL file read whole by one worker is read at its absolute location; the id it gives a record whose
    id is taken names the file as the user gave it, as a whole read does."""
    monkeypatch.chdir(tmp_path)
    Path("c.jsonl").write_text("".join(json.dumps({"id": "x", "text": t, "lang": "en"}) + "\n"
                                       for t in ("Shelling hit Ganja.", "Rockets hit Tartar.")), encoding="utf-8")
    paths = find_inputs(["c.jsonl"])
    whole: list[str] = []
    expected = [a.article_id for a in read_articles(paths, on_warning=lambda w: whole.append(str(w)))]
    assert expected == ["x", "x@c.jsonl"]
    for size in (1, 1 << 20):
        warnings: list[str] = []
        ids = [a.article_id for p in plan_partitions(paths, partition_bytes=size)
               for a in read_partition(p, lambda w: warnings.append(str(w)))]
        assert ids == expected and warnings == whole


def test_jsonl_ranges_cover_the_file_and_survive_appending(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"id": str(n), "text": "x" * (n % 7 * 40)}) for n in range(60)]
    path.write_text("\n".join(lines) + "\n")
    parts = [p.parts[0] for p in plan_partitions([path], partition_bytes=300)]
    assert parts[0].start == 0 and parts[-1].end == path.stat().st_size
    assert all(a.end == b.start and a.first_line + a.lines == b.first_line for a, b in zip(parts, parts[1:]))
    data = path.read_bytes()
    assert all(data[p.end - 1:p.end] == b"\n" for p in parts)
    with path.open("a") as handle:
        handle.write(json.dumps({"id": "new", "text": "y" * 500}) + "\n")
    grown = [p.parts[0] for p in plan_partitions([path], partition_bytes=300)]
    assert grown[:len(parts) - 1] == parts[:-1]


def test_adding_a_file_changes_only_the_group_it_joins(tmp_path):
    for n in range(40):
        (tmp_path / f"{n:03d}.txt").write_text("word " * (50 + n))
    before = {p.parts for p in plan_partitions(find_inputs([tmp_path]), partition_bytes=2000)}
    (tmp_path / "017b.txt").write_text("word " * 60)
    after = {p.parts for p in plan_partitions(find_inputs([tmp_path]), partition_bytes=2000)}
    assert len(before - after) <= 1 and len(after - before) == 1  # one group gains it (or it starts one)


def test_stored_events_come_back_equal(examples, pipeline, tmp_path, store_libraries):
    events = [e for a in read_articles(examples) for e in pipeline.process(a).events]
    partition = plan_partitions(examples)[0]
    path = tmp_path / "part-x.parquet"
    write_partition(path, partition, events, 11, [], Counter({"Qervalash": 2, "Zorbalinsk": 1}))
    assert events_from_rows(read_rows(str(path))) == events
    stored = read_stored(path, partition)
    assert (stored.articles, stored.events, stored.computed) == (11, len(events), False)
    assert stored.unresolved == Counter({"Qervalash": 2, "Zorbalinsk": 1})  # for the build's summary
    import geopandas

    assert len(geopandas.read_parquet(path)) == len(events)  # a GeoParquet file any reader opens


def _events_with_casualties() -> list[Event]:
    """Events built by hand (not by the detector) with and without casualty figures and actor mentions."""
    ganja = Place("Ganja", 40.6828, 46.3606, "city", "AZ", admin1_code="AZ-GA", geonameid=586523)
    area = Place("Nagorno-Karabakh", 39.82, 46.75, "area", "AZ", ref="nagorno-karabakh")
    sentence = "Shelling of Ganja killed 3 and wounded 12, officials said of Armenian forces."
    return [
        Event("shelling", ganja, "Ganja", "2020-10-04", "day", ("AM",), 0.8,
              [Source("a1", sentence, 12, 17, 0, title="T", url="https://example.org/1", fatalities=3, injured=12),
               Source("a2", sentence, 12, 17, 0, fatalities=2)],
              fatalities=3, injured=12, actor_mentions=("Armenian forces", "the Armenian army")),
        Event("attack", area, "Karabakh", None, None, (), 0.5, [Source("a3", "Karabakh.", 0, 8, 0, injured=0)],
              injured=0),
        Event("visit", ganja, "Ganja", "2020-10-05", "day", ("FR",), 0.7, [Source("a4", "Ganja.", 0, 5, 0)]),
    ]


def test_store_keeps_casualties_and_actor_mentions(examples, tmp_path, store_libraries):
    events = _events_with_casualties()
    partition = plan_partitions(examples)[0]
    path = tmp_path / "part-y.parquet"
    write_partition(path, partition, events, 3, [], Counter())
    rows = read_rows(str(path))
    assert str(rows["fatalities"].dtype) == "Int64" and rows["fatalities"].isna().tolist() == [False, True, True]
    back = events_from_rows(rows)
    assert back == events
    assert [(e.fatalities, e.injured, e.actor_mentions) for e in back] == [
        (3, 12, ("Armenian forces", "the Armenian army")), (None, 0, ()), (None, None, ())]
    assert [(s.fatalities, s.injured) for s in back[0].sources] == [(3, 12), (2, None)]


def test_a_store_file_of_another_format_is_not_read(examples, tmp_path, monkeypatch, store_libraries):
    partition = plan_partitions(examples)[0]
    path = tmp_path / "part-z.parquet"
    monkeypatch.setattr(store_module, "STORE_FORMAT", store_module.STORE_FORMAT - 1)
    write_partition(path, partition, _events_with_casualties(), 3, [], Counter())
    monkeypatch.undo()
    with pytest.raises(ValueError, match="store format"):
        read_stored(path, partition)  # the Dask engine computes the partition again


# --------------------------------------------------------------------------- local engine


def test_local_two_workers_equal_one(examples, pipeline, spec):
    one = run_local(examples, workers=1, pipeline=pipeline)
    two = run_local(examples, workers=2, spec=spec, partition_bytes=1)
    assert _identity(two.events) == _identity(one.events)
    assert two.events == one.events
    assert [r.article_id for r in two.articles] == [r.article_id for r in one.articles]


@pytest.fixture()
def repeated_ids(tmp_path) -> list[Path]:
    """Two JSONL files using the same ids for other articles: again in another file, and in another line
    range of the same file (``partition_bytes=1`` gives each line its own partition)."""
    texts = [(EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")
             for name in ("en_02_ganja", "en_01_stepanakert", "en_03_jabrayil")]
    (tmp_path / "a.jsonl").write_text(
        "\n".join(json.dumps({"id": "r1", "text": t, "lang": "en"}) for t in texts[:2]) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "r1", "text": texts[2], "lang": "en"}) + "\n",
                                      encoding="utf-8")
    return find_inputs([tmp_path])


def test_local_workers_make_a_repeated_jsonl_id_unique_as_one_process(repeated_ids, pipeline, spec):
    warned: list[str] = []
    one = run_local(repeated_ids, workers=1, pipeline=pipeline, on_warning=lambda w: warned.append(str(w)))
    two = run_local(repeated_ids, workers=2, spec=spec, partition_bytes=1, on_warning=lambda w: warned.append(str(w)))
    assert [r.article_id for r in one.articles][1:] == [f"r1@{Path(p).as_posix()}" for p in repeated_ids]
    assert [r.article_id for r in two.articles] == [r.article_id for r in one.articles]
    assert two.events == one.events and len(warned) == 4 and warned[:2] == warned[2:]


# --------------------------------------------------------------------------- dask engine


@pytest.fixture(scope="module")
def client(gazetteer):
    """A client of a LocalCluster of 2 worker processes, started after the index is built."""
    distributed = pytest.importorskip("distributed")
    from geo.engines.dask import local_cluster

    with local_cluster(2) as cluster, distributed.Client(cluster) as client:
        yield client


def _dask(paths, client, store, spec, **options):
    from geo.engines import run_dask

    return run_dask(paths, client=client, store=store, spec=spec, partition_bytes=1, **options)


@pytest.mark.dask
def test_dask_equals_local_on_the_examples(examples, pipeline, spec, client, tmp_path):
    from geo.engines import run_dask

    local = run_local(examples, pipeline=pipeline)
    run = run_dask(examples, scheduler=client.scheduler.address, store=tmp_path / "store", spec=spec,
                   partition_bytes=1)
    assert _identity(run.events) == _identity(local.events)
    assert run.events == local.events
    assert run.articles == len(local.articles) and run.computed == len(plan_partitions(examples, partition_bytes=1))
    pipeline.export(local.events, tmp_path / "local")
    run.export(tmp_path / "dask")
    for name in ("events.geojson", "events.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


@pytest.mark.dask
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus is absent")
def test_dask_equals_local_on_the_seeds(pipeline, spec, client, tmp_path):
    seeds = find_inputs([SEEDS])
    local = run_local(seeds, pipeline=pipeline)
    run = _dask(seeds, client, tmp_path / "store", spec)
    assert _identity(run.events) == _identity(local.events)
    assert run.events == local.events


@pytest.mark.dask
def test_dask_reports_the_same_warnings_in_order(corpus, spec, client, tmp_path):
    warnings: list[str] = []
    _dask(corpus, client, tmp_path / "store", spec, on_warning=lambda w: warnings.append(str(w)))
    assert warnings == _warnings_of(corpus)  # a JSONL id used again included


@pytest.mark.dask
def test_dask_makes_a_repeated_jsonl_id_unique_as_one_process(repeated_ids, pipeline, spec, client, tmp_path):
    local = run_local(repeated_ids, pipeline=pipeline)
    run = _dask(repeated_ids, client, tmp_path / "store", spec)
    assert _identity(run.events) == _identity(local.events)
    assert {s.article_id for e in run.events for s in e.sources} == {r.article_id for r in local.articles}


@pytest.mark.dask
def test_dask_rerun_resumes_and_a_new_file_adds_one_partition(examples, spec, client, tmp_path):
    store = tmp_path / "store"
    first = _dask(examples, client, store, spec)
    stamps = {path.name: path.stat().st_mtime_ns for path in store.glob("part-*.parquet")}
    assert len(stamps) == first.computed == len(first.stored)
    again = _dask(examples, client, store, spec)
    assert (again.computed, again.reused) == (0, len(stamps))
    assert {path.name: path.stat().st_mtime_ns for path in store.glob("part-*.parquet")} == stamps
    assert again.events == first.events and again.articles == first.articles
    extra = tmp_path / "en_99_new.txt"
    extra.write_text((EXAMPLES / "en_02_ganja.txt").read_text(encoding="utf-8"), encoding="utf-8")
    daily = _dask([*examples, extra], client, store, spec)
    assert (daily.computed, daily.reused) == (1, len(stamps))


@dataclass(frozen=True)
class PoisonedSpec(PipelineSpec):
    """A pipeline that raises on one article, every time."""

    poison: str = ""

    def build(self):
        pipeline = super().build()
        process = pipeline.process

        def poisoned(article):
            if article.article_id == self.poison:
                raise RuntimeError(f"poisoned article {article.article_id}")
            return process(article)

        pipeline.process = poisoned
        return pipeline


@pytest.mark.dask
def test_a_failing_partition_is_reported_and_the_others_kept(examples, pipeline, spec, client, tmp_path):
    poisoned = PoisonedSpec(spec.settings, spec.overrides, spec.lexicon_files, poison=POISONED)
    store = tmp_path / "store"
    warnings: list[str] = []
    run = _dask(examples, client, store, poisoned, retries=1, on_warning=lambda w: warnings.append(str(w)))
    assert [[part.path for part in f.partition.parts] for f in run.failed] == [[str(EXAMPLES / f"{POISONED}.txt")]]
    assert warnings == [f"{EXAMPLES / POISONED}.txt: not processed: partition {run.failed[0].partition.number} "
                        f"failed after 2 attempts (RuntimeError: poisoned article {POISONED})"]
    healthy = [path for path in examples if path.stem != POISONED]
    assert run.events == run_local(healthy, pipeline=pipeline).events
    kept = len(plan_partitions(examples, partition_bytes=1)) - 1
    assert len(list(store.glob("part-*.parquet"))) == kept
    fixed = _dask(examples, client, store, spec)  # finished partitions were kept: only the failed one runs
    assert (fixed.computed, fixed.reused, fixed.failed) == (1, kept, [])
    assert fixed.events == run_local(examples, pipeline=pipeline).events


# --------------------------------------------------------------------------- command line


@pytest.mark.dask
def test_extract_command_engines_write_the_same_files(client, tmp_path):
    from maps.cli.main import cli

    runner = CliRunner()
    outputs = {}
    for name, options in {"plain": [], "pool": ["--workers", "2"],
                          "dask": ["--engine", "dask", "--scheduler", client.scheduler.address]}.items():
        result = runner.invoke(cli, ["extract", str(EXAMPLES), "--out", str(tmp_path / name), *options])
        assert result.exit_code == 0, result.output
        outputs[name] = (tmp_path / name / "events.geojson").read_bytes()
        assert "conflict-map extract: 11 articles -> " in result.output
    assert outputs["pool"] == outputs["plain"] == outputs["dask"]
    assert any((tmp_path / "dask" / "store").glob("part-*.parquet"))


@pytest.mark.dask
def test_dask_recomputes_a_damaged_store_part(examples, spec, client, tmp_path):
    store = tmp_path / "store"
    first = _dask(examples, client, store, spec)
    parts = sorted(store.glob("part-*.parquet"), key=lambda path: path.stat().st_size)
    damaged = parts[-1]
    data = bytearray(damaged.read_bytes())
    footer = len(data) - 8 - int.from_bytes(data[-8:-4], "little")  # magic, pages, footer, length, magic
    data[4:footer] = b"\xa5" * (footer - 4)  # every data page garbled; footer and manifest intact
    damaged.write_bytes(bytes(data))
    again = _dask(examples, client, store, spec)  # was "Corrupt snappy compressed data" in every later run
    assert again.computed == 1 and again.events == first.events
