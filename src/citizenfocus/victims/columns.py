"""The columns of a crime system export: crimes (one row per crime and victim) and events (one row each).

Each column has its aliases (matched like survey headers: case, spaces and punctuation
ignored) and a reader that turns a cell into the stored value or raises Bad saying what
was expected. A file is an events file when it has an "event" column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from citizenfocus.surveys.definition import get_definition
from citizenfocus.surveys.importing.columns import header_key
from citizenfocus.surveys.importing.values import (
    Bad,
    as_text,
    crime_type_reader,
    date_reader,
    ethnicity_reader,
    is_blank,
    read_consent,
)

from .models import VictimEvent, VictimRecord

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
LANGUAGE_NAMES = {"english": "en", "polish": "pl", "urdu": "ur", "punjabi": "pa", "bengali": "bn",
                  "romanian": "ro", "arabic": "ar", "somali": "so", "lithuanian": "lt", "gujarati": "gu"}


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...]
    read: Callable[[object], object]
    required: bool = False


def _text(limit: int, what: str, required: bool = False):
    def read(raw: object) -> str:
        if is_blank(raw):
            if required:
                raise Bad(f"is blank: every row needs a {what}")
            return ""
        text = as_text(raw)
        if len(text) > limit:
            raise Bad(f"is longer than {limit} characters: a {what} must fit")
        return text

    return read


def _flag(raw: object) -> bool:
    return bool(read_consent(raw))


def _language(raw: object) -> str:
    if is_blank(raw):
        return "en"
    text = as_text(raw).lower()
    text = LANGUAGE_NAMES.get(text, text)
    if not LANGUAGE.match(text):
        raise Bad("is not a language: use an ISO 639-1 code (en, pl, ur ...) or an English name (Polish)")
    return text


def _choices(choices, *, what: str, many: bool = False, optional: bool = False):
    lookup = {}
    for value, label in choices:
        lookup[header_key(value)] = value
        lookup[header_key(label)] = value
    accepted = ", ".join(v for v, _ in choices)

    def one(text: str) -> str:
        found = lookup.get(header_key(text))
        if found is None:
            raise Bad(f"is not a known {what}: use one of {accepted}")
        return found

    def read(raw: object) -> str:
        if is_blank(raw):
            if many or optional:
                return ""
            raise Bad(f"is blank: give the {what} ({accepted})")
        if many:
            parts = [p for p in re.split(r"[;,/]", as_text(raw)) if p.strip() and header_key(p) not in ("no", "none")]
            return ";".join(one(p) for p in parts)
        return one(as_text(raw))

    return read


def crime_columns(today: date) -> tuple[Column, ...]:
    uss = get_definition("uss")
    return (
        Column("crime_reference", ("crime ref", "crime number", "crime no", "urn", "reference"),
               _text(40, "crime reference", True), True),
        Column("crime_type", ("offence type", "crime category", "offence"), crime_type_reader(uss), True),
        Column("reported_on", ("reported date", "date reported", "recorded date", "reported"),
               date_reader(today=today, what="reported date", required=True), True),
        Column("division", ("bcu", "district", "lpu"), _text(120, "division", True), True),
        Column("neighbourhood", ("npt", "neighbourhood team", "beat"), _text(120, "neighbourhood")),
        Column("officer", ("oic", "officer in case", "officer in charge", "collar number"), _text(60, "officer")),
        Column("team", ("oic team", "unit", "team name"), _text(120, "team")),
        Column("victim_id", ("victim", "victim ref", "person id", "victim reference"),
               _text(40, "victim id", True), True),
        Column("ethnicity", ("self defined ethnicity", "ethnic code", "sde"), ethnicity_reader(uss.ethnicity_labels)),
        Column("age_band", ("age", "age group"), _text(12, "age band")),
        Column("enhanced", ("enhanced entitlement", "enhanced reason", "vulnerable or intimidated"),
               _choices(VictimRecord.Enhanced.choices, what="enhanced entitlement", many=True)),
        Column("language", ("preferred language", "language spoken"), _language),
        Column("communication_needs", ("communication", "needs"), _text(200, "communication need")),
        Column("opted_out", ("opted out of updates", "no updates", "opt out"), _flag),
        Column("business_victim", ("business", "organisation victim"), _flag),
        Column("closed_on", ("closed date", "date closed", "finalised"),
               date_reader(today=today, what="closed date")),
    )


EVENT_WORDS = [(v, label) for v, label in VictimEvent.Kind.choices
               if v not in ("letter_sent", "letter_not_sent")]


def event_columns(today: date) -> tuple[Column, ...]:
    return (
        Column("crime_reference", ("crime ref", "crime number", "crime no", "urn", "reference"),
               _text(40, "crime reference", True), True),
        Column("event", ("event type", "activity", "contact type"), _choices(EVENT_WORDS, what="event"), True),
        Column("on", ("date", "event date", "contact date"), date_reader(today=today, what="event date", required=True),
               True),
        Column("key_event", ("key event type", "key event kind"),
               _choices(VictimEvent.KeyEventKind.choices, what="key event", optional=True)),
        Column("told_on", ("victim told", "date victim told", "told date"), date_reader(today=today, what="told date")),
        Column("method", ("contact method", "how"), _text(40, "method")),
        Column("detail", ("notes", "description"), _text(300, "detail")),
    )


def lookup_for(columns: tuple[Column, ...]) -> dict[str, str]:
    lookup = {}
    for column in columns:
        for alias in column.aliases:
            lookup[header_key(alias)] = column.name
    for column in columns:
        lookup[header_key(column.name)] = column.name
    return lookup
