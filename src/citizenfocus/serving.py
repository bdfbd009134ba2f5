"""Serving the web app: one process (waitress, threads) or several (gunicorn, `--workers N`).

Each process keeps its own memo of the dashboard's cubes and pages; they all read the same
persisted monthly sums (engine/stored.py), so a new process answers its first page from
thousands of stored cells, not from the responses.
"""

from __future__ import annotations

import sys


class ForwardedFor:
    """WSGI middleware: behind the one trusted reverse proxy, the client's address is the last hop the
    proxy added to X-Forwarded-For (what waitress does with trusted_proxy_count=1). Requests from any
    other peer keep their own address, whatever header they send."""

    def __init__(self, app, proxy: str):
        self.app = app
        self.proxy = proxy

    def __call__(self, environ, start_response):
        if environ.get("REMOTE_ADDR") == self.proxy:
            hops = [hop.strip() for hop in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            if hops:
                environ["REMOTE_ADDR"] = hops[-1]
        return self.app(environ, start_response)


def _application(trusted_proxy: str):
    """The WSGI application with the dashboard's warmer started in this process."""
    from citizenfocus.performance.warm import start_warmer
    from citizenfocus.wsgi import application

    start_warmer()
    return ForwardedFor(application, trusted_proxy) if trusted_proxy else application


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def serve_processes(*, host: str, port: int, workers: int, threads: int, trusted_proxy: str = "",
                    on_ready=None) -> None:
    """gunicorn: a master process and `workers` processes of `threads` threads each (gthread), every
    worker loading the application itself (no database connection is shared across a fork)."""
    if sys.platform == "win32":
        raise RuntimeError("--workers above 1 needs gunicorn, which runs on Linux and macOS; on Windows serve "
                           "one process (--workers 1) or run several behind a load balancer")
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            options = {
                "bind": [bind_address(host, port)], "workers": workers, "threads": threads,
                "worker_class": "gthread", "proc_name": "citizenfocus", "accesslog": None,
                "timeout": 120, "graceful_timeout": 30, "loglevel": "warning",
                # X-Forwarded-Proto believed from the trusted proxy only (and no one when there is none)
                "forwarded_allow_ips": trusted_proxy or "", "proxy_allow_ips": trusted_proxy or "",
            }
            if on_ready is not None:
                options["when_ready"] = lambda server: on_ready()
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return _application(trusted_proxy)

    Server().run()


def serve_threads(*, host: str, port: int, threads: int, trusted_proxy: str = "") -> None:
    """waitress: one process of `threads` threads."""
    from waitress import serve as waitress_serve

    proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_count": 1,
             "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}} if trusted_proxy else {}
    waitress_serve(_application(""), host=host, port=port, threads=threads, ident="citizenfocus", **proxy)
