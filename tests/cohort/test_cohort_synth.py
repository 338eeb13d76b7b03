"""The synthetic cohort: seeded, in the dataset's schema, with the injected stops visible."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stridewise.cohort import dataset as ds
from stridewise.cohort.synth import SynthSettings, generate_partition, spike_band_index, synthesise


def test_same_seed_same_cohort_other_seed_other_cohort() -> None:
    settings = SynthSettings()
    a = generate_partition(6, 120, 3, 0, 0, settings)
    b = generate_partition(6, 120, 3, 0, 0, settings)
    c = generate_partition(6, 120, 4, 0, 0, settings)
    for table in ("participants", "manual", "checkins"):
        pd.testing.assert_frame_equal(a[table], b[table])
    assert not a["manual"]["distance_m"].equals(c["manual"]["distance_m"])


def test_dataset_tables_follow_the_schema(small_dataset: Path) -> None:
    info = ds.read_info(small_dataset)
    assert info.partitions == 3
    for table in ds.TABLES:
        frame = ds.read_table(small_dataset, table, 0)
        assert list(frame.columns) == ds.SCHEMAS[table].names
    people = pd.concat(ds.read_table(small_dataset, "participants", p) for p in range(3))
    assert people["pid"].is_unique and len(people) == 24
    assert set(people["birth_year_band"] % ds.BIRTH_YEAR_BAND_Y) == {0}


def test_every_injected_stop_is_a_severe_pain_report_then_a_clearance(small_dataset: Path
                                                                     ) -> None:
    checkins = pd.concat(ds.read_table(small_dataset, "checkins", p) for p in range(3))
    severe = checkins[checkins["pain_score"] >= 8]
    assert len(severe) > 0
    assert (severe["pain_timing"] == "during").all()
    assert checkins["doctor_cleared"].sum() >= len(severe) - len(checkins["pid"].unique())


def test_spike_bands_follow_science_spike() -> None:
    ratio = np.array([np.nan, 0.5, 1.1, 1.1000001, 1.3, 1.31, 2.0, 2.5])
    assert spike_band_index(ratio).tolist() == [-1, 0, 0, 1, 1, 2, 2, 3]


def test_bad_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="athletes"):
        synthesise(tmp_path / "x", 0, 1, 1)
    with pytest.raises(ValueError, match="years"):
        synthesise(tmp_path / "x", 5, 0, 1)
