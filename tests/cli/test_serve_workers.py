"""`citizenfocus serve --workers N`: several server processes (gunicorn), each answering; behind a trusted
proxy each client's own address is seen, and no one else's header is believed."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from citizenfocus.serving import ForwardedFor, bind_address

from .test_secret_key_cli import CLEAN, _free_port, _run


def _children(pid: int) -> list[int]:
    """The server's child processes, from each of its threads' /proc entry (a thread may end meanwhile)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker processes from /proc (Linux)")
def test_serve_with_workers_runs_that_many_processes_that_all_answer(tmp_path):
    demo = _run(tmp_path, "demo", "--no-serve", "--size", "100")
    assert demo.returncode == 0, demo.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "citizenfocus", "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        cwd=tmp_path, env={**CLEAN, "SECURE_COOKIES": "0"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        banner = server.stdout.readline()  # printed by the master once it listens
        assert "citizenfocus serving on http://127.0.0.1:" in banner and "2 processes × 2 threads" in banner
        while len(_children(server.pid)) < 2 and server.poll() is None:  # wait on the condition, not on time
            time.sleep(0.05)  # between looks, so the loop leaves the cores to the workers it waits for
        assert len(_children(server.pid)) == 2
        statuses = []
        while len(statuses) < 20 and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
                    statuses.append(answer.status)
            except urllib.error.URLError as exc:  # a worker still loading the application
                if not isinstance(exc.reason, ConnectionRefusedError):
                    raise
        assert statuses == [200] * 20
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert server.returncode == 0


def test_only_the_trusted_proxy_sets_the_clients_address():
    seen = {}

    def app(environ, start_response):
        seen["addr"] = environ["REMOTE_ADDR"]
        return []

    wrapped = ForwardedFor(app, "10.0.0.1")
    wrapped({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}, None)
    assert seen["addr"] == "203.0.113.9"  # the hop the proxy itself added
    wrapped({"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, None)
    assert seen["addr"] == "198.51.100.7"
    wrapped({"REMOTE_ADDR": "10.0.0.1"}, None)
    assert seen["addr"] == "10.0.0.1"


def test_an_ipv6_address_is_bound_in_brackets():
    assert bind_address("::1", 8000) == "[::1]:8000"
    assert bind_address("0.0.0.0", 8080) == "0.0.0.0:8080"


def test_workers_below_one_are_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "citizenfocus", "serve", "--workers", "0"], cwd=tmp_path,
                            env={**os.environ}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "--workers" in result.stderr
