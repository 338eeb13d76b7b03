"""Every CLI command meets absurd numbers and dates with a one-line error and exit code 2,
never a traceback, and stores nothing impossible (issue 11). The ranges are the core's
(``stridewise.core.validation``), so the CLI, the pages and the API refuse the same values."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app
from stridewise.core.app import Core
from stridewise.core.validation import InvalidValue
from stridewise.science.screening import BoneInputs, ParqAnswers, Sex, screen
from stridewise.store import open_store

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
runner = CliRunner()


@pytest.fixture()
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.chdir(tmp_path)  # commands that write files write them here
    with clock.use_clock(clock.FixedClock(NOW)):
        yield f"sqlite:///{tmp_path / 'sw.db'}"


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def refused(result: Any, *words: str) -> None:
    """Exit code 2, one line of error naming the problem, no traceback."""
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                      SystemExit)
    assert "Traceback" not in result.output
    error = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(error) == 1, result.output
    for word in words:
        assert word in error[0], result.output


# -- 1. resting below maximum heart rate, against the stored profile -----------------------
def test_resting_heart_rate_is_checked_against_the_stored_maximum(url: str) -> None:
    assert run("profile", "set", "--db", url, "--max-hr", "105").exit_code == 0
    refused(run("profile", "set", "--db", url, "--resting-hr", "110"),
            "resting heart rate (110 bpm)", "maximum heart rate (105 bpm")
    assert run("profile", "set", "--db", url, "--resting-hr", "60").exit_code == 0
    # The other order: a maximum below the stored resting rate; the weight given with it is
    # not stored either.
    assert run("profile", "set", "--db", url, "--athlete", "b", "--resting-hr", "115"
               ).exit_code == 0
    refused(run("profile", "set", "--db", url, "--athlete", "b", "--max-hr", "110",
                "--mass-kg", "70"), "maximum heart rate (110 bpm)", "resting heart rate (115")
    with open_store(url) as store, store.transaction() as tx:
        one, two = tx.list_athletes()
        assert (one.resting_hr_bpm, one.max_hr_bpm) == (60, 105)
        assert (two.resting_hr_bpm, two.max_hr_bpm) == (115, None)
        assert tx.latest_body_mass(two.id) is None  # nothing half-stored


def test_the_core_refuses_crossed_heart_rates_for_every_face(url: str) -> None:
    with open_store(url) as store:
        core = Core(store)
        ctx = core.context()
        core.update_profile(ctx, resting_hr_bpm=110)
        with pytest.raises(InvalidValue) as error:
            core.update_profile(ctx, max_hr_bpm=105)
        assert error.value.field == "max_hr_bpm"
        with pytest.raises(InvalidValue):
            core.update_profile(ctx, resting_hr_bpm=100, max_hr_bpm=100)
        core.update_profile(ctx, resting_hr_bpm=50, max_hr_bpm=180)  # both at once: fine


# -- 4. one birth-year range ---------------------------------------------------------------
@pytest.mark.parametrize("year", ["1899", "2020", "2026", "99999999999999999999", "-5"])
def test_birth_year_out_of_the_one_range_is_refused(url: str, year: str) -> None:
    # On 2026-06-01 the latest birth year is 2016 (the questions are for ages 10 and up).
    refused(run("profile", "set", "--db", url, "--birth-year", year), "year of birth")


def test_birth_year_at_the_edges_is_kept(url: str) -> None:
    assert run("profile", "set", "--db", url, "--birth-year", "1900").exit_code == 0
    assert run("profile", "set", "--db", url, "--birth-year", "2016").exit_code == 0


# -- 2. dates and numbers of every command -------------------------------------------------
@pytest.mark.parametrize(("day", "words"), [
    ("0001-01-01", "before 1950"), ("9999-12-31", "more than a year ahead"),
    ("2026-02-30", "not a day of the calendar"), ("garbage", "YYYY-MM-DD"),
])
def test_today_refuses_absurd_dates_in_one_line(url: str, day: str, words: str) -> None:
    refused(run("today", "--db", url, "--date", day), "--date", words)


def _screened(url: str) -> None:
    parq = ParqAnswers(
        heart_condition_or_high_blood_pressure=False, chest_pain=False,
        dizziness_or_fainting=False, other_chronic_condition=False,
        medication_for_chronic_condition=False, bone_joint_or_soft_tissue_problem=False,
        told_supervised_activity_only=False, age_years=45, used_to_vigorous_effort=False)
    result = screen(parq, BoneInputs(sex=Sex.MALE, age_years=45, body_mass_kg=80.0))
    with open_store(url) as store, store.transaction() as tx:
        tx.add_screening(store.default_athlete_id(), {}, result.to_dict())


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--start", "1900-01-01", "cannot start before"),
    ("--start", "2099-01-01", "more than a year ahead"),
    ("--start", "2026-02-30", "not a day of the calendar"),
    ("--weeks", "100000", "between 1 and 52"),
    ("--weeks", "0", "between 1 and 52"),
    ("--minutes", "-5", "between 15 and 240"),
    ("--minutes", "99999999999999999999", "between 15 and 240"),
])
def test_plan_new_refuses_absurd_options_quickly(url: str, option: str, value: str,
                                                 words: str) -> None:
    _screened(url)
    began = time.monotonic()
    result = run("plan", "new", "--db", url, option, value)
    assert time.monotonic() - began < 30
    refused(result, f"{option}: ", words)
    with open_store(url) as store, store.transaction() as tx:
        assert tx.active_plan(store.default_athlete_id()) is None


# -- the sweep: every command, every number and date option --------------------------------
ABSURD_INT = ["-1", "0", "99999999999999999999", "-99999999999999999999", "nan", "", "1e3",
              "١٢"]
ABSURD_FLOAT = ["nan", "inf", "-inf", "1e308", "-5", "0", "99999999999999999999", "", "x"]
ABSURD_DATE = ["0001-01-01", "9999-12-31", "2026-02-30", "garbage", "0001-01-01T00:00",
               "9999-12-31T23:59:59", "2026-13-01", "1900-01-01", "2099-01-01",
               "٢٠٢٦-٠١-٠١", "0001-01-01T00:00+14:00", "9999-12-31T23:59-12:00", "\x00",
               "2026-06-01T25:00"]
ABSURD_TEXT = ["", " ", "x" * 5000, "\x00", "é🙂", "-1"]
#: What a command needs besides the option probed.
REQUIRED = {"log session": ["--type", "run", "--duration", "30"],
            "import": ["missing.fit"], "activities show": ["1"]}
#: Commands that serve, ask questions or build a demo: their options are probed elsewhere.
SKIPPED = {"serve", "screen", "demo", "brain answer"}
DATE_OPTIONS = {"date", "start", "at", "mass_date"}


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path), command


def _probes() -> list[tuple[str, str, str]]:
    probes = []
    for name, command in _commands(typer.main.get_command(app)):
        if name in SKIPPED:
            continue
        for param in command.params:
            if not type(param).__name__.endswith("Option") or param.is_flag or \
                    param.name == "db":
                continue
            kind = param.type_descriptor.annotation
            values = (ABSURD_DATE if param.name in DATE_OPTIONS else ABSURD_INT if kind is int
                      else ABSURD_FLOAT if kind is float else ABSURD_TEXT)
            probes += [(name, max(param.opts, key=len), value) for value in values]
    return probes


@pytest.mark.slow
def test_every_command_meets_absurd_values_without_a_traceback(url: str) -> None:
    probes = _probes()
    assert {"today --date", "plan new --weeks", "log checkin --at", "report --days",
            "profile set --resting-hr"} <= {f"{n} {o}" for n, o, _ in probes}
    broken = []
    for name, option, value in probes:
        result = runner.invoke(app, [*name.split(), *REQUIRED.get(name, []), option, value,
                                     "--db", url])
        crashed = result.exception is not None and not isinstance(result.exception,
                                                                  SystemExit)
        if crashed or result.exit_code not in (0, 1, 2) or "Traceback" in result.output:
            broken.append(f"{name} {option} {value[:20]!r}: {result.exception!r}")
    assert broken == []
    with open_store(url) as store, store.transaction() as tx:
        for athlete in tx.list_athletes():
            assert athlete.resting_hr_bpm is None or 25 <= athlete.resting_hr_bpm <= 120
            assert athlete.birth_year is None or 1900 <= athlete.birth_year <= 2016
            assert len(athlete.name) <= 100 and "\x00" not in athlete.name


@pytest.mark.parametrize(("notes", "words"), [("a\x00b", "control characters"),
                                              ("x" * 2001, "at most 2000 characters")])
def test_notes_the_database_cannot_hold_or_too_long_are_refused(url: str, notes: str,
                                                                words: str) -> None:
    refused(run("log", "session", "--db", url, "--type", "walk", "--duration", "30",
                "--notes", notes), words)
    refused(run("log", "checkin", "--db", url, "--energy", "3", "--notes", notes), words)
    assert run("log", "checkin", "--db", url, "--notes", "tired\nbut fine").exit_code == 0
    with open_store(url) as store, store.transaction() as tx:
        assert [c.notes for c in tx.list_checkins(store.default_athlete_id())] == [
            "tired\nbut fine"]
        assert tx.list_manual_sessions(store.default_athlete_id()) == []
