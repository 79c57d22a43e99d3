"""Supply-chain security rules over seal logs, container inspections and visitor logs."""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from preaudit.core.model import Kind
from validators.base import CITED, Hit, period, rule
from validators.rests_on import SEALED, RestsOn

SEAL_FIELDS = {Kind.SEAL_LOG: ("date", "container_no", "seal_no", "verified_by", "vvtt_done")}
POINTS = ("front_wall", "left_side", "right_side", "floor", "ceiling_roof", "doors", "undercarriage")
INSPECTION_FIELDS = {Kind.CONTAINER_INSPECTION: ("date", "container_no", "seal_no", *POINTS, "inspector")}
VISITOR_FIELDS = {Kind.VISITOR_LOG: ("date", "visitor_name", "company", "id_number", "id_checked",
                                     "time_in", "time_out")}

#: per sealing, the latest inspection of the same container on or before the seal date
_SEAL_INSPECTION = """
    select s.container_no, s.date, s.seal_no, s._rec,
           arg_max(i.seal_no, i.date) as inspected_seal, arg_max(i._rec, i.date) as inspection_rec,
           count(i._rec) as inspections
    from seal_log s left join container_inspection i
         on i.container_no = s.container_no and i.date <= s.date
    where s.container_no is not null and s.date is not null
    group by s.container_no, s.date, s.seal_no, s._rec"""


def _container(r: dict, recs: list[int]) -> Hit:
    return Hit({"container_no": r["container_no"]}, period(r["date"]), None, None, [CITED], recs, r)


@rule("SEC-SEAL-MISMATCH", category="security", severity="critical",
      summary="a container's seal_no differs between seal log and inspection record",
      evidence={**SEAL_FIELDS, **INSPECTION_FIELDS},
      message=lambda h: f"container {h.subject['container_no']} was sealed with {h.values['seal_no']} on "
                        f"{h.period['start']} but its inspection record says {h.values['inspected_seal']}")
def find_seal_mismatch(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"select * from ({_SEAL_INSPECTION}) where inspected_seal is not null "
                  f"and seal_no is not null and inspected_seal <> seal_no")
    return [_container(r, [r["_rec"], r["inspection_rec"]]) for r in rows]


@rule("SEC-INSPECTION-MISSING", category="security", severity="critical",
      summary="a sealed container with no inspection record on or before its seal date",
      evidence=SEAL_FIELDS,
      message=lambda h: f"container {h.subject['container_no']} was sealed on {h.period['start']} without an "
                        f"inspection record on or before that day",
      rests_on=RestsOn((Kind.CONTAINER_INSPECTION,), among=SEALED),
      readings="fires only for months whose inspection records were read completely and name most of the "
               "containers sealed: inspection forms not read (a page, a document unclassified) are one "
               "DQ-COVERAGE, not a finding per container")
def find_inspection_missing(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"select * from ({_SEAL_INSPECTION}) s where inspections = 0")
    return [_container(r, [r["_rec"]]) for r in rows]


@rule("SEC-SEAL-REUSED", category="security", severity="critical", unit="containers",
      summary="one seal_no recorded on two or more containers",
      evidence=SEAL_FIELDS,
      message=lambda h: f"seal {h.subject['seal_no']} is recorded on {h.measured:g} containers: "
                        f"{', '.join(h.values['containers'])}")
def find_seal_reused(ds: Dataset) -> list[Hit]:
    rows = ds.sql("""
        select seal_no, list(distinct container_no order by container_no) as containers, list(_rec) as recs
        from seal_log where seal_no is not null and container_no is not null
        group by seal_no having count(distinct container_no) >= 2""")
    return [Hit({"seal_no": r["seal_no"]}, None, len(r["containers"]), 1, [CITED],
                list(r["recs"]), r) for r in rows]


@rule("SEC-SEAL-VVTT", category="security", severity="major",
      summary="a seal log entry with no VVTT verification (vvtt_done false or verified_by blank)",
      evidence=SEAL_FIELDS,
      message=lambda h: f"container {h.subject['container_no']} sealed on {h.period['start']} has no VVTT "
                        f"verification ({'VVTT not done' if h.values['vvtt_done'] is False else 'no verifier recorded'})")
def find_seal_vvtt(ds: Dataset) -> list[Hit]:
    rows = ds.sql("""
        select container_no, date, seal_no, vvtt_done, verified_by, _rec from seal_log
        where container_no is not null and (vvtt_done = false or verified_by is null)""")
    return [_container(r, [r["_rec"]]) for r in rows]


@rule("SEC-INSPECTION-INCOMPLETE", category="security", severity="major",
      summary="an inspection record with any of the seven points failed or blank",
      evidence=INSPECTION_FIELDS,
      message=lambda h: f"container {h.subject['container_no']} inspection on {h.period['start']}: "
                        + ", ".join(h.values["problems"]))
def find_inspection_incomplete(ds: Dataset) -> list[Hit]:
    failed = " || ".join(f"case when {p} is distinct from 'pass' then ['{p}: ' || coalesce({p}, 'blank')] "
                         f"else [] end" for p in POINTS)
    rows = ds.sql(f"""
        select * from (select container_no, date, _rec, {failed} as problems from container_inspection
                       where container_no is not null) where len(problems) > 0""")
    return [_container(r, [r["_rec"]]) for r in rows]


def _visitor_hits(ds: Dataset, condition: str) -> list[Hit]:
    rows = ds.sql(f"""
        select visitor_name, coalesce(date, null) as date, list(_rec) as recs from visitor_log
        where visitor_name is not null and ({condition}) group by visitor_name, date""")
    return [Hit({"visitor": f"{r['visitor_name']}|{r['date'].isoformat() if r['date'] else ''}"},
                period(r["date"]) if r["date"] else None, None, None, [CITED], list(r["recs"]), r)
            for r in rows]


def _visitor(h: Hit) -> str:
    name, day = h.subject["visitor"].split("|", 1)
    return f"visitor {name} on {day}"


@rule("SEC-VISITOR-ID", category="security", severity="major",
      summary="a visitor entry without an ID check",
      evidence=VISITOR_FIELDS,
      message=lambda h: f"{_visitor(h)} entered without a recorded ID check")
def find_visitor_without_id(ds: Dataset) -> list[Hit]:
    return _visitor_hits(ds, "id_checked = false or (id_checked is null and id_number is null)")


@rule("SEC-VISITOR-EXIT", category="security", severity="major",
      summary="a visitor entry with no time_out",
      evidence=VISITOR_FIELDS,
      message=lambda h: f"{_visitor(h)} has no exit time")
def find_visitor_without_exit(ds: Dataset) -> list[Hit]:
    return _visitor_hits(ds, "time_out is null")
