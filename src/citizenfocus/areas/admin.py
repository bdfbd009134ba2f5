from django.contrib import admin

from .models import Division, Force, Neighbourhood, Ward


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "force", "archived"]
    list_filter = ["force", "archived"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "division", "archived"]
    list_filter = ["division", "archived"]
    search_fields = ["name", "code"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "neighbourhood"]
    search_fields = ["name", "code"]
