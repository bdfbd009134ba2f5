"""Dashboard tables a board can paste: title, period and filters, number formats, widths, frozen header;
CSV header lines on request; file names with the page, table, area and period."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.usefixtures("demo_data")


@pytest.fixture
def board(client, users):
    client.force_login(users["board_member"])
    return client


def test_the_xlsx_has_a_title_the_period_and_filters_formats_widths_and_a_frozen_header(board):
    from citizenfocus.areas.models import Division

    central = Division.objects.get(name="Central")
    response = board.get(reverse("performance:overview"), {"table": "rates", "format": "xlsx",
                                                            "division": central.pk, "period": "rolling12:2014-03"})
    assert response["Content-Disposition"] == \
        'attachment; filename="overview-rates-central-division-12-months-to-march-2014.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Satisfaction by measure, 12 months to March 2014, Central division"
    assert [sheet[f"A{i}"].value for i in range(2, 4)] == ["Period: 12 months to March 2014",
                                                           "Area: Central division"]
    header = next(r for r in sheet.iter_rows(min_row=1) if r[0].value == "Measure")
    labels = [c.value for c in header]
    first = sheet[header[0].row + 1]
    assert sheet.freeze_panes == f"A{header[0].row + 1}"
    assert first[labels.index("All users")].number_format == "0.0%"
    assert first[labels.index("Base (n)")].number_format == "#,##0" and isinstance(
        first[labels.index("Base (n)")].value, int)
    assert first[labels.index("Gap (white minus BME, points)")].number_format.startswith('+0.0" pts"')
    assert sheet.column_dimensions["A"].width >= len("Whole experience")


def test_the_csv_gap_in_points_holds_points_and_header_lines_come_on_request(board):
    url = reverse("performance:overview")
    plain = b"".join(board.get(url, {"table": "rates", "format": "csv"}).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(plain)))
    json_rows = board.get(url, {"format": "json"}).json()["tables"]["rates"]["rows"]
    for row, data in zip(rows, json_rows, strict=True):
        assert float(row["Gap (white minus BME, points)"]) == pytest.approx(data["gap_diff"] * 100)
        assert row["Base (n)"] == str(int(data["all_n"]))  # 1766, never 1766.0
    with_lines = list(csv.reader(io.StringIO(b"".join(board.get(
        url, {"table": "rates", "format": "csv", "header_lines": "1"}).streaming_content).decode("utf-8-sig"))))
    assert with_lines[0][0].startswith("Satisfaction by measure") and with_lines[1][0].startswith("Period: ")
    assert with_lines[6] == [] and with_lines[7][:3] == ["Measure", "All users", "Base (n)"]
