"""An analyst imports a survey file in the browser: a bad file is refused with its rows named, a good one is stored."""

import csv

import pytest

from citizenfocus.demo import demo_force

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

HEADER = ["response_id", "interview_date", "incident_date", "crime_type", "division", "neighbourhood", "ethnicity",
          "age_band", "sex", "disability", "ease_of_contact", "actions_taken", "kept_informed", "treatment",
          "whole_experience", "weight"]


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _row(n, neighbourhood, **changes):
    row = dict(zip(HEADER, [f"WEB-{n:04d}", "2014-03-10", "2014-01-20", "vehicle_crime", "", neighbourhood, "B2",
                            "16-24", "Male", "No", "1", "Very satisfied", "5", "2", "Fairly satisfied", "1"],
                   strict=True))
    row.update(changes)
    return list(row.values())


def test_an_analyst_sees_a_bad_file_refused_then_imports_a_good_one(log_in, tmp_path):
    hood = demo_force().divisions[0].neighbourhoods[0].name
    bad = _write(tmp_path / "bad.csv", [_row(1, hood), _row(2, hood + "x"), _row(3, hood, interview_date="31/02/2014")])
    good = _write(tmp_path / "good.csv", [_row(1, hood), _row(2, hood)])
    page = log_in("analyst")
    page.goto("/data/import/")
    page.get_by_label("Survey", exact=True).select_option("uss")
    page.get_by_label("Survey file").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Check and import").click()
    text = page.locator("main").inner_text()
    assert "bad.csv was refused. Nothing was stored." in text
    assert f"{hood}x" in text and "31/02/2014" in text
    assert not axe_violations(page)
    screenshot(page, "import-refused")
    page.get_by_label("Survey file").set_input_files(str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="Check and import").click()
    stored = page.locator("main").inner_text()
    assert "New responses" in stored and "2" in stored
    screenshot(page, "import-stored")
    page.goto("/data/responses/?q=WEB-")
    assert page.locator("tbody tr").count() == 2
