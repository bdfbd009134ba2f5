"""Pages shared between server processes (performance/shared.py): a page computed by one process is read by
another from the shared cache, not computed again; a new import (a new data version and cube stamp) computes
it anew; and an unusable cache never stops a page being served."""

import pytest

from citizenfocus.performance import memo, shared
from citizenfocus.performance import warm as warming
from citizenfocus.performance.cube import get_cube
from citizenfocus.performance.pages.base import Filters

pytestmark = pytest.mark.usefixtures("demo_data")


@pytest.fixture
def file_cache(settings, tmp_path):
    settings.CACHES = {**settings.CACHES, "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "pages")}}
    memo.results.clear()
    yield tmp_path / "pages"
    memo.results.clear()


def _filters(cube):
    return Filters(survey="uss", measure=cube.definition.overall_measure, period="", crime_type=None,
                   division=None, neighbourhood=None)


def _counting(monkeypatch):
    calls = []
    builder = warming.PAGES["overview"]

    def counted(cube, filters, **kwargs):
        calls.append(filters)
        return builder[0](cube, filters, **kwargs)

    monkeypatch.setitem(warming.PAGES, "overview", (counted, builder[1]))
    return calls


def test_a_page_computed_by_one_process_is_read_by_another(file_cache, monkeypatch, db):
    calls = _counting(monkeypatch)
    cube = get_cube("uss")
    key, first = warming.page_result("overview", cube, _filters(cube))
    assert len(calls) == 1 and any(file_cache.iterdir())

    memo.results.clear()  # another process: its own memo is empty, the cache directory is the same
    again_key, again = warming.page_result("overview", cube, _filters(cube))

    assert len(calls) == 1, "the second process computed the page again"
    assert again_key == key and again is not first
    assert again.as_dict() == first.as_dict()


def test_a_new_cube_stamp_computes_the_page_anew(file_cache, monkeypatch, db):
    from django.utils import timezone

    from citizenfocus.surveys.models import CubeLayout

    calls = _counting(monkeypatch)
    cube = get_cube("uss")
    warming.page_result("overview", cube, _filters(cube))
    before = shared.stamp("uss")
    CubeLayout.objects.filter(survey__key="uss").update(refreshed_at=timezone.now())  # as an import does
    memo.results.clear()

    warming.page_result("overview", cube, _filters(cube))

    assert shared.stamp("uss") != before and len(calls) == 2


def test_a_server_on_upgraded_code_computes_the_page_anew(file_cache, monkeypatch, db):
    """Pages stored by the previous version (its words, its charts) are not served by the next one."""
    calls = _counting(monkeypatch)
    cube = get_cube("uss")
    warming.page_result("overview", cube, _filters(cube))
    memo.results.clear()  # the server restarted...
    monkeypatch.setattr(shared, "code_stamp", lambda: "the next version")  # ...on upgraded code

    warming.page_result("overview", cube, _filters(cube))

    assert len(calls) == 2


def test_the_code_stamp_is_of_the_package_files():
    stamp = shared.code_stamp()
    assert len(stamp) == 16 and stamp == shared.code_stamp()


def test_an_unusable_cache_still_serves_the_page(settings, tmp_path, monkeypatch, db):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    settings.CACHES = {**settings.CACHES, "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(blocker)}}
    memo.results.clear()
    calls = _counting(monkeypatch)
    cube = get_cube("uss")

    _, result = warming.page_result("overview", cube, _filters(cube))

    assert len(calls) == 1 and result.tables
    memo.results.clear()


def test_a_page_asked_for_while_another_process_computes_it_is_computed_once(file_cache, monkeypatch, db):
    """The second asker waits on the key's lock file and reads what the first stored (two threads here: an
    flock on separately opened files excludes them as it excludes two processes)."""
    import fcntl
    import threading

    monkeypatch.setattr(shared, "stamp", lambda survey_key: "stamp")
    real_flock, lockers = fcntl.flock, []
    second_locking, first_computing, release = threading.Event(), threading.Event(), threading.Event()

    def flock(fd, operation):
        lockers.append(threading.current_thread().name)
        if len(lockers) == 2:
            second_locking.set()
        return real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    made, got = [], {}

    def make(name):
        def compute():
            made.append(name)
            if name == "first":
                first_computing.set()
                assert release.wait(60), "never released"
            return {"made by": name}
        return compute

    def ask(name):
        got[name] = shared.get_or_make("page", "the same key", "uss", make(name))

    first = threading.Thread(target=ask, args=("first",), name="first")
    first.start()
    assert first_computing.wait(60)
    second = threading.Thread(target=ask, args=("second",), name="second")
    second.start()
    assert second_locking.wait(60), "the second asker computed without waiting for the lock"
    release.set()
    first.join(60)
    second.join(60)

    assert made == ["first"]
    assert got == {"first": {"made by": "first"}, "second": {"made by": "first"}}
    assert lockers == ["first", "second"]
    assert not list((file_cache / "locks").iterdir()), "a lock file was left behind"


def test_lock_files_do_not_pile_up_with_data_versions(file_cache, monkeypatch, db):
    """Every import makes new keys: each key's lock file goes once its page is stored."""
    stamps = iter(["first import", "second import", "third import"])
    monkeypatch.setattr(shared, "stamp", lambda survey_key: next(stamps))
    for _ in range(3):
        shared.get_or_make("page", "the overview", "uss", lambda: {"a": 1})

    assert (file_cache / "locks").is_dir() and not list((file_cache / "locks").iterdir())
