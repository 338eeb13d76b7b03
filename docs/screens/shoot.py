"""Screenshots for docs/screens/: the Brain page (360 and 1280 px) and every onboarding step at
phone width (360 px), on the demo's database, with axe-core run on each (WCAG 2.0 A/AA and
2.1 A/AA). PNGs are reduced to a 16-colour palette so they stay small in the repository.

    PYTHONPATH=src .venv/bin/python docs/screens/shoot.py

Needs Debian's chromium at /usr/bin/chromium (or $STRIDEWISE_CHROMIUM) and the dev extras.
The date is fixed, so the pictures do not change from day to day.
"""

from __future__ import annotations

import html
import os
import re
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CHROMIUM = os.environ.get("STRIDEWISE_CHROMIUM", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: What a 68-year-old woman with osteopenia answers on the Brain page.
BRAIN_ANSWERS = {"hypertension": "yes", "high_cholesterol": "yes", "physical_inactivity": "yes",
                 "alcohol": "up_to_7", "cognitive_activity": "yes", "healthy_diet": "no",
                 "hearing_loss": "yes", "depression": "no", "smoking": "no", "diabetes": "no"}


def _small_png(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=16).save(path, optimize=True)


class _Server:
    def __init__(self, app: Any, port: int) -> None:
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def main() -> int:
    import socket

    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright
    from typer.testing import CliRunner

    from stridewise import clock
    from stridewise.cli import app as cli_app
    from stridewise.web import create_app

    folder = Path(tempfile.mkdtemp(prefix="sw-screens-"))
    problems: list[str] = []
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    with clock.use_clock(clock.FixedClock(NOW)):
        done = CliRunner().invoke(cli_app, ["demo", "--dir", str(folder),
                                            "--report", str(folder / "r.html")])
        assert done.exit_code == 0, done.output
        app = create_app(f"sqlite:///{folder / 'demo.db'}")
        with _Server(app, port), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            base = f"http://127.0.0.1:{port}"

            def shoot(page: Any, name: str) -> None:
                page.wait_for_load_state("networkidle")
                path = HERE / f"{name}.png"
                page.screenshot(path=str(path), full_page=True)
                _small_png(path)
                found = Axe().run(page, options={"runOnly": {"type": "tag",
                                                             "values": WCAG_TAGS}})
                for v in found.response.get("violations", []):
                    problems.append(f"{name}: {v['id']} {v['nodes'][0]['target']}")
                print(f"{path.name}: {path.stat().st_size // 1024} KiB")

            for width in (360, 1280):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(base + "/brain")
                for qid, value in BRAIN_ANSWERS.items():
                    page.select_option(f"#brain-{qid}", value)
                page.click("text=Save my answers")
                shoot(page, f"brain-{width}")
                context.close()

            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            page.goto(base + "/onboarding")
            shoot(page, "onboarding-1-about-you-360")
            page.select_option("#sex", "female") if page.locator("select#sex").count() \
                else page.check("input[name=sex][value=female]")
            page.fill("#birth_year", "1958")
            page.fill("#body_mass_kg", "64")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            shoot(page, "onboarding-2-health-questions-360")
            for radio in page.locator("input[type=radio][value=no]").all():
                radio.check()
            page.check("input[name=bone_joint_or_soft_tissue_problem][value=yes]")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            shoot(page, "onboarding-3-follow-ups-360")
            page.check("input[name=follow_up][value=bone_joint_a]")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            shoot(page, "onboarding-4-bones-360")
            for radio in page.locator("input[type=radio][value=no]").all():
                if radio.is_visible():
                    radio.check()
            page.fill("#walking_days_per_week", "3")
            page.fill("#walking_minutes_per_day", "30")
            page.click("text=See my result")
            page.wait_for_load_state("networkidle")
            shoot(page, "onboarding-5-result-360")
            text = html.unescape(page.content())
            if "steroid" in re.sub(r"<[^>]+>", " ", text).lower().split("points to discuss")[0]:
                print("note: the result mentions steroids")
            context.close()
            browser.close()
    for problem in problems:
        print("axe:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
