"""Equality pages in a browser: an inspector's profile with its map, a panel member working through a sample;
axe on every page."""

import pytest

from .conftest import axe_violations, screenshot, wait_for_charts

pytestmark = pytest.mark.browser


def _no_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in violations)


def test_an_inspector_opens_their_neighbourhood_profile_with_its_map(log_in):
    page = log_in("inspector")
    page.goto("/equality/neighbourhoods/")
    assert page.url.endswith("/equality/neighbourhoods/C12/")
    wait_for_charts(page)
    assert page.locator("[data-spec-id='spec-map']").get_attribute("data-drawn") == "yes"
    assert page.locator("[data-spec-id='spec-map'] svg path").count() >= 60  # every neighbourhood drawn
    assert page.get_by_role("heading", level=1).inner_text() == "Neighbourhood profile: Market Cross"
    assert page.get_by_text("would have to be in another ethnic group").count() == 2
    _no_violations(page, "profile")
    screenshot(page, "equality-profile")


@pytest.mark.parametrize("path", ["/equality/maps/?metric=gap", "/equality/stop-search/",
                                  "/equality/stop-search/?basis=officer&section_60=only", "/equality/hate-crime/",
                                  "/equality/hate-crime/?publication=1"])
def test_each_equality_page_draws_its_charts_with_no_serious_accessibility_violation(log_in, path):
    page = log_in("board")
    assert page.goto(path).status == 200
    wait_for_charts(page)
    assert all(v == "yes" for v in page.eval_on_selector_all("[data-spec-id]", "els => els.map(e => e.dataset.drawn)"))
    _no_violations(page, path)


def test_a_panel_member_draws_a_sample_and_records_a_finding(log_in):
    page = log_in("board")
    page.goto("/equality/panel/")
    _no_violations(page, "panel list")
    page.get_by_label("Title").fill("Section 60 review, winter")
    page.get_by_label("From month (YYYY-MM)").fill("2013-10")
    page.get_by_label("To month (YYYY-MM)").fill("2014-01")
    page.get_by_label("Searches to review").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Draw the sample").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Section 60 review, winter"
    assert page.locator("section.panel-search").count() == 12
    first = page.locator("section.panel-search").first
    first.get_by_label("Grounds reasonable").select_option("no")
    first.get_by_label("Body-worn video reviewed").check()
    first.get_by_label("Notes").fill("Grounds recorded in general terms only")
    with page.expect_navigation():
        first.get_by_role("button", name="Save the finding").click()
    assert page.get_by_text("Finding recorded for search 1.").is_visible()
    assert page.locator("#search-1").get_by_text("Grounds recorded in general terms only").is_visible()
    _no_violations(page, "panel review")
    screenshot(page, "equality-panel-review")


def test_stop_search_by_age_shows_its_chart_table_and_publication_downloads(log_in):
    page = log_in("analyst")
    assert page.goto("/equality/stop-search/").status == 200
    wait_for_charts(page)
    assert page.locator("[data-spec-id='spec-ages']").get_attribute("data-drawn") == "yes"
    ages = page.locator("table", has=page.get_by_text("Searches per 1,000 residents by age range"))
    assert ages.locator("tbody tr").count() >= 5
    assert ages.locator("tbody tr").nth(2).locator("th").inner_text() == "18-24"
    assert page.get_by_text("People aged 18-24 were").first.is_visible()
    block = page.locator("section.table-block", has=page.get_by_text("by age range"))
    assert block.get_by_role("link", name="CSV for publication").count() == 1
    with page.expect_download() as download:
        block.get_by_role("link", name="CSV for publication").click()
    assert download.value.suggested_filename == "stop_search-ages.csv"
    _no_violations(page, "stop search by age")
    page.locator("#chart-ages-heading").scroll_into_view_if_needed()
    screenshot(page, "equality-stop-search-age")


def test_hate_crime_records_are_for_analysts_and_the_board_sees_only_the_tables(log_in):
    board = log_in("board")
    board.goto("/equality/hate-crime/")
    assert board.get_by_role("link", name="The records behind these tables (logged)").count() == 0
    assert board.goto("/equality/hate-crime/records/").status == 403
    page = log_in("analyst")
    page.goto("/equality/hate-crime/")
    with page.expect_navigation():
        page.get_by_role("link", name="The records behind these tables (logged)").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hate crime records:")
    assert page.locator("table.data tbody tr").count() > 10
    _no_violations(page, "hate crime records")
