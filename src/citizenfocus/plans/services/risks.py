"""Risk registers and risks: scores, reviews (append-only), mitigations that are plan actions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from citizenfocus.plans.models import Action, Mitigation, Risk, RiskRegister, RiskReview
from citizenfocus.plans.refs import clean_ref, next_child_ref, ref_sort_key

from .audit import apply_changes, name_of, record
from .versions import locked, saved

REGISTER_FIELDS = ("title", "owning_body", "plan", "scale", "high_from", "medium_from", "high_review_months",
                   "medium_review_months", "low_review_months")
DEFAULT_BANDS = {4: (9, 4), 5: (15, 5)}  # scale -> (high from, medium from)


def _check_register(values: dict) -> None:
    scale = values.get("scale")
    if scale not in (4, 5):
        raise ValidationError({"scale": "Score likelihood and impact 1 to 4, or 1 to 5."})
    high, medium = values.get("high_from"), values.get("medium_from")
    if not (1 <= medium < high <= scale * scale):
        raise ValidationError({"high_from": f"Bands must satisfy 1 <= medium < high <= {scale * scale}."})
    if not (values.get("title") or "").strip():
        raise ValidationError({"title": "Give the register a title."})


@transaction.atomic
def risk_register_create(*, title: str, user, owning_body: str = "", plan=None, scale: int = 5,
                         high_from: int | None = None, medium_from: int | None = None, high_review_months: int = 1,
                         medium_review_months: int = 3, low_review_months: int = 3) -> RiskRegister:
    default_high, default_medium = DEFAULT_BANDS.get(scale, (15, 5))
    values = dict(title=title.strip(), owning_body=owning_body, plan=plan, scale=scale,
                  high_from=high_from or default_high, medium_from=medium_from or default_medium,
                  high_review_months=high_review_months, medium_review_months=medium_review_months,
                  low_review_months=low_review_months)
    _check_register(values)
    register = RiskRegister.objects.create(**values)
    record(item=register, kind="risk_register", field="created", new=register.title, who=user, register=register)
    return register


@transaction.atomic
def risk_register_edit(*, register: RiskRegister, user, version: int | None = None, **values) -> list[str]:
    """Change a register's scale, bands and review frequencies (opened at `version`; None: as it is now)."""
    unknown = set(values) - set(REGISTER_FIELDS)
    if unknown:
        raise TypeError(f"risk_register_edit: unknown fields {sorted(unknown)}")
    locked(register, version=version)
    merged = {**{f: getattr(register, f) for f in REGISTER_FIELDS}, **values}
    _check_register(merged)
    too_high = register.risks.filter(archived=False).exclude(likelihood__lte=merged["scale"],
                                                             impact__lte=merged["scale"])
    if too_high.exists():
        raise ValidationError({"scale": f"Risks {', '.join(too_high.values_list('ref', flat=True))} are scored above "
                                        f"{merged['scale']}: review them first."})
    changed = apply_changes(register, values, kind="risk_register", who=user, register=register)
    if changed:
        saved(register, changed)
    return changed


def _check_scores(register: RiskRegister, likelihood: int, impact: int) -> None:
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not isinstance(value, int) or not 1 <= value <= register.scale:
            raise ValidationError({name: f"Score the {name} from 1 to {register.scale}."})


@transaction.atomic
def risk_create(*, register: RiskRegister, user, title: str, likelihood: int, impact: int, ref: str = "",
                description: str = "", owner=None, owner_name: str = "", assessed_on: dt.date | None = None) -> Risk:
    locked(register)  # two added at once take the next ref in turn, not the same one
    _check_scores(register, likelihood, impact)
    siblings = register.risks.filter(archived=False)
    ref = clean_ref(ref) or next_child_ref("", [r for r in siblings.values_list("ref", flat=True)], letters=False)
    if siblings.filter(ref__iexact=ref).exists():
        raise ValidationError({"ref": f"Another risk already has the ref {ref}."})
    if not title.strip():
        raise ValidationError({"title": "Say what the risk is."})
    today = assessed_on or timezone.localdate()
    if today > timezone.localdate():
        raise ValidationError({"assessed_on": "The first assessment cannot be in the future."})
    risk = Risk.objects.create(register=register, ref=ref, sort_key=ref_sort_key(ref), title=title.strip(),
                               description=description.strip(), owner=owner, owner_name=owner_name.strip(),
                               likelihood=likelihood, impact=impact, last_reviewed_on=today)
    RiskReview.objects.create(risk=risk, reviewed_on=today, likelihood=likelihood, impact=impact, status=risk.status,
                              note="First assessment", reviewed_by=user if user and user.pk else None,
                              reviewed_by_name=name_of(user))
    record(item=risk, kind="risk", field="created", new=risk.title, who=user, register=register)
    return risk


