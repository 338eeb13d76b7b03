"""`stridewise cohort`: research use over many people (docs/cohort.md).

``synth`` writes a synthetic cohort, ``export`` a pseudonymised dataset from stores, ``run``
the per-participant kernels on Dask plus the analyses and the HTML report, ``report`` the
report again from a finished run. The work lives in :mod:`stridewise.cohort`; this face parses
options and prints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stridewise.cli.data import fail, out


def register(app: typer.Typer) -> None:
    cohort = typer.Typer(help="Cohort analysis for research: synthetic data, export, runs on "
                              "Dask, study report.", no_args_is_help=True)
    cohort.command("synth")(synth)
    cohort.command("export")(export)
    cohort.command("run")(run)
    cohort.command("report")(report)
    app.add_typer(cohort, name="cohort")


def synth(
    athletes: Annotated[int, typer.Option("--athletes", help="How many people.")],
    years: Annotated[float, typer.Option("--years", help="Years of follow-up.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Dataset folder to write.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    partition_size: Annotated[int, typer.Option(
        "--partition-size", help="Participants per partition.")] = 250,
) -> None:
    """Write a synthetic cohort with injected effects (see docs/cohort.md)."""
    from stridewise.cohort.synth import synthesise

    if (out_dir / "dataset.json").exists():
        raise fail(f"{out_dir} already holds a dataset; choose a new folder")
    try:
        info = synthesise(out_dir, athletes, years, seed, partition_size=partition_size)
    except ValueError as exc:
        raise fail(str(exc)) from None
    out.print(f"Wrote {athletes} synthetic participants in {info.partitions} partitions "
              f"to {out_dir}.")


def export(
    out_dir: Annotated[Path, typer.Option("--out", help="Dataset folder to write.")],
    study: Annotated[str, typer.Option("--study", help="Study name (research grants are "
                                                       "per study; part of each pseudonym).")],
    key_file: Annotated[Path, typer.Option("--key-file", help="Pseudonymisation key; stays "
                                                              "with the data owner.")],
    sqlite_folder: Annotated[Path | None, typer.Option(
        "--from-sqlite-folder", help="Folder of single-user stridewise SQLite files.")] = None,
    postgres: Annotated[str | None, typer.Option(
        "--from-postgres", help="Server database URL: athletes with an active research grant "
                                "for the study only.")] = None,
    activity_folder: Annotated[Path | None, typer.Option(
        "--from-activity-folder", help="Folder with one subfolder of activity files per "
                                       "participant.")] = None,
    create_key: Annotated[bool, typer.Option(
        "--create-key", help="Create the key file if it does not exist.")] = False,
    partition_size: Annotated[int, typer.Option("--partition-size")] = 250,
    zone: Annotated[str, typer.Option(
        "--zone", help="Time zone of participants read from activity files.")] = "UTC",
) -> None:
    """Export a pseudonymised cohort dataset (ids keyed-hashed, dates shifted, birth years
    banded, no locations)."""
    from stridewise.cohort.export import ExportRefused
    from stridewise.cohort.export import export as do_export

    try:
        done = do_export(out_dir, study=study, key_file=key_file, sqlite_folder=sqlite_folder,
                         postgres_url=postgres, activity_folder=activity_folder,
                         create_key=create_key, partition_size=partition_size,
                         activity_zone=zone)
    except ExportRefused as exc:
        raise fail(str(exc)) from None
    out.print(f"Exported {done.participants} participants in {done.partitions} partitions "
              f"to {out_dir}.")
    for skipped in done.skipped:
        out.print(f"Skipped {skipped['source']}: {skipped['reason']}")


def run(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder (synth or export).")],
    results: Annotated[Path, typer.Option("--out", help="Results folder.")],
    workers: Annotated[int, typer.Option(
        "--workers", help="Local Dask worker processes (0: run in this process).")] = 2,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Address of an existing Dask scheduler (tcp://host:8786).")] = None,
    no_report: Annotated[bool, typer.Option("--no-report")] = False,
) -> None:
    """Run the kernels per participant (resumable), collate, analyse and write the report."""
    from stridewise.cohort.analyses import analyse
    from stridewise.cohort.pipeline import run_cohort
    from stridewise.cohort.report import write_report

    def said(status: dict[str, Any]) -> None:
        if status["status"] == "failed":
            out.print(f"partition {status['part']} failed: {status['reason']}")

    try:
        outcome = run_cohort(dataset, results, workers=workers, scheduler=scheduler,
                             progress=said)
    except (FileNotFoundError, ValueError) as exc:
        raise fail(str(exc)) from None
    analyse(results)
    out.print(f"{outcome.done} partitions computed, {outcome.skipped} already done, "
              f"{len(outcome.failed)} failed, in {outcome.seconds:.1f} s.")
    if not no_report:
        out.print(f"Report: {write_report(results)}")


def report(results: Annotated[Path, typer.Argument(help="Results folder of a run.")]) -> None:
    """Write the HTML report of a finished run again."""
    from stridewise.cohort.report import write_report

    if not (results / "run.json").is_file():
        raise fail(f"{results} holds no finished run (no run.json)")
    out.print(f"Report: {write_report(results)}")
