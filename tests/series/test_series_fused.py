"""The compiled (numba) pass of ``daily_columns`` gives the NumPy path's results bit for bit,
and both equal a straightforward formulation built column by column from the science
functions, on random cohorts with missing values, empty days and busy days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stridewise.science import benefits, bone
from stridewise.science.benefits import Intensity
from stridewise.science.daily import daily_load_metrics
from stridewise.science.load import daily_load, daily_longest_run_m
from stridewise.series.daily import DAILY_SESSION_COLUMNS, daily_columns

pytest.importorskip("numba")

KINDS = ["run", "walk", "hike", "strength", "balance", "ride"]


def _random_sessions(seed: int, n_athletes: int, n_days: int) -> tuple[pd.DataFrame, np.ndarray,
                                                                       np.ndarray]:
    """Sessions on random days (many days empty, some with up to 11 sessions), NaN in every
    optional column, athletes not grouped."""
    rng = np.random.default_rng(seed)
    busy = rng.random((n_athletes, n_days)) < 0.4
    per_day = np.where(busy, rng.choice([1, 1, 1, 2, 2, 3, 4, 8, 11], size=busy.shape), 0)
    athlete = np.repeat(np.arange(n_athletes * n_days) // n_days, per_day.ravel())
    day = np.repeat(np.arange(n_athletes * n_days) % n_days, per_day.ravel())
    n = len(day)

    def with_nan(values: np.ndarray, share: float = 0.1) -> np.ndarray:
        return np.where(rng.random(n) < share, np.nan, values)

    kind = rng.choice(KINDS, n)
    foot = np.isin(kind, ["run", "walk", "hike"])
    minutes = with_nan(np.round(rng.gamma(3.0, 15.0, n)))
    frame = pd.DataFrame({
        "kind": kind,
        "duration_min": minutes,
        "distance_m": with_nan(np.where(foot | (kind == "ride"), minutes * 150.0, np.nan)),
        "load_srpe": with_nan(minutes * rng.integers(1, 10, n)),
        "rpe_estimated": rng.random(n) < 0.3,
        "trimp": with_nan(minutes * 0.7),
        "peak_grf_bw": with_nan(np.where(foot, rng.choice([1.1, 1.2, 2.5, 2.5, 3.0], n), np.nan)),
        "loading_cycles_per_leg": with_nan(np.where(foot, minutes * 70.0, np.nan)),
        # Hours apart and close together, ties, and a few without a start time.
        "start_hour": with_nan(rng.choice([6.0, 7.0, 7.5, 9.0, 12.0, 15.5, 18.0, 22.0], n), 0.05),
        "met_min": with_nan(minutes * 4.0),
        "intensity": rng.choice([-1, 0, 1, 2], n).astype(np.int8 if seed % 2 else np.int64),
    })
    shuffle = rng.permutation(n)
    return frame.iloc[shuffle].reset_index(drop=True), day[shuffle], athlete[shuffle]


def _straightforward(sessions: pd.DataFrame, day: np.ndarray, athlete: np.ndarray,
                     n_athletes: int, n_days: int) -> dict[str, np.ndarray]:
    """Every column on its own, from the science functions; the bone stimulus one athlete-day
    at a time (``daily_bone_stimulus``; a day's only session scores its osteogenic index, as
    the series has always done, even when its start time is missing)."""
    shape = (n_athletes, n_days)

    def total(values: np.ndarray) -> np.ndarray:
        out = np.zeros(shape)
        np.add.at(out, (athlete, day), np.nan_to_num(values, nan=0.0))
        return out

    def any_on_day(mask: np.ndarray) -> np.ndarray:
        out = np.zeros(shape, dtype=bool)
        out[athlete[mask], day[mask]] = True
        return out

    kind = sessions["kind"].to_numpy()
    minutes = np.nan_to_num(sessions["duration_min"].to_numpy())
    distance = np.nan_to_num(sessions["distance_m"].to_numpy())
    run_m = np.where(kind == "run", distance, 0.0)
    level = sessions["intensity"].to_numpy()
    load = daily_load(day, sessions["load_srpe"].to_numpy(), n_days, athlete, n_athletes)
    longest = daily_longest_run_m(day, run_m, n_days, athlete, n_athletes)
    run_per_day = daily_load(day, run_m, n_days, athlete, n_athletes)
    moderate = total(np.where(level == Intensity.MODERATE, minutes, 0.0))
    vigorous = total(np.where(level == Intensity.VIGOROUS, minutes, 0.0))
    result: dict[str, np.ndarray] = {
        "sessions": np.bincount(athlete * n_days + day, minlength=n_athletes * n_days)
        .reshape(shape),
        "duration_min": total(minutes),
        "distance_m": total(distance),
        "run_distance_m": run_per_day,
        "longest_run_m": longest,
        "load_srpe": load,
        "load_estimated": any_on_day(sessions["rpe_estimated"].to_numpy()),
        "trimp": total(sessions["trimp"].to_numpy()),
        "moderate_min": moderate,
        "vigorous_min": vigorous,
        "who_equivalent_min": benefits.who_equivalent_minutes(moderate, vigorous),
        "met_min": total(sessions["met_min"].to_numpy()),
        "strength_session": any_on_day(kind == "strength"),
        "balance_session": any_on_day(kind == "balance"),
    }
    metrics = daily_load_metrics(load, longest, run_per_day)
    result.update({name: metrics[name] for name in DAILY_SESSION_COLUMNS if name in metrics})
    grf = sessions["peak_grf_bw"].to_numpy()
    cycles = sessions["loading_cycles_per_leg"].to_numpy()
    start = sessions["start_hour"].to_numpy()
    walk_grf, walk_cycles = bone.walking_equivalent_loading(
        np.where(np.isfinite(grf) & np.isfinite(cycles), minutes, np.nan))
    real, walked = np.zeros(shape), np.zeros(shape)
    for a, d in {(int(a), int(d)) for a, d in zip(athlete, day, strict=True)}:
        on_day = np.flatnonzero((athlete == a) & (day == d))  # in the frame's order
        for out, (g, c) in ((real, (grf, cycles)), (walked, (walk_grf, walk_cycles))):
            if len(on_day) == 1:  # the session's own index, even without a start time
                value = bone.osteogenic_index(g[on_day], c[on_day])[0]
            else:
                value = bone.daily_bone_stimulus(start[on_day], g[on_day], c[on_day],
                                                 session_duration_h=minutes[on_day] / 60.0)
            out[a, d] = np.nan_to_num(value)
    result["bone_stimulus"], result["walking_equivalent_stimulus"] = real, walked
    return result


def _in_day_order(sessions: pd.DataFrame, day: np.ndarray, athlete: np.ndarray
                  ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Grouped by athlete, then day (as a cohort's frame comes); a day's sessions keep their
    shuffled order."""
    order = np.lexsort((day, athlete))
    return sessions.iloc[order].reset_index(drop=True), day[order], athlete[order]


