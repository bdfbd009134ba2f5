"""The dashboard's filters: all kept in the URL, so a view can be bookmarked and shared."""

from __future__ import annotations

from django import forms

from citizenfocus.areas.models import Division, Neighbourhood
from citizenfocus.surveys.definition import shipped_definitions

from .models import ChangePoint, Group, PeerFigure, Target

PERIOD_HELP = "rolling12:2014-03 (12 months to March 2014), month:2014-03, quarter:2013-Q4 or fy:2013"


def survey_choices() -> list[tuple[str, str]]:
    """The shipped surveys and every survey stored here (a force's own definition, loaded from its file)."""
    from citizenfocus.surveys.models import Survey

    names = {key: d.name for key, d in shipped_definitions().items()}
    names.update(dict(Survey.objects.values_list("key", "name")))
    return sorted(names.items())


def _definition(survey_key: str):
    """The survey's stored definition (a force may have added questions), else the shipped one: read per
    request (one query), parsed once per definition text (engine.sources.parsed_definition)."""
    from citizenfocus.engine.sources import parsed_definition
    from citizenfocus.surveys.models import Survey

    stored = Survey.objects.filter(key=survey_key).values_list("definition_toml", flat=True).first()
    return parsed_definition(survey_key, stored) if stored is not None else shipped_definitions().get(survey_key)


def measure_choices(survey_key: str) -> list[tuple[str, str]]:
    return _measure_choices(_definition(survey_key))


def crime_type_choices(survey_key: str) -> list[tuple[str, str]]:
    return _crime_type_choices(_definition(survey_key))


def _measure_choices(definition) -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in definition.measures] if definition else []


def _crime_type_choices(definition) -> list[tuple[str, str]]:
    return [("", "All crime types")] + ([(c.key, c.label) for c in definition.crime_types] if definition else [])


class DashboardFilterForm(forms.Form):
    survey = forms.ChoiceField(choices=survey_choices, initial="uss")
    measure = forms.ChoiceField(choices=(), required=False, help_text="Default: the survey's overall measure")
    period = forms.CharField(required=False, max_length=30, help_text=PERIOD_HELP,
                             label="Period (default: 12 months to the latest month)")
    crime_type = forms.ChoiceField(choices=(), required=False, label="Crime type")
    division = forms.ModelChoiceField(Division.objects.filter(archived=False), required=False,
                                      empty_label="Whole force")
    neighbourhood = forms.ModelChoiceField(
        Neighbourhood.objects.filter(archived=False).select_related("division"), required=False,
        empty_label="All neighbourhoods",
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        survey_key = (data or {}).get("survey") or "uss"
        definition = _definition(survey_key)
        self.fields["measure"].choices = [("", "Overall measure")] + _measure_choices(definition)
        if definition is not None and not definition.crime_types:  # a perception survey: no crime types to filter
            del self.fields["crime_type"]
        else:
            self.fields["crime_type"].choices = _crime_type_choices(definition)

    def clean_period(self):
        from citizenfocus.stats import parse_period

        spec = self.cleaned_data.get("period", "").strip()
        if spec:
            try:
                parse_period(spec)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return spec

    def clean(self):
        cleaned = super().clean()
        hood, division = cleaned.get("neighbourhood"), cleaned.get("division")
        if hood and division and hood.division_id != division.pk:
            self.add_error("neighbourhood", f"{hood.name} is not in {division.name}.")
        return cleaned


class RecordForm(forms.ModelForm):
    """A record's form carries the version it was opened on, so a change made meanwhile is not overwritten."""

    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    percent_fields: tuple[str, ...] = ()

    @classmethod
    def for_record(cls, record, data=None):
        initial = {f: round(getattr(record, f) * 100, 6) for f in cls.percent_fields}
        return cls(data, instance=record, initial={**initial, "version": record.version})

    def record_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class VersionForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1)


class TargetForm(RecordForm):
    rate = forms.FloatField(min_value=0, max_value=100, label="Target (%)")
    percent_fields = ("rate",)

    class Meta:
        model = Target
        fields = ["survey_key", "measure", "group", "division", "neighbourhood", "rate", "note"]
        labels = {"survey_key": "Survey", "group": "Group"}
        widgets = {"survey_key": forms.Select(choices=survey_choices)}

    def clean_rate(self):
        return self.cleaned_data["rate"] / 100

    def clean(self):
        cleaned = super().clean()
        keys = [k for k, _ in measure_choices(cleaned.get("survey_key", ""))]
        if cleaned.get("measure") and cleaned["measure"] not in keys:
            self.add_error("measure", f"Not a measure of this survey; choose one of: {', '.join(keys)}.")
        return cleaned


class ChangePointForm(forms.ModelForm):
    month = forms.DateField(widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m", "%Y-%m-%d"],
                            help_text="The first month of the new process")

    class Meta:
        model = ChangePoint
        fields = ["survey_key", "measure", "month", "reason"]
        labels = {"survey_key": "Survey", "measure": "Measure (empty: every measure)"}
        widgets = {"survey_key": forms.Select(choices=survey_choices)}

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)


class PeerFigureForm(RecordForm):
    rate = forms.FloatField(min_value=0, max_value=100, label="Rate (%)")
    percent_fields = ("rate",)

    class Meta:
        model = PeerFigure
        fields = ["survey_key", "measure", "period", "force_name", "is_own_force", "rate", "n", "deft", "source"]
        labels = {"survey_key": "Survey", "n": "Base (n)", "deft": "Design factor"}
        widgets = {"survey_key": forms.Select(choices=survey_choices)}

    def clean_rate(self):
        return self.cleaned_data["rate"] / 100


class PeerUploadForm(forms.Form):
    file = forms.FileField(help_text="CSV with columns survey, measure, period, force, rate, n, deft (optional), source")


GROUP_LABELS = dict(Group.choices)
