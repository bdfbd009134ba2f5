"""Storing: one batch per file; re-importing updates, never duplicates."""

import pytest

from citizenfocus.surveys.importing import row_hash, store, survey_import
from citizenfocus.surveys.importing.validate import ROW_FIELDS
from citizenfocus.surveys.models import ImportBatch, Response

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db


def _import(tmp_path, rows, name="survey.csv"):
    path = write_csv(tmp_path / name, rows, columns=USS_COLUMNS)
    return survey_import(path=path, survey="uss", today=TODAY, user_name="analyst")


def test_a_good_file_is_stored_as_one_batch(areas, tmp_path):
    summary = _import(tmp_path, [uss_row(i) for i in range(1, 4)])

    batch = summary.batch
    assert (summary.rows_read, summary.rows_new, summary.rows_changed, summary.rows_unchanged) == (3, 3, 0, 0)
    assert (batch.status, batch.rows_new, batch.imported_by_name, batch.file_name) == (
        "stored", 3, "analyst", "survey.csv")
    assert set(Response.objects.values_list("batch", flat=True)) == {batch.pk}


def test_reimporting_the_same_responses_changes_nothing(areas, tmp_path):
    first = _import(tmp_path, [uss_row(i) for i in range(1, 4)])

    again = _import(tmp_path, [uss_row(i) for i in range(1, 4)], name="again.csv")

    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (0, 0, 3)
    assert Response.objects.count() == 3
    assert set(Response.objects.values_list("batch", flat=True)) == {first.batch.pk}


def test_a_changed_answer_updates_the_response_and_moves_it_to_the_new_batch(areas, tmp_path):
    _import(tmp_path, [uss_row(1), uss_row(2)])

    again = _import(tmp_path, [uss_row(1), uss_row(2, whole_experience="6"), uss_row(3)], name="again.csv")

    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (1, 1, 1)
    changed = Response.objects.get(response_id="U00002")
    assert (changed.codes()["whole_experience"], changed.batch) == (6, again.batch)
    assert Response.objects.get(response_id="U00001").batch != again.batch


def test_an_answer_given_as_its_label_instead_of_its_code_is_unchanged(areas, tmp_path):
    _import(tmp_path, [uss_row(1, whole_experience="2")])

    again = _import(tmp_path, [uss_row(1, whole_experience="Very satisfied")], name="again.csv")

    assert again.rows_unchanged == 1


def test_another_code_with_the_same_outcome_is_a_change_kept_on_its_scale(areas, tmp_path):
    _import(tmp_path, [uss_row(1, whole_experience="1")])

    again = _import(tmp_path, [uss_row(1, whole_experience="3")], name="again.csv")

    assert (again.rows_changed, Response.objects.get().codes()["whole_experience"]) == (1, 3)
    assert len(Response.objects.get().codes()) == 5  # replaced, not added to


def test_a_blank_answer_stores_no_answer_and_a_later_blank_removes_it(areas, tmp_path):
    _import(tmp_path, [uss_row(1, treatment="")])
    assert "treatment" not in Response.objects.get().codes()

    _import(tmp_path, [uss_row(1, treatment="2")], name="again.csv")
    assert Response.objects.get().codes()["treatment"] == 2
    _import(tmp_path, [uss_row(1, treatment="")], name="third.csv")
    assert "treatment" not in Response.objects.get().codes()


def test_the_row_hash_is_of_the_stored_values(areas, tmp_path):
    _import(tmp_path, [uss_row(1)])

    stored = Response.objects.get(response_id="U00001")
    values = tuple(getattr(stored, f + "_id" if f in ("division", "neighbourhood", "ward") else f)
                   for f in ROW_FIELDS)
    assert stored.answer_codes.strip()  # the USS's answers, packed
    assert stored.row_hash == row_hash(values, stored.answer_codes)


