"""Due dates against cases worked by hand from the gov.uk list of England and Wales bank holidays."""

from datetime import date, timedelta

import pytest

from citizenfocus.victims.measures import case_compliance, updates_on_time
from citizenfocus.victims.rules import (
    CaseFacts,
    KeyEvent,
    Rules,
    RulesError,
    dues,
    load_rules,
    queue_entry,
    rules_from,
)

RULES = Rules()


def _key_event_due(on: date, *, enhanced: bool) -> date:
    facts = CaseFacts(reported_on=on - timedelta(days=3), enhanced=enhanced, acknowledged_on=on,
                      key_events=(KeyEvent("arrest", on),))
    return next(d.on for d in dues(facts, RULES) if d.kind == "key_event")


@pytest.mark.parametrize(("event_on", "enhanced", "due"), [
    # Friday 22 March 2024; Good Friday 29 March and Easter Monday 1 April are bank holidays:
    # Mon 25, Tue 26, Wed 27, Thu 28 are days 1-4, day 5 is Tuesday 2 April.
    (date(2024, 3, 22), False, date(2024, 4, 2)),
    # An enhanced victim: the next working day after a Friday is the Monday.
    (date(2024, 3, 22), True, date(2024, 3, 25)),
    # Friday 3 May 2024, enhanced: Monday 6 May is the early May bank holiday, so Tuesday 7 May.
    (date(2024, 5, 3), True, date(2024, 5, 7)),
    # Maundy Thursday 28 March 2024, enhanced: Good Friday, the weekend and Easter Monday pass: Tuesday 2 April.
    (date(2024, 3, 28), True, date(2024, 4, 2)),
    # Friday 18 December 2026: Christmas Day is a Friday and Boxing Day (a Saturday) is observed on Monday 28:
    # Mon 21 .. Thu 24 are days 1-4, day 5 is Tuesday 29 December.
    (date(2026, 12, 18), False, date(2026, 12, 29)),
    # A Friday with no bank holiday in the following week: the next Friday.
    (date(2024, 6, 7), False, date(2024, 6, 14)),
    # A key event on a Saturday (4 May 2024), enhanced: Monday is a bank holiday, so Tuesday.
    (date(2024, 5, 4), True, date(2024, 5, 7)),
])
def test_key_event_notice_counts_working_days_after_the_event(event_on, enhanced, due):
    assert _key_event_due(event_on, enhanced=enhanced) == due


def test_the_acknowledgement_skips_christmas():
    # Reported Friday 20 December 2024: Mon 23, Tue 24, (25, 26 bank holidays), Fri 27, Mon 30, Tue 31.
    owed = dues(CaseFacts(reported_on=date(2024, 12, 20)), RULES)
    assert owed[0].kind == "acknowledgement" and owed[0].on == date(2024, 12, 31)


def test_the_update_cycle_is_28_calendar_days_from_the_last_contact():
    facts = CaseFacts(reported_on=date(2024, 1, 31), acknowledged_on=date(2024, 1, 31))
    assert [d.on for d in dues(facts, RULES)] == [date(2024, 2, 28)]
    # A contact on Monday 4 March 2024 moves it to 1 April: calendar days, even onto Easter Monday.
    later = CaseFacts(reported_on=date(2024, 1, 31), acknowledged_on=date(2024, 1, 31),
                      contacts=(date(2024, 2, 20), date(2024, 3, 4)))
    update = dues(later, RULES)[0]
    assert update.on == date(2024, 4, 1) and "last contact Mon 4 Mar 2024" in update.why


def test_telling_the_victim_of_a_key_event_is_a_contact():
    facts = CaseFacts(reported_on=date(2024, 1, 2), acknowledged_on=date(2024, 1, 2),
                      key_events=(KeyEvent("charge", date(2024, 1, 10), told_on=date(2024, 1, 11)),))
    assert [(d.kind, d.on) for d in dues(facts, RULES)] == [("update", date(2024, 2, 8))]


@pytest.mark.parametrize(("days_left", "band", "words"), [
    (-3, "breached", "Breached: 3 days late"),
    (-1, "breached", "Breached: 1 day late"),
    (0, "red", "Red: due today"),
    (5, "red", "Red: 5 days left"),
    (6, "amber", "Amber: 6 days left"),
    (9, "amber", "Amber: 9 days left"),
    (10, "green", "Green: 10 days left"),
    (27, "green", "Green: 27 days left"),
])
def test_rag_bands_have_exact_boundaries(days_left, band, words):
    facts = CaseFacts(reported_on=date(2024, 6, 3), acknowledged_on=date(2024, 6, 3))
    as_at = date(2024, 7, 1) - timedelta(days=days_left)  # the update is due on 1 July
    entry = queue_entry(facts, RULES, as_at)
    assert (entry.band, entry.band_words) == (band, words)


