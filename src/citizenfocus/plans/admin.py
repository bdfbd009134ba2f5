"""Read-only admin views: every change goes through the services (and the audit trail), never the admin."""

from django.contrib import admin

from citizenfocus.core.admin import ReadOnlyAdmin

from . import models


@admin.register(models.Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "source", "kind", "status", "archived", "created_at")
    list_filter = ("source", "kind", "status", "archived")
    search_fields = ("title", "owning_body")


@admin.register(models.Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ("ref", "description", "status", "target_date", "manager", "archived")
    list_filter = ("status", "archived")
    search_fields = ("ref", "description", "department", "manager_name")


@admin.register(models.ChangeEvent)
class ChangeEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "who_name", "item_kind", "item_ref", "field")
    list_filter = ("item_kind", "field")
    search_fields = ("item_ref", "who_name", "old_value", "new_value")


for model in (models.Recommendation, models.PlanResponse, models.PositionUpdate, models.Evidence,
              models.TargetDateRevision, models.Meeting, models.PlanImport, models.ReminderSent, models.RiskRegister,
              models.Risk, models.RiskReview, models.Mitigation, models.IndicatorLink):
    admin.site.register(model, ReadOnlyAdmin)
