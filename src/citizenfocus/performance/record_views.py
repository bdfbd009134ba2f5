"""Pages where analysts keep targets, change points and peer figures (board members read them)."""

from __future__ import annotations

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from citizenfocus.accounts.models import user_can
from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import export_format, table_response, wants_json

from . import services
from .forms import ChangePointForm, PeerFigureForm, PeerUploadForm, TargetForm
from .models import ChangePoint, PeerFigure, Target

RECORDS = {
    "targets": (Target, TargetForm, ("survey_key", "measure", "group", "division", "neighbourhood", "rate", "note")),
    "change_points": (ChangePoint, ChangePointForm, ("survey_key", "measure", "month", "reason", "archived")),
    "peer_figures": (PeerFigure, PeerFigureForm,
                     ("survey_key", "measure", "period", "force_name", "is_own_force", "rate", "n", "deft", "source")),
}
TITLES = {"targets": "Targets", "change_points": "Change points", "peer_figures": "Peer figures (most similar forces)"}


def _rows(kind: str) -> list[dict]:
    model, _, fields = RECORDS[kind]
    rows = []
    for obj in model.objects.select_related(*[f for f in ("division", "neighbourhood") if f in fields]):
        row = model_to_dict(obj, fields=fields)
        for key in ("division", "neighbourhood"):
            if key in row:
                row[key] = str(getattr(obj, key) or "whole force" if key == "division" else getattr(obj, key) or "")
        if "month" in row:
            row["month"] = obj.month.strftime("%Y-%m")
        row["id"] = obj.pk
        rows.append(row)
    return rows


def _render(request, kind: str, form=None, upload=None, status=200):
    rows = _rows(kind)
    _, _, fields = RECORDS[kind]
    if fmt := export_format(request):
        return table_response(fmt, kind.replace("_", "-"), fields, ([r[f] for f in fields] for r in rows))
    if wants_json(request):
        return JsonResponse({kind: rows})
    can_edit = user_can(request.user, "analyse")
    context = {
        "kind": kind, "title": TITLES[kind], "fields": fields, "can_edit": can_edit,
        "cells": [{"id": r["id"], "archived": r.get("archived"), "values": [r[f] for f in fields]} for r in rows],
        "form": form or (RECORDS[kind][1]() if can_edit else None),
        "upload": upload or (PeerUploadForm() if can_edit and kind == "peer_figures" else None),
    }
    return render(request, "performance/records.html", context, status=status)


def _record_page(kind: str):
    @role_required("view")
    def view(request):
        if request.method == "POST":
            if not user_can(request.user, "analyse"):
                return render(request, "403.html", status=403)
            return _save(request, kind)
        return _render(request, kind)

    view.__name__ = f"{kind}_page"
    return view


def _save(request, kind: str):
    form = RECORDS[kind][1](request.POST)
    if not form.is_valid():
        return _render(request, kind, form=form, status=400)
    data = form.cleaned_data
    if kind == "targets":
        services.target_set(user=request.user, **data)
    elif kind == "change_points":
        services.change_point_record(user=request.user, **data)
    else:
        form.instance.entered_by = request.user
        form.save()
    messages.success(request, f"{TITLES[kind]}: saved.")
    return redirect(f"performance:{kind}")


targets_page = _record_page("targets")
change_points_page = _record_page("change_points")
peer_figures_page = _record_page("peer_figures")


@role_required("analyse")
@require_POST
def change_point_archive(request, pk: int):
    services.change_point_archive(change_point=get_object_or_404(ChangePoint, pk=pk))
    messages.success(request, "Change point archived: charts no longer rebase there.")
    return redirect("performance:change_points")


@role_required("analyse")
@require_POST
def peer_figures_upload(request):
    upload = PeerUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _render(request, "peer_figures", upload=upload, status=400)
    try:
        count = services.peer_figures_import(user=request.user, content=upload.cleaned_data["file"].read())
    except services.PeerFileError as exc:
        for problem in exc.problems:
            upload.add_error("file", problem)
        return _render(request, "peer_figures", upload=upload, status=400)
    messages.success(request, f"{count} peer figures stored.")
    return redirect("performance:peer_figures")
