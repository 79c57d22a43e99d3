"""The sample pack's files: the scenario written in each style (English CSV; Chinese GBK CSV;
bilingual Excel with title rows, two-line and merged headers; a mix with legacy .xls, a punch list,
`;` delimiters and currency text; printed, scanned and photographed documents). The writers read
the scenario only; what they write is never read back by the oracle."""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from preaudit.samples.scenario import D, MONTHS, hm, Worker, INSPECTION_POINTS, LICENSES


LOG_HEADERS = {
    "gate": {"en": {"worker_id": "Badge", "name": "Name", "timestamp": "Swipe Time", "direction": "Direction",
                    "gate": "Gate", "date": "Date", "time": "Time"},
             "zh": {"worker_id": "工号", "name": "姓名", "timestamp": "刷卡时间", "direction": "进出", "gate": "门岗",
                    "date": "日期", "time": "时间"}},
    "visitors": {"en": {"date": "Date", "visitor_name": "Visitor Name", "company": "Company", "id_type": "ID Type",
                        "id_number": "ID Number", "id_checked": "ID Checked", "host": "Host", "time_in": "Time In",
                        "time_out": "Time Out", "badge_no": "Badge No", "escort": "Escort"},
                 "zh": {"date": "日期", "visitor_name": "访客姓名", "company": "来访单位", "id_type": "证件类型",
                        "id_number": "证件号码", "id_checked": "证件核验", "host": "被访人", "time_in": "进入时间",
                        "time_out": "离开时间", "badge_no": "访客证号", "escort": "陪同人"}},
    "seals": {"en": {"date": "Date", "container_no": "Container No", "seal_no": "Seal No", "seal_type": "Seal Type",
                     "applied_by": "Sealed By", "verified_by": "Verified By", "vvtt_done": "VVTT"},
              "zh": {"date": "日期", "container_no": "柜号", "seal_no": "封条号", "seal_type": "封条类型",
                     "applied_by": "施封人", "verified_by": "核查人", "vvtt_done": "VVTT检查"}},
    "inspections": {"en": {"date": "Inspection Date", "container_no": "Container No", "seal_no": "Seal No",
                           "front_wall": "Front Wall", "left_side": "Left Side", "right_side": "Right Side",
                           "floor": "Floor", "ceiling_roof": "Ceiling/Roof", "doors": "Inside/Outside Doors",
                           "undercarriage": "Outside/Undercarriage", "inspector": "Inspector"},
                    "zh": {"date": "检查日期", "container_no": "柜号", "seal_no": "封条号", "front_wall": "前壁",
                           "left_side": "左侧", "right_side": "右侧", "floor": "地板", "ceiling_roof": "顶部",
                           "doors": "内外门", "undercarriage": "底盘", "inspector": "检查人"}},
    "licenses": {"en": {"license_type": "License", "number": "License No", "holder_name": "Holder",
                        "holder_uscc": "USCC", "address": "Address", "issue_date": "Issue Date",
                        "valid_until": "Valid Until", "issuer": "Issued By"},
                 "zh": {"license_type": "证照名称", "number": "证号", "holder_name": "持证单位",
                        "holder_uscc": "统一社会信用代码", "address": "地址", "issue_date": "发证日期",
                        "valid_until": "有效期至", "issuer": "发证机关"}},
}


def _cell(value: Any, style: str, field_name: str) -> Any:
    """A value as each style writes it."""
    zh = style == "zh-gbk"
    if value is None:
        return None if style in ("bilingual-xlsx", "mixed") else ""
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("Y" if value else "N")
    if field_name == "direction":
        return ("进" if value == "in" else "出") if zh else value.upper()
    if field_name in INSPECTION_POINTS:
        return ("合格" if value == "pass" else "不合格") if zh else value
    if isinstance(value, dt.datetime):
        return {"zh-gbk": f"{_fmt_date(value.date(), 'cjk')} {value:%H:%M}", "mixed": f"{value:%d/%m/%Y %H:%M}",
                "en": f"{value:%Y-%m-%d %H:%M}"}.get(style, value)
    if isinstance(value, D):
        return {"zh-gbk": _fmt_date(value, "cjk"), "bilingual-xlsx": value}.get(style, value.isoformat())
    return value