@pytest.mark.django_db(False)
def test_the_hashes_of_a_batch_are_row_hash_of_each_row_of_every_kind_of_stored_value():
    """A batch's hashes (one DuckDB query) are row_hash's of each row, for every type a stored value has,
    missing values, the edges of writing one as text, and packed answers of every form."""
    import random
    from datetime import date

    import pyarrow as pa

    rng = random.Random(7)
    texts = ["", "None", "a,b", 'say "no"', "caf\u00e9 \u2019x\u2019", "tab\there", "unit\x1fsep", "\u00a0", "0"]
    floats = [1.0, 0.1, 1e-05, 1.5e-05, 0.0001, 2.5, 1e16, 123456789.123, 0.30000000000000004, 100.0, 5e-324]
    packed = ["", " 5", " 1 2    7", "10-1", "    99"]
    n = 400
    rows = [(rng.choice([*texts, None]), rng.choice([date(2013, 5, 31), date(999, 1, 2), date(9999, 12, 31), None]),
             rng.choice([-9, -1, 0, 7, 99, 2**40, None]), rng.choice([*floats, rng.random(), None]),
             rng.choice([True, False, None])) for _ in range(n)]
    codes = [rng.choice(packed) for _ in range(n)]
    kinds = [pa.string(), pa.date32(), pa.int64(), pa.float64(), pa.bool_()]
    values = [pa.array([row[i] for row in rows], kind) for i, kind in enumerate(kinds)]

    hashes = store.RowHashes()
    try:
        found = hashes(values, pa.array(codes, pa.string()))
    finally:
        hashes.close()

    assert found.type == pa.string()
    assert found.to_pylist() == [row_hash(row, code) for row, code in zip(rows, codes, strict=True)]
    assert row_hash(rows[0], " 1") != row_hash(rows[0], " 2") != row_hash(rows[0], "   2")


def test_it_stores_in_chunks(areas, tmp_path, monkeypatch):
    monkeypatch.setattr(store, "CHUNK_ROWS", 2)
    _import(tmp_path, [uss_row(i) for i in range(1, 4)])

    again = _import(tmp_path, [uss_row(i, treatment="7" if i == 3 else "1") for i in range(1, 6)], name="b.csv")

    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (2, 1, 2)
    assert Response.objects.count() == 5


def test_the_same_ids_in_another_survey_are_other_responses(areas, tmp_path):
    _import(tmp_path, [uss_row(1)])
    path = write_csv(tmp_path / "conf.csv", [{
        "response_id": "U00001", "interview_date": "2013-06-14", "division": "Northern", "ethnicity": "W1",
        "good_job": "Good", "deal_with_matters": "1", "asb_problem": "4",
    }])

    assert survey_import(path=path, survey="confidence", today=TODAY).rows_new == 1
    assert Response.objects.count() == 2


def test_progress_is_reported_while_checking_then_storing_then_summing(areas, tmp_path):
    calls = []
    path = write_csv(tmp_path / "survey.csv", [uss_row(i) for i in range(1, 4)], columns=USS_COLUMNS)

    survey_import(path=path, survey="uss", today=TODAY, progress=lambda done, total: calls.append((done, total)),
                  step=lambda words: calls.append(words))

    assert calls == [(3, None), (3, 3), "summing the dashboard's monthly figures"]
    assert ImportBatch.objects.get().rows_read == 3
    calls.clear()

    path = write_csv(tmp_path / "again.csv", [uss_row(1), uss_row(2, weight="2")], columns=USS_COLUMNS)
    survey_import(path=path, survey="uss", today=TODAY, progress=lambda done, total: calls.append((done, total)),
                  step=lambda words: calls.append(words))

    assert calls == [(2, None), (2, 2), "setting the changed rows", "summing the dashboard's monthly figures"]


def _stored_values() -> dict[str, dict]:
    fields = [f.attname for f in Response._meta.concrete_fields if f.attname not in ("id", "batch_id")]
    return {r["response_id"]: r for r in Response.objects.values(*fields)}


def test_a_changed_row_is_stored_exactly_as_the_same_row_imported_new(areas, tmp_path):
    """Every kind of field changed at once, on many rows (the re-import's staged UPDATE ... FROM): what is
    stored is what a first import of the second file stores."""
    first = [uss_row(i) for i in range(1, 41)]
    second = [uss_row(i, interview_date="2013-07-01", incident_date="" if i % 3 else "2013-05-30",
                      crime_type="vehicle_crime", division="Southern", neighbourhood="Riverside", ward="",
                      ethnicity="A2", age_band="65-74", sex="Male", disability="Yes", ease_of_contact="",
                      whole_experience=str(1 + i % 7), weight=f"{0.5 + i / 97:.6f}", recontact_consent="no",
                      comment='She said "thanks, but",\nno call came — é' if i % 2 else "")
              for i in range(1, 41)] + [uss_row(41)]
    _import(tmp_path, first)

    again = _import(tmp_path, second, name="again.csv")
    changed = _stored_values()
    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (1, 40, 0)
    assert set(Response.objects.values_list("batch", flat=True)) == {again.batch.pk}
    Response.objects.all().delete()
    _import(tmp_path, second, name="fresh.csv")

    assert changed == _stored_values()
    assert changed["U00001"]["comment"] == 'She said "thanks, but",\nno call came — é'


