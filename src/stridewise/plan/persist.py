"""The thin layer between the pure planner and the store: history, screening and pain in;
plans, planned sessions and plan changes out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from stridewise.plan.inputs import ScreeningFacts
from stridewise.plan.model import Goal, PastSession, Plan, PlanChange, PlannedSession, SessionKind

SPORT_KIND = {"run": SessionKind.EASY_RUN, "walk": SessionKind.WALK, "hike": SessionKind.WALK,
              "strength": SessionKind.STRENGTH, "balance": SessionKind.BALANCE,
              "impact": SessionKind.IMPACT}
SLOT_NUMBER = {"am": 0, "pm": 1}


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def load_history(tx: Any, athlete_id: int, since: date, until: date) -> list[PastSession]:
    """Activities and manual sessions on local days ``since`` up to ``until`` (exclusive), as
    planner history. Days are the athlete's local days, as in the daily series. Read once a
    transaction until it writes (store.memo); each caller gets its own list."""
    from stridewise.store.memo import remembered_in

    return list(remembered_in(tx, ("history", athlete_id, since, until),
                              lambda: tuple(_load_history(tx, athlete_id, since, until))))


def _load_history(tx: Any, athlete_id: int, since: date, until: date) -> list[PastSession]:
    from stridewise.store.export import local_time

    athlete = tx.get_athlete(athlete_id)
    zone = athlete.time_zone if athlete is not None else "UTC"
    # one day of margin each side in UTC, then exact local-day filtering
    lo, hi = _utc(since - timedelta(days=1)), _utc(until + timedelta(days=1))
    out = []
    for a in tx.list_activities(athlete_id, since=lo, until=hi):
        kind = SPORT_KIND.get(a.sport)
        day = local_time(a.start_time_utc, a.utc_offset_s, zone).date()
        if kind is not None and since <= day < until:
            run_s, bout_s = (_running_and_bout_s(tx, athlete_id, a.id)
                             if kind is SessionKind.EASY_RUN else (None, None))
            out.append(PastSession(day, kind, float(a.moving_s), a.distance_m, a.rpe, run_s,
                                   bout_s))
    for s in tx.list_manual_sessions(athlete_id, since=lo, until=hi):
        kind = SPORT_KIND.get(s.kind)
        day = local_time(s.start_time_utc, None, zone).date()
        if kind is not None and since <= day < until:
            out.append(PastSession(day, kind, float(s.duration_s), s.distance_m, s.rpe))
    return sorted(out, key=lambda p: p.day)


def device_walking(tx: Any, athlete_id: int, since: date, until: date
                   ) -> tuple[tuple[date, float], ...]:
    """Brisk walking minutes a phone or platform export counted on local days ``since`` up to
    ``until`` (exclusive), outside recorded sessions: the daily series' numbers
    (series.measures.device_walking_days), for the walking baseline."""
    from stridewise.series.daily import daily_series
    from stridewise.series.frames import frames_in
    from stridewise.series.measures import device_walking_days

    # Most people have no phone export: one small query, not the whole history, says so.
    if until <= since or not tx.list_daily_measures(athlete_id, since, until):
        return ()
    frames = frames_in(tx, athlete_id)
    return device_walking_days(daily_series(frames, start=since,
                                            through=until - timedelta(days=1)))


def activity_loads(tx: Any, athlete_id: int, today: date) -> frozenset[Any]:
    """What the person actually does (science.pain.Load): the loads of their active plan from
    ``today`` on and of the sessions of the last 4 weeks, so a pain stop names those."""
    from stridewise.plan.templates import KIND_LOADS, session_loads
    from stridewise.science.pain import Load

    loads: set[Load] = set()
    loaded = load_plan(tx, athlete_id)
    if loaded is not None:
        for s in loaded[1].sessions:
            if s.day >= today and s.active:
                loads |= session_loads(s)
        # What a re-plan took out ('changed') is still what the person does: a pain stop
        # names the same loads before and after it re-made the plan (one sentence on every
        # face, at check-in and in Today alike).
        for row in tx.list_planned_sessions(athlete_id, loaded[0], since=today):
            if row.status == "changed" and row.details:
                loads |= session_loads(PlannedSession.from_dict(row.details))
    for past in load_history(tx, athlete_id, today - timedelta(weeks=4), today + timedelta(1)):
        if past.kind in (SessionKind.EASY_RUN, SessionKind.RUN_WALK, SessionKind.LONG_RUN):
            loads.add(Load.RUNNING)
        else:
            loads |= KIND_LOADS.get(past.kind, frozenset())
    return frozenset(loads)


def _running_and_bout_s(tx: Any, athlete_id: int, activity_id: int
                        ) -> tuple[float | None, float | None]:
    """Seconds actually spent running (run/walk counts only the runs) and the longest
    continuous running bout, from the stored stream, fetched once; None when unknown."""
    from stridewise.summary import longest_running_bout_s, running_seconds

    stream = tx.get_stream(athlete_id, activity_id)
    if not stream:
        return None, None
    return running_seconds(stream), longest_running_bout_s(stream)


def age_on(birth_year: int | None, day: date) -> int | None:
    """Age in whole years on ``day`` from a birth year alone (the profile keeps no birthday):
    the age reached during that calendar year. None when the year is unknown; never 0 for a
    missing year."""
    if birth_year is None:
        return None
    return day.year - birth_year


def athlete_age(tx: Any, athlete_id: int, today: date) -> int | None:
    """The one age rule (``Core.age`` and the planner both read it): from the profile's birth
    year; without one, the age the latest screening was answered with, plus the whole years
    since (the screening asks the age, so a screened person always has one); None when
    neither is known. Never a made-up default."""
    athlete = tx.get_athlete(athlete_id)
    age = age_on(athlete.birth_year if athlete is not None else None, today)
    if age is not None:
        return age
    rows = tx.list_screenings(athlete_id)
    answers = (rows[-1].answers or {}) if rows else {}
    screened = (answers.get("bone") or {}).get("age_years") or (
        answers.get("parq") or {}).get("age_years")
    if not screened:
        return None
    taken = rows[-1].taken_at_utc.date()
    return int(screened) + max(0, (today - taken).days // 365)


def latest_screening(tx: Any, athlete_id: int) -> ScreeningFacts | None:
    from stridewise.science.screening import ScreeningResult

    rows = tx.list_screenings(athlete_id)
    if not rows:
        return None
    from dataclasses import replace

    facts = ScreeningFacts.from_screening(ScreeningResult.from_dict(rows[-1].result))
    bone = (rows[-1].answers or {}).get("bone") or {}
    facts = replace(facts, walking_days_per_week=bone.get("walking_days_per_week"),
                    walking_minutes_per_day=bone.get("walking_minutes_per_day"))
    return after_falls(tx, athlete_id, facts, rows[-1].taken_at_utc)


def after_falls(tx: Any, athlete_id: int, facts: ScreeningFacts,
                screened_at: datetime) -> ScreeningFacts:
    """A fall logged in a check-in since the screening moves the plan to the balance-and-
    strength phase until the person answers the screening questions again (World Falls
    Guidelines: a new fall is a reason to reassess; science/falls.py), and asks them to."""
    from dataclasses import replace

    from stridewise.plan.inputs import BALANCE_FIRST

    falls = [row for row in tx.list_checkins(athlete_id, since=screened_at)
             if row.fell and row.at_utc > screened_at]
    if not falls:
        return facts
    athlete = tx.get_athlete(athlete_id)
    zone = ZoneInfo(athlete.time_zone if athlete is not None and athlete.time_zone else "UTC")
    day = falls[-1].at_utc.astimezone(zone).date()
    notice = (f"You logged a fall on {day.day} {day:%B}. Please answer the screening questions "
              "again (stridewise screen, or Screening in the dashboard) so your plan fits you; "
              "until then it stays in its balance-and-strength phase, with nothing harder than "
              "brisk walking.")
    return replace(facts, permitted_impact=BALANCE_FIRST, may_run=False, balance_first=True,
                   limit_reason=f"you logged a fall on {day.day} {day:%B}",
                   notices=(*facts.notices, notice))


def save_plan(tx: Any, athlete_id: int, plan: Plan, params: dict[str, Any]) -> int:
    row = tx.add_plan(athlete_id, plan.goal.value, {**params, "plan": _header(plan)})
    _add_sessions(tx, athlete_id, row.id, plan.sessions)
    return int(row.id)


def replace_future(tx: Any, athlete_id: int, plan_id: int, plan: Plan, today: date,
                   changes: tuple[PlanChange, ...], params: dict[str, Any], *,
                   superseded: str = "changed") -> None:
    """Sessions from today still planned are superseded (kept, marked ``superseded``: 'changed'
    for a re-plan, 'cancelled' when the plan stops) and the new ones added, except where a
    session already marked done or missed holds that day's slot."""
    kept: set[tuple[date, int]] = set()
    words = "re-planned" if superseded == "changed" else "cancelled: see a doctor first"
    for row in tx.list_planned_sessions(athlete_id, plan_id, since=today):
        if row.status == "planned":
            tx.set_planned_status(athlete_id, row.id, superseded, words)
        elif row.status in ("done", "missed"):
            kept.add((row.date, row.slot))
    for row in tx.list_planned_sessions(athlete_id, plan_id, until=today):
        match = [s for s in plan.sessions if s.day == row.date and s.status == "missed"
                 and SLOT_NUMBER[s.slot] == row.slot and s.kind.value == row.kind]
        if match and row.status == "planned":
            tx.set_planned_status(athlete_id, row.id, "missed", "not recorded")
    _add_sessions(tx, athlete_id, plan_id, [s for s in plan.sessions if s.day >= today
                                            and (s.day, SLOT_NUMBER[s.slot]) not in kept])
    stored = tx.get_plan(athlete_id, plan_id)
    stored.goal = plan.goal.value
    stored.params = {**params, "plan": _header(plan)}
    for change in changes:
        tx.add_plan_change(athlete_id, plan_id, change.reason, change.details)


