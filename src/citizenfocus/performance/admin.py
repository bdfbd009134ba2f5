"""The history of analysts' records, for administrators; append-only, so nothing here can be changed."""

from django.contrib import admin

from citizenfocus.core.admin import ReadOnlyAdmin

from .models import RecordEvent


@admin.register(RecordEvent)
class RecordEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "who_name", "item_kind", "item_label", "field", "old_value", "new_value")
    list_filter = ("item_kind", "field")
    search_fields = ("item_label", "who_name")
