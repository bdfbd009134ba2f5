"""The demo force, committed once per module, so the engine's own connection sees it."""

import pytest

from tests.conftest import remove_committed_data

DEMO_SIZE = 6000


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    from citizenfocus.areas.services import force_load
    from citizenfocus.demo import demo_force, write_survey_file
    from citizenfocus.performance import cube
    from citizenfocus.surveys.importing import survey_import

    folder = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock():
        force_load(force=demo_force())
        for survey, size in (("uss", DEMO_SIZE), ("confidence", None)):
            path = folder / f"{survey}.parquet"
            write_survey_file(path, survey, size=size)
            survey_import(path=path, survey=survey, user_name="test", source="demo")
        cube.clear()
    yield
    with django_db_blocker.unblock():
        remove_committed_data()
        cube.clear()
