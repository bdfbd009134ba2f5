"""The history of analysts' records, for administrators; append-only, so nothing here can be changed."""

from django.contrib import admin

from .models import RecordEvent


@admin.register(RecordEvent)
class RecordEventAdmin(admin.ModelAdmin):
    list_display = ("at", "who_name", "item_kind", "item_label", "field", "old_value", "new_value")
    list_filter = ("item_kind", "field")
    search_fields = ("item_label", "who_name")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
