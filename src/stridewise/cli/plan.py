"""Plan commands: `stridewise plan new|show|export` and `stridewise today`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from stridewise import clock
from stridewise.cli.data import fail
from stridewise.core.validation import InvalidValue, parse_day
from stridewise.present.format import plural

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DB_HELP = "Database URL (default: $STRIDEWISE_DB or the local database)."


def _weekdays(text: str) -> frozenset[int]:
    days = [d.strip().lower()[:3] for d in text.split(",") if d.strip()]
    unknown = [d for d in days if d not in DAY_NAMES]
    if unknown or not days:
        raise typer.BadParameter(f"use day names like mon,wed,fri (got {text!r})")
    return frozenset(DAY_NAMES.index(d) for d in days)


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
        from stridewise.core.app import Core
        from stridewise.plan.inputs import PlanUnavailableError
        from stridewise.plan.persist import load_plan
        from stridewise.store import open_store

        with open_store(db) as store:
            core = Core(store)
            ctx = core.context()
            athlete_id = ctx.athlete_id
            try:
                first = parse_day(start, field="start") if start else ctx.today
                # The core checks the start, minutes and weeks (core.validation) first.
                core.make_plan(ctx, goal, _weekdays(days), minutes, start=first, weeks=weeks)
            except PlanUnavailableError as refusal:
                typer.echo(refusal.reason)
                raise typer.Exit(1) from None
            except InvalidValue as error:
                option = {"plan_minutes_per_day": "--minutes", "plan_weeks": "--weeks"}.get(
                    error.field, "--start")
                raise fail(f"{option}: {error.message}") from None
            except ValueError as error:
                raise typer.BadParameter(str(error)) from None
            with store.transaction() as tx:
                found = load_plan(tx, athlete_id)
        assert found is not None
        _show(found[1], days_shown=14)

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
                changes = tx.list_plan_changes(athlete_id, plan_id)
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
        from stridewise.plan.downloads import fit_workouts, plan_ics
        from stridewise.store import open_store

        with open_store(db) as store:
            athlete_id = store.default_athlete_id()
            today = _local_today(store, athlete_id)
            calendar = plan_ics(store, athlete_id, today)
            workouts = fit_workouts(store, athlete_id, today)
        if calendar is None:
            typer.echo("No plan yet: make one with `stridewise plan new`.")
            raise typer.Exit(1)
        if ics is not None:
            ics.write_bytes(calendar)
            typer.echo(f"Calendar written to {ics}")
        if fit is not None:
            fit.mkdir(parents=True, exist_ok=True)
            for name, data in workouts:
                (fit / name).write_bytes(data)
            if workouts:
                typer.echo(f"{plural(len(workouts), 'FIT workout')} written to {fit}")
            else:
                # A walking or strength plan is not a failure: say why the folder is empty.
                typer.echo("No FIT workouts written: they are made for running sessions only, "
                           "and this plan has no running sessions from today on.")

    @app.command("today")
    def today(
        on: str | None = typer.Option(None, "--date", help="Another day (YYYY-MM-DD)."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON, each "
                                     "advice item with the id of the rule that said it."),
    ) -> None:
        """What to do today, why, and any warning. For another day (--date) the answer is
        advice only: the plan is re-made from the real today, never from another day."""
        from stridewise.core.app import Core
        from stridewise.store import open_store

        with open_store(db) as store:
            core = Core(store)
            ctx = core.context()
            try:
                day = parse_day(on) if on else ctx.today
                answer = core.advice(ctx, day)
            except InvalidValue as error:
                raise fail(f"--date: {error.message}") from None
        advice = answer.advice
        if as_json:
            typer.echo(json.dumps({
                "day": day.isoformat(), "headline": advice.headline, "why": advice.why,
                "advice": [{"id": w.id, "tone": w.tone, "text": w.text}
                           for w in answer.warnings],
                "plan_changes": list(answer.changes),
            }, indent=2))
            return
        typer.echo(f"Today ({day:%A %d %B}): {advice.headline}")
        typer.echo(f"Why: {advice.why}")
        for warning in answer.warnings:
            typer.echo(f"Warning: {warning.text}")
        for reason in answer.changes:
            typer.echo(f"Plan changed: {reason}")


def _local_today(store: Any, athlete_id: int) -> date:
    """The athlete's own today (their time zone), as the dashboard uses."""
    from stridewise.monitor import zone_of

    return clock.today(zone_of(store, athlete_id))


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
