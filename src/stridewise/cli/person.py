"""Person commands: the profile (`stridewise profile show|set`) and logging by hand
(`stridewise log session|checkin`). Options and helpers are shared with cli/data.py."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from stridewise.cli import data_inputs as inp
from stridewise.cli.data import (
    AthleteOption,
    DbOption,
    athlete_id_for,
    athlete_prefs,
    fail,
    opened,
    out,
)
from stridewise.core.validation import parse_day
from stridewise.science.questionnaires import DOCTOR_CLEARED_QUESTION


def register(app: typer.Typer) -> None:
    profile = typer.Typer(help="Show or set the athlete profile.", no_args_is_help=True)
    profile.command("show")(profile_show)
    profile.command("set")(profile_set)
    app.add_typer(profile, name="profile")
    log = typer.Typer(help="Log a session or a check-in by hand.", no_args_is_help=True)
    log.command("session")(log_session)
    log.command("checkin")(log_checkin)
    app.add_typer(log, name="log")


def profile_show(db: DbOption = None, athlete: AthleteOption = None) -> None:
    """Show the athlete profile."""
    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete)
        with store.transaction() as tx:
            a = tx.get_athlete(athlete_id)
            mass = tx.latest_body_mass(athlete_id)
    assert a is not None

    def hr(value: float | None, estimated: bool) -> str:
        if value is None:
            return "not set"
        return f"{value:.0f} bpm" + (" (estimated)" if estimated else "")

    table = Table(title=f"Profile: {a.name}", show_header=False)
    table.add_row("sex", a.sex or "not set")
    table.add_row("birth year", str(a.birth_year) if a.birth_year else "not set")
    table.add_row(
        "body mass", f"{mass.mass_kg:.1f} kg on {mass.measured_on}" if mass else "not set"
    )
    source = a.resting_hr_source  # a device's (phone export), shown as where it came from
    table.add_row("resting heart rate", hr(a.resting_hr_bpm, a.resting_hr_estimated)
                  + (f" (from {source.replace('_', ' ')})" if source else ""))
    table.add_row("maximum heart rate", hr(a.max_hr_bpm, a.max_hr_estimated))
    table.add_row("units", a.units)
    table.add_row("time zone", a.time_zone)
    out.print(table)


def profile_set(
    db: DbOption = None,
    athlete: AthleteOption = None,
    sex: Annotated[str | None, typer.Option(help="female or male")] = None,
    birth_year: Annotated[int | None, typer.Option()] = None,
    mass_kg: Annotated[float | None, typer.Option(help="Body mass in kg.")] = None,
    mass_date: Annotated[
        str | None, typer.Option(help="Day of the body mass (YYYY-MM-DD, default today).")
    ] = None,
    resting_hr: Annotated[float | None, typer.Option(help="Resting heart rate, bpm.")] = None,
    max_hr: Annotated[float | None, typer.Option(help="Measured maximum heart rate, bpm.")] = None,
    units: Annotated[str | None, typer.Option(help="km or mi")] = None,
    time_zone: Annotated[str | None, typer.Option(help="e.g. Europe/Paris")] = None,
) -> None:
    """Set profile fields (others stay as they are); --athlete NAME creates a new athlete."""
    from stridewise.core.app import Core

    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete, create=True)
        try:
            core = Core(store)
            # One set of rules on every face (Core.update_profile): ranges, a weighing not in
            # the future, resting below maximum heart rate against the stored values too.
            core.update_profile(
                core.context(athlete_id), sex=sex, birth_year=birth_year,
                resting_hr_bpm=resting_hr, max_hr_bpm=max_hr, units=units,
                time_zone=time_zone, body_mass_kg=mass_kg,
                mass_on=parse_day(mass_date, field="mass_date") if mass_date else None)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    profile_show(db=db, athlete=athlete)


def log_session(
    kind: Annotated[
        str, typer.Option("--type", help="run, walk, strength, balance, impact, other")
    ],
    duration: Annotated[str, typer.Option(help="45 (minutes), 1h05m or h:mm:ss")],
    db: DbOption = None,
    athlete: AthleteOption = None,
    start: Annotated[str | None, typer.Option(help="When it started (default now).")] = None,
    distance: Annotated[str | None, typer.Option(help="5, 5km, 3.1mi or 800m")] = None,
    rpe: Annotated[float | None, typer.Option(help="Effort 0-10 (CR-10).")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Log a session done without a recording device."""
    from stridewise.activity import ManualSession
    from stridewise.core.app import Core

    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete)
        units, zone = athlete_prefs(store, athlete_id)
        try:
            entry = ManualSession(
                start_time_utc=inp.parse_local_time(start, zone),
                kind=kind,
                duration_s=inp.parse_duration_s(duration),
                distance_m=inp.parse_distance_m(distance, units) if distance else None,
                rpe=rpe,
                notes=notes,
            )
            core = Core(store)
            row = core.log_session(core.context(athlete_id), entry)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    out.print(
        f"Logged {row.kind} #{row.id}: {inp.format_duration(row.duration_s)}"
        + (f", {inp.format_distance(row.distance_m, units)}" if row.distance_m else "")
    )


