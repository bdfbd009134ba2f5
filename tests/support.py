"""Helpers several test modules share: writers released at once, and R's survey package."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable

import pytest


def at_once(work: Callable[[int], object], count: int) -> list:
    """Run work(0..count-1) in threads released together; each result, or the exception it raised.

    Each thread closes its own database connections, so every writer is a separate session.
    """
    from django.db import connections

    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each writer got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def require_r() -> None:
    """Skip without Rscript and R's survey package on a laptop; FAIL in CI (CI=true), where they are installed."""
    message = None
    if shutil.which("Rscript") is None:
        message = "Rscript is not installed (apt-get install r-base-core r-cran-survey)"
    else:
        check = subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True, text=True, timeout=120)
        if check.returncode != 0:
            message = f"R's survey package does not load: {check.stderr.strip()[-300:]}"
    if message:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def store_responses_with_answers(pairs, *, using: str = "default", batch_size: int = 500) -> None:
    """Store (Response, {question: code}) pairs: each response with its codes packed at their questions'
    slots, as the import stores them (None: not answered, as the import leaves it)."""
    from citizenfocus.surveys.models import Response, SurveyItem
    from citizenfocus.surveys.packing import pack

    pairs = list(pairs)
    slots = {survey_id: SurveyItem.assign(survey_id, sorted({item for r, codes in pairs if r.survey_id == survey_id
                                                             for item in codes}), using=using)
             for survey_id in sorted({r.survey_id for r, _ in pairs})}
    for r, codes in pairs:
        r.answer_codes = pack(codes, slots[r.survey_id])
    Response.objects.using(using).bulk_create([r for r, _ in pairs], batch_size=batch_size)
