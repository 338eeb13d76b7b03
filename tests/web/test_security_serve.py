"""`stridewise serve` (issue 11, item 12): loopback unless the user says otherwise and reads a
warning, the address printed is the one bound, and a busy port is a plain message."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stridewise.cli import app as cli_app


class Served:
    """What ``uvicorn.Server.run`` was given instead of serving (the sockets stay bound)."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.app: Any = None
        self.config: Any = None


@pytest.fixture()
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    import uvicorn

    record = Served()

    def fake_run(server: Any, sockets: list[socket.socket] | None = None) -> None:
        record.sockets = list(sockets or [])
        record.config = server.config
        record.app = server.config.app

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    yield record
    for sock in record.sockets:
        sock.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(tmp_path: Path, *args: str) -> Any:
    return CliRunner().invoke(cli_app, ["serve", "--no-open", "--db",
                                        f"sqlite:///{tmp_path / 's.db'}", *args])


def test_a_busy_port_is_a_plain_message_before_any_address(tmp_path: Path, served: Served
                                                          ) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = serve(tmp_path, "--port", str(port))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"port {port} is in use; try --port ")
    suggested = int(lines[0].rsplit(" ", 1)[1])
    assert suggested != port and 0 < suggested < 65536
    assert "http://" not in result.output and "Traceback" not in result.output
    assert served.sockets == []


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org"])
def test_a_reachable_address_needs_allow_remote(tmp_path: Path, served: Served, host: str
                                                ) -> None:
    result = serve(tmp_path, "--host", host, "--port", str(_free_port()))
    assert result.exit_code != 0
    assert "--allow-remote" in result.output
    assert served.sockets == []


def test_allow_remote_warns_and_prints_the_real_bind_address(tmp_path: Path, served: Served
                                                            ) -> None:
    port = _free_port()
    result = serve(tmp_path, "--host", "0.0.0.0", "--port", str(port), "--allow-remote",
                   "--allowed-host", "runner.lan")
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.output and "no login" in result.output
    assert f"listening on 0.0.0.0:{port};" in result.output
    assert [s.getsockname()[:2] for s in served.sockets] == [("0.0.0.0", port)]
    # The name given with --allowed-host is served; any other name is still refused.
    with TestClient(served.app, base_url=f"http://runner.lan:{port}") as client:
        assert client.get("/api/checkins").status_code == 200
        assert client.get("/api/checkins", headers={"Host": "evil.example"}).status_code == 400
    assert served.config.proxy_headers is False


def test_the_default_binds_loopback_and_says_so(tmp_path: Path, served: Served) -> None:
    port = _free_port()
    result = serve(tmp_path, "--port", str(port))
    assert result.exit_code == 0, result.output
    assert f"listening on 127.0.0.1:{port}; open http://127.0.0.1:{port}/" in result.output
    assert "Warning" not in result.output
    assert [s.getsockname()[:2] for s in served.sockets] == [("127.0.0.1", port)]
