"""Low-base flags and suppression for publication (statistics.md §8).

The attacker in these tests knows everything published — the shown cells,
the shown totals and that counts are never negative — and works each hidden
entry's least and greatest possible value out with a linear program written
here, independently of the module's own.
"""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from citizenfocus.stats import (
    LOW_BASE_NOTE,
    low_base,
    low_base_note,
    suppress_siblings,
    suppress_table,
)
from citizenfocus.stats.disclosure import suppress_margins


def with_totals(table):
    """The table with each row's total on its right and the column totals (and grand total) below."""
    grid = [list(map(float, row)) + [float(sum(row))] for row in table]
    return grid + [[sum(col) for col in zip(*grid, strict=True)]]


def statuses(result):
    """The result's statuses laid out like `with_totals`."""
    rows = [list(cells) + [total] for cells, total in zip(result.cells, result.row_totals, strict=True)]
    return rows + [list(result.column_totals) + [result.grand_total]]


def published_lines(n_rows, n_cols, *, rows=True, columns=True):
    """Each published total with its parts, as places in the `with_totals` layout."""
    lines = [([(i, j) for j in range(n_cols)], (i, n_cols)) for i in range(n_rows)] if rows else []
    lines += [([(i, j) for i in range(n_rows)], (n_rows, j)) for j in range(n_cols)] if columns else []
    if rows and columns:
        lines += [([(i, n_cols) for i in range(n_rows)], (n_rows, n_cols)),
                  ([(n_rows, j) for j in range(n_cols)], (n_rows, n_cols))]
    return lines


