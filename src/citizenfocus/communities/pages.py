"""Each engagement page as one PageResult (sentences, tables, charts): its HTML, JSON twin and exports."""

from __future__ import annotations

import datetime as dt

from citizenfocus.performance import charts
from citizenfocus.performance.pages.base import Column, PageResult, Table
from citizenfocus.stats.perception import LIGHT_WORDS

from . import selectors, tension
from .models import LocalPriority, RequiredGroup
from .problem_solving import priority_actions

LIGHT_COLUMNS = [
    Column("priority", "Local priority"), Column("light", "Traffic light"), Column("rate", "Members seeing progress", "rate"),
    Column("ci_low", "95% interval from", "rate"), Column("ci_high", "to", "rate"), Column("n", "Members answering (n)", "int"),
    Column("previous_rate", "Month before", "rate"), Column("previous_n", "Month before: members answering (n)", "int"),
    Column("against_previous", "Against the month before", "verdict"),
]
SAID_COLUMNS = [Column("priority", "Local priority"), Column("raised_by", "Raised by"), Column("raised_on", "Raised on"),
                Column("you_said", "You said"), Column("we_did", "We did"), Column("done_on", "Done on")]


def priorities_page(*, neighbourhood, month: dt.date) -> PageResult:
    rows = selectors.priority_lights(neighbourhood=neighbourhood, month=month)
    result = PageResult(title=f"Local priorities: {neighbourhood.name}, {month:%B %Y}")
    result.headline = [f"{r['priority']}: {r['light']}: {LIGHT_WORDS[r['light']]}; "
                       f"{r['n']:,} member{'s' if r['n'] != 1 else ''} answered; {r['against_previous']}."
                       for r in rows] or ["No open local priorities."]
    result.tables["lights"] = Table(f"KIN members' perception of progress, {month:%B %Y}", LIGHT_COLUMNS, rows)
    said = selectors.you_said_we_did(neighbourhood=neighbourhood)
    result.tables["you_said_we_did"] = Table("You said, we did", SAID_COLUMNS, said)
    result.extra = {"neighbourhood": neighbourhood.code, "month": month.isoformat(), "rule": LIGHT_WORDS}
    return result


HISTORY_COLUMNS = [Column("month", "Month"), Column("light", "Traffic light"), Column("rate", "Members seeing progress", "rate"),
                   Column("ci_low", "95% interval from", "rate"), Column("ci_high", "to", "rate"),
                   Column("n", "Members answering (n)", "int"), Column("against_previous", "Against the month before", "verdict")]


ACTION_COLUMNS = [Column("ref", "Action"), Column("description", "What"), Column("status", "Status"),
                  Column("target_date", "Target date"), Column("manager", "Action manager"), Column("rag", "RAG")]


def priority_page(*, priority: LocalPriority) -> PageResult:
    rows = selectors.perception_history(priority=priority)
    result = PageResult(title=f"{priority.title} ({priority.neighbourhood.name})")
    result.headline = [f"Raised by {priority.get_raised_by_display().lower()} on {priority.raised_on:%d %B %Y}: "
                       f"{priority.you_said}"]
    for stage in ("scanning", "analysis", "response", "assessment"):
        if getattr(priority, stage):
            result.headline.append(f"{stage.capitalize()}: {getattr(priority, stage)}")
    result.tables["history"] = Table("KIN members' perception of progress, month by month", HISTORY_COLUMNS, rows)
    result.tables["actions"] = Table("Problem-solving plan: actions", ACTION_COLUMNS, priority_actions(priority))
    result.extra = {"plan": priority.plan_id}
    return result


COVERAGE_COLUMNS = [Column("group", "Group the force requires"), Column("members", "Current members", "int"),
                    Column("covered", "Covered")]
REGISTER_COLUMNS = [Column("member", "Member"), Column("name", "Name"), Column("contact", "Contact"),
                    Column("groups", "Groups"), Column("joined_on", "Joined"),
                    Column("leave_requested_on", "Asked to leave on"), Column("left_on", "Left on")]


def coverage_rows(neighbourhood) -> list[dict]:
    """Current members in each group the force requires; a group with none is a gap to fill."""
    rows = []
    for group in RequiredGroup.objects.filter(archived=False):
        count = group.members.filter(neighbourhood=neighbourhood, left_on__isnull=True).count()
        rows.append({"group": group.name, "members": count, "covered": "yes" if count else "no: a gap to fill"})
    return rows


