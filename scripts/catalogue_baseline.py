"""How today's header mapper does on the public header catalogue (tests/data/header_catalogue.csv).

Each row is one real column-header text with the canonical field it names (or `none`: the mapper
must leave it unmapped). The mapper reads it alone, as a one-cell header:
`HeaderMapper().match(Kind(kind), [text])`.

    right     the mapper names the row's field (for `none`: it maps nothing)
    wrong     it names another field (for `none`: it maps it to any field)
    unmapped  it maps nothing where the row names a field

Run: PYTHONPATH=. python scripts/catalogue_baseline.py [--all-wrong]
"""
from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from extractors.headers import HeaderMapper
from preaudit.core.model import Kind

CATALOGUE = Path(__file__).resolve().parent.parent / "tests" / "data" / "header_catalogue.csv"


def load(path: Path = CATALOGUE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def judge(rows: list[dict[str, str]]) -> list[tuple[dict[str, str], str, str | None]]:
    mapper = HeaderMapper()
    out = []
    for row in rows:
        hit = mapper.match(Kind(row["kind"]), [row["text"]])
        got = hit.field if hit else None
        want = None if row["field"] == "none" else row["field"]
        verdict = "right" if got == want else "unmapped" if got is None else "wrong"
        out.append((row, verdict, got))
    return out


def main(argv: list[str]) -> int:
    results = judge(load())
    total = Counter(v for _, v, _ in results)
    by_lang: dict[str, Counter] = defaultdict(Counter)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    by_none: dict[str, Counter] = defaultdict(Counter)
    for row, verdict, _ in results:
        by_lang[row["language"]][verdict] += 1
        by_kind[row["kind"]][verdict] += 1
        by_none["field=none" if row["field"] == "none" else "named field"][verdict] += 1

    def line(label: str, c: Counter) -> str:
        n = sum(c.values())
        return (f"{label:<14} {n:>4}  right {c['right']:>4} ({100 * c['right'] / n:5.1f}%)  "
                f"wrong {c['wrong']:>3}  unmapped {c['unmapped']:>3}")

    print(f"header catalogue: {CATALOGUE.name}, {len(results)} rows")
    print(line("overall", total))
    print("-- by language")
    for lang in sorted(by_lang):
        print(line(lang, by_lang[lang]))
    print("-- by kind")
    for kind in sorted(by_kind):
        print(line(kind, by_kind[kind]))
    print("-- named field vs none")
    for key in sorted(by_none):
        print(line(key, by_none[key]))
    print("-- wrong (text | kind | expected -> got)")
    for row, verdict, got in results:
        if verdict == "wrong":
            print(f"  {row['text']!r} | {row['kind']} | {row['field']} -> {got}")
    if "--unmapped" in argv:
        print("-- unmapped (text | kind | expected)")
        for row, verdict, _ in results:
            if verdict == "unmapped":
                print(f"  {row['text']!r} | {row['kind']} | {row['field']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
