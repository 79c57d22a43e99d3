"""Valid large input (issue 27, item 3): one CSV of valid time records with templated punches
(every worker clocks the same minutes every weekday), of a given size in MB.

    .venv/bin/python bench/large_input.py --mb 50 [--keep DIR]

Used by bench/run.py ``--cases large``: the end-to-end audit in a child process (time, peak RSS,
size of findings.json / findings.csv / report.html) against polars.read_csv of the same file.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

ROW_BYTES = len("E000000,2026-01-05,08:00,12:00,13:00,17:00\r\n")
WEEKDAYS = [d for d in (dt.date(2026, 1, 1) + dt.timedelta(k) for k in range(365)) if d.weekday() < 5]


def write_pack(folder: Path, mb: float) -> int:
    """factory.yaml and time.csv of about ``mb`` MB; returns the number of workers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "factory.yaml").write_text(
        "factory_id: F-LARGE\njurisdiction: CN-SH\nstandards: [sa8000]\naudit_date: 2027-01-15\n"
        "period: {start: 2026-01-01, end: 2026-12-31}\n", encoding="utf-8")
    workers = max(2, int(mb * 1e6 / ROW_BYTES / len(WEEKDAYS)))
    dates = [d.isoformat() for d in WEEKDAYS]
    with (folder / "time.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("工号,日期,上班1,下班1,上班2,下班2\r\n")
        for i in range(workers):
            wid = f"E{i:06d}"
            out.write("".join(f"{wid},{d},08:00,12:00,13:00,17:00\r\n" for d in dates))
    return workers


if __name__ == "__main__":
    import argparse
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--keep")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="preaudit-large-"))
    n = write_pack(folder, args.mb)
    print(f"{folder}: {n} workers, {(folder / 'time.csv').stat().st_size / 1e6:.1f} MB")