@transaction.atomic
def risk_edit(*, risk: Risk, user, ref: str, title: str, description: str = "", owner=None,
              owner_name: str = "", version: int | None = None) -> list[str]:
    """Change a risk's ref, title, description and owner (opened at `version`); only changed fields are saved."""
    locked(risk, version=version)
    ref = clean_ref(ref)
    if not ref:
        raise ValidationError({"ref": "Give a ref."})
    if risk.register.risks.filter(ref__iexact=ref, archived=False).exclude(pk=risk.pk).exists():
        raise ValidationError({"ref": f"Another risk already has the ref {ref}."})
    changed = apply_changes(risk, {"ref": ref, "title": title.strip(), "description": description.strip(),
                                   "owner": owner, "owner_name": owner_name.strip()},
                            kind="risk", who=user, register=risk.register)
    if changed:
        risk.sort_key = ref_sort_key(risk.ref)
        saved(risk, [*changed, "sort_key"])
    return changed


@transaction.atomic
def risk_review(*, risk: Risk, user, likelihood: int, impact: int, status: str, note: str = "",
                reviewed_on: dt.date | None = None, version: int | None = None) -> RiskReview:
    """A review: the scores and status it leaves, with a note; the risk's next review date follows its band.

    A review from a form opened before another change to the risk is refused: its scores were judged
    against what the risk was then."""
    locked(risk, version=version)
    _check_scores(risk.register, likelihood, impact)
    if status not in Risk.Status.values:
        raise ValidationError({"status": "Choose open, tolerated or closed."})
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The review date cannot be in the future."})
    review = RiskReview.objects.create(risk=risk, reviewed_on=reviewed_on, likelihood=likelihood, impact=impact,
                                       status=status, note=note.strip(), reviewed_by=user if user and user.pk else None,
                                       reviewed_by_name=name_of(user))
    changed = apply_changes(risk, {"likelihood": likelihood, "impact": impact, "status": status,
                                   "last_reviewed_on": max(reviewed_on, risk.last_reviewed_on or reviewed_on)},
                            kind="risk", who=user, note=note.strip(), register=risk.register,
                            choices={"status": Risk.Status})
    if changed:
        saved(risk, changed)
    return review


@transaction.atomic
def risk_archive(*, risk: Risk, user, archived: bool = True, version: int | None = None) -> None:
    locked(risk, version=version)
    if apply_changes(risk, {"archived": archived}, kind="risk", who=user, register=risk.register):
        saved(risk, ["archived"])


@transaction.atomic
def mitigation_add(*, risk: Risk, action: Action, user) -> Mitigation:
    locked(risk)  # the same action added twice at once: the second is told it is there already
    if risk.mitigations.filter(action=action, archived=False).exists():
        raise ValidationError({"action": f"Action {action.ref} is already a mitigation of this risk."})
    mitigation = Mitigation.objects.create(risk=risk, action=action, added_by=user if user and user.pk else None)
    record(item=risk, kind="risk", field="mitigation", new=f"{action.plan} {action.ref}", who=user,
           register=risk.register)
    return mitigation


@transaction.atomic
def mitigation_remove(*, mitigation: Mitigation, user) -> None:
    mitigation.refresh_from_db(from_queryset=Mitigation.objects.select_for_update())
    if mitigation.archived:
        return
    mitigation.archived = True
    mitigation.save(update_fields=["archived"])
    record(item=mitigation.risk, kind="risk", field="mitigation", old=f"{mitigation.action.plan} "
           f"{mitigation.action.ref}", who=user, register=mitigation.risk.register)
