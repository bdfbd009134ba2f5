"""A person at the dashboard: each role logs in, opens every page, filters, downloads; axe on every page."""

import pytest

from citizenfocus.performance.pages import PAGES

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

ROLE_USERS = {"administrator": "admin", "analyst": "analyst", "action_owner": "owner", "board_member": "board"}


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_every_role_opens_every_dashboard_page_with_no_serious_accessibility_violation(log_in, role):
    page = log_in(ROLE_USERS[role])
    for key in PAGES:
        response = page.goto(f"/performance/{key}/")
        assert response.status == 200, key
        page.wait_for_selector("table.data caption")
        page.wait_for_timeout(300)  # let vega-embed draw
        assert page.locator("h1").first.is_visible()
        violations = axe_violations(page)
        assert not violations, f"{key}: " + "; ".join(f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in violations)
        if role == "board_member":
            screenshot(page, f"performance-{key}")


def test_a_board_member_filters_by_crime_type_with_the_keyboard_and_downloads_the_table(log_in):
    page = log_in("board")
    page.goto("/performance/gaps/")
    page.get_by_label("Crime type", exact=True).focus()
    page.keyboard.press("ArrowDown")  # keyboard-only: choose the next crime type
    page.get_by_label("Crime type", exact=True).select_option("vehicle_crime")
    page.get_by_role("button", name="Show").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "crime_type=vehicle_crime" in page.url
    assert page.get_by_role("heading", level=1).inner_text().startswith("Gap explorer")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = open(download.path(), encoding="utf-8-sig").read()
    assert "Gap (white minus BME)" in content.splitlines()[0]
    screenshot(page, "performance-gaps-vehicle-crime")


def test_the_chart_is_drawn_and_has_its_data_table(log_in):
    page = log_in("board")
    page.goto("/performance/overview/")
    page.wait_for_selector("[data-spec-id] svg", timeout=15000)
    assert page.locator("[data-spec-id] svg").count() >= 1
    assert page.locator("table.data").count() >= 1


def test_an_outsider_is_refused(log_in):
    page = log_in("visitor")
    response = page.goto("/performance/overview/")
    assert response.status == 403
