"""The Reports page's form: which pack to build."""

from __future__ import annotations

from django import forms

from citizenfocus.areas.models import Division
from citizenfocus.performance.forms import survey_choices
from citizenfocus.plans.models import Meeting
from citizenfocus.stats import parse_period

from .models import BoardPack


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
        help_text="Default: that the board notes the figures, the gap and the action plan's progress")

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
