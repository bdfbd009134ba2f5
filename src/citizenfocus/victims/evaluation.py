"""Do call-backs work? The list split at random into victims called back and not; their re-surveys compared.

The split is Python's Mersenne Twister seeded with the evaluation's seed over the responses in
id order: half (rounded up) are called back, the rest are the comparison arm and are not put
on anyone's list. When victims are surveyed again, `resurvey_link` ties each later response
to the call-back of the earlier one; the arms' whole-experience satisfaction is then compared
with the survey's gap interval (Newcombe) and words.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from django.db import transaction

from citizenfocus.stats import Sums, compare_rates, estimate_rate
from citizenfocus.surveys.definition import get_definition
from citizenfocus.surveys.models import Response, SurveyItem

from .callback_models import CallBack, CallBackChange, CallBackEvaluation

MEASURE = "whole_experience"


class EvaluationError(ValueError):
    """A link file that cannot be used: names the file, row and value."""


def split_arms(response_ids: list[int], *, seed: int) -> tuple[list[int], list[int]]:
    """(called back, comparison): a seeded shuffle of the ids in order, the first half called back."""
    ordered = sorted(response_ids)
    random.Random(seed).shuffle(ordered)
    half = (len(ordered) + 1) // 2
    return sorted(ordered[:half]), sorted(ordered[half:])


@transaction.atomic
def evaluation_start(*, responses: list[Response], assigned_to, user, seed: int) -> CallBackEvaluation:
    """Split responses not yet on the list: the called-back arm to the team leader, the other arm recorded only."""
    fresh = [r for r in responses if not CallBack.objects.filter(response=r).exists()]
    evaluation = CallBackEvaluation.objects.create(seed=seed, who_name=user.get_username())
    call, control = split_arms([r.pk for r in fresh], seed=seed)
    for arm, ids, leader in ((CallBack.Arm.CALL, call, assigned_to), (CallBack.Arm.CONTROL, control, None)):
        for pk in ids:
            callback = CallBack.objects.create(response_id=pk, assigned_to=leader, evaluation=evaluation, arm=arm)
            CallBackChange.objects.create(callback=callback, note=f"evaluation {evaluation.pk}: {arm}",
                                          assigned_to_name=leader.get_username() if leader else "",
                                          who=user, who_name=user.get_username())
    return evaluation


@transaction.atomic
def resurvey_link(*, path: Path, survey: str = "uss") -> int:
    """Link re-survey responses from a two-column CSV (earlier response id, later response id); all or nothing."""
    stored = {r.response_id: r for r in Response.objects.filter(survey__key=survey)}
    links = []
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        for number, row in enumerate(csv.reader(f), start=1):
            if number == 1 and row and row[0].strip() not in stored:
                continue  # a header row
            if len(row) != 2:
                raise EvaluationError(f"{path.name} row {number}: two columns expected (earlier id, later id)")
            earlier, later = (stored.get(v.strip()) for v in row)
            for value, found in zip(row, (earlier, later), strict=True):
                if found is None:
                    raise EvaluationError(f'{path.name} row {number}: "{value}" is not a stored {survey} response')
            callback = CallBack.objects.filter(response=earlier).first()
            if callback is None:
                raise EvaluationError(f'{path.name} row {number}: "{row[0]}" was never on the call-back list')
            links.append((callback, later))
    for callback, later in links:
        callback.resurvey = later
        callback.save(update_fields=["resurvey", "updated_at"])
    return len(links)


def evaluation_result(evaluation: CallBackEvaluation) -> dict:
    """Whole-experience satisfaction at re-survey in each arm, and called-back minus not, with its interval."""
    arms = {}
    slots = SurveyItem.every_survey()
    for arm in (CallBack.Arm.CALL, CallBack.Arm.CONTROL):
        called = evaluation.callbacks.filter(arm=arm, resurvey__isnull=False).select_related("resurvey__survey")
        answers = [a for a in (_outcome(c.resurvey, slots.get(c.resurvey.survey_id, {})) for c in called)
                   if a is not None]
        n, x = len(answers), sum(answers)
        arms[arm] = (estimate_rate(Sums(n, float(n), float(x), float(n), float(x))), n,
                     evaluation.callbacks.filter(arm=arm).count())
    cmp = compare_rates(arms["call"][0], arms["control"][0])
    words = {"significantly higher": "significantly more satisfied when called back",
             "significantly lower": "significantly less satisfied when called back"}.get(cmp.verdict, cmp.verdict)
    return {"seed": evaluation.seed,
            **{f"{arm}_{k}": v for arm, (est, n, size) in arms.items()
               for k, v in (("rate", est.rate), ("resurveyed", n), ("size", size))},
            "difference": cmp.diff, "ci_low": cmp.ci_low, "ci_high": cmp.ci_high, "verdict": words}


def _outcome(response: Response, slots: dict[str, int] | None = None) -> int | None:
    """1 satisfied, 0 not, None not answered: the re-survey's whole-experience answer, as the survey counts it
    (slots: its survey's question → slot; None: read here)."""
    measure = get_definition(response.survey.key).measure(MEASURE)
    positive, negative = measure.outcome_codes()
    code = response.codes(slots).get(measure.item_key)
    return 1 if code in positive else 0 if code in negative else None
