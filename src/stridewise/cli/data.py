"""Data commands: import, activities, export (profile and logging are in cli/person.py).

Every command takes ``--db URL`` (or ``$STRIDEWISE_DB``; default: SQLite in the user data
directory) and ``--athlete NAME`` (default: the single-user athlete).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from stridewise.cli import data_inputs as inp
from stridewise.present.format import format_duration, plural

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
    # One line however long (soft wrap): a terminal folds it, a script or a log reads it whole.
    err.print(f"[bold red]Error:[/] {message}", soft_wrap=True, highlight=False)
    return typer.Exit(code)


def checked(option: str, field: str, value: int) -> int:
    """A whole-number option in its range of :data:`stridewise.core.validation.RANGES`, else
    a one-line error naming the option (exit code 2)."""
    from stridewise.core.validation import InvalidValue, check_whole

    try:
        return check_whole(field, value, label=option)
    except InvalidValue as error:
        raise fail(error.message) from None


def writable(path: Path) -> Path:
    """``path`` if a file can be written there (its folder made), else a one-line error."""
    try:
        if not str(path).strip() or path.is_dir():
            raise fail(f"{str(path)!r} is not a file name: give one such as report.html")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab"):
            pass
    except OSError as error:
        raise fail(f"cannot write {str(path)[:80]!r}: {error.strerror or error}") from None
    return path


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
    with store.write_transaction() as tx:
        athlete = tx.get_athlete_by_name(name)
        if athlete is None and create:
            try:
                athlete = tx.add_athlete(name)
            except ValueError as error:
                raise fail(str(error)) from None
        if athlete is None:
            raise fail(f"no athlete named {name!r} (create one with `profile set --athlete`)")
        return athlete.id


def athlete_prefs(store: Store, athlete_id: int) -> tuple[str, str]:
    with store.transaction() as tx:
        a = tx.get_athlete(athlete_id)
    assert a is not None
    return a.units, a.time_zone


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

        class Advance:
            def __call__(self, result: FileResult, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total or None,
                           description=result.source_name[-40:])

            def on_bytes(self, done: int, total: int) -> None:
                """A phone export streamed: the bar follows its bytes."""
                bar.update(task, completed=done, total=total or None,
                           description=f"reading export {done >> 20} MiB")

        from stridewise.core.validation import MEASURE_CHECKS

        def rows_read(name: str, rows: int) -> None:  # a big session CSV
            bar.update(task, description=f"{name[-30:]}: {rows:,} rows")

        return import_paths(store, paths, athlete_id=athlete_id, workers=workers,
                            progress=Advance(), row_progress=rows_read,
                            checks=MEASURE_CHECKS)


def print_import_report(report: ImportReport, *, verbose: bool = False) -> None:
    """The summary table, and every failed file (every file when verbose) with its reason."""
    summary = Table(title="Import summary")
    replaced = ", ".join(f"#{i}" for i in report.replaced_ids) or "-"
    for column in ("imported", "replaced", "duplicate", "failed"):
        summary.add_column(column, justify="right")
    summary.add_row(str(len(report.stored)), replaced, str(len(report.duplicates)),
                    str(len(report.failed)))
    out.print(summary)
    out.print(report.summary_line())
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
    if workers is not None:
        checked("--workers", "import_workers", workers)
    with opened(db) as store:
        report = import_with_progress(store, paths, athlete_id_for(store, athlete), workers)
    print_import_report(report, verbose=verbose)
    if report.interrupted:
        raise fail("interrupted: what is shown above was saved; run the same import to resume", 130)
    if report.failed:
        raise typer.Exit(1)


def activities_list(
    db: DbOption = None,
    athlete: AthleteOption = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
    sport: Annotated[str | None, typer.Option(help="Only this sport (run, walk, ...).")] = None,
) -> None:
    """List activities, newest first."""
    from stridewise.store.export import local_time

    checked("--limit", "list_limit", limit)
    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete)
        units, zone = athlete_prefs(store, athlete_id)
        with store.transaction() as tx:
            rows = tx.list_activities(athlete_id, sport=sport, limit=limit, newest_first=True)
    table = Table(title=plural(len(rows), "activity", "activities"), box=box.SIMPLE_HEAD,
                  pad_edge=False)
    # Fits 80 columns: dates and numbers never wrap or get cut; only the name wraps.
    for column in ("id", "start (local)", "sport", "moving", "distance", f"min/{units}", "HR",
                   "file"):
        table.add_column(column, no_wrap=True, overflow="ignore")
    table.add_column("name", overflow="fold", ratio=1, min_width=8)
    for a in rows:
        table.add_row(
            str(a.id), f"{local_time(a.start_time_utc, a.utc_offset_s, zone):%Y-%m-%d %H:%M}",
            a.sport, format_duration(a.moving_s),
            inp.format_distance(a.distance_m, units),
            inp.format_pace(a.distance_m, a.moving_s, units).removesuffix(f" /{units}"),
            f"{a.avg_heart_rate_bpm:.0f}" if a.avg_heart_rate_bpm else "-", a.source_format,
            a.name or "",
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
        units, zone = athlete_prefs(store, athlete_id)
        with store.transaction() as tx:
            a = tx.get_activity(athlete_id, activity_id)
        if a is None:
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
    from stridewise.store.export import activities_frame, write_csv

    if fmt not in ("csv", "parquet"):
        raise fail(f"--format must be csv or parquet, got {fmt!r}")
    if what not in ("activities", "daily"):
        raise fail(f"--what must be activities or daily, got {what!r}")
    writable(out_path)
    with opened(db) as store:
        athlete_id = athlete_id_for(store, athlete) if athlete else None
        frame = (activities_frame if what == "activities" else daily_series_all)(store, athlete_id)
    if fmt == "csv":
        write_csv(frame, out_path)
    else:
        frame.to_parquet(out_path, index=False)
    out.print(f"Wrote {len(frame)} rows to {out_path}")
