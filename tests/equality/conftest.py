"""The demo force's areas, and its equality files written to a temporary folder."""

import pytest

from citizenfocus.demo.census import write_boundaries, write_census_files
from citizenfocus.demo.stop_search import write_stop_search_files


@pytest.fixture
def demo_areas(db):
    from citizenfocus.areas.services import force_load
    from citizenfocus.demo import demo_force

    force, _ = force_load(force=demo_force())
    return force


@pytest.fixture(scope="session")
def equality_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("equality")
    files = write_census_files(folder)
    files["boundaries"] = write_boundaries(folder / "neighbourhoods.geojson")
    files["stop_search"] = write_stop_search_files(folder, months=2)
    return files


@pytest.fixture
def loaded(demo_areas, equality_files):
    """Census, lookup, boundaries and two months of stop and search, through the real imports."""
    from citizenfocus.equality.boundaries import boundaries_import
    from citizenfocus.equality.census import census_import, lookup_import
    from citizenfocus.equality.stop_search import stop_search_import

    census_import(path=equality_files["ethnic"], who_name="test")
    census_import(path=equality_files["age_sex"], who_name="test")
    lookup_import(path=equality_files["lookup"], who_name="test")
    boundaries_import(path=equality_files["boundaries"], level="neighbourhood", who_name="test")
    stop_search_import(paths=equality_files["stop_search"], who_name="test")
    return equality_files


@pytest.fixture(scope="module")
def demo_equality(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo force with its surveys and two months of its equality data, committed once per module."""
    from citizenfocus.areas.services import force_load
    from citizenfocus.demo import demo_force, write_survey_file
    from citizenfocus.equality.demo import demo_equality_load
    from citizenfocus.performance import cube
    from citizenfocus.surveys.importing import survey_import
    from tests.conftest import remove_committed_data

    folder = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock():
        force_load(force=demo_force())
        for survey, size in (("uss", 6000), ("confidence", None)):
            path = folder / f"{survey}.parquet"
            write_survey_file(path, survey, size=size)
            survey_import(path=path, survey=survey, user_name="test", source="demo")
        demo_equality_load(months=2)
        cube.clear()
    yield
    with django_db_blocker.unblock():
        remove_committed_data()
        cube.clear()
