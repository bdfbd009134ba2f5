"""`make demo` and `make serve`: progress while installing, another port when asked, as the README says."""

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(*args) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # -B: every step, as on a fresh clone (nothing is run: -n only prints the commands).
    return subprocess.run(["make", "-n", "-B", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_make_demo_installs_with_progress_not_silently():
    commands = _dry_run("demo")
    installs = [line for line in commands.splitlines() if "pip" in line and " install " in line]
    assert installs and all(" -q" not in line and "--quiet" not in line for line in installs)
    assert "Installing citizenfocus and its packages" in commands
    for line in installs:  # pip itself accepts every option where the Makefile puts it (a fresh clone runs it)
        words = shlex.split(line)
        options = words[words.index("-m") + 2:]
        kept = options[:next(i for i, w in enumerate(options) if w in ("-r", "-e", "--no-deps"))]
        checked = subprocess.run([sys.executable, "-m", "pip", *kept, "--help"], capture_output=True, text=True)
        assert checked.returncode == 0, f"{line}: {checked.stderr.strip()}"


def test_make_demo_and_serve_take_another_port():
    assert "citizenfocus demo --port 8123" in _dry_run("demo", "PORT=8123")
    assert "citizenfocus serve --host 0.0.0.0 --port 8080" in _dry_run("serve", "HOST=0.0.0.0", "PORT=8080")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo PORT=8080" in readme and "make serve PORT=8080" in readme
