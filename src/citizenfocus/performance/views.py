"""The dashboard pages: one view shape for every page (HTML, JSON twin, table exports, chart images)."""

from __future__ import annotations

import json

from django.db.models import Count, Max
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from citizenfocus.accounts.models import Profile
from citizenfocus.accounts.permissions import role_required
from citizenfocus.areas.models import Neighbourhood
from citizenfocus.core.board_exports import BoardTable, board_table_response
from citizenfocus.core.formats import export_format, wants_json, wants_publication

from . import charts, memo, shared
from .cube import get_cube
from .forms import DashboardFilterForm
from .pages import PAGES, TAB_LABELS
from .pages.base import Filters
from .publication import flag_low_bases, publish_table, published_result
from .warm import page_result

CHART_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def _initial(request) -> dict:
    """The filters from the URL; a user with a home area starts there."""
    data = request.GET.copy()
    if "survey" not in data:
        data["survey"] = "uss"
        profile = Profile.objects.filter(user=request.user).first()
        if profile and profile.neighbourhood_id and "neighbourhood" not in data:
            data["neighbourhood"] = str(profile.neighbourhood_id)
        if profile and profile.division_id and "division" not in data:
            data["division"] = str(profile.division_id)
    return data


def _filters(form: DashboardFilterForm, cube) -> Filters:
    data = form.cleaned_data
    definition = cube.definition
    measure = definition.measure(data["measure"]) if data.get("measure") else definition.overall_measure
    hood = data.get("neighbourhood")
    return Filters(
        survey=data["survey"], measure=measure, period=data.get("period") or "",
        crime_type=data.get("crime_type") or None, division=data.get("division") or (hood.division if hood else None),
        neighbourhood=hood,
    )


def _period_words(result) -> str:
    period = result.extra.get("period")
    return period.get("label", "") if isinstance(period, dict) else (period or "every month with data")


def _export(request, result, filters: Filters):
    """A table as a board pastes it: title, period and filters above it, number formats (core/board_exports)."""
    fmt = export_format(request)
    name = request.GET.get("table") or next(iter(result.tables), None)
    table = result.tables.get(name)
    if table is None:
        raise Http404(f"no table {name!r} on this page")
    publication = wants_publication(request)
    table = publish_table(table) if publication else flag_low_bases(table)
    period = _period_words(result)
    context = [f"Period: {period}", f"Area: {filters.area_label()}", f"Measure: {filters.measure.label}",
               f"Crime type: {filters.crime_type or 'all crime types'}",
               "Marked for publication: small bases suppressed" if publication
               else "For internal use: low bases flagged"]
    board = BoardTable(title=table.caption, context=context, columns=[(c.label, c.kind) for c in table.columns],
                       rows=[[row.get(c.key) for c in table.columns] for row in table.rows])
    page = request.resolver_match.url_name
    file_name = board.file_name(page, name, filters.area_label(), period, "publication" if publication else "")
    return board_table_response(fmt, board, file_name=file_name, header_lines=request.GET.get("header_lines") == "1")


def _chart(request, result):
    name, fmt = request.GET.get("chart"), request.GET.get("format")
    if name not in result.charts or fmt not in CHART_TYPES:
        raise Http404("no such chart or format (png or svg)")
    if wants_publication(request):
        raise Http404("charts are for internal use: publish the table (its export with publication=1)")
    response = HttpResponse(charts.render(result.charts[name], fmt), content_type=CHART_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{request.resolver_match.url_name}-{name}.{fmt}"'
    return response


def _body(key: str, result, query: str) -> str:
    """The tables and charts of a page, rendered once per figures and query (they do not depend on the user)."""
    survey_key = json.loads(key)[1]
    return memo.fragments.get_or_make((key, query), lambda: shared.get_or_make(
        "body", f"{key}|{query}", survey_key,
        lambda: render_to_string("performance/_result.html", {"result": result, "query": query}, request=None)))


def _filters_html(form: DashboardFilterForm) -> str:
    """The filter form with its long area lists, rendered once per choice of filters and areas."""
    areas = Neighbourhood.objects.aggregate(n=Count("id"), last=Max("id"), divisions=Count("division", distinct=True))
    key = ("filters", json.dumps(form.data, sort_keys=True, default=str), tuple(areas.values()))
    return memo.fragments.get_or_make(key, lambda: render_to_string("performance/_filters.html", {"form": form}))


def dashboard_page(page_key: str):
    template = PAGES[page_key][1]

    @role_required("view")
    @require_GET
    def view(request):
        form = DashboardFilterForm(_initial(request))
        context = {"form": form, "page_key": page_key, "result": None,
                   "dashboard_tabs": [(k, TAB_LABELS[k]) for k in PAGES]}
        if not form.is_valid():
            if wants_json(request):
                return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
            return render(request, template, context, status=400)
        cube = get_cube(form.cleaned_data["survey"])
        if cube is None:
            context["no_data"] = True
            if wants_json(request):
                return JsonResponse({"error": "no responses stored for this survey yet"}, status=404)
            return render(request, template, context)
        filters = _filters(form, cube)
        key, result = page_result(page_key, cube, filters)
        if request.GET.get("chart"):
            return _chart(request, result)
        if export_format(request):
            return _export(request, result, filters)
        if wants_json(request):
            return JsonResponse(published_result(result) if wants_publication(request) else result.as_dict())
        query = request.GET.copy()
        for param in ("format", "table", "chart", "publication"):
            query.pop(param, None)
        context.update({"result": result, "query": query.urlencode(),
                        "body": _body(key, result, query.urlencode()),
                        "filters_html": _filters_html(form)})
        return render(request, template, context)

    view.__name__ = f"{page_key}_page"
    return view
