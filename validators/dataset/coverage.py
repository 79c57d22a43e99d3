"""What was read completely, per record kind and month (and worker-month for time records).

A rule that rests on the absence or the total of records (no time record that day, no payroll
line, hours that do not add up, a worker not on the roster, a licence or inspection missing) may
only speak where what it needs was read completely. Elsewhere DQ-COVERAGE says what could not be
checked and why, with the documents behind it.

Incomplete reading comes from: a document that could not be read or classified whose name or
closest reading says what it holds; a sheet left unclassified inside a workbook that was read;
records rejected because a key value (worker, date, period) could not be read or was
implausible; taps with no partner; payroll columns holding money that no field took.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.values import period_from_context, resolve_month
from preaudit.core.model import DocStatus, DocumentReport, Kind

#: words in a document's path or name that say what it holds, when its content could not
_KIND_HINTS: dict[Kind, re.Pattern[str]] = {
    Kind.TIMESHEET: re.compile(r"time|attend|\batt|clock|punch|考勤|打卡|chấm công|cham cong|timecard|form.?d\b", re.I),
    Kind.PAYROLL: re.compile(r"pay|wage|salar|工资|薪|lương|luong|form.?b\b", re.I),
    Kind.ROSTER: re.compile(r"roster|employee.?list|register of employ|花名册|员工名册|danh sách|form.?a\b", re.I),
    Kind.LICENSE: re.compile(r"licen[cs]e|permit|certificat|执照|许可|证书", re.I),
    Kind.CONTAINER_INSPECTION: re.compile(r"inspect|7.?point|seven.?point|验柜|检查", re.I),
    Kind.SEAL_LOG: re.compile(r"seal|封", re.I),
    Kind.GATE_LOG: re.compile(r"gate|turnstile|门禁|闸机", re.I),
    Kind.PRODUCTION_OUTPUT: re.compile(r"output|piece.?rate|ticket|产量|计件|工票", re.I),
    # swipes, not anything about the canteen (a menu, a hygiene licence)
    Kind.ACCESS_LOG: re.compile(r"(canteen|dining|dorm|食堂|餐厅|饭堂|宿舍).{0,20}(swipe|access|log|record|transac"
                                r"|刷卡|消费|记录|流水)|消费记录|刷卡记录|就餐记录", re.I),
}
#: fields without which a record cannot be placed: its loss leaves a kind-month incomplete
KEY_FIELDS = {"worker_id", "date", "timestamp", "time", "period", "punches", "in1", "out1"}

#: what each record kind is called in a message. The rules resting on a kind are not listed here:
#: each rule declares what it rests on (validators/base.py ``RestsOn``) and the lists are derived
KIND_WORDS = {"timesheet": "time records", "payroll": "payroll", "payroll_arithmetic": "payroll arithmetic",
              "payroll_ot_premium": "overtime pay", "roster": "roster", "license": "licences",
              "license_expiry": "licence expiry dates", "container_inspection": "container inspections",
              "seal_log": "seal log", "gate_log": "gate log", "visitor_log": "visitor log",
              "production_output": "production output", "access_log": "canteen / dormitory swipes"}


@dataclass
class Gap:
    kind: str                 # a record kind, or "payroll_arithmetic"
    month: str | None         # None: the month could not be told, so every month of the period
    reason: str
    documents: list[DocumentReport] = field(default_factory=list)
    #: the month a document's name gives lies outside the audit period: the gap is said, and it
    #: leaves no month of the period incomplete (issue 27, item 11)
    outside: bool = False


def _hinted_kinds(doc: DocumentReport) -> list[Kind]:
    if doc.closest:
        return [doc.closest]
    return [k for k, pattern in _KIND_HINTS.items() if pattern.search(doc.path)]


def month_hint(texts: list[str]) -> str | None:
    month = period_from_context(texts)
    return None if month is None or month.startswith("XXXX") else month


def named_month(texts: list[str], period_months: list[str] | None) -> tuple[str | None, bool]:
    """(the month a name gives, whether it lies outside the audit period). A month written
    without its year ("工资表8月") takes the one year that puts it inside the period; none: it
    is outside. No month in the name: (None, False) — the whole period, nothing else is known."""
    month = period_from_context(texts)
    if month is None or not period_months:
        return (None if month is None or month.startswith("XXXX") else month), False
    if month.startswith("XXXX"):
        first, last = period_months[0], period_months[-1]
        import datetime as dt

        resolved = resolve_month(month, dt.date(int(first[:4]), int(first[5:]), 1),
                                 dt.date(int(last[:4]), int(last[5:]), 28))
        if resolved is not None:
            return resolved, False
        years = {int(m[:4]) for m in period_months}
        if any(f"{y:04d}{month[4:]}" in period_months for y in years):
            return None, False  # the month falls in the period twice (a period over a year): unknown
        return month, True
    return month, month not in period_months


def document_gaps(documents: list[DocumentReport], months_of: dict[tuple[str, str], set[str]],
                  period_months: list[str] | None = None) -> list[Gap]:
    """Gaps that documents and sheets left. ``months_of[(kind, path)]`` holds the months of the
    records a document did give (where a lost record most likely belongs). A document that gave
    nothing is placed by its name alone: the kind its name suggests, for the month its name gives
    (resolved within ``period_months``); a name outside the period leaves no month of it
    incomplete, and says so."""
    gaps: list[Gap] = []
    for doc in documents:
        if doc.status in (DocStatus.UNREADABLE, DocStatus.UNCLASSIFIED):
            for kind in _hinted_kinds(doc):
                month, outside = named_month([doc.path], period_months)
                reason = f"{doc.path} was {doc.status.value}: {doc.reason}"
                if outside:
                    reason += (f"; its name gives {month.replace('XXXX-', 'month ')}, outside the audit period "
                               f"({period_months[0]} to {period_months[-1]}): no month audited is affected")
                gaps.append(Gap(kind.value, month, reason, [doc], outside=outside))
            continue
        gaps += _unread_pages(doc, months_of)
        for sheet in doc.parts:
            if sheet.status is DocStatus.UNCLASSIFIED:
                kinds = [sheet.closest.value] if sheet.closest else \
                    [k.value for k, p in _KIND_HINTS.items() if p.search(str(sheet.sheet or ""))]
                for kind in kinds:
                    gaps.append(Gap(kind, month_hint([str(sheet.sheet or ""), doc.path]),
                                    f"sheet {sheet.sheet!r} of {doc.path} was not classified: "
                                    f"{sheet.reason}", [doc]))
                continue
            kind = sheet.kind
            if sheet.presence_only:
                where = f"sheet {sheet.sheet!r} of {doc.path}" if sheet.sheet else doc.path
                for month in sorted(months_of.get((kind, doc.path)) or {None}, key=lambda m: m or ""):
                    gaps.append(Gap(kind, month, f"{where} marks presence (√ 休 P …), not clock times: its days "
                                                 f"have no hours", [doc]))
                continue
            lost = sum(1 for p in sheet.problems if p.field in KEY_FIELDS and p.row)
            if not kind or not lost:
                continue
            where = f"sheet {sheet.sheet!r} of {doc.path}" if sheet.sheet else doc.path
            months = months_of.get((kind, doc.path)) or {month_hint([str(sheet.sheet or ""), doc.path])}
            for month in sorted(months, key=lambda m: m or ""):
                gaps.append(Gap(kind, month, f"{lost} record(s) of {where} lost: a worker, date or period "
                                             f"could not be read", [doc]))
    return gaps


def _unread_pages(doc: DocumentReport, months_of: dict[tuple[str, str], set[str]]) -> list[Gap]:
    """Pages of a read document that gave no text though they hold ink (too dark, orientation
    unknown): their records are missing from the document's kind and months. A blank page is none."""
    unread = [s for s in doc.pages_read if s.unread]
    kinds = sorted({s.kind for s in doc.parts if s.kind})
    if not unread or len(kinds) != 1:
        return []
    pages = "; ".join(f"page {s.page}: {s.no_text}" for s in unread)
    months = months_of.get((kinds[0], doc.path)) or {month_hint([doc.path])}
    return [Gap(kinds[0], month, f"{doc.path}: {len(unread)} page(s) not read ({pages})", [doc])
            for month in sorted(months, key=lambda m: m or "")]


def expand(gaps: list[Gap], period_months: list[str]) -> set[tuple[str, str]]:
    """(kind, month) pairs left incomplete: a gap with no month covers every month of the period."""
    out = set()
    for gap in gaps:
        if gap.outside:  # said (DQ-COVERAGE), and nothing inside the period is switched off
            continue
        for month in ([gap.month] if gap.month else period_months):
            out.add((gap.kind, month))
    return out
