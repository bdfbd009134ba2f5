"""The data pages analysts use to check what was imported."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import export_format, table_response, wants_json

from . import selectors
from .forms import ResponseFilterForm
from .models import ImportBatch

PAGE_SIZE = 50


@role_required("view_data")
def data_page(request):
    """Import batches (who, when, file, counts, errors) with the surveys' totals."""
    batches = selectors.recent_batches(limit=None if export_format(request) else 50)
    rows = [selectors.batch_row(b) for b in batches]
    if fmt := export_format(request):
        header = selectors.BATCH_COLUMNS
        return table_response(fmt, "import-batches", header, ([r[c] for c in header] for r in rows))
    if wants_json(request):
        return JsonResponse({"surveys": selectors.survey_summaries(), "batches": rows})
    return render(request, "surveys/data.html", {"batches": batches, "summaries": selectors.survey_summaries()})


@role_required("view_data")
def batch_detail(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.select_related("survey"), pk=pk)
    if fmt := export_format(request):
        header = ("file", "row", "column", "value", "expected")
        rows = ([e.get(c, "") for c in header] for e in batch.errors)
        return table_response(fmt, f"import-{batch.pk}-problems", header, rows)
    if wants_json(request):
        return JsonResponse({"batch": selectors.batch_row(batch), "errors": batch.errors})
    return render(request, "surveys/batch.html", {"batch": batch})


def _filter_from(form: ResponseFilterForm) -> selectors.ResponseFilter:
    data = form.cleaned_data
    return selectors.ResponseFilter(
        survey=data["survey"].key if data.get("survey") else "",
        division=data["division"].pk if data.get("division") else None,
        neighbourhood=data["neighbourhood"].pk if data.get("neighbourhood") else None,
        crime_type=data.get("crime_type") or "",
        ethnicity=(data.get("ethnicity") or "").upper(),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        batch=data.get("batch"),
        q=data.get("q") or "",
    )


@role_required("view_data")
def responses_page(request):
    """A filterable, paginated table of stored responses, exportable as CSV or XLSX."""
    form = ResponseFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    if request.GET and not valid:
        if wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return render(request, "surveys/responses.html", {"form": form, "page": None}, status=400)
    responses = selectors.filtered_responses(_filter_from(form) if request.GET else selectors.ResponseFilter())
    if fmt := export_format(request):
        header = ("survey", *selectors.RESPONSE_COLUMNS)
        rows = ([row[c] for c in header] for row in map(selectors.response_row, responses.iterator(2000)))
        return table_response(fmt, "responses", header, rows)
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    if wants_json(request):
        return JsonResponse({
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [selectors.response_row(r) for r in page.object_list],
        })
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "surveys/responses.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "measures": selectors.measure_labels(),
        "rows": [(r, [getattr(r, m) for m in selectors.STORED_MEASURES]) for r in page.object_list],
    })
