"""From the table's rows to recommendations, responses and actions, never inventing one.

Word tables are written by hand, so:

- a blank or merged Ref, Recommendation or Response cell means "the same as above";
- a continuation row (no ref, no department, no status of its own) continues the
  item above: its position is a second paragraph, its date may finish a status
  split over two rows ("Completed -" / "Jan 2012");
- a row answered without an action ("N/A" in the department, "Completed"), and a
  recommendation with no response, keep their own cells (ParsedStanding);
- refs are kept as written, from the Ref column or the start of the text
  ("<b>1.1.A.</b> All officers ..."); only a ref used twice is renumbered;
- repeated header rows, legend rows and headings across the table are skipped,
  unless a heading names a recommendation ("Recommendation 3: ...").

The person's corrections from the preview (which rows continue, a status or date)
are applied as the rows are read.
"""

from __future__ import annotations

from .cells import Raw, read_action_cells, read_standing
from .columns import FIELD_NAMES, Header
from .corrections import Corrections
from .grid import Cell
from .legend import Legend, legend_row
from .parsed import ParsedAction, ParsedPlan, ParsedRecommendation, ParsedResponse, RowReading
from .reading import apply_corrections, describe_reading
from .text import (
    ACTION_REF,
    REC_REF,
    REC_REF_IN_TEXT,
    RESPONSE_REF,
    colour_word,
    find_status,
    is_not_applicable,
    ref_depth,
    split_ref,
)

_DANGLING = ("-", "\u2013", "\u2014", ":", ",", "/")


class _Row:
    def __init__(self, header: Header, cells: list[Cell], where: str, number: int):
        self.where, self.number, self.all = where, number, cells
        self.cells = {f: cells[c] if c < len(cells) else Cell() for f, c in header.columns.items()}
        for name in FIELD_NAMES:
            self.cells.setdefault(name, Cell())

    def text(self, name: str) -> str:
        return self.cells[name].text

    def fresh(self, name: str) -> bool:
        cell = self.cells[name]
        return bool(cell.text) and not cell.merged_above and not cell.spanned_left

    def fill(self) -> str:
        cell = self.cells["progress"]
        return cell.fill or "" if not cell.merged_above else ""

    def heading(self) -> str:
        """The text of one cell spanning the whole row (a section heading), else ""."""
        distinct = [c for c in self.all if not c.spanned_left]
        return distinct[0].text if len(distinct) == 1 and len(self.all) > 2 else ""

    def starts_item(self, current: Raw | None) -> bool:
        """Whether the row starts something, or only continues the item above."""
        if self.fresh("ref") or any(self.fresh(f) and pattern.match(self.text(f)) for f, pattern in (
                ("level1", REC_REF_IN_TEXT), ("level2", RESPONSE_REF), ("position", ACTION_REF),
                ("action", ACTION_REF))):
            return True
        if self.fresh("owner"):
            return True
        if self.fresh("progress") and (find_status(self.text("progress")) or colour_word(self.text("progress"))):
            return True
        if self.fill() and (current is None or self.fill() != current.progress_fill):
            return True  # a shading the row above does not have: a new item's colour
        if self.fresh("date"):
            if find_status(self.text("date")) or current is None:
                return True
            # A date alone finishes the row above ("Completed -" / "Jan 2012") or gives it the date it lacked.
            return bool(current.date) and not current.date.rstrip().endswith(_DANGLING)
        return False


class Assembler:
    def __init__(self, header: Header, legend: Legend, plan: ParsedPlan, corrections: Corrections | None = None):
        self.header, self.legend, self.plan = header, legend, plan
        self.corrections = corrections or Corrections()
        self.rec: ParsedRecommendation | None = None
        self.response: ParsedResponse | None = None
        self.current: Raw | None = None  # the cells continuation rows join
        self.current_label = ""
        self.items: list[tuple[object, Raw]] = []  # each action or standing, with its cells

    def run(self) -> None:
        grid = self.header.grid
        for index in range(self.header.row_index + 1, len(grid.rows)):
            cells = grid.rows[index]
            if not any(c.text for c in cells) and not any(c.fill for c in cells):
                continue
            row = _Row(self.header, cells, grid.where(index), index + 1)
            reading = self._skipped(row)
            if reading is None:
                reading = self._read_row(row)
            self.plan.rows.append(reading)
        for item, raw in self.items:
            if isinstance(item, ParsedAction):
                read_action_cells(item, raw, self.legend, self.plan.problems, self.header.titles)
            else:
                item.standing = read_standing(raw, self.legend, self.plan.problems, self.header.titles)
            apply_corrections(item, raw, self.corrections, self.plan, self.header.titles)

    def describe(self) -> None:
        """Each item's first row: its status and date cells as written, and what they were read as."""
        for item, raw in self.items:
            describe_reading(item, raw, self.plan.rows, self.header.titles)

    def _skipped(self, row: _Row) -> RowReading | None:
        def skip(why: str) -> RowReading:
            self.plan.notes.append(f"{row.where}: {why}: skipped")
            return RowReading(row.number, row.where, f"skipped: {why}", "skipped")

        if self.header.matches(row.all):
            return skip("the header row repeated (a new page)")
        if len(legend_row(row.all)) >= 2:
            return skip("a key to the progress colours, read as the legend")
        heading = row.heading()
        if heading and not REC_REF_IN_TEXT.match(heading):
            return skip(f"a heading across the table ({heading[:60]!r})")
        return None

    def _read_row(self, row: _Row) -> RowReading:
        heading = row.heading()
        if heading:  # "Recommendation 3: ..." across the whole table: the recommendation its rows answer
            ref, text = split_ref(REC_REF_IN_TEXT, heading)
            self._new_recommendation(row, ref, text)
            return RowReading(row.number, row.where, f"recommendation {self.rec.ref} (a heading row)", "item",
                              item=self.rec.ref)
        auto = self.rec is not None and not row.starts_item(self.current)
        choice = self.corrections.continuation.get(str(row.number))
        continues = (auto if choice is None else choice) and self.rec is not None
        if continues:
            joined = self._join(row)
            return RowReading(row.number, row.where, f"continues {self.current_label or 'the row above'}"
                              + (f" ({', '.join(joined)})" if joined else ""), "continuation", auto, self.current_label)
        became = self._item(row)
        return RowReading(row.number, row.where, became, "item", auto, became.split(" ", 1)[-1].split(" (")[0])

    # -- continuation rows -----------------------------------------------------------------

    def _join(self, row: _Row) -> list[str]:
        joined = []
        if row.fresh("level1"):
            self.rec.text = _join(self.rec.text, row.text("level1"))
            joined.append(self._title("level1"))
        if row.fresh("level2") and self.response is not None:
            self.response.text = _join(self.response.text, row.text("level2"))
            joined.append(self._title("level2"))
        cells = [f for f in ("position", "action", "progress", "date") if row.fresh(f)]
        if cells and self.current is None:
            self._standing(row, self.response or self.rec)
        for name in cells:
            value = row.text(name)
            old = getattr(self.current, name)
            spaced = name == "date" and old.rstrip().endswith(_DANGLING)
            setattr(self.current, name, f"{old} {value}" if spaced else _join(old, value))
            joined.append(self._title(name))
        if self.current is not None:
            self.current.continued.append(row.where)
        note = f"continues the row above ({', '.join(joined)}): joined to it" if joined else \
            "nothing to read in the plan's columns"
        self.plan.notes.append(f"{row.where}: {note}")
        return joined

    # -- rows that start something ----------------------------------------------------------

    def _item(self, row: _Row) -> str:
        cell = row.text("ref") if row.fresh("ref") else ""
        ref = next((r for r in (split_ref(p, cell)[0] for p in (ACTION_REF, RESPONSE_REF, REC_REF)) if r), "")
        depth = ref_depth(ref)
        started_rec = self._recommendation(row, ref.split(".")[0] if ref else "")
        started_response = self._response(row, ".".join(ref.split(".")[:2]) if depth >= 2 else "")
        position = row.text("position") if row.fresh("position") else ""
        action_ref, rest = split_ref(ACTION_REF, position)
        if action_ref:
            position = rest
        elif row.fresh("action"):
            action_ref = split_ref(ACTION_REF, row.text("action"))[0]
        if depth >= 3:
            action_ref = ref
        has_cells = bool(position or row.fresh("action") or row.fresh("owner") or row.fresh("progress")
                         or row.fill() or row.fresh("date"))
        if not has_cells and not action_ref:
            self.current, self.current_label = None, ""
            return self._label(started_rec, started_response)
        target = None if action_ref else self._standing_target(row, started_rec, started_response, position)
        if target is not None:
            self._standing(row, target)
            return self.current_label
        self._action(row, action_ref, position)
        return self.current_label

    def _label(self, started_rec: bool, started_response: bool) -> str:
        if started_response:
            return f"response {self.response.ref}"
        return f"recommendation {self.rec.ref}" if started_rec else "nothing new"

    def _standing_target(self, row: _Row, started_rec: bool, started_response: bool, position: str):
        """The recommendation or response whose own cells these are, or None when the row is an action."""
        owner = row.text("owner")
        without_action = is_not_applicable(owner) or not (position or row.fresh("action"))
        if self.response is not None:
            if without_action and (started_response or not self.response.actions) and not self._has_cells(
                    self.response):
                return self.response
            return None
        if "level2" in self.header.columns and not self._has_cells(self.rec):
            return self.rec  # a recommendation with no response: its position sits on the recommendation
        return None

    def _has_cells(self, item) -> bool:
        return any(existing is item for existing, _ in self.items)

    def _raw(self, row: _Row) -> Raw:
        date = row.cells["date"]
        return Raw(where=row.where, number=row.number, owner=row.text("owner"),
                   position=row.text("position") if row.fresh("position") else "",
                   action=row.text("action") if row.fresh("action") else "",
                   progress=row.text("progress") if row.fresh("progress") else "", progress_fill=row.fill(),
                   date=date.text if row.fresh("date") else "", date_value=date.date if row.fresh("date") else None)

    def _standing(self, row: _Row, item) -> None:
        raw = self._raw(row)
        self.items.append((item, raw))
        kind = "response" if isinstance(item, ParsedResponse) else "recommendation"
        self.current, self.current_label = raw, f"{kind} {item.ref} (its own cells: no action)"
        self.plan.notes.append(f"{row.where}: {kind} {item.ref} has no action here: its department, position, "
                               "status and date are kept on it")

    def _recommendation(self, row: _Row, ref: str) -> bool:
        fresh = row.fresh("level1")
        text_ref, text = split_ref(REC_REF_IN_TEXT, row.text("level1")) if fresh else ("", "")
        ref = ref or text_ref
        if self.rec is not None:
            if ref and ref == self.rec.ref:
                return False
            if not ref and (not fresh or text == self.rec.text):
                return False
        self._new_recommendation(row, ref, text)
        return True

    def _new_recommendation(self, row: _Row, ref: str, text: str) -> None:
        taken = [r.ref for r in self.plan.recommendations]
        if not ref:
            ref = _next_number(taken)
            self.plan.notes.append(f"{row.where}: a new recommendation with no ref: numbered {ref}")
        elif ref.upper() in (t.upper() for t in taken):
            fixed = _next_number(taken)
            self._problem(row, "ref", ref, f"a recommendation ref not used above: used twice, so read as {fixed}")
            ref = fixed
        self.rec = ParsedRecommendation(ref=ref, where=row.where, text=text)
        self.plan.recommendations.append(self.rec)
        self.response, self.current, self.current_label = None, None, ""

    def _response(self, row: _Row, ref: str) -> bool:
        fresh = row.fresh("level2")
        text_ref, text = split_ref(RESPONSE_REF, row.text("level2")) if fresh else ("", "")
        ref = ref or text_ref
        if self.response is not None:
            if ref and ref == self.response.ref:
                return False
            if not ref and (not fresh or text == self.response.text):
                return False
        if not ref and not fresh:
            return False
        existing = next((r for r in self.rec.responses if ref and r.ref.upper() == ref.upper()), None)
        if existing is not None:
            self.response = existing
            return False
        if not ref:
            ref = _next_number([r.ref for r in self.rec.responses], prefix=f"{self.rec.ref}.")
            self.plan.notes.append(f"{row.where}: a response with no ref: numbered {ref}")
        elif not ref.upper().startswith(f"{self.rec.ref.upper()}."):
            self.plan.notes.append(f"{row.where}: response {ref} is written under recommendation {self.rec.ref}: "
                                   "kept there with its own ref")
        self.response = ParsedResponse(ref=ref, where=row.where, text=text)
        self.rec.responses.append(self.response)
        self.current, self.current_label = None, ""
        return True

    def _action(self, row: _Row, ref: str, position: str) -> None:
        if ref:
            self._response_named_by(ref.rsplit(".", 1)[0], row)
        if self.response is None:
            # The table has no response column (or none on this row): the action needs a response to hang on.
            made = _next_number([r.ref for r in self.rec.responses], prefix=f"{self.rec.ref}.")
            self.response = ParsedResponse(ref=made, where=row.where)
            self.rec.responses.append(self.response)
            self.plan.notes.append(f"{row.where}: an action with no response above it: put under an empty "
                                   f"response {made}")
        siblings = [a.ref.upper() for a in self.response.actions]
        if not ref:
            ref = _next_letter(self.response.ref, siblings)
            self.plan.notes.append(f"{row.where}: an action with no ref: given {ref}")
        elif ref.upper() in siblings:
            fixed = _next_letter(self.response.ref, siblings)
            self._problem(row, "position", ref, f"an action ref not used above: used twice, so read as {fixed}")
            ref = fixed
        action = ParsedAction(ref=ref, where=row.where)
        self.response.actions.append(action)
        raw = self._raw(row)
        raw.position = position
        if split_ref(ACTION_REF, raw.action)[0]:
            raw.action = split_ref(ACTION_REF, raw.action)[1]
        self.items.append((action, raw))
        self.current, self.current_label = raw, f"action {ref}"

    def _response_named_by(self, parent: str, row: _Row) -> None:
        """An action ref names its response (1.2.A is under 1.2): use it when the table has it."""
        if self.response is not None and self.response.ref.upper() == parent.upper():
            return
        existing = next((r for r in self.rec.responses if r.ref.upper() == parent.upper()), None)
        if existing is not None:
            self.response = existing
        elif self.response is not None:
            self.plan.notes.append(f"{row.where}: action ref names response {parent}, which the table does not "
                                   f"have: kept under response {self.response.ref}, where it is written")

    def _problem(self, row: _Row, field_name: str, value: str, expected: str) -> None:
        from .parsed import Problem

        self.plan.problems.append(Problem(row.where, self._title(field_name), value, expected, field="ref"))

    def _title(self, name: str) -> str:
        return self.header.titles.get(name, FIELD_NAMES[name])


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
