"""Plan commands: `stridewise plan new|show|export` and `stridewise today`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DB_HELP = "Database URL (default: $STRIDEWISE_DB or the local database)."


def _weekdays(text: str) -> frozenset[int]:
    days = [d.strip().lower()[:3] for d in text.split(",") if d.strip()]
    unknown = [d for d in days if d not in DAY_NAMES]
    if unknown or not days:
        raise typer.BadParameter(f"use day names like mon,wed,fri (got {text!r})")
    return frozenset(DAY_NAMES.index(d) for d in days)


def _inputs(tx: Any, athlete_id: int, params: dict[str, Any], start: date) -> Any:
    from stridewise.plan.inputs import PlanInputs
    from stridewise.plan.model import Availability, Goal, Profile
    from stridewise.plan.persist import history_window, latest_screening, load_history

    athlete = tx.get_athlete(athlete_id)
    age = start.year - athlete.birth_year if athlete and athlete.birth_year else 50
    profile = Profile(age, (athlete.sex if athlete else None) or "other",
                      (athlete.units if athlete else None) or "km")
    screening = latest_screening(tx, athlete_id)
    if screening is None:
        raise typer.BadParameter("no screening yet: run `stridewise screen` first")
    since, until = history_window(start)
    return PlanInputs(
        screening, profile, load_history(tx, athlete_id, since, until),
        Availability(frozenset(params["weekdays"]), int(params["minutes_per_day"])),
        start, Goal(params["goal"]), params.get("weeks"),
    ), screening


def register(app: typer.Typer) -> None:
    plan_app = typer.Typer(help="Make, show and export your training plan.", no_args_is_help=True)
    app.add_typer(plan_app, name="plan")

    @plan_app.command("new")
    def plan_new(
        goal: str = typer.Option("start", "--goal",
                                 help="start, 5k, 5mi, 25day, maintain or bone."),
        days: str = typer.Option("mon,wed,fri,sat", "--days", help="Days you are free."),
        minutes: int = typer.Option(45, "--minutes", help="Minutes free on those days."),
        start: str | None = typer.Option(None, "--start", help="First day (YYYY-MM-DD)."),
        weeks: int | None = typer.Option(None, "--weeks", help="Plan length in weeks."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Make a new plan from your screening and what you did in the last 8 weeks."""
        from stridewise.plan.engine import build_plan
        from stridewise.plan.inputs import PlanUnavailableError
        from stridewise.plan.persist import save_plan
        from stridewise.store import open_store

        first = date.fromisoformat(start) if start else date.today()
        params = {"goal": goal, "weekdays": sorted(_weekdays(days)), "minutes_per_day": minutes,
                  "weeks": weeks}
        with open_store(db) as store:
            athlete_id = store.default_athlete_id()
            with store.transaction() as tx:
                inputs, screening = _inputs(tx, athlete_id, params, first)
                try:
                    plan = build_plan(inputs)
                except PlanUnavailableError as refusal:
                    typer.echo(refusal.reason)
                    raise typer.Exit(1) from None
                params["screening"] = asdict(screening)
                save_plan(tx, athlete_id, plan, params)
        _show(plan, days_shown=14)

    @plan_app.command("show")
    def plan_show(
        all_days: bool = typer.Option(False, "--all", help="Every day, not just two weeks."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Show your plan, with the reason for each session and every change made to it."""
        from stridewise.plan.persist import load_plan
        from stridewise.store import open_store

        with open_store(db) as store:
            athlete_id = store.default_athlete_id()
            with store.transaction() as tx:
                found = load_plan(tx, athlete_id)
                if found is None:
                    typer.echo("No plan yet: make one with `stridewise plan new`.")
                    raise typer.Exit(1)
                plan_id, plan, _ = found
                changes = tx.list_plan_changes(plan_id)
        _show(plan, days_shown=None if all_days else 14)
        for change in changes[-10:]:
            typer.echo(f"Change: {change.reason}")

    @plan_app.command("export")
    def plan_export(
        ics: Path | None = typer.Option(None, "--ics", help="Write an iCalendar file here."),
        fit: Path | None = typer.Option(None, "--fit", help="Write FIT workouts to this folder."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Export the plan to your calendar (ICS) and your watch (FIT workouts)."""
        from stridewise.plan.export_fit import session_to_fit
        from stridewise.plan.export_ics import plan_to_ics
        from stridewise.plan.model import RUN_KINDS
        from stridewise.plan.persist import load_plan
        from stridewise.store import open_store

        with open_store(db) as store:
            athlete_id = store.default_athlete_id()
            with store.transaction() as tx:
                found = load_plan(tx, athlete_id)
                n_changes = len(tx.list_plan_changes(found[0])) if found else 0
        if found is None:
            typer.echo("No plan yet: make one with `stridewise plan new`.")
            raise typer.Exit(1)
        plan_id, plan, _ = found
        if ics is not None:
            ics.write_bytes(plan_to_ics(plan, str(plan_id), stamp=datetime.now(UTC),
                                        sequence=n_changes))
            typer.echo(f"Calendar written to {ics}")
        if fit is not None:
            fit.mkdir(parents=True, exist_ok=True)
            runs = [s for s in plan.sessions if s.kind in RUN_KINDS and s.status == "planned"
                    and s.day >= date.today()]
            for number, session in enumerate(runs, start=1):
                (fit / f"{session.day:%Y%m%d}_{session.slot}.fit").write_bytes(
                    session_to_fit(session, serial_number=number))
            typer.echo(f"{len(runs)} FIT workouts written to {fit}")

    @app.command("today")
    def today(
        on: str | None = typer.Option(None, "--date", help="Another day (YYYY-MM-DD)."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """What to do today, why, and any warning."""
        from stridewise.cli.plan_today import today_answer
        from stridewise.store import open_store

        day = date.fromisoformat(on) if on else date.today()
        with open_store(db) as store:
            athlete_id = store.default_athlete_id()
            with store.transaction() as tx:
                lines = today_answer(tx, athlete_id, day)
        for line in lines:
            typer.echo(line)


def _show(plan: Any, days_shown: int | None) -> None:
    from stridewise.plan.templates import SESSION_LABEL

    typer.echo(f"Plan: {plan.goal.value}, {plan.start} to {plan.end}")
    for note in plan.notes:
        typer.echo(f"Note: {note}")
    for s in plan.sessions:
        if days_shown is not None and (s.day - plan.start).days >= days_shown:
            break
        minutes = f", {round(s.duration_s / 60)} min" if s.duration_s else ""
        typer.echo(f"{s.day:%a %d %b} {s.slot}: {SESSION_LABEL[s.kind]}{minutes} [{s.status}]"
                   f" - {s.reason}")
