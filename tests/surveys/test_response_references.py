"""A response's survey, areas and import batch must be stored, whichever way the response is written; and
none of them can be deleted while a response refers to it. On PostgreSQL statement-level triggers keep
these rules (migration 0011), on SQLite the foreign keys."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from citizenfocus.surveys.importing import survey_import
from citizenfocus.surveys.models import Response

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv
from .test_answers_migration import _latest, _migrate

pytestmark = pytest.mark.django_db(transaction=True)
COLUMNS = ("survey_id", "response_id", "interview_date", "crime_type", "division_id", "neighbourhood_id",
           "ward_id", "ethnicity", "age_band", "sex", "disability", "weight", "comment", "batch_id", "row_hash",
           "answer_codes")


def _stored(tmp_path) -> Response:
    survey_import(path=write_csv(tmp_path / "a.csv", [uss_row(1)], columns=USS_COLUMNS), survey="uss", today=TODAY,
                  user_name="analyst")
    return Response.objects.get()


def _insert(like: Response, **changes) -> None:
    """A copy of a stored response written by plain SQL (as a script or a bulk path would), with `changes`."""
    values = {c: getattr(like, c) for c in COLUMNS} | {"response_id": "U99999"} | changes
    placeholders = ", ".join(["%s"] * len(values))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO surveys_response ({', '.join(values)}) VALUES ({placeholders})",  # noqa: S608
                       list(values.values()))


@pytest.mark.parametrize("column", ["survey_id", "division_id", "neighbourhood_id", "ward_id", "batch_id"])
def test_a_response_referring_to_what_is_not_stored_is_refused(areas, tmp_path, column):
    stored = _stored(tmp_path)
    with pytest.raises(IntegrityError, match="not stored|FOREIGN KEY"):
        _insert(stored, **{column: 10**9})
    assert Response.objects.count() == 1
    _insert(stored, neighbourhood_id=None, ward_id=None)  # an optional area left out is fine
    assert Response.objects.count() == 2


@pytest.mark.parametrize("table", ["areas_ward", "areas_neighbourhood", "areas_division", "surveys_importbatch",
                                   "surveys_survey"])
def test_what_a_response_refers_to_cannot_be_deleted(areas, tmp_path, table):
    stored = _stored(tmp_path)
    column = {"areas_ward": "ward_id", "areas_neighbourhood": "neighbourhood_id", "areas_division": "division_id",
              "surveys_importbatch": "batch_id", "surveys_survey": "survey_id"}[table]
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA defer_foreign_keys = OFF")
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [getattr(stored, column)])  # noqa: S608
    assert Response.objects.filter(pk=stored.pk).exists()


def _references():
    """The responses table's foreign keys (their columns) and, on PostgreSQL, the triggers that check them."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "surveys_response")
        triggers = []
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%%_references_stored_%%' "
                           "OR tgname LIKE '%%_kept_for_responses' ORDER BY tgname")
            triggers = [row[0] for row in cursor.fetchall()]
    keys = sorted(c["columns"][0] for c in constraints.values() if c["foreign_key"])
    return keys, triggers


FOREIGN_KEYS = ["batch_id", "division_id", "neighbourhood_id", "survey_id", "ward_id"]


def test_postgresql_checks_by_triggers_and_going_back_makes_the_foreign_keys_again(areas, tmp_path):
    stored = _stored(tmp_path)
    if connection.vendor == "sqlite":  # SQLite has no statement-level trigger: its foreign keys stay
        assert _references() == (FOREIGN_KEYS, [])
        return
    keys, triggers = _references()
    assert keys == [] and len(triggers) == 7
    try:
        _migrate([("surveys", "0010_response_area_indexes_dropped")])
        assert _references() == (FOREIGN_KEYS, [])
        with pytest.raises(IntegrityError):
            _insert(stored, division_id=10**9)
    finally:
        _migrate(_latest())
    assert _references() == (keys, triggers)


