"""Browser tests: the real server (`citizenfocus serve`) on a demo database, driven by Debian's Chromium.

The server runs as its own process, exactly as `make demo` runs it, so these
tests see what a person sees: waitress, whitenoise, the vendored charts.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DEMO_PASSWORD = "citizenfocus-demo"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _require_chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CITIZENFOCUS_TESTING", "DEBUG"}}
    env.update({"SECRET_KEY": "browser-tests-" + "x" * 40, "STATIC_ROOT": str(folder / "static"),
                "MEDIA_ROOT": str(folder / "media"),
                "AXES_FAILURE_LIMIT": "50", "SECURE_COOKIES": "0"})
    return env


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """A demo force served on a free port by `citizenfocus serve`; yields the base URL."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("browser-demo")
    db = folder / "demo.sqlite3"
    env = _server_env(folder)
    subprocess.run([sys.executable, "-m", "citizenfocus", "demo", "--no-serve", "--db", str(db), "--size", "8000"],
                   env=env, check=True, capture_output=True, timeout=600)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "citizenfocus", "serve", "--db", str(db), "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode()) from None
            time.sleep(0.5)
    yield base
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def log_in(browser, demo_server):
    """Open a new page logged in as a demo user: log_in('board') -> page."""
    contexts = []

    def login(username: str):
        context = browser.new_context(base_url=demo_server, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        assert "/accounts/login/" not in page.url, f"{username} could not log in"
        return page

    yield login
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def wait_for_charts(page) -> None:
    """Wait until every chart on the page has been drawn (charts.js marks each one), never on a timer."""
    page.wait_for_function(
        "[...document.querySelectorAll('[data-spec-id]')].every(el => el.dataset.drawn)", timeout=30000)


def axe_violations(page) -> list[dict]:
    """Serious or critical axe-core violations (WCAG 2.x A/AA rules) on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}})
    return [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]


def has_chromium() -> bool:
    return shutil.which("chromium") is not None
