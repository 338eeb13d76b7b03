"""Per-session and per-day tables joining the store to the science kernels.

``sessions_frame`` has one row per session with its load, TRIMP, bone and MET values;
``daily_series`` one row per day with every metric shown over time; ``weekly_summary`` the
Monday-to-Sunday view used for WHO minutes. All derived: recomputed from the store on demand.
"""

from stridewise.series.daily import (
    DAILY_SERIES_COLUMNS,
    daily_series,
    daily_series_all,
    weekly_summary,
)
from stridewise.series.sessions import SESSION_COLUMNS, heart_rate_profile, sessions_frame

__all__ = [
    "DAILY_SERIES_COLUMNS",
    "SESSION_COLUMNS",
    "daily_series",
    "daily_series_all",
    "heart_rate_profile",
    "sessions_frame",
    "weekly_summary",
]
