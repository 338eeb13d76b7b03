"""The `stridewise` command: one Typer app, commands contributed by the modules listed here.

Each module in ``COMMAND_MODULES`` defines ``register(app)``; keeping the list explicit makes
the command set easy to read and keeps start-up imports lazy per module.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES: tuple[str, ...] = ("demo", "screen", "data", "person", "plan", "web",
                                     "brain", "server", "cohort")

app = typer.Typer(
    name="stridewise",
    help="Run your way to better bone, brain and long-term health, safely. "
    "Not a medical device: it never diagnoses, and says when to see a doctor.",
    no_args_is_help=True,
    add_completion=False,
)



@app.callback()
def _root() -> None:
    """Keep `stridewise` a command group even while it has a single command."""


for _module in COMMAND_MODULES:
    importlib.import_module(f"stridewise.cli.{_module}").register(app)


def main() -> None:
    app()
