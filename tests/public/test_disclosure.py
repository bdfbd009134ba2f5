"""No suppressed figure can be worked out from what the public pages and open data show (statistics.md §8).

The demo force at this size leaves most neighbourhoods under 50 respondents
in twelve months: the test reads the true bases from the internal dashboard,
and checks every public surface (snapshot, pages, CSV, JSON) against them.
"""

import csv
import io
import re

import numpy as np
import pytest
from django.urls import reverse

from citizenfocus.performance.cube import get_cube
from citizenfocus.performance.warm import page_result
from citizenfocus.public.models import Release
from citizenfocus.public.snapshot import _force_filters, release_snapshot
from citizenfocus.public.words import rate_words
from citizenfocus.stats.disclosure import feasible_range

pytestmark = pytest.mark.usefixtures("demo_data")
MIN_BASE = 50


def _true_bases(survey: str) -> dict[str, float]:
    cube = get_cube(survey)
    _, hoods = page_result("neighbourhoods", cube, _force_filters(cube))
    return {r["name"]: r["n"] for r in hoods.tables["neighbourhoods"].rows}


@pytest.mark.parametrize(("survey", "word"), [("uss", "satisfaction"), ("confidence", "confidence")])
def test_every_hidden_neighbourhood_base_has_a_feasible_range_at_least_the_threshold_wide(db, survey, word):
    table = release_snapshot(min_base=MIN_BASE)["tables"][f"neighbourhood-{word}"]
    truth = _true_bases(survey)
    areas = [r for r in table["rows"] if r["name"] != "The whole force"]
    total = next(r for r in table["rows"] if r["name"] == "The whole force")
    assert total["n"] is not None, "the force's own base is large and published"
    small = [r["name"] for r in areas if 0 < truth[r["name"]] < MIN_BASE]
    assert small, "the fixture must have small neighbourhoods, or this test proves nothing"
    hidden = np.array([r["n"] is None for r in areas])
    assert all(hidden[i] for i, r in enumerate(areas) if r["name"] in small)
    # What an attacker knows: the shown bases, the force total, and (pessimistically) the responses in no
    # neighbourhood. One line: the neighbourhoods add up to the force less that remainder.
    values = np.array([truth[r["name"]] for r in areas] + [sum(truth[r["name"]] for r in areas)])
    lines = np.array([[1.0] * len(areas) + [-1.0]])
    mask = np.append(hidden, False)
    for i in np.flatnonzero(hidden):
        found = feasible_range(lines, values, mask, int(i))
        assert found.width >= MIN_BASE, f"{areas[i]['name']}: {found}"
    for r in areas:
        if r["n"] is None:
            assert r["rate"].startswith("suppressed") and r["ci_low"] is None and r["ci_high"] is None


def test_a_small_neighbourhoods_page_and_open_data_show_no_figure_for_it(client, users):
    client.force_login(users["analyst"])
    preview = client.get(reverse("public:approve"), {"format": "json"}).json()
    client.post(reverse("public:approve"), {"sha256": preview["sha256"], "title": "t"})
    client.logout()
    truth = _true_bases("uss")
    name = next(n for n, base in truth.items() if 0 < base < MIN_BASE)
    code = next(h["code"] for h in preview["snapshot"]["neighbourhoods"] if h["name"] == name)
    page = client.get(reverse("public:neighbourhood", args=[code])).content.decode()
    assert "Not published: fewer than 50 people answered" in page
    assert not re.search(rf"\b{int(truth[name])} people answered", page)
    as_json = client.get(reverse("public:neighbourhood", args=[code]), {"format": "json"}).json()
    assert "Not published" in as_json["figures"][0]["words"]
    release = Release.objects.get()
    response = client.get(reverse("public:table", args=[release.pk, "neighbourhood-satisfaction", "csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = next(r for r in rows if r["Area"] == name)
    assert row["People answering (n)"] == "" and row["95% interval from"] == "" and row["Rate"].startswith("suppressed")
    assert release.min_base == MIN_BASE


def test_a_suppressed_rate_is_said_in_words_with_the_release_threshold():
    words = rate_words({"rate": "suppressed: base under 30", "n": None}, 30)
    assert words.startswith("Not published: fewer than 30 people answered")
    assert rate_words({"rate": 0.8123, "ci_low": 0.78, "ci_high": 0.84, "n": 1234}, 50) == \
        "81% (we are 95% sure it is between 78% and 84%; 1,234 people answered)"
