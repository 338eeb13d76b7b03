"""`stridewise screen`: the readiness and bone-health questions, the outcome, a doctor summary.

Answers come from the keyboard (plain yes/no questions) or from a JSON file
(``{"parq": {...}, "bone": {...}}``), checked with the same typed models as the JSON API
(:mod:`stridewise.core.screening_inputs`): yes/no answers are JSON ``true``/``false`` only, and
every refusal names its field. ``stridewise screen --schema`` prints the JSON Schema;
docs/screening-answers.md has a complete example. The result is stored in the database unless
``--no-save``.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.panel import Panel

from stridewise import clock
from stridewise.core.validation import RANGES
from stridewise.science import questionnaires as q
from stridewise.science.falls import FALLS_COUNT_QUESTION, FALLS_QUESTIONS
from stridewise.science.fracture_history import (
    FRACTURE_DATES_QUESTION,
    SINCE_50_QUESTION,
    parse_fracture_dates,
)
from stridewise.science.parq import FOLLOW_UP_CATEGORIES, PARQ_QUESTIONS, ParqAnswers
from stridewise.science.screening import (
    FALLS_LABELS,
    IMPACT_LABELS,
    LOW_TRAUMA_HINT,
    MAX_FRACTURES_PER_SITE,
    READINESS_LABELS,
    SINCE_50_HINT,
    SITE_WORDS,
    SPINE_BIGGER_ACCIDENT_QUESTION,
    BoneInputs,
    EnergyAvailability,
    Ethnicity,
    Fracture,
    FractureSite,
    ScreeningResult,
    Sex,
    TriadInputs,
    asks_since_50,
    broke_a_bone_question,
    fractures_at,
    low_trauma_question,
    screen,
)


def _ask_optional_number(text: str, low: float, high: float) -> float | None:
    """Ask for a number between ``low`` and ``high``; an empty answer means not known."""
    while True:
        answer: str = typer.prompt(text, default="", show_default=False)
        if not answer.strip():
            return None
        try:
            value = float(answer)
        except ValueError:
            value = float("nan")
        if low <= value <= high:
            return value
        typer.echo(f"Please give a number from {low:g} to {high:g}, or leave it empty.")


def _ask_count(text: str, low: int, high: int, default: int | None = None) -> int:
    """Ask for a whole number between ``low`` and ``high``, asking again until it is one."""
    while True:
        value: int = typer.prompt(text, type=int, default=default)
        if low <= value <= high:
            return value
        typer.echo(f"Please give a number from {low} to {high}.")


def _confirm(text: str, hint: str = "") -> bool:
    """A yes/no question with its hint on the line under it, just before ``[y/N]``: the hint
    is read with its question, never before it."""
    return typer.confirm(f"{text}\n  ({hint})" if hint else text, default=False)


@dataclasses.dataclass(frozen=True)
class AboutYou:
    """Asked first, because later questions depend on them (pregnancy on sex and age, the
    fracture questions on age)."""

    age_years: int
    sex: Sex
    body_mass_kg: float | None


def ask_about_you(console: Console) -> AboutYou:
    console.print("[bold]About you[/bold]")
    # The ranges of the profile (core.validation), as the dashboard's first step.
    age = RANGES["age_years"]
    age_years = _ask_count(q.AGE_QUESTION, int(age.low), int(age.high))
    sex = Sex(typer.prompt(q.SEX_QUESTION, type=Sex))
    mass = RANGES["body_mass_kg"]
    body_mass_kg = _ask_optional_number(q.BODY_MASS_QUESTION, mass.low, mass.high)
    return AboutYou(age_years, sex, body_mass_kg)


def ask_parq(console: Console, about: AboutYou,
             asked_follow_ups: set[str] | None = None) -> ParqAnswers:
    """Ask the seven PAR-Q+ questions, the follow-ups when any answer is yes, and the four
    questions on health now (pregnancy only of women of an age where it applies).
    ``asked_follow_ups`` collects the ids of the follow-up questions asked, so a later step
    does not ask the same thing again."""
    console.print("\n[bold]Health questions[/bold] (answer y or n)")
    main: dict[str, bool] = {}
    for question in PARQ_QUESTIONS:
        main[question.id] = _confirm(question.text, question.hint)
    follow_up_yes: set[str] = set()
    if any(main.values()):
        console.print("\n[bold]A few follow-up questions[/bold], because you answered yes above.")
        for category in FOLLOW_UP_CATEGORIES:
            if typer.confirm(category.condition, default=False):
                for item in category.items:
                    if asked_follow_ups is not None:
                        asked_follow_ups.add(item.id)
                    if typer.confirm(item.text, default=False):
                        follow_up_yes.add(item.id)
    context = {question.id: _confirm(question.text, question.hint)
               for question in q.context_questions(about.sex.value, about.age_years)}
    return ParqAnswers(**main, age_years=about.age_years,
                       used_to_vigorous_effort=context["used_to_vigorous_effort"],
                       temporary_illness=context["temporary_illness"],
                       pregnant=context.get("pregnant", False),
                       health_changed=context["health_changed"],
                       follow_up_yes=frozenset(follow_up_yes))


def _ask_fractures(console: Console, age_years: int) -> tuple[Fracture, ...]:
    """Every adult broken bone from a minor fall or less, by site, at any age."""
    fractures: list[Fracture] = []
    if typer.confirm(broke_a_bone_question(age_years), default=False):
        # The question first, then what counts: a hint is read with its question.
        console.print(low_trauma_question(age_years), markup=False, highlight=False)
        console.print(f"  ({LOW_TRAUMA_HINT})", markup=False, highlight=False, style="dim")
        if asks_since_50(age_years):
            console.print(f"  ({SINCE_50_HINT})", markup=False, highlight=False, style="dim")
        for site, words in SITE_WORDS.items():
            count = _ask_count(f"  {words}", 0, MAX_FRACTURES_PER_SITE, 0)
            dates = _ask_dates(count)
            since_50 = 0
            if count and asks_since_50(age_years) and len(dates) < count:
                since_50 = _ask_count(f"    {SINCE_50_QUESTION}", 0, count, count)
            fractures += fractures_at(site, count, since_age_50=since_50, dates=dates)
    if typer.confirm(SPINE_BIGGER_ACCIDENT_QUESTION, default=False):
        fractures.append(Fracture(FractureSite.VERTEBRAL, low_trauma=False, since_age_50=False))
    return tuple(fractures)


def _ask_dates(count: int) -> list[tuple[int, int | None]]:
    """When each break happened (year, month if known), asking again until it reads."""
    while count:
        answer: str = typer.prompt(f"    {FRACTURE_DATES_QUESTION}", default="",
                                   show_default=False)
        try:
            return parse_fracture_dates(answer, count)
        except ValueError as error:
            typer.echo(str(error))
    return []


def _bounds(field: str) -> tuple[float, float]:
    """A question's limits: ``core.validation.RANGES``, the same for the web form and API."""
    return RANGES[field].low, RANGES[field].high


