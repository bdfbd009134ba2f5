"""Community tension: the force's weekly summary, escalation when a level rises, and the history.

For each week and area (a neighbourhood, or a division as a whole) the
latest return counts. An area's level has risen when it is above the same
area's level in the latest earlier week it made a return. The force summary
for a week lists every area's level, flags the rises, and gives the force's
level: the highest in any area.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from .models import TensionLevel, TensionReturn


def _area(ret: TensionReturn) -> tuple[int, int | None]:
    return ret.division_id, ret.neighbourhood_id


def previous_level(*, week: dt.date, division, neighbourhood=None) -> int | None:
    earlier = TensionReturn.objects.filter(week__lt=week, division=division, neighbourhood=neighbourhood).first()
    return earlier.level if earlier else None


def escalation_recipients(ret: TensionReturn) -> list[str]:
    """Administrators, and inspectors and supervisors whose home area is in the return's division."""
    from django.db.models import Q

    from citizenfocus.accounts.models import Role

    users = get_user_model().objects.filter(is_active=True).exclude(email="").filter(
        Q(profile__role=Role.ADMINISTRATOR)
        | Q(profile__role__in=[Role.NEIGHBOURHOOD_INSPECTOR, Role.SUPERVISOR])
        & (Q(profile__division=ret.division) | Q(profile__neighbourhood__division=ret.division)))
    return sorted({u.email for u in users})


def escalate(ret: TensionReturn, before: int) -> list[str]:
    """E-mail the rise once the return is stored; returns the addresses."""
    to = escalation_recipients(ret)
    if to:
        transaction.on_commit(lambda: send_mail(
            f"Community tension rose in {ret.area_name}: level {before} to {ret.level}",
            f"Week beginning {ret.week:%d %B %Y}: {ret.area_name} returned level {ret.get_level_display()} "
            f"(last return: level {before}).\nFactors: {ret.factors or 'none given'}\n"
            f"Source reliability: {ret.get_reliability_display()}\nActions: {ret.actions or 'none given'}",
            None, to))
    return to


def latest_returns(week: dt.date) -> list[TensionReturn]:
    """The latest return of each area for the week."""
    seen, out = set(), []
    for ret in TensionReturn.objects.filter(week=week).select_related("division", "neighbourhood"):
        if _area(ret) not in seen:
            seen.add(_area(ret))
            out.append(ret)
    return sorted(out, key=lambda r: (r.division.name, r.neighbourhood is not None, r.area_name))


def weekly_summary(week: dt.date) -> dict:
    """The force's summary for a week: each area's level, the rises flagged, and the force's level."""
    rows = []
    for ret in latest_returns(week):
        before = previous_level(week=week, division=ret.division, neighbourhood=ret.neighbourhood)
        rows.append({"area": ret.area_name, "division": ret.division.name, "level": ret.level,
                     "level_words": ret.get_level_display(), "previous_level": before,
                     "rose": before is not None and ret.level > before,
                     "reliability": ret.get_reliability_display(), "factors": ret.factors, "actions": ret.actions,
                     "submitted_by": ret.submitted_by_name, "submitted_at": ret.submitted_at.isoformat()})
    level = max((r["level"] for r in rows), default=None)
    return {"week": week.isoformat(), "force_level": level,
            "force_level_words": TensionLevel(level).label if level else "no returns this week",
            "rises": sum(r["rose"] for r in rows), "areas": rows}


def force_history(weeks: int = 26) -> list[dict]:
    """Week by week: the force's level (highest area), the areas returning, and how many rose."""
    found = sorted(set(TensionReturn.objects.values_list("week", flat=True)))[-weeks:]
    out = []
    for week in found:
        summary = weekly_summary(week)
        out.append({"week": week.isoformat(), "force_level": summary["force_level"],
                    "areas": len(summary["areas"]), "rises": summary["rises"]})
    return out


def latest_week() -> dt.date | None:
    return TensionReturn.objects.order_by("-week").values_list("week", flat=True).first()
