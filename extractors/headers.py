"""Header mapping by meaning: a column header in any of the spellings factories use → a
canonical field of a document kind.

Headers come in English, Simplified Chinese or both ("工号 / Emp. No.", or Chinese on one line
and English on the next), sometimes under a merged group cell ("上午 / AM" over "上班 In" and
"下班 Out"). Each column is matched with every text it could be read as, exact synonyms first,
then fuzzy (rapidfuzz) for longer Latin spellings. Synonyms are per kind, so "Time In" is a
visitor's arrival in a visitor log and a clock-in in a timesheet.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from extractors.values import CJK
from preaudit.model import Kind

_ID = ["emp no", "emp id", "employee id", "employee no", "employee number", "employee code",
       "staff no", "staff id", "staff number", "worker id", "worker no", "id no", "emp code",
       "badge no", "card no", "工号", "员工编号", "员工工号", "职工编号", "工卡号", "编号", "卡号"]
_NAME = ["name", "employee name", "worker name", "staff name", "full name", "姓名", "员工姓名", "名字"]

SYNONYMS: dict[Kind, dict[str, list[str]]] = {
    Kind.ROSTER: {
        "worker_id": _ID, "name": _NAME,
        "national_id": ["national id", "id card", "id card no", "id number", "identity card",
                        "id no.", "resident id", "nid", "身份证号", "身份证号码", "身份证", "证件号码"],
        "birth_date": ["birth date", "date of birth", "dob", "birthday", "出生日期", "生日"],
        "gender": ["gender", "sex", "性别"],
        "hire_date": ["hire date", "date of hire", "join date", "joining date", "date joined",
                      "start date", "entry date", "入职日期", "入厂日期", "进厂日期"],
        "termination_date": ["termination date", "leave date", "resignation date", "exit date",
                             "end date", "离职日期", "离厂日期"],
        "department": ["department", "dept", "section", "部门", "车间"],
        "position": ["position", "job title", "title", "post", "designation", "职位", "岗位", "工种"],
    },
    Kind.TIMESHEET: {
        "worker_id": _ID, "name": _NAME,
        "date": ["date", "work date", "day", "attendance date", "日期", "考勤日期", "出勤日期"],
        "in1": ["in", "in 1", "in1", "time in", "clock in", "am in", "morning in", "上班",
                "上班1", "上午上班", "签到", "上班时间", "上班打卡", "上午签到"],
        "out1": ["out", "out 1", "out1", "time out", "clock out", "am out", "morning out", "下班",
                 "下班1", "上午下班", "签退", "下班时间", "下班打卡", "上午签退"],
        "in2": ["in 2", "in2", "pm in", "afternoon in", "上班2", "下午上班", "下午签到"],
        "out2": ["out 2", "out2", "pm out", "afternoon out", "下班2", "下午下班", "下午签退"],
        "in3": ["in 3", "in3", "ot in", "overtime in", "evening in", "上班3", "加班上班",
                "加班开始", "晚上上班", "加班签到"],
        "out3": ["out 3", "out3", "ot out", "overtime out", "evening out", "下班3", "加班下班",
                 "加班结束", "晚上下班", "加班签退"],
        "punches": ["punches", "punch times", "clock times", "punch records", "time records",
                    "打卡记录", "打卡时间", "考勤记录", "刷卡记录"],
        "break_minutes": ["break", "break minutes", "break min", "meal break", "rest minutes",
                          "休息", "休息分钟", "休息时间", "用餐时间"],
        "total_hours": ["total hours", "hours", "hours worked", "work hours", "total",
                        "工时", "总工时", "合计工时", "出勤工时", "工作时数"],
    },
    Kind.PAYROLL: {
        "worker_id": _ID, "name": _NAME,
        "period": ["period", "pay period", "month", "pay month", "salary month", "wage month",
                   "工资月份", "月份", "所属月份", "发薪月份"],
        "regular_hours": ["regular hours", "normal hours", "standard hours", "basic hours",
                          "正常工时", "正班工时", "标准工时", "出勤工时"],
        "ot_hours_weekday": ["ot hours weekday", "weekday ot hours", "ot hours", "overtime hours",
                             "ot 1.5", "ot hrs", "weekday overtime", "平时加班", "平时加班工时",
                             "平日加班工时", "延时加班工时", "加班工时"],
        "ot_hours_restday": ["ot hours restday", "rest day ot hours", "weekend ot hours",
                             "ot 2.0", "rest day overtime", "weekend overtime", "周末加班",
                             "休息日加班工时", "周末加班工时", "双休加班工时"],
        "ot_hours_holiday": ["ot hours holiday", "holiday ot hours", "ot 3.0",
                             "holiday overtime", "法定假日加班工时", "节假日加班工时", "法定加班工时"],
        "hourly_rate": ["hourly rate", "rate", "hourly wage", "rate per hour", "时薪", "小时工资",
                        "小时工资率"],
        "base_pay": ["base pay", "basic pay", "basic salary", "base salary", "basic wage",
                     "基本工资", "底薪", "基本薪资"],
        "ot_pay": ["ot pay", "overtime pay", "ot amount", "overtime wages", "加班费", "加班工资"],
        "allowances": ["allowances", "allowance", "subsidy", "bonus and allowances", "津贴",
                       "补贴", "津贴补贴"],
        "deductions": ["deductions", "deduction", "other deductions", "扣款", "其他扣款", "代扣款"],
        "social_insurance": ["social insurance", "si", "social security", "si deduction",
                             "社保", "社会保险", "个人社保", "社保扣款"],
        "gross_pay": ["gross pay", "gross", "gross salary", "total earnings", "gross wages",
                      "应发工资", "应发合计", "应发金额"],
        "net_pay": ["net pay", "net", "net salary", "take home", "net wages", "amount paid",
                    "实发工资", "实发金额", "实发合计"],
        "pay_date": ["pay date", "payment date", "paid on", "date paid", "发薪日期", "发放日期",
                     "支付日期"],
    },
    Kind.LICENSE: {
        "license_type": ["license type", "licence type", "license", "licence", "permit", "certificate",
                         "document", "type", "证照名称", "证照类型", "许可证名称", "证书名称", "证件名称", "类型"],
        "number": ["number", "license no", "licence no", "permit no", "certificate no", "reg no",
                   "registration no", "证号", "编号", "许可证编号", "证书编号", "登记编号", "证照编号"],
        "holder_name": ["holder", "holder name", "company", "company name", "name", "licensee",
                        "名称", "单位名称", "企业名称", "持证单位", "持证人"],
        "holder_uscc": ["uscc", "unified social credit code", "credit code", "统一社会信用代码", "信用代码"],
        "address": ["address", "site address", "premises", "住所", "地址", "经营场所", "生产经营场所"],
        "issue_date": ["issue date", "date of issue", "issued on", "issued", "发证日期", "签发日期", "成立日期"],
        "valid_from": ["valid from", "effective from", "start date", "有效期自", "有效期起", "起始日期"],
        "valid_until": ["valid until", "valid to", "expiry date", "expiry", "expiration date", "expires",
                        "有效期至", "有效期止", "到期日期", "截止日期"],
        "issuer": ["issuer", "issued by", "issuing authority", "authority", "发证机关", "登记机关", "签发机关"],
    },
    Kind.GATE_LOG: {
        "worker_id": _ID + ["badge", "card id", "门禁卡号"], "name": _NAME,
        "timestamp": ["timestamp", "date time", "datetime", "time stamp", "swipe time", "event time",
                      "access time", "刷卡时间", "通行时间", "进出时间", "记录时间"],
        "date": ["date", "日期"],
        "time": ["time", "时间"],
        "direction": ["direction", "in out", "in/out", "entry exit", "event", "进出", "进出方向", "方向", "出入"],
        "gate": ["gate", "door", "reader", "device", "location", "门岗", "门禁点", "通道", "闸机", "大门"],
    },
    Kind.VISITOR_LOG: {
        "date": ["date", "visit date", "日期", "来访日期"],
        "visitor_name": ["visitor", "visitor name", "name of visitor", "来访人", "访客姓名", "来访人姓名", "访客"],
        "company": ["company", "organisation", "organization", "from", "来访单位", "单位", "公司"],
        "id_type": ["id type", "document type", "证件类型"],
        "id_number": ["id number", "id no", "id card no", "document no", "证件号码", "身份证号", "证件号"],
        "id_checked": ["id checked", "id verified", "photo id checked", "id check", "证件核验", "核对证件", "已核验"],
        "host": ["host", "visiting", "person visited", "contact", "被访人", "接待人", "受访人"],
        "time_in": ["time in", "in", "arrival", "arrival time", "进入时间", "来访时间", "入厂时间", "进厂时间"],
        "time_out": ["time out", "out", "departure", "departure time", "离开时间", "离厂时间", "出厂时间"],
        "badge_no": ["badge no", "badge", "pass no", "visitor badge", "访客证号", "临时卡号"],
        "escort": ["escort", "escorted by", "陪同人", "陪同"],
    },
    Kind.SEAL_LOG: {
        "date": ["date", "seal date", "loading date", "日期", "施封日期", "装柜日期"],
        "container_no": ["container no", "container", "container number", "cntr no", "柜号", "集装箱号"],
        "seal_no": ["seal no", "seal", "seal number", "封条号", "封号", "铅封号"],
        "seal_type": ["seal type", "封条类型", "封类型"],
        "applied_by": ["applied by", "sealed by", "sealer", "施封人", "封柜人"],
        "verified_by": ["verified by", "checked by", "verifier", "vvtt by", "核查人", "验封人", "复核人"],
        "vvtt_done": ["vvtt", "vvtt done", "vvtt check", "view verify tug twist", "vvtt检查", "vvtt核查"],
    },
    Kind.CONTAINER_INSPECTION: {
        "date": ["date", "inspection date", "日期", "检查日期"],
        "container_no": ["container no", "container", "container number", "cntr no", "柜号", "集装箱号"],
        "seal_no": ["seal no", "seal", "seal number", "封条号", "封号", "铅封号"],
        "front_wall": ["front wall", "front", "前壁", "前墙"],
        "left_side": ["left side", "left wall", "left", "左侧", "左侧壁"],
        "right_side": ["right side", "right wall", "right", "右侧", "右侧壁"],
        "floor": ["floor", "inside floor", "地板", "底板"],
        "ceiling_roof": ["ceiling roof", "ceiling", "roof", "顶部", "柜顶", "顶板"],
        "doors": ["doors", "inside outside doors", "inside/outside doors", "door", "柜门", "内外门"],
        "undercarriage": ["outside undercarriage", "undercarriage", "outside", "底盘", "外部底盘"],
        "inspector": ["inspector", "inspected by", "checked by", "检查人", "验柜人"],
    },
}

#: canonical fields a table of each kind cannot do without
REQUIRED: dict[Kind, list[set[str]]] = {
    Kind.ROSTER: [{"worker_id"}, {"national_id", "birth_date", "hire_date"}],
    Kind.TIMESHEET: [{"worker_id"}, {"date"}, {"in1", "out1", "punches", "total_hours"}],
    Kind.PAYROLL: [{"worker_id"}, {"base_pay", "gross_pay", "net_pay"}],
    Kind.LICENSE: [{"license_type"}, {"number", "valid_until"}],
    Kind.GATE_LOG: [{"worker_id"}, {"timestamp", "time"}, {"direction"}],
    Kind.VISITOR_LOG: [{"visitor_name"}, {"time_in", "date"}],
    Kind.SEAL_LOG: [{"container_no"}, {"seal_no"}],
    Kind.CONTAINER_INSPECTION: [{"container_no"}, {"front_wall", "left_side", "right_side", "floor",
                                                   "ceiling_roof", "doors", "undercarriage"}],
}

_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_LATIN_PART = re.compile(r"[A-Za-z][A-Za-z0-9 .#&'’()/-]*")


def normalize(text: str) -> str:
    """Case, width and punctuation folded away: "Emp. No." → "empno", "工号（编号）" → "工号编号"."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s.:_\-#/\\()\[\]{}|*,'’\"。，：（）]+", "", text)


