"""Licenses and certificates: key–value pages (营业执照: 统一社会信用代码 … 名称 … 有效期至 …) read
with spaCy blank pipelines (no model to download) and an EntityRuler over the field labels; a
value runs from its label to the next label or the end of the line. English and Chinese.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extractors import values as V
from extractors.concepts import SPACY_LOCK
from extractors.types import Grid
from preaudit.core.model import Kind

LABELS: dict[str, list[str]] = {
    "holder_uscc": ["统一社会信用代码", "社会信用代码", "unified social credit code", "credit code", "uscc"],
    "holder_name": ["企业名称", "单位名称", "名称", "company name", "holder", "name"],
    "address": ["住所", "经营场所", "地址", "address"],
    "valid_until": ["有效期至", "营业期限至", "有效期限至", "valid until", "expiry date", "valid to", "expires"],
    "valid_from": ["有效期自", "valid from"],
    # a validity given as one range: "营业期限：2024-03-01 至 2027-02-28", "Validity: from … to …",
    # "有效期限：自2024年03月01日至2029年02月28日止" — the first date is valid_from, the last valid_until
    "validity": ["营业期限", "有效期限", "有效期", "经营期限", "validity", "period of validity", "valid period",
                 "term of validity", "validity period"],
    "issue_date": ["发证日期", "成立日期", "签发日期", "issue date", "date of issue", "issued on"],
    "issuer": ["发证机关", "登记机关", "签发机关", "issuing authority", "issued by", "issuer"],
    "number": ["许可证编号", "证书编号", "登记编号", "证号", "编号", "license no", "licence no", "certificate no",
               "permit no", "registration no"],
}
_USCC = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
_DATE_IN_TEXT = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?|\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|"
                           r"\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}|"
                           r"\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}")
_DATE_FIELDS = ("valid_until", "valid_from", "issue_date")


@lru_cache(maxsize=2)
def _pipeline(language: str):
    import spacy

    nlp = spacy.blank(language)
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": field, "pattern": label} for field, labels in LABELS.items() for label in labels])
    return nlp


def _fields_in_line(line: str) -> dict[str, str]:
    with SPACY_LOCK:  # a pipeline shared by the threads that read documents
        doc = _pipeline("zh" if V.CJK.search(line) else "en")(line)
    entities = sorted(doc.ents, key=lambda e: e.start_char)
    out: dict[str, str] = {}
    for k, ent in enumerate(entities):
        end = entities[k + 1].start_char if k + 1 < len(entities) else len(line)
        value = re.sub(r"^[\s.:：#]+", "", line[ent.end_char:end]).strip()
        if value and ent.label_ not in out:
            out[ent.label_] = value
    return out


def license_type_of(text: str) -> str | None:
    head = " ".join(text.splitlines()[:6])
    kind = V.parse_license_type(head)
    return None if kind in (None, "other") else kind


def read_license(text: str, *, page: int | None, unit: str, box: tuple | None = None,
                 confidence: float = 1.0) -> Grid | None:
    """A one-row grid of license fields, each column named by the field it holds (``Grid.fields``),
    or None when the page is not a license."""
    kind = license_type_of(text)
    if kind is None:
        return None
    fields: dict[str, str] = {}
    for line in text.splitlines():
        for name, value in _fields_in_line(line).items():
            fields.setdefault(name, value)
    if "holder_uscc" not in fields:
        match = _USCC.search(text.replace(" ", ""))
        if match:
            fields["holder_uscc"] = match.group(0)
    if kind == "business_license" and "number" not in fields and "holder_uscc" in fields:
        fields["number"] = fields["holder_uscc"]  # a business license's number is its USCC
    validity = fields.pop("validity", None)
    if validity:
        dates = _DATE_IN_TEXT.findall(validity)
        if re.search(r"长期|long[- ]term|permanent|无固定期限", validity, re.I):
            fields.setdefault("valid_until", "长期")
            if dates:
                fields.setdefault("valid_from", dates[0])
        elif len(dates) >= 2:
            fields.setdefault("valid_from", dates[0])
            fields.setdefault("valid_until", dates[-1])
        elif dates and re.search(r"至|到|止|until|to\b|expir", validity, re.I):
            fields.setdefault("valid_until", dates[-1])
    if "valid_until" in fields and re.search(r"长期|long[- ]term|permanent", fields["valid_until"], re.I):
        fields["valid_until"] = "长期"  # no expiry: read as such (values.NO_EXPIRY), not as a missing date
    for name in _DATE_FIELDS:
        # the date alone: a label's colon is often read as a glyph (至：→ 至 于), and a period
        # "2020年1月1日至2045年6月30日" ends on the expiry date
        dates = _DATE_IN_TEXT.findall(fields.get(name, ""))
        if dates:
            fields[name] = dates[-1] if name == "valid_until" else dates[0]
    if "number" not in fields and "valid_until" not in fields:
        return None
    names = ["license_type", *fields]
    row = [kind, *(fields[n] for n in fields)]
    return Grid(rows=[row], row_numbers=[1], page=page, cell_boxes=[[box] * len(names)],
                cell_confs=[[confidence] * len(names)], row_boxes=[box], bbox_unit=unit,
                kind=Kind.LICENSE, fields=names)
