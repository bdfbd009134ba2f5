import os
import subprocess
import sys

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_without_login_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_does_not_answer(rf, monkeypatch):
    from django.db import connection
    from django.db.utils import OperationalError

    from citizenfocus.core.views import healthz

    def broken():
        raise OperationalError("no such database")

    monkeypatch.setattr(connection, "cursor", broken)
    response = healthz(rf.get("/healthz"))
    assert response.status_code == 503


def _settings_with(env: dict, folder) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "CITIZENFOCUS_TESTING"}}
    return subprocess.run(
        [sys.executable, "-c", "import citizenfocus.settings"],
        env={**clean, "DATABASE_URL": f"sqlite:///{folder}/citizenfocus.sqlite3", **env},
        capture_output=True, text=True, timeout=60,
    )


def test_it_refuses_to_start_with_debug_off_and_the_default_secret(tmp_path):
    result = _settings_with({}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr
    assert "run `citizenfocus demo` once to make a key beside the SQLite database" in result.stderr


def test_it_starts_with_the_key_beside_its_sqlite_database(tmp_path):
    (tmp_path / ".citizenfocus-secret-key").write_text("k" * 50, encoding="utf-8")
    assert _settings_with({}, tmp_path).returncode == 0


def test_it_starts_with_a_secret_or_in_debug(tmp_path):
    assert _settings_with({"SECRET_KEY": "x" * 50}, tmp_path).returncode == 0
    assert _settings_with({"DEBUG": "1"}, tmp_path).returncode == 0


def test_the_database_comes_from_database_url():
    script = "import citizenfocus.settings as s; print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DATABASE_URL": "postgres://u@db.example:5432/force", "DEBUG": "1"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "force"]
