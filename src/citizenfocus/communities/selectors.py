"""Reads of engagement records that pages, the public release and exports share.

`perceptions_by_priority_month` is the one read of KIN perceptions: when the
KIN questionnaire is a survey definition with its own answer scale, only this
function changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from citizenfocus.stats.perception import Perception, month_on_month, perception

from .models import LocalPriority
from .models import Perception as PerceptionAnswer


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def perceptions_by_priority_month(*, neighbourhood=None, priorities=None) -> dict[int, dict[dt.date, list[int]]]:
    """{priority id: {first day of month: [scores 1-5]}} for a neighbourhood's (or the given) priorities."""
    answers = PerceptionAnswer.objects.all()
    if neighbourhood is not None:
        answers = answers.filter(priority__neighbourhood=neighbourhood)
    if priorities is not None:
        answers = answers.filter(priority__in=priorities)
    found: dict[int, dict[dt.date, list[int]]] = defaultdict(lambda: defaultdict(list))
    for priority_id, month, score in answers.values_list("priority_id", "month", "score").order_by("month"):
        found[priority_id][month].append(score)
    return found


def latest_month(*, neighbourhood) -> dt.date | None:
    """The latest month with any perception recorded in the neighbourhood."""
    return PerceptionAnswer.objects.filter(priority__neighbourhood=neighbourhood).order_by("-month") \
        .values_list("month", flat=True).first()


def priority_lights(*, neighbourhood, month: dt.date) -> list[dict]:
    """Each open priority's perception this month, traffic-lit, with the month before and the comparison in words."""
    priorities = list(LocalPriority.objects.filter(neighbourhood=neighbourhood, closed_on__isnull=True))
    scores = perceptions_by_priority_month(priorities=priorities)
    rows = []
    for priority in priorities:
        now: Perception = perception(scores.get(priority.pk, {}).get(month, []))
        before: Perception = perception(scores.get(priority.pk, {}).get(previous_month(month), []))
        rows.append({"priority_id": priority.pk, "priority": priority.title, "month": month.strftime("%B %Y"),
                     "light": now.light, "rate": now.rate, "ci_low": now.ci_low, "ci_high": now.ci_high,
                     "n": now.n, "previous_rate": before.rate, "previous_n": before.n,
                     "against_previous": month_on_month(now, before)})
    return rows


def perception_history(*, priority: LocalPriority) -> list[dict]:
    """Month by month for one priority: base, share seeing progress, interval and light."""
    months = perceptions_by_priority_month(priorities=[priority]).get(priority.pk, {})
    rows, before = [], perception([])
    for month in sorted(months):
        now = perception(months[month])
        rows.append({"month": month.strftime("%B %Y"), "n": now.n, "rate": now.rate, "ci_low": now.ci_low,
                     "ci_high": now.ci_high, "light": now.light, "against_previous": month_on_month(now, before)})
        before = now
    return rows


def you_said_we_did(*, neighbourhood=None) -> list[dict]:
    """Every priority with what people raised and each thing done about it, when (the public text)."""
    priorities = LocalPriority.objects.select_related("neighbourhood").prefetch_related("we_did")
    if neighbourhood is not None:
        priorities = priorities.filter(neighbourhood=neighbourhood)
    rows = []
    for p in priorities:
        done = list(p.we_did.all()) or [None]
        for d in done:
            rows.append({"neighbourhood": p.neighbourhood.name, "neighbourhood_code": p.neighbourhood.code,
                         "priority": p.title, "raised_by": p.get_raised_by_display(),
                         "raised_on": p.raised_on.isoformat(), "you_said": p.you_said,
                         "we_did": d.text if d else "", "done_on": d.done_on.isoformat() if d else ""})
    return rows
