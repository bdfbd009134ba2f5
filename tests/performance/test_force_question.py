"""A force adds its own question on a 5-point scale to its survey definition, imports answers, and sees the
question's rate, distribution, trend and gap on the dashboard and in the command line, from the codes given."""

import json

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.surveys.definition import DEFINITIONS_DIR

from ..surveys.conftest import write_csv

pytestmark = pytest.mark.usefixtures("demo_data", "force_survey")

QUESTION = '''
[[measures]]
key = "feel_safe"
label = "Feel safe in their neighbourhood"
direction = "higher-better"
question = "How safe or unsafe do you feel in your neighbourhood?"
aliases = ["safe in neighbourhood"]

[measures.scale]
name = "5-point safety"
positive = [1, 2]
negative = [3, 4, 5]
missing = [8]

[measures.scale.labels]
1 = "Very safe"
2 = "Fairly safe"
3 = "Neither safe nor unsafe"
4 = "Fairly unsafe"
5 = "Very unsafe"
8 = "Don't know"

[[measures]]
key = "feel_safe_neither"
item = "feel_safe"
label = "Neither safe nor unsafe"
direction = "higher-worse"
positive = [3]
negative = [1, 2, 4, 5]
'''
# February 2014: codes given by white (W1) and BME (A1) residents; one "don't know" each, out of the base.
WHITE = {1: 30, 2: 50, 3: 20, 4: 10, 5: 10, 8: 1}
BME = {1: 10, 2: 20, 3: 20, 4: 20, 5: 10, 8: 1}
COLUMNS = ["response_id", "interview_date", "division", "ethnicity", "good_job", "deal_with_matters",
           "asb_problem", "safe in neighbourhood"]


def _rows() -> list[dict]:
    rows = []
    for ethnicity, counts, month in (("W1", WHITE, "2014-02"), ("A1", BME, "2014-02"), ("W1", {2: 40}, "2014-01")):
        for code, count in counts.items():
            for _ in range(count):
                rows.append({"response_id": f"L{len(rows):04d}", "interview_date": f"{month}-10",
                             "division": "Northern", "ethnicity": ethnicity, "good_job": "", "deal_with_matters": "",
                             "asb_problem": "", "safe in neighbourhood": str(code)})
    return rows


@pytest.fixture(scope="module")
def force_survey(demo_data, django_db_blocker, tmp_path_factory):
    from citizenfocus.surveys.importing import survey_import

    folder = tmp_path_factory.mktemp("force-question")
    text = (DEFINITIONS_DIR / "confidence.toml").read_text(encoding="utf-8")
    text = text.replace('key = "confidence"', 'key = "residents"').replace(
        'name = "Public confidence survey"', 'name = "Our residents survey"')
    definition = folder / "residents.toml"
    definition.write_text(text + QUESTION, encoding="utf-8")
    data = write_csv(folder / "feb.csv", _rows(), columns=COLUMNS)
    with django_db_blocker.unblock():
        summary = survey_import(path=data, survey=str(definition), user_name="analyst")
    assert summary.rows_new == sum(WHITE.values()) + sum(BME.values()) + 40


def _json(client, page, **params):
    response = client.get(reverse(f"performance:{page}"), {"format": "json", "survey": "residents", **params})
    assert response.status_code == 200, response.content[:400]
    return response.json()


@pytest.fixture
def analyst(client, users):
    client.force_login(users["analyst"])
    return client


def test_the_overview_shows_the_new_question_rate_and_gap_from_its_codes(analyst):
    rows = _json(analyst, "overview", period="month:2014-02")["tables"]["rates"]["rows"]
    safe = next(r for r in rows if r["measure"] == "feel_safe")
    assert (safe["white_n"], safe["bme_n"], safe["all_n"]) == (120, 80, 200)
    assert safe["white_rate"] == pytest.approx(80 / 120) and safe["bme_rate"] == pytest.approx(30 / 80)
    assert safe["gap_verdict"] == "significantly lower for BME users"
    neither = next(r for r in rows if r["measure"] == "feel_safe_neither")
    assert neither["white_rate"] == pytest.approx(20 / 120) and neither["bme_rate"] == pytest.approx(20 / 80)


