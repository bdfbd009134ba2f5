"""After `citizenfocus demo`, every other command against the same database finds the key demo made.

Each command runs as a person runs it after `make demo`: in the folder of the database, with no
SECRET_KEY, DEBUG or DATABASE_URL in the environment.
"""

import os
import socket
import subprocess
import sys
import urllib.request

import pytest

pytestmark = pytest.mark.slow
CLEAN = {k: v for k, v in os.environ.items()
         if k not in {"DATABASE_URL", "CITIZENFOCUS_TESTING", "SECRET_KEY", "DEBUG"}}


def _run(folder, *args, timeout=300):
    return subprocess.run([sys.executable, "-m", "citizenfocus", *args], cwd=folder, env=CLEAN,
                          capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_until_healthy(folder, port: int) -> tuple[int, str]:
    """`citizenfocus serve` (what `make serve` runs), until /healthz answers or the server exits."""
    server = subprocess.Popen([sys.executable, "-m", "citizenfocus", "serve", "--port", str(port)], cwd=folder,
                              env=CLEAN, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        banner = server.stdout.readline()  # printed once the app is loaded, just before it listens
        status = None
        while status is None and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
                    status = answer.status
            except ConnectionRefusedError:
                continue
            except urllib.error.URLError as exc:
                if not isinstance(exc.reason, ConnectionRefusedError):
                    raise
        return status or server.returncode, banner
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_serve_import_plan_and_export_plan_find_the_key_demo_made(tmp_path):
    demo = _run(tmp_path, "demo", "--no-serve", "--size", "100")
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / ".citizenfocus-secret-key").exists()

    exported = _run(tmp_path, "export-plan", "1", "--format", "csv", "--output", "plan.csv")
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8-sig").startswith("Ref")

    docx = tmp_path / "plan.docx"
    assert _run(tmp_path, "export-plan", "1", "--output", str(docx)).returncode == 0
    dry_run = _run(tmp_path, "import-plan", str(docx), "--dry-run")
    assert dry_run.returncode == 0, dry_run.stderr
    assert "SECRET_KEY" not in dry_run.stderr

    status, banner = _serve_until_healthy(tmp_path, _free_port())
    assert status == 200, banner
    assert "citizenfocus serving on http://127.0.0.1:" in banner


def test_a_database_with_no_key_beside_it_gets_one_clear_line(tmp_path):
    result = _run(tmp_path, "export-plan", "1", "--db", str(tmp_path / "elsewhere.sqlite3"))

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: SECRET_KEY is not set and DEBUG is off: set SECRET_KEY in the environment, or run `citizenfocus demo` "
        "once to make a key beside the SQLite database (DEBUG=1 on a development machine)"]
