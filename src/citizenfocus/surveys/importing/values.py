"""Reading one cell: answers, dates, demographics and the other columns of a response.

Each reader turns a raw cell (text from a CSV, a number or date from Excel or Parquet)
into the value stored, or raises Bad with what was expected, worded for the person who
will fix the sheet. Readers are pure and cheap to cache: a column has few distinct values.
"""

from __future__ import annotations

import calendar
import difflib
import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from ..definition import Scale, SurveyDefinition
from .columns import header_key

EXCEL_EPOCH = date(1899, 12, 30)
NOT_STATED_WORDS = ("not stated", "prefer not to say", "refused", "unknown", "not known", "declined",
                    "n k", "ns")
TRUE_WORDS = ("yes", "y", "true", "t", "1")
FALSE_WORDS = ("no", "n", "false", "f", "0")
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_name) if name
}


def _plain_edges(text: str) -> bool:
    return text[:1].isalnum() and (text[-1:].isalnum() or text[-1:] == "+")


def value_key(raw: object) -> str:
    """The key a cell's text is looked up by: matched like a header ("white irish", "16 to 24"), except
    that a cell beginning or ending with a sign or bracket ("-1", "(7)", "-5") must match as written:
    "-1" is a missing-value code in many exports, not "1"."""
    text = as_text(raw)
    return header_key(text) if _plain_edges(text) else " ".join(text.lower().split())


def _as_written(names) -> dict[str, str]:
    """Lookup entries for accepted names that themselves begin or end with punctuation."""
    return {" ".join(name.lower().split()): value for name, value in names if not _plain_edges(name.strip())}


class Bad(Exception):
    """A cell that cannot be read; the message completes the sentence '"value" ...'."""


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, float) and math.isnan(raw)


def as_text(raw: object) -> str:
    """Text as typed: Excel's 1234.0 is the id 1234."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def closest(value: object, names: list[str], n: int = 3) -> str:
    """'; closest: A, B' for a mistyped name, or '' when nothing is near.

    Only names nearly as close as the closest are offered: "Nothern" suggests Northern,
    not Southern too."""
    keyed = {header_key(name): name for name in names}
    matcher = difflib.SequenceMatcher(b=header_key(value))
    scored = []
    for key, name in keyed.items():
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6 and (r := matcher.ratio()) >= 0.6:
            scored.append((r, name))
    scored.sort(key=lambda pair: -pair[0])
    found = [name for r, name in scored[:n] if r >= scored[0][0] - 0.1]
    return f"; closest: {', '.join(found)}" if found else ""


# Dates --------------------------------------------------------------------------------

ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$")
DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
D_MON_Y = re.compile(r"^(\d{1,2})[ \-/]([A-Za-z]{3,9})[ \-/,]+(\d{4}|\d{2})$")
COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
DATE_FORMATS = "a date such as 2013-05-31, 31/05/2013 or 31/5/13"


def _make_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise Bad(f"is not a date: there is no month {month} (dates are read day first: {DATE_FORMATS})")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise Bad(f"is not a date that exists: {calendar.month_name[month]} {year} has {last} days")
    return date(year, month, day)


def _from_serial(number: float) -> date:
    if not 1 <= number < 2958466:
        raise Bad(f"is not a date: use {DATE_FORMATS}")
    return EXCEL_EPOCH + timedelta(days=int(number))


def _year(text: str, today: date) -> int:
    """A two-digit year is in this century unless that would be in the future."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def parse_date(raw: object, today: date) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _from_serial(raw)
    text = str(raw).strip()
    if m := ISO.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := DMY.match(text):
        return _make_date(_year(m[3], today), int(m[2]), int(m[1]))
    if (m := D_MON_Y.match(text)) and m[2].lower() in MONTHS:
        return _make_date(_year(m[3], today), MONTHS[m[2].lower()], int(m[1]))
    if m := COMPACT.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if SERIAL.match(text):
        return _from_serial(float(text))
    raise Bad(f"is not a date: use {DATE_FORMATS}")


def date_reader(*, today: date, what: str, required: bool = False) -> Callable[[object], date | None]:
    """Dates as ISO, day/month/year, '31 May 2013', Excel dates and Excel day numbers;
    never after today."""

    def read(raw: object) -> date | None:
        if is_blank(raw):
            if required:
                raise Bad(f"the {what} is blank: every response needs one")
            return None
        value = parse_date(raw, today)
        if value > today:
            raise Bad(f"is in the future: the {what} cannot be after today ({today:%d/%m/%Y})")
        return value

    return read


# Answers and choices -----------------------------------------------------------------


def answer_reader(scale: Scale) -> Callable[[object], int | None]:
    """An answer as a code or a label; stored as its code on the scale (None: blank, not answered)."""
    accepted = scale.describe()

    def read(raw: object) -> int | None:
        if is_blank(raw):
            return None
        code = scale.code_for(as_text(raw))
        if code is None:
            near = closest(raw, list(scale.labels.values()), n=2)
            raise Bad(f"is not an answer on the {scale.name} scale{near}; accepted codes or labels: {accepted}")
        return code

    return read


def choice_reader(values: tuple[str, ...], *, what: str, extra: dict[str, str] | None = None):
    """One of a definition's list (age bands, sexes, disability), matched case-insensitively,
    by a unique initial, or as a 'not stated' word; blank is 'Not stated' when the list has it."""
    not_stated = next((v for v in values if header_key(v) == "not stated"), None)
    lookup = {header_key(v): v for v in values}
    # "M" for Male, but only a cell that is exactly one letter: "-5" is not "55-64" by its first digit.
    initials: dict[str, list[str]] = {}
    for v in values:
        initials.setdefault(header_key(v)[:1], []).append(v)
    by_initial = {k: vs[0] for k, vs in initials.items() if len(vs) == 1 and k.isalpha() and k not in lookup}
    if not_stated:
        lookup |= {w: not_stated for w in NOT_STATED_WORDS if w not in lookup}
    lookup |= {header_key(k): v for k, v in (extra or {}).items()}
    lookup |= _as_written([(v, v) for v in values] + list((extra or {}).items()))

    def read(raw: object) -> str:
        if is_blank(raw):
            if not_stated is None:
                raise Bad(f"is blank: give the {what} ({', '.join(values)})")
            return not_stated
        text = as_text(raw)
        found = lookup.get(value_key(text))
        if found is None and len(text) == 1:
            found = by_initial.get(text.lower())
        if found is None:
            raise Bad(f"is not a known {what}{closest(raw, list(values))}; accepted: {', '.join(values)}")
        return found

    return read


def _band_limits(band: str) -> tuple[int, float] | None:
    if m := re.fullmatch(r"\s*(\d+)\s*(?:-|to)\s*(\d+)\s*", band):
        return int(m[1]), int(m[2])
    if m := re.fullmatch(r"\s*(\d+)\s*\+\s*", band):
        return int(m[1]), math.inf
    return None


OLDEST = 120


def age_reader(bands: tuple[str, ...]):
    """An age band by name ('16-24', '16 to 24'), or an age in years placed in its band."""
    limits = {band: lim for band in bands if (lim := _band_limits(band))}
    extra = {f"{lo} to {hi}": band for band, (lo, hi) in limits.items() if hi != math.inf}
    extra |= {f"{lo} and over": band for band, (lo, hi) in limits.items() if hi == math.inf}
    by_name = choice_reader(bands, what="age band", extra=extra)
    youngest = min((lo for lo, _ in limits.values()), default=0)

    def read(raw: object) -> str:
        text = "" if is_blank(raw) else as_text(raw)
        if not re.fullmatch(r"\d{1,3}(?:\.\d+)?", text):
            return by_name(raw)
        age = float(text)
        if age > OLDEST:
            raise Bad(f"is not an age in years (at most {OLDEST}: 999 and the like are missing-value codes; "
                      "leave the cell blank for not stated)")
        for band, (lo, hi) in limits.items():
            if lo <= age < hi + 1:
                return band
        if age < youngest:
            raise Bad(f"is younger than the youngest age band ({youngest} and over)")
        raise Bad(f"is not an age in years or an age band; accepted: {', '.join(bands)}")

    return read


