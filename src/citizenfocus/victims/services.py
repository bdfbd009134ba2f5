"""Writes to victims' records: each with its author and time, in one transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from .models import VictimEvent, VictimRecord, VictimRecordAccess


def _name(user) -> str:
    return user.get_username() if user is not None and getattr(user, "is_authenticated", False) else "command line"


def victim_access_record(*, user, kind: str, filters: dict | None = None, rows: int = 0,
                         record: VictimRecord | None = None, path: str = "") -> VictimRecordAccess:
    """Log one view or export of victim records (who, when, what filter, how many)."""
    return VictimRecordAccess.objects.create(
        who=user if getattr(user, "is_authenticated", False) else None, who_name=_name(user), kind=kind,
        filters=filters or {}, rows=rows, record=record, path=path[:500])


@transaction.atomic
def victim_event_record(*, record: VictimRecord, user, kind: str, on: date, key_event: str = "",
                        told_on: date | None = None, method: str = "", detail: str = "") -> VictimEvent:
    """Record an event of the case as kept in the app; closing the case also sets its closed date."""
    event = VictimEvent.objects.create(record=record, kind=kind, on=on, key_event=key_event, told_on=told_on,
                                       method=method, detail=detail, source="app",
                                       who=user if getattr(user, "is_authenticated", False) else None,
                                       who_name=_name(user))
    if kind == VictimEvent.Kind.CLOSED and record.closed_on is None:
        VictimRecord.objects.filter(pk=record.pk).update(closed_on=on)
    return event
