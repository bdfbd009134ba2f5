"""A survey sampled within crime types: every dashboard figure is a domain of that stratified design, the
same as the engine (checked against R in tests/engine/test_engine_against_r.py), and the page says so."""

import pytest
from django.urls import reverse

from citizenfocus.engine import gap_rows, indicator_rows, open_db_source


@pytest.fixture(scope="module")
def stratified(demo_data, django_db_blocker):
    """The stored survey's definition gains strata, committed, so the engine's own connection reads it."""
    from citizenfocus.performance import cube, memo
    from citizenfocus.surveys.models import Survey

    with django_db_blocker.unblock():
        survey = Survey.objects.get(key="uss")
        original = survey.definition_toml
        Survey.objects.filter(pk=survey.pk).update(definition_toml='strata = "crime_type"\n' + original)
    cube.clear()
    memo.results.clear()
    yield
    with django_db_blocker.unblock():
        Survey.objects.filter(pk=survey.pk).update(definition_toml=original)
    cube.clear()
    memo.results.clear()


def _json(client, page, **params):
    response = client.get(reverse(f"performance:{page}"), {"format": "json", **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_the_overview_and_the_gap_explorer_follow_the_surveys_strata(client, users, stratified):
    client.force_login(users["board_member"])
    overview = _json(client, "overview")
    assert overview["design"]["strata"] == "crime_type" and overview["design"]["strata_count"] >= 5
    source = open_db_source("uss")
    assert source.definition.strata == "crime_type"
    row = next(r for r in overview["tables"]["rates"]["rows"] if r["measure"] == "whole_experience")
    [everyone] = indicator_rows(source, measure="whole_experience")
    assert row["all_se"] == pytest.approx(everyone["se"], rel=1e-12)
    [unstratified] = indicator_rows(source, measure="whole_experience", strata=None, by=())
    assert unstratified["se"] == pytest.approx(everyone["se"], rel=1e-12)  # the definition's strata by default
    gaps = _json(client, "gaps")
    by_division = {r["label"]: r for r in gaps["tables"]["division"]["rows"]}
    for gap in gap_rows(source, measure="whole_experience", by=("division",)):
        page = by_division[gap["group"]["division"]]
        assert page["bme_se"] == pytest.approx(gap["bme"]["se"], rel=1e-12)
        assert page["ci_low"] == pytest.approx(gap["ci_low"], rel=1e-12)
    html = client.get(reverse("performance:overview")).content.decode()
    assert "sampled within" in html and "strata by crime type" in html


def test_every_page_answers_on_a_stratified_survey_and_its_rates_carry_their_design(client, users, stratified):
    from citizenfocus.performance.pages import PAGES

    client.force_login(users["board_member"])
    for key in PAGES:
        data = _json(client, key)
        assert data["design"]["strata"] == "crime_type", key
    trend = _json(client, "trend")
    rows = [r for r in trend["tables"]["months"]["rows"] if r["n"]]
    assert rows and all(r["ci_low"] <= r["rate"] <= r["ci_high"] for r in rows)
