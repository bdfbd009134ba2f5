from django.contrib import admin

from citizenfocus.core.admin import ReadOnlyAdmin

from .models import Release


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "approved_by_name", "approved_at", "withdrawn_at")