@pytest.mark.parametrize(("chunk", "statement"), [(5, 3), (4, 2), (100, 200)])
def test_rows_written_many_a_statement_are_each_stored_whole(areas, tmp_path, monkeypatch, chunk, statement):
    """SQLite writes new rows, and stages changed ones, by INSERT statements of several rows each (full ones,
    then the chunk's rest): every row is stored with its own values, whatever the sizes, as by a row a
    statement."""
    rows = [uss_row(i, weight=f"{0.5 + i / 7:.4f}", whole_experience=str(1 + i % 7),
                    comment=f"row {i}" if i % 2 else "", recontact_consent=["", "yes", "no"][i % 3],
                    incident_date="" if i % 4 == 0 else "2013-05-30", ward="" if i % 5 == 0 else "Castle")
            for i in range(1, 12)]
    changed = [{**row, "weight": f"{1 + i / 11:.4f}", "treatment": str(1 + i % 5), "comment": f"again {i}"}
               for i, row in enumerate(rows)]

    def stored(file_rows, *, sizes, changes=None) -> dict:
        Response.objects.all().delete()
        monkeypatch.setattr(store, "CHUNK_ROWS", sizes[0])
        monkeypatch.setattr(store._RowsAtOnce, "ROWS_A_STATEMENT", sizes[1])
        assert _import(tmp_path, file_rows).rows_new == 11
        if changes is not None:
            assert _import(tmp_path, changes, name="again.csv").rows_changed == 11
        return _stored_values()

    first = stored(rows, sizes=(chunk, statement))
    assert first == stored(rows, sizes=(1, 1))
    assert (first["U00009"]["weight"], first["U00009"]["comment"], len(first)) == (float(f"{0.5 + 9 / 7:.4f}"),
                                                                                   "row 9", 11)
    # a missing value (bound as a value the field never holds, given back as NULL) is stored as NULL
    assert [first[f"U{i:05d}"]["recontact_consent"] for i in (3, 4, 5)] == [None, True, False]
    assert [str(first[f"U{i:05d}"]["incident_date"]) for i in (4, 5)] == ["None", "2013-05-30"]
    assert first["U00005"]["ward_id"] is None and first["U00006"]["ward_id"] is not None
    assert stored(rows, sizes=(chunk, statement), changes=changed) == stored(changed, sizes=(1, 1))


def _migrate(target: str) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("surveys", target)])


@pytest.mark.django_db(transaction=True)
def test_the_stored_hashes_are_made_again_from_the_packed_answers_by_migration_0015(areas, tmp_path):
    """A database whose hashes were made in the earlier form (each question's code a value of its own): migration
    0015 makes each again as an import now makes it, an anonymised response's blank hash kept blank, so a
    re-import of the same file finds every row unchanged."""
    rows = [uss_row(i, treatment=str(i % 7 + 1), weight=f"{0.5 + i / 10}") for i in range(1, 8)]
    _import(tmp_path, rows)
    made = dict(Response.objects.values_list("response_id", "row_hash"))
    _migrate("0014_response_id_compared_by_bytes")
    try:
        for n, response in enumerate(Response.objects.order_by("pk")):  # another form: any other text
            Response.objects.filter(pk=response.pk).update(row_hash=f"{n:032x}")
        Response.objects.filter(response_id="U00003").update(row_hash="")  # anonymised by a purge
    finally:
        _migrate("0015_row_hash_of_packed_answers")

    stored = dict(Response.objects.values_list("response_id", "row_hash"))
    assert stored == {**made, "U00003": ""}
    for response in Response.objects.exclude(response_id="U00003"):
        values = tuple(getattr(response, f + "_id" if f in ("division", "neighbourhood", "ward") else f)
                       for f in ROW_FIELDS)
        assert response.row_hash == row_hash(values, response.answer_codes)

    Response.objects.filter(response_id="U00003").update(row_hash=made["U00003"])
    again = _import(tmp_path, rows, name="again.csv")
    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (0, 0, 7)
