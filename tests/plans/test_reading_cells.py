"""Cell text the way forces write it: dates, statuses, refs, owners and left-over markup."""

import datetime as dt

import pytest

from citizenfocus.plans.importing.legend import family
from citizenfocus.plans.importing.owners import split_owner
from citizenfocus.plans.importing.positions import split_position
from citizenfocus.plans.importing.text import (
    ACTION_REF,
    REC_REF,
    REC_REF_IN_TEXT,
    RESPONSE_REF,
    clean_text,
    find_dates,
    find_status,
    first_date,
    split_ref,
)


@pytest.mark.parametrize("text, expected", [
    ("Dec 2011", dt.date(2011, 12, 31)),
    ("March 2013", dt.date(2013, 3, 31)),
    ("Mar14", dt.date(2014, 3, 31)),
    ("Jun-14", dt.date(2014, 6, 30)),
    ("30 Sept 2014", dt.date(2014, 9, 30)),
    ("31/03/2014", dt.date(2014, 3, 31)),
    ("31.10.2012", dt.date(2012, 10, 31)),
    ("1/4/13", dt.date(2013, 4, 1)),
    ("2013-04-01", dt.date(2013, 4, 1)),
    ("12th February 2013", dt.date(2013, 2, 12)),
    ("end of March 2013", dt.date(2013, 3, 31)),
    ("Feb 2012", dt.date(2012, 2, 29)),
])
def test_dates_are_read_as_forces_write_them(text, expected):
    assert first_date(text).date == expected


def test_day_first_means_the_uk_reading_and_nonsense_is_no_date():
    assert first_date("04/03/2013").date == dt.date(2013, 3, 4)
    assert find_dates("31/02/2013") == []
    assert find_dates("soon") == []


@pytest.mark.parametrize("text, status", [
    ("Completed - Dec 2011", "completed"),
    ("Completed \u2013 March 2013", "completed"),
    ("Update Mar14 On-going", "work_underway"),
    ("Completed", "completed"),
    ("Work Underway", "work_underway"),
    ("Not Started", "not_started"),
    ("not yet started", "not_started"),
    ("Blocked \u2013 awaiting a funding decision", "blocked"),
    ("On hold", "blocked"),
    ("Partially completed", "work_underway"),
    ("In progress", "work_underway"),
    ("Work Underway\n(Red: overdue by 3 days)", "work_underway"),
    ("Not Started\n(Amber: due in 5 days and not started)", "not_started"),
    ("Purple", None),
])
def test_statuses_are_read_from_the_words_forces_use(text, status):
    assert find_status(text) == status


def test_markup_is_stripped_and_paragraphs_kept():
    assert clean_text("<b>Agreed</b>. Centres extended &amp; publicised.<br>Next line") == \
        "Agreed. Centres extended & publicised.\nNext line"
    assert clean_text("\u2022 first\u00a0point\n\n  \u2022 second  ") == "first point\nsecond"
    assert clean_text("**Agreed** in part\u200b") == "Agreed in part"


def test_refs_are_taken_from_the_start_of_the_text():
    assert split_ref(ACTION_REF, "1.1.A. Call-back scripts reviewed") == ("1.1.A", "Call-back scripts reviewed")
    assert split_ref(ACTION_REF, "R2.1.b: Equality impact assessed") == ("R2.1.B", "Equality impact assessed")
    assert split_ref(RESPONSE_REF, "1.2 Victims will be offered") == ("1.2", "Victims will be offered")
    assert split_ref(RESPONSE_REF, "1.2.A. not a response") == ("", "1.2.A. not a response")
    assert split_ref(ACTION_REF, "1.5 million calls a year") == ("", "1.5 million calls a year")
    assert split_ref(REC_REF_IN_TEXT, "Recommendation 3: Train staff")[0] == "3"
    assert split_ref(REC_REF_IN_TEXT, "2012 review found")[0] == ""


def test_the_owner_cell_splits_into_department_and_manager():
    assert split_owner("Contact Management\nHead of Contact Management") == \
        ("Contact Management", "Head of Contact Management")
    assert split_owner("Corporate Development \u2013 Chief Inspector, Partnerships") == \
        ("Corporate Development", "Chief Inspector, Partnerships")
    assert split_owner("Chief Inspector, Partnerships") == ("", "Chief Inspector, Partnerships")
    assert split_owner("Performance Review") == ("Performance Review", "")


