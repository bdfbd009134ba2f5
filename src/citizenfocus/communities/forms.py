from django import forms

from citizenfocus.areas.models import Division, Neighbourhood
from citizenfocus.stats.perception import SCALE

from .assessments import CHARACTERISTICS, EqualityPolicy, Screening
from .models import KinMember, LocalPriority, RequiredGroup, TensionLevel, TensionReturn
from .panels import ETHNIC_GROUPS, PanelMember


class TensionReturnForm(forms.Form):
    week = forms.DateField(help_text="Monday of the week, as 2026-11-30", widget=forms.DateInput(attrs={"type": "date"}))
    division = forms.ModelChoiceField(Division.objects.filter(archived=False))
    neighbourhood = forms.ModelChoiceField(Neighbourhood.objects.filter(archived=False), required=False,
                                           help_text="Leave empty for a return for the whole division")
    level = forms.TypedChoiceField(choices=TensionLevel.choices, coerce=int)
    reliability = forms.ChoiceField(choices=TensionReturn.Reliability.choices, label="Source reliability")
    factors = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    actions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_week(self):
        week = self.cleaned_data["week"]
        if week.weekday() != 0:
            raise forms.ValidationError(f"{week:%A %d %B %Y} is not a Monday: give the Monday of the week.")
        return week

    def clean(self):
        data = super().clean()
        hood, division = data.get("neighbourhood"), data.get("division")
        if hood and division and hood.division_id != division.pk:
            self.add_error("neighbourhood", f"{hood.name} is in {hood.division.name} division, not {division.name}.")
        return data


class PerceptionForm(forms.Form):
    priority = forms.ModelChoiceField(LocalPriority.objects.none())
    member = forms.ModelChoiceField(KinMember.objects.none(), label="KIN member")
    month = forms.DateField(help_text="Any day of the month: the answer is for the whole month")
    score = forms.TypedChoiceField(choices=[(k, f"{k} – {v}") for k, v in SCALE.items()], coerce=int,
                                   label="Progress on the priority")

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = LocalPriority.objects.filter(neighbourhood=neighbourhood,
                                                                        closed_on__isnull=True)
        self.fields["member"].queryset = KinMember.objects.current().filter(neighbourhood=neighbourhood)

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)


class PriorityActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What will be done")
    target_date = forms.DateField(required=False, help_text="As 2026-12-31", label="Target date")
    manager_name = forms.CharField(required=False, max_length=120, label="Action manager",
                                   help_text="Who is responsible (a role or a name)")


class ImpactAssessmentForm(forms.Form):
    operation = forms.CharField(max_length=200, label="Planned operation")
    neighbourhood = forms.ModelChoiceField(Neighbourhood.objects.filter(archived=False))
    planned_on = forms.DateField(label="Planned for", help_text="As 2026-12-31")
    communities_affected = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    sensitivities = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    engagement_before = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                        label="Engagement before the operation")


class SignOffForm(forms.Form):
    engagement_after = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                       label="Engagement after the operation")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Review note")


class EqualityPolicyForm(forms.Form):
    title = forms.CharField(max_length=200, label="Policy or function")
    kind = forms.ChoiceField(choices=EqualityPolicy.Kind.choices)
    owner = forms.CharField(max_length=120, help_text="Department or post responsible")
    next_review_due = forms.DateField(label="First monitoring review due", help_text="As 2027-06-30")


class ScreeningForm(forms.Form):
    """One impact and its evidence for each protected characteristic (Equality Act 2010, s.4)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CHARACTERISTICS:
            self.fields[f"{key}_impact"] = forms.ChoiceField(choices=Screening.Impact.choices, label=f"{label}: impact")
            self.fields[f"{key}_evidence"] = forms.CharField(required=False, label=f"{label}: evidence",
                                                              widget=forms.Textarea(attrs={"rows": 1}))

    def impacts(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {key: (data[f"{key}_impact"], data[f"{key}_evidence"]) for key, _ in CHARACTERISTICS}


class MonitoringReviewForm(forms.Form):
    reviewed_on = forms.DateField(help_text="As 2026-12-01")
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class PanelMemberForm(forms.Form):
    role = forms.CharField(max_length=160, help_text="What the member brings, not their name")
    ethnic_group = forms.ChoiceField(choices=[("", "Not declared")] + list(ETHNIC_GROUPS), required=False,
                                     label="Ethnic group (self-declared, voluntary)")


class PanelMeetingForm(forms.Form):
    held_on = forms.DateField(help_text="As 2026-12-01")
    attended = forms.ModelMultipleChoiceField(PanelMember.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    advice = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Advice given")

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = PanelMember.objects.filter(panel=panel, left_on__isnull=True)


class PanelResponseForm(forms.Form):
    force_response = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="The force's response")
    responded_on = forms.DateField(help_text="As 2026-12-15")


class FindingForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Finding, as a recommendation to the force")


class KinMemberForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="Personal data: seen only by the neighbourhood's team")
    contact = forms.CharField(max_length=200, required=False, help_text="E-mail, telephone or address")
    groups = forms.ModelMultipleChoiceField(RequiredGroup.objects.filter(archived=False), required=False,
                                            widget=forms.CheckboxSelectMultiple, label="Groups the member speaks for")


class PriorityForm(forms.Form):
    title = forms.CharField(max_length=200, label="The priority, in a few words")
    raised_by = forms.ChoiceField(choices=LocalPriority.RaisedBy.choices, label="Set by")
    raised_on = forms.DateField(label="Set on", help_text="As 2026-12-01")
    you_said = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="You said",
                               help_text="What people raised, in their words: published on the public site")


class WeDidForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="We did")
    done_on = forms.DateField(label="Done on", help_text="As 2026-12-01")
