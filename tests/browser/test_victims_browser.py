"""The officer's Victims' Code queue on a phone, the supervisor's compliance and call-backs: axe on each."""

import pytest

from .conftest import axe_violations, screenshot, wait_for_charts

pytestmark = pytest.mark.browser


def _no_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in violations)


def test_an_officer_opens_their_queue_on_a_phone_and_each_colour_has_its_words(log_in):
    page = log_in("officer")
    page.set_viewport_size({"width": 375, "height": 812})
    # An officer's role has no dashboard: the page after logging in points to their queue.
    with page.expect_navigation():
        page.get_by_role("link", name="the Victims' Code update queue").click()
    assert page.url.endswith("/victims/queue/")
    cards = page.locator("ol.queue > li")
    cards.first.wait_for()
    assert cards.count() > 0
    for i in range(cards.count()):
        words = cards.nth(i).locator(".band").inner_text()
        assert words.split(":")[0] in {"Breached", "Red", "Amber", "Green"}, words
        assert "Why:" in cards.nth(i).inner_text()
    # Nothing wider than the phone: no sideways scrolling of the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _no_violations(page, "queue")
    screenshot(page, "victims-queue-phone")
    cards.first.get_by_role("link").click()
    page.wait_for_selector("h1")
    assert page.get_by_role("heading", name="Events").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the events table scrolls on its own
    _no_violations(page, "case")
    screenshot(page, "victims-case-phone")


def test_a_supervisor_sees_compliance_by_ethnicity_beside_kept_informed_and_the_call_backs(log_in):
    page = log_in("supervisor")
    assert page.goto("/victims/compliance/?by=division,ethnic_group&period=fy:2012").status == 200
    wait_for_charts(page)
    assert page.locator("[data-spec-id]").first.get_attribute("data-drawn") == "yes"
    assert "Kept informed (survey)" in page.content()
    _no_violations(page, "compliance")
    screenshot(page, "victims-compliance")
    assert page.goto("/victims/call-backs/").status == 200
    _no_violations(page, "call-backs")
    screenshot(page, "victims-callbacks")
