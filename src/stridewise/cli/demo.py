"""`stridewise demo`: a demo athlete from real files, through the real importer, to a report."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from stridewise import clock

if TYPE_CHECKING:
    import pandas as pd

out = Console()


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    folder: Annotated[
        Path, typer.Option("--dir", help="Where the throwaway demo database and files go.")
    ] = Path("stridewise-demo"),
    report: Annotated[
        Path, typer.Option("--report", help="Where to write the HTML report.")
    ] = Path("stridewise-demo-report.html"),
) -> None:
    """Build a demo athlete and its report in a throwaway database.

    Screens, imports real and generated files, logs strength sessions and check-ins, makes a
    plan, says what to do today and writes a self-contained report."""
    from stridewise import demo as d
    from stridewise.cli.data import import_with_progress, print_import_report
    from stridewise.monitor import load_warnings
    from stridewise.plan import service
    from stridewise.plan.inputs import PlanUnavailableError
    from stridewise.report.html import write_report
    from stridewise.series import load_daily_series, weekly_summary
    from stridewise.store import open_store

    today = clock.today(d.DEMO_TIME_ZONE)  # the demo athlete's today, in the demo's zone
    if folder.exists():
        shutil.rmtree(folder)
    files = folder / "files"
    generated = d.write_history(files / "generated", today)
    shipped = d.copy_shipped_files(files / "real")
    url = f"sqlite:///{(folder / 'demo.db').resolve()}"
    out.print(f"[bold]stridewise demo[/] in {folder}/ ({len(shipped)} real files, "
              f"{len(generated)} generated sessions)")
    with open_store(url) as store:
        athlete_id = store.default_athlete_id()
        screening = d.add_profile_and_screening(store, athlete_id)
        out.print(f"Screening: {screening.readiness.status.value}; permitted impact: "
                  f"{screening.permitted_impact.value}")
        result = import_with_progress(store, [files], athlete_id)
        print_import_report(result)
        d.add_manual_entries(store, athlete_id, today)
        try:
            service.create_plan(store, athlete_id, "start",
                                sorted(d.RUN_WEEKDAYS + d.STRENGTH_WEEKDAYS),
                                minutes_per_day=45, today=today)
        except PlanUnavailableError as refusal:
            out.print(f"No plan: {refusal.reason}")
        daily = load_daily_series(store, athlete_id, through=today)
        flags = tuple(w.text for w in load_warnings(daily, today))
        advice = service.today(store, athlete_id, today, flags).advice
        weeks = weekly_summary(daily)
        write_report(store, report, athlete_id)
    _print_week(weeks)
    out.print(f"\n[bold]Today:[/] {advice.headline}\n[bold]Why:[/] {advice.why}")
    for warning in advice.warnings:
        out.print(f"[bold yellow]Warning:[/] {warning}")
    out.print(f"\nReport written to [bold]{report}[/] (open it in any browser; works offline).")
    out.print(f"Dashboard: [bold]stridewise serve --db {url}[/]")
    if result.failed:
        raise typer.Exit(1)


def _print_week(weeks: pd.DataFrame) -> None:
    table = Table(title="The last four weeks")
    for column in ("week of", "WHO minutes (goal 150)", "strength days", "run km",
                   "bone stimulus", "same minutes walked"):
        table.add_column(column, justify="right")
    for row in weeks.tail(4).to_dict("records"):
        table.add_row(f"{row['week']:%d %b}", f"{row['who_equivalent_min']:.0f}",
                      str(row["strength_days"]), f"{row['run_distance_m'] / 1000:.1f}",
                      f"{row['bone_stimulus']:.0f}", f"{row['walking_equivalent_stimulus']:.0f}")
    out.print(table)
