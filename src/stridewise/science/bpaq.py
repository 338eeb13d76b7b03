"""The Bone-specific Physical Activity Questionnaire (BPAQ) loading values and scores.

Weeks BK, Beck BR. The BPAQ: a bone-specific physical activity assessment instrument.
Osteoporos Int 2008;19:1567-1577, doi:10.1007/s00198-008-0606-2 [V]. Loading value R of an
activity = peak GRF (BW) x loading rate (BW/s) / 25, from the paper's Table 6; the scoring
follows the paper's formula as implemented in the Bonelab open code [S], which notes that the
online tool's coefficients differ. Used for sessions that are not runs or walks (strength,
impact, balance), whose loading stimulus cannot come from speed. See docs/science/bone.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BpaqActivity:
    """One row of Weeks & Beck (2008) Table 6: peak GRF, loading rate and loading value R."""

    peak_grf_bw: float
    loading_rate_bw_per_s: float
    loading_value: float


def _row(grf_bw: float, rate_bw_per_s: float, value: float) -> BpaqActivity:
    return BpaqActivity(grf_bw, rate_bw_per_s, value)


# Weeks & Beck 2008 Table 6 (doi:10.1007/s00198-008-0606-2). The eight rows in science.md are
# [V]; the rest are from the Bonelab transcription of the same table [S]. Every row satisfies
# R = GRF x rate / 25 to the printed rounding (tested).
BPAQ_LOADING_TABLE: dict[str, BpaqActivity] = {
    "swimming": _row(0.7, 2.5, 0.07),
    "rowing": _row(1.0, 3.0, 0.12),
    "cycling": _row(0.8, 5.0, 0.16),
    "diving (platform)": _row(1.0, 7.0, 0.28),
    "scuba": _row(1.0, 7.1, 0.28),
    "stairmaster": _row(1.1, 7.1, 0.31),
    "windsurfing": _row(1.1, 7.1, 0.31),
    "golf": _row(1.2, 8.4, 0.40),
    "walking/hiking": _row(1.2, 8.4, 0.40),
    "shot put": _row(1.2, 8.4, 0.40),
    "resistance training (lower limb)": _row(1.8, 7.1, 0.51),
    "skiing": _row(1.2, 15.0, 0.72),
    "waterskiing": _row(1.2, 15.0, 0.72),
    "rollerblading": _row(1.2, 20.0, 0.96),
    "skateboarding": _row(1.2, 20.0, 0.96),
    "ice hockey": _row(1.2, 35.0, 1.68),
    "horse-riding": _row(1.5, 50.0, 3.00),
    "judo": _row(2.1, 56.2, 4.72),
    "running/jogging": _row(2.6, 46.9, 4.88),
    "dance": _row(2.7, 49.3, 5.32),
    "cross-country": _row(2.9, 56.2, 6.52),
    "tennis": _row(2.9, 56.2, 6.52),
    "jump rope": _row(4.7, 67.3, 12.65),
    "basketball": _row(4.7, 67.3, 12.65),
    "volleyball": _row(5.5, 142.6, 31.37),
    "aerobics": _row(5.5, 250.0, 55.00),
    "gymnastics": _row(10.0, 250.0, 100.00),
}

# Non-running sessions in stridewise plans mapped to a Table 6 row [U, our mapping]:
# strength work loads bone through muscle pull at about resistance-training levels; impact work
# (hops, skips, jumps) is closest to jump rope; balance work is standing, body-weight loading,
# so it is credited no more than walking.
SESSION_KIND_TO_BPAQ_ROW: dict[str, str] = {
    "strength": "resistance training (lower limb)",
    "impact": "jump rope",
    "balance": "walking/hiking",
    "walk": "walking/hiking",
    "run": "running/jogging",
}

BPAQ_MAX_SESSIONS_PER_WEEK = 40.0


def bpaq_age_factor(age_years: float) -> float:
    """BPAQ age weighting A: 1.2 (<10 y), 1.5 (10-15), 1.1 (15-35), 1.0 (35 and over) [S]."""
    if age_years < 10:
        return 1.2
    if age_years < 15:
        return 1.5
    if age_years < 35:
        return 1.1
    return 1.0


def bpaq_current_score(activities: Sequence[tuple[float, float]], age_years: float) -> float:
    r"""Current BPAQ score: :math:`\sum_i [R_i + 0.2 R_i (N_i - 1)] A / n`.

    ``activities`` holds (loading value R, sessions per week N) pairs. N is capped at 40 and
    activities done less than once a week score 0 and do not count in n, the number of
    activities (Bonelab implementation [S]; the formula is Weeks & Beck 2008 [V]).
    """
    if not activities:
        return 0.0
    loading_value, per_week = (
        np.asarray(column, dtype=np.float64) for column in zip(*activities, strict=True)
    )
    per_week = np.minimum(per_week, BPAQ_MAX_SESSIONS_PER_WEEK)
    counted = per_week >= 1.0
    if not counted.any():
        return 0.0
    scores = (loading_value + 0.2 * loading_value * (per_week - 1.0)) * bpaq_age_factor(age_years)
    return float(scores[counted].sum() / counted.sum())


def session_bpaq_score(session_kind: str, sessions_per_week: float, age_years: float) -> float:
    """BPAQ-style score for one kind of session (strength, impact, balance, walk, run)."""
    row = BPAQ_LOADING_TABLE[SESSION_KIND_TO_BPAQ_ROW[session_kind]]
    return bpaq_current_score([(row.loading_value, sessions_per_week)], age_years)
