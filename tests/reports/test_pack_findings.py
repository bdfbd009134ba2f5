"""The pack's words: the base effect computed again here from the stored responses, the grid's icons
and words, the findings, numbered paragraphs, and tables equal to the dashboard pages and the engine."""

import datetime as dt

import pandas as pd
import pytest

from citizenfocus.reports import formatting as fmt
from citizenfocus.reports.document import Heading, Para, TableBlock

pytestmark = [pytest.mark.usefixtures("demo_force"), pytest.mark.django_db]


def _paragraphs(pack) -> list[str]:
    return [b.text for b in pack.blocks if isinstance(b, Para)]


def _section(pack, title: str) -> list:
    start = next(i for i, b in enumerate(pack.blocks) if isinstance(b, Heading) and b.level == 1 and b.text == title)
    end = next((i for i, b in enumerate(pack.blocks[start + 1:], start + 1)
                if isinstance(b, Heading) and b.level == 1), len(pack.blocks))
    return pack.blocks[start:end]


def _monthly(measure: str) -> pd.DataFrame:
    """Σw and Σwy by month of interview, from the stored responses through the ORM (not the engine)."""
    from citizenfocus.surveys.definition import get_definition
    from citizenfocus.surveys.models import Response, SurveyItem

    positive, negative = get_definition("uss").measure(measure).outcome_codes()
    slots = SurveyItem.every_survey()
    found = [(r.interview_date, r.weight, r.codes(slots[r.survey_id]).get(measure))
             for r in Response.objects.filter(survey__key="uss").order_by("pk")]
    rows = pd.DataFrame([row for row in found if row[2] in positive | negative],
                        columns=["interview_date", "weight", "code"])
    rows["month"] = pd.to_datetime(rows["interview_date"]).dt.to_period("M")
    rows["wy"] = rows["weight"] * rows["code"].isin(positive)
    return rows.groupby("month").agg(n=("weight", "size"), sw=("weight", "sum"), swy=("wy", "sum"))


def test_the_base_effect_sentence_names_the_month_that_left_the_window_and_its_figures(force_pack):
    months = _monthly("whole_experience")
    last, left = pd.Period("2014-03", "M"), pd.Period("2013-03", "M")
    window = months.loc[pd.Period("2013-04", "M"):last]
    previous = months.loc[left:pd.Period("2014-02", "M")]
    rate, before = window.swy.sum() / window.sw.sum(), previous.swy.sum() / previous.sw.sum()
    shared = (previous.swy.sum() - months.loc[left, "swy"]) / (previous.sw.sum() - months.loc[left, "sw"])
    left_rate = months.loc[left, "swy"] / months.loc[left, "sw"]
    entered_rate = months.loc[last, "swy"] / months.loc[last, "sw"]
    left_effect, entered_effect = shared - before, rate - shared

    [sentence] = [p for p in _paragraphs(force_pack) if p.startswith("Satisfaction with the whole experience is")]
    assert sentence.startswith(
        f"Satisfaction with the whole experience is {rate:.1%} (Northvale Constabulary, rolling 12 months to "
        f"March 2014, base {int(window.n.sum()):,}), ")
    assert f"from {before:.1%} in the 12 months to February 2014" in sentence
    left_words = f"March 2013 ({left_rate:.1%}, base {int(months.loc[left, 'n']):,})"
    entered_words = f"March 2014 ({entered_rate:.1%}, base {int(months.loc[last, 'n']):,})"
    assert left_words in sentence and entered_words in sentence
    main = "left the rolling window" if abs(left_effect) >= abs(entered_effect) else "entered the rolling window"
    assert f"mainly because {left_words if main.startswith('left') else entered_words} {main}" in sentence
    assert fmt.points(left_effect) in sentence and fmt.points(entered_effect) in sentence
    assert ("fall" if rate < before else "rise") in sentence


def test_the_findings_say_the_reporting_lag_and_the_rate_with_and_without_a_crime_type(force_pack):
    from citizenfocus.surveys.models import Response

    dates = pd.DataFrame(Response.objects.filter(survey__key="uss", interview_date__gte=dt.date(2014, 3, 1),
                                                 incident_date__isnull=False).values("incident_date"))
    commonest = pd.to_datetime(dates["incident_date"]).dt.to_period("M").value_counts().idxmax()
    findings = [p for p in _paragraphs(force_pack) if "interviews in March 2014 were mostly about incidents in" in p]
    assert findings and f"incidents in {commonest.strftime('%B %Y')}" in findings[0]
    assert any(", all crime types: " in p and " alone: " in p and "; without " in p for p in _paragraphs(force_pack))


def test_the_summary_grid_has_each_measure_and_area_with_icons_and_their_words(force_pack):
    from citizenfocus.reports.grid import ICONS

    [grid] = [b for b in _section(force_pack, "Summary") if isinstance(b, TableBlock)]
    assert len(grid.rows) == 5 * 4  # five measures × the force and its three divisions
    assert {r[1] for r in grid.rows} == {"Whole force", "Central division", "Northern division", "Southern division"}
    for column in (7, 8):
        for row, icon in zip(grid.rows, grid.icons[column], strict=True):
            assert row[column].startswith(ICONS[icon][2])
    assert set(grid.icons[8]) == {"no_target"}  # the demo sets no targets


