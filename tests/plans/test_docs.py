"""docs/plans.md keeps up with the code: columns, pages, commands, options and settings."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, get_resolver

from citizenfocus.plans.importing.columns import ALIASES, FIELD_NAMES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "plans.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", list(FIELD_NAMES))
def test_each_column_is_documented_with_every_name_it_is_recognised_by(field):
    row = next((line for line in DOC.splitlines() if line.startswith(f"| {FIELD_NAMES[field]} |")), None)
    assert row is not None, f"no row for {FIELD_NAMES[field]}"
    for alias in ALIASES[field]:
        assert re.search(rf"(^|[|,] ){re.escape(alias)}( ?[,|]|$)", row.lower()), f"{field}: {alias!r} not documented"


def test_every_page_address_is_documented():
    for entry in get_resolver().url_patterns:
        if getattr(entry, "namespace", None) != "plans":
            continue
        for pattern in entry.url_patterns:
            if isinstance(pattern, URLPattern) and "POST" not in (pattern.callback.__doc__ or "") \
                    and not pattern.name.endswith(("_archive", "_save", "_cancel", "_edit", "_create", "_update",
                                                   "_review", "_add", "_remove", "_clear", "_indicator", "_export",
                                                   "evidence")):
                address = "/plans/" + str(pattern.pattern).replace("<int:pk>", "<id>")
                assert f"`{address}`" in DOC, address


@pytest.mark.parametrize("command, options", [
    ("import-plan", ["--title", "--source", "--kind", "--owning-body", "--dry-run", "--accept-problems", "--notes",
                     "--user", "--db"]),
    ("export-plan", ["--format", "--output", "--since", "--db"]),
    ("remind", ["--days", "--today", "--dry-run", "--db"]),
])
def test_every_command_option_is_documented(command, options):
    from typer.main import get_command

    from citizenfocus.cli import app

    click_command = get_command(app).commands[command]
    declared = {opt for param in click_command.params for opt in param.opts if opt.startswith("--")}
    assert declared == set(options)
    table = DOC.split(f"| `{command}` option | meaning |")[1].split("\n\n")[0]
    for option in options:
        assert f"`{option}`" in table, f"{command} {option}"


def test_settings_the_code_reads_are_documented_and_there_is_a_cron_line():
    source = "".join(p.read_text() for p in (Path(__file__).resolve().parents[2] / "src/citizenfocus/plans")
                     .rglob("*.py"))
    for name in set(re.findall(r"CITIZENFOCUS_[A-Z_]+", source)):
        assert f"`{name}`" in DOC, name
    assert re.search(r"^0 7 \* \* 1-5 .*/citizenfocus remind ", DOC, re.M)
