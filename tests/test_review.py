"""What to check first (issue 10): needs_review by the values that decide a finding, systemic
patterns, and findings resting on documents not fully read."""
from __future__ import annotations

import polars as pl

from validators.dataset.dataset import Dataset
from preaudit.core.packs import load_packs, resolve
from preaudit.app.review import review
from tests.support.builders import day, table
from validators import RULES_BY_ID, run_rules


def _time_table(conf_field: str | None):
    t = table([day("E1", "2026-03-02", "07:00-12:00", "13:00-20:00") | {"name": "王芳"}], "time.csv")
    if conf_field:
        t.df = t.df.with_columns(pl.lit(0.3).alias(f"conf:{conf_field}"))
    return t


def _day_max(conf_field: str | None):
    context = resolve("CN-SH", [], {}, load_packs())
    ds = Dataset.build([_time_table(conf_field)], context)
    (finding,) = RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(ds, 0.7)
    return finding


def test_a_misread_name_does_not_send_an_hours_finding_to_review_a_misread_time_does():
    assert _day_max(None).needs_review is False
    assert _day_max("name").needs_review is False
    assert _day_max("out2").needs_review is True
    assert _day_max("out2").evidence[0].confidence == 0.3


def _pay_rows(n: int, below: int):
    # the month's normal hours stated: a full month, so the full minimum is owed (with nothing stated and no
    # time records, pay below it is a possible item, not a finding)
    return [{"worker_id": f"E{k}", "period": "2026-03", "base_pay": 2000 if k < below else 3000, "regular_hours": 176}
            for k in range(n)]


def test_a_rule_firing_for_most_workers_of_a_month_is_one_pattern_first():
    context = resolve("CN-SH", [], {}, load_packs())
    ds = Dataset.build([table(_pay_rows(8, 6), "pay.csv")], context)
    findings = run_rules(ds)
    result = review(ds, findings)
    assert [(p["rule_id"], p["month"], p["workers_affected"], p["workers"]) for p in result.patterns] == \
        [("LAB-MIN-WAGE", "2026-03", 6, 8)]
    assert result.patterns[0]["documents"] == ["pay.csv"] and "base_pay" in result.patterns[0]["fields"]
    assert sum(f.rule_id == "LAB-MIN-WAGE" for f in findings) == 6  # nothing is suppressed
    few = Dataset.build([table(_pay_rows(8, 2), "pay.csv")], context)
    assert review(few, run_rules(few)).patterns == []


def test_findings_resting_on_a_partly_read_document_are_counted(tmp_path):
    from tests.support.clean_factory import clean_files, wage_register

    files = clean_files()
    files["payroll/2026-03工资表.csv"] = wage_register("2026-03").replace("3000,3000,3000", "3000,3000,2900", 1) \
        + "\nX9,坏,abc,3000,3000,3000,2026-04-07"   # a line whose hours cannot be read
    from preaudit.app.pipeline import audit
    from preaudit.core.storage import LocalStorage
    from tests.support.clean_factory import write_pack

    result = audit(LocalStorage(write_pack(tmp_path, files)))
    assert result.review.partly_read_documents == ["payroll/2026-03工资表.csv"]
    assert result.review.findings_on_partly_read == sum(
        1 for f in result.findings if f.category != "data_quality"
        and any(e.document == "payroll/2026-03工资表.csv" for e in f.evidence)) >= 1


def test_a_rule_no_pack_gives_a_value_for_is_said_not_checked(tmp_path):
    """A Vietnamese factory whose profile does not name its minimum-wage region has no minimum
    wage to compare with: the run says LAB-MIN-WAGE was not checked; naming the region checks it."""
    from tests.support.countries import build, countries

    c = countries()["VN"]
    c.overrides = ""
    result = build(tmp_path, c)
    (rule,) = [r for r in result.review.not_checked if r["rule_id"] == "LAB-MIN-WAGE"]
    assert "VN" in rule["message"] and rule["parameters"] == ["minimum_wage_monthly", "minimum_wage_hourly"]
    c.jurisdiction = "VN-R1"
    result = build(tmp_path, c, {("base", c.workers[0].worker_id): 5_200_000})
    assert not [r for r in result.review.not_checked if r["rule_id"] == "LAB-MIN-WAGE"]
    (finding,) = [f for f in result.findings if f.rule_id == "LAB-MIN-WAGE"]
    assert finding.limit == 5_310_000 and "Decree 293/2025" in finding.message


def test_a_hit_that_holds_only_under_some_readings_is_a_possible_item_not_a_finding():
    from preaudit.app.outputs import findings_document, findings_csv
    from preaudit.app.pipeline import make_result
    from preaudit.core.model import Kind
    from preaudit.core.profile import parse_profile
    from validators import judge
    from validators.base import Hit, Rule

    context = resolve("CN-SH", [], {}, load_packs())
    ds = Dataset.build([_time_table(None)], context)
    rec = int(ds.tables[Kind.TIMESHEET]["_rec"][0])
    both = Rule(id="TEST-BOTH", category="working_time", severity="major", summary="test",
                evidence_fields={Kind.TIMESHEET: ("date",)}, message=lambda h: f"{h.subject['worker_id']} over",
                find=lambda _: [Hit({"worker_id": "E1"}, None, 11.0, 10.0, recs=[rec]),
                                Hit({"worker_id": "E2"}, None, 10.5, 10.0, recs=[rec],
                                    possible="no break recorded: 10.5 h if the lunch hour was worked, 9.5 h if not")])
    judged = judge(ds, [both])
    assert [f.subject["worker_id"] for f in judged.findings] == ["E1"]
    assert [(f.subject["worker_id"], f.possible) for f in judged.possible] == \
        [("E2", "no break recorded: 10.5 h if the lunch hour was worked, 9.5 h if not")]
    assert judged.possible[0].evidence[0].document == "time.csv"

    run_review = review(ds, judged.findings, judged.possible)
    profile = parse_profile("factory_id: F1\njurisdiction: CN-SH\naudit_date: 2026-04-10\n"
                            "period: {start: 2026-03-01, end: 2026-03-31}\n", load_packs())
    result = make_result(profile, context, [], judged.findings, run_review)
    doc = findings_document(result)
    assert [f["subject"]["worker_id"] for f in doc["findings"]] == ["E1"]
    assert [f["possible"][:16] for f in doc["review"]["possible"]] == ["no break recorde"]
    rows = findings_csv(result, doc).splitlines()
    assert sum(",possible," in r for r in rows) == 1 and any("E1" in r and ",possible," not in r for r in rows)
