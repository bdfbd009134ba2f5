"""Plans and their recommendations and responses: create, edit, archive (never delete)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from citizenfocus.plans.models import Action, Plan, PlanResponse, Recommendation
from citizenfocus.plans.refs import clean_ref, next_child_ref, ref_sort_key

from .audit import apply_changes, record
from .versions import locked, saved

PLAN_FIELDS = ("title", "source", "kind", "owning_body", "description", "start_date", "end_date", "status",
               "reporting_date", "due_soon_days")
STANDING_FIELDS = ("owner", "position", "status", "completion_date")


def _check_plan(values: dict) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise ValidationError({"end_date": "The end date is before the start date."})
    if not (values.get("title") or "").strip():
        raise ValidationError({"title": "Give the plan a title."})


@transaction.atomic
def plan_create(*, title: str, user, source: str = Plan.Source.SCRUTINY_PANEL, kind: str = Plan.Kind.RECOMMENDATIONS,
                owning_body: str = "", description: str = "", start_date=None, end_date=None,
                status: str = Plan.Status.ACTIVE, reporting_date=None, due_soon_days: int | None = None,
                who_name: str = "") -> Plan:
    values = dict(title=title.strip(), source=source, kind=kind, owning_body=owning_body, description=description,
                  start_date=start_date, end_date=end_date, status=status, reporting_date=reporting_date,
                  due_soon_days=due_soon_days)
    _check_plan(values)
    plan = Plan.objects.create(**values, created_by=user if user and user.pk else None)
    record(item=plan, kind="plan", field="created", new=plan.title, who=user, who_name=who_name, plan=plan)
    return plan


@transaction.atomic
def plan_edit(*, plan: Plan, user, version: int | None = None, **values) -> list[str]:
    """Change the plan's details (opened at `version`; None: as it is now); only changed fields are saved."""
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"plan_edit: unknown fields {sorted(unknown)}")
    locked(plan, version=version)
    _check_plan({**{f: getattr(plan, f) for f in PLAN_FIELDS}, **values})
    changed = apply_changes(plan, values, kind="plan", who=user, plan=plan,
                            choices={"source": Plan.Source, "kind": Plan.Kind, "status": Plan.Status})
    if changed:
        saved(plan, changed)
    return changed


@transaction.atomic
def plan_archive(*, plan: Plan, user, archived: bool = True, version: int | None = None) -> None:
    locked(plan, version=version)
    if apply_changes(plan, {"archived": archived}, kind="plan", who=user, plan=plan):
        saved(plan, ["archived"])


def _unique_ref(queryset, ref: str, what: str, exclude_pk=None) -> None:
    clash = queryset.filter(ref__iexact=ref, archived=False)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"ref": f"Another {what} already has the ref {ref}."})


@transaction.atomic
def recommendation_create(*, plan: Plan, user, text: str, ref: str = "") -> Recommendation:
    locked(plan)  # two added at once take the next ref in turn, not the same one
    siblings = plan.recommendations.filter(archived=False)
    ref = clean_ref(ref) or next_child_ref("", list(siblings.values_list("ref", flat=True)), letters=False)
    _unique_ref(siblings, ref, plan.labels["level1"].lower())
    rec = Recommendation.objects.create(plan=plan, ref=ref, sort_key=ref_sort_key(ref), text=text.strip())
    record(item=rec, kind="recommendation", field="created", new=rec.text, who=user, plan=plan)
    return rec


def _standing_changes(item, standing: dict) -> dict:
    """A recommendation's or response's own status, completion date, owner and position (when it has no action)."""
    unknown = set(standing) - set(STANDING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    values = {name: (value.strip() if isinstance(value, str) and name != "status" else value)
              for name, value in standing.items()}
    status = values.get("status", item.status)
    if status and status not in Action.Status.values:
        raise ValidationError({"status": f"Choose a status: {', '.join(Action.Status.labels)}."})
    if "completion_date" in values or "status" in values:
        completion = values.get("completion_date", item.completion_date)
        if completion and status != Action.Status.COMPLETED:
            raise ValidationError({"completion_date": "Only a completed item has a completion date."})
        if completion != item.completion_date:
            values["completion_precision"] = "day"
    return values


def _ref_and_text_edit(item, *, siblings, kind: str, example: str, user, ref: str, text: str, version: int | None,
                       **standing) -> list[str]:
    """A recommendation's or response's new ref (unique among its siblings) and text, and its own standing,
    with each change recorded; only the fields that changed are saved."""
    locked(item, version=version)
    ref = clean_ref(ref)
    if not ref:
        raise ValidationError({"ref": f"Give a ref, such as {example}."})
    _unique_ref(siblings, ref, kind, exclude_pk=item.pk)
    changed = apply_changes(item, {"ref": ref, "text": text.strip(), **_standing_changes(item, standing)},
                            kind=kind, who=user, plan=item.plan, choices={"status": Action.Status})
    if changed:
        item.sort_key = ref_sort_key(item.ref)
        saved(item, [*changed, "sort_key"])
    return changed


@transaction.atomic
def recommendation_edit(*, recommendation: Recommendation, user, ref: str, text: str, version: int | None = None,
                        **standing) -> list[str]:
    return _ref_and_text_edit(recommendation, siblings=recommendation.plan.recommendations.all(),
                              kind="recommendation", example="3", user=user, ref=ref, text=text, version=version,
                              **standing)


def _archive(item, *, kind: str, siblings, user, archived: bool, version: int | None) -> None:
    """Archive (or restore, when its ref is still free) a recommendation or response."""
    locked(item, version=version)
    if not archived:
        _unique_ref(siblings, item.ref, kind, exclude_pk=item.pk)
    if apply_changes(item, {"archived": archived}, kind=kind, who=user, plan=item.plan):
        saved(item, ["archived"])


@transaction.atomic
def recommendation_archive(*, recommendation: Recommendation, user, archived: bool = True,
                           version: int | None = None) -> None:
    _archive(recommendation, kind="recommendation", siblings=recommendation.plan.recommendations.all(), user=user,
             archived=archived, version=version)


@transaction.atomic
def response_create(*, recommendation: Recommendation, user, text: str, ref: str = "") -> PlanResponse:
    locked(recommendation)  # two added at once take the next ref in turn, not the same one
    siblings = recommendation.responses.filter(archived=False)
    ref = clean_ref(ref) or next_child_ref(recommendation.ref, list(siblings.values_list("ref", flat=True)),
                                           letters=False)
    _unique_ref(siblings, ref, "response")
    response = PlanResponse.objects.create(recommendation=recommendation, ref=ref, sort_key=ref_sort_key(ref),
                                           text=text.strip())
    record(item=response, kind="response", field="created", new=response.text, who=user, plan=recommendation.plan)
    return response


@transaction.atomic
def response_edit(*, response: PlanResponse, user, ref: str, text: str, version: int | None = None,
                  **standing) -> list[str]:
    return _ref_and_text_edit(response, siblings=response.recommendation.responses.all(), kind="response",
                              example="3.1", user=user, ref=ref, text=text, version=version, **standing)


@transaction.atomic
def response_archive(*, response: PlanResponse, user, archived: bool = True, version: int | None = None) -> None:
    _archive(response, kind="response", siblings=response.recommendation.responses.all(), user=user,
             archived=archived, version=version)
