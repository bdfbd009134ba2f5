"""An answer must refer to a stored response, and a deleted response takes its answers with it, at the
database: by the foreign key on SQLite, by statement-level triggers on PostgreSQL (migration 0008)."""

import pytest
from django.db import IntegrityError, connection

from citizenfocus.surveys.importing import survey_import
from citizenfocus.surveys.models import Answer, Response

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv
from .test_answers_migration import _latest, _migrate

PREVIOUS = [("surveys", "0007_cube_months")]


def _import(tmp_path, rows) -> None:
    path = write_csv(tmp_path / "uss.csv", rows, columns=USS_COLUMNS)
    survey_import(path=path, survey="uss", today=TODAY, user_name="analyst")


def _insert_orphan() -> None:
    """An answer of a response that is not stored, by SQL (the ORM would not stop it either)."""
    missing = (Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    table = connection.ops.quote_name(Answer._meta.db_table)
    assert connection.get_autocommit()  # the statement is its own transaction: a deferred check is at its end
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (response_id, item, code) VALUES (%s, %s, %s)",  # noqa: S608
                       [missing, "treatment", 1])


@pytest.mark.django_db(transaction=True)
def test_an_answer_of_a_response_not_stored_is_refused(areas, tmp_path):
    _import(tmp_path, [uss_row(1), uss_row(2)])
    stored = Answer.objects.count()
    assert stored
    with pytest.raises(IntegrityError):
        _insert_orphan()
    assert Answer.objects.count() == stored


def _two_imported(tmp_path) -> tuple[Response, int]:
    """Two responses imported: the first (to be deleted), and how many answers the other has."""
    _import(tmp_path, [uss_row(1), uss_row(2)])
    gone = Response.objects.get(response_id=uss_row(1)["response_id"])
    assert Answer.objects.filter(response_id=gone.pk).exists()
    return gone, Answer.objects.exclude(response_id=gone.pk).count()


@pytest.mark.django_db(transaction=True)
def test_deleting_a_response_by_sql_deletes_its_answers(areas, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's foreign key has no ON DELETE: Django deletes the answers (the ORM test below)")
    gone, kept = _two_imported(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM surveys_response WHERE id = %s", [gone.pk])
    assert not Answer.objects.filter(response_id=gone.pk).exists()
    assert Answer.objects.count() == kept


@pytest.mark.django_db(transaction=True)
def test_deleting_a_response_through_django_deletes_its_answers(areas, tmp_path):
    gone, kept = _two_imported(tmp_path)
    gone.delete()
    assert Answer.objects.count() == kept


def _reference() -> dict:
    """How the database holds the rule: the foreign keys on the answers' response, and (PostgreSQL) the
    triggers."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "surveys_answer")
        triggers = []
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                           "('surveys_answer'::regclass, 'surveys_response'::regclass) ORDER BY tgname")
            triggers = [name for (name,) in cursor.fetchall()]
    keys = [name for name, facts in constraints.items() if facts["foreign_key"]]
    return {"foreign_keys": len(keys), "triggers": [t for t in triggers if "answer" in t]}


@pytest.mark.django_db(transaction=True)
def test_the_migration_swaps_the_foreign_key_for_triggers_on_postgresql_and_back():
    after = _reference()
    try:
        _migrate(PREVIOUS)
        before = _reference()
        assert before == {"foreign_keys": 1, "triggers": []}
    finally:
        _migrate(_latest())
    if connection.vendor == "postgresql":
        assert after == {"foreign_keys": 0, "triggers": ["surveys_answer_response_stored_insert",
                                                         "surveys_answer_response_stored_update",
                                                         "surveys_response_answers_deleted"]}
    else:
        assert after == before  # SQLite keeps the foreign key
    assert _reference() == after
