"""Run every benchmark module (or those named on the command line) and write docs/benchmarks.md."""

from __future__ import annotations

import importlib
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    names = argv or sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    sections = []
    for name in names:
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        section = importlib.import_module(f"bench.{name}").run()
        print(section, flush=True)
        sections.append(section + f"\n\n_{name} took {time.perf_counter() - t0:.0f} s._\n")
    header = (
        "# Benchmarks\n\nWritten by `make bench`; every ratio compares tools measured in the same "
        f"run on the same machine.\n\nMachine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{time.strftime('%Y-%m-%d')}.\n\n"
    )
    out = ROOT / "docs" / "benchmarks.md"
    out.write_text(header + "\n".join(sections))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
