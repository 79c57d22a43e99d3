"""License rules (validators/licenses.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.builders import dataset, profile
from tests.support.rules import subject_keys
from validators import RULES_BY_ID


# ---------------------------------------------------------------- LIC-*

LIC = [{"license_type": "营业执照", "number": "914403001922038216", "holder_name": "上海示例服装有限公司",
        "holder_uscc": "914403001922038216", "valid_until": "2040-01-01"},
       {"license_type": "消防验收", "number": "F-1", "holder_name": "SHANGHAI EXAMPLE GARMENTS CO LTD",
        "valid_until": "2026-06-14"},
       {"license_type": "消防验收", "number": "F-0", "holder_name": "上海示例服装有限公司", "valid_until": "2020-01-01"},
       {"license_type": "排污许可证", "number": "P-1", "holder_name": "上海示例服装有限公司", "valid_until": "2026-09-13"},
       {"license_type": "食品经营许可证", "number": "C-1", "holder_name": "上海某餐饮管理有限公司", "valid_until": "2026-09-12"},
       {"license_type": "特种设备使用登记证", "number": "S-1", "holder_name": "上海示例服装有限公司",
        "holder_uscc": "91350211M0000XUF46", "valid_until": "2030-01-01"}]


def lic(rule_id, **changes):
    return RULES_BY_ID[rule_id].run(dataset(licenses=LIC, profile=profile(**changes)), None)


def test_license_missing_expired_expiring():
    assert subject_keys(lic("LIC-MISSING", required_licenses=["business_license", "dormitory", "fire_safety"])) == [("dormitory", None)]
    assert subject_keys(lic("LIC-EXPIRED")) == [("fire_safety", "2026-06-14")]  # the latest fire certificate counts
    # 90 days after 2026-06-15 is 2026-09-13: on the window's edge is inside it
    assert subject_keys(lic("LIC-EXPIRING")) == [("canteen_hygiene", "2026-09-12"), ("discharge_permit", "2026-09-13")]


def test_license_holder_and_uscc():
    found = lic("LIC-HOLDER-MISMATCH")
    assert subject_keys(found) == [("canteen_hygiene", None), ("special_equipment", None)]  # names match across spelling
    invalid = lic("LIC-INVALID-NUMBER")
    assert subject_keys(invalid) == [("special_equipment", None)] and invalid[0].severity == "minor"
    assert "pilot" in invalid[0].message
