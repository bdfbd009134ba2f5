import json

import pytest

from citizenfocus.performance import memo
from citizenfocus.performance.cube import get_cube
from citizenfocus.performance.pages import PAGES
from citizenfocus.performance.warm import pack_views, warm_survey
from citizenfocus.reports.build import PackRequest, board_pack

pytestmark = pytest.mark.usefixtures("demo_data")


def test_warming_computes_every_pages_default_view_before_anyone_asks(client, users):
    memo.results.clear()
    assert warm_survey("uss", pack=False) == len(PAGES)
    assert len(memo.results._items) == len(PAGES)
    client.force_login(users["board_member"])
    client.get("/performance/trend/", {"format": "json"})
    assert len(memo.results._items) == len(PAGES)  # served from the warmed figures, nothing new computed


def test_warming_computes_the_pages_the_force_board_pack_reads(db):
    memo.results.clear()
    views = pack_views(get_cube("uss"))
    assert warm_survey("uss") == len(PAGES) + len(views)
    warmed = set(memo.results._items)
    # bounded: the default views, and each of the pack's further views once (no other period or neighbourhood)
    assert len(warmed) <= len(PAGES) + len(views)
    assert any('"division": null' not in key for key in warmed)  # the divisions' pages for the summary grid
    board_pack(PackRequest(), render=False)
    pages = {key for key in memo.results._items if json.loads(key)[0] in PAGES}
    assert pages == warmed  # the force's pack computed no page of its own (its reporting lag is not a page)


def test_a_survey_with_no_responses_warms_nothing(db):
    assert warm_survey("no-such-survey") == 0