def candidate_texts(parts: Sequence[str | None]) -> list[tuple[str, int]]:
    """Every way to read one column's header cells (top to bottom) → (text, rows used).

    Two-line bilingual headers and merged group cells are read both as each line alone and as
    the Chinese parts joined and the Latin parts joined."""
    cells = [p.strip() for p in parts if p and str(p).strip()]
    out: list[tuple[str, int]] = []
    for cell in cells:
        out.append((cell, 1))
        unbracketed = _BRACKETED.sub(" ", cell).strip()
        if unbracketed and unbracketed != cell:  # units and notes: "Base Salary (RMB)", "工时（小时）"
            out.append((unbracketed, 1))
        for piece in re.split(r"[/\n|]", cell):
            if piece.strip() and piece.strip() != cell:
                out.append((piece.strip(), 1))
        for cjk in CJK.findall(cell):
            out.append((cjk, 1))
        for latin in _LATIN_PART.findall(cell):
            out.append((latin.strip(), 1))
    if len(cells) > 1:
        cjk_join = "".join("".join(CJK.findall(c)) for c in cells)
        latin_join = " ".join(" ".join(_LATIN_PART.findall(c)) for c in cells)
        if cjk_join:
            out.append((cjk_join, len(cells)))
        if latin_join.strip():
            out.append((latin_join, len(cells)))
    return out


