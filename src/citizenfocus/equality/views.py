"""Equality pages: the neighbourhood profile, maps and stop and search. Short views over the page builders."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from citizenfocus.accounts.models import Profile
from citizenfocus.accounts.permissions import role_required
from citizenfocus.areas.models import Neighbourhood
from citizenfocus.core.formats import export_format, wants_json, wants_publication

from . import (
    hate_crime_figures,
    hate_crime_page,
    hate_crime_records,
    maps_page,
    profile_page,
    stop_search_page,
)
from .forms import HateCrimeForm, HateCrimeRecordsForm, MapForm, StopSearchForm
from .respond import respond
from .searches import SearchFilters, default_months


def _refused(request, form, template: str, context: dict):
    if request.GET.get("format") == "json":
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return render(request, template, {**context, "form": form}, status=400)


@role_required("view")
@require_GET
def profiles(request):
    """An inspector opens on their home neighbourhood; everyone else chooses one."""
    home = Profile.objects.filter(user=request.user).values_list("neighbourhood__code", flat=True).first()
    if home and "choose" not in request.GET:
        return redirect("equality:profile", code=home)
    hoods = Neighbourhood.objects.filter(archived=False).select_related("division")
    if request.GET.get("format") == "json":
        return JsonResponse({"neighbourhoods": [{"code": h.code, "name": h.name, "division": h.division.name}
                                                for h in hoods]})
    return render(request, "equality/profiles.html", {"neighbourhoods": hoods})


@role_required("view")
@require_GET
def profile(request, code: str):
    hood = get_object_or_404(Neighbourhood.objects.select_related("division"), code=code)
    return respond(request, profile_page.build(hood), "equality/page.html", {"tab": "profile"})


@role_required("view")
@require_GET
def maps(request):
    form = MapForm(request.GET)
    if not form.is_valid():
        return _refused(request, form, "equality/page.html", {"tab": "maps"})
    result = maps_page.build(form.cleaned_data.get("metric") or "satisfaction")
    return respond(request, result, "equality/page.html", {"form": form, "tab": "maps"}, publish=maps_page.publish)


@role_required("view")
@require_GET
def stop_search(request):
    form = StopSearchForm(request.GET)
    if not form.is_valid():
        return _refused(request, form, "equality/page.html", {"tab": "stop_search"})
    data = form.cleaned_data
    first, last = default_months()
    filters = SearchFilters(basis=data.get("basis") or "self", first=data.get("first") or first,
                            last=data.get("last") or last, section_60=data.get("section_60") or "all",
                            neighbourhood=data.get("neighbourhood"))
    return respond(request, stop_search_page.build(filters), "equality/page.html",
                   {"form": form, "tab": "stop_search"}, publish=stop_search_page.publish)


@role_required("view")
@require_GET
def hate_crime(request):
    form = HateCrimeForm(request.GET)
    if not form.is_valid():
        return _refused(request, form, "equality/page.html", {"tab": "hate_crime"})
    last, this = form.cleaned_data.get("years") or hate_crime_figures.latest_years()
    result = hate_crime_page.build(last, this, publication=wants_publication(request))
    return respond(request, result, "equality/page.html", {"form": form, "tab": "hate_crime", "publishable": True})


@role_required("view_hate_crime_records")
@require_GET
def hate_crime_record_list(request):
    """Record-level rows (crime references, the victim's religion): role-scoped, every read logged."""
    form = HateCrimeRecordsForm(request.GET)
    if not form.is_valid():
        return _refused(request, form, "equality/page.html", {"tab": "hate_crime", "records": True})
    data = form.cleaned_data
    year = data.get("year") or hate_crime_figures.latest_years()[1]
    result = hate_crime_records.build(year, data.get("strand") or None, data.get("neighbourhood"))
    kind = export_format(request) or ("json" if wants_json(request) else "page")
    response = respond(request, result, "equality/page.html", {"form": form, "tab": "hate_crime", "records": True})
    hate_crime_records.log_read(request=request, kind=kind, result=result)
    return response