def kin_page(*, neighbourhood, identified: bool, rows: list[dict]) -> PageResult:
    result = PageResult(title=f"Key individual network: {neighbourhood.name}")
    coverage = coverage_rows(neighbourhood)
    gaps = [r["group"] for r in coverage if not r["members"]]
    leaving = [r for r in rows if r["leave_requested_on"] and not r["left_on"]]
    result.headline = [f"{sum(1 for r in rows if not r['left_on'])} current members; "
                       + (f"no member from: {', '.join(gaps)}." if gaps else "every required group is covered.")]
    result.headline += [f"{r['member']} asked to leave on {r['leave_requested_on']}: remove them from the network."
                        for r in leaving]
    if not identified:
        result.headline.append("Names and contacts are shown only to the neighbourhood's own team; rows here are "
                               "pseudonymised.")
    result.tables["coverage"] = Table("Coverage of the groups the force requires", COVERAGE_COLUMNS, coverage)
    columns = REGISTER_COLUMNS if identified else [c for c in REGISTER_COLUMNS if c.key not in ("name", "contact")]
    result.tables["register"] = Table("Members", columns, rows)
    result.extra = {"identified": identified, "leave_requests": len(leaving)}
    return result


SUMMARY_COLUMNS = [Column("area", "Area"), Column("division", "Division"), Column("level_words", "Level"),
                   Column("previous_level", "Last return's level", "int"), Column("rose_words", "Rose"),
                   Column("reliability", "Source reliability"), Column("factors", "Factors"),
                   Column("actions", "Actions"), Column("submitted_by", "Submitted by")]
HISTORY_WEEK_COLUMNS = [Column("week", "Week beginning"), Column("force_level", "Force level (highest area)", "int"),
                        Column("areas", "Areas returning", "int"), Column("rises", "Areas where the level rose", "int")]


def tension_page(*, week: dt.date | None) -> PageResult:
    history = tension.force_history()
    if week is None:
        return PageResult(title="Community tension", headline=["No tension returns yet."],
                          tables={"history": Table("Force tension level by week", HISTORY_WEEK_COLUMNS, history)})
    summary = tension.weekly_summary(week)
    rows = [{**r, "rose_words": f"ROSE from {r['previous_level']}" if r["rose"] else "no"} for r in summary["areas"]]
    result = PageResult(title=f"Community tension: week beginning {week:%d %B %Y}")
    result.headline = [f"Force level: {summary['force_level_words']}."]
    result.headline += [f"ESCALATION: tension rose in {r['area']} from level {r['previous_level']} to {r['level']}."
                        for r in rows if r["rose"]] or ["No area's level rose against its last return."]
    result.tables["summary"] = Table(f"Returns for the week beginning {week:%d %B %Y}", SUMMARY_COLUMNS, rows)
    result.tables["history"] = Table("Force tension level by week", HISTORY_WEEK_COLUMNS, history)
    result.charts["history"] = tension_chart(history)
    result.chart_tables["history"] = "history"
    result.extra = {"week": week.isoformat(), "force_level": summary["force_level"], "rises": summary["rises"]}
    return result


@charts.accessible
def tension_chart(rows: list[dict]) -> dict:
    """The force's weekly level (1-5) as a line, weeks where a level rose marked."""
    spec = charts._base("Community tension level by week", "The force's tension level (the highest of any area) "
                        "each week, 1 normal to 5 critical", rows, height=240)
    x = {"field": "week", "type": "temporal", "title": "Week beginning"}
    spec["layer"] = [
        {"mark": {"type": "line", "point": True, "color": charts.PALETTE["all"]},
         "encoding": {"x": x, "y": {"field": "force_level", "type": "quantitative", "title": "Level",
                                    "scale": {"domain": [1, 5]}, "axis": {"tickMinStep": 1}},
                      "tooltip": [{"field": "week"}, {"field": "force_level"}, {"field": "rises"}]}},
        {"transform": [{"filter": "datum.rises > 0"}],
         "mark": {"type": "point", "shape": "triangle-up", "size": 120, "color": charts.PALETTE["bme"], "filled": True},
         "encoding": {"x": x, "y": {"field": "force_level", "type": "quantitative"}}},
    ]
    return spec
