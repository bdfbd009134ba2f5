"""How a plan item changes without losing anyone's edit: lock it, compare the version, save what changed.

Every write that reads an item and then saves it (plans, recommendations, responses, actions, risk
registers, risks) goes through here, inside the service's transaction:

1. the row is read again with SELECT ... FOR UPDATE, into the caller's instance (PostgreSQL: a second
   writer waits until the first commits, then reads its values; SQLite: the transaction holds the
   write lock from its start, settings' transaction_mode=IMMEDIATE, so writers queue the same way);
2. when the change comes from a form, the version the form was opened on must still be the item's;
   otherwise StaleItem says who changed it and when, and nothing is saved;
3. only the fields that changed are saved, with the version raised by one (the services record each
   change in the history, plans.services.audit, in the same transaction).

A write from an instance read earlier can therefore never put an old value back: it starts from the
row as it is now, and writes only what it changed.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from citizenfocus.plans.models import (
    Action,
    ChangeEvent,
    Plan,
    PlanResponse,
    Recommendation,
    Risk,
    RiskRegister,
)

KINDS = {Plan: "plan", Recommendation: "recommendation", PlanResponse: "response", Action: "action",
         RiskRegister: "risk_register", Risk: "risk"}
LEVELS = {Recommendation: "level1", PlanResponse: "level2", Action: "level3"}


class StaleItem(Exception):
    """The item changed since the form was opened: nothing was saved. `version` is the item's version now."""

    def __init__(self, message: str, *, version: int):
        super().__init__(message)
        self.version = version


def _when(at: dt.datetime) -> str:
    local = timezone.localtime(at)
    return f"{local:%H:%M}" + ("" if local.date() == timezone.localdate() else f" on {local:%d %b %Y}")


def by_whom(item: models.Model) -> str:
    """ "A Person at 14:05" (with the date when it was not today): the item's last change, from its history."""
    event = ChangeEvent.objects.for_item(KINDS[type(item)], item.pk).first()
    return "someone" if event is None else f"{event.who_name} at {_when(event.at)}"


def what(item: models.Model) -> str:
    """The item in the plan's own words: an objectives plan's action is an "activity"."""
    level = LEVELS.get(type(item))
    return item.plan.labels[level].lower() if level else item._meta.verbose_name


def locked(item: models.Model, *, version: int | None = None) -> models.Model:
    """Read the item again, locked for this transaction; StaleItem when it is no longer at `version`.

    version None (the command line, the demo, a script): change the item as it is now.
    """
    item.refresh_from_db(from_queryset=type(item)._base_manager.select_for_update())
    if version is not None and item.version != version:
        raise StaleItem(f"This {what(item)} was changed by {by_whom(item)} since you opened it, so nothing was "
                        "saved.", version=item.version)
    return item


def saved(item: models.Model, fields) -> None:
    """Save only `fields` (the ones that changed) and raise the version: nothing else is written."""
    item.version += 1
    item.save(update_fields=[*dict.fromkeys(fields), "version"])
