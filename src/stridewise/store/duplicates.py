"""Is this activity already stored? The cross-format duplicate rule, and which recording wins.

The same activity recorded in two formats (the watch's FIT, Strava's GPX of it) is kept once,
from the richer format (FIT over TCX over GPX). When a richer file replaces a stored one, the
name and RPE the first one had (from the person or an export's index) are kept.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from stridewise.activity import Activity, ManualSession
from stridewise.store import models as m
from stridewise.store.core import Tx

#: Cross-format duplicate rule: same athlete, starts within 60 s, elapsed times within 5 %
#: of the longer, and distances within 3 % of the longer when both have one.
DUPLICATE_START_WINDOW_S = 60.0
DUPLICATE_ELAPSED_TOLERANCE = 0.05
DUPLICATE_DISTANCE_TOLERANCE = 0.03
#: Which recording to keep when two formats hold the same activity (higher is richer).
FORMAT_RICHNESS = {"fit": 3, "tcx": 2, "gpx": 1}


def is_same_activity(
    start_a_s: float,
    elapsed_a_s: float,
    distance_a_m: float | None,
    start_b_s: float,
    elapsed_b_s: float,
    distance_b_m: float | None,
) -> bool:
    """The cross-format duplicate rule (module constants), for two recordings of one athlete."""
    if abs(start_a_s - start_b_s) > DUPLICATE_START_WINDOW_S:
        return False
    if not _within(elapsed_a_s, elapsed_b_s, DUPLICATE_ELAPSED_TOLERANCE):
        return False
    if distance_a_m is not None and distance_b_m is not None:
        return _within(distance_a_m, distance_b_m, DUPLICATE_DISTANCE_TOLERANCE)
    return True


def _within(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def resolve_duplicate(
    tx: Tx, athlete_id: int, new: Activity, new_name: str, replaced: list[int] | None = None
) -> str | None:
    """None to store ``new`` (replacing a poorer recording of it, if any, whose id is added
    to ``replaced``); else a description of the stored recording that is kept instead."""
    candidates = tx.activities_starting_near(
        athlete_id, new.start_time_utc, DUPLICATE_START_WINDOW_S
    )
    for old in candidates:
        if not is_same_activity(
            old.start_time_utc.timestamp(), old.elapsed_s, old.distance_m,
            new.start_time_utc.timestamp(), new.summary.elapsed_s, new.summary.distance_m,
        ):
            continue
        old_rank = FORMAT_RICHNESS.get(old.source_format, 0)
        if FORMAT_RICHNESS.get(new.source_format, 0) > old_rank:
            # What the person (or the export's index) gave the first recording stays.
            new.name = new.name or old.name
            new.rpe = new.rpe if new.rpe is not None else old.rpe
            tx.supersede_activity(
                athlete_id,
                old.id,
                f"same activity as {new_name}, kept as the richer recording "
                f"({new.source_format.upper()} over {old.source_format.upper()})",
            )
            if replaced is not None:
                replaced.append(old.id)
            continue
        origin = old.source_name or "an earlier import"
        return f"activity #{old.id} ({origin}, {old.source_format.upper()})"
    return None


def split_new_sessions(
    tx: Tx, athlete_id: int, sessions: list[ManualSession]
) -> tuple[list[ManualSession], int]:
    """The sessions of one file not stored yet, and how many were. Each stored session
    matches one row of the file: two identical walks in one log are two walks.

    The rule is :meth:`find_manual_sessions`' (same start and kind, duration within 1 s,
    distance within 1 m), applied in memory to the sessions stored over the file's time span,
    read in one query: one query per row made a 100,000-row log take minutes."""
    if not sessions:
        return [], 0
    starts = [s.start_time_utc for s in sessions]
    stored = tx.list_manual_sessions(
        athlete_id, since=min(starts), until=max(starts) + timedelta(seconds=1)
    )
    by_key: defaultdict[tuple[object, str], list[m.ManualSession]] = defaultdict(list)
    for row in sorted(stored, key=lambda r: r.id):
        by_key[(row.start_time_utc, row.kind)].append(row)
    new: list[ManualSession] = []
    for session in sessions:
        candidates = by_key.get((session.start_time_utc, session.kind), [])
        match = next((r for r in candidates if _same_session(r, session)), None)
        if match is None:
            new.append(session)
        else:
            candidates.remove(match)
    return new, len(sessions) - len(new)


def _same_session(row: m.ManualSession, entry: ManualSession) -> bool:
    if abs(row.duration_s - entry.duration_s) >= 1.0:
        return False
    if row.distance_m is None or entry.distance_m is None:
        return row.distance_m is None and entry.distance_m is None
    return abs(row.distance_m - entry.distance_m) < 1.0
