"""Risk registers: the list, a register's risks by score band, a risk's reviews and mitigations."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.plans import selectors, services
from citizenfocus.plans.access import can_edit_plans
from citizenfocus.plans.forms import (
    MitigationForm,
    RiskEditForm,
    RiskForm,
    RiskRegisterForm,
    RiskReviewForm,
)
from citizenfocus.plans.models import ChangeEvent, Mitigation, Risk, RiskRegister

from .common import Table, archive_or_restore, page, submit, today
from .payloads import EVENT_COLUMNS, event_row

RISK_COLUMNS = ("ref", "title", "owner", "likelihood", "impact", "score", "band", "status", "last_reviewed_on",
                "next_review_due", "review_overdue", "mitigations")
REGISTER_COLUMNS = ("id", "title", "owning_body", "plan", "scale", "risks", "high", "medium", "low",
                    "reviews_overdue")
REVIEW_COLUMNS = ("reviewed_on", "reviewed_by", "likelihood", "impact", "score", "status", "note")


def as_at(register: RiskRegister, day):
    """Reviews are due as at the register's plan's reporting date (today for a register without a plan)."""
    return register.plan.as_at(day) if register.plan_id else day


def risk_row(risk: Risk, day) -> dict:
    return {"id": risk.pk, "ref": risk.ref, "title": risk.title, "owner": risk.owner_label,
            "likelihood": risk.likelihood, "impact": risk.impact, "score": risk.score, "band": risk.band_label,
            "status": risk.get_status_display(),
            "last_reviewed_on": risk.last_reviewed_on.isoformat() if risk.last_reviewed_on else None,
            "next_review_due": risk.next_review_due().isoformat(), "review_overdue": risk.review_overdue(day),
            "mitigations": "; ".join(f"{m.action.ref}" for m in risk.mitigations.all() if not m.archived)}


def register_row(register: RiskRegister, day) -> dict:
    risks = [r for r in register.risks.all() if not r.archived]
    bands = [r.band for r in risks if r.status != Risk.Status.CLOSED]
    return {"id": register.pk, "title": register.title, "owning_body": register.owning_body,
            "plan": str(register.plan) if register.plan else "", "scale": f"1 to {register.scale}",
            "risks": len(risks), "high": bands.count("high"), "medium": bands.count("medium"),
            "low": bands.count("low"), "reviews_overdue": sum(r.review_overdue(as_at(register, day)) for r in risks),
            "as_at": as_at(register, day).isoformat()}


def _registers_page(request, *, form=None, status=200):
    day = today()
    registers = list(RiskRegister.objects.select_related("plan").prefetch_related("risks"))
    rows = [register_row(r, day) for r in registers]
    table = Table("registers", "risk-registers", REGISTER_COLUMNS, lambda: ([r[c] for c in REGISTER_COLUMNS]
                                                                            for r in rows))
    can_edit = can_edit_plans(request.user)
    context = {"rows": list(zip(registers, rows, strict=True)), "can_edit": can_edit,
               "form": form or (RiskRegisterForm() if can_edit else None)}
    return page(request, "plans/risk_registers.html", context, data=lambda: {"registers": rows}, tables=[table],
                status=status)


@role_required("view")
def registers(request):
    return _registers_page(request)


@role_required("edit_plans")
@require_POST
def register_create(request):
    return submit(request, RiskRegisterForm(request.POST),
                  lambda data: services.risk_register_create(user=request.user, **data),
                  done=lambda register: reverse("plans:risk_register", args=[register.pk]), created=True,
                  again=lambda form: _registers_page(request, form=form, status=400))


def _register_page(request, register, *, form=None, settings_form=None, status=200):
    day = today()
    risks = list(register.risks.filter(archived=False).select_related("owner", "register")
                 .prefetch_related("mitigations__action"))
    rows = [risk_row(r, as_at(register, day)) for r in risks]
    table = Table("risks", f"risk-register-{register.pk}", RISK_COLUMNS, lambda: ([r[c] for c in RISK_COLUMNS]
                                                                                  for r in rows))
    can_edit = can_edit_plans(request.user)
    initial = {**{f: getattr(register, f) for f in services.risks.REGISTER_FIELDS}, "version": register.version}
    context = {"register": register, "rows": list(zip(risks, rows, strict=True)), "can_edit": can_edit,
               "form": form or (RiskForm(scale=register.scale) if can_edit else None),
               "settings_form": settings_form or (
                   RiskRegisterForm(initial=initial, editing=True) if can_edit else None),
               "matrix": _matrix(register, risks), "as_at": as_at(register, day)}
    return page(request, "plans/risk_register.html", context, tables=[table], status=status,
                data=lambda: {"register": register_row(register, day), "risks": rows})


def _matrix(register, risks):
    """Likelihood (rows, highest first) x impact (columns): the risks' refs in each cell, with its band."""
    cells = {}
    for risk in risks:
        if risk.status != Risk.Status.CLOSED:
            cells.setdefault((risk.likelihood, risk.impact), []).append(risk.ref)
    scale = range(1, register.scale + 1)
    return [(likelihood, [(impact, register.band(likelihood * impact), cells.get((likelihood, impact), []))
                          for impact in scale]) for likelihood in reversed(scale)]


