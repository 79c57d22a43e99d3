"""DQ-STATED-TOTAL: a time-record row whose own stated total disagrees with its punches, in a
document whose other rows agree with theirs (validators/dataset/dataset.py ``_check_stated_totals``).
Where most rows disagree the reading is wrong, not the factory: the document is judged on its
stated totals and its report says so; no finding is made of it."""
from __future__ import annotations

from preaudit.core.model import PUNCH_FIELDS, Kind
from validators.dataset.dataset import Dataset
from validators.base import CITED, Hit, period, rule, worker_subject


@rule("DQ-STATED-TOTAL", category="data_quality", severity="minor", unit="hours",
      summary="a time-record row whose stated total differs from the hours its punches give, where the "
              "document's other rows agree with theirs",
      evidence={Kind.TIMESHEET: ("date", *PUNCH_FIELDS, "break_minutes", "total_hours")},
      readings="a row agrees within 0.1 h as punched, with the factory's break deducted, or with the break most "
               "of the document's rows deduct; a document most of whose rows disagree is judged on its stated "
               "totals (the reading was wrong), not reported row by row",
      message=lambda h: f"{h.subject['worker_id']}'s time record of {h.period['start']} in {h.values['doc']} states "
                        f"{h.values['stated']:g} h but its punches give {h.values['computed']:g} h, while the "
                        f"document's other rows agree with their totals: a corrected or edited total, or a punch "
                        f"misread; the rules judge the punches")
def find_stated_total(ds: Dataset) -> list[Hit]:
    return [Hit(worker_subject(r["worker_id"]), period(r["date"]), round(abs(r["stated"] - r["computed"]), 2), 0.1,
                [CITED], [r["_rec"]], {"doc": r["_doc"], "stated": round(r["stated"], 2),
                                       "computed": round(r["computed"], 2)})
            for r in ds.total_disagreements.iter_rows(named=True)]
