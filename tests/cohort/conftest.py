"""Small synthetic cohorts shared by the cohort tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridewise.cohort.pipeline import run_cohort
from stridewise.cohort.synth import synthesise


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cohort") / "dataset"
    synthesise(root, 24, 0.6, seed=5, partition_size=8)
    return root


@pytest.fixture(scope="session")
def small_results(small_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cohort") / "results"
    run_cohort(small_dataset, out, workers=0)
    return out

