"""The database withholds an erased respondent's response, and one from before the survey's last purge
cut-off, however it is written: on SQLite a trigger before each row (migration 0002), on PostgreSQL a trigger
after each statement over its rows (migration 0012). Both count what they withheld by batch and reason. An
import on SQLite sets the trigger aside inside its transaction, applies the same rule to its own rows, and puts
it back before the commit (surveys/importing/store.py _TriggerAside)."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from citizenfocus.surveys.importing import survey_import
from citizenfocus.surveys.models import Erasure, PurgeRecord, Response, WithheldRows

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv
from .test_answers_migration import _latest, _migrate
from .test_response_references import COLUMNS, _stored

pytestmark = pytest.mark.django_db(transaction=True)


def _insert_many(like: Response, rows: list[dict]) -> None:
    """Copies of a stored response written by one plain INSERT of several rows, each with its changes."""
    values = [{c: getattr(like, c) for c in COLUMNS} | changes for changes in rows]
    one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO surveys_response ({', '.join(COLUMNS)}) VALUES "  # noqa: S608
                       + ", ".join([one] * len(values)), [v[c] for v in values for c in COLUMNS])


def _withheld(batch_id: int) -> dict[str, int]:
    return dict(WithheldRows.objects.filter(batch_id=batch_id).values_list("reason", "count"))


def _erase_and_purge(stored: Response) -> None:
    for response_id in ("E1", "E2"):
        Erasure.objects.create(survey_id=stored.survey_id, response_id=response_id, reason="SAR", who_name="dpo",
                               deleted=False)
    PurgeRecord.objects.create(survey_id=stored.survey_id, kind="responses", cutoff=dt.date(2013, 1, 1), count=0,
                               who_name="dpo")


def _one_statement_of_each_kind(stored: Response) -> None:
    old = dt.date(2012, 6, 1)
    _insert_many(stored, [
        {"response_id": "E1"}, {"response_id": "KEPT"}, {"response_id": "E2"},
        {"response_id": "OLD", "interview_date": old}, {"response_id": "E1-OLD", "interview_date": old},
    ])


def test_one_statement_keeps_its_other_rows_and_counts_each_reason(areas, tmp_path):
    stored = _stored(tmp_path)
    _erase_and_purge(stored)

    _one_statement_of_each_kind(stored)

    assert sorted(Response.objects.values_list("response_id", flat=True)) == ["KEPT", "U00001"]
    # E1-OLD was not erased: it is withheld for its date
    assert _withheld(stored.batch_id) == {"erased": 2, "retention": 2}


def test_with_nothing_erased_or_purged_every_row_is_stored(areas, tmp_path):
    stored = _stored(tmp_path)

    _insert_many(stored, [{"response_id": "A"}, {"response_id": "B", "interview_date": dt.date(2001, 1, 1)}])

    assert Response.objects.count() == 3 and _withheld(stored.batch_id) == {}


def _trigger_timing() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # SQLite's triggers are all FOR EACH ROW
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'surveys_response_withheld'")
            return "row" if cursor.fetchone()[0] == 1 else "none"
        cursor.execute("SELECT tgtype FROM pg_trigger WHERE tgname = 'surveys_response_withheld'")
        (kind,) = cursor.fetchone()
    return "row" if kind & 1 else "statement"  # bit 0 of tgtype: FOR EACH ROW


def test_postgresql_withholds_a_statement_at_a_time_and_going_back_a_row_at_a_time(areas, tmp_path):
    stored = _stored(tmp_path)
    if connection.vendor == "sqlite":  # no statement-level trigger there: the row trigger of migration 0002 stays
        assert _trigger_timing() == "row"
        return
    _erase_and_purge(stored)
    assert _trigger_timing() == "statement"
    try:
        _migrate([("surveys", "0011_response_references_checked_per_statement")])
        assert _trigger_timing() == "row"
        _one_statement_of_each_kind(stored)
        assert Response.objects.count() == 2 and _withheld(stored.batch_id) == {"erased": 2, "retention": 2}
    finally:
        _migrate(_latest())
    assert _trigger_timing() == "statement"


def _trigger_sql() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'surveys_response_withheld'")
        found = cursor.fetchone()
    return found[0] if found else None


def _import(tmp_path, rows, name="b.csv"):
    return survey_import(path=write_csv(tmp_path / name, rows, columns=USS_COLUMNS), survey="uss", today=TODAY,
                         user_name="analyst")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's import sets its row trigger aside")
def test_sqlite_an_import_applies_the_rule_itself_and_puts_the_trigger_back_as_it_was(areas, tmp_path):
    stored = _stored(tmp_path)
    before = _trigger_sql()
    assert before and "RAISE(IGNORE)" in before
    _erase_and_purge(stored)
    rows = [uss_row(2), uss_row(3, interview_date="2012-06-01", incident_date="2012-05-20"), uss_row(4), uss_row(5)]
    rows[0]["response_id"], rows[2]["response_id"] = "E1", "E2"  # erased; row 3 is from before the cut-off

    summary = _import(tmp_path, rows)

    assert _trigger_sql() == before  # back, exactly as migration 0002 made it
    assert sorted(Response.objects.values_list("response_id", flat=True)) == ["U00001", "U00005"]
    assert _withheld(summary.batch.pk) == {"erased": 2, "retention": 1}
    _one_statement_of_each_kind(stored)  # and it withholds again whatever writes the rows
    assert sorted(Response.objects.values_list("response_id", flat=True)) == ["KEPT", "U00001", "U00005"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's import sets its row trigger aside")
def test_sqlite_an_import_that_fails_while_storing_leaves_the_trigger_and_the_rows_as_they_were(areas, tmp_path,
                                                                                               monkeypatch):
    from citizenfocus.surveys.importing import service

    stored = _stored(tmp_path)
    before = _trigger_sql()

    def fail(*args, **kwargs):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(service, "refresh_changed", fail)  # after the rows are written, before the commit
    with pytest.raises(Exception, match="disk I/O error"):
        _import(tmp_path, [uss_row(2), uss_row(3)])

    assert _trigger_sql() == before
    assert list(Response.objects.values_list("response_id", flat=True)) == [stored.response_id]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's import sets its row trigger aside")
def test_sqlite_rows_stored_outside_a_transaction_keep_the_trigger_on(areas, tmp_path):
    from citizenfocus.surveys.importing import store

    _stored(tmp_path)
    with connection.cursor() as cursor:
        assert not connection.in_atomic_block
        aside = store._TriggerAside(cursor)
    assert aside.sql is None and _trigger_sql() is not None  # nothing taken off: no transaction to put it back in