def _whole_bounds(field: str) -> tuple[int, int]:
    """:func:`_bounds` for a count."""
    return int(RANGES[field].low), int(RANGES[field].high)


def _ask_triad(console: Console) -> TriadInputs:
    """The Female Athlete Triad questions, in the words of the web page
    (science/questionnaires.py); the height gives the body-mass index with the weight."""
    choices = "; ".join(f"{value} = {words.lower()}" for value, words in q.TRIAD_ENERGY_CHOICES)
    energy = typer.prompt(
        f"{q.TRIAD_ENERGY_QUESTION}\n  ({choices})",
        type=EnergyAvailability,
        default=EnergyAvailability.ADEQUATE.value,
    )
    bmi_kg_m2 = None
    while bmi_kg_m2 is None:
        bmi_kg_m2 = _ask_optional_number(q.TRIAD_BMI_QUESTION, *_bounds("bmi_kg_m2"))
    menarche = _ask_optional_number(f"{q.TRIAD_MENARCHE_QUESTION}\n  ({q.TRIAD_MENARCHE_HINT})",
                                    *_bounds("age_at_menarche_years"))
    menses = _ask_count(q.TRIAD_MENSES_QUESTION, *_whole_bounds("menses_last_12_months"))
    z_score = _ask_optional_number(f"{q.TRIAD_Z_SCORE_QUESTION}\n  ({q.TRIAD_Z_SCORE_HINT})",
                                   *_bounds("z_score"))
    injuries = _ask_count(q.TRIAD_INJURIES_QUESTION, *_whole_bounds("bone_stress_injuries"), 0)
    trabecular = injuries > 0 and typer.confirm(q.TRIAD_TRABECULAR_QUESTION, default=False)
    return TriadInputs(
        energy_availability=EnergyAvailability(energy),
        bmi_kg_m2=bmi_kg_m2,
        age_at_menarche_years=menarche,
        menses_last_12_months=menses,
        bmd_z_score=z_score,
        bone_stress_injuries=injuries,
        stress_injury_at_trabecular_site=trabecular,
    )


