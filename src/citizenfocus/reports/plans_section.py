"""The action plans part of the pack: status and RAG, changes since the last meeting, overdue actions
with their owners, and the top risks on a likelihood × impact grid. All read through the plans app's
selectors, as the plan pages read them."""

from __future__ import annotations

from citizenfocus.plans.models import Meeting, Plan, Risk
from citizenfocus.plans.selectors import board_rows, plan_summary

from .document import Pack, TableBlock

TOP_RISKS = 5


def _meeting(plan: Plan, chosen: Meeting | None) -> Meeting | None:
    if chosen is not None and chosen.plan_id == plan.pk:
        return chosen
    return plan.meetings.filter(archived=False).first()


def _status_words(summary: dict) -> str:
    from citizenfocus.plans.models import Action

    labels = dict(Action.Status.choices)
    status, rag = summary["status"], summary["rag"]
    counts = ", ".join(f"{count} {labels[key].lower()}" for key, count in status.items())
    return (f"{summary['actions']} actions as at {summary['as_at']:%d %B %Y}: {counts}. RAG: {rag['red']} red, "
            f"{rag['amber']} amber, {rag['green']} green.")


def _counts_table(summary: dict) -> TableBlock:
    from citizenfocus.plans.models import Action

    labels = dict(Action.Status.choices)
    rows = [[labels[k], f"{v:,}"] for k, v in summary["status"].items()]
    rows += [[f"RAG {colour}", f"{count:,}"] for colour, count in summary["rag"].items()]
    return TableBlock("Actions by status and by RAG", ["Status or RAG", "Actions"], rows, [False, True])


def _changes(rows, meeting: Meeting) -> TableBlock:
    changed = [r for r in rows if r.changes]
    return TableBlock(
        f"Changed since {meeting.title} ({meeting.held_on:%d %B %Y})", ["Ref", "Owner", "What changed"],
        [[r.action.ref if r.action else r.recommendation.ref, r.action.owner_text if r.action else "",
          "; ".join(r.changes)] for r in changed],
        [False, False, False])


def _overdue(rows, as_at) -> TableBlock:
    late = [r for r in rows if r.action is not None and r.action.is_overdue(as_at)]
    return TableBlock(
        f"Overdue actions as at {as_at:%d %B %Y}", ["Ref", "Action", "Owner", "Target date", "Status", "RAG"],
        [[r.action.ref, r.action.description, r.action.owner_text or "no owner recorded",
          f"{r.action.target_date:%d %b %Y}", r.action.get_status_display(), r.rag.label] for r in late],
        [False] * 6)


def _risks(plan: Plan) -> list[Risk]:
    risks = Risk.objects.filter(register__plan=plan, register__archived=False, archived=False) \
        .exclude(status=Risk.Status.CLOSED).select_related("register", "owner").prefetch_related("mitigations")
    return sorted(risks, key=lambda r: (-r.score, r.sort_key))


def _risk_tables(risks: list[Risk]) -> list[TableBlock]:
    top = TableBlock(
        f"Top {min(TOP_RISKS, len(risks))} open risks by score (likelihood × impact)",
        ["Ref", "Risk", "Likelihood", "Impact", "Score", "Band", "Owner", "Mitigating actions"],
        [[r.ref, r.title, str(r.likelihood), str(r.impact), str(r.score), r.band_label, r.owner_label,
          str(sum(1 for m in r.mitigations.all() if not m.archived))] for r in risks[:TOP_RISKS]],
        [False, False, True, True, True, False, False, True])
    scale = max([r.register.scale for r in risks] or [5])
    grid = [[f"Impact {impact}"] + [str(sum(1 for r in risks if r.impact == impact and r.likelihood == likelihood)
                                        or "") for likelihood in range(1, scale + 1)]
            for impact in range(scale, 0, -1)]
    matrix = TableBlock("Open risks on the likelihood × impact grid (number of risks in each cell)",
                        ["", *(f"Likelihood {n}" for n in range(1, scale + 1))], grid, [False] + [True] * scale)
    return [top, matrix]


def write_plans(pack: Pack, *, meeting: Meeting | None) -> None:
    plans = list(Plan.objects.live().exclude(status=Plan.Status.CLOSED))
    pack.section("Action plans")
    if not plans:
        pack.para("No action plan is open.")
        return
    for plan in plans:
        as_at = plan.as_at()
        pack.heading(plan.title)
        summary = plan_summary(plan, as_at=as_at)
        pack.para(_status_words(summary))
        pack.table(_counts_table(summary))
        since = _meeting(plan, meeting)
        rows = board_rows(plan, as_at=as_at, since=since)
        if since is None:
            pack.para("No board meeting is recorded for this plan, so no changes since one are shown.")
        else:
            changes = _changes(rows, since)
            pack.para(f"{len(changes.rows)} items changed since {since.title} on {since.held_on:%d %B %Y}.")
            if changes.rows:
                pack.table(changes)
        overdue = _overdue(rows, as_at)
        pack.para(f"{len(overdue.rows)} actions are overdue." if overdue.rows else "No action is overdue.")
        if overdue.rows:
            pack.table(overdue)
        risks = _risks(plan)
        if risks:
            pack.heading("Risks", 3)
            top = risks[0]
            pack.para(f"{len(risks)} open risks; the highest is {top.ref} {top.title} (score {top.score}, "
                      f"{top.band_label.lower()}).")
            for block in _risk_tables(risks):
                pack.table(block)
