"""Publication downloads of the stop and search and map pages: small counts suppressed (primary and
secondary) in the published CSV/XLSX and JSON, present in the internal ones."""

import csv
import io

import pytest
from openpyxl import load_workbook

from citizenfocus.equality.publication import SUPPRESSED, CountRule, suppress_counts
from citizenfocus.performance.pages.base import Column, Table

from .test_ages import SINGLE_YEARS, _write_census

MONTH = {"first": "2014-01", "last": "2014-01"}


def _row(ethnicity: str, officer: str, outcome: str, linked: str) -> list[str]:
    return ["Person search", "2014-01-15T10:00:00+00:00", "False", "", "", "", "Male", "18-24", ethnicity, officer,
            "Police and Criminal Evidence Act 1984 (section 1)", "Stolen goods", outcome, linked, "False"]


# searches by self-defined group: White 40, Black 30, Asian 12, Mixed 3 (small), Other 0
SEARCHES = ([_row("White - Irish", "White", "Arrest", "True")] * 10
            + [_row("White - Irish", "White", "A no further action disposal", "False")] * 30
            + [_row("Black/African/Caribbean/Black British - African", "Black", "Arrest", "True")] * 6
            + [_row("Black/African/Caribbean/Black British - African", "Black", "A no further action disposal",
                    "False")] * 24
            + [_row("Asian/Asian British - Indian", "Asian", "A no further action disposal", "False")] * 12
            + [_row("Mixed/Multiple ethnic groups - White and Asian", "Mixed", "Arrest", "True")] * 3)


@pytest.fixture
def searches(demo_areas, tmp_path):
    from citizenfocus.equality.census import census_import
    from citizenfocus.equality.police_uk import COLUMNS
    from citizenfocus.equality.stop_search import stop_search_import

    ethnic = tmp_path / "ts021.csv"
    groups = {"White": 9000, "Mixed": 400, "Asian": 1200, "Black": 600, "Other": 300}
    header = ["date", "geography", "geography code", "Ethnic group: Total: All usual residents",
              *(f"Ethnic group: {g}" for g in groups)]
    ethnic.write_text(",".join(header) + "\n" + ",".join(["2021", "Testvale", "E05000001", str(sum(groups.values())),
                                                          *map(str, groups.values())]) + "\n", encoding="utf-8")
    census_import(path=ethnic, who_name="test")
    _write_census(tmp_path / "ts009.csv", SINGLE_YEARS)
    census_import(path=tmp_path / "ts009.csv", who_name="test")
    path = tmp_path / "2014-01.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        out.writerows(SEARCHES)
    stop_search_import(paths=[path], who_name="test")


@pytest.fixture
def analyst_client(client, make_user):
    client.force_login(make_user("analyst"))
    return client


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_small_count_is_in_the_internal_csv_and_suppressed_in_the_published_one(searches, analyst_client):
    internal = {r["Ethnic group (self-defined ethnicity)"]: r for r in _csv(analyst_client.get(
        "/equality/stop-search/", {**MONTH, "table": "groups", "format": "csv"}))}
    assert internal["Mixed"]["Searches"] == "3" and internal["Mixed"]["Searches per 1,000"] != ""
    published = {r["Ethnic group (self-defined ethnicity)"]: r for r in _csv(analyst_client.get(
        "/equality/stop-search/", {**MONTH, "table": "groups", "format": "csv", "publication": "1"}))}
    mixed = published["Mixed"]
    assert mixed["Searches"] == SUPPRESSED
    assert mixed["Searches per 1,000"] == mixed["95% CI from"] == mixed["Times as likely as White people"] == ""
    assert mixed["In words"] == SUPPRESSED  # "3 times as likely (95% CI …)" would give the count away
    # secondary: the total of all searches is known (85), so more are hidden until Mixed's could be anything
    # from 0 to 15: Asian's 12 and Other's 0 (hiding a zero costs nothing, but alone it would leave 0 to 3)
    hidden = [g for g, r in published.items() if r["Searches"] == SUPPRESSED]
    assert hidden == ["Mixed", "Asian", "Other"]
    assert published["White"]["Searches"] == "40" and published["Black"]["Searches"] == "30"
    assert float(published["Black"]["Times as likely as White people"]) == pytest.approx((30 / 600) / (40 / 9000))
    assert published["Not stated"]["Searches"] == "0"  # a zero is not itself sensitive


