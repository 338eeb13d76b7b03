"""Big inputs (issue 11): a 100,000-row session CSV imported end to end, a million-row CSV
refused at the row cap, and a 3.5-million-point 1 Hz GPX (972 hours) refused while streaming.

Each case runs in a fresh process so its peak memory (``ru_maxrss``) is its own. Before the
fix: the million-row CSV had stored nothing after 120 s (0.8 ms a row, 1 GB and climbing) and
the GPX was stored as one 972-hour run after taking 1.5 GB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap

WRITE = textwrap.dedent('''
    import sys
    from datetime import date, timedelta
    from pathlib import Path

    import numpy as np

    kind, n, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    if kind == "csv":
        first = date(1955, 1, 1)  # four a day: 100,000 rows end in 2023
        rows = [f"{first + timedelta(days=i // 4)}T{6 + 4 * (i % 4):02d}:00,run,30,5,4,"
                for i in range(n)]
        path = folder / "log.csv"
        path.write_text("date,type,duration,distance_km,rpe,notes\\n" + "\\n".join(rows) + "\\n")
    else:
        lat = (45.0 + np.arange(n) * 2.0 / 111_195.0).tolist()
        stamps = np.datetime_as_string(np.datetime64("2025-01-01T00:00:00") + np.arange(n),
                                       unit="s").tolist()
        path = folder / "long.gpx"
        with path.open("w") as out:
            out.write('<?xml version="1.0"?><gpx version="1.1" '
                      'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>')
            out.writelines(f'<trkpt lat="{y:.7f}" lon="7.0"><time>{s}Z</time></trkpt>'
                           for y, s in zip(lat, stamps))
            out.write("</trkseg></trk></gpx>")
''')

CASE = textwrap.dedent('''
    import resource, sys, time
    from pathlib import Path

    kind, folder = sys.argv[1], Path(sys.argv[2])
    path = folder / ("log.csv" if kind == "csv" else "long.gpx")
    from stridewise.importer import import_paths
    from stridewise.store import open_store

    store = open_store(f"sqlite:///{folder / 'sw.db'}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    [result] = import_paths(store, [path], athlete_id=store.default_athlete_id()).files
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(result.status, len(result.manual_session_ids) + len(result.activity_ids),
          f"{seconds:.2f}", peak // 1024, before // 1024, (result.reason or "")[:70], sep="|")
''')

CASES = (("csv", 100_000, "session CSV, 100,000 rows"),
         ("csv", 1_000_000, "session CSV, 1,000,000 rows"),
         ("gpx", 3_500_000, "GPX, 3,500,000 points at 1 Hz (972 h)"))


def run() -> str:
    lines = ["## Big inputs (issue 11)", "",
             "| input | outcome | stored | import time | peak RSS |", "|---|---|---|---|---|"]
    for kind, n, label in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            # Written by one process, imported by another: the peak RSS is the import's own.
            subprocess.run([sys.executable, "-c", WRITE, kind, str(n), tmp], check=True)
            out = subprocess.run([sys.executable, "-c", CASE, kind, tmp],
                                 capture_output=True, text=True, check=True).stdout
        status, stored, seconds, peak_mb, _, reason = out.strip().splitlines()[-1].split("|")
        outcome = status + (f" ({reason}...)" if reason else "")
        lines.append(f"| {label} | {outcome} | {stored} | {seconds} s | {peak_mb} MB |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
