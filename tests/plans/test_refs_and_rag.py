"""Refs sort as people expect; RAG follows the documented rules."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from citizenfocus.plans.dates import add_months
from citizenfocus.plans.rag import rag_for
from citizenfocus.plans.refs import clean_ref, next_child_ref, ref_sort_key

TODAY = dt.date(2014, 3, 15)


def test_refs_sort_by_number_not_by_text():
    refs = ["1.10.A", "1.2.B", "10", "1.2.A", "2", "1", "R10", "R2", "1.2.AA", "1.2.Z"]
    assert sorted(refs, key=ref_sort_key) == ["1", "1.2.A", "1.2.B", "1.2.Z", "1.2.AA", "1.10.A", "2", "10",
                                              "R2", "R10"]


def test_the_next_ref_fills_the_first_gap():
    assert next_child_ref("", ["1", "2", "4"], letters=False) == "3"
    assert next_child_ref("1", [], letters=False) == "1.1"
    assert next_child_ref("1.1", ["1.1.A", "1.1.B"], letters=True) == "1.1.C"
    assert next_child_ref("1.1", [f"1.1.{chr(65 + i)}" for i in range(26)], letters=True) == "1.1.AA"
    assert clean_ref(" 1.1.A. ") == "1.1.A"


def _rag(status, target, days=28, amber=("not_started",)):
    return rag_for(status=status, target_date=target, today=TODAY, due_soon_days=days, amber=amber)


def test_overdue_and_blocked_are_red():
    assert _rag("work_underway", TODAY - dt.timedelta(days=1)).colour == "red"
    assert _rag("work_underway", TODAY - dt.timedelta(days=12)).reason == "overdue by 12 days"
    assert _rag("blocked", TODAY + dt.timedelta(days=300)).colour == "red"


def test_not_started_and_due_soon_is_amber_and_the_window_is_configurable():
    soon = TODAY + dt.timedelta(days=20)
    assert _rag("not_started", soon) .colour == "amber"
    assert _rag("not_started", soon).reason == "due in 20 days and not started"
    assert _rag("not_started", soon, days=14).colour == "green"
    assert _rag("work_underway", soon).colour == "green"
    assert _rag("work_underway", soon, amber=("not_started", "work_underway")).colour == "amber"
    assert _rag("not_started", TODAY).reason == "due today and not started"


def test_completed_is_green_even_when_late():
    assert _rag("completed", TODAY - dt.timedelta(days=400)).colour == "green"


def test_not_started_without_a_target_is_amber():
    assert _rag("not_started", None).reason == "not started and no target date"
    assert _rag("work_underway", None).colour == "green"


@given(st.sampled_from(["not_started", "work_underway", "completed", "blocked"]),
       st.integers(-1000, 1000), st.integers(0, 365))
def test_every_action_has_exactly_one_rag_with_a_reason_in_words(status, offset, days):
    rag = _rag(status, TODAY + dt.timedelta(days=offset), days=days)
    assert rag.colour in {"red", "amber", "green"} and rag.reason and rag.label in str(rag)
    if status == "completed":
        assert rag.colour == "green"
    elif offset < 0 or status == "blocked":
        assert rag.colour == "red"


def test_months_are_added_inside_short_months():
    assert add_months(dt.date(2014, 1, 31), 1) == dt.date(2014, 2, 28)
    assert add_months(dt.date(2014, 3, 15), -12) == dt.date(2013, 3, 15)
    assert add_months(dt.date(2014, 1, 15), -1) == dt.date(2013, 12, 15)
