"""The "Department and action manager" cell: which part is the department and which the person.

Forces write it every way: "Contact Management" over "Head of Contact Management" on
two lines; "Corporate Development – Chief Inspector, Partnerships" on one; a person
with their role and their department ("Superintendent – Force Lead, Corporate
Support"); or two departments and nobody ("Divisional SMTs" and "Local Policing
Support"). A line naming a rank or role is the manager; a line of department words
is a department.
"""

from __future__ import annotations

import re

_ROLE_WORDS = re.compile(r"\b(head|chief|inspector|superintendent|supt|sergeant|manager|officer|director|lead|"
                         r"commander|acc|dcc|cc|constable|coordinator|co-ordinator|analyst|adviser|advisor|"
                         r"champion|chair|deputy|assistant|commissioner|person)\b", re.IGNORECASE)
_DEPARTMENT_WORDS = re.compile(r"\b(support|development|management|review|services?|department|unit|team|division|"
                               r"divisional|directorate|branch|command|policing|smts?|standards|resources|hr|"
                               r"operations|communications|intelligence|crime|justice|contact|training|learning|"
                               r"performance|corporate|partnerships?|diversity|equality|engagement|protection|"
                               r"professional|neighbourhood|response|investigations?|custody|finance|estates|ict|"
                               r"legal|strategy|planning|citizen focus)\b", re.IGNORECASE)
_SPACED_DASH = re.compile(r"\s+[-\u2013\u2014/]\s+")


def _is_department(text: str) -> bool:
    return bool(_DEPARTMENT_WORDS.search(text)) and not _ROLE_WORDS.search(text)


def _one_line(line: str) -> tuple[str, str]:
    parts = _SPACED_DASH.split(line, maxsplit=1)
    if len(parts) == 2:
        first, rest = parts[0].strip(), parts[1].strip()
        if _is_department(first):  # "Corporate Development – Chief Inspector, Partnerships"
            return first, rest
        # "Superintendent – Force Lead, Corporate Support": the person and role, then their department.
        role, comma, tail = rest.rpartition(",")
        if comma and _is_department(tail) and _ROLE_WORDS.search(role):
            return tail.strip(), f"{first} \u2013 {role.strip()}"
        return "", line.strip()
    if _ROLE_WORDS.search(line):
        return "", line.strip()
    return line.strip(), ""


def split_owner(text: str) -> tuple[str, str]:
    """(department, action manager) from a "Department and action manager" cell."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return "", ""
    if len(lines) == 1:
        return _one_line(lines[0])
    departments, managers = [], []
    for index, line in enumerate(lines):
        if _is_department(line) or (index == 0 and not _ROLE_WORDS.search(line)):
            departments.append(line)
        else:
            managers.append(line)
    return "; ".join(departments), " ".join(managers)
