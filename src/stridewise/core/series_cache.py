"""The daily series behind Trends, Today, the report and the API, kept while the data it
came from is unchanged. Derived data is a cache: a fingerprint of the source rows (counts and
newest ids of activities, hand-logged sessions, check-ins and body-mass entries, and the
profile) decides whether the cached frame is still the truth. Ten years of history then cost
one cheap query per page instead of a recomputation."""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd

from stridewise import clock
from stridewise.store import Store

_lock = threading.Lock()


def fingerprint(store: Store, athlete_id: int) -> tuple[Any, ...]:
    """Changes whenever a row the series reads is added, removed or the profile is edited."""
    parts: list[Any] = []
    with store.transaction() as tx:
        parts.extend(tx.data_marks(athlete_id))
        athlete = tx.get_athlete(athlete_id)
        if athlete is not None:
            parts.extend((athlete.sex, athlete.birth_year, athlete.resting_hr_bpm,
                          athlete.max_hr_bpm, athlete.time_zone))
    return tuple(parts)


def cached_series(store: Store, athlete_id: int, cache: dict[Any, pd.DataFrame]) -> pd.DataFrame:
    """``daily_series`` for the athlete, recomputed only when the fingerprint moved. The
    frames are loaded from the store (``series.load_frames``) and the series computed from
    them, so the kernel itself never touches the database."""
    from stridewise.series import daily_series, load_frames

    # The series runs through today, so a new day is a new key even with no new rows.
    with store.transaction() as tx:
        athlete = tx.get_athlete(athlete_id)
    key = (athlete_id, clock.today(athlete.time_zone if athlete else None),
           fingerprint(store, athlete_id))
    with _lock:
        found = cache.get(key)
    if found is not None:
        return found
    frames = load_frames(store, athlete_id)
    series = daily_series(frames, through=key[1])
    with _lock:
        for stale in [k for k in cache if k[0] == athlete_id]:
            del cache[stale]
        cache[key] = series
    return series
