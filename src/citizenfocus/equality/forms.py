"""The equality pages' filters, checked: a bad value is a 400 naming the field, never a crash."""

from __future__ import annotations

import datetime as dt

from django import forms

from citizenfocus.areas.models import Neighbourhood

from .maps_page import METRICS


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise forms.ValidationError("Enter a month as YYYY-MM, for example 2014-03.") from None


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return _month(value) if value else None


class StopSearchForm(forms.Form):
    basis = forms.ChoiceField(label="Ethnicity", choices=[("self", "Self-defined"), ("officer", "Officer-defined")],
                              required=False)
    first = MonthField(label="From month (YYYY-MM)", required=False)
    last = MonthField(label="To month (YYYY-MM)", required=False)
    section_60 = forms.ChoiceField(label="Section 60", required=False, choices=[
        ("all", "All searches"), ("only", "Section 60 only"), ("exclude", "Excluding section 60")])
    neighbourhood = forms.ModelChoiceField(queryset=Neighbourhood.objects.all(), required=False,
                                           to_field_name="code", empty_label="Whole force")

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            self.add_error("last", "The last month must not be before the first.")
        return data


class MapForm(forms.Form):
    metric = forms.ChoiceField(label="Show", choices=list(METRICS.items()), required=False)
