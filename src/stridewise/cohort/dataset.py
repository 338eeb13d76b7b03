"""The cohort dataset: one folder of Parquet tables, split into partitions of participants.

Layout (``DATASET/``)::

    dataset.json                      # partitions, source, date rule, created
    participants/part-00000.parquet   # one row per participant (profile fields the kernels read)
    activities/part-00000.parquet     # recorded activities (no location streams, no names)
    manual/part-00000.parquet         # hand-logged sessions (no notes)
    checkins/part-00000.parquet       # pain, sleep, WHO-5, falls, doctor's clearance
    measures/part-00000.parquet       # per-day phone/platform measures
    screenings/part-00000.parquet     # screening outcomes (levels, not answers)

Every row carries ``pid``, the pseudonymous participant id. A participant's rows all sit in
the same partition number across tables, so one partition is one independent job.
:func:`frames_of` turns a participant's rows into the :class:`~stridewise.series.SeriesFrames`
the single-user product computes its series from.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from stridewise.series.frames import (
    ACTIVITY_COLUMNS,
    CHECKIN_COLUMNS,
    MANUAL_COLUMNS,
    SeriesFrames,
    SeriesProfile,
)
from stridewise.series.measures import empty_measures

#: Width of a birth-year band, years (de-identification: birth years leave as bands).
BIRTH_YEAR_BAND_Y = 5
#: The kernels need a birth year (Tanaka's estimated maximum heart rate): the band's middle.
BAND_MIDDLE_Y = 2
_TS = pa.timestamp("us", tz="UTC")
SCHEMAS: dict[str, pa.Schema] = {
    "participants": pa.schema([
        ("pid", pa.string()), ("time_zone", pa.string()), ("sex", pa.string()),
        ("birth_year_band", pa.int32()), ("resting_hr_bpm", pa.float64()),
        ("resting_hr_estimated", pa.bool_()), ("max_hr_bpm", pa.float64()),
        ("max_hr_estimated", pa.bool_()), ("through", pa.date32()), ("group", pa.string()),
    ]),
    "activities": pa.schema([
        ("pid", pa.string()), ("id", pa.int64()), ("start_time_utc", _TS),
        ("utc_offset_s", pa.float64()), ("sport", pa.string()), ("moving_s", pa.float64()),
        ("distance_m", pa.float64()), ("avg_speed_mps", pa.float64()),
        ("avg_heart_rate_bpm", pa.float64()), ("max_heart_rate_bpm", pa.float64()),
        ("steps", pa.float64()), ("avg_cadence_spm", pa.float64()), ("rpe", pa.float64()),
    ]),
    "manual": pa.schema([
        ("pid", pa.string()), ("id", pa.int64()), ("start_time_utc", _TS), ("kind", pa.string()),
        ("duration_s", pa.float64()), ("distance_m", pa.float64()), ("rpe", pa.float64()),
    ]),
    "checkins": pa.schema([
        ("pid", pa.string()), ("at_utc", _TS), ("pain_score", pa.float64()),
        ("pain_timing", pa.string()), ("pain_site", pa.string()),
        ("pain_localised_bone", pa.bool_()), ("fell", pa.bool_()),
        ("doctor_cleared", pa.bool_()), ("sleep_hours", pa.float64()),
        ("who5_raw", pa.float64()),
    ]),
    "measures": pa.schema([
        ("pid", pa.string()), ("date", pa.date32()), ("source", pa.string()),
        *[(name, pa.float64()) for name in empty_measures().columns[2:]],
    ]),
    "screenings": pa.schema([
        ("pid", pa.string()), ("taken_at_utc", _TS), ("impact_level", pa.string()),
        ("can_start", pa.bool_()), ("falls_risk", pa.string()),
    ]),
}
TABLES = tuple(SCHEMAS)


@dataclass(frozen=True)
class DatasetInfo:
    """What ``dataset.json`` says: partitions, where the data came from, the date rule."""

    partitions: int
    source: str
    dates: str
    settings: dict[str, Any]


def part_name(part: int) -> str:
    return f"part-{part:05d}.parquet"


def write_atomic(path: Path, write: Any) -> None:
    """Write through ``write(tmp_path)`` then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_table(root: Path, table: str, part: int, frame: pd.DataFrame) -> None:
    """One partition of one table, in the table's schema (columns in order, types cast)."""
    schema = SCHEMAS[table]
    arrow = pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
    write_atomic(root / table / part_name(part), lambda p: pq.write_table(arrow, p))


def read_table(root: Path, table: str, part: int) -> pd.DataFrame:
    path = root / table / part_name(part)
    if not path.is_file():
        return SCHEMAS[table].empty_table().to_pandas()
    return pq.read_table(path, schema=SCHEMAS[table]).to_pandas()


def write_info(root: Path, info: DatasetInfo) -> None:
    text = json.dumps({"partitions": info.partitions, "source": info.source,
                       "dates": info.dates, "settings": info.settings}, indent=2, default=str)
    write_atomic(root / "dataset.json", lambda p: p.write_text(text))


def read_info(root: Path) -> DatasetInfo:
    path = Path(root) / "dataset.json"
    if not path.is_file():
        raise FileNotFoundError(f"{root} is not a cohort dataset (no dataset.json in it); "
                                "make one with `stridewise cohort synth` or `cohort export`")
    data = json.loads(path.read_text())
    return DatasetInfo(int(data["partitions"]), str(data["source"]), str(data["dates"]),
                       dict(data.get("settings", {})))


def birth_year_band(birth_year: int | None) -> int | None:
    """The first year of the 5-year band holding ``birth_year`` (1957 -> 1955)."""
    if birth_year is None:
        return None
    return int(birth_year) // BIRTH_YEAR_BAND_Y * BIRTH_YEAR_BAND_Y


def band_birth_year(band: Any) -> int | None:
    """The birth year the kernels use for a band: its middle year (1955 -> 1957)."""
    if band is None or pd.isna(band):
        return None
    return int(band) + BAND_MIDDLE_Y


def _none(value: Any) -> Any:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def profile_of_row(row: Any, index: int) -> SeriesProfile:
    """The :class:`SeriesProfile` of a participants row (``athlete_id`` is its index)."""
    rest, top = _none(row.resting_hr_bpm), _none(row.max_hr_bpm)
    return SeriesProfile(
        athlete_id=index, name=str(row.pid), time_zone=str(row.time_zone),
        sex=_none(row.sex), birth_year=band_birth_year(row.birth_year_band),
        resting_hr_bpm=None if rest is None else float(rest),
        resting_hr_estimated=bool(_none(row.resting_hr_estimated) or False),
        max_hr_bpm=None if top is None else float(top),
        max_hr_estimated=bool(_none(row.max_hr_estimated) or False),
    )


def _columns(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` with exactly ``columns`` (those not exported, such as names and notes, empty)."""
    return frame.reset_index(drop=True).reindex(columns=list(columns))


def frames_of(profile: SeriesProfile, tables: dict[str, pd.DataFrame]) -> SeriesFrames:
    """One participant's :class:`SeriesFrames` from their rows of each table."""
    measures = tables["measures"].drop(columns=["pid"]).reset_index(drop=True)
    if len(measures):
        measures["date"] = [d for d in measures["date"]]
    else:
        measures = empty_measures()
    return SeriesFrames(
        profile=profile,
        activities=_columns(tables["activities"], ACTIVITY_COLUMNS),
        manual=_columns(tables["manual"], MANUAL_COLUMNS),
        checkins=_columns(tables["checkins"], CHECKIN_COLUMNS),
        measures=measures,
    )
