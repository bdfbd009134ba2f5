"""docs/importing.md keeps up with the code: every column, name and file type is documented."""

from pathlib import Path

import pytest

from citizenfocus.surveys.definition import shipped_definitions
from citizenfocus.surveys.importing import SUPPORTED_SUFFIXES
from citizenfocus.surveys.importing.columns import BUILTIN_ALIASES, COMMON_COLUMNS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "importing.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("column", COMMON_COLUMNS)
def test_each_column_is_documented_with_every_name_it_is_recognised_by(column):
    row = next((line for line in DOC.splitlines() if line.startswith(f"| `{column}` |")), None)

    assert row is not None, f"docs/importing.md has no row for {column}"
    for alias in BUILTIN_ALIASES.get(column, ()):
        assert alias in row, f"{column}: alias {alias!r} is not documented"


@pytest.mark.parametrize(("survey", "question"), [
    (d.key, i) for d in shipped_definitions().values() for i in d.items
])
def test_each_question_is_documented_with_its_aliases(survey, question):
    row = next(line for line in DOC.splitlines() if line.startswith(f"| `{survey}` | `{question.key}` |"))

    for alias in (question.label, *question.aliases):
        assert alias.lower() in row.lower()


def test_every_file_type_read_is_documented():
    for suffix in SUPPORTED_SUFFIXES:
        assert f"`{suffix}`" in DOC
