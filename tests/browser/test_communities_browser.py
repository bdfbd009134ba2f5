"""A visitor on the public site (no log-in, on a phone, in Welsh) and a neighbourhood team at work; axe on every page."""

import pytest

from .conftest import axe_violations, screenshot, wait_for_charts

pytestmark = pytest.mark.browser


def _no_serious_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in violations)


@pytest.mark.parametrize(("width", "lang"), [(1200, "en"), (375, "en"), (375, "cy")])
def test_a_visitor_reads_the_public_site_without_logging_in(browser, demo_server, width, lang):
    context = browser.new_context(base_url=demo_server, viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        assert page.goto(f"/public/?lang={lang}").status == 200
        assert page.locator("html").get_attribute("lang") == ("cy" if lang == "cy" else "en-GB")
        _no_serious_violations(page, f"index {width} {lang}")
        # Nothing wider than the phone: the page never scrolls sideways (tables scroll inside their own region).
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator(".pub-list a", has_text="Market Cross").click()  # the demo team's neighbourhood
        page.wait_for_selector("h1")
        assert page.get_by_role("heading", name="Dywedoch chi, gwnaethom ni" if lang == "cy" else "You said, we did")
        assert page.locator(".pub-priority").count() == 3
        _no_serious_violations(page, f"neighbourhood {width} {lang}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"public-neighbourhood-{width}-{lang}")
        assert page.goto(f"/public/releases/?lang={lang}").status == 200
        _no_serious_violations(page, f"releases {width} {lang}")
    finally:
        context.close()


def test_the_neighbourhood_team_sees_its_lights_its_network_and_the_tension_chart(log_in):
    page = log_in("inspector")
    page.get_by_role("link", name="Communities").click()
    page.wait_for_selector("table.data caption")
    _no_serious_violations(page, "communities home")
    page.get_by_role("link", name="Priorities").first.click()
    page.wait_for_selector("table.data caption")
    assert "March 2014" in page.locator("h1").inner_text()
    lights = page.locator("table.data").first.inner_text()
    assert "green" in lights and "amber" in lights and "red" in lights
    _no_serious_violations(page, "priorities")
    screenshot(page, "communities-priorities")
    page.get_by_role("link", name="key individual network").click()
    page.wait_for_selector("table.data caption")
    assert "Chair of the residents' association" in page.content()
    assert page.get_by_role("button", name="Remove KIN-").count() == 1
    _no_serious_violations(page, "kin")
    page.goto("/communities/tension/")
    wait_for_charts(page)
    assert page.locator("[data-spec-id]").first.get_attribute("data-drawn") == "yes"
    assert "ESCALATION: tension rose" in page.content()
    _no_serious_violations(page, "tension")
    screenshot(page, "communities-tension")
    page.goto("/communities/tension/new/")
    _no_serious_violations(page, "tension form")


def test_an_analyst_sees_pseudonyms_and_approves_a_release_the_public_then_reads(log_in, browser, demo_server):
    page = log_in("analyst")
    page.goto("/communities/neighbourhoods/C12/kin/")  # Market Cross: the demo team's network
    page.wait_for_selector("table.data caption")
    assert "KIN-000" in page.content() and "kin01@example.org" not in page.content()
    page.goto("/public/approve/")
    _no_serious_violations(page, "approve")
    page.get_by_label("Title of the release").fill("Browser test release")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve and publish").click()
    assert "now on the public site" in page.content()
    visitor = browser.new_context(base_url=demo_server)
    try:
        public = visitor.new_page()
        public.goto("/public/releases/")
        assert public.get_by_role("heading", name="Browser test release").count() == 1
    finally:
        visitor.close()


def test_the_assessment_and_panel_pages_have_no_serious_accessibility_violation(log_in):
    page = log_in("analyst")
    for url in ("/communities/impact-assessments/", "/communities/equality/", "/communities/panels/",
                "/communities/equality/new/"):
        assert page.goto(url).status == 200, url
        _no_serious_violations(page, url)
    page.goto("/communities/equality/")
    page.get_by_role("link", name="Stop and search").first.click()
    page.wait_for_selector("table.data caption")
    assert "full assessment needed" in page.content()
    _no_serious_violations(page, "policy")
    screenshot(page, "communities-equality-policy")
    page.get_by_role("link", name="Screen against each protected characteristic").click()
    _no_serious_violations(page, "screening form")
    page.goto("/communities/panels/")
    page.get_by_role("link", name="independent advisory group").first.click()
    page.wait_for_selector("table.data caption")
    # the make-up against the census profiles of the panel's area (the demo loads them)
    assert "no census profile loaded" not in page.content() and "warrant planning checklist" in page.content()
    assert "Share of the area&#x27;s population" in page.content() or "Share of the area's population" in page.content()
    _no_serious_violations(page, "panel")
    inspector = log_in("inspector")
    inspector.goto("/communities/impact-assessments/")
    inspector.get_by_role("link", name="Operation Lantern: drugs warrants").click()
    inspector.wait_for_selector("table.data caption")
    assert "Signed off: inspector" in inspector.content()
    _no_serious_violations(inspector, "impact assessment")
    inspector.goto("/communities/panels/")
    inspector.get_by_role("link", name="independent advisory group").first.click()
    inspector.wait_for_selector("#meeting-heading")
    _no_serious_violations(inspector, "panel with its forms")
    screenshot(inspector, "communities-panel")
