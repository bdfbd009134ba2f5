"""Anonymising responses past retention leaves every dashboard figure of every past period as it was."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.areas.services import force_load
from citizenfocus.demo import demo_force, write_survey_file
from citizenfocus.performance import cube, memo
from citizenfocus.performance.pages import PAGES
from citizenfocus.surveys.importing import survey_import
from citizenfocus.surveys.models import Response, Survey
from citizenfocus.surveys.retention import survey_purge

# The demo survey runs from April 2011 to March 2014; as of April 2015 the default 24 months
# of retention end on 1 April 2013, so two of its three years are anonymised.
AS_OF = dt.date(2015, 4, 1)
VIEWS = [{}, {"period": "rolling12:2013-03"}, {"period": "month:2011-07", "division": ""}]


def _same(a, b) -> bool:
    """Equal, floats to 1e-9: the key driver regression sums answer patterns in the order the database
    returns them, and PostgreSQL returns rows it has rewritten in another order (the last bits move)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9, abs=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _figures(client) -> dict:
    cube.clear()
    memo.results.clear()
    memo.fragments.clear()
    out = {}
    for page in PAGES:
        for params in VIEWS:
            response = client.get(reverse(f"performance:{page}"), {"format": "json", "survey": "uss", **params})
            assert response.status_code == 200, (page, params, response.content[:300])
            out[(page, tuple(params.items()))] = response.json()
    return out


@pytest.mark.django_db(transaction=True)
def test_every_page_shows_the_same_figures_after_a_purge(client, users, tmp_path):
    force_load(force=demo_force())
    path = tmp_path / "uss.parquet"
    write_survey_file(path, "uss", size=3000)
    survey_import(path=path, survey="uss", user_name="test", source="demo")
    client.force_login(users["analyst"])
    before = _figures(client)
    rates = before[("overview", (("period", "rolling12:2013-03"),))]["tables"]["rates"]["rows"]
    assert all(row["all_n"] > 100 and row["bme_n"] > 10 for row in rates)

    result = survey_purge(survey=Survey.objects.get(key="uss"), who_name="dpo", today=AS_OF)

    assert result.cutoff == dt.date(2013, 4, 1)
    assert result.anonymised > 1500
    assert not Response.objects.filter(interview_date__lt=result.cutoff, anonymised_on__isnull=True).exists()
    after = _figures(client)
    assert after.keys() == before.keys()
    for key in before:
        assert _same(after[key], before[key]), key
    cube.clear()
    memo.results.clear()
