"""Drawing a dip sample (seeded, reproducible) and rolling up its checks."""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from citizenfocus.stats import Sums, estimate_rate

from .dip_models import DipCheck, DipSample
from .models import VictimRecord


def dip_population(*, team, closed_from: date, closed_to: date):
    """The closed cases a sample is drawn from, in a fixed order (crime reference) so a seed repeats."""
    records = VictimRecord.objects.filter(closed_on__gte=closed_from, closed_on__lte=closed_to)
    if team is not None:
        records = records.filter(team=team)
    return list(records.order_by("crime_reference").values_list("pk", flat=True))


def dip_draw(population: list[int], *, seed: int, size: int) -> list[int]:
    """Python's Mersenne Twister seeded with `seed`, sampling without replacement: the same seed and
    population give the same cases, in the same order."""
    return random.Random(seed).sample(population, min(size, len(population)))


@transaction.atomic
def dip_sample_draw(*, user, team, closed_from: date, closed_to: date, size: int, seed: int | None = None) -> DipSample:
    population = dip_population(team=team, closed_from=closed_from, closed_to=closed_to)
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 10**9)
    chosen = dip_draw(population, seed=seed, size=size)
    sample = DipSample.objects.create(seed=seed, size=len(chosen), team=team, closed_from=closed_from,
                                      closed_to=closed_to, population=len(population), who=user,
                                      who_name=user.get_username())
    DipCheck.objects.bulk_create(DipCheck(sample=sample, record_id=pk, position=i) for i, pk in enumerate(chosen, 1))
    return sample


@transaction.atomic
def dip_check_record(*, check: DipCheck, result: str, note: str, user) -> DipCheck:
    check.result, check.note = result, note
    check.checked_by_name, check.checked_at = user.get_username(), timezone.now()
    check.save(update_fields=["result", "note", "checked_by_name", "checked_at"])
    return check


def dip_rollup(sample: DipSample) -> dict:
    """Checked cases that comply, as a rate with its base and 95% Wilson interval."""
    results = list(sample.checks.exclude(result="").values_list("result", flat=True))
    n, x = len(results), sum(r == DipCheck.Result.COMPLIES for r in results)
    est = estimate_rate(Sums(n, float(n), float(x), float(n), float(x)))
    return {"checked": n, "of": sample.size, "complies": x, "rate": est.rate, "ci_low": est.ci_low,
            "ci_high": est.ci_high}