def test_the_distribution_shows_each_answer_share_by_group_with_its_base(analyst):
    data = _json(analyst, "distribution", measure="feel_safe", period="month:2014-02")
    rows = data["tables"]["distribution"]["rows"]
    assert [r["answer"] for r in rows] == ["Very safe", "Fairly safe", "Neither safe nor unsafe", "Fairly unsafe",
                                           "Very unsafe"]
    assert [r["white_rate"] for r in rows] == pytest.approx([WHITE[c] / 120 for c in range(1, 6)])
    assert [r["bme_rate"] for r in rows] == pytest.approx([BME[c] / 80 for c in range(1, 6)])
    assert {r["bme_n"] for r in rows} == {80} and {r["all_n"] for r in rows} == {200}
    assert all(r["white_ci_low"] <= r["white_rate"] <= r["white_ci_high"] for r in rows)
    measures = {r["measure"]: r for r in data["tables"]["rates"]["rows"]}
    assert measures["Neither safe nor unsafe"]["all_rate"] == pytest.approx(rows[2]["all_rate"])
    assert data["charts"]["distribution"]["table"] == "distribution"


def test_the_trend_shows_the_new_question_month_by_month(analyst):
    months = _json(analyst, "trend", measure="feel_safe")["tables"]["months"]["rows"]
    by_label = {m["label"]: m for m in months}
    assert by_label["January 2014"]["n"] == 40 and by_label["January 2014"]["rate"] == 1.0
    assert by_label["February 2014"]["n"] == 200 and by_label["February 2014"]["rate"] == pytest.approx(110 / 200)


def test_a_trend_with_no_signals_says_so_under_its_signals_table(analyst):
    """An empty signals table means no month is unlikely to be chance, not that there is no data."""
    response = analyst.get(reverse("performance:trend"), {"survey": "residents", "measure": "feel_safe"})
    html = response.content.decode()
    signals = html[html.index("Signals: months that are unlikely to be chance"):]
    signals = signals[:signals.index("</table>")]
    assert "No signals: every month is within what chance alone would give" in signals
    assert "No data for these filters" not in signals


def test_the_command_line_gives_the_rate_gap_and_distribution(demo_data):
    runner = CliRunner()
    base = ["indicators", "--db", "--survey", "residents", "--measure", "safe in neighbourhood",
            "--period", "month:2014-02", "--format", "json"]
    rates = json.loads(runner.invoke(app, [*base, "--by", "ethnic_group"]).stdout)
    found = {r["group"]["ethnic_group"]: (r["n"], r["rate"]) for r in rates if r["n"]}
    assert found == {"white": (120, pytest.approx(80 / 120)), "bme": (80, pytest.approx(0.375))}
    gap = json.loads(runner.invoke(app, [*base, "--gap", "white,bme"]).stdout)
    assert gap[0]["diff"] == pytest.approx(80 / 120 - 30 / 80)
    shares = json.loads(runner.invoke(app, [*base, "--by", "ethnic_group", "--distribution"]).stdout)
    bme = {r["group"]["answer"]: r["rate"] for r in shares if r["group"]["ethnic_group"] == "bme"}
    assert bme == pytest.approx({"Very safe": 10 / 80, "Fairly safe": 20 / 80, "Neither safe nor unsafe": 20 / 80,
                                 "Fairly unsafe": 20 / 80, "Very unsafe": 10 / 80})


def test_the_command_lines_distribution_table_is_titled_by_its_question(demo_data):
    result = CliRunner().invoke(app, ["indicators", "--db", "--survey", "residents", "--measure", "feel_safe",
                                      "--period", "month:2014-02", "--distribution"])
    assert result.exit_code == 0, result.output
    title = result.stdout.splitlines()[0]
    assert title.startswith("feel_safe: each answer's share of those who answered, February 2014")
    assert "__code_" not in result.stdout


def test_the_command_lines_distribution_gaps_keep_the_scales_order(demo_data):
    result = CliRunner().invoke(app, ["indicators", "--db", "--survey", "residents", "--measure", "feel_safe",
                                      "--period", "month:2014-02", "--distribution", "--gap", "white,bme"])
    assert result.exit_code == 0, result.output
    answers = ["Very safe", "Fairly safe", "Neither safe nor unsafe", "Fairly unsafe", "Very unsafe"]
    where = [result.stdout.index(f"{answer} ") for answer in answers]
    assert where == sorted(where), result.stdout


def test_a_survey_without_crime_types_offers_no_crime_type_filter(analyst):
    residents = analyst.get(reverse("performance:overview"), {"survey": "residents"}).content.decode()
    victims = analyst.get(reverse("performance:overview"), {"survey": "uss"}).content.decode()
    assert 'name="crime_type"' not in residents
    assert 'name="crime_type"' in victims
