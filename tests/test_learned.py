"""The shipped models load, match their digests and their feature lists; a tiny fit runs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from geo.event_typing import TYPE_FEATURES
from geo.learned import (MODEL_DIR, LinearModel, fit_binary, fit_choice, fit_multinomial, load_model, plateau_threshold,
                         weights_digest)
from geo.placement import FEATURES
from geo.event_types import EVENT_TYPES
from geo.ranking import RANK_FEATURES
from geo.span_filter import SPAN_FEATURES


def test_placement_model_loads_and_matches_the_features():
    model = load_model("placement")
    assert model.features == FEATURES and model.binary
    assert 0.0 < model.threshold < 1.0
    assert model.meta["script"] == "scripts/fit_models.py" and model.meta["data_sha256"]


def test_type_model_loads_and_matches_the_types():
    model = load_model("event_type")
    assert model.features == TYPE_FEATURES and model.classes == tuple(EVENT_TYPES)


def test_span_filter_loads_and_matches_the_features():
    model = load_model("toponym_span")
    assert model.features == SPAN_FEATURES and model.binary and 0.0 < model.threshold < 1.0
    assert model.meta["script"] == "scripts/fit_toponym_models.py" and model.meta["data_sha256"]
    assert set(model.meta["scores"]["held_out"]) >= {"lgl", "tr_news", "geowebnews", "geovirus", "dev"}


def test_ranker_loads_and_matches_the_features():
    model = load_model("toponym_rank")
    assert model.features == RANK_FEATURES and model.binary
    assert set(model.meta["scores"]["ranking"]) >= {"lgl", "tr_news", "geowebnews", "geovirus", "dev"}


@pytest.mark.parametrize("name", ["placement", "event_type", "event_keep", "toponym_span", "toponym_rank"])
def test_shipped_weights_match_their_digest(name):
    document = json.loads((MODEL_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert weights_digest(document["features"], document["classes"], document["weights"]) == document["weights_sha256"]


def test_edited_weights_are_refused(tmp_path):
    document = json.loads((MODEL_DIR / "placement.json").read_text(encoding="utf-8"))
    document["weights"][0][0] += 1.0
    (tmp_path / "placement.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="weights_sha256"):
        load_model.__wrapped__("placement", tmp_path)


def test_choice_fit_learns_which_row_of_each_group_is_right():
    """Groups of three rows: the right one has the largest second column, whatever the groups' levels; a
    per-row yes/no fit would be misled by the level, the conditional logit is not."""
    rng = np.random.default_rng(1)
    groups, rows, labels = 300, [], []
    for _ in range(groups):
        level = rng.normal(scale=5.0)
        signal = rng.normal(size=3)
        right = int(signal.argmax())
        for k in range(3):
            rows.append([1.0, signal[k], level])
            labels.append(float(k == right))
    x, y = np.asarray(rows), np.asarray(labels)
    w = fit_choice(x, np.arange(0, 3 * groups, 3), y, l2=0.1)
    assert w[1] > 1.0 and abs(w[2]) < 0.2 * w[1] and abs(w[0]) < 1e-6
    chosen = (x @ w).reshape(groups, 3).argmax(axis=1)
    assert (chosen == y.reshape(groups, 3).argmax(axis=1)).mean() == 1.0


def test_tiny_binary_fit_separates_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(200), rng.normal(size=200)])
    y = (x[:, 1] > 0).astype(float)
    weights = fit_binary(x, y, l2=0.1)
    model = LinearModel("tiny", ("bias", "x"), ("yes",), weights[None, :])
    assert ((model.scores(x) >= 0.5) == (y == 1)).mean() > 0.95
    model.save(tmp_path / "tiny.json")
    again = load_model.__wrapped__("tiny", tmp_path)
    assert np.allclose(again.scores(x), model.scores(x), atol=1e-5)


def test_tiny_multinomial_fit_learns_three_classes():
    x = np.array([[1, 1, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1]] * 20, dtype=float)
    y = np.array([0, 1, 2] * 20)
    weights = fit_multinomial(x, y, 3, l2=0.01, iterations=500)
    model = LinearModel("tiny", ("bias", "a", "b", "c"), ("a", "b", "c"), weights)
    assert (model.scores(x).argmax(axis=1) == y).all()


def _dry_fit(script: str, limit: int, *needs: str) -> dict:
    """The JSON report of ``scripts/<script> --dry-run`` on ``limit`` documents of each corpus and 2 folds;
    skips when a corpus folder it ``needs`` is absent."""
    import subprocess
    import sys
    from pathlib import Path

    from conftest import CORPUS

    if not all((CORPUS / folder).is_dir() for folder in needs):
        pytest.skip("../shared/corpus is absent")
    path = Path(__file__).resolve().parents[1] / "scripts" / script
    done = subprocess.run([sys.executable, str(path), "--corpus", str(CORPUS), "--limit", str(limit), "--folds", "2",
                           "--dry-run"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_the_fit_script_runs_on_a_slice_of_the_corpus():
    """scripts/fit_models.py end to end on a few examples of each corpus (nothing written)."""
    report = _dry_fit("fit_models.py", 4, "dev", "event_location", "case2021_task2")
    assert set(report) >= {"kfold_by_article", "event_location_gold_subset_given_the_verb"}


def test_the_span_filter_fit_script_runs_on_a_slice_of_the_corpora():
    """scripts/fit_toponym_models.py end to end on a few documents of each corpus (nothing written)."""
    report = _dry_fit("fit_toponym_models.py", 3, "dev", "benchmarks")
    assert set(report["held_out"]) >= {"lgl", "dev"} and 0.0 <= report["held_out"]["lgl"]["f1"] <= 1.0
    assert 0.0 <= report["ranking"]["lgl"]["held_out"]["acc161"] <= 1.0


def test_a_threshold_is_the_middle_of_its_plateau():
    """Of a flat maximum the middle is chosen, and a lone spike loses to a broad rise."""
    grid = [0.3, 0.4, 0.5, 0.6, 0.7]
    assert plateau_threshold(grid, [0.5, 0.8, 0.8, 0.8, 0.5], window=1) == 0.5
    assert plateau_threshold([0.2, *grid, 0.8], [0.5, 0.81, 0.5, 0.79, 0.8, 0.79, 0.5], window=1) == 0.6
    assert plateau_threshold([0.1, 0.2, *grid, 0.8, 0.9], [0.1, 0.5, 0.9, 0.5, 0.7, 0.75, 0.7, 0.5, 0.1]) == 0.5
    assert plateau_threshold(grid, [0.5, 0.9, 0.5, 0.6, 0.5], window=0) == 0.4
