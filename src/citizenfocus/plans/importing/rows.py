"""From the table's rows to recommendations, responses and actions.

Word tables are written by hand, so:

- a blank or merged Ref, Recommendation or Response cell means "the same as above";
- a row that starts nothing (no ref, owner, progress or date of its own, and text
  that does not start with a ref) continues the cells above it and is joined;
- the action's ref is taken from the start of the position ("1.1.A. ...");
- repeated header rows, legend rows and full-width heading rows are skipped.
"""

from __future__ import annotations

from .cells import read_action_cells
from .columns import FIELD_NAMES, Header
from .grid import Cell
from .legend import Legend, legend_row
from .parsed import ParsedAction, ParsedPlan, ParsedRecommendation, ParsedResponse
from .text import ACTION_REF, REC_REF, REC_REF_IN_TEXT, RESPONSE_REF, ref_depth, split_ref

_CARRIED = ("ref", "level1", "level2")
_ANCHORS = ("owner", "progress", "date")


class _Row:
    def __init__(self, header: Header, cells: list[Cell], where: str):
        self.where = where
        self.cells = {f: cells[c] if c < len(cells) else Cell() for f, c in header.columns.items()}
        for name in FIELD_NAMES:
            self.cells.setdefault(name, Cell())
        self.all = cells

    def text(self, name: str) -> str:
        return self.cells[name].text

    def fresh(self, name: str) -> bool:
        cell = self.cells[name]
        return bool(cell.text) and not cell.merged_above and not cell.spanned_left

    def starts_item(self) -> bool:
        return (self.fresh("ref") or any(self.fresh(f) for f in _ANCHORS) or bool(self.cells["progress"].fill
                and not self.cells["progress"].merged_above)
                or (self.fresh("position") and bool(ACTION_REF.match(self.text("position"))))
                or (self.fresh("level2") and bool(RESPONSE_REF.match(self.text("level2"))))
                or (self.fresh("level1") and bool(REC_REF_IN_TEXT.match(self.text("level1")))))

    def is_heading(self) -> bool:
        """One cell spanning the whole row: a section heading, not an item."""
        distinct = [c for c in self.all if not c.spanned_left]
        return len(distinct) == 1 and len(self.all) > 2 and bool(distinct[0].text)


