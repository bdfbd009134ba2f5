"""Importing a plan: read the file and keep what was understood (the preview), then save it whole."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from citizenfocus.plans.importing import ParsedPlan, plan_read
from citizenfocus.plans.models import (
    Action,
    Plan,
    PlanImport,
    PlanResponse,
    PositionUpdate,
    Recommendation,
    TargetDateRevision,
)
from citizenfocus.plans.refs import ref_sort_key

from .audit import name_of, record
from .tree import plan_create


class ImportNotSaved(ValueError):
    """The preview cannot be saved as it stands; the message says why."""


def plan_import_preview(*, path: Path, user, file_name: str = "", title: str = "",
                        source: str = Plan.Source.SCRUTINY_PANEL, kind: str = Plan.Kind.RECOMMENDATIONS,
                        owning_body: str = "", who_name: str = "") -> PlanImport:
    """Read the file (raises UnreadableFile) and keep it, with what was understood, for the preview."""
    path = Path(path)
    file_name = file_name or path.name
    parsed = plan_read(path, file_name=file_name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    preview = PlanImport(file_name=file_name[-255:], sha256=digest, title=(title or parsed.title)[:200],
                         source=source, kind=kind, owning_body=owning_body, parsed=parsed.as_dict(),
                         problem_count=len(parsed.problems), uploaded_by=user if user and user.pk else None,
                         uploaded_by_name=name_of(user, who_name))
    with path.open("rb") as handle:
        preview.file.save(Path(file_name).name, File(handle), save=False)
    preview.save()
    return preview


def _users_by_name() -> dict[str, object]:
    found = {}
    for user in get_user_model().objects.filter(is_active=True):
        for key in (user.get_username(), user.get_full_name(), user.email):
            if key:
                found.setdefault(key.strip().lower(), user)
    return found


@transaction.atomic
def plan_import(*, plan_import: PlanImport, user, accept_problems: bool = False, who_name: str = "") -> Plan:
    """Save a previewed plan: all of it, or (on any error) none of it."""
    preview = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if preview.status != PlanImport.Status.PREVIEWED:
        raise ImportNotSaved(f"{preview.file_name} was already {preview.get_status_display().lower()}")
    parsed = ParsedPlan.from_dict(preview.parsed)
    if parsed.problems and not accept_problems:
        raise ImportNotSaved(f"{preview.file_name}: {_cells(len(parsed.problems))} could not be read; fix the file, "
                             "or accept that they are saved as described in the preview")
    plan = plan_create(title=preview.title or parsed.title, user=user, source=preview.source, kind=preview.kind,
                       owning_body=preview.owning_body, who_name=who_name)
    note = f"imported from {preview.file_name}"
    _save_tree(plan, parsed, user=user, who_name=who_name, note=note, on=timezone.localdate())
    preview.status, preview.plan = PlanImport.Status.SAVED, plan
    preview.save(update_fields=["status", "plan"])
    return plan


def _save_tree(plan: Plan, parsed: ParsedPlan, *, user, who_name: str, note: str, on) -> None:
    users = _users_by_name()
    author = user if user and user.pk else None
    name = name_of(user, who_name)
    for rec_data in parsed.recommendations:
        rec = Recommendation.objects.create(plan=plan, ref=rec_data.ref, sort_key=ref_sort_key(rec_data.ref),
                                            text=rec_data.text)
        record(item=rec, kind="recommendation", field="created", new=rec.text, who=user, who_name=who_name,
               note=note, plan=plan)
        for response_data in rec_data.responses:
            response = PlanResponse.objects.create(recommendation=rec, ref=response_data.ref,
                                                   sort_key=ref_sort_key(response_data.ref), text=response_data.text)
            record(item=response, kind="response", field="created", new=response.text, who=user,
                   who_name=who_name, note=note, plan=plan)
            for data in response_data.actions:
                manager = users.get(data.manager_name.strip().lower()) if data.manager_name else None
                action = Action.objects.create(
                    response=response, ref=data.ref, sort_key=ref_sort_key(data.ref), description=data.description,
                    department=data.department, manager=manager, manager_name="" if manager else data.manager_name,
                    status=data.status, original_target_date=data.original_target_date or data.target_date,
                    target_date=data.target_date,
                    completion_date=data.completion_date if data.status == Action.Status.COMPLETED else None,
                )
                record(item=action, kind="action", field="created", new=action.description, who=user,
                       who_name=who_name, note=note, plan=plan)
                if data.original_target_date and data.target_date and data.original_target_date != data.target_date:
                    TargetDateRevision.objects.create(action=action, old_date=data.original_target_date,
                                                      new_date=data.target_date, changed_by=author,
                                                      changed_by_name=name,
                                                      reason=f"revised in the plan {note}")
                for update in data.updates:
                    PositionUpdate.objects.create(action=action, position_date=update.position_date or parsed.as_at or on,
                                                  text=update.text, author=author, author_name=name,
                                                  source=PositionUpdate.Source.IMPORT)


@transaction.atomic
def plan_import_cancel(*, plan_import: PlanImport, user) -> None:
    if plan_import.status != PlanImport.Status.PREVIEWED:
        raise ValidationError(f"{plan_import.file_name} was already {plan_import.get_status_display().lower()}")
    plan_import.status = PlanImport.Status.CANCELLED
    plan_import.save(update_fields=["status"])


def manager_matches(names: list[str]) -> dict[str, str]:
    """Which action managers' names match a user (for the preview)."""
    users = _users_by_name()
    return {n: users[n.strip().lower()].get_username() for n in names if n and n.strip().lower() in users}


__all__ = ["ImportNotSaved", "manager_matches", "plan_import", "plan_import_cancel", "plan_import_preview"]


def _cells(count: int) -> str:
    return f"{count} cell{'s' if count != 1 else ''}"
