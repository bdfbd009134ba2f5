"""Production hardening: the documented production settings pass `check --deploy`; a strict
Content-Security-Policy the pages keep to; HTTPS settings from the environment; sessions that end;
log-in locked by user name and throttled by address; 403s logged as one line."""

import io
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

SRC = Path(__file__).resolve().parents[2] / "src" / "citizenfocus"
# The production environment of docs/administration.md, with a database of the test's own.
PRODUCTION = {
    "SECRET_KEY": "a-production-secret-" + "q7Zp" * 12, "ALLOWED_HOSTS": "performance.force.example",
    "CSRF_TRUSTED_ORIGINS": "https://performance.force.example", "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto", "TRUSTED_PROXY": "127.0.0.1",
}


# The test run's own settings; DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest for Playwright,
# so it is in this process's environment whenever those tests were collected, and never in production.
NOT_PRODUCTION = {"DEBUG", "SECRET_KEY", "CITIZENFOCUS_TESTING", "DATABASE_URL", "SECURE_COOKIES",
                  "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _python(code: str, env: dict, folder) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_PRODUCTION}
    return subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120,
                          env={**clean, "DATABASE_URL": f"sqlite:///{folder}/prod.sqlite3",
                               "DJANGO_SETTINGS_MODULE": "citizenfocus.settings", **env})


def _setting(name: str, env: dict, folder):
    result = _python(f"from django.conf import settings as s; import django; django.setup(); print(repr(s.{name}))",
                     env, folder)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout.strip())  # noqa: S307 - our own repr()


def test_check_deploy_is_clean_under_the_documented_production_settings(tmp_path):
    result = _python("import django, sys; from django.core.management import call_command; django.setup(); "
                     "call_command('check', '--deploy', '--fail-level', 'WARNING')", PRODUCTION, tmp_path)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
    doc = (SRC.parents[1] / "docs" / "administration.md").read_text(encoding="utf-8")
    for name, value in PRODUCTION.items():
        if name not in {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}:
            assert f"export {name}={value}" in doc, f"docs/administration.md does not set {name}={value}"


def test_https_settings_come_from_the_environment_and_cookies_are_secure_unless_debug(tmp_path):
    assert _setting("SESSION_COOKIE_SECURE", {"SECRET_KEY": "x" * 50}, tmp_path) is True
    assert _setting("CSRF_COOKIE_SECURE", {"SECRET_KEY": "x" * 50}, tmp_path) is True
    assert _setting("SESSION_COOKIE_SECURE", {"DEBUG": "1"}, tmp_path) is False
    assert _setting("SESSION_COOKIE_SECURE", {"SECRET_KEY": "x" * 50, "SECURE_COOKIES": "0"}, tmp_path) is False
    assert _setting("SECURE_PROXY_SSL_HEADER", PRODUCTION, tmp_path) == ("HTTP_X_FORWARDED_PROTO", "https")
    assert _setting("SECURE_HSTS_SECONDS", PRODUCTION, tmp_path) == 31536000
    assert _setting("SECURE_SSL_REDIRECT", PRODUCTION, tmp_path) is True
    assert _setting("SECURE_SSL_REDIRECT", {"SECRET_KEY": "x" * 50}, tmp_path) is False


# Content-Security-Policy ------------------------------------------------------------------------

@pytest.mark.django_db
def test_every_page_is_sent_with_a_strict_content_security_policy(client, users):
    client.force_login(users["analyst"])

    policy = client.get(reverse("home"))["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy


def _templates() -> list[Path]:
    return [p for p in SRC.rglob("templates/**/*.html")]


def test_no_template_has_inline_script_or_style_that_the_policy_would_block():
    problems = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                problems.append(f"{path.name}: inline {tag}")
        if re.search(r"<style\b", text):
            problems.append(f"{path.name}: a <style> element")
        if re.search(r"\sstyle=", text):
            problems.append(f"{path.name}: a style= attribute")
        if re.search(r"\son[a-z]+=", text) or "javascript:" in text:
            problems.append(f"{path.name}: an inline event handler")
    assert not problems, problems


def test_charts_draw_without_eval_under_the_policy():
    charts = (SRC / "core" / "static" / "citizenfocus" / "charts.js").read_text(encoding="utf-8")
    page = (SRC / "performance" / "templates" / "performance" / "page.html").read_text(encoding="utf-8")
    assert "ast: true" in charts  # vega-embed then uses vega.expressionInterpreter, not Function()
    assert page.index("vega-interpreter.js") > page.index("vega.min.js")
    assert (SRC / "core" / "static" / "citizenfocus" / "vendor" / "vega-interpreter.js").exists()


# Sessions ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_idle_session_ends_and_a_busy_one_does_not(client, users, settings):
    client.force_login(users["analyst"])
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["citizenfocus_seen"] = int(time.time()) - settings.CITIZENFOCUS_SESSION_IDLE_MINUTES * 60 + 120
    session.save()
    assert client.get(reverse("home")).status_code == 200  # seen two minutes inside the limit: still in

    session = client.session
    session["citizenfocus_seen"] = int(time.time()) - settings.CITIZENFOCUS_SESSION_IDLE_MINUTES * 60 - 1
    session.save()
    response = client.get(reverse("home"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302  # logged out, not just redirected once


def test_sessions_are_short():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 8 * 3600 and settings.CITIZENFOCUS_SESSION_IDLE_MINUTES == 30


# Log-in: locked by user name, throttled by address ---------------------------------------------------

def _login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_a_user_name_is_locked_wherever_the_failures_come_from(client, users):
    for n in range(5):
        _login(client, "analyst-user", "wrong", f"10.0.0.{n}")

    assert _login(client, "analyst-user", PASSWORD, "10.0.0.99").status_code == 429
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_other_users_behind_the_same_proxy_address_are_not_locked_out(client, users):
    for _ in range(5):
        _login(client, "analyst-user", "wrong", "192.0.2.1")

    response = _login(client, "board_member-user", PASSWORD, "192.0.2.1")

    assert response.status_code == 302 and client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_one_address_failing_with_many_names_is_throttled(client, users, settings):
    from django.core.cache import cache

    cache.clear()
    settings.CITIZENFOCUS_LOGIN_ADDRESS_LIMIT = 8
    for n in range(8):
        assert _login(client, f"guess-{n}", "wrong", "198.51.100.7").status_code == 200

    throttled = _login(client, "analyst-user", PASSWORD, "198.51.100.7")
    elsewhere = _login(client, "analyst-user", PASSWORD, "198.51.100.8")

    assert throttled.status_code == 429 and "Too many failed log-ins from your address" in throttled.content.decode()
    assert elsewhere.status_code == 302
    cache.clear()


# Logging ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_403_is_logged_as_one_line_without_a_traceback(client, users):
    [console] = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    # Swapped by hand: setStream() would flush the old stream, which a command-line test may have closed.
    stream, old = io.StringIO(), console.stream
    console.stream = stream
    try:
        client.force_login(users["board_member"])
        assert client.get(reverse("surveys:import")).status_code == 403
    finally:
        console.stream = old

    lines = stream.getvalue().splitlines()
    assert lines == ["Forbidden (Permission denied): /data/import/"]


def test_a_server_error_keeps_its_traceback():
    from citizenfocus.core.logging import ClientErrorsOnOneLine

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (),
                                   sys.exc_info())
    record.status_code = 500
    ClientErrorsOnOneLine().filter(record)
    assert record.exc_info is not None
