"""The strict Content-Security-Policy holds in a real browser: every page draws with no violation."""

import pytest

from .conftest import wait_for_charts

pytestmark = pytest.mark.browser
PAGES = ("/", "/performance/overview/", "/performance/trend/", "/performance/gaps/", "/performance/neighbourhoods/",
         "/performance/drivers/", "/performance/peers/", "/data/", "/data/import/", "/data/responses/", "/plans/")


def test_every_page_draws_with_no_content_security_policy_violation(log_in):
    page = log_in("analyst")
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    for path in PAGES:
        page.goto(path)
        wait_for_charts(page)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        if path.startswith("/performance/"):
            assert page.locator("[data-spec-id][data-drawn=yes]").count() >= 1, path
            assert page.locator("[data-spec-id][data-drawn=failed]").count() == 0, path
    assert violations == []
