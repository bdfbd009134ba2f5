"""Reading a plan from an Excel sheet (merged cells, real dates, fill colours as Excel stores them) and from CSV."""

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from citizenfocus.plans.importing import plan_read

from .fixtures import excel_fill


def _sheet(path):
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["Read me first"])
    sheet = workbook.create_sheet("Equality scheme")
    sheet.append(["Race equality scheme: objectives R1 to R3"])
    sheet.append([])
    sheet.append(["Objective ref", "Objective", "Commitment", "Lead", "Activity and progress", "Status", "Target date"])
    sheet.append(["R1", "Every policy has an equality impact assessment", "R1.1 Assess new policies",
                  "Diversity Unit - Head of Diversity", "R1.1.A Assessment template issued.", "Completed",
                  dt.datetime(2012, 6, 30)])
    sheet.append([None, None, None, "Diversity Unit - Head of Diversity", "R1.1.B Six-monthly review of assessments.",
                  "On-going", dt.datetime(2014, 12, 31)])
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("B4:B5")
    sheet.merge_cells("C4:C5")
    sheet.append(["R2", "Community tension returns", "R2.1 Weekly returns from every division",
                  "Neighbourhood Policing", "R2.1.A Returns collected weekly.", None, "March 2014"])
    sheet["F6"].fill = PatternFill("solid", fgColor="FFFF0000")
    sheet.append(["R3", "A community contacts database", None, None, None, None, None])
    workbook.save(str(path))


def test_an_excel_objective_plan_with_merged_cells_is_read(tmp_path):
    path = tmp_path / "scheme.xlsx"
    _sheet(path)
    parsed = plan_read(path)
    assert parsed.table == "sheet 'Equality scheme', header in row 3"
    assert parsed.title == "Race equality scheme: objectives R1 to R3"
    tree = [(r.ref, [(s.ref, [a.ref for a in s.actions]) for s in r.responses]) for r in parsed.recommendations]
    assert tree == [("R1", [("R1.1", ["R1.1.A", "R1.1.B"])]), ("R2", [("R2.1", ["R2.1.A"])]), ("R3", [])]
    actions = {a.ref: a for a in parsed.actions()}
    # A "Target date" column gives the target, even for a completed action: when it was done is not said.
    assert (actions["R1.1.A"].status, actions["R1.1.A"].target_date, actions["R1.1.A"].completion_date) == \
        ("completed", dt.date(2012, 6, 30), None)
    assert (actions["R1.1.B"].status, actions["R1.1.B"].target_date) == ("work_underway", dt.date(2014, 12, 31))
    assert actions["R2.1.A"].status == "not_started"  # red fill, no legend: the usual colours
    assert actions["R2.1.A"].status_read_from == "red shading read as Not Started (no legend in the file)"
    assert actions["R2.1.A"].target_date == dt.date(2014, 3, 31)
    assert (actions["R1.1.B"].department, actions["R1.1.B"].manager_name) == ("Diversity Unit", "Head of Diversity")


def test_fill_colours_are_read_as_rgb_palette_and_theme_colours_through_the_key(tmp_path):
    path = tmp_path / "hate-crime.xlsx"
    excel_fill.build(path)
    parsed = plan_read(path)
    assert parsed.title == excel_fill.TITLE
    assert parsed.legend == ["#00B050 = Completed", "#FFC000 = Work Underway", "#FF0000 = Not Started"]
    assert {a.ref: (a.status, a.status_read_from, a.target_date, a.completion_date, a.department, a.manager_name)
            for a in parsed.actions()} == excel_fill.ACTIONS
    assert parsed.problems == []
    reviewed = next(a for a in parsed.actions() if a.ref == "1.1.A")
    assert [(u.position_date, u.precision, u.text) for u in reviewed.updates] == [
        (dt.date(2014, 3, 12), "day", "twelve centres reviewed.")]
    assert parsed.reporting_date == excel_fill.REPORTING_DATE
    assert [r.kind for r in parsed.rows] == ["item"] * 4


def test_a_csv_plan_is_read(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Ref,Recommendation,Force response,Department and action manager,Current position,Progress,"
                    "Completion date\n"
                    '1,Keep victims informed,1.1 Review call-backs,"Contact Management\nHead of Contact Management",'
                    '1.1.A. Scripts reissued.,Completed - Dec 2011,\n'
                    "1,Keep victims informed,1.1 Review call-backs,,1.1.B. Dip-sample monthly.,Update Mar14 On-going,"
                    "31/03/2014\n", encoding="utf-8-sig")
    parsed = plan_read(path)
    assert [(a.ref, a.status, a.completion_date) for a in parsed.actions()] == [
        ("1.1.A", "completed", dt.date(2011, 12, 31)), ("1.1.B", "work_underway", None)]
    dip = list(parsed.actions())[1]
    assert dip.target_date == dt.date(2014, 3, 31)
    assert [(u.position_date, u.text) for u in dip.updates] == [(dt.date(2014, 3, 31), "On-going")]
    assert parsed.counts["recommendations"] == 1 and parsed.counts["responses"] == 1