def disability_reader(values: tuple[str, ...]):
    yes = next((v for v in values if header_key(v) == "yes"), None)
    no = next((v for v in values if header_key(v) == "no"), None)
    extra = {w: yes for w in TRUE_WORDS if yes} | {w: no for w in FALSE_WORDS if no}
    return choice_reader(values, what="disability answer", extra=extra)


def ethnicity_reader(labels: dict[str, str]):
    """A 2011 Census code (W1...) or its label, the label without its group when unique
    ('Indian'), or the group and label run together ('White Irish'); blank is NS."""
    lookup: dict[str, str] = {}
    after: dict[str, list[str]] = {}
    for code, label in labels.items():
        lookup[header_key(code)] = code
        lookup[header_key(label)] = code
        if ":" in label:
            group, name = label.split(":", 1)
            lookup.setdefault(header_key(f"{group} {name}"), code)
            after.setdefault(header_key(name), []).append(code)
    lookup |= {k: codes[0] for k, codes in after.items() if len(codes) == 1 and k not in lookup}
    if "NS" in labels:
        lookup |= {w: "NS" for w in NOT_STATED_WORDS if w not in lookup}
    if "W1" in labels:
        lookup.setdefault("white british", "W1")
    lookup |= _as_written([(c, c) for c in labels] + [(label, c) for c, label in labels.items()])
    codes = ", ".join(labels)

    def read(raw: object) -> str:
        if is_blank(raw):
            if "NS" in labels:
                return "NS"
            raise Bad("is blank: give the self-defined ethnicity")
        found = lookup.get(value_key(raw))
        if found is None:
            near = closest(raw, list(labels.values()), n=2)
            raise Bad(f"is not a known ethnicity{near}; use a 2011 Census code ({codes}) or its label")
        return found

    return read


def crime_type_reader(definition: SurveyDefinition):
    lookup = {}
    for choice in definition.crime_types:
        for name in (choice.key, choice.label, *choice.aliases):
            lookup.setdefault(header_key(name), choice.key)
    lookup |= _as_written([(n, c.key) for c in definition.crime_types for n in (c.key, c.label, *c.aliases)])
    labels = [c.label for c in definition.crime_types]

    def read(raw: object) -> str:
        if is_blank(raw):
            raise Bad(f"is blank: every {definition.short_name} response needs a crime type ({', '.join(labels)})")
        found = lookup.get(value_key(raw))
        if found is None:
            raise Bad(f"is not a known crime type{closest(raw, labels)}; accepted: {', '.join(labels)}")
        return found

    return read


# Other columns -----------------------------------------------------------------------


# A survey weight grosses a response up to the people it stands for: far beyond these it is an id
# or a count in the wrong column, and it would swamp every other response (or vanish) in the sums.
MIN_WEIGHT, MAX_WEIGHT = 1e-6, 1e6
WEIGHT_RANGE = "a number from 0.000001 to 1,000,000 (blank means 1)"


def read_weight(raw: object) -> float:
    # Only a truly empty cell means 1: a NaN (a Parquet float that is "not a number") is not a weight.
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 1.0
    if isinstance(raw, bool):
        raise Bad(f"is not a number: the weight must be {WEIGHT_RANGE}")
    text = as_text(raw)
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as a European-locale export writes it
    try:
        weight = float(text)
    except (ValueError, OverflowError):
        raise Bad(f"is not a number: the weight must be {WEIGHT_RANGE}") from None
    if not math.isfinite(weight):
        raise Bad(f"is not a usable weight (not a finite number): it must be {WEIGHT_RANGE}")
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        raise Bad(f"is not a usable weight: it must be {WEIGHT_RANGE}")
    return weight


def read_consent(raw: object) -> bool | None:
    if is_blank(raw):
        return None
    key = value_key(raw)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise Bad("is not a yes or no answer: use yes/no, y/n, true/false, 1/0, or leave it blank")