def _ask_falls(console: Console) -> dict[str, Any]:
    """The falls questions (science/falls.py): how many falls, the follow-ups after a fall,
    and the STEADI questions everyone is asked."""
    answers: dict[str, Any] = {
        "falls_last_12_months": _ask_count(FALLS_COUNT_QUESTION,
                                           *_whole_bounds("falls_last_12_months"), 0)}
    for question in FALLS_QUESTIONS:
        if question.after_a_fall and not answers["falls_last_12_months"]:
            continue
        answers[question.id] = typer.confirm(question.text, default=False)
    return answers


def ask_bone(console: Console, about: AboutYou, parq: ParqAnswers | None = None,
             asked_follow_ups: frozenset[str] | set[str] = frozenset()) -> BoneInputs:
    """Ask the bone-health, falls and walking questions (the words of science/questionnaires,
    falls and fracture_history, as on the web form). Sex, age and weight come from
    :func:`ask_about_you`; the steroid question is skipped when the PAR-Q+ follow-ups asked
    it already."""
    console.print("\n[bold]Bone health questions[/bold]")
    age_years, sex, body_mass_kg = about.age_years, about.sex, about.body_mass_kg
    ethnicity = typer.prompt(f"{q.ETHNICITY_QUESTION}\n  ({q.ETHNICITY_HINT})", type=Ethnicity,
                             default=Ethnicity.OTHER.value, show_choices=False)
    fractures = _ask_fractures(console, age_years)
    recent = typer.confirm(q.RECENT_FRACTURE_QUESTION, default=False)
    osteoporosis = _confirm(q.OSTEOPOROSIS_QUESTION, q.OSTEOPOROSIS_HINT)
    t_score = _ask_optional_number(f"{q.T_SCORE_QUESTION}\n  ({q.T_SCORE_HINT})",
                                   *_bounds("t_score"))
    falls = _ask_falls(console)
    known = (q.steroids_from_follow_ups(parq.follow_up_yes, asked_follow_ups)
             if parq is not None else None)
    steroids = _confirm(q.STEROIDS_QUESTION, q.STEROIDS_HINT) if known is None else known
    stress_injury = typer.confirm(q.STRESS_INJURY_QUESTION, default=False)
    walking_days = _ask_count(q.WALKING_DAYS_QUESTION, *_whole_bounds("walking_days_per_week"), 0)
    minutes_low, minutes_high = _whole_bounds("walking_minutes_per_day")
    walking_minutes = (_ask_count(q.WALKING_MINUTES_QUESTION, minutes_low, minutes_high, 0)
                       if walking_days else 0)
    triad = None
    if sex is Sex.FEMALE and typer.confirm(q.TRIAD_QUESTION, default=False):
        triad = _ask_triad(console)
    return BoneInputs(
        sex=sex,
        age_years=age_years,
        body_mass_kg=body_mass_kg,
        ethnicity=Ethnicity(ethnicity),
        fractures=fractures,
        fracture_last_12_months=recent,
        osteoporosis_diagnosed=osteoporosis,
        femoral_neck_t_score=t_score,
        glucocorticoids_over_3_months=steroids,
        past_bone_stress_injury=stress_injury,
        triad=triad,
        walking_days_per_week=walking_days,
        walking_minutes_per_day=walking_minutes,
        **falls,
    )


def load_answers(path: Path) -> tuple[ParqAnswers, BoneInputs]:
    """Read and check ``{"parq": {...}, "bone": {...}}`` from ``path`` with the API's models;
    errors name the field (``parq.chest_pain: Input should be a valid boolean``)."""
    from pydantic import ValidationError

    from stridewise.core.screening_inputs import ScreeningIn, error_text

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise typer.BadParameter(f"could not read answers from {path}: {error}") from error
    try:
        parsed = ScreeningIn.model_validate_json(text)
        answers: tuple[ParqAnswers, BoneInputs] = parsed.answers()
    except ValidationError as error:
        raise typer.BadParameter(f"answers in {path}: {error_text(error)}") from error
    except ValueError as error:
        raise typer.BadParameter(f"answers in {path}: {error}") from error
    return answers


def answers_schema() -> str:
    """The JSON Schema of the answers file (the API's ``ScreeningIn``)."""
    from stridewise.core.screening_inputs import ScreeningIn

    return json.dumps(ScreeningIn.model_json_schema(), indent=2, sort_keys=True)


