"""The victims' pages: the queue, one case, compliance. Every view of victim records is logged.

Records are named-victim personal data: each page fetches through
VictimRecord.objects.visible_to (own, team's, all), answers with no-store, and logs
who saw what (VictimRecordAccess) in every format.
"""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import export_format, table_response, wants_json

from . import services
from .forms import EventForm, QueueForm
from .models import VictimRecord, shows_identity
from .queue import (
    QUEUE_COLUMNS,
    QueueFilter,
    band_counts,
    crime_type_labels,
    queue_records,
    queue_rows,
)
from .rules import dues, load_rules


def _log(request, kind: str, rows: int, record=None) -> None:
    services.victim_access_record(user=request.user, kind=kind, filters=request.GET.dict(), rows=rows,
                                  record=record, path=request.get_full_path())


def _get_record_for_user(request, pk: int) -> VictimRecord:
    """The record if the user may see it (their own, their team's, or all for analysts); else 404."""
    record = VictimRecord.objects.visible_to(request.user).select_related(
        "division", "team", "officer", "neighbourhood").filter(pk=pk).first()
    if record is None:
        raise Http404("no such case, or not one of yours")
    return record


@role_required("view_victims")
@never_cache
def queue_page(request):
    """Open cases with something due, most urgent first, with the colour's words and the reason."""
    form = QueueForm(request.GET or None)
    if request.GET and not form.is_valid():
        if wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return render(request, "victims/queue.html", {"form": form, "rows": []}, status=400)
    data = form.cleaned_data if request.GET else {}
    as_at = data.get("as_at") or timezone.localdate()
    filters = QueueFilter(data.get("officer") or "", data.get("team") or "", data.get("division") or "")
    rows = queue_rows(records=queue_records(user=request.user, filters=filters), rules=load_rules(), as_at=as_at,
                      identified=shows_identity(request.user))
    dicts = [r.as_dict() for r in rows]
    if fmt := export_format(request):
        _log(request, fmt, len(rows))
        return table_response(fmt, "victims-queue", QUEUE_COLUMNS, ([d[c] for c in QUEUE_COLUMNS] for d in dicts))
    _log(request, "json" if wants_json(request) else "page", len(rows))
    if wants_json(request):
        return JsonResponse({"as_at": as_at.isoformat(), "filters": filters.as_dict(), "counts": band_counts(rows),
                             "pseudonymised": not shows_identity(request.user), "rows": dicts})
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "victims/queue.html", {
        "form": form, "rows": list(zip(rows, dicts, strict=True)), "as_at": as_at, "counts": band_counts(rows),
        "identified": shows_identity(request.user), "query": query.urlencode()})


@role_required("view_victims")
@never_cache
def record_page(request, pk: int):
    """One case: the victim's entitlements, what is due and why, and every event with its author."""
    record = _get_record_for_user(request, pk)
    events = list(record.events.all())
    owed = dues(record.facts(events), load_rules())
    identified = shows_identity(request.user)
    _log(request, "json" if wants_json(request) else "record", 1, record)
    payload = {
        "crime": record.crime_reference if identified else record.pseudonym(),
        "victim": record.victim_id if identified else None, "crime_type": record.crime_type,
        "division": record.division.name, "team": record.team.name if record.team else "",
        "officer": record.officer.identifier if record.officer else "", "reported_on": record.reported_on.isoformat(),
        "enhanced": record.enhanced_reasons, "language": record.language, "opted_out": record.opted_out,
        "closed_on": record.closed_on.isoformat() if record.closed_on else None,
        "due": [{"on": d.on.isoformat(), "what": d.what, "why": d.why} for d in owed],
        "events": [{"kind": e.kind, "on": e.on.isoformat(), "key_event": e.key_event,
                    "told_on": e.told_on.isoformat() if e.told_on else None, "method": e.method,
                    "detail": e.detail if identified else "", "who": e.who_name, "at": e.at.isoformat()}
                   for e in events],
    }
    if wants_json(request):
        return JsonResponse(payload)
    return render(request, "victims/record.html", {
        "record": record, "payload": payload, "events": events, "dues": owed, "identified": identified,
        "crime_type_label": crime_type_labels().get(record.crime_type, record.crime_type),
        "form": EventForm(initial={"on": timezone.localdate()}), "can_record": _can_record(request.user)})


def _can_record(user) -> bool:
    from citizenfocus.accounts.models import user_can

    return user_can(user, "send_letters")


@role_required("send_letters")
@require_POST
def record_event(request, pk: int):
    """Record an update, key event or other event on a case kept in the app; appended, never edited."""
    record = _get_record_for_user(request, pk)
    form = EventForm(request.POST)
    if not form.is_valid():
        events = list(record.events.all())
        return render(request, "victims/record.html", {
            "record": record, "events": events, "dues": dues(record.facts(events), load_rules()),
            "identified": shows_identity(request.user), "form": form, "can_record": True}, status=400)
    services.victim_event_record(record=record, user=request.user, **form.cleaned_data)
    return redirect("victims:record", pk=record.pk)