def test_an_enhanced_victims_untold_arrest_comes_before_the_update():
    facts = CaseFacts(reported_on=date(2024, 3, 1), enhanced=True, acknowledged_on=date(2024, 3, 1),
                      key_events=(KeyEvent("arrest", date(2024, 3, 22)),))
    entry = queue_entry(facts, RULES, date(2024, 3, 25))
    assert entry.due.kind == "key_event" and entry.band == "red" and entry.band_words == "Red: due today"
    assert "enhanced victim: 1 working day" in entry.due.why
    assert [d.kind for d in entry.also_due] == ["update"]


def test_nothing_is_due_on_a_closed_case_or_for_a_victim_who_opted_out():
    assert queue_entry(CaseFacts(reported_on=date(2024, 3, 1), closed_on=date(2024, 3, 5)), RULES,
                       date(2024, 6, 1)).band is None
    assert dues(CaseFacts(reported_on=date(2024, 3, 1), opted_out=True), RULES) == []


def test_updates_on_time_fails_on_a_29_day_gap_and_passes_on_28():
    reported = date(2024, 1, 1)
    ok = CaseFacts(reported_on=reported, contacts=(reported + timedelta(days=28),), closed_on=date(2024, 1, 29))
    late = CaseFacts(reported_on=reported, contacts=(reported + timedelta(days=29),), closed_on=date(2024, 1, 30))
    assert updates_on_time(ok, RULES, date(2024, 6, 1)) == 1
    assert updates_on_time(late, RULES, date(2024, 6, 1)) == 0
    # Still open and last contacted 29 days ago: already missed.
    assert updates_on_time(CaseFacts(reported_on=reported), RULES, reported + timedelta(days=29)) == 0
    assert updates_on_time(CaseFacts(reported_on=reported, opted_out=True), RULES, date(2024, 6, 1)) is None


def test_a_key_event_told_a_day_late_misses_updates_on_time():
    facts = CaseFacts(reported_on=date(2024, 3, 1), enhanced=True, contacts=(date(2024, 3, 20),),
                      key_events=(KeyEvent("arrest", date(2024, 3, 22), told_on=date(2024, 3, 26)),))
    assert updates_on_time(facts, RULES, date(2024, 3, 30)) == 0
    on_time = CaseFacts(reported_on=date(2024, 3, 1), enhanced=True, contacts=(date(2024, 3, 20),),
                        key_events=(KeyEvent("arrest", date(2024, 3, 22), told_on=date(2024, 3, 25)),))
    assert updates_on_time(on_time, RULES, date(2024, 3, 30)) == 1


def test_the_pcc_measures_for_one_case():
    facts = CaseFacts(reported_on=date(2024, 12, 20), acknowledged_on=date(2024, 12, 31),
                      needs_assessed_on=date(2025, 1, 2), closed_on=date(2025, 1, 10), contacts=(date(2025, 1, 2),),
                      vps_offered_on=None)
    assert case_compliance(facts, RULES, date(2025, 2, 1)) == {
        "acknowledgement": 1, "needs_assessment": 0, "referral": 0, "updates_on_time": 1, "vps_offered": 0}
    # Not yet due, not yet done: not counted either way.
    assert case_compliance(CaseFacts(reported_on=date(2024, 12, 20)), RULES, date(2024, 12, 23))["referral"] is None


def test_a_force_sets_its_own_rules_and_a_bad_value_is_named(tmp_path):
    assert load_rules() == Rules()
    own = rules_from({"updates": {"cycle_days": 14}, "rag": {"red_max": 3, "amber_max": 7}})
    assert own.cycle_days == 14 and own.band(4) == "amber" and own.band(8) == "green"
    with pytest.raises(RulesError, match=r"\[updates\] cycle_days = -1"):
        rules_from({"updates": {"cycle_days": -1}})
    with pytest.raises(RulesError, match="amber_max"):
        rules_from({"rag": {"red_max": 8, "amber_max": 7}})
    bad = tmp_path / "rules.toml"
    bad.write_text("[updates\n")
    with pytest.raises(RulesError, match="not valid TOML"):
        load_rules(bad)
