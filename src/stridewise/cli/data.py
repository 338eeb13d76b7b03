"""Data commands: import, profile, log, activities, export.

Every command takes ``--db URL`` (or ``$STRIDEWISE_DB``; default: SQLite in the user data
directory) and ``--athlete NAME`` (default: the single-user athlete).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from stridewise.cli import data_inputs as inp

if TYPE_CHECKING:
    from stridewise.importer import ImportReport
    from stridewise.store import Store

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="STRIDEWISE_DB", help="SQLAlchemy URL of the database."),
]
AthleteOption = Annotated[
    str | None, typer.Option("--athlete", help="Athlete name (default: the single user).")
]
out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {message}")
    return typer.Exit(code)


@contextmanager
def opened(db: str | None) -> Iterator[Store]:
    from stridewise.store import open_store

    try:
        store = open_store(db)
    except Exception as exc:
        raise fail(f"cannot open the database {db or '(default)'}: {exc}") from exc
    try:
        yield store
    finally:
        store.close()


def athlete_id_for(store: Store, name: str | None, *, create: bool = False) -> int:
    if name is None:
        return store.default_athlete_id()
    with store.transaction() as tx:
        athlete = tx.get_athlete_by_name(name)
        if athlete is None and create:
            athlete = tx.add_athlete(name)
        if athlete is None:
            raise fail(f"no athlete named {name!r} (create one with `profile set --athlete`)")
        return athlete.id


def import_with_progress(
    store: Store, paths: list[Path], athlete_id: int, workers: int | None = None
) -> ImportReport:
    """Run the importer with a Rich progress bar on stderr."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from stridewise.importer import FileResult, import_paths

    bar = Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=err, transient=True,
    )
    with bar:
        task = bar.add_task("Importing", total=None)

        def advance(result: FileResult, done: int, total: int) -> None:
            bar.update(
                task, completed=done, total=total or None, description=result.source_name[-40:]
            )

        return import_paths(store, paths, athlete_id=athlete_id, workers=workers,
                            progress=advance)


def print_import_report(report: ImportReport, *, verbose: bool = False) -> None:
    """The summary table, and every failed file (every file when verbose) with its reason."""
    summary = Table(title="Import summary")
    for column in ("imported", "duplicate", "failed"):
        summary.add_column(column, justify="right")
    summary.add_row(*(str(len(report.with_status(s))) for s in ("imported", "duplicate", "failed")))
    out.print(summary)
    shown = report.files if verbose else report.failed
    if shown:
        files = Table(title="Files" if verbose else "Files that could not be imported")
        files.add_column("file", overflow="fold")
        files.add_column("status")
        files.add_column("reason", overflow="fold")
        for f in shown:
            files.add_row(f.source_name, f.status, f.reason or "; ".join(f.warnings))
        out.print(files)


def register(app: typer.Typer) -> None:
    app.command("import")(import_files)
    profile = typer.Typer(help="Show or set the athlete profile.", no_args_is_help=True)
    profile.command("show")(profile_show)
    profile.command("set")(profile_set)
    app.add_typer(profile, name="profile")
    log = typer.Typer(help="Log a session or a check-in by hand.", no_args_is_help=True)
    log.command("session")(log_session)
    log.command("checkin")(log_checkin)
    app.add_typer(log, name="log")
    activities = typer.Typer(help="List and show imported activities.", no_args_is_help=True)
    activities.command("list")(activities_list)
    activities.command("show")(activities_show)
    app.add_typer(activities, name="activities")
    app.command("export")(export)
    app.command("version")(version)


def version() -> None:
    """Print the stridewise version."""
    from stridewise import __version__

    typer.echo(__version__)


def import_files(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or zip archives.")],
    db: DbOption = None,
    athlete: AthleteOption = None,
    workers: Annotated[
        int | None, typer.Option(help="Decoding processes (default: automatic).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every file.")] = False,
) -> None:
    """Import activity files; re-running skips what is already imported."""
    with opened(db) as store:
        report = import_with_progress(store, paths, athlete_id_for(store, athlete), workers)
    print_import_report(report, verbose=verbose)
    if report.interrupted:
        raise fail("interrupted: what is shown above was saved; run the same import to resume", 130)
    if report.failed:
        raise typer.Exit(1)


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
    table.add_row("resting heart rate", hr(a.resting_hr_bpm, a.resting_hr_estimated))
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
    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete, create=True)
        try:
            measured_on = date.fromisoformat(mass_date) if mass_date else date.today()
            with store.transaction() as tx:
                tx.update_athlete(
                    athlete_id, sex=sex, birth_year=birth_year, resting_hr_bpm=resting_hr,
                    max_hr_bpm=max_hr, units=units, time_zone=time_zone,
                )
                if mass_kg is not None:
                    tx.add_body_mass(athlete_id, measured_on, mass_kg)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    profile_show(db=db, athlete=athlete)


