"""The overview: each measure for all, white and BME users, the gap, last year and the target."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from citizenfocus.engine import gap_rows, indicator_rows, open_db_source
from citizenfocus.performance.models import Target

pytestmark = pytest.mark.usefixtures("demo_data")


def _overview(client, **params):
    response = client.get(reverse("performance:overview"), {"format": "json", **params})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_a_board_member_sees_every_measure_with_its_base_and_the_gap_in_words(client, users):
    client.force_login(users["board_member"])
    data = _overview(client)
    rows = data["tables"]["rates"]["rows"]
    assert [r["measure"] for r in rows] == [
        "ease_of_contact", "actions_taken", "kept_informed", "treatment", "whole_experience",
        "whole_experience_neither",
    ]
    for row in rows:
        assert row["all_n"] > 0 and row["white_n"] > 0 and row["bme_n"] > 0
        assert row["gap_verdict"] in {
            "significantly lower for BME users", "significantly higher for BME users", "not significantly different",
        }
        assert "against" not in row["last_year_verdict"] and "last year" in row["last_year_verdict"]
    assert data["period"]["label"].startswith("12 months to")


def test_the_overview_figures_are_the_engines_figures(client, users):
    client.force_login(users["analyst"])
    data = _overview(client, division_name="", period="rolling12:2013-12")
    overall = next(r for r in data["tables"]["rates"]["rows"] if r["measure"] == "whole_experience")
    source = open_db_source("uss")
    [engine_row] = indicator_rows(source, measure="whole_experience", period="rolling12:2013-12")
    assert overall["all_n"] == engine_row["n"]
    assert overall["all_rate"] == pytest.approx(engine_row["rate"], rel=1e-12)
    assert overall["all_ci_low"] == pytest.approx(engine_row["ci_low"], rel=1e-12)
    [gap] = gap_rows(source, measure="whole_experience", period="rolling12:2013-12")
    assert overall["gap_diff"] == pytest.approx(gap["diff"], rel=1e-12)


def test_a_target_is_compared_in_words(client, users):
    Target.objects.create(survey_key="uss", measure="whole_experience", group="all", rate=0.99)
    client.force_login(users["board_member"])
    overall = next(r for r in _overview(client)["tables"]["rates"]["rows"] if r["measure"] == "whole_experience")
    assert overall["target"] == 0.99
    assert overall["target_verdict"] == "significantly below target"


def test_the_rates_table_exports_as_csv_and_xlsx_and_the_chart_as_png_and_svg(client, users):
    client.force_login(users["board_member"])
    url = reverse("performance:overview")
    csv_body = b"".join(client.get(url, {"table": "rates", "format": "csv"}).streaming_content).decode("utf-8-sig")
    assert csv_body.splitlines()[0].startswith("Measure,All users,Base (n)")
    assert len(csv_body.strip().splitlines()) == 7  # a header and six measures (five and the "neither" share)
    sheet = load_workbook(io.BytesIO(client.get(url, {"table": "rates", "format": "xlsx"}).content)).active
    assert sheet.max_row == 7 + 7  # a title row, five lines of period and filters, a blank row; header and 6 measures
    assert sheet["A1"].value.startswith("Satisfaction by measure") and sheet["A2"].value.startswith("Period: ")
    png = client.get(url, {"chart": "rates", "format": "png"})
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get(url, {"chart": "rates", "format": "svg"})
    assert b"<svg" in svg.content[:200]


def test_the_html_page_has_the_data_table_under_the_chart_and_keeps_filters_in_the_url(client, users):
    client.force_login(users["board_member"])
    page = client.get(reverse("performance:overview"), {"survey": "uss", "crime_type": "vehicle_crime"})
    text = page.content.decode()
    assert 'data-spec-id="spec-rates"' in text and '<table class="data">' in text
    assert text.index('data-spec-id="spec-rates"') < text.index("<caption>Satisfaction by measure")
    assert "crime_type=vehicle_crime" in text  # exports and tabs keep the filters


def test_a_bad_period_is_refused_at_the_field(client, users):
    client.force_login(users["board_member"])
    response = client.get(reverse("performance:overview"), {"period": "rolling12:2014-13"})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_an_outsider_cannot_open_the_dashboard(client, users):
    client.force_login(users["no_access"])
    assert client.get(reverse("performance:overview")).status_code == 403


def test_without_strata_the_json_says_what_the_design_is_and_the_page_has_no_design_note(client, users):
    client.force_login(users["board_member"])
    data = client.get(reverse("performance:overview"), {"format": "json"}).json()
    assert data["design"] == {"responses": data["design"]["responses"], "strata": None, "strata_count": None,
                              "single_unit_strata": 0}
    assert data["design"]["responses"] > 0 and data["design_note"] is None