def load_plan(tx: Any, athlete_id: int) -> tuple[int, Plan, dict[str, Any]] | None:
    row = tx.active_plan(athlete_id)
    if row is None:
        return None
    sessions = tuple(PlannedSession.from_dict({**r.details, "status": r.status})
                     for r in tx.list_planned_sessions(athlete_id, row.id)
                     if r.status not in ("changed", "cancelled"))
    header = row.params["plan"]
    plan = Plan(Goal(row.goal), date.fromisoformat(header["start"]),
                date.fromisoformat(header["end"]), sessions, tuple(header["notes"]),
                bool(header["beginner"]))
    return int(row.id), plan, dict(row.params)


def _header(plan: Plan) -> dict[str, Any]:
    return {"start": plan.start.isoformat(), "end": plan.end.isoformat(),
            "notes": list(plan.notes), "beginner": plan.beginner}


def _add_sessions(tx: Any, athlete_id: int, plan_id: int, sessions: Any) -> None:
    for s in sessions:
        tx.add_planned_session(athlete_id, plan_id, s.day, s.kind.value, slot=SLOT_NUMBER[s.slot],
                               duration_s=float(s.duration_s), distance_m=s.distance_m,
                               details=s.to_dict(), status=s.status
                               if s.status in ("planned", "done", "missed") else "planned",
                               reason=s.reason)


def history_window(start: date) -> tuple[date, date]:
    """The 8 weeks before ``start`` the planner reads."""
    return start - timedelta(weeks=8), start
