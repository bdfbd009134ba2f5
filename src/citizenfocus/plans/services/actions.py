"""Actions: create, edit details (with target-date revisions), owners' updates, archive, linked indicator."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from citizenfocus.plans.access import can_update_action
from citizenfocus.plans.evidence import check_evidence
from citizenfocus.plans.models import (
    Action,
    Evidence,
    IndicatorLink,
    PlanResponse,
    PositionUpdate,
    TargetDateRevision,
)
from citizenfocus.plans.refs import clean_ref, next_child_ref, ref_sort_key

from .audit import apply_changes, name_of, record
from .versions import locked, saved

STATUS = {"status": Action.Status}


def _unique_action_ref(response: PlanResponse, ref: str, exclude_pk=None) -> None:
    clash = response.actions.filter(ref__iexact=ref, archived=False)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"ref": f"Another action under {response.ref} already has the ref {ref}."})


@transaction.atomic
def action_create(*, response: PlanResponse, user, description: str, ref: str = "", department: str = "",
                  manager=None, manager_name: str = "", status: str = Action.Status.NOT_STARTED,
                  target_date: dt.date | None = None, start_date: dt.date | None = None) -> Action:
    locked(response)  # two added at once take the next ref in turn, not the same one
    siblings = list(response.actions.filter(archived=False).values_list("ref", flat=True))
    ref = clean_ref(ref) or next_child_ref(response.ref, siblings, letters=True)
    _unique_action_ref(response, ref)
    action = Action.objects.create(
        response=response, ref=ref, sort_key=ref_sort_key(ref), description=description.strip(),
        department=department.strip(), manager=manager, manager_name=manager_name.strip(), status=status,
        start_date=start_date or (timezone.localdate() if status == Action.Status.WORK_UNDERWAY else None),
        original_target_date=target_date, target_date=target_date,
        completion_date=timezone.localdate() if status == Action.Status.COMPLETED else None,
    )
    record(item=action, kind="action", field="created", new=action.description, who=user, plan=response.plan)
    return action


@transaction.atomic
def action_edit(*, action: Action, user, ref: str, description: str, department: str = "", manager=None,
                manager_name: str = "", start_date: dt.date | None = None, target_date: dt.date | None = None,
                target_reason: str = "", version: int | None = None) -> list[str]:
    """Edit an action's details (opened at `version`; None: as it is now). A changed target date needs a
    reason; the original is kept. Only the fields that changed are saved."""
    locked(action, version=version)
    ref = clean_ref(ref)
    if not ref:
        raise ValidationError({"ref": "Give a ref, such as 1.1.A."})
    _unique_action_ref(action.response, ref, exclude_pk=action.pk)
    plan = action.plan
    revised = target_date != action.target_date
    moved = _revise_target(action, target_date, target_reason, user) if revised else []
    changed = apply_changes(action, {
        "ref": ref, "description": description.strip(), "department": department.strip(), "manager": manager,
        "manager_name": manager_name.strip(), "start_date": start_date,
    }, kind="action", who=user, plan=plan)
    if moved or changed:
        action.sort_key = ref_sort_key(action.ref)
        action.updated_at = timezone.now()
        saved(action, [*moved, *changed, "sort_key", "updated_at"])
    return (["target_date"] if revised else []) + changed


def _revise_target(action: Action, new_date, reason: str, user) -> list[str]:
    """Move the target date (a revision with its reason, the original kept); the fields it set."""
    first = action.original_target_date is None and action.target_date is None
    if first:
        action.original_target_date = new_date  # the first target is the original, no reason needed
    else:
        if not reason.strip():
            raise ValidationError({"target_reason": "Say why the target date is changing: the board will ask."})
        TargetDateRevision.objects.create(action=action, old_date=action.target_date, new_date=new_date,
                                          reason=reason.strip(), changed_by=user if user and user.pk else None,
                                          changed_by_name=name_of(user))
    apply_changes(action, {"target_date": new_date}, kind="action", who=user, note=reason.strip(), plan=action.plan)
    return ["original_target_date", "target_date"] if first else ["target_date"]


@transaction.atomic
def action_update(*, action: Action, user, status: str | None = None, text: str = "",
                  position_date: dt.date | None = None, links: str = "", files=(),
                  completion_date: dt.date | None = None, source: str = PositionUpdate.Source.WEB,
                  who_name: str = "", version: int | None = None) -> PositionUpdate | None:
    """An owner's update: a new dated position (with links and evidence files) and/or a new status.

    Opened at `version` (None: the action as it is now). Only the status and the dates it moves are
    saved: never the description or anything else this update did not change."""
    locked(action, version=version)
    if user is not None and getattr(user, "is_authenticated", False) and not can_update_action(user, action):
        raise PermissionDenied("only the action's manager, an analyst or an administrator may update it")
    today = timezone.localdate()
    status = status or action.status
    if status not in Action.Status.values:
        raise ValidationError({"status": f"Choose a status: {', '.join(Action.Status.labels)}."})
    text, links = text.strip(), "\n".join(line.strip() for line in links.splitlines() if line.strip())
    if position_date and position_date > today:
        raise ValidationError({"position_date": "The position's date cannot be in the future."})
    if completion_date and completion_date > today:
        raise ValidationError({"completion_date": "The completion date cannot be in the future."})
    checked = [(f, *check_evidence(f)) for f in files]
    if not text and (links or checked):
        text = "Evidence added."
    if not text and status == action.status:
        raise ValidationError({"text": "Write the current position, or change the status."})
    plan = action.plan
    changed = apply_changes(action, _status_changes(action, status, completion_date, position_date or today),
                            kind="action", who=user, who_name=who_name, plan=plan, choices=STATUS)
    action.updated_at = timezone.now()
    saved(action, [*changed, "updated_at"])  # a position alone is a change too: a form opened before it is stale
    if not text:
        return None
    update = PositionUpdate.objects.create(action=action, position_date=position_date or today, text=text, links=links,
                                           author=user if user and user.pk else None,
                                           author_name=name_of(user, who_name), source=source)
    record(item=action, kind="action", field="position", new=text, who=user, who_name=who_name, plan=plan,
           note=f"position at {update.position_date:%d %b %Y}")
    for upload, content_type, digest in checked:
        evidence = Evidence(update=update, original_name=upload.name[-255:], content_type=content_type,
                            size=upload.size, sha256=digest, uploaded_by=update.author)
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
        record(item=action, kind="action", field="evidence", new=evidence.original_name, who=user, plan=plan)
    return update


def _status_changes(action: Action, status: str, completion_date, position_date: dt.date) -> dict:
    """The new status and the dates it moves: the completion date, and the start when work begins."""
    changes = {"status": status}
    if status == Action.Status.COMPLETED:
        changes["completion_date"] = completion_date or action.completion_date or timezone.localdate()
        if changes["completion_date"] != action.completion_date:
            changes["completion_precision"] = "day"  # a date given to the day, unlike "Completed - Dec 2011"
    else:
        changes["completion_date"] = None
    if action.status == Action.Status.NOT_STARTED and status != Action.Status.NOT_STARTED \
            and action.start_date is None:
        # Work started by the date the position describes: the before/after split of a linked indicator.
        changes["start_date"] = position_date
    return changes


@transaction.atomic
def action_archive(*, action: Action, user, archived: bool = True, version: int | None = None) -> None:
    locked(action, version=version)
    if not archived:
        _unique_action_ref(action.response, action.ref, exclude_pk=action.pk)
    if apply_changes(action, {"archived": archived}, kind="action", who=user, plan=action.plan):
        saved(action, ["archived"])


def _describe(link: IndicatorLink | None) -> str:
    return str(link) if link else ""


@transaction.atomic
def action_indicator_set(*, action: Action, user, survey_key: str, measure_key: str, group: str = "all",
                         division=None, neighbourhood=None, version: int | None = None) -> IndicatorLink:
    """Link (or relink) the action to the measure it should move; the link is part of the action, so the
    action is locked and its version raised when the link changes."""
    from citizenfocus.surveys.definition import DefinitionError, get_definition

    try:
        definition = get_definition(survey_key)
        definition.measure(measure_key)
    except (DefinitionError, KeyError) as exc:
        raise ValidationError({"measure": str(exc).strip('"')}) from exc
    if group not in IndicatorLink.Group.values:
        raise ValidationError({"group": "Choose all, white or BME victims."})
    if division is not None and neighbourhood is not None:
        raise ValidationError({"area": "Choose a division or a neighbourhood, not both."})
    locked(action, version=version)
    old = IndicatorLink.objects.filter(action=action).first()
    before = _describe(old) if old and not old.archived else ""
    link = old or IndicatorLink(action=action)
    link.archived = False
    link.survey_key, link.measure_key, link.group = survey_key, measure_key, group
    link.division, link.neighbourhood, link.updated_at = division, neighbourhood, timezone.now()
    link.save()
    if before != _describe(link):
        record(item=action, kind="action", field="indicator", old=before, new=_describe(link), who=user,
               plan=action.plan)
        _touched(action)
    return link


def _touched(action: Action) -> None:
    action.updated_at = timezone.now()
    saved(action, ["updated_at"])


@transaction.atomic
def action_indicator_clear(*, action: Action, user, version: int | None = None) -> None:
    locked(action, version=version)
    link = IndicatorLink.objects.filter(action=action, archived=False).first()
    if link:
        record(item=action, kind="action", field="indicator", old=_describe(link), new="", who=user,
               plan=action.plan)
        link.archived = True
        link.updated_at = timezone.now()
        link.save(update_fields=["archived", "updated_at"])
        _touched(action)
