"""Every write to plans, actions, meetings and risks: keyword-only, atomic, audited."""

from .actions import (
    action_archive,
    action_create,
    action_edit,
    action_indicator_clear,
    action_indicator_set,
    action_update,
)
from .imports import (
    ImportNotSaved,
    manager_matches,
    plan_import,
    plan_import_cancel,
    plan_import_correct,
    plan_import_preview,
)
from .meetings import meeting_archive, meeting_record
from .risks import (
    mitigation_add,
    mitigation_remove,
    risk_archive,
    risk_create,
    risk_edit,
    risk_register_create,
    risk_register_edit,
    risk_review,
)
from .tree import (
    plan_archive,
    plan_create,
    plan_edit,
    recommendation_archive,
    recommendation_create,
    recommendation_edit,
    response_archive,
    response_create,
    response_edit,
)
from .versions import StaleItem

__all__ = [
    "ImportNotSaved", "action_archive", "action_create", "action_edit", "action_indicator_clear",
    "action_indicator_set", "action_update", "manager_matches", "meeting_archive", "meeting_record",
    "mitigation_add", "mitigation_remove", "plan_archive", "plan_create", "plan_edit", "plan_import",
    "plan_import_cancel", "plan_import_correct", "plan_import_preview", "recommendation_archive", "recommendation_create",
    "recommendation_edit", "response_archive", "response_create", "response_edit", "risk_archive",
    "risk_create", "risk_edit", "risk_register_create", "risk_register_edit", "risk_review", "StaleItem",
]
