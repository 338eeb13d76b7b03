"""`stridewise server ...`: set up the multi-user server's database and accounts (issue 15).

The owner role is given only here, on the command line of the machine that holds the
database; invitation and reset links are printed, since no mail server is assumed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridewise.cli.web import DbOption

if TYPE_CHECKING:
    from stridewise.store import Store

server_app = typer.Typer(help="Set up the multi-user server: database, owner, invitations.",
                         no_args_is_help=True)

PublicUrlOption = Annotated[str, typer.Option(
    "--public-url", help="The address people open (used to print links).")]
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8765"


def _password(password_file: Path | None) -> str:
    if password_file is not None:
        try:
            return password_file.read_text(encoding="utf-8").strip("\r\n")
        except OSError as error:
            raise typer.BadParameter(f"cannot read {password_file}: {error.strerror}",
                                     param_hint="--password-file") from error
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _store(db: str | None) -> Store:
    from stridewise.store import open_store

    if not db:
        raise typer.BadParameter("give the server's database, e.g. "
                                 "postgresql+psycopg://stridewise@127.0.0.1/stridewise",
                                 param_hint="--db")
    return open_store(db)


@server_app.command("init")
def init(
    owner_email: Annotated[str, typer.Option("--owner-email", help="The owner's email.")],
    db: DbOption = None,
    password_file: Annotated[Path | None, typer.Option(
        "--password-file", help="Read the owner's password from this file (else asked).")
    ] = None,
) -> None:
    """Create or migrate the server database and create the owner account."""
    from stridewise.server import accounts

    with _store(db) as store:
        with store.transaction() as tx:
            existing = accounts.user_by_email(tx.session, owner_email)
        if existing is not None:
            typer.echo(f"database is up to date; {existing.email} exists already "
                       f"({existing.role}).")
            return
        password = _password(password_file)
        try:
            with store.write_transaction() as tx:
                user = accounts.create_user(tx.session, owner_email, password, "owner")
        except accounts.AccountError as error:
            raise typer.BadParameter(str(error), param_hint="--owner-email") from error
        typer.echo(f"database ready; owner {user.email} created. Start the server with: "
                   "stridewise serve --multi-user --db ...")


@server_app.command("invite")
def invite_command(
    email: Annotated[str, typer.Option("--email", help="Who is invited.")],
    role: Annotated[str, typer.Option(
        "--role", help="athlete, coach, clinician, admin or owner.")] = "athlete",
    db: DbOption = None,
    public_url: PublicUrlOption = DEFAULT_PUBLIC_URL,
) -> None:
    """Print a single-use invitation link (valid for 3 days); with SMTP configured
    (STRIDEWISE_SMTP_URL, docs/server.md) mail it too."""
    from stridewise.server import accounts, mail

    with _store(db) as store:
        try:
            with store.write_transaction() as tx:
                secret = accounts.invite(tx.session, email, role, None)
        except accounts.AccountError as error:
            raise typer.BadParameter(str(error), param_hint="--email/--role") from error
    link = f"{public_url.rstrip('/')}/invite/{secret}"
    typer.echo(link)
    typer.echo(f"Send this link to {email.strip().lower()}: it works once, for 3 days.",
               err=True)
    _mail(email.strip().lower(), *mail.invitation(link, role))


@server_app.command("reset")
def reset_command(
    email: Annotated[str, typer.Option("--email", help="Whose password is reset.")],
    db: DbOption = None,
    public_url: PublicUrlOption = DEFAULT_PUBLIC_URL,
) -> None:
    """Print a single-use link that sets a new password (any account, the owner's too);
    with SMTP configured mail it too."""
    from stridewise.server import accounts, mail

    with _store(db) as store, store.write_transaction() as tx:
        user = accounts.user_by_email(tx.session, email)
        if user is None:
            raise typer.BadParameter("no account with this email", param_hint="--email")
        secret = accounts.issue_reset(tx.session, user, None)
        to = user.email
    link = f"{public_url.rstrip('/')}/reset/{secret}"
    typer.echo(link)
    _mail(to, *mail.reset(link))


def _mail(to: str, subject: str, body: str) -> None:
    """With SMTP configured (STRIDEWISE_SMTP_URL), mail the link too; the link printed above
    stays the way in whatever happens to the mail."""
    from stridewise.server import mail

    try:
        settings = mail.MailSettings.from_env()
    except mail.MailSettingsError as error:
        typer.echo(f"Not mailed: {error}", err=True)
        return
    note = mail.deliver(settings, to, subject, body)
    if note:
        typer.echo(note, err=True)


@server_app.command("import-local")
def import_local_command(
    email: Annotated[str, typer.Option("--email", help="The athlete account to move into.")],
    local: Annotated[Path, typer.Option(
        "--from", help="The local database file (e.g. ~/.local/share/stridewise/"
                       "stridewise.db).")],
    db: DbOption = None,
    local_raw: Annotated[Path | None, typer.Option(
        "--from-raw", help="The local original files (default: <name>-raw beside the "
                           "local database).")] = None,
    athlete: Annotated[str | None, typer.Option(
        "--athlete", help="The local athlete to move, when the file holds several.")] = None,
) -> None:
    """Move a local single-user database into an existing, still empty athlete account."""
    from stridewise.server.move import MoveError, move_local
    from stridewise.store import open_store

    if not local.is_file():
        raise typer.BadParameter(f"no database file at {local}", param_hint="--from")
    local_url = f"sqlite:///{local.resolve()}"
    raw = local_raw or local.resolve().with_name(local.stem + "-raw")
    with _store(db) as store, open_store(local_url, raw_dir=raw) as source:
        try:
            report = move_local(source, store, email, athlete_name=athlete)
        except MoveError as error:
            raise typer.BadParameter(str(error), param_hint="--email/--from") from error
    moved = ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in report.rows.items() if n)
    typer.echo(f"Moved into {report.email}: {moved or 'a profile and no records'}; "
               f"{report.files_copied} original files copied, {report.files_reused} "
               "already on the server and reused.")
    if report.files_missing:
        typer.echo(f"{len(report.files_missing)} original files named by the local database "
                   f"were not in {raw}; their records were moved without them.", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(server_app, name="server")
