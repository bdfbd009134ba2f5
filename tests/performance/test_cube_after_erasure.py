"""An erasure changes stored responses without an import: the dashboard's aggregate must not keep counting
the erased respondent (the cube's version includes the newest erasure and purge)."""

import pytest

from citizenfocus.performance import cube
from citizenfocus.surveys.models import Response, Survey
from citizenfocus.surveys.respondents import respondent_erase


@pytest.fixture(scope="module")
def erased(demo_data, django_db_blocker):
    """One respondent erased, committed, so the engine's own connection no longer sees them."""
    with django_db_blocker.unblock():
        survey = Survey.objects.get(key="uss")
        before = cube.get_cube("uss")
        victim = Response.objects.filter(survey=survey).order_by("pk").first()
        respondent_erase(survey=survey, response_id=victim.response_id, reason="erasure request (test)",
                         who_name="test")
    yield before


@pytest.mark.django_db
def test_the_next_page_reads_figures_without_the_erased_respondent(erased):
    after = cube.get_cube("uss")
    assert after.version != erased.version
    assert after.version[0] == erased.version[0]  # no import happened
    assert after.design_size == erased.design_size - 1
