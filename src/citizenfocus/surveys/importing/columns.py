"""Which column of a file is which: header matching, aliases and a force's mapping file."""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..definition import SurveyDefinition
from .errors import FileRefused, ImportError_

# The canonical import format: the columns every survey may have, in order.
COMMON_COLUMNS = (
    "response_id", "interview_date", "incident_date", "crime_type", "division", "neighbourhood",
    "ward", "ethnicity", "age_band", "sex", "disability", "weight", "recontact_consent", "comment",
)
VICTIM_ONLY = ("incident_date", "crime_type")  # only for surveys with crime types

# Names a force's export is likely to use, besides our own (matched like headers).
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    "response_id": ("id", "respondent id", "respondent", "urn", "unique reference number",
                    "reference", "ref", "case id", "interview id", "serial", "serial number"),
    "interview_date": ("date of interview", "interview date", "date interviewed", "survey date", "date"),
    "incident_date": ("date of incident", "incident date", "offence date", "date of offence",
                      "crime date", "date of crime"),
    "crime_type": ("crime type", "crime", "crime group", "offence type", "offence group",
                   "incident type", "victim group", "survey strand"),
    "division": ("bcu", "district", "lpu", "basic command unit", "local policing unit",
                 "local policing area", "lpa"),
    "neighbourhood": ("npt", "neighbourhood team", "neighbourhood policing team", "neighborhood",
                      "snt", "safer neighbourhood team", "neighbourhood area"),
    "ward": ("ward name", "electoral ward"),
    "ethnicity": ("ethnic group", "self defined ethnicity", "self defined ethnic group", "ethnic origin",
                  "ethnicity code", "sde", "ethnic"),
    "age_band": ("age", "age group", "age range"),
    "sex": ("gender",),
    "disability": ("disabled", "disability status", "has a disability", "limiting illness or disability"),
    "weight": ("weighting", "weight factor", "wt"),
    "recontact_consent": ("recontact", "consent to recontact", "consent to re contact",
                          "happy to be recontacted", "callback consent"),
    "comment": ("comments", "verbatim", "free text", "any other comments"),
}
MAPPING_IGNORE = ("", "ignore", "-")  # a mapping file can mark a column as deliberately left out


def header_key(text: object) -> str:
    """Case, spaces, underscores, hyphens and punctuation do not matter in a header."""
    text = "" if text is None else str(text)
    return " ".join(re.sub(r"[^0-9a-z+]+", " ", text.lower()).split())


def survey_columns(definition: SurveyDefinition) -> tuple[str, ...]:
    common = tuple(c for c in COMMON_COLUMNS if definition.has_crime_type or c not in VICTIM_ONLY)
    return common + definition.item_keys


def required_columns(definition: SurveyDefinition) -> tuple[str, ...]:
    """Every file needs these (and a division or a neighbourhood column)."""
    required = ("response_id", "interview_date", "ethnicity")
    if definition.has_crime_type:
        required += ("crime_type",)
    return required + definition.item_keys


def aliases_for(definition: SurveyDefinition) -> dict[str, tuple[str, ...]]:
    """Every name a column is recognised by, the column's own name first; a question's also by its label,
    its aliases and its whole wording (`question = "..."`), which a force's export often heads it with."""
    names = {c: (c, *BUILTIN_ALIASES.get(c, ())) for c in survey_columns(definition)}
    for item in definition.items:
        names[item.key] = (item.key, item.label, *item.aliases, *([item.question] if item.question.strip() else []))
    return names


def shared_question_names(definition: SurveyDefinition) -> dict[str, tuple[str, ...]]:
    """Names (as headers are matched) that more than one question is recognised by → those questions' keys.

    A column so headed cannot be told to be one question rather than the other: it is refused, not
    given to the first. A column's own name is never shared (it wins over any other's alias).
    """
    own = {header_key(c) for c in survey_columns(definition)}
    names = aliases_for(definition)
    claims: dict[str, list[str]] = {}
    for item in definition.items:
        for key in dict.fromkeys(header_key(n) for n in names[item.key]):
            if key and key not in own:
                claims.setdefault(key, []).append(item.key)
    return {key: tuple(items) for key, items in claims.items() if len(items) > 1}


def header_lookup(definition: SurveyDefinition) -> dict[str, str]:
    shared = shared_question_names(definition)
    lookup: dict[str, str] = {}
    for column, names in aliases_for(definition).items():
        for name in names:
            if header_key(name) not in shared:
                lookup.setdefault(header_key(name), column)
    for column in survey_columns(definition):  # our own names win over any alias
        lookup[header_key(column)] = column
    return lookup


def _shared_name_problem(questions: tuple[str, ...], advice: str) -> str:
    return f"is the name of more than one question in the survey definition ({', '.join(questions)}): {advice}"


# Mapping files -------------------------------------------------------------------------


