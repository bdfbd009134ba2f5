"""The demo force with its survey, peer figures and action plan, committed once per module, and its pack."""

import pytest
from django.test import override_settings

from tests.conftest import remove_committed_data

DEMO_SIZE = 6000


@pytest.fixture(scope="module")
def demo_force(django_db_setup, django_db_blocker, tmp_path_factory):
    from citizenfocus.accounts.services import user_create_or_update
    from citizenfocus.areas.services import force_load
    from citizenfocus.demo import demo_force, write_survey_file
    from citizenfocus.demo.peers import peer_figure_rows
    from citizenfocus.demo.plan_demo import demo_plan_load
    from citizenfocus.performance import cube
    from citizenfocus.performance.services import peer_figures_store
    from citizenfocus.surveys.importing import survey_import

    folder = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media"):
        force_load(force=demo_force())
        path = folder / "uss.parquet"
        write_survey_file(path, "uss", size=DEMO_SIZE)
        survey_import(path=path, survey="uss", user_name="test", source="demo")
        peer_figures_store(user=None, rows=peer_figure_rows(periods=["rolling12:2013-03", "rolling12:2014-03"]))
        analyst, _ = user_create_or_update(username="analyst", password="a-long-test-password-1", role="analyst")
        owner, _ = user_create_or_update(username="owner", password="a-long-test-password-1", role="action_owner")
        demo_plan_load(analyst=analyst, owner=owner)
        cube.clear()
    yield
    with django_db_blocker.unblock():
        remove_committed_data()
        cube.clear()


@pytest.fixture(scope="module")
def force_pack(demo_force, django_db_blocker):
    """The whole force's pack for the 12 months to March 2014, charts rendered."""
    from citizenfocus.reports.build import PackRequest, board_pack

    with django_db_blocker.unblock():
        return board_pack(PackRequest(period="rolling12:2014-03"))
