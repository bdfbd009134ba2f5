"""A database made by the previous version (one 1/0 column per measure) is migrated with every outcome kept."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from citizenfocus.surveys.definition import DEFINITIONS_DIR

BEFORE = [("surveys", "0003_definition_history_goes_with_its_survey")]
AFTER = [("surveys", "0004_answers_on_their_scale")]


def _latest():
    """Where every other test expects the database: the newest migration of the surveys app."""
    executor = MigrationExecutor(connection)
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] == "surveys"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_responses(apps):
    """Three responses as the previous version stored them: positive, negative, not answered."""
    Force, Division = apps.get_model("areas", "Force"), apps.get_model("areas", "Division")
    Survey, Batch = apps.get_model("surveys", "Survey"), apps.get_model("surveys", "ImportBatch")
    Response = apps.get_model("surveys", "Response")
    division = Division.objects.create(force=Force.objects.create(name="Old Force", code="old"), name="North",
                                       code="north")
    survey = Survey.objects.create(key="uss", name="USS", definition_toml=(DEFINITIONS_DIR / "uss.toml").read_text())
    now = dt.datetime(2014, 1, 1, tzinfo=dt.UTC)
    batch = Batch.objects.create(survey=survey, imported_by_name="old", source="cli", started_at=now,
                                 finished_at=now, file_name="old.csv", file_sha256="0" * 64, status="stored")
    common = {"survey": survey, "interview_date": dt.date(2013, 6, 1), "division": division, "ethnicity": "W1",
              "age_band": "25-34", "sex": "Male", "disability": "No", "batch": batch, "weight": 1.0}
    Response.objects.create(response_id="A", whole_experience=1, kept_informed=0, row_hash="a", **common)
    Response.objects.create(response_id="B", whole_experience=0, kept_informed=1, row_hash="b", **common)
    Response.objects.create(response_id="C", whole_experience=None, kept_informed=1, row_hash="c", **common)


@pytest.mark.django_db(transaction=True)
def test_each_stored_outcome_becomes_a_derived_answer_and_every_figure_stays():
    _old_responses(_migrate(BEFORE))
    apps = _migrate(AFTER)
    try:
        Answer = apps.get_model("surveys", "Answer")
        stored = sorted(Answer.objects.values_list("response__response_id", "item", "code"))
        assert stored == [("A", "kept_informed", -2), ("A", "whole_experience", -1),
                          ("B", "kept_informed", -1), ("B", "whole_experience", -2), ("C", "kept_informed", -1)]

        from citizenfocus.engine import indicator_rows, open_db_source

        source = open_db_source("uss")
        whole = indicator_rows(source, measure="whole_experience", period="month:2013-06")[0]
        informed = indicator_rows(source, measure="kept_informed", period="month:2013-06")[0]
        neither = indicator_rows(source, measure="whole_experience_neither", period="month:2013-06")[0]
        assert (whole["n"], whole["rate"]) == (2, 0.5)
        assert (informed["n"], informed["rate"]) == (3, pytest.approx(2 / 3))
        assert neither["n"] == 0  # a migrated outcome cannot say whether it was "neither"
    finally:
        _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_going_back_restores_the_outcome_columns_from_the_answers():
    _old_responses(_migrate(BEFORE))
    _migrate(AFTER)
    apps = _migrate(BEFORE)
    try:
        Response = apps.get_model("surveys", "Response")
        assert sorted(Response.objects.values_list("response_id", "whole_experience", "kept_informed")) == [
            ("A", 1, 0), ("B", 0, 1), ("C", None, 1)]
    finally:
        _migrate(_latest())
