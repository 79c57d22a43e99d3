import datetime as dt

from validators.dataset.calendar import day_types
from preaudit.app.outputs import mask_text

D = dt.date


def test_cn_day_types_with_holidays_and_makeup_days():
    days = [D(2026, 4, 3), D(2026, 4, 4), D(2026, 4, 5), D(2026, 4, 6), D(2026, 5, 1), D(2026, 5, 5), D(2026, 5, 9)]
    types = day_types(days, "CN", [5, 6])
    assert types == {D(2026, 4, 3): "weekday", D(2026, 4, 4): "restday", D(2026, 4, 5): "holiday",
                     D(2026, 4, 6): "restday",   # the observed day off is not the statutory day
                     D(2026, 5, 1): "holiday", D(2026, 5, 5): "restday",
                     D(2026, 5, 9): "weekday"}   # a Saturday made a working day


def test_without_a_calendar_rest_days_are_the_packs_weekdays():
    assert day_types([D(2026, 3, 6), D(2026, 3, 7)], None, [4]) == {D(2026, 3, 6): "restday", D(2026, 3, 7): "weekday"}


def test_national_ids_are_masked_in_text():
    assert mask_text("id 310115201009011237 ok") == "id 310115********1237 ok"
    assert mask_text("31011520100901123X") == "310115********123X"
    assert mask_text("order 1234567890123456789012") == "order 1234567890123456789012"  # not an ID
    assert mask_text("E1001 2026-03-02") == "E1001 2026-03-02"