def test_published_xlsx_find_rates_and_ages_are_suppressed_too(searches, analyst_client):
    book = load_workbook(io.BytesIO(analyst_client.get("/equality/stop-search/", {
        **MONTH, "table": "outcomes", "format": "xlsx", "publication": "1"}).content))
    rows = {r[0]: r for r in book.active.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book.active[1]]
    finds = header.index("Finds")
    assert rows["Mixed"][finds] == SUPPRESSED and rows["Mixed"][header.index("Find rate")] is None
    internal = load_workbook(io.BytesIO(analyst_client.get("/equality/stop-search/", {
        **MONTH, "table": "outcomes", "format": "xlsx"}).content))
    assert {r[0]: r for r in internal.active.iter_rows(min_row=2, values_only=True)}["Mixed"][finds] == 3
    ages = {r["Age range (police.uk)"]: r for r in _csv(analyst_client.get(
        "/equality/stop-search/", {**MONTH, "table": "ages", "format": "csv", "publication": "1"}))}
    assert ages["18-24"]["Searches"] == "85" and ages["under 10"]["Searches"] == "0"


def test_the_published_json_has_no_charts_or_sentences_and_charts_are_refused(searches, analyst_client):
    data = analyst_client.get("/equality/stop-search/", {**MONTH, "format": "json", "publication": "1"}).json()
    assert data["charts"] == {} and data["headline"] == [] and data["publication"]["min_count"] == 5
    mixed = next(r for r in data["tables"]["groups"]["rows"] if r["group"] == "Mixed")
    assert mixed["searches"] == SUPPRESSED and mixed["rate_per_1000"] is None
    month = data["tables"]["months"]["rows"][0]
    assert month["count"] == 85
    assert analyst_client.get("/equality/stop-search/", {"chart": "ratios", "format": "png",
                                                         "publication": "1"}).status_code == 404
    page = analyst_client.get("/equality/stop-search/", MONTH).content.decode()
    assert "table=groups&amp;format=csv&amp;publication=1" in page and "For publication" in page


def test_a_neighbourhoods_ratio_is_blanked_when_it_rests_on_a_small_count():
    table = Table("hoods", [Column("neighbourhood", "Neighbourhood"), Column("searches", "Searches", "int"),
                            Column("black_white_ratio", "Black to White ratio", "number")], [
        {"neighbourhood": "A", "searches": 60, "black_searches": 2, "white_searches": 50, "black_white_ratio": 1.2},
        {"neighbourhood": "B", "searches": 70, "black_searches": 9, "white_searches": 55, "black_white_ratio": 2.5}])
    rule = CountRule(("searches",), inputs={"black_searches": ("black_white_ratio",),
                                            "white_searches": ("black_white_ratio",)})
    out = suppress_counts(table, rule)
    assert [r["black_white_ratio"] for r in out.rows] == [None, 2.5]
    assert "black_searches" not in out.rows[0]  # counts kept off the table stay inside


@pytest.mark.django_db
def test_map_survey_figures_on_a_small_base_are_suppressed_for_publication(client, make_user, monkeypatch):
    from citizenfocus.equality import maps_page

    rows = [{"code": "N01", "neighbourhood": "Low", "division": "D", "n": 12, "value": 0.75, "ci_low": 0.47,
             "ci_high": 0.91},
            {"code": "N02", "neighbourhood": "High", "division": "D", "n": 400, "value": 0.8, "ci_low": 0.76,
             "ci_high": 0.84}]
    monkeypatch.setattr(maps_page, "_survey_values", lambda survey, metric: ("2013/14", rows))
    client.force_login(make_user("board_member"))
    internal = _csv(client.get("/equality/maps/", {"table": "neighbourhoods", "format": "csv"}))
    assert internal[0]["Base (n)"] == "12" and internal[0]["Rate"] != ""
    published = _csv(client.get("/equality/maps/", {"table": "neighbourhoods", "format": "csv", "publication": "1"}))
    assert published[0]["Rate"].startswith("suppressed: base under 50") and published[0]["Base (n)"] == ""
    assert published[0]["95% CI from"] == ""
    assert published[1]["Base (n)"] == "400" and published[1]["Rate"] == "0.8"


def test_the_command_publishes_with_the_same_rule(searches):
    import json

    from typer.testing import CliRunner

    from citizenfocus.cli import app

    runner = CliRunner()
    args = ["stop-search", "--period", "2014-01:2014-01", "--format", "json"]
    internal = {r["group"]: r for r in json.loads(runner.invoke(app, args).stdout)["rows"]}
    assert internal["Mixed"]["searches"] == 3
    out = runner.invoke(app, [*args, "--publication"])
    assert out.exit_code == 0, out.stderr
    published = {r["group"]: r for r in json.loads(out.stdout)["rows"]}
    assert published["Mixed"]["searches"] == SUPPRESSED and published["Mixed"]["ratio"] is None
    assert published["Black"]["searches"] == 30
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, [*args[:-2], "--format", "csv", "--publication"])
                                           .stdout)))
    assert {r["ethnic_group_self_defined"]: r for r in rows}["Mixed"]["searches"] == SUPPRESSED
