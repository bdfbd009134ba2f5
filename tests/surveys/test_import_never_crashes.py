"""A damaged or hostile file ends as a recorded refusal a person can read: on the command line,
the web page and its JSON twin, on SQLite and PostgreSQL alike (the suite runs on both)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from citizenfocus.accounts.services import user_create_or_update
from citizenfocus.cli import app
from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.models import ImportBatch, Response

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv
from .damaged import with_broken_deflate, with_broken_xml, write_xlsx

pytestmark = pytest.mark.django_db
URL = reverse("surveys:import")
runner = CliRunner()


def _xlsx(tmp_path, damage=None, name="survey.xlsx"):
    path = write_xlsx(tmp_path / name, [uss_row(i) for i in range(1, 4)], columns=USS_COLUMNS)
    return damage(path) if damage else path


def _refusal(path, **kwargs) -> ImportRefused:
    with pytest.raises(ImportRefused) as refused:
        survey_import(path=path, survey="uss", today=TODAY, **kwargs)
    return refused.value


def _analyst(client):
    user, _ = user_create_or_update(username="analyst", password="a long test password", role="analyst")
    client.force_login(user)


@pytest.mark.parametrize("damage", [with_broken_deflate, with_broken_xml], ids=["zlib", "xml"])
def test_a_damaged_workbook_is_refused_and_recorded(areas, tmp_path, damage):
    refusal = _refusal(_xlsx(tmp_path, damage))

    assert "cannot be read as an Excel .xlsx workbook: it is damaged" in str(refusal)
    assert "open it in Excel and save it again" in str(refusal)
    assert refusal.batch.status == ImportBatch.Status.REFUSED
    assert Response.objects.count() == 0


@pytest.mark.parametrize("damage", [with_broken_deflate, with_broken_xml], ids=["zlib", "xml"])
def test_the_command_line_prints_one_line_for_a_damaged_workbook(areas, tmp_path, damage):
    path = _xlsx(tmp_path, damage)

    result = runner.invoke(app, ["import-survey", str(path), "--survey", "uss"])

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    first, last = result.stderr.splitlines()[0], result.stderr.splitlines()[-1]
    assert first.startswith("survey.xlsx") and "cannot be read as an Excel .xlsx workbook" in first
    assert last == "error: survey.xlsx: refused, 1 problem; nothing was stored"
    assert ImportBatch.objects.get().status == "refused"


@pytest.mark.parametrize("damage", [with_broken_deflate, with_broken_xml], ids=["zlib", "xml"])
def test_the_web_page_and_its_json_twin_refuse_a_damaged_workbook(client, areas, tmp_path, damage):
    _analyst(client)
    body = _xlsx(tmp_path, damage).read_bytes()

    page = client.post(URL, {"survey": "uss", "file": SimpleUploadedFile("survey.xlsx", body)})
    twin = client.post(URL + "?format=json", {"survey": "uss", "file": SimpleUploadedFile("survey.xlsx", body)})

    assert page.status_code == 200
    assert "survey.xlsx was refused. Nothing was stored." in page.content.decode()
    assert twin.status_code == 422
    data = twin.json()
    assert data["status"] == "refused" and data["error_count"] == 1
    assert "cannot be read as an Excel .xlsx workbook" in data["errors"][0]["expected"]
    assert list(ImportBatch.objects.values_list("status", flat=True)) == ["refused", "refused"]


@pytest.mark.parametrize("column", ["comment", "response_id"])
def test_a_nul_character_in_a_stored_text_is_refused_by_row_and_column(areas, tmp_path, column):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1), uss_row(2, **{column: "abc\x00def"})], columns=USS_COLUMNS)

    refusal = _refusal(path)

    [problem] = refusal.errors
    assert (problem.row, problem.column, problem.value) == (3, column, "abc\\x00def")
    assert "holds a NUL character (shown as \\x00), which cannot be stored" in problem.expected
    assert Response.objects.count() == 0


def test_a_nul_character_in_a_refused_value_is_kept_readable_in_the_refusal_record(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1, sex="Ma\x00le", neighbourhood="Hightown\x00")],
                     columns=USS_COLUMNS)

    refusal = _refusal(path, file_name="june\x00.csv")

    batch = ImportBatch.objects.get(pk=refusal.batch.pk)  # stored, and read back, on either database
    assert batch.file_name == "june\\x00.csv"
    assert {e["value"] for e in batch.errors} == {"Ma\\x00le", "Hightown\\x00"}
    assert all("\x00" not in str(e) for e in batch.errors)


def test_the_json_twin_refuses_a_nul_character_with_422_not_500(client, areas, tmp_path):
    _analyst(client)
    path = write_csv(tmp_path / "survey.csv", [uss_row(1, comment="x\x00y")], columns=USS_COLUMNS)

    response = client.post(URL + "?format=json", {"survey": "uss", "file": SimpleUploadedFile("survey.csv", path.read_bytes())})

    assert response.status_code == 422
    assert response.json()["errors"][0]["column"] == "comment"
    assert Response.objects.count() == 0


def test_a_csv_that_is_not_text_in_its_encoding_part_way_is_refused(areas, tmp_path):
    path = tmp_path / "survey.csv"
    # A UTF-16 file (NULs every other byte) with an odd byte at the end cannot be decoded.
    path.write_bytes(",".join(USS_COLUMNS).encode("utf-16-le") + b"\n\x00" + b"\x41")

    refusal = _refusal(path)

    assert refusal.batch.status == "refused"
    assert "cannot be read as" in str(refusal)


def test_a_damaged_parquet_file_is_refused(areas, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "survey.parquet"
    pq.write_table(pa.table({c: [uss_row(i)[c] for i in range(1, 200)] for c in USS_COLUMNS}), path)
    data = bytearray(path.read_bytes())
    data[len(data) // 3: len(data) // 3 + 400] = b"\x00" * 400
    path.write_bytes(bytes(data))

    refusal = _refusal(path)

    assert "cannot be read as a Parquet file" in str(refusal)
    assert refusal.batch.status == "refused"
    assert Response.objects.count() == 0


def test_a_mapping_file_that_is_not_utf8_is_refused(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1)], columns=USS_COLUMNS)
    mapping = tmp_path / "mapping.csv"
    mapping.write_bytes(b"Their \xff header,comment\n")

    refusal = _refusal(path, mapping=mapping)

    assert "cannot be read as a UTF-8 CSV file" in str(refusal)
