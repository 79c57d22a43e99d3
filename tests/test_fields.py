"""The field declarations (extractors/fields.yaml): one place names each field in every language,
says how its values are read and in which unit. Header texts below are the ones these registers
print: Taiwanese and Hong Kong payroll software (Traditional Chinese), DingTalk's daily statistics
with durations in minutes, India's Form B under Hindi headings."""
import datetime as dt

import pytest

from extractors.fields import declarations, fold_chinese, parse_declarations
from extractors.headers import HeaderMapper, normalize
from preaudit.core.model import Kind
from tests.support.exports import csv_bytes, only_table, read


def test_every_declared_word_names_its_own_field_in_every_kind_it_is_declared_for():
    # a word added to one field that another field already uses would be taken by whichever comes
    # last, silently: the declarations must never overlap within a kind
    mapper = HeaderMapper()
    clashes = []
    for declared in declarations().values():
        for kind in declared.kinds:
            for word in declared.words_in(kind) + list(declared.parts):
                hit = mapper.match(kind, [word])
                if hit is None or hit.field != declared.name:
                    clashes.append((kind.value, declared.name, word, hit and hit.field))
    assert clashes == []


def test_traditional_chinese_is_folded_to_simplified_so_one_word_names_both():
    assert fold_chinese("員工編號") == "员工编号"
    assert normalize("實發工資（元）") == normalize("实发工资(元)")
    mapper = HeaderMapper()
    assert mapper.match(Kind.ROSTER, ["身分證字號"]).field == "national_id"  # Taiwan's own word
    assert mapper.match(Kind.TIMESHEET, ["上班打卡時間"]).field == "in1"


def test_a_taiwanese_payroll_register_in_traditional_chinese():
    rows = [["薪資月份", "員工編號", "姓名", "本薪", "伙食津貼", "全勤獎金", "加班費", "應發薪資",
             "勞保費", "健保費", "所得稅", "實發薪資", "發薪日期"],
            ["2025-08", "T001", "陳美玲", "27470", "2400", "1000", "1830", "32700",
             "687", "426", "0", "31587", "2025/09/05"]]
    table = only_table(read("薪資表.csv", csv_bytes(rows)), Kind.PAYROLL)
    r = table.df.to_dicts()[0]
    assert r["worker_id"] == "T001" and r["period"] == "2025-08"
    assert r["base_pay"] == 27470 and r["allowances"] == 3400 and r["ot_pay"] == 1830
    assert r["social_insurance"] == 687 + 426 and r["deductions"] == 0
    assert r["gross_pay"] == 32700 and r["net_pay"] == 31587
    assert r["pay_date"] == dt.date(2025, 9, 5)
    assert not [c for c in table.columns if c["field"] is None]


def test_hours_given_in_minutes_are_read_as_hours_and_the_report_says_so():
    rows = [["姓名", "工号", "日期", "上班1打卡时间", "下班1打卡时间", "工作时长(分钟)"],
            ["王芳", "1001", "2025-08-01", "08:00", "20:30", "690"],
            ["王芳", "1001", "2025-08-02", "08:00", "17:00", "480"]]
    table = only_table(read("每日统计.csv", csv_bytes(rows)))
    assert table.df.sort("date")["total_hours"].to_list() == [11.5, 8.0]
    column = next(c for c in table.columns if c["label"] == "工作时长(分钟)")
    assert column["field"] == "total_hours" and "minutes" in column["how"]


def test_a_header_in_the_fields_own_unit_is_not_converted():
    rows = [["Emp No.", "Date", "Clock In", "Clock Out", "Total Hours (H)", "Break (min)"],
            ["7", "2026-09-01", "08:00", "17:00", "8", "60"]]
    r = only_table(read("card.csv", csv_bytes(rows))).df.to_dicts()[0]
    assert r["total_hours"] == 8 and r["break_minutes"] == 60


def test_india_form_b_under_hindi_headings():
    rows = [["कर्मचारी कोड", "कर्मचारी का नाम", "कार्य दिवसों की संख्या", "मूल वेतन", "ओवरटाइम घंटे",
             "ओवरटाइम भुगतान", "सकल वेतन", "भविष्य निधि", "शुद्ध भुगतान", "भुगतान की तिथि"],
            ["E-17", "सुनीता देवी", "26", "11200", "12", "1034", "12234", "1344", "10890", "07/10/2026"]]
    table = only_table(read("Form B सितंबर 2026.csv", csv_bytes(rows)), Kind.PAYROLL)
    r = table.df.to_dicts()[0]
    assert r["worker_id"] == "E-17" and r["days_worked"] == 26
    assert (r["base_pay"], r["ot_hours_weekday"], r["ot_pay"]) == (11200, 12, 1034)
    assert (r["gross_pay"], r["social_insurance"], r["net_pay"]) == (12234, 1344, 10890)
    assert r["pay_date"] == dt.date(2026, 10, 7)


@pytest.mark.parametrize("text, message", [
    ("x:\n  type: colour\n  kinds: [roster]\n", "unknown type"),
    ("x:\n  type: text\n  kinds: [roster]\n  words: {fr: [nom]}\n", "by language"),
    ("x:\n  type: hours\n  unit: fortnights\n  kinds: [roster]\n", "unknown unit"),
])
def test_a_declaration_the_reader_could_not_use_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_declarations(text)


def test_a_header_whose_unit_the_values_contradict_is_not_rescaled():
    # one wrong "(分钟)" must not turn a month of 9-hour days into 9-minute days (and a finding per day)
    rows = [["姓名", "工号", "日期", "上班1打卡时间", "下班1打卡时间", "工作时长(分钟)"],
            ["王芳", "1001", "2025-08-01", "08:00", "18:00", "9"],
            ["王芳", "1001", "2025-08-02", "08:00", "18:30", "9.5"]]
    table = only_table(read("每日统计.csv", csv_bytes(rows)))
    assert table.df.sort("date")["total_hours"].to_list() == [9.0, 9.5]
    column = next(c for c in table.columns if c["label"] == "工作时长(分钟)")
    assert "kept as read" in column["how"]
