"""The equality pages: HTML, JSON twin, CSV/XLSX tables, PNG charts; what the figures say."""

import csv
import io
from html import unescape

import pytest
from openpyxl import load_workbook

PAGES = ("/equality/neighbourhoods/C01/", "/equality/maps/", "/equality/stop-search/")


@pytest.fixture
def analyst(client, demo_equality, make_user):
    client.force_login(make_user("analyst"))
    return client


@pytest.mark.parametrize("url", PAGES)
def test_each_page_has_html_a_json_twin_and_tables_under_its_charts(analyst, url):
    page = analyst.get(url)
    assert page.status_code == 200
    data = analyst.get(url, {"format": "json"}).json()
    for name, chart in data["charts"].items():
        assert chart["table"] in data["tables"], f"chart {name} has no table under it"
    html = unescape(page.content.decode())
    for table in data["tables"].values():
        assert table["caption"] in html


def test_the_profile_compares_residents_with_the_force_and_the_respondents(analyst):
    data = analyst.get("/equality/neighbourhoods/C01/", {"format": "json"}).json()
    who = {row["group"]: row for row in data["tables"]["who"]["rows"]}
    assert set(who) == {"White", "Mixed", "Asian", "Black", "Other"}
    assert sum(row["share"] for row in who.values()) == pytest.approx(1.0)
    assert who["White"]["force_share"] > who["White"]["share"] - 0.5
    assert any("would have to be in another ethnic group" in s for s in data["headline"])
    rates = data["tables"]["rates"]["rows"]
    assert {r["group"] for r in rates} == {"All respondents", "White", "Black and minority ethnic"}
    assert all(r["n"] is not None for r in rates)  # every rate with its base
    assert len(data["tables"]["categories"]["rows"]) == 19
    outline = data["charts"]["map"]["spec"]["layer"][-1]["encoding"]["stroke"]["condition"]
    assert outline == {"test": 'datum.properties.code === "C01"', "value": "#d4351c"}  # this neighbourhood outlined


def test_stop_search_says_the_ratio_with_its_interval_in_words(analyst):
    data = analyst.get("/equality/stop-search/", {"format": "json"}).json()
    black = next(r for r in data["tables"]["groups"]["rows"] if r["group"] == "Black")
    assert black["ratio_low"] > 1
    assert black["ratio_sentence"].startswith("Black people were ")
    assert "times as likely as White people to be searched (95% CI" in black["ratio_sentence"]
    assert black["ratio_sentence"] in data["headline"]
    assert {"groups", "outcomes", "section_60", "sex", "neighbourhoods", "months"} <= set(data["tables"])
    hood = data["tables"]["neighbourhoods"]["rows"][0]
    assert hood["low998"] < hood["force_rate"] < hood["high998"]


