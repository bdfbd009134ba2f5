"""docs/personal-data.md documents every option of the personal-data commands, and the defaults as shipped."""

from pathlib import Path

import pytest
import typer

from citizenfocus.cli import app
from citizenfocus.surveys.definition import shipped_definitions
from citizenfocus.surveys.personal import VALUES_KEPT

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "personal-data.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands


def _options(command) -> list[str]:
    return [name for param in command.params for name in param.opts if name.startswith("--")]


@pytest.mark.parametrize("path", [("purge",), ("respondent", "show"), ("respondent", "erase")], ids=" ".join)
def test_every_option_is_documented(path):
    command = COMMANDS[path[0]]
    if len(path) > 1:
        command = command.commands[path[1]]
    assert f"citizenfocus {' '.join(path)}" in DOC
    for option in _options(command):
        assert f"`{option}" in DOC, f"docs/personal-data.md lacks {' '.join(path)} {option}"


def test_the_readme_lists_the_commands_and_links_the_page():
    assert "citizenfocus purge" in README and "citizenfocus respondent show" in README
    assert "(docs/personal-data.md)" in README


def test_the_documented_defaults_are_the_shipped_ones():
    for definition in shipped_definitions().values():
        assert f"months = {definition.retention_months} " in DOC
        assert f"refused_values_days = {definition.refused_values_days} " in DOC


def test_the_columns_whose_values_a_refusal_keeps_are_the_documented_ones():
    kept = DOC.split("Values of coded columns", 1)[1].split(")", 1)[0]
    for column in VALUES_KEPT:
        assert column.replace("_", " ") in kept, column
