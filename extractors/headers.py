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
       "staff no", "staff id", "staff number", "worker id", "worker no", "emp code", "e code",
       "personnel no", "person id", "工号", "员工编号", "员工工号", "职工编号", "人员编号", "mã nv", "mã nhân viên",
       "mã số nhân viên", "কার্ড নং", "আইডি নং", "employee #", "emp #", "empid", "emp. code", "worker code", "staff code", "personnel number", "clock no", "clock number", "payroll no", "payroll number", "employee no.", "员工号", "职员编号", "员工代码", "工牌号", "厂牌号", "人员工号", "员工id", "职工号"]
#: words that name the worker id in some exports and something else in others: they win only
#: when no better column names the id ("No." is ZKTeco's worker id beside "Emp No."; "ID No" is
#: a Bangladesh list's employee number but elsewhere the national ID)
_ID_WEAK = ["no", "ac no", "user id", "userid", "id no", "id", "编号", "badge no", "enroll no", "pin", "card no",
            "卡号", "工卡号"]
_NAME = ["name", "employee name", "worker name", "staff name", "full name", "name of employee",
         "name of worker", "name of the employee", "姓名", "员工姓名", "名字", "họ và tên", "họ tên",
         "tên nhân viên", "নাম", "শ্রমিকের নাম", "employee full name", "staff full name", "worker's name", "employee's name", "职员姓名", "人员姓名", "员工名称"]