def test_a_position_splits_into_description_and_dated_updates():
    description, updates = split_position(
        "Call-back scripts reviewed.\nUpdate Mar14: reissued to all divisions.\nChecked monthly.\n"
        "Position at 12 Jun 2014: dip-sample running.")
    assert description == "Call-back scripts reviewed."
    assert [(u.position_date, u.text) for u in updates] == [
        (dt.date(2014, 3, 31), "reissued to all divisions.\nChecked monthly."),
        (dt.date(2014, 6, 12), "dip-sample running.")]
    assert split_position("March 2013 saw the first survey.") == ("March 2013 saw the first survey.", [])


def test_colours_fall_into_families():
    assert [family(c) for c in ("00B050", "92D050", "FFC000", "FFFF00", "FF0000", "C00000", "FFFFFF", "D9D9D9")] == \
        ["green", "green", "amber", "amber", "red", "red", None, None]


def test_a_ref_glued_to_its_text_once_the_markup_is_gone_is_still_the_ref():
    assert split_ref(ACTION_REF, clean_text("<b>1.1.A.</b>All officers")) == ("1.1.A", "All officers")
    assert split_ref(RESPONSE_REF, clean_text("<b>1.2</b> Research has been")) == ("1.2", "Research has been")
    assert split_ref(RESPONSE_REF, "1.2.A. not a response") == ("", "1.2.A. not a response")
    assert split_ref(REC_REF, "Recommendation 3") == ("3", "")
    assert split_ref(REC_REF, "AFI 2") == ("AFI 2", "") == split_ref(REC_REF, "Area for improvement 2")
    assert split_ref(ACTION_REF, "AFI 2.1.A Ethnicity recorded") == ("AFI 2.1.A", "Ethnicity recorded")


@pytest.mark.parametrize("text, description, expected", [
    ("Done. 2014 update: business as usual.", "Done.", [(None, "year", 2014, "business as usual.")]),
    ("Done.\nMarch 2014 update: every handler trained.", "Done.",
     [(dt.date(2014, 3, 31), "month", None, "every handler trained.")]),
    ("Done.\nUpdate Mar14 the report compares forces.", "Done.",
     [(dt.date(2014, 3, 31), "month", None, "the report compares forces.")]),
    ("Done. Position at May 2012 the first analysis is complete.", "Done.",
     [(dt.date(2012, 5, 31), "month", None, "the first analysis is complete.")]),
    ("Done.\nAs at 31 March 2014: reviewed.", "Done.", [(dt.date(2014, 3, 31), "day", None, "reviewed.")]),
    # A date inside a sentence dates nothing.
    ("Teams trained through the Sept 2012 briefing cycle.", "Teams trained through the Sept 2012 briefing cycle.",
     []),
    ("Reported from the 1st quarter of 2012-13.", "Reported from the 1st quarter of 2012-13.", []),
])
def test_dated_updates_are_found_wherever_a_sentence_starts_with_one(text, description, expected):
    found, updates = split_position(text)
    assert [(u.position_date, u.precision, u.year, u.text) for u in updates] == expected
    assert found == description


def test_owners_are_split_into_department_and_manager_the_way_forces_write_them():
    assert split_owner("Superintendent \u2013 Force Lead, Corporate Support") == (
        "Corporate Support", "Superintendent \u2013 Force Lead")
    assert split_owner("Divisional SMTs\nLocal Policing Support") == ("Divisional SMTs; Local Policing Support", "")
    assert split_owner("Divisional SMTs Local Policing Support") == ("Divisional SMTs Local Policing Support", "")
    assert split_owner("Learning and Development \u2013 Head of Learning and Development") == (
        "Learning and Development", "Head of Learning and Development")
    assert split_owner("N/A") == ("N/A", "")


def test_a_target_is_not_a_status_and_not_known_is_read_as_not_known():
    assert find_status("To be completed by March 2014") is None
    assert find_status("Not known\n(Amber: status not known: set it)") == "unknown"
    assert find_status("Completed -") == "completed"
    from citizenfocus.plans.importing.text import colour_word, is_not_applicable

    assert [colour_word(w) for w in ("Green", "G", "amber", "R", "Purple")] == ["green", "green", "amber", "red",
                                                                                None]
    assert is_not_applicable("N/A") and is_not_applicable("n/a") and not is_not_applicable("Corporate Support")
