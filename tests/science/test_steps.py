"""Cadence-graded minutes against Tudor-Locke 2018's thresholds (100 and 130 steps/min)."""

from __future__ import annotations

import numpy as np
import pytest

from stridewise.science.steps import cadence_minutes, overlaps_any


def test_thresholds_of_tudor_locke_2018() -> None:
    # One-minute samples at 99, 100, 129, 130 and 160 steps/min.
    steps = np.array([99.0, 100.0, 129.0, 130.0, 160.0])
    start = np.arange(5) * 60.0
    moderate, vigorous = cadence_minutes(start, np.full(5, 60.0), steps)
    assert moderate.tolist() == [0.0, 1.0, 1.0, 0.0, 0.0]
    assert vigorous.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]


def test_half_minute_samples_are_graded_by_their_rate() -> None:
    # 55 steps in 30 s = 110 steps/min: half a moderate minute.
    moderate, _ = cadence_minutes(np.array([0.0]), np.array([30.0]), np.array([55.0]))
    assert moderate.tolist() == [0.5]


def test_samples_longer_than_a_minute_are_not_graded() -> None:
    # 10 minutes at a mean 120 steps/min could be 6 brisk minutes and 4 standing: not graded.
    moderate, vigorous = cadence_minutes(np.array([0.0]), np.array([600.0]),
                                         np.array([1200.0]))
    assert moderate.tolist() == [0.0] and vigorous.tolist() == [0.0]


def test_minutes_inside_a_recorded_activity_are_not_counted_twice() -> None:
    start = np.array([0.0, 60.0, 120.0, 180.0])
    moderate, _ = cadence_minutes(start, np.full(4, 60.0), np.full(4, 110.0),
                                  np.array([50.0]), np.array([150.0]))
    # The activity (50-150 s) touches the minutes starting at 0, 60 and 120 s.
    assert moderate.tolist() == [0.0, 0.0, 0.0, 1.0]


@pytest.mark.parametrize(("s", "e", "hit"), [(0, 10, False), (10, 20, True), (35, 40, False),
                                             (29, 31, True), (100, 101, True)])
def test_overlap_with_merged_busy_intervals(s: float, e: float, hit: bool) -> None:
    busy_s, busy_e = np.array([90.0, 15.0, 20.0]), np.array([200.0, 25.0, 30.0])
    assert overlaps_any(np.array([s]), np.array([e]), busy_s, busy_e).tolist() == [hit]


def test_seconds_outside_takes_each_busy_second_out_once() -> None:
    from stridewise.science.steps import seconds_outside

    start, end = np.array([0.0, 100.0, 500.0, 1000.0]), np.array([60.0, 400.0, 600.0, 1100.0])
    # Busy 50-150 and an overlapping 120-200 (merged: 50-200), and 550-2000.
    busy_s, busy_e = np.array([120.0, 50.0, 550.0]), np.array([200.0, 150.0, 2000.0])
    assert seconds_outside(start, end, busy_s, busy_e).tolist() == [50.0, 200.0, 50.0, 0.0]
    assert seconds_outside(start, end, np.zeros(0), np.zeros(0)).tolist() == [
        60.0, 300.0, 100.0, 100.0]


def test_brisk_spans_merge_touching_minutes_of_one_intensity() -> None:
    from stridewise.science.steps import brisk_spans

    start = np.arange(6) * 60.0
    steps = np.array([105.0, 110.0, 140.0, 90.0, 101.0, 102.0])
    s, e, vigorous = brisk_spans(start, np.full(6, 60.0), steps)
    spans = sorted(zip(s.tolist(), e.tolist(), vigorous.tolist(), strict=True))
    assert spans == [(0.0, 120.0, False), (120.0, 180.0, True), (240.0, 360.0, False)]