@dataclass
class HeaderMatch:
    field: str
    score: float


@dataclass
class ColumnMapping:
    kind: Kind
    columns: dict[int, str]                     # column index → canonical field
    unmapped: list[str] = field(default_factory=list)
    score: float = 0.0


class HeaderMapper:
    """Maps header cells to canonical fields; built once per run (profile column_map included)."""

    def __init__(self, column_map: Mapping[str, str] | None = None):
        self._custom = {normalize(k): v for k, v in (column_map or {}).items()}
        self._index: dict[Kind, dict[str, str]] = {}
        for kind, fields in SYNONYMS.items():
            self._index[kind] = {normalize(s): f for f, syns in fields.items()
                                 for s in syns + [f.replace("_", " ")]}

    def match(self, kind: Kind, parts: Sequence[str | None]) -> HeaderMatch | None:
        best: HeaderMatch | None = None
        index = self._index.get(kind, {})
        for text, rows in candidate_texts(parts):
            key = normalize(text)
            if not key:
                continue
            bonus = 5 * (rows - 1)  # a reading that uses the group cell too is more specific
            if key in self._custom:
                hit = HeaderMatch(self._custom[key], 200 + bonus)
            elif key in index:
                hit = HeaderMatch(index[key], 100 + bonus)
            elif len(key) >= 4 and not CJK.search(key):
                # one wrong letter in a short header (OCR reads VVTT as VVIT), a little more in long ones
                cutoff = 75 if len(key) == 4 else 88
                found = process.extractOne(key, index.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
                hit = HeaderMatch(index[found[0]], found[1] + bonus) if found else None
            else:
                hit = None
            if hit and (best is None or hit.score > best.score):
                best = hit
        return best

    def map_columns(self, kind: Kind, header_rows: Sequence[Sequence[str | None]]) -> ColumnMapping:
        width = max((len(r) for r in header_rows), default=0)
        chosen: dict[str, tuple[int, float]] = {}
        labels: dict[int, str] = {}
        for col in range(width):
            parts = [row[col] if col < len(row) else None for row in header_rows]
            labels[col] = " / ".join(str(p).strip() for p in parts if p and str(p).strip())
            hit = self.match(kind, parts)
            if hit and (hit.field not in chosen or hit.score > chosen[hit.field][1]):
                chosen[hit.field] = (col, hit.score)
        columns = {col: f for f, (col, _) in chosen.items()}
        unmapped = [labels[c] for c in range(width) if c not in columns and labels[c]]
        return ColumnMapping(kind, columns, unmapped, sum(s for _, s in chosen.values()))


def satisfies(kind: Kind, fields: set[str]) -> bool:
    return all(fields & need for need in REQUIRED.get(kind, [{"__never__"}]))
