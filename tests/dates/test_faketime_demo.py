"""`stridewise demo` as a whole process under libfaketime: nothing in the process may read the
machine's clock or zone except through stridewise.clock, so moving the system clock must give
a working demo on every date. Skipped when faketime is absent, except under CI=true."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FAKETIME = shutil.which("faketime")
IN_CI = os.environ.get("CI", "").lower() == "true"
STRIDEWISE = Path(sys.executable).with_name("stridewise")

# (start of the clock as faketime reads it, the machine's TZ)
FAKETIME_STARTS = [
    *[(f"2026-11-{day} 12:00:00", "UTC") for day in range(23, 30)],  # every weekday
    ("2026-12-31 23:30:00", "UTC"),
    ("2028-02-29 12:00:00", "UTC"),
    ("2026-12-31 18:00:00", "America/Los_Angeles"),  # already 1 January in London
    ("2026-10-25 01:30:00", "Europe/London"),  # the repeated hour
    # The clock runs across the jump to summer time (faketime refuses a start inside it).
    ("2027-03-28 00:59:50", "Europe/London"),
    ("2027-03-14 01:59:50", "America/New_York"),
]


def faketime_env(machine_zone: str) -> dict[str, str]:
    env = dict(os.environ, TZ=machine_zone, FAKETIME_DONT_FAKE_MONOTONIC="1")
    env.pop("FAKETIME", None)
    return env


@pytest.fixture(scope="module")
def faketime() -> str:
    if FAKETIME is None:
        if IN_CI:
            pytest.fail("faketime is required under CI=true (.ci/run installs it)")
        pytest.skip("faketime is not installed (apt-get install faketime)")
    return FAKETIME


@pytest.mark.slow
@pytest.mark.parametrize(("start", "machine_zone"), FAKETIME_STARTS,
                         ids=[f"{s[:16]} {z}" for s, z in FAKETIME_STARTS])
def test_demo_under_faketime(faketime: str, tmp_path: Path, start: str,
                             machine_zone: str) -> None:
    folder, report = tmp_path / "demo", tmp_path / "report.html"
    shown = subprocess.run([faketime, start, "date", "+%F %T"], env=faketime_env(machine_zone),
                           capture_output=True, text=True, check=True)
    assert shown.stdout.startswith(start[:13])  # faketime really moved the clock
    done = subprocess.run(
        [faketime, start, str(STRIDEWISE), "demo", "--dir", str(folder), "--report", str(report)],
        env=faketime_env(machine_zone), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Today:" in done.stdout
    assert "Traceback" not in done.stderr
    assert report.is_file()
