"""The scrutiny panel's pages: draw a sample, work through it recording findings, make a recommendation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from citizenfocus.accounts.models import user_can
from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import export_format, table_response, wants_json

from . import panel
from .models import PanelFinding, PanelReview, PanelSearch
from .panel_forms import FindingForm, RecommendForm, ReviewForm
from .panel_rows import COLUMNS, review_rows


@role_required("review_searches")
def reviews(request):
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = panel.panel_review_create(user=request.user, oversample=data.pop("oversample"), **data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Drew {review.searches.count()} searches for review.")
            return redirect("equality:panel_review", pk=review.pk)
    found = PanelReview.objects.all()
    if wants_json(request):
        return JsonResponse({"reviews": [{"id": r.pk, "title": r.title, "size": r.size, "seed": r.seed,
                                          "first_month": str(r.first_month), "last_month": str(r.last_month),
                                          "oversample": r.oversample} for r in found]})
    return render(request, "equality/panel_reviews.html", {"reviews": found, "form": form, "tab": "panel"},
                  status=400 if form.errors else 200)


@role_required("review_searches")
@require_GET
def review(request, pk: int):
    item = get_object_or_404(PanelReview, pk=pk)
    rows = review_rows(item)
    if export_format(request):
        return table_response(export_format(request), f"panel-review-{item.pk}", [c[1] for c in COLUMNS],
                              ([row.get(key) for key, _ in COLUMNS] for row in rows))
    if wants_json(request):
        return JsonResponse({"review": {"id": item.pk, "title": item.title, "seed": item.seed, "size": item.size,
                                        "oversample": item.oversample}, "searches": rows})
    return render(request, "equality/panel_review.html", {
        "review": item, "rows": rows, "finding_form": FindingForm(), "recommend_form": RecommendForm(),
        "can_recommend": user_can(request.user, "edit_plans"), "tab": "panel"})


@role_required("review_searches")
@require_POST
def finding(request, pk: int):
    sample = get_object_or_404(PanelSearch.objects.select_related("review"), pk=pk)
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Search {sample.position}: {form.errors.as_text()}")
    else:
        panel.panel_finding_record(sample=sample, user=request.user, **form.cleaned_data)
        messages.success(request, f"Finding recorded for search {sample.position}.")
    return redirect(f"{request.build_absolute_uri(sample.review.get_absolute_url())}#search-{sample.position}")


@role_required("review_searches")
@require_POST
def recommend(request, pk: int):
    """Only those who may edit plans turn a finding into a recommendation."""
    if not user_can(request.user, "edit_plans"):
        raise PermissionDenied("your role may not edit plans")
    found = get_object_or_404(PanelFinding.objects.select_related("search__review"), pk=pk)
    form = RecommendForm(request.POST)
    if form.is_valid():
        result = panel.panel_finding_recommend(finding=found, user=request.user, **form.cleaned_data)
        messages.success(request, f"Recommendation {result.recommendation.ref} added to "
                                  f"'{form.cleaned_data['plan'].title}'.")
    else:
        messages.error(request, form.errors.as_text())
    return redirect(found.search.review.get_absolute_url())