def _log_files(style: str, logs: dict[str, list[dict[str, Any]]], rng: random.Random) -> dict[str, bytes]:
    import openpyxl

    files = {}
    for stem, rows in logs.items():
        language = "zh" if style == "zh-gbk" else "en"
        headers = dict(LOG_HEADERS[stem][language])
        fields = [f for f in headers if f not in ("date", "time") or stem != "gate"]
        if style == "bilingual-xlsx":
            headers = {f: f"{LOG_HEADERS[stem]['zh'][f]} / {LOG_HEADERS[stem]['en'][f]}" for f in headers}
            if stem == "gate":  # date and time in two columns, as many access-control exports do
                fields = ["worker_id", "name", "date", "time", "direction", "gate"]
                rows = [{**r, "date": r["timestamp"].date(), "time": r["timestamp"].time()} for r in rows]
        if style == "mixed":
            fields = _shuffled(rng, fields)
        table = [[headers[f] for f in fields]] + [[_cell(r.get(f), style, f) for f in fields] for r in rows]
        folder = "licenses" if stem == "licenses" else "security"
        if style in ("en", "zh-gbk"):
            files[f"{folder}/{stem}.csv"] = _csv(table, encoding="gbk" if style == "zh-gbk" else "utf-8")
        else:
            book = openpyxl.Workbook()
            for row in table:
                book.active.append(row)
            files[f"{folder}/{stem}.xlsx"] = _save(book)
    return files


# ------------------------------------------------------------------ writing styles

ROSTER_HEADERS = {
    "en": {"worker_id": "Employee ID", "name": "Name", "national_id": "ID Card No", "birth_date": "Date of Birth",
           "gender": "Gender", "hire_date": "Join Date", "department": "Department"},
    "zh": {"worker_id": "工号", "name": "姓名", "national_id": "身份证号码", "birth_date": "出生日期",
           "gender": "性别", "hire_date": "入职日期", "department": "部门"},
    "bi": {"worker_id": "工号 / Emp. No.", "name": "姓名 / Name", "national_id": "身份证号 / ID No.",
           "gender": "性别 / Sex", "hire_date": "入厂日期 / Hire Date", "department": "部门 / Dept"},
}
PAY_HEADERS = {
    "en": {"worker_id": "Emp. No.", "name": "Employee Name", "period": "Pay Period",
           "regular_hours": "Regular Hours", "ot_hours_weekday": "OT Hours Weekday",
           "ot_hours_restday": "OT Hours Rest Day", "ot_hours_holiday": "OT Hours Holiday",
           "hourly_rate": "Hourly Rate", "base_pay": "Basic Salary", "ot_pay": "Overtime Pay",
           "allowances": "Allowances", "deductions": "Deductions", "social_insurance": "Social Insurance",
           "gross_pay": "Gross Pay", "net_pay": "Net Pay", "pay_date": "Payment Date"},
    "zh": {"worker_id": "员工编号", "name": "姓名", "period": "工资月份", "regular_hours": "正常工时",
           "ot_hours_weekday": "平时加班工时", "ot_hours_restday": "休息日加班工时",
           "ot_hours_holiday": "法定假日加班工时", "hourly_rate": "小时工资", "base_pay": "基本工资",
           "ot_pay": "加班费", "allowances": "津贴", "deductions": "扣款", "social_insurance": "社保",
           "gross_pay": "应发工资", "net_pay": "实发工资", "pay_date": "发放日期"},
}
TIME_HEADERS = {
    "en": {"worker_id": "Staff No", "name": "Name", "date": "Date", "in1": "In 1", "out1": "Out 1",
           "in2": "In 2", "out2": "Out 2", "in3": "In 3", "out3": "Out 3", "break_minutes": "Break Minutes"},
    "zh": {"worker_id": "工号", "name": "姓名", "date": "日期", "in1": "上班1", "out1": "下班1",
           "in2": "上班2", "out2": "下班2", "in3": "加班上班", "out3": "加班下班", "break_minutes": "休息分钟"},
}


def _shuffled(rng: random.Random, fields: list[str], keep_first: int = 1) -> list[str]:
    head, tail = fields[:keep_first], fields[keep_first:]
    rng.shuffle(tail)
    return head + tail


