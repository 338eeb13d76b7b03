"""Helpers of the cohort tests: a dataset participant written into a single-user store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from stridewise.activity import ManualSession
from stridewise.cohort import dataset as ds
from stridewise.store import CheckInInput, Store


def who5_items(raw: float) -> tuple[int, int, int, int, int] | None:
    """Five WHO-5 items (0-5 each) summing to ``raw``."""
    if raw != raw:  # NaN
        return None
    total = int(raw)
    return tuple(total // 5 + (1 if i < total % 5 else 0) for i in range(5))  # type: ignore


def store_participant(store: Store, row: Any, tables: dict[str, pd.DataFrame]) -> int:
    """Write one dataset participant into a single-user store, as the product would hold them
    (hand-logged sessions, check-ins; birth year = the band's middle year)."""
    with store.write_transaction() as tx:
        athlete = tx.add_athlete(str(row.pid))
        tx.update_athlete(athlete.id, sex=row.sex, birth_year=ds.band_birth_year(
            row.birth_year_band), time_zone=row.time_zone)
        tx.add_manual_sessions(athlete.id, [
            ManualSession(start_time_utc=s.start_time_utc.to_pydatetime(), kind=s.kind,
                          duration_s=float(s.duration_s),
                          distance_m=None if s.distance_m != s.distance_m else float(s.distance_m),
                          rpe=None if s.rpe != s.rpe else float(s.rpe))
            for s in tables["manual"].itertuples()])
        for c in tables["checkins"].itertuples():
            tx.add_checkin(athlete.id, CheckInInput(
                at_utc=c.at_utc.to_pydatetime(),
                pain_score=None if c.pain_score != c.pain_score else int(c.pain_score),
                pain_timing=c.pain_timing, pain_site=c.pain_site,
                pain_localised_bone=bool(c.pain_localised_bone), fell=bool(c.fell),
                doctor_cleared=bool(c.doctor_cleared),
                sleep_hours=None if c.sleep_hours != c.sleep_hours else float(c.sleep_hours),
                who5=who5_items(c.who5_raw)))
        return int(athlete.id)


def participant_tables(root: Path, part: int, pid: str) -> tuple[Any, dict[str, pd.DataFrame]]:
    tables = {t: ds.read_table(root, t, part) for t in ds.TABLES}
    people = tables.pop("participants")
    row = next(people[people["pid"] == pid].itertuples(index=False))
    return row, {t: f[f["pid"] == pid].reset_index(drop=True) for t, f in tables.items()}