def attack(grid, hidden, lines=None):
    """Each hidden entry's (min, max) over non-negative tables in which every published total adds up.

    A total larger than its parts holds a remainder ('not stated'), taken as
    known to the attacker. `lines` defaults to every row, column and margin.
    """
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    lines = published_lines(n_rows, n_cols) if lines is None else lines
    places = sorted(hidden)
    index = {p: k for k, p in enumerate(places)}
    value = lambda p: grid[p[0]][p[1]]  # noqa: E731
    equations, rhs = [], []
    for parts, total in lines:
        if not any(p in index for p in [*parts, total]):
            continue
        remainder = value(total) - sum(value(p) for p in parts)
        row, known = [0.0] * len(places), 0.0
        for p, sign in [(p, 1.0) for p in parts] + [(total, -1.0)]:
            if p in index:
                row[index[p]] += sign
            else:
                known += sign * value(p)
        equations.append(row)
        rhs.append(-remainder - known)
    ranges = {}
    for p in places:
        c = [0.0] * len(places)
        c[index[p]] = 1.0
        if not equations:
            ranges[p] = (0.0, float("inf"))
            continue
        low = linprog(c, A_eq=equations, b_eq=rhs, bounds=(0, None), method="highs")
        high = linprog([-x for x in c], A_eq=equations, b_eq=rhs, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status in (0, 3)
        ranges[p] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return ranges


def hidden_places(result):
    return {(i, j) for i, row in enumerate(statuses(result)) for j, s in enumerate(row) if s}


def test_bases_under_fifty_are_flagged_but_empty_cells_are_not():
    assert [low_base(n) for n in (None, 0, 1, 49, 50, 1000)] == [False, False, True, True, False, False]
    assert low_base(70, threshold=100)
    assert low_base_note(12) == LOW_BASE_NOTE == "low base — treat with caution"
    assert low_base_note(500) is None


def test_one_small_sibling_takes_the_next_smallest_with_it():
    result = suppress_siblings([120, 30, 200, 75])
    assert result.cells == (None, "primary", None, "secondary")
    assert result.total is None
    # 30 + 75 = 105 is all anyone can work out: each of the two could be anything from 0 to 105
    assert [result.ranges[k].as_list() for k in (1, 3)] == [[0.0, 105.0], [0.0, 105.0]]


def test_two_small_siblings_protect_each_other_when_together_they_reach_the_threshold():
    assert suppress_siblings([120, 30, 20, 200]).cells == (None, "primary", "primary", None)


def test_two_small_siblings_that_add_up_to_less_than_the_threshold_take_a_third_with_them():
    # Hidden 20 and 20 beside a total: each is known to be at most 40, so both are known to be small.
    result = suppress_siblings([120, 20, 20, 200])
    assert result.cells == ("secondary", "primary", "primary", None)
    assert min(r.width for r in result.ranges.values()) >= 50


def test_a_remainder_in_the_total_is_treated_as_known():
    # 'not stated' (50) is in the total but not listed: it may be published elsewhere, so it protects nothing.
    result = suppress_siblings([120, 30, 200], total=400)
    assert result.cells == ("secondary", "primary", None)
    assert result.ranges[1].as_list() == [0.0, 150.0]
    with pytest.raises(ValueError, match="less than the sum"):
        suppress_siblings([120, 30], total=100)


def test_a_small_total_is_suppressed_too():
    result = suppress_siblings([10, 20])
    assert result.cells == ("primary", "primary") and result.total == "primary"


def test_without_a_published_total_nothing_extra_is_hidden():
    result = suppress_siblings([120, 30, 200], total_published=False)
    assert result.cells == (None, "primary", None)
    assert result.ranges[1].as_list() == [0.0, None]


# A 4 × 5 table with nine small cells. Every row and column (with its total)
# holds none or at least two of them, so "at least two hidden per line" hides
# nothing more — yet (0, 2) follows exactly: rows 0 and 1 add up to their
# totals, columns 0 and 1 to theirs, and the difference is (0, 2) alone.
FOUR_BY_FIVE = [[12, 7, 30, 80, 150],
                [9, 20, 60, 95, 110],
                [70, 65, 15, 40, 120],
                [85, 90, 25, 11, 130]]
SMALL = {(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)}


def test_two_hidden_per_line_leaves_a_cell_of_the_four_by_five_table_recoverable():
    grid = with_totals(FOUR_BY_FIVE)
    lines = [[(i, j) for j in range(6)] for i in range(5)] + [[(i, j) for i in range(5)] for j in range(6)]
    assert all(len(SMALL & set(line)) != 1 for line in lines)  # the old rule is satisfied as it stands
    assert attack(grid, SMALL)[(0, 2)] == pytest.approx((30.0, 30.0))


def test_the_linear_programming_check_protects_every_cell_of_the_four_by_five_table():
    result = suppress_table(FOUR_BY_FIVE)
    hidden = hidden_places(result)
    assert {p for p in hidden if statuses(result)[p[0]][p[1]] == "primary"} == SMALL
    assert hidden - SMALL and not any(p[0] == 4 or p[1] == 5 for p in hidden)  # more cells, no totals
    ranges = attack(with_totals(FOUR_BY_FIVE), hidden)
    assert min(high - low for low, high in ranges.values()) >= 50
    assert {p: r.as_list() for p, r in result.ranges.items()} == {p: pytest.approx(list(r)) for p, r in ranges.items()}


def test_a_table_hides_enough_cells_that_no_hidden_one_can_be_narrowed_below_fifty():
    table = [[120, 30, 200],
             [80, 90, 150],
             [300, 10, 60]]
    result = suppress_table(table)
    assert {p for p in hidden_places(result) if statuses(result)[p[0]][p[1]] == "primary"} == {(0, 1), (2, 1)}
    # the two small cells share column 1: its other cell and a cell next to each of the three go too
    assert hidden_places(result) == {(0, 1), (0, 2), (1, 1), (1, 2), (2, 1), (2, 2)}
    assert result.row_totals == (None, None, None) and result.grand_total is None
    assert result.ranges[(2, 1)].as_list() == [0.0, 70.0]


def test_a_table_without_totals_only_hides_small_cells():
    result = suppress_table([[120, 30], [80, 90]], totals=False)
    assert result.cells == ((None, "primary"), (None, None))


def test_the_protection_level_is_a_parameter():
    table = [[120, 30], [80, 90]]
    # hiding the whole table lets (0, 1) move from 0 to 120: enough for 50 or 120, not for 121
    assert hidden_places(suppress_table(table)) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert hidden_places(suppress_table(table, protection=120)) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    strict = suppress_table(table, protection=121)
    assert all(r.width >= 121 for r in strict.ranges.values())
    assert strict.column_totals == ("secondary", "secondary")  # only totals can give more


def test_a_gap_explorer_sized_table_is_protected_in_a_few_seconds():
    rng = np.random.default_rng(7)
    table = np.where(rng.random((60, 10)) < 0.3, rng.integers(0, 50, (60, 10)), rng.integers(50, 400, (60, 10)))
    start = time.perf_counter()
    result = suppress_table(table.tolist())
    assert time.perf_counter() - start < 30  # about 2 s on one core
    ranges = attack(with_totals(table.tolist()), hidden_places(result))
    assert min(high - low for low, high in ranges.values()) >= 50 - 1e-6


def small_tables():
    value = st.one_of(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=400))
    return st.integers(min_value=1, max_value=5).flatmap(
        lambda cols: st.lists(st.lists(value, min_size=cols, max_size=cols), min_size=1, max_size=5))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(small_tables(), st.integers(min_value=2, max_value=80), st.one_of(st.none(), st.integers(1, 150)))
