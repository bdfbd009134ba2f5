"""`citizenfocus demo`: a fresh database gets the force, the responses and one user per role; twice changes nothing."""

import os
import sqlite3
import subprocess
import sys


def _demo(db, *extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CITIZENFOCUS_TESTING", "SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-m", "citizenfocus", "demo", "--no-serve", "--db", str(db), "--size", "2000", *extra],
        env={**env, "MEDIA_ROOT": str(db.parent / "media"), "STATIC_ROOT": str(db.parent / "static")},
        capture_output=True, text=True, timeout=300,
    )


def _counts(db):
    with sqlite3.connect(db) as con:
        return {
            table: con.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("areas_neighbourhood", "surveys_response", "auth_user", "accounts_profile", "plans_plan",
                          "plans_action", "performance_peerfigure", "communities_kinmember", "public_release")
        }


def test_demo_loads_the_force_and_running_it_twice_duplicates_nothing(tmp_path):
    db = tmp_path / "demo.sqlite3"
    first = _demo(db)
    assert first.returncode == 0, first.stderr
    assert "analyst" in first.stdout and "board_member" in first.stdout
    counts = _counts(db)
    assert counts["areas_neighbourhood"] == 60
    assert counts["surveys_response"] == 2000 + 12000 + 6000 + 5760  # USS, confidence, perception, KIN
    assert "perception: 6000 responses" in first.stdout and "kin: 5760 responses" in first.stdout
    assert counts["auth_user"] == 8 and counts["accounts_profile"] == 8
    # the action plan, the stop and search equality impact assessment's plan with its one action, and the
    # advisory group's plan of recommendations
    assert counts["plans_plan"] == 3 and counts["plans_action"] == 11 and counts["performance_peerfigure"] == 105
    assert counts["communities_kinmember"] == 12 and counts["public_release"] == 1
    second = _demo(db)
    assert second.returncode == 0, second.stderr
    assert "0 new, 0 changed, 2000 unchanged" in second.stdout
    assert _counts(db) == counts
    assert (tmp_path / ".citizenfocus-secret-key").exists()


def test_demo_refuses_a_tiny_size_with_one_line(tmp_path):
    result = _demo(tmp_path / "x.sqlite3", "--size", "5")
    assert result.returncode != 0
    assert result.stderr.strip() == "error: --size must be at least 100 responses"