def load_mapping(mapping: Path | dict | None, definition: SurveyDefinition) -> dict[str, str]:
    """A force's own header names: {their header (matched like headers): our column or ""}."""
    if mapping is None:
        return {}
    pairs = mapping if isinstance(mapping, dict) else _read_mapping_file(Path(mapping))
    lookup, shared = header_lookup(definition), shared_question_names(definition)
    known = survey_columns(definition)
    resolved: dict[str, str] = {}
    for theirs, ours in pairs.items():
        ours_text = "" if ours is None else str(ours).strip()
        if ours_text.lower() in MAPPING_IGNORE:
            resolved[header_key(theirs)] = ""
            continue
        column = lookup.get(header_key(ours_text))
        if header_key(ours_text) in shared:
            raise FileRefused(f'maps "{theirs}" to "{ours_text}", which ' + _shared_name_problem(
                shared[header_key(ours_text)], "map it to the key of the question it holds"), column=str(theirs))
        if column is None:
            raise FileRefused(
                f'maps "{theirs}" to "{ours_text}", which is not a column of {definition.name} files; '
                f"columns: {', '.join(known)} (or \"\" to leave the column out)",
                column=str(theirs),
            )
        resolved[header_key(theirs)] = column
    return resolved


def _read_mapping_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        raise FileRefused(f"the mapping file {path.name} does not exist")
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise FileRefused(f"the mapping file {path.name} is not valid TOML ({exc})") from exc
        columns = data.get("columns")
        if not isinstance(columns, dict):
            raise FileRefused(
                f'the mapping file {path.name} needs a [columns] table: "Their Header" = "our_column"'
            )
        return columns
    if path.suffix.lower() in (".csv", ".txt"):
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                records = [r for r in csv.reader(f) if any(c.strip() for c in r)]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise FileRefused(f"the mapping file {path.name} cannot be read as a UTF-8 CSV file ({exc})") from exc
        if records and header_key(records[0][-1]) in {"our column", "column", "to", "target", "citizenfocus"}:
            records = records[1:]
        bad = next((r for r in records if len(r) != 2), None)
        if bad is not None:
            raise FileRefused(
                f"the mapping file {path.name} must have two columns (their header, our column); "
                f"found {bad}"
            )
        return {theirs: ours for theirs, ours in records}
    raise FileRefused(f"the mapping file {path.name} must be .toml or .csv")


# Matching a header -----------------------------------------------------------------------


@dataclass
class ColumnPlan:
    """Where each of our columns is in the file, and what the file calls it."""

    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def __contains__(self, column: str) -> bool:
        return column in self.positions


def column_of(header: object, lookup: dict[str, str], mapping: dict[str, str]) -> str | None:
    """Our column for one header cell ("" when the mapping leaves it out, None when unknown)."""
    key = header_key(header)
    if key in mapping:
        return mapping[key]
    return lookup.get(key)


def plan_columns(header: list, *, definition: SurveyDefinition, mapping: dict[str, str],
                 file: str, header_row: int) -> tuple[ColumnPlan, list[ImportError_]]:
    """Match the header; problems for a column given twice and for every required column missing."""
    lookup, shared = header_lookup(definition), shared_question_names(definition)
    plan, problems = ColumnPlan(), []
    for position, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        column = column_of(text, lookup, mapping)
        if column is None and header_key(text) in shared:
            problems.append(ImportError_(file, header_row, text, "", _shared_name_problem(
                shared[header_key(text)], "head it with the key of the question it holds, or map it in a mapping file")))
            continue
        if column is None:
            if text:
                plan.ignored.append(text)
            continue
        if column == "":
            continue
        if column in plan.positions:
            problems.append(ImportError_(
                file, header_row, text, "",
                f'means the same as column "{plan.headers[column]}" ({column}): keep one of them, '
                "or leave one out in a mapping file",
            ))
            continue
        plan.positions[column] = position
        plan.headers[column] = text
    problems.extend(_missing(plan, definition, file))
    return plan, problems


def _missing(plan: ColumnPlan, definition: SurveyDefinition, file: str) -> list[ImportError_]:
    names, shared = aliases_for(definition), shared_question_names(definition)
    wordings = {i.question for i in definition.items}  # a sentence: too long for a list of names
    problems = []
    for column in required_columns(definition):
        if column not in plan:
            others = [n for n in names[column][1:] if n not in wordings and header_key(n) not in shared]
            also = "; ".join(f'"{n}"' for n in others[:5])
            problems.append(ImportError_(
                file, None, column, "",
                # the definition's whole name: a short name ("Perception") is no noun to need a column
                f"is missing: {definition.name} files need this column"
                + (f" (also recognised as {also})" if also else "")
                + "; name it so, or map your header to it in a mapping file",
            ))
    if "division" not in plan and "neighbourhood" not in plan:
        problems.append(ImportError_(
            file, None, "division", "",
            "is missing: the file needs a division or a neighbourhood column "
            '(also recognised: "bcu", "district", "lpu", "npt", "neighbourhood team")',
        ))
    return problems


def recogniser(definition: SurveyDefinition, mapping: dict[str, str]):
    """Scores a candidate header row by how many of its cells are known columns."""
    lookup = header_lookup(definition)

    def score(values) -> int:
        return len({column_of(v, lookup, mapping) for v in values if v is not None} - {None, ""})

    return score
