"""The compliance measures a PCC receives each quarter, for one case: pure, no Django.

Each measure is 1 (met), 0 (missed) or None (not yet due, or not applicable), so a
group's compliance is a rate with a base, like a survey measure, and takes the same
intervals and gap words (citizenfocus.stats).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .rules import CaseFacts, Rules, key_event_due, last_contact


@dataclass(frozen=True)
class ComplianceMeasure:
    key: str
    label: str
    explanation: str


MEASURES: tuple[ComplianceMeasure, ...] = (
    ComplianceMeasure("acknowledgement", "Acknowledged on time",
                      "The report acknowledged within the acknowledgement working days of being reported."),
    ComplianceMeasure("needs_assessment", "Needs assessed on time",
                      "The victim's needs assessed within the same working days."),
    ComplianceMeasure("referral", "Referral to support on time",
                      "Referral to victim support offered (consented or declined) within the same working days."),
    ComplianceMeasure("updates_on_time", "Updates on time",
                      "No gap between contacts longer than the update cycle, and every key event told within its "
                      "notice; victims who opted out of updates are left out."),
    ComplianceMeasure("vps_offered", "Victim personal statement offered",
                      "Closed cases whose victim was offered a victim personal statement before closure."),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)
MEASURE_LABELS = {m.key: m.label for m in MEASURES}


def _by_deadline(done: date | None, deadline: date, as_at: date) -> int | None:
    if done is not None and done <= min(deadline, as_at):
        return 1
    if as_at > deadline:
        return 0
    return None  # not yet due, and not yet done


def updates_on_time(facts: CaseFacts, rules: Rules, as_at: date) -> int | None:
    """1 when every contact came within the cycle and every key event was told in time, up to the
    case's closure or `as_at`; None when the victim opted out."""
    if facts.opted_out:
        return None
    end = min(facts.closed_on or as_at, as_at)
    contacts = sorted({facts.reported_on, *(c for c in facts.contacts if c <= end),
                       *(k.told_on for k in facts.key_events if k.told_on and k.told_on <= end)})
    for earlier, later in zip(contacts, contacts[1:], strict=False):
        if (later - earlier).days > rules.cycle_days:
            return 0
    if (end - contacts[-1]).days > rules.cycle_days:
        return 0
    for event in facts.key_events:
        if event.on > end:
            continue
        deadline = key_event_due(event, facts, rules).on
        if _by_deadline(event.told_on, deadline, end) == 0:
            return 0
    return 1


def case_compliance(facts: CaseFacts, rules: Rules, as_at: date) -> dict[str, int | None]:
    """Each measure for one case as at a day: 1 met, 0 missed, None not due or not applicable."""
    deadline = rules.calendar.add_working_days(facts.reported_on, rules.acknowledgement_working_days)
    vps = None
    if facts.closed_on is not None and facts.closed_on <= as_at:
        vps = int(facts.vps_offered_on is not None and facts.vps_offered_on <= facts.closed_on)
    return {
        "acknowledgement": _by_deadline(facts.acknowledged_on, deadline, as_at),
        "needs_assessment": _by_deadline(facts.needs_assessed_on, deadline, as_at),
        "referral": _by_deadline(facts.referral_on, deadline, as_at),
        "updates_on_time": updates_on_time(facts, rules, as_at),
        "vps_offered": vps,
    }


__all__ = ["MEASURES", "MEASURE_KEYS", "MEASURE_LABELS", "case_compliance", "last_contact", "updates_on_time"]
