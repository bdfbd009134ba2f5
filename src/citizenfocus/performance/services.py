"""Writes analysts make beside the survey data: targets, change points, peer figures.

Each change locks the record, refuses a form opened on an older version, saves only the
fields that changed and records them (performance.revisions, RecordEvent), all in one
transaction. Change points are recorded and archived, never edited: a wrong one is archived
and recorded again, so the dashboard's cache key (records_version) always sees the change.
"""

from __future__ import annotations

import csv
import io

from django.db import transaction

from . import revisions
from .models import ChangePoint, PeerFigure, Target
from .revisions import StaleRecord

__all__ = ["StaleRecord"]
TARGET_KEY = ("survey_key", "measure", "group", "division", "neighbourhood")
PEER_KEY = ("survey_key", "measure", "period", "force_name")


@transaction.atomic
def target_create(*, user, survey_key, measure, group, division, neighbourhood, rate, note="") -> Target:
    """A new target; StaleRecord when one for the same measure, group and area appeared meanwhile."""
    values = {"survey_key": survey_key, "measure": measure, "group": group, "division": division,
              "neighbourhood": neighbourhood, "rate": rate, "note": note, "set_by": user}
    return revisions.create(Target, values, user=user, key=TARGET_KEY)


@transaction.atomic
def target_edit(*, target_id: int, version: int | None, user, **values) -> Target:
    """Change a target opened at `version` (None: whatever it is now); only changed fields are saved."""
    target = revisions.locked(Target, target_id, version)
    revisions.apply_changes(target, values, user=user, stamp={"set_by": user, "set_at": None})
    return target


@transaction.atomic
def change_point_record(*, user, survey_key, measure, month, reason) -> ChangePoint:
    values = {"survey_key": survey_key, "measure": measure, "month": month, "reason": reason, "recorded_by": user}
    return revisions.create(ChangePoint, values, user=user, key=())


@transaction.atomic
def change_point_archive(*, change_point_id: int, version: int | None, user, archived: bool = True) -> ChangePoint:
    """Archive (or restore) a change point: charts stop (or start again) rebasing at its month."""
    point = revisions.locked(ChangePoint, change_point_id, version)
    revisions.apply_changes(point, {"archived": archived}, user=user)
    return point


@transaction.atomic
def peer_figure_create(*, user, **values) -> PeerFigure:
    return revisions.create(PeerFigure, {**values, "entered_by": user}, user=user, key=PEER_KEY)


@transaction.atomic
def peer_figure_edit(*, figure_id: int, version: int | None, user, **values) -> PeerFigure:
    figure = revisions.locked(PeerFigure, figure_id, version)
    revisions.apply_changes(figure, values, user=user, stamp={"entered_by": user, "entered_at": None})
    return figure


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
def peer_figures_import(*, user, content: bytes, file_name: str = "") -> int:
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
    return peer_figures_store(user=user, rows=parsed, note=f"from {file_name}" if file_name else "from a file")


@transaction.atomic
def peer_figures_store(*, user, rows: list[dict], note: str = "", who_name: str = "") -> int:
    """Create or update peer figures (one per survey, measure, period and force), each locked while it changes.

    A file is a deliberate replacement, so no version is compared; a figure someone else changed
    meanwhile is still read under the lock, and the history shows both changes in turn.
    """
    for row in rows:
        key = {k: row[k] for k in PEER_KEY}
        values = {k: v for k, v in row.items() if k not in key}
        found = PeerFigure.objects.select_for_update().filter(**key).first()
        if found is None:
            try:
                revisions.create(PeerFigure, {**row, "entered_by": user}, user=user, name=who_name, note=note,
                                 key=PEER_KEY)
                continue
            except StaleRecord:  # created by another writer this very moment: change it instead
                found = PeerFigure.objects.select_for_update().get(**key)
        revisions.apply_changes(found, values, user=user, name=who_name, note=note,
                                stamp={"entered_by": user, "entered_at": None})
    return len(rows)
