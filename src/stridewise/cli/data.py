"""Data commands: import, profile, log, activities, export."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def version() -> None:
        """Print the stridewise version."""
        from stridewise import __version__

        typer.echo(__version__)
