"""Per-session and per-day tables built from data frames by the science kernels.

``load_frames`` (the only part that reads the store) gives one athlete's
:class:`SeriesFrames`; ``sessions_frame`` has one row per session with its load, TRIMP, bone and
MET values; ``daily_series`` one row per day with every metric shown over time (its kernel
``daily_columns`` serves one athlete or a cohort); ``weekly_summary`` the Monday-to-Sunday view
used for WHO minutes. All derived: recomputed from the frames on demand.
"""

from stridewise.series.daily import (
    DAILY_SERIES_COLUMNS,
    daily_columns,
    daily_series,
    weekly_summary,
)
from stridewise.series.frames import (
    SeriesFrames,
    SeriesProfile,
    daily_series_all,
    load_daily_series,
    load_frames,
    load_sessions_frame,
)
from stridewise.series.sessions import SESSION_COLUMNS, heart_rate_profile, sessions_frame

__all__ = [
    "DAILY_SERIES_COLUMNS",
    "SESSION_COLUMNS",
    "SeriesFrames",
    "SeriesProfile",
    "daily_columns",
    "daily_series",
    "daily_series_all",
    "heart_rate_profile",
    "load_daily_series",
    "load_frames",
    "load_sessions_frame",
    "sessions_frame",
    "weekly_summary",
]
