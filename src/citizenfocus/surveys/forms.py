from django import forms

from citizenfocus.areas.models import Division, Neighbourhood

from .models import Survey


class ResponseFilterForm(forms.Form):
    """Filters for the stored responses table; all optional, all kept in the URL."""

    survey = forms.ModelChoiceField(Survey.objects.all(), required=False, to_field_name="key", empty_label="All surveys")
    division = forms.ModelChoiceField(Division.objects.all(), required=False, empty_label="All divisions")
    neighbourhood = forms.ModelChoiceField(
        Neighbourhood.objects.select_related("division"), required=False, empty_label="All neighbourhoods"
    )
    crime_type = forms.CharField(required=False, max_length=40, label="Crime type")
    ethnicity = forms.CharField(required=False, max_length=4, label="Ethnicity code")
    date_from = forms.DateField(required=False, label="Interviewed from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="Interviewed to", widget=forms.DateInput(attrs={"type": "date"}))
    # A batch number past the largest a database key holds is no batch (and SQLite cannot even be asked).
    batch = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, label="Import batch")
    q = forms.CharField(required=False, max_length=64, label="Response id contains")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned
