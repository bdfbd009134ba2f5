"""What every plan page shares: permission-checking fetches, JSON twins and table downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from citizenfocus.core.formats import export_format, table_response, wants_json
from citizenfocus.plans.access import can_edit_plans, can_update_action
from citizenfocus.plans.forms import VersionForm
from citizenfocus.plans.models import Action, Plan
from citizenfocus.plans.services.versions import StaleItem


@dataclass
class Table:
    """A table on a page, downloadable as CSV or XLSX with ?format=csv&table=<name>."""

    name: str
    filename: str
    header: Sequence[str]
    rows: Callable[[], Iterable[Sequence]]


def today():
    return timezone.localdate()


def get_plan_for_user(request, pk: int) -> tuple[Plan, bool]:
    """(plan, can edit it). Archived plans are still readable: nothing is lost."""
    plan = get_object_or_404(Plan, pk=pk)
    return plan, can_edit_plans(request.user)


def get_action_for_user(request, pk: int) -> tuple[Action, bool, bool]:
    """(action, can update its position and status, can edit its details)."""
    action = get_object_or_404(
        Action.objects.select_related("response__recommendation__plan", "manager"), pk=pk)
    return action, can_update_action(request.user, action), can_edit_plans(request.user)


def require_update(request, action: Action) -> None:
    if not can_update_action(request.user, action):
        raise PermissionDenied("only the action's manager, an analyst or an administrator may update it")


def page(request, template: str, context: dict, *, data: Callable[[], dict], tables: Sequence[Table] = (),
         status: int = 200):
    """The HTML page, its JSON twin (?format=json), or one of its tables as CSV / XLSX."""
    if fmt := export_format(request):
        wanted = request.GET.get("table") or (tables[0].name if tables else "")
        table = next((t for t in tables if t.name == wanted), None)
        if table is None:
            raise Http404(f"no table {wanted!r} on this page")
        return table_response(fmt, table.filename, table.header, table.rows())
    if wants_json(request):
        return JsonResponse(data(), status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, template, {**context, "tables": {t.name: t for t in tables}}, status=status)


def form_errors_json(form) -> dict:
    return {"status": "invalid", "errors": form.errors.get_json_data()}


def submit(request, form, save: Callable, *, done, again: Callable, created: bool = False,
           message: Callable | None = None, json: Callable | None = None):
    """The routine every change view shares: a valid form goes to its service, then to `done` (a URL, or a
    function of what the service returned) or, for ?format=json, a JSON answer (201 with the id when
    `created`). A ValidationError from the service is shown at its field; any error shows the page again
    (`again(form)`, 400) or answers 400 with the errors in JSON. A form opened on an older version of the item
    answers 409 (stale)."""
    if form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        except StaleItem as exc:
            return stale(request, form, exc, again)
        else:
            if wants_json(request):
                if json is not None:
                    return JsonResponse(json(result), status=201 if created else 200)
                body = {"status": "created", "id": result.pk} if created else {"status": "saved"}
                return JsonResponse(body, status=201 if created else 200)
            if message is not None:
                messages.success(request, message(result))
            return redirect(done(result) if callable(done) else done)
    if wants_json(request):
        return JsonResponse(form_errors_json(form), status=400)
    return again(form)


def stale(request, form, exc: StaleItem, again: Callable):
    """409: someone changed the item since the form was opened. The page shows the item as it is now (the
    service read it again), the person's values stay in the form, now on the current version, so saving
    again is a deliberate choice made knowing the other change."""
    if wants_json(request):
        return JsonResponse({"status": "stale", "message": str(exc), "version": exc.version}, status=409)
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(exc.version)
    form.add_error(None, f"{exc} The page shows it as it is now and your changes are still in the form: check "
                         "them and save again if they are still needed.")
    answer = again(form)
    answer.status_code = 409
    return answer


def archive_or_restore(request, archive, url: str):
    """Archive (or restore, with archived=0) through a service; a restore whose ref is taken says so, and a
    button pressed on a page opened before someone changed the item changes nothing and says who did."""
    try:
        archive(archived=request.POST.get("archived", "1") == "1", version=VersionForm.posted(request))
    except ValidationError as exc:
        messages.error(request, "Not restored: " + " ".join(exc.messages) + " Change the other item's ref first.")
    except StaleItem as exc:
        say_stale(request, exc)
    return redirect(url)


def say_stale(request, exc: StaleItem) -> None:
    """A button (no values to keep) pressed on a page opened before someone changed the item."""
    messages.error(request, f"{exc} The page shows it as it is now: press the button again if it is still needed.")
