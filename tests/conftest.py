import os

os.environ.setdefault("CITIZENFOCUS_TESTING", "1")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# No time limit on one example: Hypothesis's default (200 ms) is a wall-clock assertion, and a loaded
# machine (CI shares its cores) fails a correct property with DeadlineExceeded.
settings.register_profile("citizenfocus", deadline=None)
settings.load_profile("citizenfocus")

ROLES = ("administrator", "analyst", "action_owner", "board_member", "inspector", "supervisor", "officer",
         "no_access")
PASSWORD = "a-long-test-password-1"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """A test that reads data a module fixture committed (the demo force) uses the database, whether or
    not it asks for `db` itself: it is marked so.

    pytest-django creates the test database only when a selected test is marked as using it, so such a
    test selected alone (`-k`) found no tables, and it was sorted after every database test, away from
    its module (whose fixture then stored the demo force a second time). Before pytest-django's own hook,
    which sorts by this mark.
    """
    wanting = {"db", "transactional_db", "live_server"}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "django_db_setup" in names and not names & wanting and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture
def make_user(db):
    from citizenfocus.accounts.services import user_create_or_update

    def make(role: str, username: str | None = None):
        user, _ = user_create_or_update(username=username or f"{role}-user", password=PASSWORD, role=role)
        return user

    return make


@pytest.fixture
def users(make_user):
    """One user per role: the personas every web test uses."""
    return {role: make_user(role) for role in ROLES}


@pytest.fixture
def small_force(db):
    """A force with two divisions, three neighbourhoods and a ward each."""
    from citizenfocus.areas.models import Division, Force, Neighbourhood, Ward

    force = Force.objects.create(name="Testshire Police", code="testshire")
    north = Division.objects.create(force=force, name="North", code="north")
    south = Division.objects.create(force=force, name="South", code="south")
    hoods = [
        Neighbourhood.objects.create(division=north, name="Hightown Central", code="hightown-central"),
        Neighbourhood.objects.create(division=north, name="Hightown East", code="hightown-east"),
        Neighbourhood.objects.create(division=south, name="Lowford", code="lowford"),
    ]
    for hood in hoods:
        Ward.objects.create(neighbourhood=hood, name=f"{hood.name} Ward", code="E0500000" + str(hood.pk))
    return force


def remove_committed_data() -> None:
    """Empty every table after a module that committed data outside the per-test transactions.

    Django's flush (what TransactionTestCase does), so an append-only record that protects its
    survey (an erasure, a purge, an access log) never blocks the clean-up. Flush restarts the ids,
    so the dashboard's in-process caches (keyed by import ids) are emptied with it.
    """
    from django.core.management import call_command

    from citizenfocus.performance import cube, memo

    call_command("flush", interactive=False, verbosity=0)
    cube.clear()
    memo.results.clear()
    memo.fragments.clear()
