"""Tables rebuilt from positioned words: OCR output, or the text layer of a page whose tables
have no ruling lines (or arrive rotated).

Lines come from the words' vertical centres; columns come from the header: the line whose
phrases map best to canonical fields (with the line below it when that is the second language
of a bilingual header) gives one anchor per column, and every word goes to the column whose
anchor span it falls in, or the nearest one. Each cell keeps its box and the lowest confidence of
its words, so a value read badly stays marked as such all the way to the finding.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from extractors.types import Grid
from extractors.headers import SYNONYMS, HeaderMapper
from extractors.values import CJK



@dataclass
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 1.0

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped into text lines, top to bottom, each line left to right."""
    words = [w for w in words if w.text.strip()]
    if not words:
        return []
    height = statistics.median(w.bottom - w.top for w in words) or 1.0
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.cy):
        if lines and abs(word.cy - statistics.fmean(w.cy for w in lines[-1])) <= 0.5 * height:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _join(words: list[Word]) -> str:
    text = ""
    for word in words:
        if text and not (CJK.search(text[-1]) and CJK.search(word.text[0])):
            text += " "
        text += word.text
    return text


def phrases(line: list[Word], gap: float) -> list[list[Word]]:
    """Runs of words closer than ``gap``: one header cell or one value each."""
    out: list[list[Word]] = []
    for word in line:
        if out and word.x0 - out[-1][-1].x1 <= gap:
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _mapped(mapper: HeaderMapper, texts: list[str]) -> int:
    best = 0
    for kind in SYNONYMS:
        fields = {m.field for t in texts if (m := mapper.match(kind, [t]))}
        best = max(best, len(fields))
    return best


def split_at_rules(line: list[Word], rules: list[float], margin: float) -> list[Word]:
    """A word running across a ruling line is two cells' values read as one (the rule between
    them was erased, and "12:00" "13:00" became "12:00)..-13:00"): it becomes one part per cell,
    each keeping the reading but with confidence 0, so each is read again from its own crop."""
    out = []
    for word in line:
        cuts = [r for r in rules if word.x0 + margin < r < word.x1 - margin]
        if not cuts:
            out.append(word)
            continue
        edges = [word.x0, *cuts, word.x1]
        out += [Word(word.text, a, word.top, b, word.bottom, 0.0) for a, b in zip(edges, edges[1:])]
    return out


def words_to_grid(words: list[Word], mapper: HeaderMapper, *, page: int | None, unit: str,
                  context: list[str] | None = None, rules: list[float] | None = None) -> Grid | None:
    lines = lines_of(words)
    if not lines:
        return None
    height = statistics.median(w.bottom - w.top for line in lines for w in line) or 1.0
    gap = 1.2 * height
    line_phrases = [phrases(line, gap) for line in lines]
    scores = [_mapped(mapper, [_join(p) for p in ps]) for ps in line_phrases]
    head = max(range(len(lines)), key=lambda i: (scores[i], -i))
    if scores[head] < 2:
        return None
    anchors = [(min(w.x0 for w in p), max(w.x1 for w in p)) for p in line_phrases[head]]
    # a second header line (the other language) widens the anchors it overlaps
    if head + 1 < len(lines) and scores[head + 1] >= 2:
        for p in line_phrases[head + 1]:
            x0, x1 = min(w.x0 for w in p), max(w.x1 for w in p)
            for k, (a0, a1) in enumerate(anchors):
                if x0 < a1 and x1 > a0:
                    anchors[k] = (min(a0, x0), max(a1, x1))
    anchors.sort()
    inner = sorted(rules or [])
    if len(inner) >= 3:
        # ruling lines are the table's own column boundaries: every span between two rules that
        # holds a header word is a column (wins over header positions, which values outgrow)
        # (by the header's words, not its phrases: a speck between two header cells can join
        # them into one phrase across the rule that parts them)
        header_words = [w for k in range(head, min(head + 2, len(lines))) if scores[k] >= 2 for w in lines[k]]
        spans = [(a, b) for a, b in zip(inner, inner[1:]) if any(a <= w.cx <= b for w in header_words)]
        if len(spans) >= 2:
            anchors = spans
            lines = lines[:head + 1] + [split_at_rules(line, inner, 0.5 * height) for line in lines[head + 1:]]
            height = 0.0

    def column(word: Word) -> int:
        inside = [k for k, (a0, a1) in enumerate(anchors) if a0 - height <= word.cx <= a1 + height]
        if inside:
            return min(inside, key=lambda k: abs((anchors[k][0] + anchors[k][1]) / 2 - word.cx))
        return min(range(len(anchors)), key=lambda k: min(abs(anchors[k][0] - word.cx), abs(anchors[k][1] - word.cx)))

    rows, boxes, confs, row_boxes = [], [], [], []
    for line in lines:
        cells: list[list[Word]] = [[] for _ in anchors]
        for word in line:
            cells[column(word)].append(word)
        rows.append([_join(c) if c else None for c in cells])
        boxes.append([(min(w.x0 for w in c), min(w.top for w in c), max(w.x1 for w in c), max(w.bottom for w in c))
                      if c else None for c in cells])
        confs.append([min(w.conf for w in c) if c else None for c in cells])
        row_boxes.append((min(w.x0 for w in line), min(w.top for w in line),
                          max(w.x1 for w in line), max(w.bottom for w in line)))
    return Grid(rows=rows, row_numbers=list(range(1, len(rows) + 1)), page=page, cell_boxes=boxes,
                cell_confs=confs, row_boxes=row_boxes, bbox_unit=unit, context=list(context or []))
