"""The appendix: the methods in plain words, a glossary, and the data sources with their dates."""

from __future__ import annotations

from citizenfocus.performance.models import PeerFigure
from citizenfocus.plans.models import Plan
from citizenfocus.surveys.models import ImportBatch

from .document import Pack, TableBlock

METHODS = (
    "Rates are the share of victims satisfied (completely, very or fairly), weighted where the survey is "
    "weighted. Every rate is shown with its base: the number of respondents who answered the question.",
    "A rolling 12-month figure pools every interview in the 12 months to the month named; it is not an "
    "average of monthly rates. Each month one month leaves the window and one enters, so the figure can move "
    "because of the month that left (the base effect), not only the month that arrived.",
    "A difference is called significant when its 95% interval does not include zero (Newcombe's method for "
    "the gap between two groups, Wilson intervals for a single rate). 'Not significantly different' means the "
    "difference could be chance.",
    "When a table tests many groups at once, about one in twenty would look significant by chance alone; the "
    "false discovery rate (Benjamini–Hochberg) is controlled across each table, and a finding that holds only "
    "on its own is marked as possibly chance.",
    "Control charts (Laney p′-charts where monthly bases are large) separate common cause variation from "
    "special cause: a month beyond the limits, seven in a row on one side or rising or falling, or two of "
    "three close to a limit (the NHS 'Making Data Count' rules).",
    "The funnel plot compares each neighbourhood with the area's rate allowing for its base: only a "
    "neighbourhood outside the 99.8% limits differs by more than chance.",
    "The adjusted gap asks what the gap would be if BME victims had the same mix of crime types and ages as "
    "white victims (direct standardisation).",
    "Key drivers: a weighted logistic regression of overall satisfaction on the aspects of the service, with "
    "each aspect's share of what explains it (Johnson's relative weights).",
    "Most similar forces: the force's rate against the plain mean of its peers' rates; the grade follows "
    "HMIC's 2008 rule (exceeding, meeting or failing to meet the standard).",
    "Bases under 50 are marked 'low base': treat them with caution.",
)
GLOSSARY = (
    ("BME", "Black and minority ethnic: every self-defined ethnicity other than White British, White Irish and "
            "White Other; 'refused' and 'not stated' are in neither group."),
    ("Gap", "White users' rate minus BME users' rate, in percentage points (pts): positive when BME users are "
            "less satisfied."),
    ("MSF", "Most similar forces: the force's group of up to seven peers with similar areas and demand."),
    ("Rolling 12 months", "All interviews in the 12 months ending with the month named, pooled."),
    ("Significant", "Unlikely to be chance: the 95% interval of the difference excludes zero."),
    ("Base (n)", "The number of respondents a figure is calculated from."),
    ("pts", "Percentage points: the difference between two percentages."),
    ("RAG", "Red, amber, green: an action's status against its dates."),
    ("Special cause", "Variation a control chart says is more than chance: look for a cause."),
    ("Reporting lag", "Interviews take place weeks after the incident, so a month's figures describe the service "
                      "given earlier."),
)


def _sources(survey_key: str) -> TableBlock:
    rows = [[f"Survey responses ({b.survey.name})", b.file_name or b.get_source_display(),
             f"{b.finished_at:%d %b %Y}", f"{b.rows_read:,} rows"]
            for b in ImportBatch.objects.filter(survey__key=survey_key, status="stored")
            .select_related("survey").order_by("-finished_at")[:10]]
    peers = PeerFigure.objects.filter(survey_key=survey_key).values_list("source", flat=True).distinct()
    rows += [["Most similar forces' figures", source or "entered by an analyst", "", ""] for source in peers]
    rows += [["Action plan", plan.title, f"as at {plan.as_at():%d %b %Y}", ""]
             for plan in Plan.objects.live().exclude(status=Plan.Status.CLOSED)]
    return TableBlock("Data sources", ["Source", "File or title", "Date", "Size"], rows, [False, False, False, True])


def write_appendix(pack: Pack, *, survey_key: str) -> None:
    pack.section("Appendix: methods, glossary and sources")
    pack.heading("Methods in plain words")
    for text in METHODS:
        pack.para(text)
    pack.heading("Glossary")
    pack.table(TableBlock("Glossary", ["Term", "Meaning"], [list(t) for t in GLOSSARY], [False, False]))
    pack.heading("Data sources")
    pack.table(_sources(survey_key))
