from django.contrib import admin

from citizenfocus.core.admin import ReadOnlyAdmin

from .models import Boundary, CensusArea, EqualityImport, HateCrimeAccess, HateCrimePurge


@admin.register(EqualityImport)
class EqualityImportAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "file_name", "rows", "added", "changed", "unchanged", "removed", "who_name")
    list_filter = ("kind",)
    search_fields = ("file_name", "who_name")


@admin.register(CensusArea)
class CensusAreaAdmin(ReadOnlyAdmin):
    """Census areas come from imports; read here, changed by importing again."""

    list_display = ("code", "name", "neighbourhood", "ward_code")
    search_fields = ("code", "name")


@admin.register(Boundary)
class BoundaryAdmin(ReadOnlyAdmin):
    list_display = ("level", "code", "name", "neighbourhood")
    list_filter = ("level",)
    exclude = ("geometry",)


@admin.register(HateCrimeAccess)
class HateCrimeAccessAdmin(ReadOnlyAdmin):
    """Who read record-level hate crime rows: append-only."""

    list_display = ("at", "who_name", "kind", "rows", "filters")
    list_filter = ("kind",)
    search_fields = ("who_name",)


@admin.register(HateCrimePurge)
class HateCrimePurgeAdmin(ReadOnlyAdmin):
    list_display = ("at", "who_name", "cutoff", "years", "count")
