"""Administration: teams and officers, the force's letter templates and call-back reason codes; the
append-only records read only."""

from django import forms
from django.contrib import admin

from citizenfocus.core.admin import ReadOnlyAdmin

from .callback_models import CallBackChange, CallBackReason
from .letters import RIGHT_TO_LEFT
from .models import LetterTemplate, Officer, Team, VictimImport, VictimPurge, VictimRecordAccess
from .theme_models import CommentThemeChange


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "division", "supervisor"]
    list_filter = ["division"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["identifier", "team", "user"]
    list_filter = ["team"]
    search_fields = ["identifier", "user__username"]


class LetterTemplateForm(forms.ModelForm):
    upload = forms.FileField(help_text="A Word (.docx) file whose fields are written {{ crime_reference }} and so on "
                                       "(docs/victims.md)")

    class Meta:
        model = LetterTemplate
        fields = ["event", "language"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        data = upload.read()
        if not data.startswith(b"PK"):
            raise forms.ValidationError(f"{upload.name} is not a Word .docx file")
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """A new version of a template is a new row (the latest is used); old versions are kept, never changed."""

    form = LetterTemplateForm
    list_display = ["event", "language", "right_to_left", "who_name", "at"]
    list_filter = ["event", "language"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def save_model(self, request, obj, form, change):
        obj.docx = form.cleaned_data["upload"]
        obj.right_to_left = obj.language.split("-")[0] in RIGHT_TO_LEFT
        obj.who, obj.who_name = request.user, request.user.get_username()
        super().save_model(request, obj, form, change)


@admin.register(CallBackReason)
class CallBackReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "measure", "archived"]
    list_filter = ["archived", "measure"]


for model in (VictimImport, VictimRecordAccess, VictimPurge, CallBackChange, CommentThemeChange):
    admin.site.register(model, ReadOnlyAdmin)