SYNONYMS: dict[Kind, dict[str, list[str]]] = {
    Kind.ROSTER: {
        "worker_id": _ID, "name": _NAME,
        "national_id": ["national id", "id card", "id card no", "id number", "identity card",
                        "resident id", "nid", "nid no", "national id no", "aadhaar", "aadhaar no",
                        "cccd", "số cccd", "cmnd", "số cmnd", "cmnd cccd", "জাতীয় পরিচয়পত্র",
                        "身份证号", "身份证号码", "身份证", "证件号码", "id card number", "identity no", "identity number", "身份证件号码"],
        "birth_date": ["birth date", "date of birth", "dob", "birthday", "出生日期", "生日",
                       "ngày sinh", "জন্ম তারিখ", "d.o.b", "d o b", "出生年月", "出生年月日"],
        "gender": ["gender", "sex", "性别", "giới tính", "লিঙ্গ"],
        "hire_date": ["hire date", "date of hire", "join date", "joining date", "date joined",
                      "date of joining", "date of entry", "date of appointment", "start date",
                      "entry date", "入职日期", "入厂日期", "进厂日期", "ngày vào làm", "ngày vào",
                      "যোগদানের তারিখ", "employment date", "date of employment", "入职时间", "入职日", "到岗日期"],
        "termination_date": ["termination date", "leave date", "resignation date", "exit date",
                             "date of exit", "date of leaving", "end date", "离职日期", "离厂日期",
                             "ngày nghỉ việc", "resign date", "leaving date", "离职时间"],
        "department": ["department", "dept", "section", "部门", "车间", "bộ phận", "phòng ban", "বিভাগ"],
        "position": ["position", "job title", "title", "post", "designation", "职位", "岗位", "工种",
                     "chức vụ", "পদবী"],
    },
    Kind.TIMESHEET: {
        "worker_id": _ID, "name": _NAME,
        "date": ["date", "work date", "day", "attendance date", "日期", "考勤日期", "出勤日期", "ngày", "work day", "attendance day", "punch date", "clock date", "shift date", "考勤日", "打卡日期", "工作日期", "出勤日"],
        "timestamp": ["date time", "datetime", "date/time", "punch time", "check time", "clock time",
                      "verify time", "attendance time", "打卡日期时间", "thời gian chấm công"],
        "time": ["time", "时间", "giờ"],
        "punch_state": ["status", "state", "new state", "punch", "punch type", "punch state",
                        "check type", "in out", "in/out", "attendance status", "打卡类型", "考勤状态",
                        "签到类型", "打卡状态"],
        "device": ["location id", "device", "device id", "device no", "device name", "terminal",
                   "machine", "machine no", "考勤机", "设备", "设备名称", "打卡地点", "打卡设备"],
        "verify_mode": ["verifycode", "verify code", "verify type", "verify mode", "verification",
                        "验证方式", "打卡方式"],
        "segment": ["timetable", "shift", "班次", "时段", "ca làm việc"],
        "in1": ["in", "time in", "clock in", "check in", "am in", "morning in", "上班",
                "上午上班", "签到", "上班时间", "上班打卡", "上午签到", "start", "start time", "time-in", "in time", "check-in", "first in", "clock-in time", "clock in time", "上班打卡时间", "签到时间", "开始时间", "到岗时间"],
        "out1": ["out", "time out", "clock out", "check out", "am out", "morning out", "下班",
                 "上午下班", "签退", "下班时间", "下班打卡", "上午签退", "end", "end time", "time-out", "out time", "check-out", "last out", "clock-out time", "clock out time", "下班打卡时间", "签退时间", "结束时间", "离岗时间"],
        "in2": ["pm in", "afternoon in", "下午上班", "下午签到"],
        "out2": ["pm out", "afternoon out", "下午下班", "下午签退"],
        "in3": ["ot in", "overtime in", "evening in", "加班上班", "加班开始", "晚上上班", "加班签到"],
        "out3": ["ot out", "overtime out", "evening out", "加班下班", "加班结束", "晚上下班", "加班签退"],
        "punches": ["punches", "punch times", "clock times", "punch records", "time records",
                    "打卡记录", "打卡时间", "考勤记录", "刷卡记录"],
        "break_minutes": ["break", "break minutes", "break min", "meal break", "rest minutes",
                          "休息", "休息分钟", "休息时间", "用餐时间", "lunch", "lunch break", "meal", "break time", "午休", "午餐时间", "休息时长"],
        "total_hours": ["total hours", "hours", "hours worked", "work hours", "total", "work time",
                        "total in time", "worked hours", "工时", "总工时", "合计工时", "出勤工时",
                        "工作时数", "工作时长", "出勤时长", "实际工作时长", "số giờ làm", "total hrs", "worked hrs", "working hours", "actual hours", "实际工时", "出勤时数", "工作小时", "总时数", "实际出勤工时"],
    },
    Kind.PAYROLL: {
        "worker_id": _ID, "name": _NAME,
        "period": ["period", "pay period", "month", "pay month", "salary month", "wage month",
                   "wage period", "工资月份", "月份", "所属月份", "发薪月份", "tháng", "salary period", "payroll month", "payroll period", "工资期间", "计薪月份", "核算月份", "工资所属期"],
        "regular_hours": ["regular hours", "normal hours", "standard hours", "basic hours",
                          "正常工时", "正班工时", "标准工时", "出勤工时", "正常出勤工时", "normal hrs", "regular hrs", "std hours", "正常工作时间", "正班时数", "计薪工时", "正常出勤时数"],
        "ot_hours_weekday": ["ot hours weekday", "weekday ot hours", "ot hours", "overtime hours",
                             "overtime hours worked", "ot hrs", "ot hour", "ot 1.5", "weekday overtime",
                             "平时加班", "平时加班工时", "平日加班工时", "延时加班工时", "加班工时",
                             "加班工时 1.5倍", "加班时数 1.5倍", "1.5倍加班工时", "giờ làm thêm",
                             "làm thêm giờ số giờ", "ওভারটাইম ঘণ্টা", "overtime (hrs)", "overtime hrs", "加班时数", "加班小时", "平时加班时数", "工作日加班", "工作日加班工时"],
        "ot_hours_restday": ["ot hours restday", "rest day ot hours", "weekend ot hours",
                             "ot 2.0", "rest day overtime", "weekend overtime", "周末加班",
                             "休息日加班", "休息日加班工时", "周末加班工时", "双休加班工时",
                             "加班工时 2倍", "加班时数 2倍", "2倍加班工时", "周末加班时数", "休息日加班时数", "双休日加班"],
        "ot_hours_holiday": ["ot hours holiday", "holiday ot hours", "ot 3.0",
                             "holiday overtime", "法定假日加班工时", "节假日加班工时", "法定加班工时",
                             "节假日加班", "法定假日加班", "加班工时 3倍", "加班时数 3倍", "3倍加班工时", "假日加班", "法定节假日加班", "节日加班工时", "法定假日加班时数"],
        # days of normal work in the month (Vietnam's hourly wage is the month's pay over them)
        "days_worked": ["days worked", "no. of days worked", "number of days worked", "attendance days",
                        "出勤天数", "实际出勤天数", "出勤天", "lương thời gian số công", "số ngày công", "ngày công"],
        "hourly_rate": ["hourly rate", "hourly wage", "rate per hour", "时薪", "小时工资",
                        "小时工资率"],
        "ot_rate": ["ot rate", "overtime rate", "ot rate per hour", "overtime rate per hour", "加班费率",
                    "加班单价", "加班时薪", "ওভারটাইম রেট", "ওটি রেট"],
        "base_pay": ["base pay", "basic pay", "basic salary", "base salary", "basic wage", "basic",
                     "basic da", "basic + da", "basic and da", "regular pay",
                     "regular earnings", "regular wages", "基本工资", "底薪", "基本薪资",
                     "lương cơ bản", "lương thời gian số tiền", "মূল মজুরি", "মূল বেতন", "base wage", "monthly salary", "salary", "岗位工资", "基础工资", "标准工资", "月薪"],
        "ot_pay": ["ot pay", "overtime pay", "ot amount", "overtime wages", "payments overtime",
                   "overtime payment", "overtime amount", "加班费", "加班工资", "加班费合计",
                   "làm thêm giờ số tiền", "tiền làm thêm giờ", "ওভারটাইম টাকা", "ot earnings", "overtime earnings", "加班费用", "加班工资合计"],
        "allowances": ["allowances", "allowance", "subsidy", "bonus and allowances", "total allowance",
                       "津贴", "补贴", "津贴补贴", "补贴合计", "津贴合计", "phụ cấp"],
        "deductions": ["deductions", "deduction", "other deductions", "扣款", "其他扣款", "代扣款", "কর্তন"],
        # the total of every deduction, social insurance included (扣款合计, Total Deduction, Cộng):
        # read only when no part is given, less the social-insurance parts it holds (grid.py)
        "deductions_total": ["total deduction", "total deductions", "扣款合计", "应扣合计", "代扣合计",
                             "các khoản phải khấu trừ cộng", "মোট কর্তন"],
        "social_insurance": ["social insurance", "si", "social security", "si deduction",
                             "社保", "社会保险", "个人社保", "社保扣款", "社保合计", "bảo hiểm"],
        "gross_pay": ["gross pay", "gross", "gross salary", "gross wages", "total earnings", "total salary",
                      "应发工资", "应发合计", "应发金额", "tổng số", "tổng thu nhập", "মোট মজুরি", "gross earnings", "total gross", "gross amount", "total pay", "total wages", "应发总额", "应付工资", "工资总额", "应发数"],
        "net_pay": ["net pay", "net", "net salary", "take home", "net wages", "amount paid", "net payment",
                    "net payable", "net amount payable", "实发工资", "实发金额", "实发合计",
                    "kỳ ii được lĩnh số tiền", "thực lĩnh", "মোট প্রদেয়", "নিট প্রদেয়", "net amount", "net wage", "take-home pay", "take home pay", "actual pay", "amount payable", "实发数", "实付工资", "实领工资", "到手工资", "实发工资额"],
        "pay_date": ["pay date", "payment date", "paid on", "date paid", "date of payment",
                     "发薪日期", "发放日期", "支付日期", "ngày trả lương", "পরিশোধের তারিখ", "paid date", "payment day", "pay day", "发薪日", "付款日期", "工资发放日"],
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
                      "access time", "刷卡时间", "通行时间", "进出时间", "记录时间", "access date time", "passing time", "通行记录时间", "刷卡日期时间"],
        "date": ["date", "日期"],
        "time": ["time", "时间"],
        "direction": ["direction", "in out", "in/out", "entry exit", "event", "进出", "进出方向", "方向", "出入", "access type", "in/out type", "event type", "通行方向", "出入方向"],
        "gate": ["gate", "door", "reader", "turnstile", "access point", "door name", "reader name",
                 "门岗", "门禁点", "通道", "闸机", "大门", "门禁"],
        "device": ["device", "device name", "device id", "location id", "terminal", "设备", "设备名称"],
    },
    Kind.VISITOR_LOG: {
        "date": ["date", "visit date", "日期", "来访日期"],
        "visitor_name": ["visitor", "visitor name", "name of visitor", "来访人", "访客姓名", "来访人姓名", "访客"],
        "company": ["company", "organisation", "organization", "from", "company address",
                    "company/address", "来访单位", "单位", "公司"],
        "id_type": ["id type", "document type", "证件类型"],
        "id_number": ["id number", "id no", "id card no", "document no", "证件号码", "身份证号", "证件号"],
        "id_checked": ["id checked", "id verified", "photo id checked", "id check", "id seen",
                       "证件核验", "核对证件", "已核验"],
        "host": ["host", "visiting", "person visited", "contact", "whom to see", "whom to meet",
                 "被访人", "接待人", "受访人"],
        "time_in": ["time in", "in", "arrival", "arrival time", "进入时间", "来访时间", "入厂时间", "进厂时间"],
        "time_out": ["time out", "out", "departure", "departure time", "离开时间", "离厂时间", "出厂时间"],
        "badge_no": ["badge no", "badge", "pass no", "visitor badge", "访客证号", "临时卡号"],
        "escort": ["escort", "escorted by", "陪同人", "陪同"],
    },
    Kind.SEAL_LOG: {
        "date": ["date", "seal date", "loading date", "date of sealing", "日期", "施封日期", "装柜日期"],
        "container_no": ["container no", "container", "container number", "cntr no", "trailer no",
                         "container/trailer no", "trailer container no", "柜号", "集装箱号"],
        "seal_no": ["seal no", "seal", "seal number", "封条号", "封号", "铅封号"],
        "seal_type": ["seal type", "封条类型", "封类型"],
        "applied_by": ["applied by", "sealed by", "sealer", "person applying the seal", "施封人", "封柜人"],
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

#: weak words: they name the field only when no column names it better (see _ID_WEAK)
WEAK: dict[Kind, dict[str, list[str]]] = {
    Kind.ROSTER: {"worker_id": _ID_WEAK},
    Kind.TIMESHEET: {"worker_id": _ID_WEAK},
    Kind.PAYROLL: {"worker_id": _ID_WEAK, "hourly_rate": ["rate"], "gross_pay": ["total", "মোট"]},
    Kind.GATE_LOG: {"worker_id": _ID_WEAK},
}

#: payroll fields that registers split over several columns: every column naming a part is
#: summed into the field, each part kept as evidence; a subtotal column (扣款合计, Total
#: Deduction, Cộng) is read only when no part is there
PARTS: dict[str, list[str]] = {
    "allowances": ["bonus", "incentive", "奖金", "补助", "house rent", "house rent allowance", "hra", "medical", "medical allowance",
                   "conveyance", "conveyance allowance", "transport allowance", "food", "food allowance",
                   "attn bonus", "attendance bonus", "attendance allowance", "special allowance",
                   "production bonus", "night allowance", "shift allowance", "special basic",
                   "岗位津贴", "全勤奖", "餐补", "饭补", "伙食补贴", "交通补贴", "住房补贴", "夜班津贴", "高温津贴",
                   "绩效奖金", "技能津贴", "工龄奖", "phụ cấp thuộc quỹ lương", "phụ cấp khác",
                   "phụ cấp trách nhiệm", "phụ cấp ăn trưa", "বাড়ী ভাড়া", "বাড়ি ভাড়া", "চিকিৎসা",
                   "চিকিৎসা ভাতা", "যাতায়ত", "যাতায়াত", "খাদ্য ভাতা", "হাজিরা বোনাস"],
    "deductions": ["advance", "stamp", "revenue stamp", "income tax", "tax", "society", "insurance",
                   "recoveries", "others", "fines", "damage", "absence deduction", "canteen",
                   "代扣个税", "个人所得税", "个税", "其他扣款", "事假扣款", "病假扣款", "水电费", "住宿费",
                   "thuế tncn", "các khoản phải khấu trừ thuế tncn", "tạm ứng kỳ i", "tạm ứng",
                   "অগ্রিম", "স্ট্যাম্প", "federal tax", "federal income tax", "state tax", "federal withholding",
                   "state withholding"],
    "social_insurance": ["pension", "养老", "医疗", "失业", "pf", "provident fund", "esi", "epf", "fica", "medicare", "oasdi", "养老保险", "医疗保险", "失业保险",
                         "住房公积金", "公积金", "工伤保险", "生育保险", "bhxh", "bhyt", "bhtn",
                         "các khoản phải khấu trừ bhxh", "các khoản phải khấu trừ bhyt",
                         "các khoản phải khấu trừ bhtn"],
    "ot_pay": ["平时加班费", "周末加班费", "节假日加班费", "加班费 1.5倍", "加班费 2倍", "加班费 3倍",
               "weekday ot pay", "weekend ot pay", "holiday ot pay"],
}

#: payroll columns that hold numbers but no money of the worker's month: days, rates, grades,
#: serial numbers, quantities, subtotals, the employer's own contributions
NOT_MONEY = re.compile(
    r"day|天数|天|ngày|số công|\bcông\b|rate|单价|费率|hệ số|bậc|grade|\bsl\b|s\.?\s*no|stt|số tt|序号|"
    r"^no\.?$|sign|签|ký|remark|备注|ghi chú|bank|account|账号|tài khoản|transaction|\bid\b|card|phone|"
    r"hour|hrs|工时|小时|giờ|%|employer|单位部分|公司|total|合计|小计|cộng|tổng|মোট|subtotal|sum|"
    r"số sp|quantity|pieces|件数|数量|ক্রমিক", re.I)

#: fields several columns may claim, one of which the values choose (pyzk scripts export both
#: "status" and "punch"; which of them holds check-in/check-out differs between ports)
CHOSEN_BY_VALUES = {"punch_state"}

#: numbered punch columns: "Clock In 3", "上班2打卡时间", "下班2", "C/In 2", "Check Out 4"
_NUMBERED_PUNCH = re.compile(
    r"^(clockin|clockout|checkin|checkout|timein|timeout|punchin|punchout|cin|cout|in|out|"
    r"上班|下班|签到|签退)([1-5])(?:打卡时间|时间)?$")
_PUNCH_SIDE = {"clockin": "in", "checkin": "in", "timein": "in", "punchin": "in", "cin": "in", "in": "in",
               "上班": "in", "签到": "in", "clockout": "out", "checkout": "out", "timeout": "out",
               "punchout": "out", "cout": "out", "out": "out", "下班": "out", "签退": "out"}

#: canonical fields a table of each kind cannot do without
REQUIRED: dict[Kind, list[set[str]]] = {
    Kind.ROSTER: [{"worker_id"}, {"national_id", "birth_date", "hire_date"}],
    # a tap log gives a date and time per tap (one column or two) and no pairs: see timecards.py
    Kind.TIMESHEET: [{"worker_id"}, {"date", "timestamp", "time"},
                     {"in1", "out1", "punches", "total_hours", "timestamp", "time"}],
    # Vietnam's 02-LĐTL as issued names workers without an id: the roster's id for the name is
    # taken later (preaudit/dataset.py), when exactly one roster worker has it
    Kind.PAYROLL: [{"worker_id", "name"}, {"base_pay", "gross_pay", "net_pay"}],
    Kind.LICENSE: [{"license_type"}, {"number", "valid_until"}],
    Kind.GATE_LOG: [{"worker_id"}, {"timestamp", "time"}, {"direction", "gate"}],
    Kind.VISITOR_LOG: [{"visitor_name"}, {"time_in", "date"}],
    Kind.SEAL_LOG: [{"container_no"}, {"seal_no"}],
    Kind.CONTAINER_INSPECTION: [{"container_no"}, {"front_wall", "left_side", "right_side", "floor",
                                                   "ceiling_roof", "doors", "undercarriage"}],
}

_NUMBERED = re.compile(r"^\s*(?:\(\d{1,2}\)|\d{1,2}[.、)]|[①-⑳])\s*(?=\D)")
_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_LATIN_PART = re.compile(r"[A-Za-z][A-Za-z0-9 .#&'’()/-]*")


def normalize(text: str) -> str:
    """Case, width and punctuation folded away: "Emp. No." → "empno", "工号（编号）" → "工号编号"."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s.:_\-#/\\()\[\]{}|*,'’\"。，：（）]+", "", text)


def candidate_texts(parts: Sequence[str | None]) -> list[tuple[str, float]]:
    """Every way to read one column's header cells (top to bottom) → (text, rows used).

    Two-line bilingual headers and merged group cells are read as each line alone, as the whole
    group + sub-header ("加班工时" over "1.5倍", "Lương thời gian" over "Số tiền"), and as the
    Chinese parts joined and the Latin parts joined."""
    cells = [p.strip() for p in parts if p and str(p).strip()]
    cells = [c for k, c in enumerate(cells) if k == 0 or c != cells[k - 1]]  # a merged cell read twice
    out: list[tuple[str, int]] = []
    cells = [_NUMBERED.sub("", c) or c for c in cells]  # "1.基本工资", "(3) Net Pay", "③ 实发工资"
    for cell in cells:
        out.append((cell, 1.01))  # the whole cell is the most specific reading of itself
        unbracketed = _BRACKETED.sub(" ", cell).strip()
        if unbracketed and unbracketed != cell:  # units and notes: "Base Salary (RMB)", "工时（小时）"
            out.append((unbracketed, 1))
        for piece in re.split(r"[/\n|]", cell):
            if piece.strip() and piece.strip() != cell:
                out.append((piece.strip(), 1))
                bare = _BRACKETED.sub(" ", piece).strip()
                if bare and bare != piece.strip():
                    out.append((bare, 1))
        if CJK.search(cell) and re.search(r"[A-Za-z]", cell):  # bilingual label: each language alone
            for cjk in CJK.findall(cell):
                out.append((cjk, 1))
            for latin in _LATIN_PART.findall(cell):
                out.append((latin.strip(), 1))
    if len(cells) > 1:
        out.append((" ".join(_BRACKETED.sub(" ", c) for c in cells), len(cells)))
        cjk_join = "".join("".join(CJK.findall(c)) for c in cells)
        latin_join = " ".join(" ".join(_LATIN_PART.findall(c)) for c in cells)
        if cjk_join:
            out.append((cjk_join, len(cells)))
        if latin_join.strip():
            out.append((latin_join, len(cells)))
    return out


EXACT, PART, WEAK_SCORE, CUSTOM = 100, 101, 60, 200


@dataclass
class HeaderMatch:
    field: str
    score: float
    part: bool = False   # one of several columns summed into the field
    how: str = "exact"   # exact | part | weak | fuzzy | numbered | column_map


@dataclass
class ColumnMapping:
    kind: Kind
    columns: dict[int, str]                     # column index → canonical field
    unmapped: list[str] = field(default_factory=list)
    score: float = 0.0
    how: dict[int, str] = field(default_factory=dict)     # column index → how it was decided
    labels: dict[int, str] = field(default_factory=dict)  # column index → its header as printed


class HeaderMapper:
    """Maps header cells to canonical fields; built once per run (profile column_map included)."""

    def __init__(self, column_map: Mapping[str, str] | None = None):
        self._custom = {normalize(k): v for k, v in (column_map or {}).items()}
        self._index: dict[Kind, dict[str, tuple[str, int, bool]]] = {}
        for kind, fields in SYNONYMS.items():
            index: dict[str, tuple[str, int, bool]] = {}
            for f, words in WEAK.get(kind, {}).items():
                index.update({normalize(w): (f, WEAK_SCORE, False) for w in words})
            if kind is Kind.PAYROLL:
                index.update({normalize(w): (f, PART, True) for f, words in PARTS.items() for w in words})
            index.update({normalize(w): (f, EXACT, False)
                          for f, words in fields.items() for w in words + [f.replace("_", " ")]})
            self._index[kind] = index

    def match(self, kind: Kind, parts: Sequence[str | None]) -> HeaderMatch | None:
        best: HeaderMatch | None = None
        index = self._index.get(kind, {})
        for text, rows in candidate_texts(parts):
            key = normalize(text)
            if not key:
                continue
            bonus = 5 * (int(rows) - 1) + 2 * (rows - int(rows)) * 100  # whole cells and group cells read first
            numbered = _NUMBERED_PUNCH.match(key) if kind is Kind.TIMESHEET else None
            if key in self._custom:
                hit = HeaderMatch(self._custom[key], CUSTOM + bonus, how="column_map")
            elif numbered:
                hit = HeaderMatch(f"{_PUNCH_SIDE[numbered.group(1)]}{numbered.group(2)}", EXACT + 10 + bonus,
                                  how="numbered")
            elif key in index and (index[key][1] != WEAK_SCORE or rows == 1.01):
                # a weak word ("No.", "ID") names the column only as the whole cell: "Serial\nNo." is no id
                f, score, part = index[key]
                hit = HeaderMatch(f, score + bonus, part,
                                  "part" if part else "weak" if score == WEAK_SCORE else "exact")
            elif len(key) >= 4 and not CJK.search(key):
                # one wrong letter in a short header (OCR reads VVTT as VVIT), a little more in long ones
                cutoff = 75 if len(key) == 4 else 88
                found = process.extractOne(key, index.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
                hit = None
                if found:
                    f, score, part = index[found[0]]
                    # a fuzzy reading never beats an exact one, and a weak word stays weak
                    hit = HeaderMatch(f, min(score, found[1] * 0.95) + bonus, part, "fuzzy")
            else:
                hit = None
            if hit and (best is None or hit.score > best.score):
                best = hit
        return best

    def exact(self, kind: Kind, text: str) -> str | None:
        """The field a text names word for word (a profile spelling or a known word), else None."""
        key = normalize(text)
        if key in self._custom:
            return self._custom[key]
        hit = self._index.get(kind, {}).get(key)
        return hit[0] if hit else None

    def map_columns(self, kind: Kind, header_rows: Sequence[Sequence[str | None]]) -> ColumnMapping:
        header_rows = fill_group_cells(header_rows)
        width = max((len(r) for r in header_rows), default=0)
        chosen: dict[str, tuple[int, float, str]] = {}
        several: dict[str, list[int]] = {}  # parts summed into a field, or candidates its values choose from
        labels: dict[int, str] = {}
        hits: dict[int, HeaderMatch] = {}
        for col in range(width):
            cells = [row[col] if col < len(row) else None for row in header_rows]
            texts = [str(p).strip() for p in cells if p is not None and str(p).strip()]
            labels[col] = " / ".join(t for k, t in enumerate(texts) if k == 0 or t != texts[k - 1])
            hit = self.match(kind, cells)
            if hit is None:
                continue
            hits[col] = hit
            if hit.part or hit.field in CHOSEN_BY_VALUES:
                several.setdefault(hit.field, []).append(col)
            elif hit.field not in chosen or hit.score > chosen[hit.field][1]:
                chosen[hit.field] = (col, hit.score, hit.how)
        columns = {col: f for f, (col, _, _) in chosen.items()}
        how = {col: h for _, (col, _, h) in chosen.items()}
        for f, cols in several.items():
            if f in chosen:  # parts are there: the subtotal column is not read again
                del columns[chosen[f][0]]
                how[chosen[f][0]] = f"subtotal of {f} (its parts are summed instead)"
            for col in cols:
                columns[col] = f
                how[col] = hits[col].how
        score = sum(s for _, s, _ in chosen.values()) + sum(hits[c].score for cols in several.values() for c in cols)
        unmapped = [labels[c] for c in range(width) if c not in columns and c not in how and labels[c]]
        return ColumnMapping(kind, columns, unmapped, score, how, labels)


def fill_group_cells(rows: Sequence[Sequence[str | None]]) -> list[list[str | None]]:
    """A group cell over sub-headers ("加班工时" over "1.5倍 / 2倍 / 3倍") stands only above the
    first sub-column when the file has no merged cells (CSV): carry it right while the columns
    below still have sub-headers and the column before is itself grouped."""
    out = [list(r) for r in rows]
    if len(out) < 2:
        return out
    top, below = out[0], out[-1]

    def filled(v: str | None) -> bool:
        return v is not None and str(v).strip() != ""

    for c in range(1, len(top)):
        if not filled(top[c]) and c < len(below) and filled(below[c]) and filled(top[c - 1]) \
                and c - 1 < len(below) and filled(below[c - 1]) and top[c - 1] != below[c - 1]:
            top[c] = top[c - 1]
    return out


def satisfies(kind: Kind, fields: set[str]) -> bool:
    return all(fields & need for need in REQUIRED.get(kind, [{"__never__"}]))