@role_required("view")
def register_detail(request, pk: int):
    return _register_page(request, get_object_or_404(RiskRegister, pk=pk))


@role_required("edit_plans")
@require_POST
def register_edit(request, pk: int):
    register = get_object_or_404(RiskRegister, pk=pk)
    return submit(request, RiskRegisterForm(request.POST, editing=True),
                  lambda data: services.risk_register_edit(register=register, user=request.user, **{
                      k: v for k, v in data.items() if v is not None or k == "plan"}),
                  done=reverse("plans:risk_register", args=[register.pk]),
                  again=lambda form: _register_page(request, register, settings_form=form, status=400))


@role_required("edit_plans")
@require_POST
def risk_create(request, pk: int):
    register = get_object_or_404(RiskRegister, pk=pk)
    return submit(request, RiskForm(request.POST, scale=register.scale),
                  lambda data: services.risk_create(register=register, user=request.user, **data),
                  done=lambda risk: reverse("plans:risk", args=[risk.pk]), created=True,
                  again=lambda form: _register_page(request, register, form=form, status=400))


def _risk_page(request, risk, *, edit_form=None, review_form=None, mitigation_form=None, status=200):
    day = today()
    can_edit = can_edit_plans(request.user)
    reviews = list(risk.reviews.all())
    history = list(ChangeEvent.objects.for_item("risk", risk.pk))
    mitigations = list(risk.mitigations.filter(archived=False).select_related("action__response__recommendation__plan"))
    review_rows = [{"reviewed_on": r.reviewed_on.isoformat(), "reviewed_by": r.reviewed_by_name,
                    "likelihood": r.likelihood, "impact": r.impact, "score": r.score,
                    "status": r.get_status_display(), "note": r.note} for r in reviews]
    tables = [Table("reviews", f"risk-{risk.pk}-reviews", REVIEW_COLUMNS,
                    lambda: ([r[c] for c in REVIEW_COLUMNS] for r in review_rows)),
              Table("history", f"risk-{risk.pk}-history", EVENT_COLUMNS,
                    lambda: ([event_row(e)[c] for c in EVENT_COLUMNS] for e in history))]
    initial = {"ref": risk.ref, "title": risk.title, "description": risk.description, "owner": risk.owner_id,
               "owner_name": risk.owner_name, "version": risk.version}
    scale = risk.register.scale
    context = {
        "risk": risk, "register": risk.register, "reviews": reviews, "history": history, "can_edit": can_edit,
        "describe": selectors.describe_event, "mitigations": [(m, m.action.rag()) for m in mitigations],
        "edit_form": edit_form or (RiskEditForm(initial=initial, scale=scale) if can_edit else None),
        "review_form": review_form or (RiskReviewForm(scale=scale, initial={
            "likelihood": risk.likelihood, "impact": risk.impact, "status": risk.status, "version": risk.version})
            if can_edit else None),
        "mitigation_form": mitigation_form or (MitigationForm() if can_edit else None),
        "review_overdue": risk.review_overdue(as_at(risk.register, day)), "as_at": as_at(risk.register, day),
    }
    return page(request, "plans/risk.html", context, tables=tables, status=status,
                data=lambda: {"risk": risk_row(risk, as_at(risk.register, day)), "reviews": review_rows,
                              "mitigations": [selectors.action_row(m.action) for m in mitigations],
                              "history": [event_row(e) for e in history]})


def _risk(pk):
    return get_object_or_404(Risk.objects.select_related("register", "owner"), pk=pk)


@role_required("view")
def risk_detail(request, pk: int):
    return _risk_page(request, _risk(pk))


def _risk_post(request, risk, form, save, page_key: str):
    return submit(request, form, save, done=reverse("plans:risk", args=[risk.pk]),
                  again=lambda form: _risk_page(request, risk, status=400, **{page_key: form}))


@role_required("edit_plans")
@require_POST
def risk_edit(request, pk: int):
    risk = _risk(pk)
    return _risk_post(request, risk, RiskEditForm(request.POST, scale=risk.register.scale),
                      lambda d: services.risk_edit(risk=risk, user=request.user, **d), "edit_form")


@role_required("edit_plans")
@require_POST
def risk_review(request, pk: int):
    risk = _risk(pk)
    return _risk_post(request, risk, RiskReviewForm(request.POST, scale=risk.register.scale),
                      lambda d: services.risk_review(risk=risk, user=request.user, **d), "review_form")


@role_required("edit_plans")
@require_POST
def risk_archive(request, pk: int):
    risk = _risk(pk)
    return archive_or_restore(request, lambda **choice: services.risk_archive(risk=risk, user=request.user, **choice),
                              reverse("plans:risk", args=[risk.pk]))


@role_required("edit_plans")
@require_POST
def mitigation_add(request, pk: int):
    risk = _risk(pk)
    return _risk_post(request, risk, MitigationForm(request.POST),
                      lambda d: services.mitigation_add(risk=risk, user=request.user, action=d["action"]),
                      "mitigation_form")


@role_required("edit_plans")
@require_POST
def mitigation_remove(request, pk: int):
    mitigation = get_object_or_404(Mitigation.objects.select_related("risk"), pk=pk)
    services.mitigation_remove(mitigation=mitigation, user=request.user)
    return redirect("plans:risk", pk=mitigation.risk_id)
