"""Per-sport limits of movement: one table for the moving-time rule and the plausibility checks.

``moving_min_mps``: below this speed a sample counts as standing still, when the file has no
timer events to say so (:mod:`stridewise.summary`). For foot sports it is 0.2 m/s: it must
count the slowest walking as moving (older adults walking at 0.4-0.6 m/s; a gait speed below
0.4 m/s is household-only walking, Perry et al., Stroke 1995;26:982-989; steep hiking averages
well under 1 m/s with slower steps), yet stay above the speed noise of a device standing still
(GPS Doppler speed ~0.05-0.1 m/s). On the samples, 0.5 m/s lost 22 % of a steep 732 m-climb
leg's timer time (fenix2 multisport) and 0.2 m/s 4 % (docs/design.md). Other sports keep
0.5 m/s, to which their samples are insensitive. Evidence grade C. ``max_speed_mps``: a
sustained speed above this is not humanly possible in the sport (the men's 100 m record averages
10.4 m/s, peaks 12.4 m/s; track cycling sprints reach ~22 m/s, downhill road riding ~30 m/s).
``max_accel_mps2``: a change of speed faster than this between samples is a glitch (elite
sprint starts reach ~10 m/s^2).

Evidence grade: C (physical plausibility limits from world records, not a study of errors).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SportLimits:
    moving_min_mps: float
    max_speed_mps: float
    max_accel_mps2: float


SPORT_LIMITS: dict[str, SportLimits] = {
    "run": SportLimits(moving_min_mps=0.2, max_speed_mps=12.5, max_accel_mps2=10.0),
    "walk": SportLimits(moving_min_mps=0.2, max_speed_mps=12.5, max_accel_mps2=10.0),
    "hike": SportLimits(moving_min_mps=0.2, max_speed_mps=12.5, max_accel_mps2=10.0),
    "ride": SportLimits(moving_min_mps=0.5, max_speed_mps=40.0, max_accel_mps2=15.0),
    "swim": SportLimits(moving_min_mps=0.5, max_speed_mps=5.0, max_accel_mps2=5.0),
}
OTHER_LIMITS = SportLimits(moving_min_mps=0.5, max_speed_mps=60.0, max_accel_mps2=20.0)


def limits_for(sport: str) -> SportLimits:
    """The limits of ``sport``; unknown sports get the loosest limits."""
    return SPORT_LIMITS.get(sport, OTHER_LIMITS)