def log_checkin(
    db: DbOption = None,
    athlete: AthleteOption = None,
    at: Annotated[str | None, typer.Option(help="When (default now).")] = None,
    pain_site: Annotated[str | None, typer.Option(
        help="Where it hurts, from the body-wide list (science/questionnaires.py), e.g. "
             "'left shin' or left_shin.")] = None,
    pain_score: Annotated[int | None, typer.Option(help="0 (none) to 10 (worst).")] = None,
    pain_timing: Annotated[
        str | None, typer.Option(help="during, after, next_morning, at_rest or at_night")
    ] = None,
    bone_tender: Annotated[
        bool | None,
        typer.Option("--bone-tender/--no-bone-tender", help="Pinpoint tenderness on a bone?"),
    ] = None,
    fell: Annotated[bool | None, typer.Option("--fell/--no-fall", help="Did you fall?")] = None,
    doctor_cleared: Annotated[bool, typer.Option(
        "--doctor-cleared", help=DOCTOR_CLEARED_QUESTION)] = False,
    sleep_hours: Annotated[float | None, typer.Option()] = None,
    sleep_quality: Annotated[int | None, typer.Option(help="1 (poor) to 5 (great).")] = None,
    who5: Annotated[str | None, typer.Option(help="Five WHO-5 answers 0-5: 3,4,3,2,5")] = None,
    energy: Annotated[int | None, typer.Option(help="1 (drained) to 5 (full of energy).")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Log how you feel: pain, sleep, wellbeing (WHO-5), energy, falls. The pain rules are
    applied at once and the plan re-made when their answer changed, as on the dashboard."""

    from stridewise.core.app import Core
    from stridewise.science.pain import PainAction
    from stridewise.science.questionnaires import pain_site as site_named
    from stridewise.store import CheckInInput

    def pain_site_words(text: str) -> str:
        return site_named(text).words

    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete)
        _, zone = athlete_prefs(store, athlete_id)
        try:
            # One list of sites on every face: refused by name when not on it.
            site = pain_site_words(pain_site) if pain_site else None
            checkin = CheckInInput(
                at_utc=inp.parse_local_time(at, zone), pain_site=site,
                pain_score=pain_score, pain_timing=pain_timing, pain_localised_bone=bone_tender,
                fell=fell, doctor_cleared=doctor_cleared or None, sleep_hours=sleep_hours,
                sleep_quality=sleep_quality,
                who5=inp.parse_who5(who5) if who5 else None, energy=energy, notes=notes,
            )
            core = Core(store)
            outcome = core.record_checkin(core.context(athlete_id), checkin)
        except ValueError as exc:
            raise fail(str(exc)) from exc
        row, decision, changes = outcome.row, outcome.decision, outcome.changes
    out.print(f"Check-in #{row.id} saved.")
    if decision is not None and decision.action is not PainAction.CONTINUE:
        out.print(f"About your pain: {decision.reason}", markup=False)
    for reason in changes:
        out.print(f"Plan changed: {reason}", markup=False)
    if fell:
        out.print(
            "Sorry to hear you fell. If you hit your head, feel dizzy or confused, or cannot "
            "put weight on a limb, see a doctor today. Tell your doctor about falls: they can "
            "check balance and bone health. Please answer the screening questions again "
            "(stridewise screen) so your plan fits you.", markup=False
        )
