"""police.uk's stop-and-search layout: columns and values as published (no Django: the demo writes it)."""

from __future__ import annotations

COLUMNS = (
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude", "Gender",
    "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation", "Object of search",
    "Outcome", "Outcome linked to object of search", "Removal of more than just outer clothing",
)
TYPES = ("Person search", "Vehicle search", "Person and Vehicle search")
GENDERS = ("Male", "Female", "Other", "")
AGE_RANGES = ("under 10", "10-17", "18-24", "25-34", "over 34", "")
OFFICER_GROUPS = ("White", "Black", "Asian", "Mixed", "Other", "")
# Self-defined ethnicity as police.uk words it: "<group> - <category>"; the group decides the 5 groups.
SELF_PREFIXES = {
    "White": "White", "Mixed/Multiple ethnic groups": "Mixed", "Asian/Asian British": "Asian",
    "Black/African/Caribbean/Black British": "Black", "Other ethnic group": "Other",
}
NOT_STATED = "Other ethnic group - Not stated"


def self_group(value: str) -> str | None:
    """'Asian/Asian British - Pakistani' → 'Asian'; not stated or blank → ''; unknown → None."""
    if value in ("", NOT_STATED):
        return ""
    return SELF_PREFIXES.get(value.split(" - ", 1)[0])
