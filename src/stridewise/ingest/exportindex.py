"""What an export's index says about its files: Strava's ``activities.csv`` (name, type,
perceived exertion per file path) and Garmin's ``*summarizedActivities*.json`` (name and type per
activity ID). Strava's "Relative Effort" is a heart-rate load score, not an exertion rating, so
it is not used as RPE."""

from __future__ import annotations

import csv
import io
import json
import posixpath
from dataclasses import dataclass

from stridewise.activity import normalise_sport

#: Largest cell read from an export's activities.csv (Strava descriptions can be long).
CSV_FIELD_LIMIT = 16 * 1024 * 1024


@dataclass(frozen=True)
class SourceMeta:
    """What an export says about a file, beyond the file itself."""

    name: str | None = None
    sport: str | None = None
    rpe: float | None = None
    #: Problems with the export's index itself (e.g. an unreadable activities.csv).
    warnings: tuple[str, ...] = ()



def strava_metadata(raw: bytes, root: str) -> dict[str, SourceMeta]:
    # The limit is process-wide (csv has no per-reader one); the default 128 KiB is too small
    # for long Strava descriptions.
    csv.field_size_limit(CSV_FIELD_LIMIT)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig", errors="replace"))))
    if not rows:
        return {}
    header = [h.strip() for h in rows[0]]

    def column(title: str) -> int | None:
        # Strava repeats some titles (e.g. "Distance"); the first one is the summary field.
        return header.index(title) if title in header else None

    file_col, name_col = column("Filename"), column("Activity Name")
    type_col, rpe_col = column("Activity Type"), column("Perceived Exertion")
    if file_col is None:
        return {}
    out: dict[str, SourceMeta] = {}
    for row in rows[1:]:
        if file_col >= len(row) or not row[file_col].strip():
            continue

        def cell(index: int | None, row: list[str] = row) -> str | None:
            return row[index].strip() or None if index is not None and index < len(row) else None

        sport_text = cell(type_col)
        out[posixpath.join(root, row[file_col].strip())] = SourceMeta(
            name=cell(name_col),
            sport=normalise_sport(sport_text) if sport_text else None,
            rpe=_rpe(cell(rpe_col)),
        )
    return out


def _rpe(text: str | None) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= 10 else None


def garmin_metadata(raw: bytes) -> dict[str, SourceMeta]:
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    # The export wraps the list: [{"summarizedActivitiesExport": [ {...}, ... ]}]
    chunks = payload if isinstance(payload, list) else [payload]
    out: dict[str, SourceMeta] = {}
    for chunk in chunks:
        items = chunk.get("summarizedActivitiesExport") if isinstance(chunk, dict) else None
        for item in items or []:
            if not isinstance(item, dict) or item.get("activityId") is None:
                continue
            kind = item.get("activityType")
            if isinstance(kind, dict):
                kind = kind.get("typeKey")
            name = item.get("name")
            out[f"id:{item['activityId']}"] = SourceMeta(
                name=name if isinstance(name, str) and name.strip() else None,
                sport=normalise_sport(kind) if isinstance(kind, str) else None,
                rpe=_garmin_rpe(item.get("directWorkoutRpe", item.get("workoutRpe"))),
            )
    return out


def _garmin_rpe(value: object) -> float | None:
    """Garmin stores the perceived effort asked after a workout as 10-100 (10 per step of
    its 1-10 scale); CR-10 is that over 10."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return _rpe(str(value / 10.0 if value > 10 else value))
