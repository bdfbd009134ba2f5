"""The Reports page's forms: which pack to build, and a force's Word template to build it in."""

from __future__ import annotations

from django import forms

from citizenfocus.areas.models import Division
from citizenfocus.performance.forms import crime_type_choices, survey_choices
from citizenfocus.plans.models import Meeting
from citizenfocus.stats import parse_period

from .models import BoardPack, PackTemplate
from .word_templates import check_template, max_bytes


def pack_crime_type_choices() -> list:
    """'The one that moves it most', then each survey's crime types (grouped by survey when several have
    them); the form checks the choice belongs to the chosen survey."""
    groups = [(name, crime_type_choices(key)[1:]) for key, name in survey_choices()]
    groups = [(name, kinds) for name, kinds in groups if kinds]
    first = [("", "The crime type that moves the figure most")]
    if len(groups) == 1:
        return first + groups[0][1]
    return first + groups


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PackTemplate) -> str:
        return f"{obj.name} ({obj.original_name}, uploaded by {obj.uploaded_by_name} on {obj.uploaded_at:%d %b %Y})"


class PackForm(forms.Form):
    survey = forms.ChoiceField(choices=survey_choices, initial="uss")
    division = forms.ModelChoiceField(Division.objects.filter(archived=False), required=False,
                                      empty_label="Whole force")
    period = forms.CharField(required=False, max_length=30, label="Rolling 12 months to (YYYY-MM)",
                             help_text="For example 2014-03; empty: to the latest month with data")
    meeting = forms.ModelChoiceField(Meeting.objects.filter(archived=False).select_related("plan"), required=False,
                                     empty_label="Each plan's latest meeting",
                                     help_text="The action plans show what changed since this meeting")
    format = forms.ChoiceField(choices=BoardPack.Format.choices, initial="pdf", widget=forms.RadioSelect)
    body = forms.CharField(required=False, max_length=200, label="Report to",
                           help_text="The board or panel (default: the plan's owning body)")
    author = forms.CharField(required=False, max_length=200, help_text="Default: your user name")
    recommendation = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The cover's 'Recommendation:' paragraph. Default: that the board notes the figures, the gap "
                  "and the action plan's progress")
    crime_type = forms.ChoiceField(
        choices=pack_crime_type_choices, required=False, label="Satisfaction with and without",
        help_text="The crime type the key findings give satisfaction with and without")
    template = TemplateChoiceField(
        PackTemplate.objects.filter(retired_at__isnull=True), required=False, label="Word template",
        empty_label="None: the plain layout",
        help_text="The force's own Word template (upload it below); Word packs only")

    def clean(self):
        data = super().clean()
        survey, kind = data.get("survey"), data.get("crime_type")
        if survey and kind and kind not in dict(crime_type_choices(survey)):
            self.add_error("crime_type", f"The {dict(survey_choices()).get(survey, survey)} has no crime type "
                                         f"{kind!r}; choose one of its own or leave it to the pack.")
        if data.get("template") and data.get("format") == BoardPack.Format.PDF:
            self.add_error("template", "A Word template applies to the Word pack only: choose Word, or no "
                                       "template for the PDF.")
        return data

    def clean_period(self):
        text = self.cleaned_data.get("period", "").strip()
        if not text:
            return ""
        spec = text if ":" in text else f"rolling12:{text}"
        try:
            period = parse_period(spec)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if period.kind != "rolling" or period.months != 12:
            raise forms.ValidationError("The pack reports rolling 12 months: give the last month as YYYY-MM.")
        return spec


class TemplateUploadForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="What analysts will choose it by, e.g. 'Force report template'")
    file = forms.FileField(label="Word file (.docx or .dotx)",
                           help_text="Its styles, page set-up, header, footer and cover are the pack's. Fields "
                                     "written in it as {title}, {body}, {meeting}, {date}, {author}, {area}, "
                                     "{period} and {marking} are filled in.",
                           widget=forms.ClearableFileInput(attrs={"accept": ".docx,.dotx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():  # before reading it into memory
            raise forms.ValidationError(f"{upload.name}: the file is {upload.size / 1024 / 1024:.1f} MB; the "
                                        f"limit is {max_bytes() // (1024 * 1024)} MB.")
        content = b"".join(upload.chunks())
        self.checked = check_template(upload.name, content)
        return upload
