"""The audit trail every service writes: one ChangeEvent per changed field, in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from citizenfocus.plans.importing.text import format_date
from citizenfocus.plans.models import ChangeEvent


def name_of(user, fallback: str = "") -> str:
    """How a person is shown in the history: full name, else user name; kept if the account goes."""
    if user is not None and getattr(user, "is_authenticated", False):
        return user.get_full_name() or user.get_username()
    return fallback or "system"


def shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_date(value)
    if isinstance(value, models.Model):
        return name_of(value) if hasattr(value, "get_username") else str(value)
    return str(value)


def record(*, item, kind: str, field: str, old="", new="", who=None, who_name: str = "", note: str = "",
           plan=None, register=None, at=None) -> ChangeEvent:
    return ChangeEvent.objects.create(
        plan=plan, register=register, item_kind=kind, item_id=item.pk, item_ref=getattr(item, "ref", "")[:60],
        field=field, old_value=shown(old), new_value=shown(new), note=note, who=who if who and who.pk else None,
        who_name=name_of(who, who_name), at=at or timezone.now(),
    )


def apply_changes(item, changes: dict, *, kind: str, who=None, who_name: str = "", note: str = "", plan=None,
                  register=None, choices: dict | None = None) -> list[str]:
    """Set each field that differs, record who changed it from what to what; returns the changed names.

    `choices` maps a field to its TextChoices so the history shows "Work Underway", not "work_underway".
    """
    changed = []
    now = timezone.now()
    for name, new in changes.items():
        old = getattr(item, name)
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        label = (choices or {}).get(name)
        record(item=item, kind=kind, field=name, old=label(old).label if label and old else old,
               new=label(new).label if label and new else new, who=who, who_name=who_name, note=note,
               plan=plan, register=register, at=now)
        setattr(item, name, new)
        changed.append(name)
    return changed