def print_result(console: Console, result: ScreeningResult) -> None:
    """The outcome, its reasons and the points to discuss, in plain words."""
    style = "green" if result.may_run else "yellow" if result.can_start else "red"
    lines = [
        f"[bold]Readiness:[/bold] {READINESS_LABELS[result.readiness.status]}",
        f"[bold]Highest impact for now:[/bold] {IMPACT_LABELS[result.permitted_impact]}",
        f"[bold]Ready to start a plan:[/bold] {'yes' if result.can_start else 'not yet'}",
        f"[bold]Running allowed now:[/bold] {'yes' if result.may_run else 'no'}",
    ]
    lines.append(f"[bold]Falls:[/bold] {FALLS_LABELS[result.falls_result.risk]}")
    console.print(Panel("\n".join(lines), title="Your screening", border_style=style))
    console.print("[bold]Why[/bold]")
    for reason in result.reasons:
        console.print(f" • {reason}", markup=False, highlight=False)
    points = (*result.bone.doctor_points, *result.falls_result.doctor_points)
    if points:
        console.print("[bold]Points to discuss with your doctor[/bold]")
        for point in points:
            console.print(f" • {point}", markup=False, highlight=False)
    console.print(
        "[dim]stridewise is not a medical device and does not diagnose. "
        "Use --summary to print a page for your doctor.[/dim]"
    )


def register(app: typer.Typer) -> None:
    @app.command("screen")
    def screen_command(
        answers: Path | None = typer.Option(
            None, "--answers", help="Read answers from this JSON file instead of asking."
        ),
        summary: Path | None = typer.Option(
            None, "--summary", help="Write a printable HTML summary for your doctor here."
        ),
        name: str | None = typer.Option(None, "--name", help="Your name, for the summary."),
        db: str | None = typer.Option(
            None, "--db", help="Database URL (default: $STRIDEWISE_DB or the local database)."
        ),
        save: bool = typer.Option(True, "--save/--no-save", help="Store the result."),
        save_profile: bool = typer.Option(
            False, "--save-profile",
            help="Also put the sex, age (as a birth year) and weight you gave into your "
                 "profile, without asking."),
        schema: bool = typer.Option(
            False, "--schema", help="Print the JSON Schema of the --answers file and stop."),
    ) -> None:
        """Check you are ready to run: health questions, bone health, and what you may do."""
        if schema:
            typer.echo(answers_schema())
            return
        console = Console()
        if answers is not None:
            parq, bone = load_answers(answers)
        else:
            about = ask_about_you(console)
            asked: set[str] = set()
            parq = ask_parq(console, about, asked)
            bone = ask_bone(console, about, parq, asked)
        # Dated fractures are read against the screening day (record_screening does the same
        # with the profile's birth year when the result is saved).
        bone = dataclasses.replace(bone, screened_on=bone.screened_on or _today(db))
        _check_fracture_dates(db, bone)
        result = screen(parq, bone)
        print_result(console, result)
        if summary is not None:
            from stridewise.report.doctor import doctor_summary_html

            summary.write_text(
                doctor_summary_html(result, parq, bone, person_name=name, on=_today(db)),
                encoding="utf-8",
            )
            console.print(f"Summary for your doctor written to {summary}")
        if save:
            from stridewise.core.app import Core
            from stridewise.store import open_store

            with open_store(db) as store:
                core = Core(store)
                ctx = core.context()
                fill = core.screening_profile_fill(ctx, bone)
                # What the screening learned goes into the profile only with a yes (or the
                # flag, for an answers file), so it is not asked again.
                if fill and answers is None and not save_profile:
                    save_profile = typer.confirm(
                        f"Save these to your profile ({fill.words()})?", default=True)
                outcome = core.submit_screening(ctx, parq, bone, fill_profile=save_profile)
            console.print("Saved.")
            if outcome.profile_filled:
                console.print(f"Your profile now has: {outcome.profile_filled.words()}.",
                              markup=False, highlight=False)
            elif fill and answers is not None:
                console.print(f"Add --save-profile to keep {fill.words()} in your profile.",
                              markup=False, highlight=False)
            for reason in outcome.changes:
                console.print(f"Plan changed: {reason}")


def _check_fracture_dates(db: str | None, bone: BoneInputs) -> None:
    """No broken bone dated in the future or before birth (the core's check, against the
    profile's birth year too): a clear refusal, nothing screened or stored."""
    from stridewise.core.app import Core
    from stridewise.core.validation import InvalidValue
    from stridewise.store import open_store

    with open_store(db) as store:
        core = Core(store)
        try:
            core.check_fracture_dates(core.context(), bone)
        except InvalidValue as error:
            raise typer.BadParameter(error.message, param_hint="fracture year") from error


def _today(db: str | None) -> date:
    """Today in the athlete's zone (the date printed on the doctor's summary)."""
    from stridewise.monitor import zone_of
    from stridewise.store import open_store

    with open_store(db) as store:
        return clock.today(zone_of(store, store.default_athlete_id()))
