"""Dip samples: a team leader draws a random sample of their team's closed cases and checks each one."""

from django import forms
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from citizenfocus.accounts.models import Role, role_of
from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import export_format, table_response, wants_json

from .dip import dip_check_record, dip_rollup, dip_sample_draw
from .dip_models import DipCheck, DipSample
from .models import Team
from .services import victim_access_record

CHECK_COLUMNS = ("position", "crime", "crime_type", "closed_on", "result", "note", "checked_by", "checked_at")


def _teams(user):
    teams = Team.objects.select_related("division")
    return teams.filter(supervisor=user) if role_of(user) == Role.SUPERVISOR else teams


class DrawForm(forms.Form):
    team = forms.ModelChoiceField(Team.objects.none())
    closed_from = forms.DateField(label="Closed from", widget=forms.DateInput(attrs={"type": "date"}))
    closed_to = forms.DateField(label="Closed to", widget=forms.DateInput(attrs={"type": "date"}))
    size = forms.IntegerField(min_value=1, max_value=200, initial=10, label="Cases to sample")
    seed = forms.IntegerField(required=False, min_value=1, label="Seed (blank: a new one; give an old one to repeat)")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = _teams(user)

    def clean(self):
        data = super().clean()
        if data.get("closed_from") and data.get("closed_to") and data["closed_to"] < data["closed_from"]:
            self.add_error("closed_to", "The end comes before the start.")
        return data


def _samples(user):
    samples = DipSample.objects.select_related("team")
    return samples.filter(team__supervisor=user) if role_of(user) == Role.SUPERVISOR else samples


@role_required("dip_samples")
def dip_list(request):
    form = DrawForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        sample = dip_sample_draw(user=request.user, **form.cleaned_data)
        messages.success(request, f"Drew {sample.size} of {sample.population} closed cases (seed {sample.seed}).")
        return redirect("victims:dip_sample", pk=sample.pk)
    samples = [(s, dip_rollup(s)) for s in _samples(request.user)]
    if wants_json(request):
        return JsonResponse({"samples": [{"id": s.pk, "team": s.team.name if s.team else "", "seed": s.seed,
                                          "population": s.population, **r} for s, r in samples]})
    return render(request, "victims/dip_list.html", {"form": form, "samples": samples},
                  status=400 if request.method == "POST" else 200)


def _check_row(check: DipCheck) -> dict:
    r = check.record
    return {"position": check.position, "crime": r.crime_reference, "crime_type": r.crime_type,
            "closed_on": r.closed_on.isoformat() if r.closed_on else "", "result": check.result, "note": check.note,
            "checked_by": check.checked_by_name, "checked_at": check.checked_at.isoformat() if check.checked_at else ""}


@role_required("dip_samples")
@never_cache
def dip_sample(request, pk: int):
    sample = _samples(request.user).filter(pk=pk).first()
    if sample is None:
        raise Http404("no such dip sample, or not one of your team's")
    checks = list(sample.checks.select_related("record"))
    rows = [_check_row(c) for c in checks]
    victim_access_record(user=request.user, kind="dip_sample", filters={"sample": sample.pk}, rows=len(rows),
                         path=request.get_full_path())
    if fmt := export_format(request):
        return table_response(fmt, f"dip-sample-{sample.pk}", CHECK_COLUMNS, ([r[c] for c in CHECK_COLUMNS] for r in rows))
    if wants_json(request):
        return JsonResponse({"id": sample.pk, "seed": sample.seed, "population": sample.population,
                             "rollup": dip_rollup(sample), "checks": rows})
    return render(request, "victims/dip_sample.html", {"sample": sample, "rows": list(zip(checks, rows, strict=True)),
                                                       "rollup": dip_rollup(sample), "results": DipCheck.Result.choices})


@role_required("dip_samples")
@require_POST
def dip_check(request, pk: int):
    check = DipCheck.objects.filter(pk=pk, sample__in=_samples(request.user)).first()
    if check is None:
        raise Http404("no such check, or not one of your team's")
    result = request.POST.get("result", "")
    if result not in DipCheck.Result.values:
        messages.error(request, f"Case {check.position}: choose whether it complies.")
    else:
        dip_check_record(check=check, result=result, note=request.POST.get("note", "")[:500], user=request.user)
    return redirect("victims:dip_sample", pk=check.sample_id)
