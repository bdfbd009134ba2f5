"""Impact assessment pages as PageResults: the lists, one assessment, the equality register and what is due."""

from __future__ import annotations

import datetime as dt

from citizenfocus.performance.pages.base import Column, PageResult, Table

from .assessing import DUE_WITHIN_DAYS, current_screening, due_for_review, needs_full_assessment
from .assessments import CHARACTERISTICS, EqualityPolicy, ImpactAssessment
from .problem_solving import plan_actions

CIA_COLUMNS = [Column("operation", "Operation"), Column("neighbourhood", "Neighbourhood"),
               Column("planned_on", "Planned for"), Column("signed_off", "Signed off")]
RETURN_COLUMNS = [Column("week", "Week beginning"), Column("level", "Level"), Column("factors", "Factors"),
                  Column("reliability", "Source reliability")]
POLICY_COLUMNS = [Column("title", "Policy or function"), Column("kind", "Kind"), Column("owner", "Owner"),
                  Column("screening", "Screening"), Column("next_review_due", "Next monitoring review due")]
SCREENING_COLUMNS = [Column("characteristic", "Protected characteristic"), Column("impact", "Impact"),
                     Column("evidence", "Evidence"), Column("by", "Screened by"), Column("at", "On")]
REVIEW_COLUMNS = [Column("reviewed_on", "Reviewed on"), Column("outcome", "Outcome"), Column("by", "By")]
ACTION_COLUMNS = [Column("ref", "Action"), Column("description", "What"), Column("status", "Status"),
                  Column("target_date", "Target date"), Column("manager", "Action manager"), Column("rag", "RAG")]


def _signed(cia: ImpactAssessment) -> str:
    return f"{cia.signed_off_by_name}, {cia.signed_off_at:%d %B %Y}" if cia.signed_off_at else "not yet"


def cia_list_page() -> PageResult:
    rows = [{"pk": c.pk, "operation": c.operation, "neighbourhood": c.neighbourhood.name,
             "planned_on": c.planned_on.isoformat(), "signed_off": _signed(c)}
            for c in ImpactAssessment.objects.select_related("neighbourhood")]
    waiting = sum(1 for r in rows if r["signed_off"] == "not yet")
    return PageResult(title="Community impact assessments",
                      headline=[f"{len(rows)} assessments; {waiting} waiting for the inspector's sign-off."],
                      tables={"assessments": Table("Community impact assessments of planned operations",
                                                   CIA_COLUMNS, rows)})


def cia_page(cia: ImpactAssessment) -> PageResult:
    returns = [{"week": r.week.isoformat(), "level": r.get_level_display(), "factors": r.factors,
                "reliability": r.get_reliability_display()} for r in cia.tension_returns()]
    headline = [f"Planned for {cia.planned_on:%d %B %Y} in {cia.neighbourhood.name}.",
                f"Communities affected: {cia.communities_affected}",
                f"Sensitivities: {cia.sensitivities or 'none recorded'}",
                f"Engagement before: {cia.engagement_before or 'none recorded'}",
                f"Engagement after: {cia.engagement_after or 'none recorded yet'}",
                f"Signed off: {_signed(cia)}" + (f" — {cia.review_note}" if cia.review_note else "")]
    return PageResult(title=f"Community impact assessment: {cia.operation}", headline=headline,
                      tables={"tension": Table(f"Tension returns for {cia.neighbourhood.name} from four weeks "
                                               "before the operation", RETURN_COLUMNS, returns)},
                      extra={"signed_off": bool(cia.signed_off_at)})


def _screening_words(policy: EqualityPolicy) -> str:
    if not policy.screenings.exists():
        return "not screened"
    return "full assessment needed" if needs_full_assessment(policy) else "screened: no negative impact found"


def equality_page(today: dt.date | None = None) -> PageResult:
    today = today or dt.date.today()
    rows = [{"pk": p.pk, "title": p.title, "kind": p.get_kind_display(), "owner": p.owner,
             "screening": _screening_words(p), "next_review_due": p.next_review_due.isoformat()}
            for p in EqualityPolicy.objects.all()]
    due_pks = set(due_for_review(today).values_list("pk", flat=True))
    due = [r for r in rows if r["pk"] in due_pks]
    overdue = sum(1 for r in due if r["next_review_due"] < today.isoformat())
    return PageResult(
        title="Equality impact assessments",
        headline=[f"{len(due)} monitoring reviews due within {DUE_WITHIN_DAYS} days, {overdue} of them overdue."],
        tables={"due": Table(f"Due for monitoring review by {today + dt.timedelta(days=DUE_WITHIN_DAYS):%d %B %Y}",
                             POLICY_COLUMNS, due),
                "register": Table("Register of policies and functions", POLICY_COLUMNS, rows)})


def policy_page(policy: EqualityPolicy) -> PageResult:
    current = current_screening(policy)
    labels = dict(CHARACTERISTICS)
    screening = [{"characteristic": labels[key], "impact": current[key].get_impact_display() if key in current
                  else "not screened", "evidence": current[key].evidence if key in current else "",
                  "by": current[key].by_name if key in current else "",
                  "at": f"{current[key].at:%Y-%m-%d}" if key in current else ""} for key, _ in CHARACTERISTICS]
    reviews = [{"reviewed_on": r.reviewed_on.isoformat(), "outcome": r.outcome, "by": r.by_name}
               for r in policy.reviews.all()]
    return PageResult(
        title=f"Equality impact assessment: {policy.title}",
        headline=[f"{policy.get_kind_display()} owned by {policy.owner}; {_screening_words(policy)}; next monitoring "
                  f"review due {policy.next_review_due:%d %B %Y}.",
                  f"Assessment: {policy.assessment or 'none written'}"],
        tables={"screening": Table("Screening against each protected characteristic", SCREENING_COLUMNS, screening),
                "actions": Table("Actions arising", ACTION_COLUMNS, plan_actions(policy.plan)),
                "reviews": Table("Monitoring reviews", REVIEW_COLUMNS, reviews)},
        extra={"plan": policy.plan_id})
