"""In a real browser: an action owner updates an action from a phone, and a board member sees the change
since the last meeting. axe-core checks the plan pages on the way.

Runs the app with pytest-django's live server and drives Debian's Chromium with Playwright (never a
downloaded browser). Screenshots go to test-artifacts/screenshots/.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Playwright's sync API runs the test in a greenlet with its own database connection: close it, or
        # PostgreSQL cannot drop the test database at the end.
        from django.db import connections

        connections.close_all()


@pytest.fixture
def board_plan(users, plan_docx, settings, tmp_path):
    """The imported plan, action 1.1.B managed by the owner, and last month's board meeting."""
    from citizenfocus.plans import services
    from citizenfocus.plans.models import Action

    settings.AXES_ENABLED = False
    preview = services.plan_import_preview(path=plan_docx, user=users["analyst"])
    plan = services.plan_import(plan_import=preview, user=users["analyst"])
    Action.objects.filter(ref__in=["1.1.B", "1.2.A", "2.1.B"]).update(manager=users["action_owner"])
    meeting = services.meeting_record(plan=plan, user=users["analyst"], title="Citizen Focus Board",
                                      held_on=timezone.localdate())
    plan.dip_sample = Action.objects.get(ref="1.1.B", response__recommendation__plan=plan).pk
    plan.preview = plan.imports.get().pk
    return plan, meeting


def _log_in(page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{next_path.split('#')[0]}*")


def _no_serious_violations(page, where: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"{where}: {serious}"


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"plans-{name}.png"), full_page=True)


def test_an_owner_updates_from_a_phone_and_the_board_sees_it_since_the_meeting(board_plan, live_server, chromium):
    plan, meeting = board_plan
    base = live_server.url

    phone = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                 has_touch=True)
    page = phone.new_page()
    _log_in(page, base, "action_owner-user", "/plans/mine/")
    assert page.get_by_role("heading", name="My actions").is_visible()
    _no_serious_violations(page, "my actions")
    for ref, status, text in (
            ("1.1.B", "Completed", "Dip-sampling is now part of every supervisor's monthly routine."),
            ("1.2.A", "Work Underway", "Contact contract screen live in two divisions; the third in May."),
            ("2.1.B", "Work Underway", "First focus group held with the Independent Advisory Group.")):
        card = page.locator("li.card", has=page.get_by_role("heading", name=re.compile(rf"^{re.escape(ref)} ")))
        card.get_by_label("Status").select_option(label=status)
        card.get_by_label("Current position").fill(text)
        card.get_by_role("button", name=f"Save {ref}").click()
        page.wait_for_url(f"{base}/plans/mine/*")
        assert page.get_by_role("status").get_by_text(f"{ref} updated: {status}.").is_visible()
    _shot(page, "owner-phone-my-actions")
    page.goto(f"{base}/plans/actions/{plan.dip_sample}/")
    _no_serious_violations(page, "action page")
    phone.close()

    desk = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    _log_in(page, base, "board_member-user", f"/plans/{plan.pk}/")
    page.get_by_label("Show changes since").select_option(label=f"{meeting.title}, {timezone.localdate().day} "
                                                                f"{timezone.localdate():%b %Y}")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(f"{base}/plans/{plan.pk}/?since={meeting.pk}*")
    row = page.locator("#plan-table tr", has_text="1.1.B")
    assert row.locator(".changed-flag").count() >= 2
    assert "Completed" in row.locator("td.progress").inner_text()
    for ref in ("1.2.A", "2.1.B"):
        assert page.locator("#plan-table tr", has_text=ref).locator(".changed-flag").count() >= 1
    changes = page.locator("#changes + .table-scroll table")
    assert changes.get_by_text("status: Work Underway \u2192 Completed").is_visible()
    assert changes.get_by_text("status: Not Started \u2192 Work Underway").is_visible()
    assert changes.get_by_text("action_owner-user").first.is_visible()
    assert page.locator("#plan-table tr", has_text="2.1.A").locator(".changed-flag").count() == 0
    _shot(page, "board-changes-since-meeting")
    _no_serious_violations(page, "plan with changes")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the board's Word table").click()
    assert download.value.suggested_filename.endswith(".docx")
    for path in ("/plans/", f"/plans/{plan.pk}/meetings/", f"/plans/meetings/{meeting.pk}/", "/plans/due/",
                 f"/plans/{plan.pk}/history/", "/plans/risks/"):
        page.goto(f"{base}{path}")
        _no_serious_violations(page, path)
    desk.close()


def test_the_analysts_pages_pass_axe(board_plan, live_server, chromium):
    plan, _ = board_plan
    base = live_server.url
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _log_in(page, base, "analyst-user", "/plans/import/")
    _no_serious_violations(page, "import")
    with page.expect_navigation():
        page.get_by_role("button", name="Read the file and show the preview").click()
    assert page.get_by_role("alert").is_visible()  # no file chosen: the error summary
    _no_serious_violations(page, "import with errors")
    page.goto(f"{base}/plans/import/{plan.preview}/")
    _no_serious_violations(page, "import preview")
    page.goto(f"{base}/plans/actions/{plan.dip_sample}/")
    page.locator("summary", has_text="Edit the details").click()
    _no_serious_violations(page, "action page for an analyst")
    _shot(page, "analyst-action-page")
