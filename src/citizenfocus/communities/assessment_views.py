"""Impact assessment pages: community impact assessments of operations, equality impact assessments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from citizenfocus.accounts.models import user_can
from citizenfocus.accounts.permissions import role_required

from . import assessing, assessment_pages
from .assessments import EqualityPolicy, ImpactAssessment
from .forms import (
    EqualityPolicyForm,
    ImpactAssessmentForm,
    MonitoringReviewForm,
    PriorityActionForm,
    ScreeningForm,
    SignOffForm,
)
from .views import form_problems, respond


def _form_page(request, form, title: str, status: int = 200):
    return render(request, "communities/form.html", {"form": form, "title": title}, status=status)


@role_required("engage")
@require_GET
def cia_list(request):
    result = assessment_pages.cia_list_page()
    return respond(request, result, name="impact-assessments", context={
        "links": [(reverse("communities:cia", args=[r["pk"]]), r["operation"])
                  for r in result.tables["assessments"].rows],
        "new_link": (reverse("communities:cia_new"), "New community impact assessment")
        if user_can(request.user, "record_engagement") else None})


@role_required("record_engagement")
def cia_new(request):
    form = ImpactAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cia = assessing.cia_create(user=request.user, **form.cleaned_data)
        messages.success(request, "Assessment recorded: the neighbourhood's inspector signs it off.")
        return redirect("communities:cia", pk=cia.pk)
    return _form_page(request, form, "New community impact assessment", 400 if form.errors else 200)


@role_required("engage")
@require_GET
def cia_detail(request, pk: int):
    cia = get_object_or_404(ImpactAssessment.objects.select_related("neighbourhood"), pk=pk)
    can_sign = not cia.signed_off_at and assessing.is_the_neighbourhoods_inspector(request.user, cia.neighbourhood)
    return respond(request, assessment_pages.cia_page(cia), name=f"impact-assessment-{pk}",
                   context={"sign_off_form": SignOffForm() if can_sign else None, "cia": cia})


@role_required("record_engagement")
@require_POST
def cia_sign_off(request, pk: int):
    cia = get_object_or_404(ImpactAssessment, pk=pk)
    form = SignOffForm(request.POST)
    form.is_valid()
    try:
        assessing.cia_sign_off(cia=cia, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from None
    else:
        messages.success(request, "Signed off.")
    return redirect("communities:cia", pk=pk)


@role_required("engage")
@require_GET
def equality(request):
    result = assessment_pages.equality_page()
    return respond(request, result, name="equality", context={
        "links": [(reverse("communities:policy", args=[r["pk"]]), r["title"]) for r in result.tables["register"].rows],
        "new_link": (reverse("communities:equality_new"), "Add a policy or function to the register")
        if user_can(request.user, "assess_equality") else None})


@role_required("assess_equality")
def equality_new(request):
    form = EqualityPolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = assessing.policy_register(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("title", error)
        else:
            return redirect("communities:policy", pk=policy.pk)
    return _form_page(request, form, "Add a policy or function to the register", 400 if form.errors else 200)


@role_required("engage")
@require_GET
def policy_detail(request, pk: int):
    policy = get_object_or_404(EqualityPolicy, pk=pk)
    return respond(request, assessment_pages.policy_page(policy), name=f"equality-{pk}", context={
        "policy": policy, "review_form": MonitoringReviewForm(), "policy_action_form": PriorityActionForm()})


@role_required("assess_equality")
def policy_screen(request, pk: int):
    policy = get_object_or_404(EqualityPolicy, pk=pk)
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessing.policy_screen(policy=policy, user=request.user, impacts=form.impacts())
        messages.success(request, "Screening recorded.")
        return redirect("communities:policy", pk=pk)
    return _form_page(request, form, f"Screen {policy.title} against each protected characteristic",
                      400 if form.errors else 200)


@role_required("assess_equality")
@require_POST
def policy_review(request, pk: int):
    policy = get_object_or_404(EqualityPolicy, pk=pk)
    form = MonitoringReviewForm(request.POST)
    if form.is_valid():
        assessing.policy_review(policy=policy, user=request.user, **form.cleaned_data)
        messages.success(request, "Monitoring review recorded; the next is due in a year.")
    else:
        messages.error(request, "Not recorded: " + form_problems(form))
    return redirect("communities:policy", pk=pk)


@role_required("assess_equality")
@require_POST
def policy_action_add(request, pk: int):
    policy = get_object_or_404(EqualityPolicy, pk=pk)
    form = PriorityActionForm(request.POST)
    if form.is_valid():
        action = assessing.policy_action_add(policy=policy, user=request.user, **form.cleaned_data)
        messages.success(request, f"Action {action.ref} added to the assessment's plan.")
    else:
        messages.error(request, "Not added: " + form_problems(form))
    return redirect("communities:policy", pk=pk)
