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


def test_the_docs_say_answers_are_stored_as_their_codes_not_as_outcomes():
    """Answers are kept on their scale (docs/design-answers.md); the measures are derived when computed."""
    values = DOC[DOC.index("## Values"):DOC.index("**Crime type**")]
    assert "stored as its code on the question's scale" in values
    assert "stored as its\noutcome" not in values and "stored as its outcome" not in values


def test_the_administration_docs_say_how_a_force_adds_a_question():
    admin = (Path(__file__).resolve().parents[2] / "docs" / "administration.md").read_text(encoding="utf-8")
    section = admin[admin.index("## Survey definitions"):admin.index("## Production")]
    assert "adds a\nquestion by adding a `[[measures]]` table" in section
    assert "a key from the\nstored columns" not in section  # the eight fixed columns are gone
