"""Writes analysts make beside the survey data: targets, change points, peer figures."""

from __future__ import annotations

import csv
import io

from django.db import transaction

from .models import ChangePoint, PeerFigure, Target


@transaction.atomic
def target_set(*, user, survey_key, measure, group, division, neighbourhood, rate, note="") -> Target:
    """Create or replace the target for a measure, group and area."""
    target, _ = Target.objects.update_or_create(
        survey_key=survey_key, measure=measure, group=group, division=division, neighbourhood=neighbourhood,
        defaults={"rate": rate, "note": note, "set_by": user},
    )
    return target


@transaction.atomic
def change_point_record(*, user, survey_key, measure, month, reason) -> ChangePoint:
    return ChangePoint.objects.create(
        survey_key=survey_key, measure=measure, month=month, reason=reason, recorded_by=user
    )


@transaction.atomic
def change_point_archive(*, change_point: ChangePoint) -> None:
    change_point.archived = True
    change_point.save(update_fields=["archived"])


PEER_COLUMNS = ("survey", "measure", "period", "force", "rate", "n", "deft", "source")


class PeerFileError(ValueError):
    """A peer figures file could not be read; `problems` names each row and column."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the peer figures file; nothing was stored")
        self.problems = problems


def _rate(text: str) -> float:
    text = text.strip()
    value = float(text.rstrip("%")) / 100 if text.endswith("%") else float(text)
    if value > 1:  # "55.3" written without the % sign
        value /= 100
    if not 0 <= value <= 1:
        raise ValueError("a rate between 0 and 1 (or 0% to 100%)")
    return value


def _peer_row(number: int, row: dict, problems: list[str]) -> dict | None:
    missing = [c for c in PEER_COLUMNS if c != "deft" and not (row.get(c) or "").strip()]
    if missing:
        problems.append(f"row {number}: missing {', '.join(missing)}")
        return None
    try:
        rate = _rate(row["rate"])
        n = int(float(row["n"]))
        deft = float(row.get("deft") or 1)
        if n <= 0 or deft <= 0:
            raise ValueError("a positive base and design factor")
    except ValueError as exc:
        problems.append(f"row {number}: rate {row.get('rate')!r}, n {row.get('n')!r}, deft {row.get('deft')!r}: expected {exc}")
        return None
    return {"survey_key": row["survey"].strip(), "measure": row["measure"].strip(), "period": row["period"].strip(),
            "force_name": row["force"].strip(), "rate": rate, "n": n, "deft": deft, "source": row["source"].strip()}


@transaction.atomic
def peer_figures_import(*, user, content: bytes) -> int:
    """Store peer figures from a CSV; any bad row refuses the whole file."""
    text = content.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    headers = {h.strip().lower() for h in reader.fieldnames or []}
    absent = [c for c in PEER_COLUMNS if c != "deft" and c not in headers]
    if absent:
        raise PeerFileError([f"missing column(s): {', '.join(absent)}; expected {', '.join(PEER_COLUMNS)}"])
    problems, parsed = [], []
    for number, raw in enumerate(reader, start=2):
        row = _peer_row(number, {k.strip().lower(): v for k, v in raw.items() if k}, problems)
        if row:
            parsed.append(row)
    if problems:
        raise PeerFileError(problems)
    return peer_figures_store(user=user, rows=parsed)


@transaction.atomic
def peer_figures_store(*, user, rows: list[dict]) -> int:
    """Create or update peer figures (one per survey, measure, period and force)."""
    for row in rows:
        key = {k: row[k] for k in ("survey_key", "measure", "period", "force_name")}
        values = {k: v for k, v in row.items() if k not in key}
        PeerFigure.objects.update_or_create(**key, defaults={**values, "entered_by": user})
    return len(rows)
