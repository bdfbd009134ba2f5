"""Importing a plan from Word or Excel: upload, preview (with every cell not understood), save or cancel."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import wants_json
from citizenfocus.plans import services
from citizenfocus.plans.forms import ImportSaveForm, PlanImportForm
from citizenfocus.plans.importing import ParsedPlan, UnreadableFile
from citizenfocus.plans.importing.columns import ALIASES, FIELD_NAMES
from citizenfocus.plans.models import PlanImport

from .common import Table, form_errors_json, page
from .uploads import on_disk

PROBLEM_COLUMNS = ("where", "column", "value", "expected")


@role_required("edit_plans")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET" and wants_json(request):
        return JsonResponse({"formats": [".docx", ".xlsx", ".csv"],
                             "columns": {FIELD_NAMES[f]: ALIASES[f] for f in FIELD_NAMES},
                             "fields": {"file": "the plan file", "title": "optional", "source": "plan source",
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
    problems = [[p.where, p.column, p.value, p.expected] for p in parsed.problems]
    managers = sorted({a.manager_name for a in parsed.actions() if a.manager_name})
    tables = [Table("problems", f"import-{preview.pk}-problems", PROBLEM_COLUMNS, lambda: problems)]
    context = {"preview": preview, "parsed": parsed, "form": form or ImportSaveForm(), "error": error,
               "counts": parsed.counts, "matches": services.manager_matches(managers)}
    return page(request, "plans/import_preview.html", context, tables=tables, status=status,
                data=lambda: {"id": preview.pk, "status": preview.status, "file_name": preview.file_name,
                              "title": preview.title, "counts": parsed.counts, **preview.parsed})


@role_required("edit_plans")
def import_preview(request, pk: int):
    return _preview_page(request, get_object_or_404(PlanImport, pk=pk))


@role_required("edit_plans")
@require_POST
def import_save(request, pk: int):
    preview = get_object_or_404(PlanImport, pk=pk)
    form = ImportSaveForm(request.POST)
    form.is_valid()
    try:
        plan = services.plan_import(plan_import=preview, user=request.user,
                                    accept_problems=form.cleaned_data.get("accept_problems", False))
    except services.ImportNotSaved as exc:
        if wants_json(request):
            return JsonResponse({"status": "not saved", "message": str(exc)}, status=409)
        form.add_error("accept_problems", str(exc))
        return _preview_page(request, preview, form=form, status=409)
    if wants_json(request):
        return JsonResponse({"status": "saved", "plan": plan.pk}, status=201)
    from django.contrib import messages

    messages.success(request, f"{preview.file_name} saved as the plan '{plan.title}'.")
    return redirect("plans:plan", pk=plan.pk)


@role_required("edit_plans")
@require_POST
def import_cancel(request, pk: int):
    preview = get_object_or_404(PlanImport, pk=pk)
    if preview.status == PlanImport.Status.PREVIEWED:
        services.plan_import_cancel(plan_import=preview, user=request.user)
    return redirect("plans:import")
