"""The call-back list: analysts put dissatisfied, consenting victims on it for a team leader; team leaders
record how each call went, with a reason code; the reasons roll up by the part of the service they are about."""

import random

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from citizenfocus.accounts.models import Role, role_of
from citizenfocus.accounts.permissions import role_required
from citizenfocus.areas.models import Division
from citizenfocus.core.formats import export_format, table_response, wants_json

from .callback_models import CallBack, CallBackEvaluation, CallBackReason
from .callbacks import (
    callback_outcome_record,
    callbacks_assign,
    dissatisfied_responses,
    reasons_rollup,
)
from .evaluation import evaluation_result, evaluation_start
from .services import victim_access_record

COLUMNS = ("callback", "interview_date", "division", "crime_type", "ethnicity", "dissatisfied_with", "comment",
           "assigned_to", "outcome", "reason")


class CallBackFilter(forms.Form):
    division = forms.ModelChoiceField(Division.objects.all(), required=False)
    crime_type = forms.CharField(required=False, max_length=40)
    ethnic_group = forms.ChoiceField(choices=[("", "All"), ("bme", "BME"), ("white", "White")], required=False,
                                     label="Ethnic group")


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=CallBack.Outcome.choices)
    reason = forms.ModelChoiceField(CallBackReason.objects.filter(archived=False), required=False)
    note = forms.CharField(required=False, max_length=500)


def _visible_callbacks(user):
    # The comparison arm of an evaluation is on nobody's list: it is not to be called.
    callbacks = CallBack.objects.select_related("response__division", "assigned_to", "reason").exclude(
        arm=CallBack.Arm.CONTROL)
    return callbacks.filter(assigned_to=user) if role_of(user) == Role.SUPERVISOR else callbacks


def _row(c: CallBack, measures) -> dict:
    r = c.response
    return {"callback": c.pk, "interview_date": r.interview_date.isoformat(), "division": r.division.name,
            "crime_type": r.crime_type, "ethnicity": r.ethnicity, "dissatisfied_with": ", ".join(measures),
            "comment": r.comment, "assigned_to": c.assigned_to.get_username() if c.assigned_to else "",
            "outcome": c.outcome, "reason": c.reason.code if c.reason else ""}


@role_required("work_callbacks")
@never_cache
def callback_list(request):
    form = CallBackFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    wanted = dissatisfied_responses(division=data["division"].pk if data.get("division") else None,
                                    crime_type=data.get("crime_type") or "", ethnic_group=data.get("ethnic_group") or "")
    measures = {d.response.pk: d.measures for d in wanted}
    callbacks = [c for c in _visible_callbacks(request.user) if c.response_id in measures]
    rows = [_row(c, measures[c.response_id]) for c in callbacks]
    victim_access_record(user=request.user, kind="callbacks", filters=request.GET.dict(), rows=len(rows),
                         path=request.get_full_path())
    if fmt := export_format(request):
        return table_response(fmt, "call-backs", COLUMNS, ([r[c] for c in COLUMNS] for r in rows))
    rollup = reasons_rollup(_visible_callbacks(request.user))
    evaluations = [evaluation_result(e) | {"id": e.pk} for e in CallBackEvaluation.objects.all()]
    if wants_json(request):
        return JsonResponse({"callbacks": rows, "not_on_list": sum(1 for d in wanted if not hasattr(d.response, "callback")),
                             "reasons": rollup, "evaluations": evaluations})
    on_list = {c.response_id for c in CallBack.objects.filter(response_id__in=measures)}
    return render(request, "victims/callbacks.html", {
        "form": form, "rows": list(zip(callbacks, rows, strict=True)), "rollup": rollup,
        "not_on_list": [d for d in wanted if d.response.pk not in on_list],
        "leaders": get_user_model().objects.filter(profile__role=Role.SUPERVISOR, is_active=True),
        "can_assign": role_of(request.user) != Role.SUPERVISOR, "outcome_form": OutcomeForm(),
        "evaluations": evaluations,
        "query": request.GET.urlencode()})


@role_required("work_callbacks")
@require_POST
def callback_update(request, pk: int):
    """pk 0 with `assign`: put every listed victim not yet on the list on it for the chosen team leader;
    otherwise record the outcome of call-back pk (a team leader only their own)."""
    if pk == 0:
        return _assign(request)
    callback = _visible_callbacks(request.user).filter(pk=pk).first()
    if callback is None:
        raise Http404("no such call-back, or not assigned to you")
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Call-back {pk} not saved: " + "; ".join(
            f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    else:
        callback_outcome_record(callback=callback, user=request.user, **form.cleaned_data)
        messages.success(request, f"Call-back {pk}: {callback.get_outcome_display()} recorded.")
    return redirect(_back(request))


def _assign(request):
    if role_of(request.user) == Role.SUPERVISOR:
        raise Http404("team leaders work the list; an analyst assigns it")
    leader = get_user_model().objects.filter(pk=request.POST.get("leader"), profile__role=Role.SUPERVISOR).first()
    ids = [int(i) for i in request.POST.getlist("response") if i.isdigit()]
    consenting = {d.response.pk: d.response for d in dissatisfied_responses()}
    if leader is None or not ids:
        messages.error(request, "Choose a team leader and at least one victim.")
    elif request.POST.get("randomise"):
        seed = int(request.POST["seed"]) if request.POST.get("seed", "").isdigit() else random.SystemRandom().randrange(
            1, 10**9)
        evaluation = evaluation_start(responses=[consenting[i] for i in ids if i in consenting], assigned_to=leader,
                                      user=request.user, seed=seed)
        arms = evaluation_result(evaluation)
        messages.success(request, f"Evaluation {evaluation.pk} (seed {seed}): {arms['call_size']} victims put on "
                                  f"{leader.get_username()}'s list, {arms['control_size']} kept for comparison.")
    else:
        count = callbacks_assign(responses=[consenting[i] for i in ids if i in consenting], assigned_to=leader,
                                 user=request.user)
        messages.success(request, f"{count} victims put on {leader.get_username()}'s call-back list.")
    return redirect(_back(request))


def _back(request) -> str:
    from urllib.parse import urlencode

    from django.http import QueryDict
    from django.urls import reverse

    query = QueryDict(request.POST.get("query", ""))
    kept = {k: query[k] for k in ("division", "crime_type", "ethnic_group") if query.get(k)}
    return reverse("victims:callbacks") + (f"?{urlencode(kept)}" if kept else "")