def test_the_grid_matches_the_overview_page_and_the_engine(force_pack, client, users):
    from django.urls import reverse

    from citizenfocus.engine import indicator_rows, open_db_source
    from citizenfocus.surveys.definition import get_definition

    [grid] = [b for b in _section(force_pack, "Summary") if isinstance(b, TableBlock)]
    client.force_login(users["board_member"])
    page = client.get(reverse("performance:overview"), {"format": "json", "period": "rolling12:2014-03"}).json()
    headline = {m.key for m in get_definition("uss").measures if m.headline}  # the grid's: not the neither share
    rows = [row for row in page["tables"]["rates"]["rows"] if row["measure"] in headline]
    assert len(rows) == 5
    for row in rows:
        [mine] = [r for r in grid.rows if r[0] == row["label"] and r[1] == "Whole force"]
        assert mine[2:5] == [fmt.rate(row["all_rate"]), fmt.base(row["all_n"]), fmt.points(row["gap_diff"])]
        [engine] = indicator_rows(open_db_source("uss"), measure=row["measure"], period="rolling12:2014-03")
        assert mine[2] == fmt.rate(engine["rate"]) and mine[3] == fmt.base(engine["n"])


def test_a_gap_table_is_the_gap_explorer_s_rows_formatted(force_pack, client, users):
    from django.urls import reverse

    client.force_login(users["board_member"])
    page = client.get(reverse("performance:gaps"), {"format": "json", "period": "rolling12:2014-03",
                                                    "measure": "kept_informed"}).json()
    rows = page["tables"]["crime_type"]["rows"]
    [table] = [b for b in _section(force_pack, "Kept informed") if isinstance(b, TableBlock)
               and b.caption == page["tables"]["crime_type"]["caption"]]
    assert [r[0] for r in table.rows] == [r["label"] for r in rows]
    assert [r[5] for r in table.rows] == [fmt.points(r["diff"]) for r in rows]
    assert [r[2] for r in table.rows] == [fmt.base_flagged(r["white_n"]) for r in rows]


def test_a_target_below_the_limits_is_consistently_met_and_one_above_consistently_failed(demo_force):
    from citizenfocus.performance.models import Target
    from citizenfocus.reports.build import PackRequest, board_pack

    Target.objects.create(survey_key="uss", measure="whole_experience", rate=0.5)
    Target.objects.create(survey_key="uss", measure="kept_informed", rate=0.95)
    pack = board_pack(PackRequest(period="rolling12:2014-03"), render=False)
    [grid] = [b for b in _section(pack, "Summary") if isinstance(b, TableBlock)]
    by_measure = {r[0]: r for r in grid.rows if r[1] == "Whole force"}
    assert by_measure["Whole experience"][8] == "Will consistently meet the target (50.0%)"
    assert by_measure["Kept informed"][8] == "Will consistently fail the target (95.0%)"


def test_the_central_division_dip_is_special_cause_concern_in_its_pack(demo_force):
    from citizenfocus.reports.build import PackRequest, board_pack

    pack = board_pack(PackRequest(division="Central", period="2013-09"), render=False)
    [grid] = [b for b in _section(pack, "Summary") if isinstance(b, TableBlock)]
    row = next(r for r in grid.rows if r[0] == "Whole experience")
    assert row[1] == "Central division" and row[7] == "Special cause concern"
    assert any(p.startswith("Special cause concern in the latest month: ") and "whole experience" in p
               for p in _paragraphs(pack))


def test_paragraphs_are_numbered_within_sections_in_the_committee_order(force_pack):
    sections = [b.text for b in force_pack.blocks if isinstance(b, Heading) and b.level == 1]
    assert sections == ["Purpose and recommendation", "Summary", "Key findings", "Ease of contact", "Actions taken",
                        "Kept informed", "Treatment", "Whole experience", "Action plans",
                        "Appendix: methods, glossary and sources"]
    numbers = [b.number for b in force_pack.blocks if isinstance(b, Para)]
    assert numbers[:3] == ["1.1", "1.2", "2.1"] and len(numbers) == len(set(numbers))


def test_every_chart_is_followed_by_its_table(force_pack):
    from citizenfocus.reports.document import Chart

    blocks = force_pack.blocks
    charts = [i for i, b in enumerate(blocks) if isinstance(b, Chart)]
    assert len(charts) >= 5 * 5
    assert all(isinstance(blocks[i + 1], TableBlock) for i in charts)
    # the pictures are drawn in the chart worker while the pack is written: image() waits for each
    assert all(blocks[i].image().startswith(b"\x89PNG") for i in charts)


def test_the_action_plans_show_changes_since_the_meeting_overdue_actions_and_top_risks(force_pack):
    section = _section(force_pack, "Action plans")
    captions = [b.caption for b in section if isinstance(b, TableBlock)]
    assert "Actions by status and by RAG" in captions
    assert any(c.startswith("Changed since Citizen Focus Board (13 February 2014)") for c in captions)
    [risks] = [b for b in section if isinstance(b, TableBlock) and b.caption.startswith("Top ")]
    assert risks.rows[0][:5] == ["1", "BME victims are not kept informed, so the satisfaction gap widens", "4", "4",
                                 "16"]
    [grid] = [b for b in section if isinstance(b, TableBlock) and "likelihood × impact grid" in b.caption]
    assert grid.rows[0][0] == "Impact 5" and grid.rows[1][4] == "1"  # impact 4, likelihood 4: risk 1
