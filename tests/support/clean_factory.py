"""A clean factory's pack (roster, gate log, tap logs, wage registers of two months that break no rule), and the run that audits one: the base the coverage, review and rule tests change one thing in."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from preaudit.app.pipeline import audit
from preaudit.core.storage import LocalStorage


def resident_id(body: str) -> str:
    """A Chinese resident ID with its GB 11643 check character."""
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


WORKERS = [("1001", "王芳", resident_id("31010119900101123"), "1990-01-01"),
           ("1002", "李强", resident_id("31010119920202234"), "1992-02-02"),
           ("1003", "张伟", resident_id("31010119880303345"), "1988-03-03")]


MONTHS = ("2026-03", "2026-04")


PROFILE = """factory_id: F-SH-TEST
legal_name: Shanghai Test Garments Co., Ltd.
jurisdiction: CN-SH
audit_date: 2026-06-15
period: {start: 2026-03-01, end: 2026-04-30}
required_licenses: []
"""


def weekdays(month: str) -> list[dt.date]:
    year, mon = (int(x) for x in month.split("-"))
    day, out = dt.date(year, mon, 1), []
    while day.month == mon:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def jitter(day: dt.date, k: int) -> int:
    """People never tap at the same minute every day: worker k's minutes past the hour."""
    return (day.day * 7 + k * 3) % 9


def tap_log(month: str, workers=WORKERS) -> str:
    """ZKTeco "Attendance Logs" export: no in/out state, DD/MM/YYYY with unpadded hours."""
    lines = ["Department,Name,No.,Date/Time,Location ID,ID Number,VerifyCode,CardNo"]
    for k, (worker_id, name, *_) in enumerate(workers):
        for day in weekdays(month):
            j = jitter(day, k)
            for clock in (f"7:{50 + j}:10", f"12:0{j}:31", f"13:0{j}:02", f"17:0{j}:45"):
                lines.append(f"Sewing,{name},{worker_id},{day:%d/%m/%Y} {clock},1,,FP,")
    return "\n".join(lines)


def gate_log(months=MONTHS) -> str:
    lines = ["工号,姓名,通行时间,进出方向,门岗"]
    for worker_id, name, *_ in WORKERS:
        for month in months:
            for day in weekdays(month):
                lines += [f"{worker_id},{name},{day} 07:50,进,北门", f"{worker_id},{name},{day} 17:10,出,北门"]
    return "\n".join(lines)


def wage_register(month: str, extra_column: tuple[str, str] | None = None) -> str:
    """A Chinese 工资表: title row, regular hours, base pay at the Shanghai minimum or above."""
    hours = 8 * len(weekdays(month))
    header = ["工号", "姓名", "正常工时(H)", "基本工资", "应发工资", "实发工资", "发放日期"]
    if extra_column:
        header.insert(4, extra_column[0])
    year, mon = month.split("-")
    lines = [f"{year}年{int(mon)}月工资表", ",".join(header)]
    pay_day = dt.date(int(year), int(mon), 28) + dt.timedelta(days=10)
    for worker_id, name, *_ in WORKERS:
        row = [worker_id, name, str(hours), "3000", "3000", "3000", pay_day.isoformat()]
        if extra_column:
            row.insert(4, extra_column[1])
            row[5] = row[6] = str(3000 + float(extra_column[1]))  # gross and net include it
        lines.append(",".join(row))
    return "\n".join(lines)


def roster() -> str:
    lines = ["工号,姓名,性别,身份证号码,出生日期,入职日期,部门,岗位"]
    lines += [f"{w},{n},女,{i},{b},2020-01-06,缝制,车工" for w, n, i, b in WORKERS]
    return "\n".join(lines)


def write_pack(root: Path, files: dict[str, str | bytes]) -> Path:
    (root / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode("gbk" if "工资" in name else "utf-8"))
        else:
            path.write_bytes(content)
    return root


def clean_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"HR/员工花名册.csv": roster(), "security/门禁记录.csv": gate_log()}
    for month in MONTHS:
        files[f"time/AttLog-{month}.csv"] = tap_log(month)
        files[f"payroll/{month}工资表.csv"] = wage_register(month)
    return files


def run(tmp_path: Path, files) -> tuple[Counter, list]:
    result = audit(LocalStorage(write_pack(tmp_path, files)))
    return Counter(f.rule_id for f in result.findings), result.findings
