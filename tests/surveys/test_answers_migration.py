"""A database made by the previous version (one 1/0 column per measure) is migrated with every outcome kept."""

import datetime as dt

import pytest
from django.db import connection, transaction
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

        # and on through every later migration (the answers packed in their responses: 0009) to this version's
        _migrate(_latest())
        from citizenfocus.engine import indicator_rows, open_db_source
        from citizenfocus.surveys.models import Response

        assert {r.response_id: r.codes() for r in Response.objects.all()} == {
            "A": {"kept_informed": -2, "whole_experience": -1}, "B": {"kept_informed": -1, "whole_experience": -2},
            "C": {"kept_informed": -1}}

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


CUBE = [("surveys", "0005_cube_cells")]
LEAN = [("surveys", "0006_answer_lean_key")]


def _answers_table():
    """The answers table's columns, its primary key's columns, its other indexes' column lists (SQLite: and
    whether the table has a rowid)."""
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "surveys_answer")]
        constraints = connection.introspection.get_constraints(cursor, "surveys_answer")
        rowid = None
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'surveys_answer'")
            rowid = "WITHOUT ROWID" not in cursor.fetchone()[0].upper()
    key = [c["columns"] for c in constraints.values() if c["primary_key"]]
    indexes = sorted(c["columns"] for c in constraints.values()
                     if (c["index"] or c["unique"]) and not c["primary_key"] and c["columns"])
    return sorted(columns), key, indexes, rowid


@pytest.mark.django_db(transaction=True)
def test_the_lean_key_keeps_every_answer_and_going_back_restores_the_id_and_indexes():
    _old_responses(_migrate(BEFORE))
    apps = _migrate(CUBE)
    Answer = apps.get_model("surveys", "Answer")
    before = sorted(Answer.objects.values_list("response__response_id", "item", "code"))
    assert len(before) == 5
    long_table = _answers_table()
    assert long_table[:3] == (["code", "id", "item", "response_id"], [["id"]], [["response_id"], ["response_id", "item"]])
    try:
        apps = _migrate(LEAN)
        Answer = apps.get_model("surveys", "Answer")
        assert sorted(Answer.objects.values_list("response__response_id", "item", "code")) == before
        columns, key, indexes, rowid = _answers_table()
        assert columns == ["code", "item", "response_id"]
        assert key == [["response_id", "item"]]
        assert indexes == []  # the key is the one index
        assert rowid in (None, False)  # SQLite: WITHOUT ROWID

        Response = apps.get_model("surveys", "Response")
        Response.objects.filter(response_id="A").delete()  # an erasure takes the response's answers with it
        assert sorted(Answer.objects.values_list("response__response_id", flat=True).distinct()) == ["B", "C"]
        before = [a for a in before if a[0] != "A"]

        apps = _migrate(CUBE)
        Answer = apps.get_model("surveys", "Answer")
        assert sorted(Answer.objects.values_list("response__response_id", "item", "code")) == before
        assert _answers_table()[:3] == long_table[:3]
        Answer.objects.create(response=apps.get_model("surveys", "Response").objects.get(response_id="C"),
                              item="treatment", code=2)  # ids are made again
    finally:
        _migrate(_latest())


BEFORE_PACKING = [("surveys", "0008_answer_reference_checked_per_statement")]
PACKED = [("surveys", "0009_answers_packed_in_the_response")]


@pytest.mark.django_db(transaction=True)
def test_answers_are_packed_in_their_responses_and_going_back_makes_the_answers_table_again():
    _old_responses(_migrate(BEFORE))
    apps = _migrate(BEFORE_PACKING)
    Answer, Response = apps.get_model("surveys", "Answer"), apps.get_model("surveys", "Response")
    c = Response.objects.get(response_id="C")
    Answer.objects.create(response=c, item="treatment", code=2)
    Answer.objects.create(response=c, item="ease_of_contact", code=7)
    before = sorted(Answer.objects.values_list("response__response_id", "item", "code"))
    assert len(before) == 7
    shape = _answers_table()
    try:
        apps = _migrate(PACKED)
        SurveyItem, Response = apps.get_model("surveys", "SurveyItem"), apps.get_model("surveys", "Response")
        slots = dict(SurveyItem.objects.values_list("item", "slot"))
        # a slot a question, in the order of their keys
        assert slots == {"ease_of_contact": 0, "kept_informed": 1, "treatment": 2, "whole_experience": 3}
        assert dict(Response.objects.values_list("response_id", "answer_codes")) == {
            "A": "  -2  -1", "B": "  -1  -2", "C": " 7-1 2"}
        with connection.cursor() as cursor:
            assert "surveys_answer" not in connection.introspection.table_names(cursor)

        apps = _migrate(BEFORE_PACKING)
        Answer = apps.get_model("surveys", "Answer")
        assert sorted(Answer.objects.values_list("response__response_id", "item", "code")) == before
        assert _answers_table() == shape  # its key, no other index; WITHOUT ROWID on SQLite
        if connection.vendor == "postgresql":  # the reference checked by its triggers again (0008)
            with pytest.raises(Exception, match="not stored"), transaction.atomic():
                Answer.objects.create(response_id=10**9, item="treatment", code=1)
    finally:
        _migrate(_latest())


def _response_indexes():
    """The responses table's indexes as their column lists, and whether its withholding trigger is there."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "surveys_response")
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'surveys_response_withheld'")
        else:
            cursor.execute("SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'surveys_response_withheld'")
        trigger = cursor.fetchone()[0] == 1
    found = {tuple(c["columns"]) for c in constraints.values()
             if (c["index"] or c["unique"]) and not c["primary_key"] and c["columns"]}
    return sorted(map(list, found)), trigger


@pytest.mark.django_db(transaction=True)
def test_the_responses_keep_only_the_indexes_their_queries_use_and_going_back_makes_the_others_again():
    assert _response_indexes() == ([["batch_id"], ["survey_id", "interview_date"], ["survey_id", "response_id"]],
                                   True)
    try:
        _migrate(PACKED)
        indexes, trigger = _response_indexes()
        assert [["division_id"], ["neighbourhood_id"], ["survey_id"], ["ward_id"]] == [
            i for i in indexes if i in (["division_id"], ["neighbourhood_id"], ["survey_id"], ["ward_id"])]
        assert trigger
    finally:
        _migrate(_latest())
    assert _response_indexes()[1]


@pytest.mark.django_db(transaction=True)
def test_a_code_that_two_characters_cannot_hold_refuses_the_migration_and_changes_nothing():
    _old_responses(_migrate(BEFORE))
    apps = _migrate(BEFORE_PACKING)
    Answer, Response = apps.get_model("surveys", "Answer"), apps.get_model("surveys", "Response")
    Answer.objects.create(response=Response.objects.get(response_id="C"), item="treatment", code=150)
    try:
        with pytest.raises(ValueError, match=r"survey uss, question treatment: code 150 \(1 answers\).*nothing has "
                                             r"been changed"):
            _migrate(PACKED)
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        assert "surveys_answer" in tables and "surveys_surveyitem" not in tables
        assert Answer.objects.filter(code=150).count() == 1 and Answer.objects.count() == 6
    finally:
        Answer.objects.filter(code=150).delete()
        _migrate(_latest())
