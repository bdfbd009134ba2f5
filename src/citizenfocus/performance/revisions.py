"""How an analyst's record changes without losing anyone's edit: lock, compare the version, save what changed.

Every change to a target, change point or peer figure goes through here, inside the
service's transaction:

1. the row is read with SELECT ... FOR UPDATE (PostgreSQL: a second writer waits until the
   first commits, then reads its values; SQLite: the whole transaction holds the write lock
   from its start, settings' transaction_mode=IMMEDIATE, so writers queue the same way);
2. when the change comes from a form, the version the form was opened with must still be
   the record's version; otherwise StaleRecord says who changed it and when, and nothing is
   saved;
3. only the fields whose values differ are saved (with the version raised by one), and one
   RecordEvent per changed field records who, when, the old and the new value.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import ChangePoint, PeerFigure, RecordEvent, Target

KINDS = {Target: RecordEvent.Kind.TARGET, ChangePoint: RecordEvent.Kind.CHANGE_POINT,
         PeerFigure: RecordEvent.Kind.PEER_FIGURE}


class StaleRecord(Exception):
    """The record changed, or was created, since the form was opened: nothing was saved."""


def who_name(user, name: str = "") -> str:
    if name:
        return name[:150]
    return user.get_username() if getattr(user, "is_authenticated", False) else "command line"


def _known(user):
    return user if getattr(user, "is_authenticated", False) else None


def shown(value) -> str:
    """A stored value as the history shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def label(record: models.Model) -> str:
    return str(record)[:300]


def _when(at: dt.datetime) -> str:
    local = timezone.localtime(at)
    return f"{local:%H:%M}" + ("" if local.date() == timezone.localdate() else f" on {local:%d %b %Y}")


def last_change(record: models.Model) -> RecordEvent | None:
    return RecordEvent.objects.filter(item_kind=KINDS[type(record)], item_id=record.pk).order_by("-at", "-pk").first()


def by_whom(record: models.Model) -> str:
    """ "A Person at 14:05" (with the date when it was not today): the record's last change, from its history."""
    event = last_change(record)
    return "someone" if event is None else f"{event.who_name} at {_when(event.at)}"


def locked(model: type[models.Model], pk: int, version: int | None):
    """The record, locked for this transaction; StaleRecord when it is no longer at `version`."""
    record = model.objects.select_for_update().get(pk=pk)
    if version is not None and record.version != version:
        what = model._meta.verbose_name
        raise StaleRecord(f"This {what} was changed by {by_whom(record)} since you opened it, so nothing was saved. "
                          "The table shows it as it is now; make your change again if it is still needed.")
    return record


def apply_changes(record: models.Model, values: dict, *, user, name: str = "", note: str = "",
                  stamp: dict | None = None) -> list[str]:
    """Save the fields of `values` that differ from the locked record, raise its version and record each change.

    stamp: fields set on every change (who last set it); auto_now fields are listed there with None.
    Returns the names of the fields that changed (none: nothing was written).
    """
    changes = {f: (getattr(record, f), v) for f, v in values.items() if getattr(record, f) != v}
    if not changes:
        return []
    before = label(record)
    for field, (_, new) in changes.items():
        setattr(record, field, new)
    for field, value in (stamp or {}).items():
        if value is not None:
            setattr(record, field, value)
    record.version += 1
    record.save(update_fields=[*changes, *(stamp or {}), "version"])
    RecordEvent.objects.bulk_create([
        RecordEvent(item_kind=KINDS[type(record)], item_id=record.pk, item_label=before, field=field,
                    old_value=shown(old), new_value=shown(new), note=note[:300], who=_known(user),
                    who_name=who_name(user, name))
        for field, (old, new) in changes.items()
    ])
    return list(changes)


def create(model: type[models.Model], values: dict, *, user, name: str = "", note: str = "", key: tuple[str, ...]):
    """Create a record and its "created" event; StaleRecord when another one with the same key got there first."""
    try:
        with transaction.atomic():  # a savepoint: the duplicate is refused, the outer transaction goes on
            record = model.objects.create(**values)
    except IntegrityError:
        existing = model.objects.filter(**{f: values.get(f) for f in key}).first() if key else None
        if existing is None:  # not a duplicate of a record with the same key: a real error
            raise
        what = model._meta.verbose_name
        raise StaleRecord(f"This {what} was created by {by_whom(existing)} since you opened the form, so nothing "
                          "was saved. Change it with its Edit link in the table.") from None
    RecordEvent.objects.create(item_kind=KINDS[model], item_id=record.pk, item_label=label(record), field="created",
                               new_value=label(record), note=note[:300], who=_known(user),
                               who_name=who_name(user, name))
    return record
