"""The pack's chart pictures: rendered in a separate process while the pack's pages are computed, and kept by
their spec's hash so a second pack (the Word file after the PDF, the monthly e-mails) draws none again.

vl-convert holds the interpreter lock while it draws, so threads draw one chart at a time and stop the
pages being computed meanwhile; worker processes (started fresh, not forked: vl-convert's JavaScript
runtime does not survive a fork) draw beside the main one. Two of them: the pack's pages now come from
the warmer in about half a second, so the PDF waited for the pictures one worker drew one after
another (6.2 s at 1,000,000 responses on the loaded two-core machine, 3.1 s with two workers). Each picture is a PNG at
twice the chart's size (about 180 dpi across the page), flattened onto white in the worker, so the PDF
writer has no transparency mask to encode.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor

logger = logging.getLogger(__name__)

CACHE_SIZE = 256  # pictures kept (about 250 KB each): several packs' worth
SCALE = 2
WORKERS = 2  # worker processes: the PDF waits for its pictures while one worker draws them all

_cache: OrderedDict[str, bytes] = OrderedDict()
_drawing: dict[str, Future] = {}  # pictures being drawn: asked for again, the same drawing is waited for
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_ready: list[Future] = []  # each worker's runtime started (the benchmark waits for them)
PARENT_CHECK_SECONDS = 2.0  # how often a worker looks whether the process that started it is still there


def spec_key(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def draw(spec: dict) -> bytes:
    """One chart as an RGB PNG (in whichever process calls it)."""
    from PIL import Image

    from citizenfocus.performance import charts

    png = charts.render(spec, "png")
    image = Image.open(io.BytesIO(png))
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        out = io.BytesIO()
        # quick to compress (the worker is the pack's critical path); the PDF holds this data as it is
        # (reports.pdf.png_image_data): a 2.5 MB pack at 1,000,000 responses where WeasyPrint's own
        # re-compression made 2.1 MB
        flat.save(out, "PNG", compress_level=1)
        png = out.getvalue()
    return png


def _worker_ready() -> bool:
    draw({"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "data": {"values": [{"x": 1}]},
          "mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"}}})
    return True


def _leave_with_parent(parent: int) -> None:
    """In a worker, as it starts: end it when the process that started it has gone. A server killed
    outright (SIGKILL, or SIGTERM where nothing handles it) cannot stop its workers, and a worker would
    then wait for work for ever: each worker holds the writing end of the task queue too, so none of them
    ever reads its end."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


def _executor() -> ProcessPoolExecutor | None:
    """The worker process, started once per server (None where processes cannot be started)."""
    global _pool
    with _lock:
        if _pool is None:
            try:
                _pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_leave_with_parent, initargs=(os.getpid(),))
                # their runtimes start while the first pages are computed
                _ready[:] = [_pool.submit(_worker_ready) for _ in range(WORKERS)]
            except (OSError, NotImplementedError) as exc:  # a sandbox without processes (PermissionError is an OSError)
                logger.warning("charts drawn in this process: no worker process (%s)", exc)
                _pool = False
        return _pool or None


def start() -> None:
    """Start the worker processes now (a command that will draw charts, before its own slow start-up)."""
    _executor()


def _remember(key: str, png: bytes) -> bytes:
    with _lock:
        _cache[key] = png
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return png


def picture(spec: dict) -> Future:
    """The chart's PNG, as a future: from the cache, or the drawing already under way, else drawn by the worker
    process (or here)."""
    key = spec_key(spec)
    with _lock:
        cached = _cache.get(key)
        under_way = _drawing.get(key)
    if cached is None and under_way is not None:
        return under_way
    done: Future = Future()
    if cached is not None:
        done.set_result(cached)
        return done
    pool = _executor()
    if pool is None:
        done.set_result(_remember(key, draw(spec)))
        return done
    try:
        drawing = pool.submit(draw, spec)
    except RuntimeError:  # the worker died (or the server is stopping): draw it here
        done.set_result(_remember(key, draw(spec)))
        return done
    with _lock:
        _drawing[key] = drawing

    def finished(f: Future) -> None:
        if not f.cancelled() and f.exception() is None:
            _remember(key, f.result())
        with _lock:
            if _drawing.get(key) is f:
                del _drawing[key]

    drawing.add_done_callback(finished)
    return drawing


def clear() -> None:
    with _lock:
        _cache.clear()
        _drawing.clear()


def worker_pids() -> list[int]:
    """The worker processes' ids (none when charts are drawn in this process)."""
    with _lock:
        return list(_pool._processes) if _pool else []


def shutdown() -> None:
    global _pool
    with _lock:
        if _pool:
            _pool.shutdown(wait=True)
        _pool = None