def _csv(rows: list[list[Any]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _fmt_date(d: D, style: str) -> str:
    return {"iso": d.isoformat(), "cjk": f"{d.year}年{d.month}月{d.day}日",
            "dmy": d.strftime("%d/%m/%Y"), "slash": f"{d.year}/{d.month}/{d.day}"}[style]


def _time_rows(workers: list[Worker], month: str) -> list[dict[str, Any]]:
    rows = []
    for w in workers:
        for d in sorted(x for x in w.days if x.strftime("%Y-%m") == month):
            pairs = w.days[d]
            row = {"worker_id": w.worker_id, "name": w.name, "date": d, "pairs": pairs,
                   "break_minutes": w.breaks.get(d, 0)}
            rows.append(row)
    return rows


def _roster_value(w: Worker, f: str, date_style: str) -> Any:
    return {"worker_id": w.worker_id, "name": w.name, "national_id": w.national_id,
            "birth_date": _fmt_date(w.roster_birth or w.birth, date_style), "gender": "男" if w.gender == "M" else "女",
            "hire_date": _fmt_date(w.hire, date_style), "department": w.department}[f]


def _write_en(workers, pay, rng) -> dict[str, bytes]:
    files = {}
    rh = ROSTER_HEADERS["en"]
    fields = _shuffled(rng, list(rh))
    files["hr/roster.csv"] = _csv([[rh[f] for f in fields]] + [
        [_roster_value(w, f, "iso") if f != "gender" else w.gender for f in fields] for w in workers if w.on_roster])
    th = TIME_HEADERS["en"]
    for month in MONTHS:
        fields = _shuffled(rng, list(th), keep_first=3)
        rows = [[th[f] for f in fields]]
        for r in _time_rows(workers, month):
            pairs = r["pairs"] + [(None, None)] * (3 - len(r["pairs"]))
            values = {"worker_id": r["worker_id"], "name": r["name"], "date": r["date"].isoformat(),
                      "break_minutes": r["break_minutes"]}
            for k, (a, b) in enumerate(pairs, 1):
                values[f"in{k}"], values[f"out{k}"] = (hm(a) if a is not None else ""), (hm(b) if b is not None else "")
            rows.append([values[f] for f in fields])
        files[f"time/attendance-{month}.csv"] = _csv(rows)
    ph = PAY_HEADERS["en"]
    fields = _shuffled(rng, list(ph))
    files["payroll/payroll-2026Q2.csv"] = _csv([[ph[f] for f in fields]] + [
        ["" if line[f] is None else (line[f].isoformat() if isinstance(line[f], D) else line[f]) for f in fields]
        for line in pay])
    return files


def _write_zh_gbk(workers, pay, rng) -> dict[str, bytes]:
    """Everything as Chinese Excel saves "CSV": GBK, Chinese headers, 2026年3月2日 dates; the
    time records tab-separated; the roster without a birth-date column (age from the ID)."""
    files = {}
    rh = {k: v for k, v in ROSTER_HEADERS["zh"].items() if k != "birth_date"}
    fields = _shuffled(rng, list(rh))
    files["人事/花名册.csv"] = _csv([[rh[f] for f in fields]] + [
        [_roster_value(w, f, "cjk") for f in fields] for w in workers if w.on_roster], encoding="gbk")
    th = TIME_HEADERS["zh"]
    for month in MONTHS:
        fields = _shuffled(rng, list(th), keep_first=2)
        rows = [[th[f] for f in fields]]
        for r in _time_rows(workers, month):
            pairs = r["pairs"] + [(None, None)] * (3 - len(r["pairs"]))
            values = {"worker_id": r["worker_id"], "name": r["name"], "date": _fmt_date(r["date"], "cjk"),
                      "break_minutes": r["break_minutes"] or ""}
            for k, (a, b) in enumerate(pairs, 1):
                values[f"in{k}"], values[f"out{k}"] = (hm(a) if a is not None else ""), (hm(b) if b is not None else "")
            rows.append([values[f] for f in fields])
        files[f"考勤/{month}考勤.csv"] = _csv(rows, delimiter="\t", encoding="gbk")
    ph = PAY_HEADERS["zh"]
    fields = _shuffled(rng, list(ph))
    files["工资/工资表.csv"] = _csv([[ph[f] for f in fields]] + [
        ["" if line[f] is None else (_fmt_date(line[f], "cjk") if isinstance(line[f], D)
                                     else (f"{line[f][:4]}年{int(line[f][5:])}月" if f == "period" else line[f]))
         for f in fields] for line in pay], encoding="gbk")
    return files


def _write_bilingual_xlsx(workers, pay, rng) -> dict[str, bytes]:
    """Excel: title rows, one-cell bilingual headers, two-line headers under merged group cells
    (上午 / AM over In and Out), native dates and times, a payroll sheet per month whose period is
    only in the sheet name."""
    import openpyxl

    files = {}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册 Roster"
    rh = ROSTER_HEADERS["bi"]
    fields = _shuffled(rng, list(rh))
    sheet.append(["上海示例服装有限公司 员工花名册 / Employee Roster"])
    sheet.append([])
    sheet.append([rh[f] for f in fields])
    for w in workers:
        if w.on_roster:
            sheet.append([{"hire_date": w.hire, "gender": "男" if w.gender == "M" else "女"}.get(f) or
                          _roster_value(w, f, "iso") for f in fields])
    files["HR/roster.xlsx"] = _save(book)

    book = openpyxl.Workbook()
    book.remove(book.active)
    for month in MONTHS:
        sheet = book.create_sheet(f"{month} 考勤")
        sheet.append([f"{month[:4]}年{int(month[5:])}月考勤记录 / Attendance {month}"])
        sheet.append(["工号", "姓名", "日期", "上午 / AM", None, "下午 / PM", None, "加班 / OT", None, "休息分钟"])
        sheet.append(["Emp. No.", "Name", "Date", "上班 In", "下班 Out", "上班 In", "下班 Out", "上班 In",
                      "下班 Out", "Break Min"])
        for c0 in (4, 6, 8):
            sheet.merge_cells(start_row=2, start_column=c0, end_row=2, end_column=c0 + 1)
        for r in _time_rows(workers, month):
            pairs = r["pairs"] + [(None, None)] * (3 - len(r["pairs"]))
            times = [dt.time(x // 60 % 24, x % 60) if x is not None else None for p in pairs for x in p]
            sheet.append([r["worker_id"], r["name"], r["date"], *times, r["break_minutes"]])
    files["attendance/考勤记录2026.xlsx"] = _save(book)

    book = openpyxl.Workbook()
    book.remove(book.active)
    ph = {f: f"{PAY_HEADERS['zh'][f]}\n{PAY_HEADERS['en'][f]}" for f in PAY_HEADERS["en"] if f != "period"}
    fields = _shuffled(rng, list(ph))
    for month in MONTHS:
        sheet = book.create_sheet(month)
        sheet.append(["工资表 Payroll — 上海示例服装有限公司"])
        sheet.append([ph[f] for f in fields])
        for line in (x for x in pay if x["period"] == month):
            sheet.append([line[f] for f in fields])
        sheet.append(["合计 / Total"] + [None] * (len(fields) - 1))
    files["payroll/wages-2026.xlsx"] = _save(book)
    return files


def _write_mixed(workers, pay, rng) -> dict[str, bytes]:
    """A legacy .xls roster; time records as UTF-8-with-BOM, ';'-separated, day-first dates and
    all punches in one column; payroll in .xlsx with amounts as currency text."""
    import openpyxl
    import xlwt

    files = {}
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    rh = {**ROSTER_HEADERS["en"], "worker_id": "Staff ID", "birth_date": "DOB"}
    fields = _shuffled(rng, list(rh))
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for c, f in enumerate(fields):
        sheet.write(0, c, rh[f])
    for r, w in enumerate((w for w in workers if w.on_roster), 1):
        for c, f in enumerate(fields):
            if f in ("birth_date", "hire_date"):
                sheet.write(r, c, (w.roster_birth or w.birth) if f == "birth_date" else w.hire, date_style)
            else:
                sheet.write(r, c, w.gender if f == "gender" else _roster_value(w, f, "iso"))
    buf = io.BytesIO()
    book.save(buf)
    files["roster.xls"] = buf.getvalue()

    rows = [["Date", "Employee ID", "Name", "Punch Records", "Break"]]
    for month in MONTHS:
        for r in _time_rows(workers, month):
            punches = " ".join(f"{hm(a)}-{hm(b)}" for a, b in r["pairs"])
            rows.append([_fmt_date(r["date"], "dmy"), r["worker_id"], r["name"], punches, r["break_minutes"]])
    files["time/clock-export.csv"] = b"\xef\xbb\xbf" + _csv(rows, delimiter=";")

    book = openpyxl.Workbook()
    sheet = book.active
    ph = {**PAY_HEADERS["en"], "base_pay": "Base Salary (RMB)", "net_pay": "Take Home"}
    fields = _shuffled(rng, list(ph))
    sheet.append([ph[f] for f in fields])
    for line in pay:
        sheet.append([f"¥{line[f]:,.2f}" if f in ("base_pay", "gross_pay", "net_pay") and line[f] is not None
                      else (line[f].isoformat() if isinstance(line[f], D) else line[f]) for f in fields])
    files["payroll.xlsx"] = _save(book)
    return files


def _save(book) -> bytes:
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


STYLES = {"en": _write_en, "zh-gbk": _write_zh_gbk, "bilingual-xlsx": _write_bilingual_xlsx,
          "mixed": _write_mixed, "scanned": _write_en}


def _pdf_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, D):
        return value.isoformat()
    return str(value)


def _license_lines(zh: str, en: str, number: str, holder: str, code: str | None, until: D) -> list[str]:
    lines = [f"{zh} {en}"]
    if code:
        lines.append(f"统一社会信用代码：{code}")
    lines += [f"编号：{number}", f"名称：{holder}", "住所：上海市浦东新区示例路88号",
              f"有效期至：{until.year}年{until.month}月{until.day}日", "发证机关：上海市浦东新区市场监督管理局"]
    return lines


#: the security logs printed and scanned into one PDF: the seal log a Chinese register (是/否, 2026年3月10日)
SCANNED_LOGS = {"visitors": "Visitors", "seals": "封条使用登记", "inspections": "Inspections"}
SCANNED_TIME_PAGES = 2  # of March's attendance register
SCAN_DPI = (200, 300)  # each page scanned at a resolution drawn from this range
SCAN_SKEW = 3.0        # degrees, either way


def _as_documents(files: dict[str, bytes], workers: list[Worker], pay: list[dict[str, Any]],
                  logs: dict[str, list[dict[str, Any]]], seed: int) -> dict[str, bytes]:
    """The English pack as paper: March's time records printed (digital PDF) but for their first
    pages, which arrive scanned; the payroll printed; the security logs printed (the seal log as a
    Chinese register) and scanned into one PDF (three documents of three kinds, the inspection
    page fed in sideways); the certificates as PDF pages and the business license as a phone
    photo. Scans are at 200-300 dpi with up to 3° of skew, noise and JPEG artefacts."""
    from preaudit.samples import render

    th = TIME_HEADERS["en"]
    rows = []
    for r in _time_rows(workers, "2026-03"):
        pairs = r["pairs"] + [(None, None)] * (3 - len(r["pairs"]))
        rows.append([r["worker_id"], r["name"], r["date"].isoformat(),
                     *[hm(x) if x is not None else "" for p in pairs for x in p], r["break_minutes"]])
    files.pop("time/attendance-2026-03.csv")
    attendance = render.table_pdf("Attendance March 2026 / 2026年3月考勤", [th[f] for f in th], rows, font_size=8)
    # the register's first pages arrive as a scan, the rest as the printout's PDF (the header
    # repeats on every page, so each part stands alone)
    scanned, printed = _split_pdf(attendance, SCANNED_TIME_PAGES)
    files["time/attendance-2026-03.pdf"] = printed
    files["time/attendance-2026-03-scan.pdf"] = render.scan(scanned, dpi=SCAN_DPI, max_skew=SCAN_SKEW, seed=seed + 1)
    ph = PAY_HEADERS["en"]
    files.pop("payroll/payroll-2026Q2.csv")
    files["payroll/payroll-2026Q2.pdf"] = render.table_pdf(
        "Payroll register March-May 2026", [ph[f] for f in ph],
        [[_pdf_value(line[f]) for f in ph] for line in pay], landscape=True, font_size=6.5)
    pages = []
    for stem, title in SCANNED_LOGS.items():
        files.pop(f"security/{stem}.csv")
        chinese = any(ord(c) > 0x3000 for c in title)
        headers = LOG_HEADERS[stem]["zh" if chinese else "en"]
        value = (lambda v, f: _cell(v, "zh-gbk", f)) if chinese else (lambda v, f: _pdf_value(v))
        pages.append(render.table_pdf(title, [headers[f] for f in headers],
                                      [[value(r.get(f), f) for f in headers] for r in logs[stem]],
                                      landscape=True, font_size=10))
    files["security/security-logs-scan.pdf"] = render.scan(_concat_pdfs(pages), dpi=SCAN_DPI, max_skew=SCAN_SKEW,
                                                            seed=seed, sideways_pages=(3,))
    files.pop("licenses/licenses.csv")
    current = LICENSES[0]
    files["licenses/business-license-photo.jpg"] = render.photo(_license_lines(*current), seed=seed)
    files["licenses/certificates.pdf"] = render.text_pdf([_license_lines(*lic) for lic in LICENSES[1:]])
    return files


def _split_pdf(pdf: bytes, first: int) -> tuple[bytes, bytes]:
    """(the first ``first`` pages, the rest) as two PDFs."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(pdf)
    parts = []
    for indices in (list(range(first)), list(range(first, len(source)))):
        part = pdfium.PdfDocument.new()
        part.import_pages(source, indices)
        buf = io.BytesIO()
        part.save(buf)
        parts.append(buf.getvalue())
    return parts[0], parts[1]


def _concat_pdfs(pdfs: list[bytes]) -> bytes:
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    for data in pdfs:
        out.import_pages(pdfium.PdfDocument(data))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
