"""schemathesis against the multi-user server's API, signed in as an athlete (issue 15):
fuzzing and stateful phases, fixed seed, bounded examples. 0 server errors, 0 schema
violations, through the gate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from server_world import PASSWORD, Live

from stridewise.server import accounts
from stridewise.server.app import SESSION_COOKIE, Gate, create_server_app
from stridewise.web.security import CsrfTokens, load_secret, secret_path

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance",
          "negative_data_rejection")


@pytest.mark.slow
@pytest.mark.skipif("faketime" in os.environ.get("LD_PRELOAD", ""),
                    reason="the fuzzer's own timers stall under libfaketime")
def test_schemathesis_through_the_gate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fuzz.db'}"
    app = create_server_app(url)
    assert isinstance(app, Gate)
    with app.store.write_transaction() as tx:
        user = accounts.create_user(tx.session, "ann@example.org", PASSWORD, "athlete")
        session = accounts.start_session(tx.session, user)
    tokens = CsrfTokens(load_secret(secret_path(url)))
    token = tokens.new()
    config = tmp_path / "schemathesis.toml"
    config.write_text("[checks]\nenabled = false\n"
                      + "".join(f"{check}.enabled = true\n" for check in CHECKS)
                      + '[[operations]]\ninclude-path = "/api/import"\n'
                      "checks.negative_data_rejection.enabled = false\n")
    with Live(app) as server:
        run = subprocess.run(
            [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()",
             "--config-file", str(config), "run", f"{server.url}/api/openapi.json",
             "--phases", "fuzzing,stateful", "--max-examples", "20", "--seed", "20261203",
             "--workers", "1", "--generation-database", "none", "--no-color",
             "-H", f"Cookie: {tokens.cookie_name}={token}; {SESSION_COOKIE}={session}",
             "-H", f"X-CSRF-Token: {token}",
             "--report", "json", "--report-json-path", str(tmp_path / "run.json")],
            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["failures"] == [] and report["errors"] == []
    assert report["test_cases"]["generated"] >= 200
