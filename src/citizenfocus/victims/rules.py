"""The Victims' Code rules as data, and what they make due: pure functions, no Django.

A case's facts (when it was reported, when the victim was last contacted, which key
events have not yet been told) and the rules (rules.toml, or a force's own copy) give
each thing still due with its date and its reason, the next one, and its RAG band.
Working days skip weekends and the bank holidays of the `holidays` library.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

import holidays

DEFAULT_RULES_FILE = Path(__file__).with_name("rules.toml")
RULES_ENV = "CITIZENFOCUS_VICTIMS_RULES"

BREACHED, RED, AMBER, GREEN = "breached", "red", "amber", "green"
BAND_WORDS = {
    BREACHED: "Breached",
    RED: "Red",
    AMBER: "Amber",
    GREEN: "Green",
}
# Most urgent first: the queue sorts on this, then on days left.
BAND_ORDER = {BREACHED: 0, RED: 1, AMBER: 2, GREEN: 3}


class RulesError(ValueError):
    """A rules file that cannot be used: names the file, the value and what was expected."""


@dataclass(frozen=True)
class Rules:
    cycle_days: int = 28
    notice_working_days: int = 5
    enhanced_notice_working_days: int = 1
    acknowledgement_working_days: int = 5
    country: str = "GB"
    subdivision: str = "ENG"
    red_max: int = 5
    amber_max: int = 9
    closed_case_months: int = 24
    access_log_months: int = 24

    def band(self, days_left: int) -> str:
        """breached below 0; red 0..red_max; amber red_max+1..amber_max; green above amber_max."""
        if days_left < 0:
            return BREACHED
        if days_left <= self.red_max:
            return RED
        if days_left <= self.amber_max:
            return AMBER
        return GREEN

    def notice_days(self, enhanced: bool) -> int:
        return self.enhanced_notice_working_days if enhanced else self.notice_working_days

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.country, self.subdivision)


def _positive(data: dict, section: str, key: str, default: int, source: str) -> int:
    value = data.get(section, {}).get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RulesError(f"{source}: [{section}] {key} = {value!r} is not a whole number of days (0 or more)")
    return value


def rules_from(data: dict, *, source: str = "rules") -> Rules:
    """Rules from a parsed TOML document; every missing value takes the default."""
    d = Rules()
    rules = Rules(
        cycle_days=_positive(data, "updates", "cycle_days", d.cycle_days, source),
        notice_working_days=_positive(data, "key_events", "notice_working_days", d.notice_working_days, source),
        enhanced_notice_working_days=_positive(data, "key_events", "enhanced_notice_working_days",
                                               d.enhanced_notice_working_days, source),
        acknowledgement_working_days=_positive(data, "acknowledgement", "working_days",
                                               d.acknowledgement_working_days, source),
        country=str(data.get("calendar", {}).get("country", d.country)),
        subdivision=str(data.get("calendar", {}).get("subdivision", d.subdivision)),
        red_max=_positive(data, "rag", "red_max", d.red_max, source),
        amber_max=_positive(data, "rag", "amber_max", d.amber_max, source),
        closed_case_months=_positive(data, "retention", "closed_case_months", d.closed_case_months, source),
        access_log_months=_positive(data, "retention", "access_log_months", d.access_log_months, source),
    )
    if rules.amber_max < rules.red_max:
        raise RulesError(f"{source}: [rag] amber_max ({rules.amber_max}) must not be below red_max ({rules.red_max})")
    try:
        holidays.country_holidays(rules.country, subdiv=rules.subdivision or None)
    except NotImplementedError as exc:
        raise RulesError(f"{source}: [calendar] {rules.country}/{rules.subdivision} is not known to the "
                         f"holidays library ({exc})") from exc
    return rules


def load_rules(path: str | Path | None = None) -> Rules:
    """The force's rules file (CITIZENFOCUS_VICTIMS_RULES), else the shipped defaults."""
    path = Path(path or os.environ.get(RULES_ENV) or DEFAULT_RULES_FILE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RulesError(f"{path}: the Victims' Code rules file does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML ({exc})") from exc
    return rules_from(data, source=str(path))


class WorkingCalendar:
    """Monday to Friday, less the bank holidays of one part of the UK (the holidays library)."""

    def __init__(self, country: str = "GB", subdivision: str = "ENG"):
        self._holidays = holidays.country_holidays(country, subdiv=subdivision or None)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The day `days` working days after `start` (start itself never counts).

        A key event on Friday with 1 working day's notice is due on Monday, or on
        Tuesday when Monday is a bank holiday; with 0 days it is due the same day."""
        day = start
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day


@dataclass(frozen=True)
class KeyEvent:
    kind: str
    on: date
    told_on: date | None = None


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about one crime and its victim."""

    reported_on: date
    enhanced: bool = False
    opted_out: bool = False
    closed_on: date | None = None
    contacts: tuple[date, ...] = ()
    key_events: tuple[KeyEvent, ...] = ()
    acknowledged_on: date | None = None
    needs_assessed_on: date | None = None
    referral_on: date | None = None
    vps_offered_on: date | None = None


@dataclass(frozen=True)
class Due:
    """One thing owed to the victim: by when, what, and why."""

    on: date
    what: str
    why: str
    kind: str = "update"

    def days_left(self, as_at: date) -> int:
        return (self.on - as_at).days


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def last_contact(facts: CaseFacts) -> date:
    """The latest of the report and every contact (update, key event told, letter sent)."""
    told = [k.told_on for k in facts.key_events if k.told_on]
    return max([facts.reported_on, *facts.contacts, *told])


def key_event_due(event: KeyEvent, facts: CaseFacts, rules: Rules) -> Due:
    days = rules.notice_days(facts.enhanced)
    who = "enhanced victim: " if facts.enhanced else ""
    return Due(rules.calendar.add_working_days(event.on, days), f"tell the victim of the {event.kind.replace('_', ' ')}",
               f"{event.kind.replace('_', ' ')} on {_day(event.on)}: {who}{days} working day{'s' * (days != 1)}",
               kind="key_event")


def dues(facts: CaseFacts, rules: Rules) -> list[Due]:
    """Everything still owed on an open case whose victim has not opted out, soonest first."""
    if facts.closed_on is not None or facts.opted_out:
        return []
    owed: list[Due] = []
    if facts.acknowledged_on is None:
        owed.append(Due(rules.calendar.add_working_days(facts.reported_on, rules.acknowledgement_working_days),
                        "acknowledge the report",
                        f"reported {_day(facts.reported_on)}: {rules.acknowledgement_working_days} working days",
                        kind="acknowledgement"))
    owed += [key_event_due(k, facts, rules) for k in facts.key_events if k.told_on is None]
    last = last_contact(facts)
    owed.append(Due(last + timedelta(days=rules.cycle_days), f"{rules.cycle_days}-day update",
                    f"last contact {_day(last)}", kind="update"))
    return sorted(owed, key=lambda d: (d.on, d.kind))


@dataclass(frozen=True)
class QueueEntry:
    """A case's place in the queue: its next due item, days left and band (None: nothing due)."""

    due: Due | None
    days_left: int | None
    band: str | None
    also_due: tuple[Due, ...] = field(default=())

    @property
    def band_words(self) -> str:
        if self.band is None:
            return "Nothing due"
        if self.band == BREACHED:
            late = -self.days_left
            return f"Breached: {late} day{'s' * (late != 1)} late"
        if self.days_left == 0:
            return f"{BAND_WORDS[self.band]}: due today"
        return f"{BAND_WORDS[self.band]}: {self.days_left} day{'s' * (self.days_left != 1)} left"

    @property
    def urgency(self) -> tuple:
        if self.band is None:
            return (9, 0)
        return (BAND_ORDER[self.band], self.days_left)


def queue_entry(facts: CaseFacts, rules: Rules, as_at: date) -> QueueEntry:
    owed = dues(facts, rules)
    if not owed:
        return QueueEntry(None, None, None)
    first = owed[0]
    left = first.days_left(as_at)
    return QueueEntry(first, left, rules.band(left), tuple(owed[1:]))
