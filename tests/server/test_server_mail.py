"""Optional mail (server.mail): settings from STRIDEWISE_SMTP_URL, a real SMTP conversation
with a small server on loopback, invitation and reset links mailed from the pages and the
command line, and the link still shown when the mail fails."""

from __future__ import annotations

import email
import re
import socket
import socketserver
import threading
from collections.abc import Iterator
from email.message import Message

import pytest
from fastapi.testclient import TestClient
from server_world import PASSWORD, browser
from typer.testing import CliRunner

from stridewise.server import accounts, mail
from stridewise.server.app import Gate, create_server_app


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 test\r\n")
            elif verb == b"MAIL":
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"RCPT":
                recipients.append(line.decode().split("<", 1)[1].split(">", 1)[0])
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.received.append(  # type: ignore[attr-defined]
                    (recipients, email.message_from_bytes(data)))
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture()
def smtp_server() -> Iterator[tuple[str, list[tuple[list[str], Message]]]]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.received = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"smtp://127.0.0.1:{server.server_address[1]}", server.received  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_settings_come_from_the_url_and_say_what_is_wrong() -> None:
    s = mail.MailSettings.parse("smtp+starttls://me%40club:p%3Ass@mail.club.example",
                                "stridewise@club.example")
    assert (s.host, s.port, s.security, s.user, s.password) == (
        "mail.club.example", 587, "starttls", "me@club", "p:ss")
    assert mail.MailSettings.parse("smtps://u:p@mail.example", "a@b.example").port == 465
    assert mail.MailSettings.parse("smtp://localhost", "a@b.example").port == 25
    assert mail.MailSettings.from_env({}) is None
    for url, sender, words in [
        ("http://mail.example", "a@b.example", "must start with smtp://"),
        ("smtp://", "a@b.example", "no mail server host"),
        ("smtp://mail.example", "", "sender's address"),
        ("smtp://u:p@mail.example", "a@b.example", "only over TLS"),
        ("smtp://mail.example:abc", "a@b.example", "not a number"),
    ]:
        with pytest.raises(ValueError, match=words):
            mail.MailSettings.parse(url, sender)


def test_a_mail_is_sent_and_a_failure_is_said(smtp_server: tuple[str, list]) -> None:
    url, received = smtp_server
    settings = mail.MailSettings.parse(url, "stridewise@club.example")
    note = mail.deliver(settings, "ann@example.org", *mail.invitation("https://x/invite/abc",
                                                                     "athlete"))
    assert note == "It was also mailed to ann@example.org."
    (to, message), = received
    assert to == ["ann@example.org"] and message["From"] == "stridewise@club.example"
    assert "https://x/invite/abc" in message.get_payload() and "an athlete" in \
        message.get_payload()
    dead = mail.MailSettings.parse(f"smtp://127.0.0.1:{_closed_port()}", "a@b.example")
    failed = mail.deliver(dead, "ann@example.org", "s", "b")
    assert failed is not None and "could not be sent" in failed and "yourself" in failed
    assert mail.deliver(None, "ann@example.org", "s", "b") is None


def _sign_in(app: Gate, email_address: str) -> TestClient:
    client = browser(app)
    assert client.post("/login", data={"email": email_address, "password": PASSWORD},
                       follow_redirects=False).status_code == 303
    return client


def test_pages_mail_invitations_and_reset_links(
        smtp_server: tuple[str, list], sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url, received = smtp_server
    monkeypatch.setenv(mail.SMTP_URL_ENV, url)
    monkeypatch.setenv(mail.MAIL_FROM_ENV, "stridewise@club.example")
    app = create_server_app(sqlite_url, allowed_hosts=["testserver"])
    assert isinstance(app, Gate)
    with app.store.write_transaction() as tx:
        accounts.create_user(tx.session, "admin@example.org", PASSWORD, "admin")
        accounts.create_user(tx.session, "ann@example.org", PASSWORD, "athlete")
        ann_id = accounts.user_by_email(tx.session, "ann@example.org").id  # type: ignore[union-attr]
    admin = _sign_in(app, "admin@example.org")
    page = admin.post("/account/invite", data={"email": " New@Example.org ", "role": "coach"})
    assert page.status_code == 200 and "It was also mailed to new@example.org." in page.text
    shown = re.search(r"http://testserver/invite/[\w-]+", page.text)
    assert shown is not None  # the link is on the page as well
    (to, message), = received
    assert to == ["new@example.org"] and shown.group(0) in message.get_payload()
    page = admin.post(f"/admin/users/{ann_id}/reset")
    assert page.status_code == 200 and "mailed to ann@example.org" in page.text
    assert received[1][0] == ["ann@example.org"] and "/reset/" in received[1][1].get_payload()


def test_the_command_line_mails_the_link_it_prints(
        smtp_server: tuple[str, list], sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from stridewise.cli import app as cli

    url, received = smtp_server
    create_server_app(sqlite_url, allowed_hosts=["testserver"])  # migrated
    monkeypatch.setenv(mail.SMTP_URL_ENV, url)
    monkeypatch.setenv(mail.MAIL_FROM_ENV, "stridewise@club.example")
    result = CliRunner().invoke(cli, ["server", "invite", "--email", "bo@example.org",
                                      "--role", "athlete", "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    assert "/invite/" in result.stdout and "mailed to bo@example.org" in result.output
    assert received[0][0] == ["bo@example.org"]
    monkeypatch.setenv(mail.SMTP_URL_ENV, f"smtp://127.0.0.1:{_closed_port()}")
    result = CliRunner().invoke(cli, ["server", "invite", "--email", "cy@example.org",
                                      "--role", "athlete", "--db", sqlite_url])
    assert result.exit_code == 0 and "/invite/" in result.stdout
    assert "could not be sent" in result.output


def test_serve_refuses_a_mail_setting_that_cannot_work(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from stridewise.cli import app as cli

    monkeypatch.setenv(mail.SMTP_URL_ENV, "smtp://user:secret@mail.example.org")
    monkeypatch.setenv(mail.MAIL_FROM_ENV, "stridewise@club.example")
    result = CliRunner().invoke(cli, ["serve", "--multi-user", "--db", sqlite_url,
                                      "--no-open", "--port", str(_closed_port())])
    assert result.exit_code == 2
    assert "only over TLS" in result.output and "secret" not in result.output