def _athlete_prefs(store: Store, athlete_id: int) -> tuple[str, str]:
    with store.transaction() as tx:
        a = tx.get_athlete(athlete_id)
    assert a is not None
    return a.units, a.time_zone


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

    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete)
        units, zone = _athlete_prefs(store, athlete_id)
        try:
            entry = ManualSession(
                start_time_utc=inp.parse_local_time(start, zone),
                kind=kind,
                duration_s=inp.parse_duration_s(duration),
                distance_m=inp.parse_distance_m(distance, units) if distance else None,
                rpe=rpe,
                notes=notes,
            )
        except ValueError as exc:
            raise fail(str(exc)) from exc
        with store.transaction() as tx:
            row = tx.add_manual_session(athlete_id, entry)
    out.print(
        f"Logged {row.kind} #{row.id}: {inp.format_duration(row.duration_s)}"
        + (f", {inp.format_distance(row.distance_m, units)}" if row.distance_m else "")
    )


def log_checkin(
    db: DbOption = None,
    athlete: AthleteOption = None,
    at: Annotated[str | None, typer.Option(help="When (default now).")] = None,
    pain_site: Annotated[str | None, typer.Option(help="Where it hurts, e.g. 'left shin'.")] = None,
    pain_score: Annotated[int | None, typer.Option(help="0 (none) to 10 (worst).")] = None,
    pain_timing: Annotated[
        str | None, typer.Option(help="during, after, next_morning, at_rest or at_night")
    ] = None,
    bone_tender: Annotated[
        bool | None,
        typer.Option("--bone-tender/--no-bone-tender", help="Pinpoint tenderness on a bone?"),
    ] = None,
    fell: Annotated[bool | None, typer.Option("--fell/--no-fall", help="Did you fall?")] = None,
    sleep_hours: Annotated[float | None, typer.Option()] = None,
    sleep_quality: Annotated[int | None, typer.Option(help="1 (poor) to 5 (great).")] = None,
    who5: Annotated[str | None, typer.Option(help="Five WHO-5 answers 0-5: 3,4,3,2,5")] = None,
    energy: Annotated[int | None, typer.Option(help="1 (drained) to 5 (full of energy).")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Log how you feel: pain, sleep, wellbeing (WHO-5), energy, falls."""
    from stridewise.store import CheckInInput

    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete)
        _, zone = _athlete_prefs(store, athlete_id)
        try:
            checkin = CheckInInput(
                at_utc=inp.parse_local_time(at, zone), pain_site=pain_site,
                pain_score=pain_score, pain_timing=pain_timing, pain_localised_bone=bone_tender,
                fell=fell, sleep_hours=sleep_hours, sleep_quality=sleep_quality,
                who5=inp.parse_who5(who5) if who5 else None, energy=energy, notes=notes,
            )
        except ValueError as exc:
            raise fail(str(exc)) from exc
        with store.transaction() as tx:
            row = tx.add_checkin(athlete_id, checkin)
    out.print(f"Check-in #{row.id} saved.")
    if bone_tender or pain_timing in ("at_rest", "at_night"):
        out.print(
            "Pain you can press on at one spot of a bone, or pain at rest or at night, "
            "needs a rest from running. Please see a doctor or physiotherapist before your "
            "next run; this tool cannot tell what is causing it."
        )
    if fell:
        out.print(
            "Sorry to hear you fell. If you hit your head, feel dizzy or confused, or cannot "
            "put weight on a limb, see a doctor today. Tell your doctor about falls: they can "
            "check balance and bone health."
        )


def activities_list(
    db: DbOption = None,
    athlete: AthleteOption = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
    sport: Annotated[str | None, typer.Option(help="Only this sport (run, walk, ...).")] = None,
) -> None:
    """List activities, newest first."""
    from stridewise.store.export import local_time

    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete)
        units, zone = _athlete_prefs(store, athlete_id)
        with store.transaction() as tx:
            rows = tx.list_activities(athlete_id, sport=sport, limit=limit, newest_first=True)
    table = Table(title=f"{len(rows)} activities")
    for column in ("id", "start (local)", "sport", "name", "moving", "distance", "pace",
                   "avg HR", "format"):
        table.add_column(column)
    for a in rows:
        table.add_row(
            str(a.id), f"{local_time(a.start_time_utc, a.utc_offset_s, zone):%Y-%m-%d %H:%M}",
            a.sport, a.name or "", inp.format_duration(a.moving_s),
            inp.format_distance(a.distance_m, units),
            inp.format_pace(a.distance_m, a.moving_s, units),
            f"{a.avg_heart_rate_bpm:.0f}" if a.avg_heart_rate_bpm else "-", a.source_format,
        )
    out.print(table)


def activities_show(
    activity_id: Annotated[int, typer.Argument(help="Activity id (see `activities list`).")],
    db: DbOption = None,
    athlete: AthleteOption = None,
) -> None:
    """Show one activity in detail."""
    from stridewise.store.export import local_time

    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete)
        units, zone = _athlete_prefs(store, athlete_id)
        with store.transaction() as tx:
            a = tx.get_activity(activity_id)
        if a is None or a.athlete_id != athlete_id:
            raise fail(f"no activity {activity_id} for this athlete", 1)
    offset = a.utc_offset_s
    table = Table(title=f"Activity {a.id}: {a.name or a.sport}", show_header=False)
    table.add_column("field")
    table.add_column("value", overflow="fold")
    rows = {
        "sport": a.sport + (f" ({a.sub_sport})" if a.sub_sport else ""),
        "start (local)": f"{local_time(a.start_time_utc, offset, zone):%Y-%m-%d %H:%M:%S}",
        "start (UTC)": f"{a.start_time_utc:%Y-%m-%d %H:%M:%S}",
        "elapsed time": inp.format_duration(a.elapsed_s),
        "moving time": inp.format_duration(a.moving_s),
        "distance": inp.format_distance(a.distance_m, units),
        "pace (moving)": inp.format_pace(a.distance_m, a.moving_s, units),
        "ascent": f"{a.ascent_m:.0f} m" if a.ascent_m is not None else "-",
        "heart rate avg / max": (
            f"{a.avg_heart_rate_bpm:.0f} / {a.max_heart_rate_bpm:.0f} bpm"
            if a.avg_heart_rate_bpm and a.max_heart_rate_bpm else "-"
        ),
        "cadence": f"{a.avg_cadence_spm:.0f} spm" if a.avg_cadence_spm else "-",
        "steps": str(a.steps) if a.steps is not None else "-",
        "effort (RPE)": f"{a.rpe:g}" if a.rpe is not None else "-",
        "device": a.device or "-",
        "records": str(a.n_records),
        "laps": str(len(a.laps)),
        "source": f"{a.source_name or '-'} ({a.source_format})",
        "warnings": "; ".join(a.warnings) or "none",
    }
    for key, value in rows.items():
        table.add_row(key, value)
    out.print(table)


def export(
    out_path: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
    what: Annotated[str, typer.Option("--what", help="activities or daily")] = "activities",
    db: DbOption = None,
    athlete: Annotated[
        str | None, typer.Option("--athlete", help="Only this athlete (default: everyone).")
    ] = None,
) -> None:
    """Export activities, or the daily series (every metric per day), as CSV or Parquet."""
    from stridewise.series import daily_series_all
    from stridewise.store.export import activities_frame

    if fmt not in ("csv", "parquet"):
        raise fail(f"--format must be csv or parquet, got {fmt!r}")
    if what not in ("activities", "daily"):
        raise fail(f"--what must be activities or daily, got {what!r}")
    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete) if athlete else None
        frame = (activities_frame if what == "activities" else daily_series_all)(store, athlete_id)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(out_path, index=False)
    else:
        frame.to_parquet(out_path, index=False)
    out.print(f"Wrote {len(frame)} rows to {out_path}")
