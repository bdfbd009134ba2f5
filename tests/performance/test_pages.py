"""Trend, gap explorer, neighbourhoods, key drivers and peers: the figures and the words."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.engine import gap_rows, indicator_rows, open_db_source
from citizenfocus.performance.models import ChangePoint, PeerFigure

pytestmark = pytest.mark.usefixtures("demo_data")


def _json(client, page, **params):
    response = client.get(reverse(f"performance:{page}"), {"format": "json", **params})
    assert response.status_code == 200, response.content[:400]
    return response.json()


@pytest.fixture
def board(client, users):
    client.force_login(users["board_member"])
    return client


def test_the_trend_finds_the_central_division_dip_as_signals_below_the_limits(board):
    from citizenfocus.areas.models import Division

    central = Division.objects.get(name="Central")
    data = _json(board, "trend", division=central.pk)
    months = data["tables"]["months"]["rows"]
    assert len(months) == 36 and months[0]["label"] == "April 2011"
    assert months[10]["rolling_rate"] is None and months[11]["rolling_rate"] is not None
    assert months[10]["rolling_n"] is None and months[11]["rolling_n"] > 0  # no window yet: no base, not 0
    flagged = {p for s in data["tables"]["signals"]["rows"] if s["side"] == "below" for p in s["points"].split(", ")}
    assert flagged & {"July 2013", "August 2013", "September 2013"}
    assert any("below the lower control limit" in line or "close to the lower limit" in line for line in data["headline"])


def test_the_rolling_rate_pools_twelve_months_like_the_engine(board):
    data = _json(board, "trend")
    last = data["tables"]["months"]["rows"][-1]
    [engine] = indicator_rows(open_db_source("uss"), measure="whole_experience", period="rolling12:2014-03")
    assert last["rolling_n"] == engine["n"]
    assert last["rolling_rate"] == pytest.approx(engine["rate"], rel=1e-12)


def test_a_change_point_rebases_the_chart_and_is_shown(board):
    ChangePoint.objects.create(survey_key="uss", measure="", month=dt.date(2013, 7, 1), reason="new call handling")
    data = _json(board, "trend")
    assert [s["reason"] for s in data["segments"]] == ["baseline", "new call handling"]
    rules = [layer for layer in data["charts"]["trend"]["spec"]["layer"] if layer.get("mark", {}).get("color") == "#f47738"]
    assert rules and rules[0]["data"]["values"][0]["reason"] == "new call handling"


def test_the_gap_explorer_breaks_the_gap_down_and_sorts_it(board):
    data = _json(board, "gaps")
    crime = data["tables"]["crime_type"]["rows"]
    evidence = [r["p_interval"] for r in crime]
    assert evidence == sorted(evidence)  # strongest evidence first
    assert all(r["p_adjusted"] >= r["p_interval"] for r in crime)
    assert {crime[0]["label"], crime[1]["label"]} & {"Vehicle crime", "Road traffic collision"}
    [engine] = [g for g in gap_rows(open_db_source("uss"), measure="whole_experience", by=("crime_type",),
                                    period="rolling12:2014-03") if g["group"]["crime_type"] == "vehicle_crime"]
    vehicle = next(r for r in crime if r["label"] == "Vehicle crime")
    assert vehicle["diff"] == pytest.approx(engine["diff"], rel=1e-12)
    adjusted = data["tables"]["adjusted"]["rows"]
    assert [r["label"] for r in adjusted] == ["Raw gap", "Adjusted for crime type and age"]
    assert "adjusted gap" in data["headline"][0]


def test_the_neighbourhood_funnel_lists_every_unit_and_those_outside_the_limits(board):
    data = _json(board, "neighbourhoods")
    every = data["tables"]["neighbourhoods"]["rows"]
    assert len(every) == 60
    assert all(r["position"] in {"above", "below", "within", "no responses"} for r in every)
    outside = data["tables"]["outside"]["rows"]
    assert outside == [r for r in every if r["position"] in {"above", "below"}]
    limits = data["charts"]["funnel"]["spec"]["layer"][0]["data"]["values"]
    assert all(row["lower998"] <= row["lower95"] <= row["target"] <= row["upper95"] <= row["upper998"] for row in limits)


def test_no_neighbourhood_outside_the_limits_is_said_so_not_as_no_data(board):
    assert _json(board, "neighbourhoods", period="month:2014-03")["tables"]["outside"]["rows"] == []
    html = board.get(reverse("performance:neighbourhoods"), {"period": "month:2014-03"}).content.decode()
    outside = html[html.index("Neighbourhoods outside the 99.8% limits"):]
    outside = outside[:outside.index("</table>")]
    assert "None: every neighbourhood is within the 99.8% limits." in outside
    assert "No data for these filters" not in outside


def test_key_drivers_name_kept_informed_as_what_matters_most(board):
    data = _json(board, "drivers")
    for group in ("all", "white", "bme"):
        rows = data["tables"][group]["rows"]
        assert rows[0]["label"] == "Kept informed"
        assert sum(r["importance"] for r in rows) == pytest.approx(100)
    assert data["headline"][2].startswith("Kept informed matters most to BME victims")


def test_peers_compare_with_the_msf_average_and_grade(board):
    for i, name in enumerate(("Eastmoor Police", "Westbrook Constabulary", "Highdale Police")):
        PeerFigure.objects.create(survey_key="uss", measure="whole_experience", period="rolling12:2014-03",
                                  force_name=name, rate=0.80 + i / 100, n=1500, source="test table")
    data = _json(board, "peers")
    assert data["msf"]["msf_rate"] == pytest.approx(0.81)
    assert data["msf"]["verdict"] in {"significantly better", "not significantly different", "significantly worse"}
    assert data["grade"]["label"] in {"exceeding the standard", "meeting the standard", "failing to meet the standard"}
    assert len(data["tables"]["forces"]["rows"]) == 4
    own_n = data["tables"]["forces"]["rows"][0]["n"]
    assert own_n >= 1000 and f"(n={own_n:,})" in data["headline"][0]  # the base as the table writes it
    assert "MSF average" in data["board_wording"]


def test_every_page_exports_each_table_and_draws_each_chart(board):
    from citizenfocus.performance.pages import PAGES

    for page in PAGES:
        data = _json(board, page)
        for table in data["tables"]:
            response = board.get(reverse(f"performance:{page}"), {"table": table, "format": "csv"})
            assert response.status_code == 200, (page, table)
        for chart in data["charts"]:
            svg = board.get(reverse(f"performance:{page}"), {"chart": chart, "format": "svg"})
            assert svg.status_code == 200 and b"<svg" in svg.content[:300], (page, chart)


def test_a_neighbourhood_inspector_starts_in_their_own_area(client, make_user):
    from citizenfocus.accounts.models import Profile
    from citizenfocus.areas.models import Neighbourhood

    inspector = make_user("board_member", "inspector")
    hood = Neighbourhood.objects.first()
    Profile.objects.filter(user=inspector).update(neighbourhood=hood, division=hood.division)
    client.force_login(inspector)
    data = _json(client, "overview")
    assert data["filters"]["neighbourhood"] == hood.name


def test_each_html_page_shows_its_own_tables_under_its_charts(board):
    from django.utils.html import escape

    from citizenfocus.performance.pages import PAGES

    for page in PAGES:
        data = _json(board, page)
        html = board.get(reverse(f"performance:{page}")).content.decode()
        for table in data["tables"].values():
            assert f"<caption>{escape(table['caption'])}</caption>" in html, (page, table["caption"])
        for name in data["charts"]:
            assert f'data-spec-id="spec-{name}"' in html, (page, name)


def test_the_public_confidence_survey_has_every_page_and_no_key_driver_analysis(board):
    from citizenfocus.performance.pages import PAGES

    for page in PAGES:
        data = _json(board, page, survey="confidence")
        assert data["title"]
    drivers = _json(board, "drivers", survey="confidence")
    assert drivers["tables"] == {} and "Choose the user satisfaction survey" in drivers["headline"][0]
    overview = _json(board, "overview", survey="confidence")
    assert overview["tables"]["rates"]["caption"].startswith("Rates by measure")
    assert [r["measure"] for r in overview["tables"]["rates"]["rows"]] == ["good_job", "deal_with_matters", "asb_problem"]


@pytest.mark.parametrize("period", ["", "quarter:2013-Q2", "month:2013-09"])
def test_key_drivers_read_only_the_periods_answers_and_get_what_every_answer_gives(db, period):
    """The page pivots only the period's answers (an indexed date range); the patterns are those the whole
    stored survey gives for the same months, first and last month included."""
    from citizenfocus.engine import with_derived_columns
    from citizenfocus.engine.indicators import resolve_period
    from citizenfocus.engine.rows import answer_patterns
    from citizenfocus.performance import cube as cubes
    from citizenfocus.performance.pages.base import Filters
    from citizenfocus.performance.pages.drivers import _patterns

    cube = cubes.get_cube("uss")
    overall = cube.definition.overall_measure
    keys = (overall.key, *(m.key for m in cube.definition.measures if m is not overall and m.headline))
    filters = Filters(survey="uss", measure=overall, period=period, crime_type=None, division=None,
                      neighbourhood=None)
    chosen = resolve_period(period or None, latest=cube.last_month)
    narrowed = _patterns(cube, filters, chosen, keys)
    source = open_db_source("uss")
    whole = answer_patterns(with_derived_columns(source.table, definition=source.definition), measures=keys,
                            equal={}, months=(chosen.first_date, chosen.last_date))
    order = ["ethnic_group", *keys]
    narrowed, whole = (f.sort_values(order).reset_index(drop=True) for f in (narrowed, whole))
    assert len(whole) > 10 and whole["n"].sum() > 100
    assert narrowed[order].equals(whole[order])
    assert narrowed["n"].tolist() == whole["n"].tolist()
    assert narrowed["sw"].to_numpy() == pytest.approx(whole["sw"].to_numpy(), rel=1e-12)
