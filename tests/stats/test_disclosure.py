"""Low-base flags and suppression for publication (statistics.md §8)."""

from hypothesis import given
from hypothesis import strategies as st

from citizenfocus.stats import (
    LOW_BASE_NOTE,
    low_base,
    low_base_note,
    suppress_siblings,
    suppress_table,
)


def test_bases_under_fifty_are_flagged_but_empty_cells_are_not():
    assert [low_base(n) for n in (None, 0, 1, 49, 50, 1000)] == [False, False, True, True, False, False]
    assert low_base(70, threshold=100)
    assert low_base_note(12) == LOW_BASE_NOTE == "low base — treat with caution"
    assert low_base_note(500) is None


def test_one_small_sibling_takes_the_next_smallest_with_it():
    result = suppress_siblings([120, 30, 200, 75])
    assert result.cells == (None, "primary", None, "secondary")
    assert result.total is None


def test_two_small_siblings_protect_each_other():
    assert suppress_siblings([120, 30, 20, 200]).cells == (None, "primary", "primary", None)


def test_a_small_total_is_suppressed_too():
    result = suppress_siblings([10, 20])
    assert result.cells == ("primary", "primary") and result.total == "primary"


def test_without_a_published_total_nothing_extra_is_hidden():
    assert suppress_siblings([120, 30, 200], total_published=False).cells == (None, "primary", None)


def test_a_table_hides_a_second_cell_in_every_row_and_column_with_one():
    table = [[120, 30, 200],
             [80, 90, 150],
             [300, 10, 60]]
    result = suppress_table(table)
    hidden = {(i, j) for i, row in enumerate(result.cells) for j, s in enumerate(row) if s}
    assert {(i, j) for i, row in enumerate(result.cells) for j, s in enumerate(row) if s == "primary"} == {(0, 1), (2, 1)}
    # row 0 would reveal (0,1) from its total: its smallest other cell goes too; and so on
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 2), (2, 1), (2, 2)}
    assert result.row_totals == (None, None, None) and result.grand_total is None


def test_a_table_without_totals_only_hides_small_cells():
    result = suppress_table([[120, 30], [80, 90]], totals=False)
    assert result.cells == ((None, "primary"), (None, None))


def line_is_safe(statuses):
    return sum(1 for s in statuses if s) != 1


@given(st.integers(min_value=1, max_value=6).flatmap(
    lambda cols: st.lists(st.lists(st.integers(min_value=0, max_value=400), min_size=cols, max_size=cols),
                          min_size=1, max_size=6)))
def test_no_row_or_column_with_its_total_ever_has_exactly_one_hidden_entry(table):
    result = suppress_table(table)
    rows = [list(r) + [t] for r, t in zip(result.cells, result.row_totals, strict=True)]
    rows.append(list(result.column_totals) + [result.grand_total])
    for line in rows + [list(col) for col in zip(*rows, strict=True)]:
        assert line_is_safe(line)
    for i, row in enumerate(table):
        for j, n in enumerate(row):
            if 0 < n < 50:
                assert result.cells[i][j] == "primary"
            if result.cells[i][j] is None:
                assert not 0 < n < 50
