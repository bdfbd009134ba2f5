"""Importing a plan from Word or Excel: upload, preview (what each row and cell became, every cell not
understood), correct, then save or cancel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import wants_json
from citizenfocus.plans import services
from citizenfocus.plans.import_forms import ImportCorrectionsForm, PlanImportForm
from citizenfocus.plans.importing import Corrections, ParsedPlan, UnreadableFile
from citizenfocus.plans.importing.columns import ALIASES, FIELD_NAMES
from citizenfocus.plans.models import PlanImport

from .common import Table, form_errors_json, page
from .uploads import on_disk

PROBLEM_COLUMNS = ("where", "column", "value", "expected")
ROW_COLUMNS = ("number", "where", "became", "status_cell", "status_read", "date_cell", "date_read")


@role_required("edit_plans")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET" and wants_json(request):
        return JsonResponse({"formats": [".docx", ".xlsx", ".csv"],
                             "columns": {FIELD_NAMES[f]: ALIASES[f] for f in FIELD_NAMES},
                             "fields": {"file": "the plan file", "title": "optional", "source": "optional plan source",
                                        "kind": "recommendations or objectives", "owning_body": "optional"}})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file")
        try:
            with on_disk(upload) as path:
                preview = services.plan_import_preview(path=path, file_name=upload.name, user=request.user, **data)
        except UnreadableFile as exc:
            form.add_error("file", str(exc))
        else:
            if wants_json(request):
                return JsonResponse({"status": "previewed", "id": preview.pk, **preview.parsed}, status=201)
            return redirect("plans:import_preview", pk=preview.pk)
    if request.method == "POST" and wants_json(request):
        return JsonResponse(form_errors_json(form), status=400)
    recent = PlanImport.objects.select_related("plan")[:10]
    return render(request, "plans/import.html", {"form": form, "recent": recent}, status=400 if form.errors else 200)


def _preview_page(request, preview: PlanImport, *, form=None, error: str = "", status: int = 200):
    parsed = ParsedPlan.from_dict(preview.parsed)
    corrections = Corrections.from_dict(preview.corrections)
    problems = [[p.where, p.column, p.value, p.expected] for p in parsed.problems]
    rows = [[getattr(r, c) for c in ROW_COLUMNS] for r in parsed.rows]
    managers = sorted({a.manager_name for a in parsed.actions() if a.manager_name})
    tables = [Table("problems", f"import-{preview.pk}-problems", PROBLEM_COLUMNS, lambda: problems),
              Table("rows", f"import-{preview.pk}-rows", ROW_COLUMNS, lambda: rows)]
    form = form or ImportCorrectionsForm(parsed=parsed, corrections=corrections, initial={
        "title": preview.title, "reporting_date": parsed.reporting_date})
    context = {"preview": preview, "parsed": parsed, "form": form, "error": error, "counts": parsed.counts,
               "matches": services.manager_matches(managers), "corrected": bool(corrections)}
    return page(request, "plans/import_preview.html", context, tables=tables, status=status,
                data=lambda: {"id": preview.pk, "status": preview.status, "file_name": preview.file_name,
                              "title": preview.title, "source": preview.source, "owning_body": preview.owning_body,
                              "counts": parsed.counts, "corrections": preview.corrections, **preview.parsed})


@role_required("edit_plans")
def import_preview(request, pk: int):
    return _preview_page(request, get_object_or_404(PlanImport, pk=pk))


@role_required("edit_plans")
@require_POST
def import_correct(request, pk: int):
    """Read the file again with the person's corrections; the preview then shows the corrected plan."""
    preview = get_object_or_404(PlanImport, pk=pk)
    parsed = ParsedPlan.from_dict(preview.parsed)
    form = ImportCorrectionsForm(request.POST, parsed=parsed, corrections=Corrections.from_dict(preview.corrections))
    if not form.is_valid():
        if wants_json(request):
            return JsonResponse(form_errors_json(form), status=400)
        return _preview_page(request, preview, form=form, status=400)
    try:
        preview = services.plan_import_correct(plan_import=preview, user=request.user, corrections=form.corrected(),
                                               title=form.cleaned_data["title"])
    except (services.ImportNotSaved, UnreadableFile) as exc:
        if wants_json(request):
            return JsonResponse({"status": "not read", "message": str(exc)}, status=409)
        form.add_error(None, str(exc))
        return _preview_page(request, preview, form=form, status=409)
    if wants_json(request):
        return JsonResponse({"status": "read again", "id": preview.pk, "counts": ParsedPlan.from_dict(
            preview.parsed).counts, "corrections": preview.corrections})
    messages.success(request, "Read again with your corrections: check the plan below, then save it.")
    return redirect("plans:import_preview", pk=preview.pk)


@role_required("edit_plans")
@require_POST
def import_save(request, pk: int):
    """Save the plan as the preview shows it; a cell still unread is saved as the preview says (it blocks only
    itself)."""
    preview = get_object_or_404(PlanImport, pk=pk)
    try:
        plan = services.plan_import(plan_import=preview, user=request.user, accept_problems=True)
    except services.ImportNotSaved as exc:
        if wants_json(request):
            return JsonResponse({"status": "not saved", "message": str(exc)}, status=409)
        return _preview_page(request, preview, error=str(exc), status=409)
    if wants_json(request):
        return JsonResponse({"status": "saved", "plan": plan.pk}, status=201)
    messages.success(request, f"{preview.file_name} saved as the plan '{plan.title}'.")
    return redirect("plans:plan", pk=plan.pk)


@role_required("edit_plans")
@require_POST
def import_cancel(request, pk: int):
    preview = get_object_or_404(PlanImport, pk=pk)
    if preview.status == PlanImport.Status.PREVIEWED:
        try:
            services.plan_import_cancel(plan_import=preview, user=request.user)
        except ValidationError as exc:  # saved (or cancelled) by someone else a moment ago
            messages.error(request, " ".join(exc.messages))
    return redirect("plans:import")
