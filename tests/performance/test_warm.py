import pytest

from citizenfocus.performance import memo
from citizenfocus.performance.pages import PAGES
from citizenfocus.performance.warm import warm_survey

pytestmark = pytest.mark.usefixtures("demo_data")


def test_warming_computes_every_pages_default_view_before_anyone_asks(client, users):
    memo.results.clear()
    assert warm_survey("uss") == len(PAGES)
    assert len(memo.results._items) == len(PAGES)
    client.force_login(users["board_member"])
    client.get("/performance/trend/", {"format": "json"})
    assert len(memo.results._items) == len(PAGES)  # served from the warmed figures, nothing new computed


def test_a_survey_with_no_responses_warms_nothing(db):
    assert warm_survey("no-such-survey") == 0
