"""Period specs to inclusive month ranges and their words (statistics.md §6)."""

from datetime import date

import pytest

from citizenfocus.stats import month_number, parse_period, previous_year


@pytest.mark.parametrize(("spec", "first", "last", "label"), [
    ("rolling12:2014-03", date(2013, 4, 1), date(2014, 3, 1), "12 months to March 2014"),
    ("rolling3:2014-01", date(2013, 11, 1), date(2014, 1, 1), "3 months to January 2014"),
    ("month:2014-03", date(2014, 3, 1), date(2014, 3, 1), "March 2014"),
    ("quarter:2013-Q4", date(2013, 10, 1), date(2013, 12, 1), "Q4 2013 (October to December 2013)"),
    ("quarter:2014-Q1", date(2014, 1, 1), date(2014, 3, 1), "Q1 2014 (January to March 2014)"),
    ("fy:2013", date(2013, 4, 1), date(2014, 3, 1), "Financial year 2013/14 (April 2013 to March 2014)"),
    ("fy:1999", date(1999, 4, 1), date(2000, 3, 1), "Financial year 1999/00 (April 1999 to March 2000)"),
    ("year:2013", date(2013, 1, 1), date(2013, 12, 1), "2013"),
])
def test_a_spec_becomes_an_inclusive_month_range_with_its_label(spec, first, last, label):
    period = parse_period(spec)
    assert (period.first_date, period.last_date, period.label) == (first, last, label)
    assert parse_period(period.spec) == period


def test_specs_are_read_case_insensitively_with_spaces_trimmed():
    assert parse_period("  Quarter:2013-q4 ") == parse_period("quarter:2013-Q4")
    assert parse_period("ROLLING12:2014-3") == parse_period("rolling12:2014-03")


def test_month_numbers_are_consecutive_across_a_year_end_like_the_engines():
    assert month_number(2014, 1) - month_number(2013, 12) == 1
    assert month_number(2014, 3) == 2014 * 12 + 2
    period = parse_period("rolling12:2014-03")
    assert (period.first, period.last, period.months) == (month_number(2013, 4), month_number(2014, 3), 12)


@pytest.mark.parametrize(("spec", "previous"), [
    ("rolling12:2014-03", "12 months to March 2013"),
    ("month:2014-01", "January 2013"),
    ("quarter:2013-Q4", "Q4 2012 (October to December 2012)"),
    ("fy:2013", "Financial year 2012/13 (April 2012 to March 2013)"),
])
def test_the_previous_year_is_the_same_period_twelve_months_earlier(spec, previous):
    now, before = parse_period(spec), previous_year(parse_period(spec))
    assert before.label == previous
    assert (now.first - before.first, now.last - before.last) == (12, 12)
    assert before.last < now.first  # never overlapping


@pytest.mark.parametrize(("spec", "message"), [
    ("", "not understood"),
    ("last year", "not understood"),
    ("month:2014-13", "MM from 01 to 12"),
    ("month:March 2014", "YYYY-MM"),
    ("quarter:2013-Q5", "YYYY-Qn"),
    ("fy:13", "four digits"),
    ("rolling:2014-03", "1 to 120 months"),
    ("rolling0:2014-03", "1 to 120 months"),
    ("week:2014-03", "unknown kind 'week'"),
    ("month3:2014-03", "unknown kind 'month3'"),
])
def test_a_bad_spec_raises_a_clear_value_error(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_period(spec)


def test_as_dict_gives_the_spec_label_and_months():
    assert parse_period("fy:2013").as_dict() == {
        "kind": "fy", "spec": "fy:2013", "label": "Financial year 2013/14 (April 2013 to March 2014)",
        "first_month": "2013-04", "last_month": "2014-03"}


@pytest.mark.parametrize(("spec", "expected"), [
    ("rolling12:2014-03", "rolling12:2013-03"),
    ("rolling24:2014-03", "rolling24:2012-03"),
    ("rolling18:2014-03", "rolling18:2012-03"),
    ("quarter:2014-Q1", "quarter:2013-Q1"),
])
def test_a_comparison_window_never_overlaps_the_period(spec, expected):
    from citizenfocus.stats.periods import comparison_words

    period = parse_period(spec)
    before = previous_year(period)
    assert before.spec == expected
    assert before.last < period.first
    assert comparison_words(period) == ("the same period last year" if period.months <= 12
                                        else "the same period 2 years earlier")
