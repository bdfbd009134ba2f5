"""One response shape for every equality page: HTML, JSON twin, CSV/XLSX tables, PNG/SVG charts."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from citizenfocus.core.formats import export_format, table_response, wants_json, wants_publication
from citizenfocus.performance import charts as performance_charts
from citizenfocus.performance.pages.base import PageResult

CHART_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
CONTROLS = ("format", "table", "chart", "publication")


def _table(request, result: PageResult):
    name = request.GET.get("table") or next(iter(result.tables), None)
    table = result.tables.get(name)
    if table is None:
        raise Http404(f"no table {name!r} on this page")
    rows = ([row.get(c.key) for c in table.columns] for row in table.rows)
    return table_response(export_format(request), f"{request.resolver_match.url_name}-{name}",
                          [c.label for c in table.columns], rows)


def _chart(request, result: PageResult):
    name, fmt = request.GET.get("chart"), request.GET.get("format")
    if name not in result.charts or fmt not in CHART_TYPES:
        raise Http404("no such chart or format (png or svg)")
    response = HttpResponse(performance_charts.render(result.charts[name], fmt), content_type=CHART_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{request.resolver_match.url_name}-{name}.{fmt}"'
    return response


def respond(request, result: PageResult, template: str, context: dict | None = None, publish=None):
    """`publish`: the page's publication variant (result → result with small counts suppressed); with it,
    `?publication=1` gives that variant's tables (CSV/XLSX) and JSON twin, and the page links to them."""
    context = {**(context or {}), "publishable": publish is not None or (context or {}).get("publishable", False)}
    if wants_publication(request) and publish is not None:
        if request.GET.get("chart"):
            raise Http404("charts are for internal use: publish the table (its export with publication=1)")
        result = publish(result)
    if request.GET.get("chart"):
        return _chart(request, result)
    if export_format(request):
        return _table(request, result)
    if wants_json(request):
        return JsonResponse(result.as_dict())
    query = request.GET.copy()
    for param in CONTROLS:
        query.pop(param, None)
    return render(request, template, {"result": result, "query": query.urlencode(), **context})
