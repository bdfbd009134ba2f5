from django.contrib import admin

from citizenfocus.core.admin import ReadOnlyAdmin

from .models import KinPurge, KinRead, LocalPriority, Panel, RequiredGroup, TensionReturn


@admin.register(RequiredGroup)
class RequiredGroupAdmin(admin.ModelAdmin):
    """The groups each KIN must reach: the force edits them here."""

    list_display = ("name", "description", "archived")


@admin.register(LocalPriority)
class LocalPriorityAdmin(admin.ModelAdmin):
    list_display = ("title", "neighbourhood", "raised_by", "raised_on", "closed_on")
    list_filter = ("raised_by",)


@admin.register(KinRead)
class KinReadAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "neighbourhood", "what", "identified", "rows")


@admin.register(TensionReturn)
class TensionReturnAdmin(ReadOnlyAdmin):
    list_display = ("week", "division", "neighbourhood", "level", "submitted_by_name", "submitted_at")


@admin.register(KinPurge)
class KinPurgeAdmin(ReadOnlyAdmin):
    list_display = ("at", "who_name", "left_before", "erased")


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    """Administrators set up each IAG or scrutiny panel here; members and meetings are kept on its page."""

    list_display = ("name", "kind", "division")
