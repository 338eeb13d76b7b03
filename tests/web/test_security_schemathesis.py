"""schemathesis against the API (issue 11): fuzzing and stateful phases, fixed seed, bounded
examples, on a throwaway database. 0 server errors, 0 schema violations (status codes,
content types, response bodies and headers as documented; schema-invalid requests refused),
the stateful phase creates then reads check-ins, sessions and screenings through the declared
OpenAPI links, and every page still serves afterwards."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from stridewise.web import create_app
from stridewise.web.security import CsrfTokens, load_secret, secret_path

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance",
          "negative_data_rejection")
PAGES = ("/today", "/plan", "/log", "/import", "/activities", "/trends", "/onboarding",
         "/evidence", "/api/today", "/api/series", "/api/series/weekly", "/api/checkins",
         "/api/sessions", "/api/screenings", "/api/activities", "/api/profile")


@pytest.mark.slow
@pytest.mark.skipif("faketime" in os.environ.get("LD_PRELOAD", ""),
                    reason="the fuzzer's own timers stall under libfaketime; dates are "
                           "covered by the other tests of this run")
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
        tmp_path: Path, live_server_class: Any) -> None:
    url = f"sqlite:///{tmp_path / 'fuzz.db'}"
    app = create_app(url)
    # A script holding the dashboard's token, so multipart /api/import is fuzzed too.
    tokens = CsrfTokens(load_secret(secret_path(url)))
    token = tokens.new()
    har = tmp_path / "run.har"
    # A multipart file part is bytes: JSON sent as a file's content is a valid (if useless)
    # file, so "schema-violating request accepted" cannot apply to the upload.
    config = tmp_path / "schemathesis.toml"
    config.write_text("[checks]\nenabled = false\n"
                      + "".join(f"{check}.enabled = true\n" for check in CHECKS)
                      + '[[operations]]\ninclude-path = "/api/import"\n'
                      "checks.negative_data_rejection.enabled = false\n")
    with live_server_class(app) as server:
        run = subprocess.run(
            [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()",
             "--config-file", str(config), "run", f"{server.url}/api/openapi.json",
             "--phases", "fuzzing,stateful",
             "--max-examples", "30", "--seed", "20261202", "--workers", "1",
             "--generation-database", "none", "--no-color",
             "-H", f"Cookie: {tokens.cookie_name}={token}", "-H", f"X-CSRF-Token: {token}",
             "--report", "json,har", "--report-json-path", str(tmp_path / "run.json"),
             "--report-har-path", str(har)],
            capture_output=True, text=True, timeout=240, cwd=tmp_path)
        output = run.stdout + run.stderr
        assert run.returncode == 0, output[-6000:]
        with httpx.Client(base_url=server.url) as client:
            for path in PAGES:
                assert client.get(path).status_code in (200, 404), path
                assert client.get(path).status_code != 500
            assert client.get("/today").status_code == 200
            assert client.get("/trends").status_code == 200
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["phases"]["fuzzing"]["status"] == "success"
    assert report["phases"]["stateful"]["status"] == "success"
    assert report["failures"] == [] and report["errors"] == []
    assert report["test_cases"]["generated"] >= 300
    covered = re.search(r"API Links:\s+(\d+) covered", output)
    assert covered is not None and int(covered.group(1)) >= 3, output[-3000:]
    # Created, then read back by the id the creation returned (the declared links).
    entries = json.loads(har.read_text())["log"]["entries"]
    read_back = {kind for entry in entries
                 if entry["request"]["method"] == "GET" and entry["response"]["status"] == 200
                 for kind in ("checkins", "sessions", "screenings")
                 if re.search(rf"/api/{kind}/\d+$", entry["request"]["url"])}
    assert read_back == {"checkins", "sessions", "screenings"}
