"""Administrators read the personal-data logs here; they are append-only, so nothing can be changed or deleted.

A survey's definition may be changed here: the change goes through the service, which checks the
TOML and records who changed it (DefinitionChange), in the same transaction.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from citizenfocus.core.admin import ReadOnlyAdmin

from . import models, services
from .definition import DefinitionError


@admin.register(models.ResponseAccess)
class ResponseAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "who_name", "kind", "rows", "filters")
    list_filter = ("kind",)
    search_fields = ("who_name", "path")
    date_hierarchy = "at"


@admin.register(models.PurgeRecord)
class PurgeRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "who_name", "survey", "kind", "cutoff", "count")
    list_filter = ("kind", "survey")


@admin.register(models.Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ("at", "who_name", "survey", "response_id", "deleted", "reason")
    search_fields = ("response_id",)


@admin.register(models.WithheldRows)
class WithheldRowsAdmin(ReadOnlyAdmin):
    list_display = ("batch", "reason", "count")


@admin.register(models.DefinitionChange)
class DefinitionChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "who_name", "survey", "note")
    list_filter = ("survey",)


class SurveyForm(forms.ModelForm):
    note = forms.CharField(required=False, max_length=300, help_text="Why it changed (kept in its history)")

    class Meta:
        model = models.Survey
        fields = ["definition_toml"]

    def clean_definition_toml(self):
        text = self.cleaned_data["definition_toml"]
        import tomllib

        from .definition import parse_definition

        try:
            parse_definition(tomllib.loads(text), source=f"survey {self.instance.key}")
        except (tomllib.TOMLDecodeError, DefinitionError) as exc:
            raise ValidationError(str(exc)) from exc
        return text


@admin.register(models.Survey)
class SurveyAdmin(admin.ModelAdmin):
    form = SurveyForm
    list_display = ("key", "name", "updated_at")
    readonly_fields = ("key", "name", "updated_at")

    def has_add_permission(self, request, obj=None):
        return False  # surveys are registered by their first import

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.survey_definition_change(survey=obj, text=form.cleaned_data["definition_toml"], user=request.user,
                                          note=form.cleaned_data.get("note", ""))