class Assembler:
    def __init__(self, header: Header, legend: Legend, plan: ParsedPlan):
        self.header, self.legend, self.plan = header, legend, plan
        self.rec: ParsedRecommendation | None = None
        self.response: ParsedResponse | None = None
        self.action: ParsedAction | None = None
        self.raw: dict[int, dict[str, str]] = {}  # id(action) -> its cells, joined across continuation rows
        self.last_where = ""

    def run(self) -> None:
        grid = self.header.grid
        for index in range(self.header.row_index + 1, len(grid.rows)):
            cells, where = grid.rows[index], grid.where(index)
            if not any(c.text for c in cells) and not any(c.fill for c in cells):
                continue
            row = _Row(self.header, cells, where)
            if self.header.matches(cells):
                self.plan.notes.append(f"{where}: the header row repeated (a new page): skipped")
                continue
            if len(legend_row(cells)) >= 2:
                self.plan.notes.append(f"{where}: a key to the progress colours: read as the legend, not an item")
                continue
            if row.is_heading():
                self.plan.notes.append(f"{where}: a heading across the table, not an item: "
                                       f"{row.all[0].text[:80]!r}")
                continue
            if not row.starts_item() and self.rec is not None:
                self._join(row)
                continue
            self._item(row)
        for action in self.plan.actions():
            read_action_cells(action, self.raw.pop(id(action)), self.legend, self.plan.problems, self.header.titles)

    # -- continuation rows -----------------------------------------------------------------

    def _join(self, row: _Row) -> None:
        joined = []
        if row.fresh("level1") and self.rec is not None:
            self.rec.text = _join(self.rec.text, row.text("level1"))
            joined.append(self.header.titles.get("level1", "Recommendation"))
        if row.fresh("level2") and self.response is not None:
            self.response.text = _join(self.response.text, row.text("level2"))
            joined.append(self.header.titles.get("level2", "Response"))
        if row.fresh("position") and self.action is not None:
            raw = self.raw[id(self.action)]
            raw["position"] = _join(raw["position"], row.text("position"))
            joined.append(self.header.titles.get("position", "Position"))
        if joined:
            self.plan.notes.append(f"{row.where}: continues the row above ({', '.join(joined)}): joined to it")
        elif any(c.text for c in row.all):
            self.plan.notes.append(f"{row.where}: nothing to read in the plan's columns: skipped")

    # -- rows that start something -----------------------------------------------------------

    def _item(self, row: _Row) -> None:
        cell = row.text("ref")
        ref = next((r for r in (split_ref(p, cell)[0] for p in (ACTION_REF, RESPONSE_REF, REC_REF)) if r), "")
        depth = ref_depth(ref)
        self._recommendation(row, ref.split(".")[0] if ref else "")
        self._response(row, ".".join(ref.split(".")[:2]) if depth >= 2 else "")
        if any(row.fresh(f) for f in ("position", *_ANCHORS)) or depth >= 3 or (
                row.cells["progress"].fill and not row.cells["progress"].merged_above):
            self._action(row, ref if depth >= 3 else "")

    def _recommendation(self, row: _Row, ref: str) -> None:
        fresh = row.fresh("level1")
        text_ref, text = split_ref(REC_REF_IN_TEXT, row.text("level1")) if fresh else ("", "")
        ref = ref or text_ref
        if self.rec is not None:
            if ref and ref == self.rec.ref:
                return
            if not ref and (not fresh or text == self.rec.text):
                return
        if not ref:
            ref = _next_number([r.ref for r in self.plan.recommendations])
            self.plan.notes.append(f"{row.where}: a new recommendation with no ref: numbered {ref}")
        elif any(r.ref == ref for r in self.plan.recommendations):
            fixed = _next_number([r.ref for r in self.plan.recommendations])
            self.plan.problems.append(_problem(row, "ref", ref, f"a new recommendation ref: used twice, so read as "
                                               f"{fixed}", self.header))
            ref = fixed
        self.rec = ParsedRecommendation(ref=ref, where=row.where, text=text)
        self.plan.recommendations.append(self.rec)
        self.response = self.action = None

    def _response(self, row: _Row, ref: str) -> None:
        fresh = row.fresh("level2")
        text_ref, text = split_ref(RESPONSE_REF, row.text("level2")) if fresh else ("", "")
        ref = ref or text_ref
        if self.response is not None:
            if ref and ref == self.response.ref:
                return
            if not ref and (not fresh or text == self.response.text):
                return
        if not ref and not fresh:
            return
        existing = next((r for r in self.rec.responses if ref and r.ref == ref), None)
        if existing is not None:
            self.response = existing
            return
        ref = self._child_ref(ref, self.rec.ref, [r.ref for r in self.rec.responses], row, "response")
        self.response = ParsedResponse(ref=ref, where=row.where, text=text)
        self.rec.responses.append(self.response)
        self.action = None

    def _action(self, row: _Row, ref: str) -> None:
        position = row.text("position") if row.fresh("position") else ""
        text_ref, rest = split_ref(ACTION_REF, position)
        if text_ref:
            position = rest
        ref = ref or text_ref
        if ref:
            self._response_named_by(ref.rsplit(".", 1)[0], row)
        if self.response is None:
            ref_here = _next_number([r.ref for r in self.rec.responses], prefix=f"{self.rec.ref}.")
            self.response = ParsedResponse(ref=ref_here, where=row.where)
            self.rec.responses.append(self.response)
            self.plan.notes.append(f"{row.where}: an action with no response above it: "
                                   f"put under an empty response {ref_here}")
        siblings = [a.ref for a in self.response.actions]
        if not ref:
            ref = _next_letter(self.response.ref, siblings)
            self.plan.notes.append(f"{row.where}: an action with no ref: given {ref}")
        elif ref.upper() in (s.upper() for s in siblings) or not ref.startswith(f"{self.response.ref}."):
            fixed = _next_letter(self.response.ref, siblings)
            why = "used twice" if ref.upper() in (s.upper() for s in siblings) else \
                f"it does not belong under {self.response.ref}"
            self.plan.problems.append(_problem(row, "position", ref, f"a new action ref ({why}): read as {fixed}",
                                               self.header))
            ref = fixed
        self.action = ParsedAction(ref=ref, where=row.where)
        self.response.actions.append(self.action)
        self.raw[id(self.action)] = {
            "position": position, "owner": row.text("owner"), "progress": row.text("progress"),
            "progress_fill": row.cells["progress"].fill or "", "date": row.text("date"),
            "date_value": row.cells["date"].date.isoformat() if row.cells["date"].date else "",
            "where": row.where,
        }

    def _response_named_by(self, parent: str, row: _Row) -> None:
        """An action ref names its response (1.2.A is under 1.2): find it, or make it when the table has none."""
        if self.response is not None and self.response.ref == parent:
            return
        existing = next((r for r in self.rec.responses if r.ref == parent), None)
        if existing is not None:
            self.response = existing
        elif parent.split(".")[0] == self.rec.ref and ref_depth(parent) == 2 and (
                self.response is None or self.response.actions):
            self.response = ParsedResponse(ref=parent, where=row.where,
                                           text=self.response.text if self.response and not self.response.actions
                                           else "")
            self.rec.responses.append(self.response)
            self.plan.notes.append(f"{row.where}: action under response {parent}, which has no row of its own: "
                                   f"response {parent} made for it")

    def _child_ref(self, ref: str, parent: str, siblings: list[str], row: _Row, what: str) -> str:
        if ref and ref.upper() not in (s.upper() for s in siblings) and ref.startswith(f"{parent}."):
            return ref
        fixed = _next_number(siblings, prefix=f"{parent}.")
        if ref:
            self.plan.problems.append(_problem(row, "level2", ref, f"a new {what} ref under {parent}: read as {fixed}",
                                               self.header))
        else:
            self.plan.notes.append(f"{row.where}: a {what} with no ref: numbered {fixed}")
        return fixed


def _join(first: str, more: str) -> str:
    return f"{first}\n{more}" if first else more


def _next_number(siblings: list[str], prefix: str = "") -> str:
    taken = {s.upper() for s in siblings}
    n = 1
    while f"{prefix}{n}".upper() in taken:
        n += 1
    return f"{prefix}{n}"


def _next_letter(parent: str, siblings: list[str]) -> str:
    from citizenfocus.plans.refs import next_child_ref

    return next_child_ref(parent, siblings, letters=True)


def _problem(row: _Row, field_name: str, value: str, expected: str, header: Header):
    from .parsed import Problem

    return Problem(row.where, header.titles.get(field_name, FIELD_NAMES[field_name]), value, expected)
