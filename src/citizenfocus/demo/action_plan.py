"""The demo force's BME satisfaction-gap action plan as a Word document, built with python-docx (also a test fixture).

Like the ones forces keep: a title and a key to the progress colours, then one long
table over several pages with merged Ref / Recommendation / Response cells, a
position that runs on into a second row, a header row repeated by hand, statuses
and dates written the way forces write them, a progress cell that is only shaded,
and a little HTML left over from a copy and paste. Roles, never people's names.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HEADER = ["Ref", "Recommendation", "Force response", "Department and action manager", "Current position",
          "Progress", "Completion date"]
GREEN, AMBER, RED, LIGHT_GREEN = "00B050", "FFC000", "FF0000", "92D050"

FILLER = (" The work is overseen by the Citizen Focus Board, which receives a written report at each meeting and "
          "agrees any change of approach with the Police Authority's scrutiny lead.")

# (ref, recommendation, response, owner, position, progress, fill, date); None = merged with the row above
ROWS = [
    ("1", "Improve the way BME victims are kept informed of the progress of their case.",
     "1.1 Agreed. Contact Management will review the call-back process for all victims, with a check on BME "
     "victims.",
     "Contact Management\nHead of Contact Management",
     "1.1.A. Call-back scripts reviewed and reissued to all divisions." + FILLER,
     "Completed - Dec 2011", None, "Dec 2011"),
    (None, None, None, "Contact Management\nHead of Contact Management",
     "1.1.B. Monthly dip-sample of 20 BME victim call-backs by supervisors.",
     "Update Mar14 On-going", None, "31/03/2014"),
    (None, None, None, "", "Results are reported to the Citizen Focus Board each quarter." + FILLER, "", None, ""),
    (None, None, "1.2 Victims will be offered a choice of contact method and language.",
     "Contact Management\nHead of Contact Management",
     "1.2.A. Victim contact contract recorded on the crime system for every victim." + FILLER,
     "", AMBER, "March 2013"),
    ("2", "Understand why BME victims of vehicle crime are less satisfied than white victims.",
     "2.1 Agreed. Performance Review will analyse the survey results by crime type and ethnicity.",
     "Performance Review \u2013 Head of Performance Review",
     "2.1.A. Analysis of 12 months of survey data completed and presented to the Gold Group." + FILLER,
     "Completed \u2013 March 2013", None, "March 2013"),
    (None, None, None, "Performance Review \u2013 Head of Performance Review",
     "2.1.B. Focus groups with BME victims of vehicle crime, with the Independent Advisory Group.",
     "Not Started", None, "30 Sept 2014"),
    ("3", "Train front-line staff in the needs of victims from minority communities.",
     "3.1 Partially agreed: training will be given to call handlers and neighbourhood teams first.",
     "Learning and Development\nHead of Learning and Development",
     "3.1.A. Victim care module added to call handler training." + FILLER + FILLER,
     "Work Underway", None, "June 2014 (revised December 2014)"),
    (None, None, "3.2 Training to be refreshed every year.", None,
     "3.2.A. Refresher training included in the annual training plan.",
     "Blocked \u2013 awaiting a funding decision", None, "TBC"),
    "HEADER",
    ("4", "Make it easier for BME communities to report crime and give feedback.",
     "4.1 <b>Agreed</b>. Third-party reporting centres will be extended &amp; publicised.",
     "Corporate Development \u2013 Chief Inspector, Partnerships",
     "4.1.A. Twelve third-party reporting centres opened with community partners." + FILLER,
     "Completed", None, "31.10.2012"),
    (None, None, None, "Corporate Development \u2013 Chief Inspector, Partnerships",
     "4.1.B. Online feedback form for victims in five community languages.",
     "Update Mar14 On-going", None, "Jun-14"),
    ("5", "Report progress on the satisfaction gap to the Police Authority every quarter.",
     "5.1 Agreed.", "", "", "", None, ""),
    (None, None, "5.2 The gap will be reported in the quarterly performance review.",
     "Performance Review\nHead of Performance Review",
     "5.2.A. The gap, with its confidence interval, added to the quarterly performance report." + FILLER,
     "", LIGHT_GREEN, "Dec 2011"),
]

EXPECTED = {
    # ref: (status, target date, original target date, completion date)
    "1.1.A": ("completed", None, None, dt.date(2011, 12, 31)),
    "1.1.B": ("work_underway", dt.date(2014, 3, 31), dt.date(2014, 3, 31), None),
    "1.2.A": ("work_underway", dt.date(2013, 3, 31), dt.date(2013, 3, 31), None),
    "2.1.A": ("completed", None, None, dt.date(2013, 3, 31)),
    "2.1.B": ("not_started", dt.date(2014, 9, 30), dt.date(2014, 9, 30), None),
    "3.1.A": ("work_underway", dt.date(2014, 12, 31), dt.date(2014, 6, 30), None),
    "3.2.A": ("blocked", None, None, None),
    "4.1.A": ("completed", None, None, dt.date(2012, 10, 31)),
    "4.1.B": ("work_underway", dt.date(2014, 6, 30), dt.date(2014, 6, 30), None),
    "5.2.A": ("completed", None, None, dt.date(2011, 12, 31)),
}
TITLE = "Closing the gap: BME victim satisfaction action plan 2011 to 2014"


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _write(cell, text: str) -> None:
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def build(path, rows=ROWS, legend: bool = True) -> None:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(TITLE, level=1)
    document.add_paragraph("Response to the Police Authority scrutiny panel's review of the satisfaction of "
                           "black and minority ethnic victims. Position at March 2014.")
    if legend:
        key = document.add_table(rows=1, cols=4)
        key.style = "Table Grid"
        key.cell(0, 0).text = "Key to progress:"
        for index, (label, fill) in enumerate((("Completed", GREEN), ("Work Underway", AMBER),
                                               ("Not Started", RED)), start=1):
            key.cell(0, index).text = label
            shade(key.cell(0, index), fill)
        document.add_paragraph("")
    table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
    table.style = "Table Grid"
    for index, title in enumerate(HEADER):
        table.cell(0, index).text = title
    starts: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        if row == "HEADER":
            for index, title in enumerate(HEADER):
                table.cell(r, index).text = title
            starts.clear()
            continue
        for c, value in enumerate(row[:5] + (row[5], row[7])):
            if value is None:
                continue
            _write(table.cell(r, c), value)
            starts[c] = r
        if row[6]:
            shade(table.cell(r, 5), row[6])
    # Merge each None cell into the cell above it: Word's merged Ref / Recommendation / Response cells.
    for c in range(5):
        r = 1
        while r <= len(rows):
            end = r
            while end + 1 <= len(rows) and rows[end] != "HEADER" and rows[end][c] is None:
                end += 1
            if end > r and rows[r - 1] != "HEADER":
                table.cell(r, c).merge(table.cell(end, c))
            r = end + 1
    document.save(str(path))
