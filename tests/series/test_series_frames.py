"""The series kernels run on data frames alone (no store) and on a cohort as on one athlete."""

from __future__ import annotations

import ast
import math
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import stridewise.series as series_package
from stridewise.series import SeriesFrames, SeriesProfile, daily_columns, daily_series
from stridewise.series.frames import CHECKIN_COLUMNS, MANUAL_COLUMNS, load_frames
from stridewise.store import open_store

DAY0 = date(2026, 3, 2)
FITNESS_LAMBDA = 1 - math.exp(-1 / 42)  # Banister fitness, tau = 42 d
FATIGUE_LAMBDA = 1 - math.exp(-1 / 7)


def _manual(*rows: tuple[int, datetime, str, float, float | None, float | None]) -> pd.DataFrame:
    return pd.DataFrame([(*r, "") for r in rows], columns=list(MANUAL_COLUMNS))


def test_a_daily_series_from_frames_in_memory() -> None:
    frames = SeriesFrames(
        profile=SeriesProfile(athlete_id=1, time_zone="Europe/London"),
        manual=_manual(
            (1, datetime(2026, 3, 2, 8, tzinfo=UTC), "run", 1800.0, 5000.0, 5.0),
            (2, datetime(2026, 3, 3, 8, tzinfo=UTC), "strength", 2400.0, None, 6.0),
        ),
        checkins=pd.DataFrame(
            [(datetime(2026, 3, 3, 20, tzinfo=UTC), 2.0, 7.5, 15.0)], columns=list(CHECKIN_COLUMNS)
        ),
    )
    daily = daily_series(frames, through=date(2026, 3, 4))
    assert daily["load_srpe"].tolist() == [150.0, 240.0, 0.0]  # 5 x 30, 6 x 40 (Foster 2001)
    assert daily.loc[0, "fitness"] == pytest.approx(150 * FITNESS_LAMBDA)
    assert daily.loc[0, "fatigue"] == pytest.approx(150 * FATIGUE_LAMBDA)
    assert daily.loc[0, "form"] == 0.0  # form uses yesterday's values
    # 30-min run, 160 steps/min assumed: 2,400 cycles per leg at 2.5 BW -> 2.5 ln(2401)
    # (science.md worked example: 19.5).
    assert daily.loc[0, "bone_stimulus"] == pytest.approx(2.5 * math.log(2401))
    # 5 km in 30 min = 6.2 mph: Compendium 12050, vigorous: 30 x 2 moderate-equivalent minutes.
    assert daily.loc[0, "who_equivalent_min"] == 60.0
    assert daily["strength_session"].tolist() == [False, True, False]
    assert daily.loc[1, "pain_max"] == 2.0
    assert daily.loc[1, "who5_pct"] == 60.0  # WHO-5 raw 15 x 4
    assert np.isnan(daily.loc[0, "who5_pct"])


def _cohort_sessions() -> pd.DataFrame:
    """Athlete 0: a rated 30-min run on day 0; athlete 1: two 30-min walks 2 h apart on day 1
    and a strength session on day 2."""
    rows = [
        # kind, minutes, distance, srpe, estimated, trimp, grf, cycles, start h, met_min, level
        ("run", 30.0, 5000.0, 150.0, False, 0.0, 2.5, 2400.0, 8.0, 279.0, 2),
        ("walk", 30.0, 2340.0, 90.0, True, 0.0, 1.2, 1650.0, 8.0, 90.0, 1),
        ("walk", 30.0, 2340.0, 90.0, True, 0.0, 1.2, 1650.0, 10.0, 90.0, 1),
        ("strength", 40.0, np.nan, 240.0, False, 0.0, np.nan, np.nan, 9.0, 0.0, -1),
    ]
    frame = pd.DataFrame(rows, columns=[
        "kind", "duration_min", "distance_m", "load_srpe", "rpe_estimated", "trimp",
        "peak_grf_bw", "loading_cycles_per_leg", "start_hour", "met_min", "intensity",
    ])
    frame["kind"] = frame["kind"].astype("category")
    return frame


@pytest.mark.parametrize("reverse", [False, True])  # sessions not grouped by athlete
def test_daily_columns_for_a_cohort(reverse: bool) -> None:
    sessions, days, athletes = _cohort_sessions(), [0, 1, 1, 2], [0, 1, 1, 1]
    if reverse:
        sessions, days, athletes = sessions[::-1].reset_index(drop=True), days[::-1], athletes[::-1]
    out = daily_columns(sessions, days, 3, athletes, 2, block_athletes=1)
    np.testing.assert_array_equal(out["load_srpe"], [[150, 0, 0], [0, 180, 240]])
    np.testing.assert_array_equal(out["sessions"], [[1, 0, 0], [0, 2, 1]])
    np.testing.assert_allclose(out["fitness"][1], [0, 180 * FITNESS_LAMBDA,
                                                   (180 * (1 - FITNESS_LAMBDA) + 240)
                                                   * FITNESS_LAMBDA])
    # Two walks 2 h apart are one bout: cycles add before the log (Robling 2001, Turner 2003).
    assert out["bone_stimulus"][1, 1] == pytest.approx(1.2 * math.log(1 + 2 * 1650))
    assert out["bone_stimulus"][0, 0] == pytest.approx(2.5 * math.log(2401))
    np.testing.assert_array_equal(out["longest_run_m"], [[5000, 0, 0], [0, 0, 0]])
    np.testing.assert_array_equal(out["who_equivalent_min"], [[60, 0, 0], [0, 60, 0]])
    np.testing.assert_array_equal(out["load_estimated"], [[False] * 3, [False, True, False]])
    np.testing.assert_array_equal(out["strength_session"], [[False] * 3, [False, False, True]])


def test_daily_columns_computes_only_what_is_asked() -> None:
    sessions = _cohort_sessions()[["kind", "load_srpe", "distance_m"]]
    out = daily_columns(sessions, [0, 1, 1, 2], 3, [0, 1, 1, 1], 2, columns=("load_srpe", "form"))
    assert list(out) == ["load_srpe", "form"]
    np.testing.assert_array_equal(out["form"][:, 0], [0.0, 0.0])
    with pytest.raises(ValueError, match="unknown daily columns: ctl"):
        daily_columns(sessions, [0, 1, 1, 2], 3, [0, 1, 1, 1], 2, columns=("ctl",))


def test_the_loader_refuses_an_unknown_athlete(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'frames.db'}") as store, pytest.raises(KeyError):
        load_frames(store, 999)


def test_only_the_loader_reads_the_store() -> None:
    """The kernels (sessions, daily) import neither the Store, its models nor SQLAlchemy."""
    folder = Path(series_package.__file__).parent
    for name in ("sessions.py", "daily.py"):
        tree = ast.parse((folder / name).read_text())
        imported = {
            alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
            for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not {i for i in imported if i.startswith("sqlalchemy")}, name
        assert "stridewise.store.Store" not in imported, name
        assert "stridewise.store.models" not in imported, name
