"""Cards stacked in one sheet: a job card or time card per worker, each stating its worker in a
labelled row ("Employee ID: 10023  Name: Rahim") above its own days. Each card is read as a grid of
its own, so no worker's days are read as another's (layouts/table.py reads the stated worker)."""
from __future__ import annotations

import dataclasses

from extractors.headers import HeaderMapper
from extractors.rows import is_label_row, labelled_values
from extractors.types import Grid
from preaudit.core.model import Kind


def states_a_worker(row: list, mapper: HeaderMapper) -> bool:
    """Whether a row of labelled values names a worker's id ("Employee ID:", "工号：")."""
    if not is_label_row(row):
        return False
    for _, label, _ in labelled_values(row):
        hit = mapper.match(Kind.ROSTER, [label]) or mapper.match(Kind.TIMESHEET, [label])
        if hit is not None and hit.field == "worker_id":
            return True
    return False


def split_cards(grid: Grid, mapper: HeaderMapper) -> list[Grid]:
    """The grid as one grid per card when two or more rows state a worker, else the grid itself.
    Rows above the first card (the factory's name, the month) stand above every card."""
    if grid.fields is not None:
        return [grid]
    starts = [i for i, row in enumerate(grid.rows) if states_a_worker(row, mapper)]
    if len(starts) < 2:
        return [grid]
    above = list(range(starts[0]))
    cards = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(grid.rows)
        cards.append(_part(grid, above + list(range(start, end))))
    return cards


def _part(grid: Grid, rows: list[int]) -> Grid:
    def pick(values):
        return None if values is None else [values[i] for i in rows]

    return dataclasses.replace(grid, rows=pick(grid.rows), row_numbers=pick(grid.row_numbers),
                               cell_boxes=pick(grid.cell_boxes), cell_confs=pick(grid.cell_confs),
                               row_boxes=pick(grid.row_boxes), row_pages=pick(grid.row_pages),
                               context=list(grid.context), notes=list(grid.notes))