def test_stop_search_by_age_and_sex_has_rates_ratios_a_chart_and_downloads(analyst):
    data = analyst.get("/equality/stop-search/", {"format": "json"}).json()
    ages = {r["age_range"]: r for r in data["tables"]["ages"]["rows"]}
    assert list(ages)[:5] == ["under 10", "10-17", "18-24", "25-34", "over 34"]
    assert all(ages[a]["residents"] for a in list(ages)[:5])  # the demo's census bands map onto every range
    assert ages["18-24"]["ratio_low"] > 1 and ages["18-24"]["ratio_sentence"] in data["headline"]
    assert data["charts"]["ages"]["table"] == "ages" and data["age_problems"] == []
    male = data["tables"]["sex"]["rows"][1]
    assert male["sex"] == "Male" and male["ratio_low"] > 1 and male["ratio_sentence"].startswith("Males were")
    response = analyst.get("/equality/stop-search/", {"table": "ages", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Age range (police.uk)", "Searches", "Residents", "Searches per 1,000"]
    assert rows[0][6] == "Times as likely as people over 34"
    book = load_workbook(io.BytesIO(analyst.get("/equality/stop-search/", {"table": "sex", "format": "xlsx"}).content))
    assert [c.value for c in book.active[1]][:2] == ["Sex", "Searches"]
    page = analyst.get("/equality/stop-search/").content.decode()
    assert "Searches per 1,000 residents by age" in page and "table=ages&amp;format=csv" in page


def test_officer_defined_ethnicity_is_a_separate_view(analyst):
    self_defined = analyst.get("/equality/stop-search/", {"format": "json"}).json()
    officer = analyst.get("/equality/stop-search/", {"format": "json", "basis": "officer"}).json()
    assert "officer-defined" in officer["title"] and "self-defined" in self_defined["title"]
    assert officer["tables"]["groups"]["rows"] != self_defined["tables"]["groups"]["rows"]
    assert officer["tables"]["groups"]["columns"][0]["label"] == "Ethnic group (officer-defined ethnicity)"


def test_tables_export_to_csv_and_xlsx_and_charts_to_png(analyst):
    response = analyst.get("/equality/stop-search/", {"table": "groups", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Ethnic group (self-defined ethnicity)", "Searches", "Residents"] and len(rows) == 7
    book = load_workbook(io.BytesIO(analyst.get("/equality/maps/", {"table": "neighbourhoods", "format": "xlsx"})
                                    .content))
    assert book.active.max_row == 61
    png = analyst.get("/equality/maps/", {"metric": "share_black", "chart": "map", "format": "png"})
    assert png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"


@pytest.mark.parametrize("metric", ["satisfaction", "gap", "confidence", "share_white", "share_asian"])
def test_every_map_has_a_value_for_each_neighbourhood(analyst, metric):
    data = analyst.get("/equality/maps/", {"metric": metric, "format": "json"}).json()
    rows = data["tables"]["neighbourhoods"]["rows"]
    assert len(rows) == 60
    if metric == "gap":  # a gap wherever both groups answered there
        assert all((r["value"] is not None) == bool(r["white_n"] and r["bme_n"]) for r in rows)
        assert sum(r["value"] is not None for r in rows) >= 40
    else:
        assert all(r["value"] is not None for r in rows)


def test_bad_filters_are_a_400_naming_the_field(analyst):
    response = analyst.get("/equality/stop-search/", {"first": "March", "format": "json"})
    assert response.status_code == 400 and "first" in response.json()["errors"]
    assert analyst.get("/equality/maps/", {"metric": "nope"}).status_code == 400
    assert analyst.get("/equality/neighbourhoods/ZZZ/").status_code == 404


def test_an_inspector_opens_on_their_home_neighbourhood(client, demo_equality, make_user):
    from citizenfocus.accounts.models import Profile
    from citizenfocus.areas.models import Neighbourhood

    inspector = make_user("inspector")
    Profile.objects.filter(user=inspector).update(neighbourhood=Neighbourhood.objects.get(code="S03"))
    client.force_login(inspector)
    assert client.get("/equality/neighbourhoods/")["Location"] == "/equality/neighbourhoods/S03/"
    assert client.get("/equality/neighbourhoods/", {"choose": "1"}).status_code == 200


ROLE_CAN_VIEW = {"administrator": True, "analyst": True, "action_owner": True, "board_member": True,
                 "inspector": True, "supervisor": True, "officer": False, "no_access": False}


@pytest.mark.parametrize("url", [*PAGES, "/equality/neighbourhoods/"])
@pytest.mark.parametrize("role", ROLE_CAN_VIEW)
def test_every_equality_page_checks_the_role(client, demo_equality, make_user, url, role):
    client.force_login(make_user(role))
    status = client.get(url, {"format": "json"}).status_code
    assert (status == 200) == ROLE_CAN_VIEW[role] and status in (200, 403)


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_a_log_in(client, demo_equality, url):
    assert client.get(url).status_code == 302


def test_the_profile_gives_confidence_raked_to_the_census_margins(analyst):
    from citizenfocus.areas.models import Neighbourhood
    from citizenfocus.equality.calibrated import calibrated_confidence

    raked = calibrated_confidence(Neighbourhood.objects.get(code="C12"))
    assert raked["n"] > 50 and raked["ci_low"] < raked["rate"] < raked["ci_high"]
    data = analyst.get("/equality/neighbourhoods/C12/", {"format": "json"}).json()
    row = data["tables"]["rates"]["rows"][-1]
    assert row["survey"] == "Public confidence, weighted to the census" and row["rate"] == pytest.approx(raked["rate"])
