"""Pages where analysts keep targets, change points and peer figures (board members read them), and their history.

An analyst opens a record with its Edit link (?edit=<id>): the form carries the version it was
opened on, and a save refused because someone changed the record meanwhile answers 409 with who
and when (performance.revisions), showing the record as it is now.
"""

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
from .forms import ChangePointForm, PeerFigureForm, PeerUploadForm, TargetForm, VersionForm
from .models import ChangePoint, PeerFigure, RecordEvent, Target

RECORDS = {
    "targets": (Target, TargetForm, ("survey_key", "measure", "group", "division", "neighbourhood", "rate", "note")),
    "change_points": (ChangePoint, ChangePointForm, ("survey_key", "measure", "month", "reason", "archived")),
    "peer_figures": (PeerFigure, PeerFigureForm,
                     ("survey_key", "measure", "period", "force_name", "is_own_force", "rate", "n", "deft", "source")),
}
TITLES = {"targets": "Targets", "change_points": "Change points", "peer_figures": "Peer figures (most similar forces)"}
EDITABLE = {"targets", "peer_figures"}  # change points are recorded and archived, never edited
HISTORY_KIND = {"targets": "target", "change_points": "change_point", "peer_figures": "peer_figure"}


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
        row["id"], row["version"] = obj.pk, obj.version
        rows.append(row)
    return rows


def _render(request, kind: str, form=None, upload=None, status=200, stale: str = "", editing=None):
    rows = _rows(kind)
    _, _, fields = RECORDS[kind]
    if fmt := export_format(request):
        return table_response(fmt, kind.replace("_", "-"), fields, ([r[f] for f in fields] for r in rows))
    if wants_json(request):
        return JsonResponse({kind: rows, **({"status": "stale", "message": stale} if stale else {})}, status=status)
    can_edit = user_can(request.user, "analyse")
    context = {
        "kind": kind, "title": TITLES[kind], "fields": fields, "can_edit": can_edit, "editable": kind in EDITABLE,
        "history_kind": HISTORY_KIND[kind], "stale": stale, "editing": editing,
        "cells": [{"id": r["id"], "version": r["version"], "archived": r.get("archived"),
                   "values": [r[f] for f in fields]} for r in rows],
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
        if request.GET.get("edit", "").isdigit() and kind in EDITABLE and user_can(request.user, "analyse"):
            record = get_object_or_404(RECORDS[kind][0], pk=int(request.GET["edit"]))
            return _render(request, kind, form=RECORDS[kind][1].for_record(record), editing=record)
        return _render(request, kind)

    view.__name__ = f"{kind}_page"
    return view


def _save(request, kind: str):
    model, form_class, _ = RECORDS[kind]
    record_id = request.POST.get("id", "")
    editing = get_object_or_404(model, pk=int(record_id)) if record_id.isdigit() and kind in EDITABLE else None
    form = form_class(request.POST, instance=editing) if editing else form_class(request.POST)
    if not form.is_valid():
        return _render(request, kind, form=form, status=400, editing=editing)
    try:
        _write(request, kind, form, editing)
    except services.StaleRecord as exc:
        return _stale(request, kind, form, editing, str(exc))
    messages.success(request, f"{TITLES[kind]}: saved.")
    return redirect(f"performance:{kind}")


def _write(request, kind: str, form, editing) -> None:
    data, user = form.cleaned_data, request.user
    if kind == "targets" and editing:
        services.target_edit(target_id=editing.pk, version=data["version"], user=user, **form.record_values())
    elif kind == "targets":
        services.target_create(user=user, **form.record_values())
    elif kind == "peer_figures" and editing:
        services.peer_figure_edit(figure_id=editing.pk, version=data["version"], user=user, **form.record_values())
    elif kind == "peer_figures":
        services.peer_figure_create(user=user, **form.record_values())
    else:
        services.change_point_record(user=user, **data)


def _stale(request, kind: str, form, editing, message: str):
    """409: the person's values kept in the form, now on the current version, so saving again is deliberate."""
    if editing is not None:
        current = RECORDS[kind][0].objects.get(pk=editing.pk)
        data = request.POST.copy()
        data["version"] = str(current.version)
        form = RECORDS[kind][1](data, instance=current)
    return _render(request, kind, form=form, status=409, stale=message, editing=editing)


targets_page = _record_page("targets")
change_points_page = _record_page("change_points")
peer_figures_page = _record_page("peer_figures")


@role_required("analyse")
@require_POST
def change_point_archive(request, pk: int):
    point = get_object_or_404(ChangePoint, pk=pk)
    version = VersionForm(request.POST)
    try:
        services.change_point_archive(change_point_id=point.pk, user=request.user,
                                      version=version.cleaned_data["version"] if version.is_valid() else None)
    except services.StaleRecord as exc:
        return _render(request, "change_points", status=409, stale=str(exc))
    messages.success(request, "Change point archived: charts no longer rebase there.")
    return redirect("performance:change_points")


@role_required("analyse")
@require_POST
def peer_figures_upload(request):
    upload = PeerUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _render(request, "peer_figures", upload=upload, status=400)
    file = upload.cleaned_data["file"]
    try:
        count = services.peer_figures_import(user=request.user, content=file.read(), file_name=file.name)
    except services.PeerFileError as exc:
        for problem in exc.problems:
            upload.add_error("file", problem)
        return _render(request, "peer_figures", upload=upload, status=400)
    messages.success(request, f"{count} peer figures stored.")
    return redirect("performance:peer_figures")


HISTORY_COLUMNS = ("at", "who", "kind", "item_id", "item", "field", "old", "new", "note")


def _event_row(event: RecordEvent) -> dict:
    return {"at": event.at.isoformat(timespec="seconds"), "who": event.who_name, "kind": event.item_kind,
            "item_id": event.item_id, "item": event.item_label, "field": event.field, "old": event.old_value,
            "new": event.new_value, "note": event.note}


@role_required("analyse")
def history_page(request):
    """Every change to targets, change points and peer figures, newest first: ?kind=target&item=<id> to narrow."""
    events = RecordEvent.objects.all()
    kind = request.GET.get("kind", "")
    if kind in RecordEvent.Kind.values:
        events = events.filter(item_kind=kind)
    if request.GET.get("item", "").isdigit():
        events = events.filter(item_id=int(request.GET["item"]))
    if fmt := export_format(request):
        rows = (_event_row(e) for e in events.iterator())
        return table_response(fmt, "records-history", HISTORY_COLUMNS, ([r[c] for c in HISTORY_COLUMNS] for r in rows))
    shown = list(events[:500])
    if wants_json(request):
        return JsonResponse({"events": [_event_row(e) for e in shown], "total": events.count()})
    return render(request, "performance/history.html", {
        "events": shown, "total": events.count(), "kind": kind, "kinds": RecordEvent.Kind.choices,
        "query": request.GET.urlencode(),
    })
