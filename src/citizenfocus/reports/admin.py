from django.contrib import admin

from citizenfocus.core.admin import ReadOnlyAdmin

from .models import BoardPack, PackRecipient, PackSent, PackTemplate


@admin.register(PackRecipient)
class PackRecipientAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "division", "format", "active")
    list_filter = ("division", "active")


@admin.register(PackSent)
class PackSentAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "email", "period", "file_name")


@admin.register(BoardPack)
class BoardPackAdmin(ReadOnlyAdmin):
    list_display = ("requested_at", "requested_by_name", "division", "period", "format", "status")


@admin.register(PackTemplate)
class PackTemplateAdmin(ReadOnlyAdmin):
    list_display = ("uploaded_at", "name", "original_name", "uploaded_by_name", "retired_at")
