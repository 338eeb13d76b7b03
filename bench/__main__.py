"""Run every benchmark module (or those named on the command line) and write docs/benchmarks.md.

Running some modules only replaces their sections: the sections of the modules that were
not run are kept as they were (each still says the date it was measured), so
``python -m bench bench_fit`` never deletes the import or web numbers.
"""

from __future__ import annotations

import importlib
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
_START = "<!-- bench:{} -->"
_END = "<!-- /bench:{} -->"
_MARKED = re.compile(r"<!-- bench:(\w+) -->\n(.*?)\n<!-- /bench:\1 -->", re.S)
# Files written before the markers end each section with "_bench_xxx took N s._".
_LEGACY_TRAILER = re.compile(r"^_(bench_\w+) took [\d.]+ s\._$", re.M)


def split_sections(text: str) -> dict[str, str]:
    """The sections of an existing docs/benchmarks.md by module name, in file order."""
    sections = {m.group(1): m.group(2) for m in _MARKED.finditer(text)}
    if sections:
        return sections
    body_start = text.find("\n## ")
    if body_start < 0:
        return {}
    # The old header held the one date of the whole run: each kept section now says it.
    dated = re.search(r"(\d{4}-\d{2}-\d{2})\.\n", text[:body_start])
    start = body_start + 1
    for m in _LEGACY_TRAILER.finditer(text):
        if m.start() < start:
            continue
        section = text[start : m.end()].strip()
        if dated:
            section = section[: -len("._")] + f" on {dated.group(1)}._"
        sections[m.group(1)] = section
        start = m.end() + 1
    return sections


def merge(old_text: str, new_sections: dict[str, str], header: str) -> str:
    """``header`` plus every section: the new ones replace the old ones of the same module,
    the others are kept; modules come in name order."""
    sections = split_sections(old_text)
    sections.update(new_sections)
    body = "\n\n".join(
        f"{_START.format(name)}\n{sections[name].strip()}\n{_END.format(name)}"
        for name in sorted(sections)
    )
    return header + body + "\n"


def main(argv: list[str]) -> None:
    names = argv or sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    sections: dict[str, str] = {}
    for name in names:
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        section = importlib.import_module(f"bench.{name}").run()
        print(section, flush=True)
        sections[name] = (section + f"\n\n_{name} took {time.perf_counter() - t0:.0f} s "
                          f"on {time.strftime('%Y-%m-%d')}._")
    header = (
        "# Benchmarks\n\nWritten by `make bench` (`python -m bench NAME` reruns one section "
        "and keeps the others); every ratio compares tools measured in the same "
        f"run on the same machine.\n\nMachine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, NumPy {np.__version__}.\n\n"
    )
    out = ROOT / "docs" / "benchmarks.md"
    old = out.read_text() if out.is_file() else ""
    out.write_text(merge(old, sections, header))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
