"""`stridewise brain`: the brain-health profile (`brain show`, also the default), and the
questionnaire (`brain answer`, interactive or `--answers file.json`). Everything comes from
``Core.brain`` / ``Core.answer_brain``, as on the Brain page and in /api/brain."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from stridewise.cli.data import AthleteOption, DbOption, athlete_id_for, fail, opened, out
from stridewise.core.app import Core
from stridewise.present.brain_view import brain_json, brain_view
from stridewise.science.brain import BRAIN_QUESTIONS


def register(app: typer.Typer) -> None:
    brain = typer.Typer(help="Brain health: room for improvement (LIBRA), wellbeing, sleep.",
                        invoke_without_command=True)
    brain.callback()(brain_main)
    brain.command("show")(brain_show)
    brain.command("answer")(brain_answer)
    app.add_typer(brain, name="brain")


def brain_main(ctx: typer.Context, db: DbOption = None, athlete: AthleteOption = None,
               as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
               ) -> None:
    """Show the brain-health profile (the default)."""
    if ctx.invoked_subcommand is None:
        brain_show(db, athlete, as_json)


def brain_show(db: DbOption = None, athlete: AthleteOption = None,
               as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
               ) -> None:
    """Show the brain-health profile."""
    with opened(db) as store:
        core = Core(store)
        profile = core.brain(core.context(athlete_id_for(store, athlete)))
    if as_json:
        print(json.dumps(brain_json(profile), indent=2))
        return
    view = brain_view(profile)
    out.print(view.answered)
    out.print(f"[bold]LIBRA score {view.score}[/], on a scale from {view.range_words}.")
    out.print(view.about)
    if view.room:
        out.print("Things you could work on: " + "; ".join(view.room) + ".")
    out.print(view.next_step)
    table = Table(title="The 12 LIBRA factors")
    for column in ("Factor", "You", "Score"):
        table.add_column(column)
    for f in view.scored:
        table.add_row(f.words, f.answer, f.points_words or "-")
    out.print(table)
    out.print("Physical activity: " + view.inactivity)
    out.print(view.alcohol_note)
    out.print(view.unscored_note)
    for f in view.unscored:
        out.print(f"  {f.words}: {f.answer}")
    who5 = Table(title="Wellbeing (WHO-5), two weeks at a time")
    out.print(view.who5_meaning)
    for column in ("Two weeks", "Score", "Band"):
        who5.add_column(column)
    for w in view.who5:
        who5.add_row(w.period, w.score, w.meaning)
    out.print(who5)
    out.print("Sleep: " + view.sleep)


def brain_answer(db: DbOption = None, athlete: AthleteOption = None,
                 answers: Annotated[Path | None, typer.Option(
                     help="A JSON file of question id -> answer (see `brain answer --help`); "
                          "without it the questions are asked one by one.")] = None) -> None:
    """Answer the brain-health questions. Answers: yes, no or unknown; alcohol: none,
    up_to_7, 8_to_21, over_21 or unknown."""
    if answers is not None:
        try:
            given = json.loads(answers.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise fail(f"cannot read {answers}: {exc}") from exc
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            raise fail(f"{answers} must hold one JSON object of question id -> answer text")
    else:
        given = {}
        for q in BRAIN_QUESTIONS:
            if q.hint:
                out.print(f"[dim]{q.hint}[/]")
            choices = "/".join(value for value, _ in q.choices)
            given[q.id] = typer.prompt(f"{q.text} ({choices})", default="unknown")
    with opened(db) as store:
        core = Core(store)
        try:
            core.answer_brain(core.context(athlete_id_for(store, athlete)), given)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    out.print("Saved. `stridewise brain` shows your profile.")