@pytest.mark.parametrize("column", ["survey_id", "division_id", "neighbourhood_id", "ward_id", "batch_id"])
def test_one_row_of_a_statement_of_many_referring_to_what_is_not_stored_fails_the_statement(areas, tmp_path,
                                                                                           column):
    """The check reads the statement's rows once, by the distinct combinations of their references: a missing
    one on the second of three rows, whose other references all exist, is still found and named."""
    stored = _stored(tmp_path)
    rows = [{c: getattr(stored, c) for c in COLUMNS} | {"response_id": f"U{i}"} for i in range(3)]
    rows[1][column] = 10**9
    rows[2]["neighbourhood_id"] = rows[2]["ward_id"] = None
    values = ", ".join("(" + ", ".join(["%s"] * len(COLUMNS)) + ")" for _ in rows)
    expected = {"survey_id": "survey", "division_id": "division", "neighbourhood_id": "neighbourhood",
                "ward_id": "ward", "batch_id": "import batch"}[column]
    with pytest.raises(IntegrityError, match=f"refers to {expected} {10**9} which|FOREIGN KEY"), \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO surveys_response ({', '.join(COLUMNS)}) VALUES {values}",  # noqa: S608
                       [row[c] for row in rows for c in COLUMNS])
    assert list(Response.objects.values_list("response_id", flat=True)) == [stored.response_id]
    rows[1][column] = getattr(stored, column)  # the same statement, every reference stored: written
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO surveys_response ({', '.join(COLUMNS)}) VALUES {values}",  # noqa: S608
                       [row[c] for row in rows for c in COLUMNS])
    assert Response.objects.count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the whole database")
def test_what_a_statements_rows_refer_to_is_locked_until_its_transaction_ends(areas, tmp_path):
    """As a foreign key does: another transaction cannot take the referred rows for update (nor delete them)
    before the writing one ends; rows nothing written refers to stay free."""
    import psycopg

    stored = _stored(tmp_path)
    other_division = type(stored.division).objects.exclude(pk=stored.division_id).values_list("pk", flat=True)[0]
    settings = connection.settings_dict
    other = psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
                            port=settings["PORT"] or 5432, password=settings["PASSWORD"] or None)

    def can_take(table: str, pk: int) -> bool:
        try:
            with other.transaction():
                other.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [pk])  # noqa: S608
            return True
        except psycopg.errors.LockNotAvailable:
            return False

    try:
        with transaction.atomic():
            _insert(stored)
            referred = {"areas_division": stored.division_id, "areas_neighbourhood": stored.neighbourhood_id,
                        "areas_ward": stored.ward_id, "surveys_survey": stored.survey_id,
                        "surveys_importbatch": stored.batch_id}
            assert not any(can_take(table, pk) for table, pk in referred.items())
            assert can_take("areas_division", other_division)
        assert all(can_take(table, pk) for table, pk in referred.items())
    finally:
        other.close()


def _response_id_collation() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT collation_name FROM information_schema.columns "
                       "WHERE table_name = 'surveys_response' AND column_name = 'response_id'")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's collations (SQLite compares bytes)")
def test_postgresql_compares_response_ids_by_bytes_and_going_back_sets_the_default(areas, tmp_path):
    """Migration 0014: a later migration that altered the field would set the default collation back."""
    assert _response_id_collation() == "C"
    stored = _stored(tmp_path)
    _insert(stored, response_id=stored.response_id.lower())  # another id: case counts, as before
    assert Response.objects.filter(response_id__in=[stored.response_id, stored.response_id.lower()]).count() == 2
    with pytest.raises(IntegrityError):
        _insert(stored, response_id=stored.response_id)
    try:
        _migrate([("surveys", "0013_response_references_read_once")])
        assert _response_id_collation() is None
    finally:
        _migrate(_latest())
    assert _response_id_collation() == "C"
