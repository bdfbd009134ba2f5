"""Reading cell text the way forces write it: markup, dates, statuses, refs, owners.

Pure functions on strings: no Django, no files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from dataclasses import dataclass

# -- markup ---------------------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_BREAK = re.compile(r"<br\s*/?>|</p>|</li>", re.IGNORECASE)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u202f]+")
_BULLET = re.compile(r"^\s*[\u2022\u25aa\u25cf\u25e6\u2023\u2043\uf0b7\uf0a7o\-\*]\s+")
_MARKDOWN = re.compile(r"(\*\*|__)(.+?)\1")


def clean_text(value: object) -> str:
    """Cell text without markup: HTML tags and entities, invisible characters, bullets, extra space.

    Paragraphs stay as lines; blank lines are dropped.
    """
    if value is None:
        return ""
    text = str(value)
    if "<" in text:
        text = _TAG.sub("", _BREAK.sub("\n", text))
    text = html.unescape(text).translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    text = _MARKDOWN.sub(r"\2", text)
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", _BULLET.sub("", line)).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def normalise(text: str) -> str:
    """Lower case, dashes and punctuation to spaces: for matching words."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[\u2010-\u2015\-_/.,;:()\[\]'\"!?*]+", " ", text)
    return " ".join(text.split())


# -- dates ----------------------------------------------------------------------------------

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2}|'?\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

_DATE_PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b")),
    ("numeric", re.compile(r"\b(?P<day>[0-3]?\d)[/.\-](?P<month>[01]?\d)[/.\-](?P<year>(?:19|20)?\d{2})\b")),
    ("day_month", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s*{_YEAR}\b", re.IGNORECASE)),
    ("month_day", re.compile(rf"\b{_MONTH}\s+{_DAY},\s*{_YEAR}\b", re.IGNORECASE)),
    ("month", re.compile(rf"\b{_MONTH}(?:\s*[-/']?\s*|\s+of\s+){_YEAR}\b", re.IGNORECASE)),
]


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    text: str
    start: int
    end: int
    month_only: bool

    @property
    def precision(self) -> str:
        return "month" if self.month_only else "day"


