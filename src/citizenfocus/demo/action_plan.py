"""The demo force's BME satisfaction-gap action plan as a Word document, built with python-docx (also a test fixture).

Like the ones forces keep, for the demo's years (April 2011 to March 2014): a
department line, the title heading and a key to the progress colours, then one long
table over several pages with merged Ref / Recommendation / Response cells, a
position that runs on into a continuation row, a header row repeated by hand,
statuses written in the progress column or with the date ("Completed - Dec 2011",
"Update Jan14 On-going"), a progress cell that is only shaded, dated updates inside
the positions ("Position at July 2012", "2013 update:"), a response answered without
an action ("N/A", "Completed"), and a little HTML left over from a copy and paste.
Roles, never people's names.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.section import WD_ORIENT

from .word_tables import Shaded, add_table, shade

HEADER = ["Ref", "Recommendation", "Force response", "Department and action manager", "Current position",
          "Progress", "Completion date"]
GREEN, AMBER, RED, LIGHT_GREEN = "00B050", "FFC000", "FF0000", "92D050"
TITLE = "Closing the gap: BME victim satisfaction action plan 2011 to 2014"
DEPARTMENT_LINE = "Northvale Constabulary \u2013 Corporate Development"
POSITION_AT = dt.date(2014, 1, 31)  # "Position at January 2014": the plan's reporting date when imported

FILLER = (" The work is overseen by the Citizen Focus Board, which receives a written report at each meeting and "
          "agrees any change of approach with the Police Authority's scrutiny lead.")
CONTACT = "Contact Management\nHead of Contact Management"
REVIEW = "Performance Review \u2013 Head of Performance Review"
LEARNING = "Learning and Development\nHead of Learning and Development"
PARTNERSHIPS = "Corporate Development \u2013 Chief Inspector, Partnerships"

# (ref, recommendation, response, owner, position, progress, date); None = merged with the row above
ROWS = [
    ("1", "Improve the way BME victims are kept informed of the progress of their case.",
     "1.1 Agreed. Contact Management will review the call-back process for all victims, with a check on BME "
     "victims.", CONTACT,
     "1.1.A. Call-back scripts reviewed and reissued to all divisions." + FILLER, "", "Completed - Dec 2011"),
    (None, None, None, CONTACT, "1.1.B. Monthly dip-sample of 20 BME victim call-backs by supervisors.\n"
     "2013 update: the dip-sample is running in two of the three divisions.", "Work Underway", "31/03/2014"),
    (None, None, None, "", "Results are reported to the Citizen Focus Board each quarter." + FILLER, "", ""),
    (None, None, "1.2 Victims will be offered a choice of contact method and language.", CONTACT,
     "1.2.A. Victim contact contract recorded on the crime system for every victim.\n"
     "Position at July 2012: the crime system change is specified." + FILLER,
     Shaded("", AMBER), "March 2014"),
    ("2", "Understand why BME victims of vehicle crime are less satisfied than white victims.",
     "2.1 Agreed. Performance Review will analyse the survey results by crime type and ethnicity.", REVIEW,
     "2.1.A. Analysis of 12 months of survey data completed and presented to the Gold Group." + FILLER,
     "", "Completed \u2013 March 2013"),
    (None, None, None, REVIEW,
     "2.1.B. Focus groups with BME victims of vehicle crime, with the Independent Advisory Group.",
     "Not Started", "14 Feb 2014"),
    ("3", "Train front-line staff in the needs of victims from minority communities.",
     "3.1 Partially agreed: training will be given to call handlers and neighbourhood teams first.", LEARNING,
     "3.1.A. Victim care module added to call handler training." + FILLER + FILLER,
     "Work Underway", "June 2013 (revised March 2014)"),
    (None, None, "3.2 Training to be refreshed every year.", None,
     "3.2.A. Refresher training included in the annual training plan.",
     "Blocked \u2013 awaiting a funding decision", "TBC"),
    "HEADER",
    ("4", "Make it easier for BME communities to report crime and give feedback.",
     "4.1 <b>Agreed</b>. Third-party reporting centres will be extended &amp; publicised.", PARTNERSHIPS,
     "4.1.A. Twelve third-party reporting centres opened with community partners." + FILLER,
     "Completed", "31.10.2012"),
    (None, None, None, PARTNERSHIPS, "4.1.B. Online feedback form for victims in five community languages.\n"
     "Update Jan14: three of the five languages are live.", "", "Update Jan14 On-going"),
    ("5", "Report progress on the satisfaction gap to the Police Authority every quarter.",
     "5.1 Agreed: the gap is already in the Police Authority's quarterly performance report.", "N/A", "", "",
     "Completed"),
    (None, None, "5.2 The gap will be reported in the quarterly performance review.",
     "Performance Review\nHead of Performance Review",
     "5.2.A. The gap, with its confidence interval, added to the quarterly performance report." + FILLER,
     Shaded("", LIGHT_GREEN), "Dec 2011"),
]

EXPECTED = {
    # ref: (status, target date, original target date, completion date)
    "1.1.A": ("completed", None, None, dt.date(2011, 12, 31)),
    "1.1.B": ("work_underway", dt.date(2014, 3, 31), dt.date(2014, 3, 31), None),
    "1.2.A": ("work_underway", dt.date(2014, 3, 31), dt.date(2014, 3, 31), None),
    "2.1.A": ("completed", None, None, dt.date(2013, 3, 31)),
    "2.1.B": ("not_started", dt.date(2014, 2, 14), dt.date(2014, 2, 14), None),
    "3.1.A": ("work_underway", dt.date(2014, 3, 31), dt.date(2013, 6, 30), None),
    "3.2.A": ("blocked", None, None, None),
    "4.1.A": ("completed", None, None, dt.date(2012, 10, 31)),
    "4.1.B": ("work_underway", None, None, None),
    "5.2.A": ("completed", None, None, dt.date(2011, 12, 31)),
}


def build(path, rows=ROWS, legend: bool = True) -> None:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph().add_run(DEPARTMENT_LINE).bold = True
    document.add_heading(TITLE, level=1)
    document.add_paragraph("Response to the Police Authority scrutiny panel's review of the satisfaction of "
                           "black and minority ethnic victims. Position at January 2014.")
    if legend:
        key = document.add_table(rows=1, cols=4)
        key.style = "Table Grid"
        key.cell(0, 0).text = "Key to progress:"
        for index, (label, fill) in enumerate((("Completed", GREEN), ("Work Underway", AMBER),
                                               ("Not Started", RED)), start=1):
            key.cell(0, index).text = label
            shade(key.cell(0, index), fill)
        document.add_paragraph("")
    add_table(document, HEADER, rows)
    document.save(str(path))
