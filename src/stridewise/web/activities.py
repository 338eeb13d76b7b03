"""Activities: a list, and one activity with its pace, heart-rate and elevation plots and its
bone stimulus against the same minutes spent walking."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from stridewise.present.charts import COLOURS, Chart, base_layout, line_trace
from stridewise.present.format import MI_M, format_pace
from stridewise.science.bone import FOOT_KINDS, session_bone_loading
from stridewise.store import models as m
from stridewise.summary import interval_weights_s, weighted_mean
from stridewise.web.deps import athlete_id_of, existing_id, store_of, units_of
from stridewise.web.render import page

router = APIRouter()

PAGE_SIZE = 50
MAX_PLOT_POINTS = 1500  # plenty for a screen; keeps a 6-hour 1 Hz recording light


@dataclass(frozen=True)
class BoneStimulus:
    """One session's osteogenic index and the same minutes walked; ``estimated`` when the
    cadence was not recorded."""

    session_oi: float
    walking_oi: float
    estimated: bool

    @property
    def ratio(self) -> float:
        return self.session_oi / self.walking_oi if self.walking_oi > 0 else math.nan


def bone_stimulus(activity: m.Activity) -> BoneStimulus | None:
    """Osteogenic index of a foot session (run, walk, hike) from its speed and steps, by
    :func:`stridewise.science.bone.session_bone_loading`, the function the daily series uses
    (typical cadence when none). Nothing is shown without a speed."""
    if activity.sport not in FOOT_KINDS or not activity.moving_s:
        return None
    speed = activity.avg_speed_mps or (
        activity.distance_m / activity.moving_s if activity.distance_m else None)
    if not speed:
        return None
    loading = session_bone_loading(
        [activity.sport], [activity.moving_s / 60.0], [speed],
        [math.nan if activity.steps is None else activity.steps],
        [activity.avg_cadence_spm or math.nan],
    )
    return BoneStimulus(float(loading.osteogenic_index[0]),
                        float(loading.walking_equivalent_oi[0]),
                        bool(loading.cadence_estimated[0]))


def _thin(n: int) -> slice:
    return slice(None, None, max(1, math.ceil(n / MAX_PLOT_POINTS)))


def _clean(values: np.ndarray) -> list[float | None]:
    return [None if not math.isfinite(v) else round(float(v), 3) for v in values]


def activity_charts(records: dict[str, np.ndarray], units: str,
                    average_speed_mps: float | None = None) -> list[Chart]:
    """Pace, heart rate and elevation plots for the records that exist.

    The pace chart's words give the typical (median) pace while moving and, when
    ``average_speed_mps`` is known, say why the summary's average pace (distance / moving time)
    differs: slow stretches weigh more in an average of time than in a middle value."""
    if "time_s" not in records or len(records["time_s"]) < 2:
        return []
    step = _thin(len(records["time_s"]))
    minutes = (records["time_s"] - records["time_s"][0]) / 60.0
    x = _clean(minutes[step])
    charts = []
    speed = records.get("speed_mps")
    if speed is None and "distance_m" in records:
        with np.errstate(invalid="ignore", divide="ignore"):
            speed = np.gradient(records["distance_m"], records["time_s"])
    # Smooth over ~30 records so GPS jitter does not hide the shape.
    smooth = (np.convolve(np.nan_to_num(speed), np.ones(30) / 30, mode="same")
              if speed is not None else np.zeros(0))
    # No movement recorded (no distance, or a device standing still): no empty pace plot.
    if (smooth > 0.5).any():
        unit_m = MI_M if units == "mi" else 1000.0
        with np.errstate(divide="ignore"):
            pace_min = np.where(smooth > 0.5, unit_m / smooth / 60.0, np.nan)
        layout = base_layout(f"minutes per {units}", "minutes from the start")
        layout["yaxis"] = {**layout["yaxis"], "autorange": "reversed", "rangemode": "normal"}
        median = float(np.median(smooth[smooth > 0.5]))
        words = (f"Your typical pace while moving was {format_pace(median, units)}: about half "
                 "the time you were faster than this, half the time slower.")
        if average_speed_mps and format_pace(average_speed_mps, units) != format_pace(median,
                                                                                     units):
            words += (f" The average pace above ({format_pace(average_speed_mps, units)}) is the"
                      " whole distance divided by the moving time, so slow stretches count for"
                      " more in it.")
        charts.append(Chart("pace", "Pace", words + " Faster is higher on the chart.",
                            {"data": [line_trace(x, _clean(pace_min[step]), "Pace",
                                                 COLOURS["primary"])], "layout": layout}))
    heart = records.get("heart_rate_bpm")
    if heart is not None and np.isfinite(heart).any():
        # Time-weighted, as every average (stridewise.summary): irregular sampling must not
        # bias it towards the stretches the device recorded most often.
        average = weighted_mean(heart, interval_weights_s(records["time_s"])[0])
        charts.append(Chart("heart-rate", "Heart rate",
                            f"Average {average:.0f} beats per minute, highest "
                            f"{np.nanmax(heart):.0f}.",
                            {"data": [line_trace(x, _clean(heart[step]), "Heart rate",
                                                 COLOURS["accent"])],
                             "layout": {**base_layout("beats per minute",
                                                      "minutes from the start"),
                                        "showlegend": False}}))
    altitude = records.get("altitude_m")
    if altitude is not None and np.isfinite(altitude).any():
        layout = base_layout("metres above sea level", "minutes from the start")
        layout["yaxis"] = {**layout["yaxis"], "rangemode": "normal"}
        layout["showlegend"] = False
        charts.append(Chart("elevation", "Elevation",
                            f"From {np.nanmin(altitude):.0f} m to {np.nanmax(altitude):.0f} m "
                            "above sea level.",
                            {"data": [line_trace(x, _clean(altitude[step]), "Elevation",
                                                 COLOURS["secondary"], fill="tozeroy")],
                             "layout": layout}))
    return charts


@router.get("/activities", response_class=HTMLResponse, name="activities_page")
def activities_page(request: Request, page_number: int = 1) -> HTMLResponse:
    with store_of(request).transaction() as tx:
        total = tx.count_activities(athlete_id_of(request))
        pages = max(1, math.ceil(total / PAGE_SIZE))
        # A page past the last shows the last (a huge number would overflow the query).
        page_number = min(max(1, page_number), pages)
        rows = tx.list_activities(athlete_id_of(request), newest_first=True,
                                  limit=PAGE_SIZE * page_number)[PAGE_SIZE * (page_number - 1):]
        manual = tx.list_manual_sessions(athlete_id_of(request))[-20:][::-1]
    return page(request, "activities.html", title="Activities", active="activities_page",
                activities=rows, manual=manual, total=total, page_number=page_number,
                pages=pages, units=units_of(request))


@router.get("/activities/{activity_id}", response_class=HTMLResponse, name="activity_page")
def activity_page(request: Request, activity_id: int) -> HTMLResponse:
    existing_id(activity_id, "activity")
    with store_of(request).transaction() as tx:
        activity = tx.get_activity(athlete_id_of(request), activity_id)
        if activity is None:
            raise HTTPException(status_code=404, detail="No such activity.")
        records: dict[str, Any] = tx.get_stream(athlete_id_of(request), activity_id) or {}
    units = units_of(request)
    return page(request, "activity.html", title=activity.name or "Activity",
                active="activities_page", activity=activity, units=units,
                charts=activity_charts(records, units, activity.avg_speed_mps),
                bone=bone_stimulus(activity),
                needs_plotly=True)
