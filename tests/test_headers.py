import pytest

from extractors.headers import HeaderMapper, normalize
from preaudit.core.model import Kind

M = HeaderMapper()


@pytest.mark.parametrize("header,field", [
    ("Emp. No.", "worker_id"), ("Employee ID", "worker_id"), ("Staff No", "worker_id"), ("工号", "worker_id"),
    ("员工编号", "worker_id"), ("工号 / Emp. No.", "worker_id"), ("工号\nEmp. No.", "worker_id"),
    ("Basic Salary", "base_pay"), ("基本工资", "base_pay"), ("Base Salary (RMB)", "base_pay"),
    ("基本工资（元）", "base_pay"), ("Employe ID", "worker_id"), ("Overtime Pay", "ot_pay"),
    ("实发工资 Net Pay", "net_pay"), ("休息日加班工时", "ot_hours_restday"),
])
def test_payroll_headers_by_meaning(header, field):
    hit = M.match(Kind.PAYROLL, [header])
    assert hit is not None and hit.field == field


def test_unknown_headers_stay_unmapped():
    assert M.match(Kind.PAYROLL, ["备注"]) is None
    assert M.match(Kind.PAYROLL, ["Remarks"]) is None


def test_merged_group_cell_makes_the_column_specific():
    rows = [["工号", "日期", "上午 / AM", "上午 / AM", "下午 / PM", "下午 / PM"],
            ["Emp. No.", "Date", "上班 In", "下班 Out", "上班 In", "下班 Out"]]
    mapping = M.map_columns(Kind.TIMESHEET, rows)
    assert mapping.columns == {0: "worker_id", 1: "date", 2: "in1", 3: "out1", 4: "in2", 5: "out2"}


def test_kind_decides_the_meaning():
    assert M.match(Kind.TIMESHEET, ["Time In"]).field == "in1"
    assert M.match(Kind.PAYROLL, ["Time In"]) is None


def test_profile_column_map_adds_a_factory_spelling():
    custom = HeaderMapper({"Amount Received": "net_pay"})
    assert custom.match(Kind.PAYROLL, ["Amount  received"]).field == "net_pay"
    assert M.match(Kind.PAYROLL, ["Amount Received"]) is None


def test_each_field_goes_to_its_best_column():
    mapping = M.map_columns(Kind.PAYROLL, [["Emp No", "Employee ID", "Net Pay"]])
    assert sorted(mapping.columns.values()) == ["net_pay", "worker_id"]
    assert len(mapping.unmapped) == 1


def test_normalize():
    assert normalize("Emp. No.") == "empno" and normalize("工号（编号）") == "工号编号"


@pytest.mark.parametrize("kind,header,field", [
    (Kind.TIMESHEET, "Clock No", "worker_id"), (Kind.TIMESHEET, "Punch Date", "date"),
    (Kind.TIMESHEET, "Start Time", "in1"), (Kind.TIMESHEET, "End Time", "out1"),
    (Kind.TIMESHEET, "签到时间", "in1"), (Kind.TIMESHEET, "实际工时", "total_hours"),
    (Kind.PAYROLL, "Monthly Salary", "base_pay"), (Kind.PAYROLL, "Take-home Pay", "net_pay"),
    (Kind.PAYROLL, "应发总额", "gross_pay"), (Kind.PAYROLL, "实领工资", "net_pay"), (Kind.PAYROLL, "计薪月份", "period"),
    (Kind.PAYROLL, "加班时数", "ot_hours_weekday"), (Kind.ROSTER, "D.O.B", "birth_date"),
    (Kind.ROSTER, "入职时间", "hire_date"), (Kind.GATE_LOG, "通行方向", "direction"),
])
def test_other_common_wordings(kind, header, field):
    hit = M.match(kind, [header])
    assert hit is not None and hit.field == field


def test_a_bonus_is_an_allowance_part_and_gross_salary_is_not_base_pay():
    mapping = M.map_columns(Kind.PAYROLL, [["工号", "Salary", "Bonus", "Gross Salary", "Net Pay"]])
    assert mapping.columns == {0: "worker_id", 1: "base_pay", 2: "allowances", 3: "gross_pay", 4: "net_pay"}


def test_a_weak_word_names_a_column_only_as_the_whole_cell():
    assert M.match(Kind.TIMESHEET, ["No."]).field == "worker_id"           # ZKTeco's worker id column
    assert M.match(Kind.TIMESHEET, ["Serial\nNo."]) is None                # a procurement list's row number


def test_a_multiplier_names_its_day_type_through_the_jurisdictions_premiums():
    """'OT Hrs 200%' is rest-day overtime in China (1.5 / 2 / 3, PRC Labour Law Art 44), plain
    overtime in Bangladesh (2× for every hour, Labour Act s108), and nothing without premiums."""
    from preaudit.core.packs import load_packs
    from preaudit.core.profile import parse_profile

    def read_as(jurisdiction: str | None, header: str):
        if jurisdiction is None:
            return HeaderMapper().match(Kind.PAYROLL, [header])
        profile = parse_profile(f"factory_id: F1\njurisdiction: {jurisdiction}\naudit_date: 2026-04-10\n"
                                "period: {start: 2026-03-01, end: 2026-03-31}\n", load_packs())
        options = profile.reading_options("pay.csv")
        return HeaderMapper(options.column_map, premiums=options.premiums).match(Kind.PAYROLL, [header])

    assert read_as("CN-SH", "OT Hrs 200%").field == "ot_hours_restday"
    assert read_as("CN-SH", "Overtime x3").field == "ot_hours_holiday"
    assert read_as("CN-SH", "OT pay 1.5x").field == "ot_pay"
    assert read_as("BD", "OT Hrs 200%").field == "ot_hours_weekday"
    assert read_as(None, "OT Hrs 200%") is None  # a multiplier no premium explains names no day
    assert read_as("CN-SH", "OT Hrs 250%") is None
