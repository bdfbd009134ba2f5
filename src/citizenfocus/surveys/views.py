"""The data pages analysts use to check what was imported.

Individual responses, and the values a refused file's problems quote, are personal data:
those pages are never cached (Cache-Control: no-store, in every format) and each view or
export is logged (surveys.ResponseAccess: who, when, what filter), see docs/personal-data.md.
"""

from itertools import repeat

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import export_format, table_response, wants_json

from . import selectors, services
from .forms import ResponseFilterForm
from .models import ImportBatch, SurveyItem

PAGE_SIZE = 50


@role_required("view_data")
def data_page(request):
    """Import batches (who, when, file, counts, errors) with the surveys' totals."""
    batches = selectors.recent_batches(limit=None if export_format(request) else 50)
    rows = [selectors.batch_row(b) for b in batches]
    if fmt := export_format(request):
        header = selectors.BATCH_COLUMNS
        return table_response(fmt, "import-batches", header, ([r[c] for c in header] for r in rows))
    changes = selectors.definition_changes()
    if wants_json(request):
        return JsonResponse({"surveys": selectors.survey_summaries(), "batches": rows, "definition_changes": changes})
    return render(request, "surveys/data.html", {"batches": batches, "summaries": selectors.survey_summaries(),
                                                 "definition_changes": changes})


@role_required("view_data")
@never_cache
def batch_detail(request, pk: int):
    """One import; a refused one with its problems, personal values masked (surveys.personal)."""
    batch = get_object_or_404(ImportBatch.objects.select_related("survey").prefetch_related("withheld"), pk=pk)
    problems = selectors.batch_problems(batch)
    if problems:
        services.response_access_record(user=request.user, kind="batch", filters={"batch": batch.pk},
                                        rows=len(problems), path=request.get_full_path())
    if fmt := export_format(request):
        header = ("file", "row", "column", "value", "expected")
        rows = ([e.get(c, "") for c in header] for e in problems)
        return table_response(fmt, f"import-{batch.pk}-problems", header, rows)
    if wants_json(request):
        return JsonResponse({"batch": selectors.batch_row(batch), "errors": problems})
    return render(request, "surveys/batch.html", {"batch": batch, "problems": problems,
                                                  "withheld": list(batch.withheld.all())})


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


def _log(request, kind: str, rows: int) -> None:
    services.response_access_record(user=request.user, kind=kind, filters=request.GET.dict(), rows=rows,
                                    path=request.get_full_path())


@role_required("view_data")
@never_cache
def responses_page(request):
    """A filterable, paginated table of stored responses, exportable as CSV or XLSX; every view logged."""
    form = ResponseFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    if request.GET and not valid:
        if wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return render(request, "surveys/responses.html", {"form": form, "page": None}, status=400)
    responses = selectors.filtered_responses(_filter_from(form) if request.GET else selectors.ResponseFilter())
    slots = SurveyItem.every_survey()
    if fmt := export_format(request):
        _log(request, fmt, responses.count())
        header = ("survey", *selectors.RESPONSE_COLUMNS)
        rows = ([selectors.answers_text(v) if c == "answers" else v for c, v in
                 ((c, row[c]) for c in header)] for row in map(selectors.response_row, responses.iterator(2000), repeat(slots)))
        return table_response(fmt, "responses", header, rows)
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    _log(request, "json" if wants_json(request) else "page", page.paginator.count)
    if wants_json(request):
        return JsonResponse({
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [selectors.response_row(r, slots) for r in page.object_list],
        })
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "surveys/responses.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "rows": [(r, selectors.answers_text(r.codes(slots.get(r.survey_id, {})))) for r in page.object_list],
    })
