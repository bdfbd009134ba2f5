"""Computed pages shared between server processes: Django's cache `pages` (a file cache by default).

`citizenfocus serve --workers N` runs N processes, each with its own memo of pages (memo.py). Without a
shared layer each process computes every page and filter combination itself the first time it is asked;
with it, the first process to compute a page stores it here and the others read it (a pickle from a
file: milliseconds, where computing a page can take hundreds). The in-process memo stays in front, so a
warm request never touches the cache.

Keys: the page's own memo key (page, survey, data version, analysts' records, filters), the database's
persisted-cube stamp (`CubeLayout.refreshed_at`, rewritten by every import, erasure and purge), so a
rebuilt database whose import numbers repeat never reads another database's pages, and the code's stamp
(`code_stamp`: a digest of the package's own files), so a server restarted on an upgraded version computes
its pages anew instead of serving pages (their words, their charts) the old version made. A cache that cannot be
read or written (a full disk, a value that does not pickle) is logged and the page computed as before.

Computed once: a page missing from the cache is computed under an exclusive lock on a file named after
its key (`locks/` in the cache's directory, fcntl.flock), and the cache read again once the lock is held.
So when every process's warmer (or several readers) asks for the same page at the same moment, one
process computes it and the others wait for it and read it, instead of all computing it at once on the
same cores. A lock that cannot be taken (no fcntl, a directory that cannot be written) is skipped.
The lock file is removed as its holder releases it, so files do not pile up with every data version: a
process still waiting on the removed file then reads the page the holder stored, and one arriving after
the removal finds the page in the cache before it looks for a lock (at worst, when the holder stored
nothing, two processes compute the page at once: the lock only saves work, it guards no data).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError

logger = logging.getLogger(__name__)
ALIAS = "pages"
TIMEOUT = 7 * 24 * 3600  # a week: a new data version makes new keys, so old entries only age out


@functools.cache
def code_stamp() -> str:
    """A digest of the installed package's Python files and templates (names and contents): any upgrade or
    change of the code changes it. Read once per process (a few MB, milliseconds)."""
    root = Path(__file__).resolve().parents[1]  # the citizenfocus package
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".html", ".toml", ".txt"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stamp(survey_key: str) -> str:
    """When the survey's persisted cube was last refreshed (every import, erasure and purge rewrites it)."""
    from citizenfocus.surveys.models import CubeLayout

    refreshed = (CubeLayout.objects.filter(survey__key=survey_key).order_by("-refreshed_at")
                 .values_list("refreshed_at", flat=True).first())
    return refreshed.isoformat() if refreshed else ""


def _cache():
    try:
        return caches[ALIAS]
    except InvalidCacheBackendError:  # a settings module without the alias: no sharing
        return None
    except OSError:  # its directory cannot be made (a file in the way, no permission): no sharing
        logger.warning("shared page cache unusable", exc_info=True)
        return None


@contextlib.contextmanager
def _computing(cache, digest: str):
    """An exclusive lock on this key for every process sharing the file cache (none for other backends)."""
    directory = getattr(cache, "_dir", None)
    try:
        import fcntl
    except ImportError:  # Windows: one server process there (waitress), nothing to wait for
        fcntl = None
    handle = path = None
    if directory and fcntl is not None:
        try:
            locks = Path(directory) / "locks"
            locks.mkdir(parents=True, exist_ok=True)
            path = locks / f"{digest}.lock"
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            logger.warning("shared page cache lock not taken", exc_info=True)
            if handle is not None:
                os.close(handle)
            handle = None
    try:
        yield
    finally:
        if handle is not None:
            with contextlib.suppress(OSError):  # removed already by an earlier holder of the same file
                path.unlink()
            os.close(handle)  # closing the descriptor releases the lock


def _read(cache, name: str, kind: str):
    try:
        return cache.get(name)
    except Exception:  # a damaged or unreadable cache file: compute instead
        logger.warning("shared page cache unreadable for %s", kind, exc_info=True)
        return None


def get_or_make(kind: str, key: str, survey_key: str, make: Callable):
    """The value stored under (kind, key, the survey's stamp) by any process, else make() stored there
    (computed by one process at a time: the others wait for it and read it)."""
    cache = _cache()
    if cache is None:
        return make()
    digest = hashlib.sha256(f"{key}|{stamp(survey_key)}|{code_stamp()}".encode()).hexdigest()
    name = f"{kind}:{digest}"
    value = _read(cache, name, kind)
    if value is not None:
        return value
    with _computing(cache, f"{kind}-{digest}"):
        value = _read(cache, name, kind)  # computed by another process while this one waited
        if value is not None:
            return value
        value = make()
        _store(cache, name, value, kind)
    return value


def _store(cache, name: str, value, kind: str) -> None:
    try:
        cache.set(name, value, TIMEOUT)
    except Exception:  # a full disk, a value that does not pickle: the page is still served
        logger.warning("shared page cache not written for %s", kind, exc_info=True)
