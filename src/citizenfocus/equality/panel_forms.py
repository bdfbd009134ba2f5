from __future__ import annotations

from django import forms

from citizenfocus.plans.models import Plan

from .forms import MonthField
from .models import PanelFinding


class ReviewForm(forms.Form):
    title = forms.CharField(max_length=200)
    first_month = MonthField(label="From month (YYYY-MM)")
    last_month = MonthField(label="To month (YYYY-MM)")
    size = forms.IntegerField(label="Searches to review", min_value=1, max_value=500, initial=30)
    seed = forms.IntegerField(label="Seed (the same seed draws the same searches)", min_value=0, initial=1)
    section_60 = forms.FloatField(label="Oversample section 60 searches (times)", min_value=1, max_value=20,
                                  initial=3)
    no_further_action = forms.FloatField(label="Oversample no-further-action outcomes (times)", min_value=1,
                                         max_value=20, initial=2)

    def clean(self):
        data = super().clean()
        data["oversample"] = {"section 60": data.pop("section_60", 3.0),
                              "no further action": data.pop("no_further_action", 2.0)}
        return data


class FindingForm(forms.Form):
    grounds_recorded = forms.ChoiceField(label="Grounds recorded", choices=PanelFinding.Answer.choices)
    grounds_reasonable = forms.ChoiceField(label="Grounds reasonable", choices=PanelFinding.Answer.choices)
    video_reviewed = forms.BooleanField(label="Body-worn video reviewed", required=False)
    feedback_to_officer = forms.BooleanField(label="Feedback to the officer", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecommendForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.filter(archived=False), label="Action plan")
    text = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 2}))
