"""`stridewise serve` (the local dashboard) and `stridewise report` (one offline HTML file)."""

from __future__ import annotations

import sys
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="STRIDEWISE_DB", help="SQLAlchemy URL of the database."),
]


AthleteOption = Annotated[
    str | None, typer.Option("--athlete", help="Athlete name (default: the single user).")
]


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: DbOption = None,
        athlete: AthleteOption = None,
        host: Annotated[str, typer.Option(
            help="Address to listen on. The default keeps the dashboard private to this "
                 "computer; use 0.0.0.0 only on a network you trust.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
        open_browser: Annotated[bool, typer.Option(
            "--open/--no-open", help="Open the dashboard in your browser (default: when run "
                                     "from a terminal).")] = True,
    ) -> None:
        """Start the local web dashboard (works with no network)."""
        import uvicorn

        from stridewise.web import create_app

        try:
            application = create_app(db, athlete_name=athlete)
        except LookupError as error:
            raise typer.BadParameter(str(error), param_hint="--athlete") from error
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
        typer.echo(f"stridewise dashboard at {url} (Ctrl-C to stop)")
        if open_browser and _interactive():
            # Give uvicorn a moment to bind before the browser asks for the page.
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        uvicorn.run(application, host=host, port=port, log_level="warning")

    @app.command()
    def report(
        out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the HTML file.")
                       ] = Path("stridewise-report.html"),
        db: DbOption = None,
        athlete: AthleteOption = None,
        days: Annotated[int, typer.Option(
            help="Days shown in the charts (0: the whole history).")] = 365,
    ) -> None:
        """Write one self-contained HTML report: trends, plan, warnings, screening."""
        from stridewise.report.html import write_report
        from stridewise.store import open_store
        from stridewise.web.app import athlete_id_by_name

        with open_store(db) as store:
            try:
                athlete_id = athlete_id_by_name(store, athlete)
            except LookupError as error:
                raise typer.BadParameter(str(error), param_hint="--athlete") from error
            path = write_report(store, out, athlete_id, days=days or None)
        typer.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB); it opens offline.")
