"""What in a survey's data is personal, and a refused file's problems with only the values they need.

A refused import keeps its problems (file, row, column, value, what was expected) as the
audit of the attempt. The row, the column and the reason are what a person needs to fix
the file (they have the file); the value helps only for the coded columns, where it shows
the spelling that was not understood ("Hightwon"). Values of the columns that identify or
describe a victim (their id, free text, ethnicity, age, sex, disability, incident date,
consent) and of columns we could not recognise are masked. The import pipeline stores the
problems as it found them; they are masked here, on every display and by `citizenfocus
purge`, which also removes every value once the refusal is older than the survey's
`refused_values_days`.
"""

from __future__ import annotations

from .definition import SurveyDefinition
from .importing.columns import header_key, header_lookup

# Coded columns whose bad values are not about a person: kept, so the problem can be read.
VALUES_KEPT = ("interview_date", "crime_type", "division", "neighbourhood", "ward", "weight")


def masked(value: str) -> str:
    """A personal value, as a problem shows it once masked."""
    return f"(personal value not kept: {len(value)} characters)" if value else ""


def is_masked(value: str) -> bool:
    return value.startswith("(personal value not kept")


def kept_columns(definition: SurveyDefinition) -> frozenset[str]:
    """The file headers (as matched: case and punctuation aside) whose values may be kept."""
    ours = set(VALUES_KEPT) | set(definition.measure_keys)
    return frozenset(key for key, column in header_lookup(definition).items() if column in ours)


def minimised_problems(problems: list[dict], definition: SurveyDefinition) -> list[dict]:
    """The problems with each personal value masked; row, column and reason unchanged."""
    kept = kept_columns(definition)
    out = []
    for problem in problems:
        value = str(problem.get("value") or "")
        if value and not is_masked(value) and header_key(problem.get("column", "")) not in kept:
            problem = {**problem, "value": masked(value)}
        out.append(problem)
    return out


def without_values(problems: list[dict]) -> list[dict]:
    """The problems with every value removed: what a refusal keeps once its values expire."""
    return [{**problem, "value": ""} for problem in problems]
