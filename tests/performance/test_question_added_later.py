"""A question a force adds to its survey part way through: its trend starts when it was first asked.

Months before the question was in the survey are not months with a rate of 0 (or of anything): they are not
plotted, they do not count in the control chart's centre line or limits, and the table says they were not
asked. A month after it with no answers is a gap, as any month with no responses is.
"""

import pytest
from django.urls import reverse

from citizenfocus.surveys.definition import DEFINITIONS_DIR

from ..surveys.conftest import write_csv

pytestmark = pytest.mark.usefixtures("demo_data", "panel_survey")

QUESTION = '''
[[measures]]
key = "feel_safe"
label = "Feel safe in their neighbourhood"
direction = "higher-better"
question = "How safe or unsafe do you feel in your neighbourhood?"

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
'''
COLUMNS = ["response_id", "interview_date", "division", "ethnicity", "good_job", "deal_with_matters",
           "asb_problem", "feel_safe"]
MONTHS = [f"{2012 + (2 + m) // 12}-{(2 + m) % 12 + 1:02d}" for m in range(24)]  # March 2012 to February 2014
ASKED_FROM = 12  # March 2013, the 13th month
NO_ANSWERS = 17  # August 2013: asked, but every answer left blank
DIP = 22  # January 2014: 10 of 50 feel safe, below the control chart's lower limit


def _safe(month: int) -> int:
    """How many of the month's 50 residents feel safe: 30 to 32, and 10 in the month of the dip."""
    return 10 if month == DIP else 30 + month % 3


def _feel_safe(month: int, i: int) -> str:
    if month < ASKED_FROM or month == NO_ANSWERS:
        return ""
    return "1" if i < _safe(month) else "4"


def _rows() -> list[dict]:
    return [{"response_id": f"P{month:02d}{i:02d}", "interview_date": f"{MONTHS[month]}-10", "division": "Northern",
             "ethnicity": "W1", "good_job": "1" if i % 2 else "4", "deal_with_matters": "", "asb_problem": "",
             "feel_safe": _feel_safe(month, i)}
            for month in range(24) for i in range(50)]


@pytest.fixture(scope="module")
def panel_survey(demo_data, django_db_blocker, tmp_path_factory):
    from citizenfocus.surveys.importing import survey_import

    folder = tmp_path_factory.mktemp("question-added-later")
    text = (DEFINITIONS_DIR / "confidence.toml").read_text(encoding="utf-8")
    text = text.replace('key = "confidence"', 'key = "panel"').replace(
        'name = "Public confidence survey"', 'name = "Residents panel survey"')
    definition = folder / "panel.toml"
    definition.write_text(text + QUESTION, encoding="utf-8")
    data = write_csv(folder / "panel.csv", _rows(), columns=COLUMNS)
    with django_db_blocker.unblock():
        summary = survey_import(path=data, survey=str(definition), user_name="analyst")
    assert summary.rows_new == 24 * 50


@pytest.fixture
def analyst(client, users):
    client.force_login(users["analyst"])
    return client


def _trend(client, **params):
    response = client.get(reverse("performance:trend"), {"format": "json", "survey": "panel",
                                                         "measure": "feel_safe", **params})
    assert response.status_code == 200, response.content[:400]
    return response.json()


def _months(data) -> dict[str, dict]:
    return {row["label"]: row for row in data["tables"]["months"]["rows"]}


ASKED = [m for m in range(ASKED_FROM, 24) if m != NO_ANSWERS]
CENTRE = sum(_safe(m) for m in ASKED) / (50 * len(ASKED))


def test_the_months_before_the_question_was_asked_are_not_on_the_chart(analyst):
    data = _trend(analyst)
    plotted = data["charts"]["trend"]["spec"]["data"]["values"]
    assert plotted[0]["month"] == "2013-03-01" and len(plotted) == 24 - ASKED_FROM
    assert data["first_asked"] == "2013-03-01"
    assert data["segments"][0]["start"] == "March 2013"


def test_the_centre_line_and_limits_are_those_of_the_months_it_was_asked(analyst):
    data = _trend(analyst)
    months = list(_months(data).values())
    assert all(row["centre"] is None and row["lcl"] is None and row["ucl"] is None for row in months[:ASKED_FROM])
    asked = [row for row in months[ASKED_FROM:] if row["n"]]
    assert [row["n"] for row in asked] == [50] * len(ASKED)
    assert [row["centre"] for row in asked] == pytest.approx([CENTRE] * len(ASKED))
    assert data["segments"][0]["baseline"] == [row["label"] for row in asked]


def test_the_table_says_which_months_the_question_was_not_asked(analyst):
    data = _trend(analyst)
    months = list(_months(data).values())
    assert [row["note"] for row in months] == ["Not asked yet"] * ASKED_FROM + [None] * (24 - ASKED_FROM)
    assert "note" in [c["key"] for c in data["tables"]["months"]["columns"]]
    assert any("first asked in March 2013" in line for line in data["headline"])
    page = analyst.get(reverse("performance:trend"), {"survey": "panel", "measure": "feel_safe"}).content.decode()
    assert page.count("Not asked yet") == ASKED_FROM
    csv = b"".join(analyst.get(reverse("performance:trend"), {
        "survey": "panel", "measure": "feel_safe", "format": "csv", "table": "months"}).streaming_content)
    assert csv.decode("utf-8-sig").count("Not asked yet") == ASKED_FROM


def test_a_month_with_no_answers_after_it_is_a_gap_not_a_rate_of_0(analyst):
    data = _trend(analyst)
    august = _months(data)["August 2013"]
    assert (august["n"], august["rate"], august["lcl"], august["note"]) == (0, None, None, None)
    plotted = {row["month"]: row for row in data["charts"]["trend"]["spec"]["data"]["values"]}
    assert plotted["2013-08-01"]["rate"] is None


def test_a_rolling_12_months_starts_with_the_questions_12th_month(analyst):
    months = list(_months(_trend(analyst)).values())
    assert all(row["rolling_rate"] is None for row in months[:-1])
    assert months[-1]["rolling_n"] == 50 * len(ASKED)  # February 2014: its 12 months, August with no answers
    assert months[-1]["rolling_rate"] == pytest.approx(CENTRE)


def test_a_signal_names_its_month_among_every_month_of_the_survey(analyst):
    """A signal's indices are positions in the table's months (a report reads a month's row by them)."""
    data = _trend(analyst)
    signals = data["tables"]["signals"]["rows"]
    below = next(s for s in signals if s["rule"] == "beyond-limit")
    rows = data["tables"]["months"]["rows"]
    assert [rows[i]["label"] for i in below["indices"]] == ["January 2014"] == below["points"].split(", ")
    assert rows[DIP]["signal"] and rows[DIP]["rate"] < rows[DIP]["lcl"]
