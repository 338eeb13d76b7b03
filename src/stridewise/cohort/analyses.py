"""The study analyses of a cohort run (methods and references in docs/cohort.md).

- :func:`adherence`: weekly WHO moderate-equivalent minutes over time and the share meeting
  150 min a week (WHO 2020 guidelines, Bull et al. 2020), by age band and sex;
- :func:`progression_safety`: pain stops after runs by single-run spike band, as rates and as
  hazard ratios from a Cox model with standard errors clustered by participant (many runs per
  person), following the session-level design of Frandsen et al. 2025 (BJSM 59:1203);
- :func:`bone_by_screening`: weekly bone stimulus (Robling 2001 osteogenic index) and running
  against the screening's permitted impact level.

Each returns plain data frames; :func:`analyse` runs all three on a results folder and writes
them under ``analyses/``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .pipeline import BAND_LABELS, _write_frame, read_output

REFERENCE_BAND = BAND_LABELS[0]


def adherence(participants: pd.DataFrame, weekly: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``over_time``: per week of follow-up (valid weeks only), participants, mean and median
    WHO minutes, share meeting the target. ``by_group``: per age band and sex, participants,
    share whose mean valid week meets the target, and the mean share of their weeks that do."""
    valid = weekly[weekly["valid"]] if len(weekly) else weekly
    if len(valid):
        over_time = valid.groupby("week_index").agg(
            participants=("pid", "nunique"), mean_who_min=("who_equivalent_min", "mean"),
            median_who_min=("who_equivalent_min", "median"),
            share_meeting=("meets_who", "mean")).reset_index()
    else:
        over_time = pd.DataFrame(columns=["week_index", "participants", "mean_who_min",
                                          "median_who_min", "share_meeting"])
    scored = participants[participants["valid_weeks"] > 0]
    by_group = scored.groupby(["age_band", "sex"]).agg(
        participants=("pid", "size"), share_meeting=("meets_who", "mean"),
        mean_share_of_weeks=("share_weeks_meeting_who", "mean"),
        mean_weekly_who_min=("weekly_who_min", "mean")).reset_index()
    overall = pd.DataFrame([{
        "age_band": "all", "sex": "all", "participants": len(scored),
        "share_meeting": float(scored["meets_who"].mean()) if len(scored) else np.nan,
        "mean_share_of_weeks": float(scored["share_weeks_meeting_who"].mean())
        if len(scored) else np.nan,
        "mean_weekly_who_min": float(scored["weekly_who_min"].mean()) if len(scored) else np.nan,
    }])
    return {"over_time": over_time, "by_group": pd.concat([by_group, overall],
                                                          ignore_index=True)}


def _rates(runs: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for band in (*BAND_LABELS, "no reference"):
        sub = runs[runs["band"] == band]
        days = float(sub["duration_d"].sum())
        rows.append({
            "band": band, "runs": len(sub), "participants": sub["pid"].nunique(),
            "stops": int(sub["event"].sum()), "days_at_risk": days,
            "stops_per_1000_days": 1000.0 * sub["event"].sum() / days if days else np.nan,
            "incidence_30d": float(sub["stop_within_30d"].mean()) if len(sub) else np.nan,
        })
    return pd.DataFrame(rows)


def cox_spike_bands(runs: pd.DataFrame) -> pd.DataFrame:
    """Hazard ratio of each spike band against runs up to 10 % (the reference), 95 % CI from
    the robust (sandwich) variance clustered by participant (lifelines ``cluster_col``)."""
    from lifelines import CoxPHFitter

    data = runs[(runs["band"] != "no reference") & (runs["duration_d"] > 0)]
    others = [b for b in BAND_LABELS[1:] if (data["band"] == b).any()]
    empty = pd.DataFrame(columns=["band", "hazard_ratio", "ci_low", "ci_high", "p", "runs",
                                  "stops"])
    if not others or data["event"].sum() == 0:
        return empty
    frame = pd.DataFrame({"duration_d": data["duration_d"].to_numpy(dtype=float),
                          "event": data["event"].to_numpy(dtype=int),
                          "pid": data["pid"].to_numpy()})
    for i, band in enumerate(others):
        frame[f"b{i}"] = (data["band"] == band).to_numpy(dtype=float)
    fitter = CoxPHFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(frame, "duration_d", "event", cluster_col="pid")
    summary = fitter.summary
    rows = []
    for i, band in enumerate(others):
        s = summary.loc[f"b{i}"]
        in_band = data["band"] == band
        rows.append({"band": band, "hazard_ratio": float(s["exp(coef)"]),
                     "ci_low": float(s["exp(coef) lower 95%"]),
                     "ci_high": float(s["exp(coef) upper 95%"]), "p": float(s["p"]),
                     "runs": int(in_band.sum()), "stops": int(data.loc[in_band, "event"].sum())})
    return pd.DataFrame(rows)


def progression_safety(runs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {"rates": _rates(runs), "hazard_ratios": cox_spike_bands(runs)}


def bone_by_screening(participants: pd.DataFrame) -> pd.DataFrame:
    """Weekly bone stimulus and run distance by the screening's permitted impact level."""
    scored = participants[participants["valid_weeks"] > 0].copy()
    scored["weekly_run_km"] = (scored["run_distance_m"] / 1000.0
                               / (scored["days"] / 7.0).clip(lower=1.0))
    return scored.groupby("impact_level").agg(
        participants=("pid", "size"),
        mean_weekly_bone_stimulus=("weekly_bone_stimulus", "mean"),
        median_weekly_bone_stimulus=("weekly_bone_stimulus", "median"),
        mean_weekly_run_km=("weekly_run_km", "mean"),
        share_running=("runs", lambda r: float((r > 0).mean()))).reset_index()


def analyse(out: Path) -> dict[str, pd.DataFrame]:
    """Run every analysis on a results folder; write ``analyses/*.parquet`` and
    ``analyses/summary.json``."""
    out = Path(out)
    participants = pd.read_parquet(out / "participants.parquet")
    weekly = read_output(out, "weekly", ["pid", "week_index", "who_equivalent_min", "valid",
                                         "meets_who"])
    runs = pd.read_parquet(out / "runs.parquet")
    tables: dict[str, pd.DataFrame] = {}
    for name, frame in adherence(participants, weekly).items():
        tables[f"adherence_{name}"] = frame
    for name, frame in progression_safety(runs).items():
        tables[f"safety_{name}"] = frame
    tables["bone_by_screening"] = bone_by_screening(participants)
    for name, frame in tables.items():
        _write_frame(out / "analyses" / f"{name}.parquet", frame)
    summary: dict[str, Any] = {name: json.loads(frame.to_json(orient="records"))
                               for name, frame in tables.items() if name != "adherence_over_time"}
    (out / "analyses" / "summary.json").write_text(json.dumps(summary, indent=2))
    return tables