@pytest.mark.parametrize("in_day_order", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compiled_pass_equals_numpy_path_and_straightforward_columns(
        seed: int, in_day_order: bool) -> None:
    n_athletes, n_days = 9, 70
    sessions, day, athlete = _random_sessions(seed, n_athletes, n_days)
    if in_day_order:
        sessions, day, athlete = _in_day_order(sessions, day, athlete)
    fused = daily_columns(sessions, day, n_days, athlete, n_athletes, fused=True,
                          block_athletes=4)
    numpy_path = daily_columns(sessions, day, n_days, athlete, n_athletes, fused=False,
                               block_athletes=4)
    reference = _straightforward(sessions, day, athlete, n_athletes, n_days)
    assert set(fused) == set(DAILY_SESSION_COLUMNS)
    for name in DAILY_SESSION_COLUMNS:
        assert fused[name].dtype == numpy_path[name].dtype, name
        assert np.array_equal(fused[name], numpy_path[name], equal_nan=True), name
        if name in ("bone_stimulus", "walking_equivalent_stimulus"):
            # One day at a time NumPy adds a day's bout terms in another order: same to rounding.
            np.testing.assert_allclose(fused[name], reference[name], rtol=1e-13, atol=0)
        else:
            assert np.array_equal(fused[name], reference[name], equal_nan=True), name


@pytest.mark.parametrize("in_day_order", [False, True])
def test_compiled_pass_is_the_same_for_any_block_size_subset_and_one_athlete(
        in_day_order: bool) -> None:
    n_athletes, n_days = 6, 50
    sessions, day, athlete = _random_sessions(7, n_athletes, n_days)
    if in_day_order:
        sessions, day, athlete = _in_day_order(sessions, day, athlete)
    everything = daily_columns(sessions, day, n_days, athlete, n_athletes, fused=True)
    for block in (1, 5, 128):
        again = daily_columns(sessions, day, n_days, athlete, n_athletes, fused=True,
                              block_athletes=block)
        assert all(np.array_equal(again[k], everything[k], equal_nan=True) for k in everything)
    for subset in (("fitness",), ("bone_stimulus",), ("who_equivalent_min", "sessions"),
                   ("longest_run_m", "spike_ratio", "balance_session")):
        part = daily_columns(sessions, day, n_days, athlete, n_athletes, columns=subset,
                             fused=True)
        assert list(part) == list(subset)
        assert all(np.array_equal(part[k], everything[k], equal_nan=True) for k in subset)
    mine = athlete == 2
    one = daily_columns(sessions[mine].reset_index(drop=True), day[mine], n_days, fused=True)
    assert all(np.array_equal(one[k], everything[k][2], equal_nan=True) for k in everything)


@pytest.mark.parametrize("fused", [True, False])
def test_both_paths_refuse_negative_loads_and_runs(fused: bool) -> None:
    sessions, day, athlete = _random_sessions(4, 2, 10)
    bad = sessions.assign(load_srpe=-1.0)
    with pytest.raises(ValueError, match="session_load"):
        daily_columns(bad, day, 10, athlete, 2, fused=fused)
    bad = sessions.assign(kind="run", distance_m=-5.0)
    with pytest.raises(ValueError, match="run_distance_m"):
        daily_columns(bad, day, 10, athlete, 2, fused=fused)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_compiled_bone_inputs_match_numpy_on_odd_values() -> None:
    """Negative, signed-zero, infinite and missing forces, cycles and minutes: the compiled
    pass's cycles (np.maximum(cycles, 0), walking cadence x minutes / 2) give NumPy's values."""
    grf_values = [np.nan, 0.0, 1.2, 2.5, np.inf]
    cycle_values = [-5.0, -0.0, 0.0, 100.0, np.inf, np.nan]
    minute_values = [-3.0, 0.0, 30.0, np.nan]
    grid = np.array(np.meshgrid(grf_values, cycle_values, minute_values)).reshape(3, -1)
    n = grid.shape[1]
    sessions = pd.DataFrame({
        "kind": "walk", "duration_min": grid[2], "distance_m": 1000.0, "load_srpe": 10.0,
        "rpe_estimated": False, "trimp": 1.0, "peak_grf_bw": grid[0],
        "loading_cycles_per_leg": grid[1], "start_hour": 8.0, "met_min": 1.0,
        "intensity": np.full(n, 1, dtype=np.int64),
    })
    day = np.arange(n) % 40  # some days with one session, some with several
    athlete = np.zeros(n, dtype=np.int64)
    columns = ("bone_stimulus", "walking_equivalent_stimulus")
    fused = daily_columns(sessions, day, 40, athlete, 1, columns=columns, fused=True)
    numpy_path = daily_columns(sessions, day, 40, athlete, 1, columns=columns, fused=False)
    for name in columns:
        assert np.array_equal(fused[name], numpy_path[name], equal_nan=True), name
    single = daily_columns(sessions, np.arange(n), n, athlete, 1, columns=columns, fused=True)
    single_np = daily_columns(sessions, np.arange(n), n, athlete, 1, columns=columns,
                              fused=False)
    for name in columns:
        assert np.array_equal(single[name], single_np[name], equal_nan=True), name
