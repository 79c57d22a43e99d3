import datetime as dt

import pytest

from preaudit.core.packs import PackError, law_chain, load_pack, load_packs, resolve
from preaudit.core.profile import ProfileError, parse_profile

PACKS = load_packs()
GOOD = """
factory_id: F-SZ-0001
jurisdiction: CN-GD-SZ
standards: [sa8000]
audit_date: 2026-12-10
period: {start: 2025-12-01, end: 2026-11-30}
overrides: {minimum_wage_monthly: 2520}
column_map: {"Amount Received": net_pay}
"""


def test_a_good_profile():
    p = parse_profile(GOOD, PACKS)
    assert (p.factory_id, p.jurisdiction, p.audit_date) == ("F-SZ-0001", "CN-GD-SZ", dt.date(2026, 12, 10))
    assert p.overrides == {"minimum_wage_monthly": 2520.0} and p.column_map == {"Amount Received": "net_pay"}


@pytest.mark.parametrize("change,expected", [
    (("factory_id: F-SZ-0001", ""), "factory_id: missing"),
    (("audit_date: 2026-12-10", "audit_date: 2026-13-45"), "audit_date: '2026-13-45' is not a date"),
    (("start: 2025-12-01", "start: soon"), "period.start: 'soon' is not a date"),
    (("jurisdiction: CN-GD-SZ", "jurisdiction: XX-1"), "jurisdiction: unknown 'XX-1' (known: BD, CN, CN-GD-SZ, CN-SH, IN, US-FLSA, VN, VN-R1, VN-R2, VN-R3, VN-R4)"),
    (("[sa8000]", "[sa9000]"), "standards: unknown 'sa9000' (known: amfori-bsci, ctpat, eti, rba, sa8000, wrap)"),
    (("minimum_wage_monthly: 2520", "min_wage: 2520"), "overrides.min_wage: unknown parameter"),
    (("minimum_wage_monthly: 2520", "minimum_wage_monthly: lots"), "overrides.minimum_wage_monthly: 'lots' is not a number"),
    (("net_pay}", "take_home}"), "column_map.Amount Received: 'take_home' is not a canonical field"),
    (("end: 2026-11-30", "end: 2025-01-01"), "period: start 2025-12-01 is after end 2025-01-01"),
])
def test_profile_errors_name_the_field_and_the_problem(change, expected):
    with pytest.raises(ProfileError) as err:
        parse_profile(GOOD.replace(*change), PACKS)
    assert any(expected in p for p in err.value.problems), err.value.problems


def test_all_problems_are_reported_at_once():
    with pytest.raises(ProfileError) as err:
        parse_profile("legal_name: x\n", PACKS)
    fields = {p.split(":")[0] for p in err.value.problems}
    assert {"factory_id", "jurisdiction", "audit_date", "period"} <= fields


def test_a_city_without_its_own_pack_falls_back_to_the_country():
    assert [p.id for p in law_chain("CN-ZJ-NB", PACKS)] == ["CN"]
    assert [p.id for p in law_chain("CN-GD-SZ", PACKS)] == ["CN-GD-SZ", "CN"]
    assert parse_profile(GOOD.replace("CN-GD-SZ", "CN-ZJ-NB"), PACKS).jurisdiction == "CN-ZJ-NB"


def value(ctx, name, day):
    v = ctx.value_at(name, dt.date.fromisoformat(day))
    return None if v is None else (v.value, v.pack)


def test_law_and_standards_strictest_wins():
    ctx = resolve("CN-SH", ["sa8000"], {}, PACKS)
    assert ctx.packs_used == ["CN", "CN-SH", "sa8000"]
    assert value(ctx, "minimum_age", "2026-03-01") == (16.0, "CN")          # CN 16 beats SA8000 15
    assert value(ctx, "max_weekly_hours", "2026-03-01") == (60.0, "sa8000")  # only the standard has one
    assert value(ctx, "max_monthly_ot_hours", "2026-03-01") == (36.0, "CN")
    assert value(ctx, "max_pay_delay_days", "2026-03-01") is None            # no source: no value


def test_values_apply_by_effective_date():
    ctx = resolve("CN-SH", [], {}, PACKS)
    assert value(ctx, "minimum_wage_monthly", "2025-06-30") == (2690.0, "CN-SH")
    assert value(ctx, "minimum_wage_monthly", "2025-07-01") == (2740.0, "CN-SH")


def test_override_beats_every_pack():
    ctx = resolve("CN-SH", ["sa8000"], {"minimum_wage_monthly": 2000, "max_weekly_hours": 66}, PACKS)
    assert value(ctx, "minimum_wage_monthly", "2026-03-01") == (2000.0, "profile")
    assert value(ctx, "max_weekly_hours", "2026-03-01") == (66.0, "profile")


def test_every_pack_value_has_a_source():
    for pack in PACKS.values():
        for name, entries in pack.parameters.items():
            assert entries and all(e.source for e in entries), (pack.id, name)


@pytest.mark.parametrize("value, problem", [
    ("minimum_age: [{value: 14}]", "needs 'value' and 'source'"),
    # `valid_from` for `effective_from` would apply a minimum wage for all time
    ('minimum_wage_hourly: [{value: 7.25, source: "FLSA s6", valid_from: 2009-07-24}]',
     r"minimum_wage_hourly\[0\]\.valid_from: unknown setting"),
])
def test_a_pack_value_without_a_source_or_with_a_misspelt_setting_is_refused(tmp_path, value, problem):
    path = tmp_path / "XX.yaml"
    path.write_text(f"pack: XX\nkind: law\nparameters:\n  {value}\n")
    with pytest.raises(PackError, match=problem):
        load_pack(path)
