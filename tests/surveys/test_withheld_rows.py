"""The database withholds an erased respondent's response, and one from before the survey's last purge
cut-off, however it is written: on SQLite a trigger before each row (migration 0002), on PostgreSQL a trigger
after each statement over its rows (migration 0012). Both count what they withheld by batch and reason."""

import datetime as dt

import pytest
from django.db import connection, transaction

from citizenfocus.surveys.models import Erasure, PurgeRecord, Response, WithheldRows

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