def test_no_hidden_entry_can_be_narrowed_below_the_protection_level(table, threshold, protection):
    result = suppress_table(table, min_base=threshold, protection=protection)
    level = threshold if protection is None else protection
    grid, marks = with_totals(table), statuses(result)
    hidden = hidden_places(result)
    ranges = attack(grid, hidden)
    for p, (low, high) in ranges.items():
        assert high - low >= level - 1e-6, (p, low, high)
        assert result.ranges[p].lower == pytest.approx(low, abs=1e-6)
        assert result.ranges[p].upper == pytest.approx(high, abs=1e-6)
    assert set(result.ranges) == hidden
    for i, row in enumerate(grid):
        for j, n in enumerate(row):
            # primary exactly for the small entries; nothing at or above the threshold is primary
            assert (marks[i][j] == "primary") == (0 < n < threshold)
    lines = [[(i, j) for j in range(len(grid[0]))] for i in range(len(grid))]
    lines += [[(i, j) for i in range(len(grid))] for j in range(len(grid[0]))]
    secondary = {p for p in hidden if marks[p[0]][p[1]] == "secondary"}
    if secondary:
        assert any(m == "primary" for row in marks for m in row)  # no cause, nothing hidden
    for p in secondary:  # each one hidden for a reason: it shares a line with another hidden entry
        assert any(p in line and len(hidden & set(line)) >= 2 for line in lines)
    for line in lines:  # and so, a fortiori, no line is left with exactly one hidden entry
        assert len(hidden & set(line)) != 1


def test_all_users_beside_white_and_bme_is_a_total_so_one_small_group_takes_the_other_with_it():
    # all users 156 = white 124 + BME 27 + 5 not stated: with all users and white shown, BME is 27 exactly
    result = suppress_margins([[124, 27]], row_totals=[156])
    assert result.cells == (("secondary", "primary"),) and result.row_totals == (None,)
    assert result.column_totals == (None, None) and result.grand_total is None  # not published, not marked
    assert result.ranges[(0, 1)].as_list() == [0.0, 151.0]
    with pytest.raises(ValueError, match="less than the sum"):
        suppress_margins([[124, 27]], row_totals=[150])
    with pytest.raises(ValueError, match="grand total"):
        suppress_margins([[124, 27]], row_totals=[156], column_totals=[124, 27])


@st.composite
def tables_with_margins(draw):
    """A table, which of its totals are published, and a 'not stated' remainder in each row total."""
    table = draw(small_tables())
    margins = draw(st.sampled_from(["both", "rows", "columns"]))
    remainders = draw(st.lists(st.integers(min_value=0, max_value=40), min_size=len(table), max_size=len(table)))
    return table, margins, remainders if margins != "columns" else [0] * len(table)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(tables_with_margins(), st.integers(min_value=2, max_value=80))
def test_with_any_published_totals_and_remainders_no_hidden_entry_can_be_narrowed(case, threshold):
    table, margins, remainders = case
    rows, columns = margins != "columns", margins != "rows"
    row_totals = [sum(r) + extra for r, extra in zip(table, remainders, strict=True)]
    column_totals = [sum(c) for c in zip(*table, strict=True)]
    grid = [list(r) + [t] for r, t in zip(table, row_totals, strict=True)] + [column_totals + [sum(row_totals)]]
    result = suppress_margins(table, row_totals=row_totals if rows else None,
                              column_totals=column_totals if columns else None,
                              grand_total=sum(row_totals) if rows and columns else None, min_base=threshold)
    marks = statuses(result)
    hidden = hidden_places(result)
    lines = published_lines(len(table), len(table[0]), rows=rows, columns=columns)
    for p, (low, high) in attack(grid, hidden, lines).items():
        assert high - low >= threshold - 1e-6, (p, low, high)
    published = {p for parts, total in lines for p in [*parts, total]} | {
        (i, j) for i in range(len(table)) for j in range(len(table[0]))}
    for i, row in enumerate(grid):
        for j, n in enumerate(row):
            assert (marks[i][j] == "primary") == ((i, j) in published and 0 < n < threshold)
    assert hidden <= published


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=8),
       st.integers(min_value=0, max_value=60), st.integers(min_value=2, max_value=80))
def test_no_hidden_sibling_can_be_narrowed_below_the_threshold(cells, remainder, threshold):
    total = sum(cells) + remainder
    result = suppress_siblings(cells, total=total, min_base=threshold)
    marks = [*result.cells, result.total]
    values = [*cells, total]
    hidden = [k for k, s in enumerate(marks) if s]
    # cells + remainder = total: the hidden cells, less the total if hidden, equal what the shown ones leave
    equation = [1.0 if k < len(cells) else -1.0 for k in hidden]
    leftover = (total if len(cells) not in hidden else 0.0) - remainder
    leftover -= sum(v for k, v in enumerate(cells) if k not in hidden)
    for position in range(len(hidden)):
        c = [0.0] * len(hidden)
        c[position] = 1.0
        low = linprog(c, A_eq=[equation], b_eq=[leftover], bounds=(0, None), method="highs")
        high = linprog([-x for x in c], A_eq=[equation], b_eq=[leftover], bounds=(0, None), method="highs")
        width = float("inf") if high.status == 3 else -high.fun - low.fun
        assert width >= threshold - 1e-6
    assert [s == "primary" for s in marks] == [0 < v < threshold for v in values]