def _year(text: str) -> int:
    text = text.lstrip("'")
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def find_dates(text: str) -> list[FoundDate]:
    """Every date in the text, in order. A month and year alone is read as that month's last day."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            parts = match.groupdict()
            try:
                year = _year(parts["year"])
                month_text = parts["month"]
                month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower().rstrip(".")]
                if kind == "month":
                    day = calendar.monthrange(year, month)[1]
                else:
                    day = int(parts["day"])
                value = dt.date(year, month, day)
            except (ValueError, KeyError):
                continue
            taken.append((match.start(), match.end()))
            found.append(FoundDate(value, match.group(0), match.start(), match.end(), kind == "month"))
    return sorted(found, key=lambda f: f.start)


def first_date(text: str) -> FoundDate | None:
    dates = find_dates(text)
    return dates[0] if dates else None


_YEAR_ONLY = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b")


def year_at(text: str) -> int | None:
    """A year at the very start of the text ("2014 update:"): only ever read next to an update word."""
    match = _YEAR_ONLY.match(text)
    return int(match.group("year")) if match else None


def format_date(value: dt.date | None, precision: str = "day") -> str:
    """How dates are written back: "31 Dec 2011" (no day-month ambiguity), "Dec 2011" or "2011" when the plan
    gave no more than that."""
    if not value:
        return ""
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%b %Y}"
    return f"{value.day} {value:%b %Y}"


NO_DATE_WORDS = {"", "n a", "na", "tbc", "tba", "tbd", "none", "ongoing", "on going", "various", "continuous",
                 "not applicable", "to be confirmed", "see above", "see below"}

# -- statuses -------------------------------------------------------------------------------

_STATUS_RULES = [
    (None, re.compile(r"\b((to|will|due to|expected to|should) be (completed?|implemented|done|closed)|"
                      r"not applicable|n a)\b")),
    ("unknown", re.compile(r"\b(not known|unknown)\b")),  # "Not known": what citizenfocus writes for an unread status
    ("not_started", re.compile(r"\b(not (yet )?started|yet to (start|begin)|to be started|not (yet )?begun|"
                               r"not commenced|pending)\b")),
    ("blocked", re.compile(r"\b(blocked|on hold|stalled|suspended)\b")),
    ("work_underway", re.compile(r"\b(partially (complete|completed)|partly (complete|completed)|not (yet )?complete|"
                                 r"not (yet )?completed|incomplete)\b")),
    ("completed", re.compile(r"\b(completed?|done|achieved|closed|finished|implemented|discharged)\b")),
    ("work_underway", re.compile(r"\b(work underway|underway|under way|on going|ongoing|in progress|progressing|"
                                 r"started|commenced|in hand|continuing|continues|being progressed)\b")),
]
STATUS_LABELS = {"not_started": "Not Started", "work_underway": "Work Underway", "completed": "Completed",
                 "blocked": "Blocked", "unknown": "Not known"}


def find_status(text: str) -> str | None:
    """The status a phrase names: "Completed - Dec 2011", "Update Mar14 On-going", "Not Started".

    "To be completed by March 2014" names none: it is a target.
    """
    words = normalise(text)
    for status, pattern in _STATUS_RULES:
        if pattern.search(words):
            return status
    return None


_COLOUR_WORDS = {"green": "green", "g": "green", "amber": "amber", "a": "amber", "yellow": "amber", "red": "red",
                 "r": "red", "blue": "blue", "b": "blue"}


def colour_word(text: str) -> str | None:
    """"Green", "G", "Amber", "R": a RAG written as a word, read like a shading through the legend."""
    return _COLOUR_WORDS.get(normalise(text))


NOT_APPLICABLE = {"n a", "na", "not applicable", "none", "no action", "no action required", "no further action"}


def is_not_applicable(text: str) -> bool:
    """"N/A" in the department cell: the row is answered without an action."""
    return normalise(text) in NOT_APPLICABLE


def is_status_phrase(text: str) -> bool:
    """True when the whole text is a status and nothing else (a legend entry)."""
    words = normalise(text)
    if not words or len(words.split()) > 3:
        return False
    status = find_status(words)
    return status is not None and words in {normalise(STATUS_LABELS[status]), "complete", "completed", "ongoing",
                                            "on going", "in progress", "not started", "blocked", "on hold",
                                            "work underway", "underway", "not yet started"}


# -- refs -----------------------------------------------------------------------------------

# An HMICFRS area for improvement keeps its letters ("AFI 2"); "Recommendation 3" is ref 3.
_REF = r"(?:(?:AFI|AOI) ?)?[A-Za-z]{0,3}\d+"
_AFI = r"(?:area for improvement|AFI)\s*(?P<afi>\d+)"
# A ref ends at a space, the end, or (after markup was stripped from "<b>1.1.A.</b>All") a full stop.
_END = r"(?:[.):]?\s+|[.):]?$|\.(?=[A-Z][a-z]))"
REC_REF = re.compile(rf"^(?:{_AFI}|(?:(?:recommendation|objective|rec)\s*(?:no\.?\s*)?)?(?P<ref>{_REF}))"
                     rf"(?:[.):]\s+|\s+|[.):]?$)(?!\d)", re.IGNORECASE)
REC_REF_IN_TEXT = re.compile(rf"^(?:{_AFI}[.):]?\s+|(?:recommendation|objective)\s*(?:no\.?\s*)?"
                             r"(?P<ref>[A-Za-z]{0,2}\d{1,3})[.):]?\s+|"
                             r"(?P<ref2>[A-Za-z]{0,2}\d{1,3})[.):]\s+)(?!\d)", re.IGNORECASE)
RESPONSE_REF = re.compile(rf"^(?:response\s*)?(?P<ref>{_REF}\.\d+)(?![.\d]*\d){_END}", re.IGNORECASE)
ACTION_REF = re.compile(rf"^(?:action\s*)?(?P<ref>{_REF}\.\d+\.[A-Za-z0-9]{{1,3}}){_END}", re.IGNORECASE)


def split_ref(pattern: re.Pattern, text: str) -> tuple[str, str]:
    """(ref, the rest) when the text starts with a ref of that kind, else ("", text)."""
    match = pattern.match(text)
    if not match:
        return "", text
    groups = match.groupdict()
    if groups.get("afi"):
        ref = f"AFI {groups['afi']}"
    else:
        ref = " ".join((groups.get("ref") or groups.get("ref2") or "").split())
    ref = re.sub(r"^(AFI|AOI) ?(?=\d)", r"\1 ", ref.upper())
    return ref, text[match.end():].lstrip(" .:-\u2013\u2014")


def ref_depth(ref: str) -> int:
    return len([part for part in ref.split(".") if part]) if ref else 0
