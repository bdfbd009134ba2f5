"""A person at the dashboard: each role logs in, opens every page, filters, downloads; axe on every page."""

import re

import pytest

from citizenfocus.performance.pages import PAGES

from .conftest import axe_violations, screenshot, wait_for_charts

pytestmark = pytest.mark.browser

ROLE_USERS = {"administrator": "admin", "analyst": "analyst", "action_owner": "owner", "board_member": "board"}


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_every_role_opens_every_dashboard_page_with_no_serious_accessibility_violation(log_in, role):
    page = log_in(ROLE_USERS[role])
    for key in PAGES:
        response = page.goto(f"/performance/{key}/")
        assert response.status == 200, key
        page.wait_for_selector("table.data caption")
        wait_for_charts(page)
        assert page.locator("h1").first.is_visible()
        violations = axe_violations(page)
        assert not violations, f"{key}: " + "; ".join(f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in violations)
        if role == "board_member":
            screenshot(page, f"performance-{key}")


def test_a_board_member_filters_with_the_keyboard_alone_and_downloads_the_table(log_in):
    page = log_in("board")
    page.goto("/performance/gaps/")
    crime_type = page.get_by_label("Crime type", exact=True)
    crime_type.focus()
    page.keyboard.press("ArrowDown")  # the first crime type after "All crime types"
    assert crime_type.input_value() == "domestic_burglary"
    for _ in range(10):  # Tab on to the Show button, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Show":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Show"
    # Wait on the navigation the form starts, not on network quiet (which can come before it begins).
    with page.expect_navigation(url=re.compile(r"crime_type=domestic_burglary")):
        page.keyboard.press("Enter")
    assert "crime_type=domestic_burglary" in page.url
    assert page.get_by_role("heading", level=1).inner_text().startswith("Gap explorer")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = open(download.path(), encoding="utf-8-sig").read()
    assert "Gap (white minus BME)" in content.splitlines()[0]
    screenshot(page, "performance-gaps-domestic-burglary")


def test_the_data_and_import_pages_have_no_serious_accessibility_violation(log_in):
    page = log_in("analyst")
    for path in ("/", "/data/", "/data/responses/", "/data/import/", "/performance/targets/",
                 "/performance/change-points/", "/performance/peer-figures/"):
        response = page.goto(path)
        assert response.status == 200, path
        violations = axe_violations(page)
        assert not violations, f"{path}: " + "; ".join(
            f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in violations)
    page.goto("/data/")
    screenshot(page, "data")


def test_the_login_page_has_no_serious_accessibility_violation(browser, demo_server):
    context = browser.new_context(base_url=demo_server)
    page = context.new_page()
    page.goto("/accounts/login/")
    assert not axe_violations(page)
    context.close()


def test_the_chart_is_drawn_and_has_its_data_table(log_in):
    page = log_in("board")
    page.goto("/performance/overview/")
    wait_for_charts(page)
    assert page.locator("[data-spec-id][data-drawn=yes]").count() >= 1
    assert page.locator("[data-spec-id] svg").count() >= 1
    assert page.locator("table.data").count() >= 1


def test_an_outsider_is_refused(log_in):
    page = log_in("visitor")
    response = page.goto("/performance/overview/")
    assert response.status == 403
