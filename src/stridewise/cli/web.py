"""`stridewise serve` (the local dashboard) and `stridewise report` (one offline HTML file)."""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Annotated, Any

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


def _is_loopback(host: str) -> bool:
    """True for names and addresses only this computer can reach (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (uvicorn listens on it); OSError when taken."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    # As uvicorn does: reuse a port left in TIME_WAIT, while a live listener still refuses.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def _free_port(host: str, busy: int) -> int:
    """The next port after ``busy`` that can be bound on ``host`` (else one the system
    picks), to suggest in the message."""
    for candidate in [*range(busy + 1, min(busy + 20, 65535) + 1), 0]:
        try:
            with _bind(host, candidate) as sock:
                return int(sock.getsockname()[1])
        except OSError:
            continue
    return 0


def _settle_the_heap() -> None:
    """Leave what start-up built (the libraries, the app, its templates) out of the cyclic
    garbage collector's full passes: ``gc.freeze()`` after a collection. Those passes walk
    every tracked object and stop the whole process while they run; with the libraries
    tracked a pass took 80-150 ms (every request in flight waited), with them frozen 12-25 ms
    (docs/design.md). Only for a serving process: nothing frozen is ever collected."""
    import gc

    gc.collect()
    gc.freeze()


def _multi_user_app(db: str | None, athlete: str | None, allowed_host: list[str] | None,
                    public_url: list[str] | None) -> Any:
    """The multi-user server (stridewise.server) for ``serve --multi-user``."""
    if not db:
        raise typer.BadParameter("the multi-user server needs its database, e.g. "
                                 "postgresql+psycopg://stridewise@127.0.0.1/stridewise",
                                 param_hint="--db")
    if athlete:
        raise typer.BadParameter("the multi-user server shows each person their own data; "
                                 "--athlete is for the local dashboard", param_hint="--athlete")
    from stridewise.server.app import create_server_app
    from stridewise.server.mail import SMTP_URL_ENV, MailSettingsError

    try:
        return create_server_app(db, public_url=public_url[0] if public_url else None,
                                 allowed_hosts=allowed_host or ())
    except MailSettingsError as error:
        raise typer.BadParameter(str(error), param_hint=SMTP_URL_ENV) from error


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: DbOption = None,
        athlete: AthleteOption = None,
        host: Annotated[str, typer.Option(
            help="Address to listen on. The default, 127.0.0.1, keeps the dashboard private "
                 "to this computer; any other address needs --allow-remote.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
        allow_remote: Annotated[bool, typer.Option(
            "--allow-remote",
            help="Listen on an address other computers can reach. The dashboard has no login "
                 "yet: anyone who reaches it can read and change your health data.")] = False,
        allowed_host: Annotated[list[str] | None, typer.Option(
            "--allowed-host",
            help="Another name or address people use to reach the dashboard (repeatable). "
                 "Requests naming any other host are refused (this stops DNS rebinding).")
        ] = None,
        public_url: Annotated[list[str] | None, typer.Option(
            "--public-url",
            help="The address people open when a reverse proxy serves the dashboard, e.g. "
                 "https://run.example (repeatable): its host is allowed and its forms "
                 "accepted.")] = None,
        trusted_proxy: Annotated[list[str] | None, typer.Option(
            "--trusted-proxy",
            help="IP address of a reverse proxy whose X-Forwarded-For/-Proto headers are "
                 "believed (repeatable); without it those headers are ignored.")] = None,
        open_browser: Annotated[bool, typer.Option(
            "--open/--no-open", help="Open the dashboard in your browser (default: when run "
                                     "from a terminal).")] = True,
        multi_user: Annotated[bool, typer.Option(
            "--multi-user",
            help="Serve the multi-user server (accounts, sharing, audit) for the database set "
                 "up by `stridewise server init`; see docs/server.md.")] = False,
    ) -> None:
        """Start the local web dashboard (works with no network)."""
        import uvicorn

        from stridewise.web import create_app

        remote = not _is_loopback(host)
        if remote and not allow_remote:
            raise typer.BadParameter(
                f"{host} can be reached from other computers, and the dashboard has no login "
                "yet. Leave --host out to keep it on this computer, or add --allow-remote if "
                "you accept that anyone on that network can read and change your data.",
                param_hint="--host")
        try:
            application = _multi_user_app(db, athlete, allowed_host, public_url) if multi_user \
                else create_app(db, athlete_name=athlete, allowed_hosts=allowed_host or (),
                                public_urls=public_url or ())
        except LookupError as error:
            raise typer.BadParameter(str(error), param_hint="--athlete") from error
        # Bind before saying anything: a busy port is reported plainly, with no address.
        try:
            sock = _bind(host, port)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise typer.BadParameter(f"cannot listen on {host}:{port}: {error.strerror}",
                                         param_hint="--host") from error
            typer.echo(f"port {port} is in use; try --port {_free_port(host, port)}", err=True)
            raise typer.Exit(1) from error
        bound_host, bound_port = sock.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        if remote and not multi_user:
            typer.echo(f"Warning: listening on {shown}:{bound_port}, reachable from other "
                       "computers. There is no login: anyone who can reach this address can "
                       "read and change your health data. Pass --allowed-host NAME for each "
                       "name people use to reach it.", err=True)
        local = "127.0.0.1" if bound_host == "0.0.0.0" else "[::1]" if bound_host == "::" \
            else shown
        url = f"http://{local}:{bound_port}/"
        typer.echo(f"stridewise dashboard listening on {shown}:{bound_port}; open {url} "
                   "(Ctrl-C to stop)")
        if open_browser and _interactive():
            # Give uvicorn a moment to start before the browser asks for the page.
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        config = uvicorn.Config(application, log_level="warning",
                                proxy_headers=bool(trusted_proxy),
                                forwarded_allow_ips=list(trusted_proxy or ()) or None)
        _settle_the_heap()
        uvicorn.Server(config).run(sockets=[sock])

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
        from stridewise.cli.data import checked, writable
        from stridewise.report.html import write_report
        from stridewise.store import open_store
        from stridewise.web.app import athlete_id_by_name

        checked("--days", "report_days", days)
        writable(out)
        with open_store(db) as store:
            try:
                athlete_id = athlete_id_by_name(store, athlete)
            except LookupError as error:
                raise typer.BadParameter(str(error), param_hint="--athlete") from error
            path = write_report(store, out, athlete_id, days=days or None)
        typer.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB); it opens offline.")
