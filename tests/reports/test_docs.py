"""docs/board-pack.md keeps up with the code: commands, options, pages and settings."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "board-pack.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["board-pack", "send-packs"])
def test_every_command_option_is_documented_and_the_command_is_in_the_readme(command):
    from typer.main import get_command

    from citizenfocus.cli import app

    click_command = get_command(app).commands[command]
    declared = {opt for param in click_command.params for opt in param.opts if opt.startswith("--")} - {"--help"}
    table = DOC.split(f"| `{command}` option | meaning |")[1].split("\n\n")[0]
    for option in declared:
        assert f"`{option}`" in table, f"{command} {option}"
    assert f"| `citizenfocus {command}" in README


def test_the_pages_settings_and_a_cron_line_are_documented():
    for address in ("/reports/", "/reports/<id>/", "/reports/<id>/download/"):
        assert f"`{address}`" in DOC
    source = "".join(p.read_text() for p in (ROOT / "src/citizenfocus/reports").rglob("*.py"))
    for name in set(re.findall(r"CITIZENFOCUS_[A-Z_]+", source)):
        assert f"`{name}`" in DOC, name
    assert re.search(r"^30 7 \* \* \* .*/citizenfocus send-packs", DOC, re.M)
