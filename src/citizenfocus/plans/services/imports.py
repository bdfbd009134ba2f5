"""Importing a plan: read the file and keep what was understood (the preview), let the person correct it,
then save it whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from citizenfocus.plans.importing import Corrections, ParsedPlan, plan_read
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


def plan_import_preview(*, path: Path, user, file_name: str = "", title: str = "", source: str = "",
                        kind: str = Plan.Kind.RECOMMENDATIONS, owning_body: str = "",
                        who_name: str = "") -> PlanImport:
    """Read the file (raises UnreadableFile) and keep it, with what was understood, for the preview.

    An empty source or owning body is taken from the document ("HMICFRS ...", "Response to the ... Scrutiny
    Group"), else a scrutiny panel report."""
    path = Path(path)
    file_name = file_name or path.name
    parsed = plan_read(path, file_name=file_name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    preview = PlanImport(file_name=file_name[-255:], sha256=digest, title=(title or parsed.title)[:200],
                         source=source or parsed.source_hint or Plan.Source.SCRUTINY_PANEL, kind=kind,
                         owning_body=(owning_body or parsed.owning_body_hint)[:200], parsed=parsed.as_dict(),
                         problem_count=len(parsed.problems), uploaded_by=user if user and user.pk else None,
                         uploaded_by_name=name_of(user, who_name))
    with path.open("rb") as handle:
        preview.file.save(Path(file_name).name, File(handle), save=False)
    preview.save()
    return preview


@transaction.atomic
def plan_import_correct(*, plan_import: PlanImport, user, corrections: Corrections, title: str = "") -> PlanImport:
    """Read the kept file again with the person's corrections (columns, continuation rows, statuses, dates,
    the reporting date); the preview then shows, and saving saves, the corrected plan."""
    preview = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if preview.status != PlanImport.Status.PREVIEWED:
        raise ImportNotSaved(f"{preview.file_name} was already {preview.get_status_display().lower()}")
    suffix = Path(preview.file_name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="citizenfocus-plan-") as folder:
        path = Path(folder) / f"plan{suffix}"
        with preview.file.open("rb") as source, path.open("wb") as target:
            target.write(source.read())
        parsed = plan_read(path, file_name=preview.file_name, corrections=corrections)
    preview.parsed, preview.corrections = parsed.as_dict(), corrections.as_dict()
    preview.problem_count = len(parsed.problems)
    if title.strip():
        preview.title = title.strip()[:200]
    preview.save(update_fields=["parsed", "corrections", "problem_count", "title"])
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
    """Save a previewed plan: all of it, or (on any error) none of it.

    A cell that could not be read is saved as the preview says (a status as Not known, a date left empty);
    without `accept_problems` (the command line's --accept-problems) a plan with any is not saved. The web
    preview lists them and lets the person correct them, so its Save accepts them."""
    preview = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if preview.status != PlanImport.Status.PREVIEWED:
        raise ImportNotSaved(f"{preview.file_name} was already {preview.get_status_display().lower()}")
    parsed = ParsedPlan.from_dict(preview.parsed)
    if parsed.problems and not accept_problems:
        raise ImportNotSaved(f"{preview.file_name}: {_cells(len(parsed.problems))} could not be read; fix the file, "
                             "or accept that they are saved as described in the preview")
    plan = plan_create(title=preview.title or parsed.title, user=user, source=preview.source, kind=preview.kind,
                       owning_body=preview.owning_body, who_name=who_name, reporting_date=parsed.reporting_date,
                       start_date=parsed.start_date)
    note = f"imported from {preview.file_name}"
    _save_tree(plan, parsed, user=user, who_name=who_name, note=note,
               undated=parsed.reporting_date or timezone.localdate())
    preview.status, preview.plan = PlanImport.Status.SAVED, plan
    preview.save(update_fields=["status", "plan"])
    return plan


def _standing(data) -> dict:
    standing = data.standing
    if standing is None:
        return {}
    return {"owner": standing.owner[:200], "position": standing.position, "status": standing.status,
            "completion_date": standing.completion_date if standing.status == "completed" else None,
            "completion_precision": standing.completion_precision}


def _save_tree(plan: Plan, parsed: ParsedPlan, *, user, who_name: str, note: str, undated: dt.date) -> None:
    users = _users_by_name()
    author = user if user and user.pk else None
    name = name_of(user, who_name)
    for rec_data in parsed.recommendations:
        rec = Recommendation.objects.create(plan=plan, ref=rec_data.ref, sort_key=ref_sort_key(rec_data.ref),
                                            text=rec_data.text, **_standing(rec_data))
        record(item=rec, kind="recommendation", field="created", new=rec.text, who=user, who_name=who_name,
               note=note, plan=plan)
        for response_data in rec_data.responses:
            response = PlanResponse.objects.create(recommendation=rec, ref=response_data.ref,
                                                   sort_key=ref_sort_key(response_data.ref), text=response_data.text,
                                                   **_standing(response_data))
            record(item=response, kind="response", field="created", new=response.text, who=user,
                   who_name=who_name, note=note, plan=plan)
            for data in response_data.actions:
                _save_action(response, data, users=users, author=author, name=name, user=user, who_name=who_name,
                             note=note, undated=undated)


def _save_action(response, data, *, users, author, name, user, who_name, note, undated) -> None:
    manager = users.get(data.manager_name.strip().lower()) if data.manager_name else None
    completed = data.status == Action.Status.COMPLETED
    action = Action.objects.create(
        response=response, ref=data.ref, sort_key=ref_sort_key(data.ref), description=data.description,
        department=data.department[:200], manager=manager, manager_name="" if manager else data.manager_name[:200],
        status=data.status, original_target_date=data.original_target_date or data.target_date,
        target_date=data.target_date, completion_date=data.completion_date if completed else None,
        completion_precision=data.completion_precision if completed else "day",
    )
    record(item=action, kind="action", field="created", new=action.description, who=user, who_name=who_name,
           note=note, plan=response.plan)
    if data.original_target_date and data.target_date and data.original_target_date != data.target_date:
        TargetDateRevision.objects.create(action=action, old_date=data.original_target_date, new_date=data.target_date,
                                          changed_by=author, changed_by_name=name, reason=f"revised in the plan {note}")
    for update in sorted(data.updates, key=lambda u: u.position_date or undated):
        PositionUpdate.objects.create(action=action, position_date=update.position_date or undated,
                                      date_precision=update.precision if update.position_date else "day",
                                      text=update.text, author=author, author_name=name,
                                      source=PositionUpdate.Source.IMPORT)


@transaction.atomic
def plan_import_cancel(*, plan_import: PlanImport, user) -> None:
    # Locked, as saving is: a cancel and a save at once leave the preview saved or cancelled, never both.
    plan_import.refresh_from_db(from_queryset=PlanImport.objects.select_for_update())
    if plan_import.status != PlanImport.Status.PREVIEWED:
        raise ValidationError(f"{plan_import.file_name} was already {plan_import.get_status_display().lower()}")
    plan_import.status = PlanImport.Status.CANCELLED
    plan_import.save(update_fields=["status"])


def manager_matches(names: list[str]) -> dict[str, str]:
    """Which action managers' names match a user (for the preview)."""
    users = _users_by_name()
    return {n: users[n.strip().lower()].get_username() for n in names if n and n.strip().lower() in users}


__all__ = ["ImportNotSaved", "manager_matches", "plan_import", "plan_import_cancel", "plan_import_correct",
           "plan_import_preview"]


def _cells(count: int) -> str:
    return f"{count} cell{'s' if count != 1 else ''}"
