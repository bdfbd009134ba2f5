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


class HateCrimeForm(forms.Form):
    years = forms.CharField(label="Years (last year, this year)", required=False,
                            help_text="Two financial years, e.g. 2012/13,2013/14")

    def clean_years(self):
        from .hate_crime_figures import year_span

        text = self.cleaned_data.get("years") or ""
        if not text:
            return None
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 2:
            raise forms.ValidationError("Give two financial years separated by a comma, e.g. 2012/13,2013/14.")
        try:
            for part in parts:
                year_span(part)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return parts


class HateCrimeRecordsForm(forms.Form):
    year = forms.CharField(label="Financial year", required=False, help_text="For example 2013/14")
    strand = forms.ChoiceField(label="Strand", required=False, choices=[("", "Every strand"), *[
        (key, label) for key, label in (("race", "Race"), ("religion", "Religion or belief"),
                                        ("disability", "Disability"), ("sexual_orientation", "Sexual orientation"),
                                        ("transgender", "Transgender identity"))]])
    neighbourhood = forms.ModelChoiceField(queryset=Neighbourhood.objects.all(), required=False,
                                           to_field_name="code", empty_label="Whole force")

    def clean_year(self):
        from .hate_crime_figures import year_span

        year = (self.cleaned_data.get("year") or "").strip()
        if year:
            try:
                year_span(year)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return year or None
