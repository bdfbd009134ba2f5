"""survey_import: check a whole file, then store it in one transaction, or store none of it.

The file is read and checked once, column by column (columnar.py): that pass finds every
problem and keeps the stored values of a file with none in a temporary Arrow file, which
the store reads back and writes in one transaction. A refused file leaves an ImportBatch with
status "refused" and its first problems: the audit of who tried to import what. That
record is written outside the (rolled back) store, which is why this service is not
one atomic block as a whole.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from citizenfocus.engine.stored import refresh_changed

from ..definition import DefinitionError, SurveyDefinition, get_definition
from ..models import ImportBatch, Survey
from ..services import survey_register
from .areas import AreaIndex
from .columnar import CheckedFile, ColumnChecker, check_chunks
from .columns import ColumnPlan, load_mapping, plan_columns, recogniser
from .errors import FileRefused, ImportError_, ImportRefused, ProblemLog, printable
from .readers import open_table
from .store import store_rows
from .validate import RowChecker

logger = logging.getLogger(__name__)
ERRORS_KEPT_WITH_BATCH = 1000
UNEXPECTED = ("nothing was stored. This is a problem the import did not foresee: save the file again "
              "from the program that made it, and if that does not help, send it to your administrator")
SUMMING = "summing the dashboard's monthly figures"
NO_AREAS = ("cannot be placed: no divisions are set up in this installation yet; add the force's "
            "divisions and neighbourhoods (Administration) before importing")


@dataclass
class ImportSummary:
    """What a stored import did. columns: our column → the file's header; ignored: headers left out."""

    rows_read: int
    rows_new: int
    rows_changed: int
    rows_unchanged: int
    batch: ImportBatch
    file_name: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "status": "stored", "file_name": self.file_name, "batch": self.batch.pk,
            "survey": self.batch.survey.key, "rows_read": self.rows_read, "rows_new": self.rows_new,
            "rows_changed": self.rows_changed, "rows_unchanged": self.rows_unchanged,
            "columns": self.columns, "ignored_columns": self.ignored_columns,
        }


@dataclass
class _Attempt:
    """One file's import, from its start to its batch."""

    path: Path
    file_name: str
    survey: Survey
    definition: SurveyDefinition
    audit: dict
    log: ProblemLog
    rows_read: int = 0
    plan: ColumnPlan | None = None
    checked: CheckedFile | None = None  # the stored values of the checked rows, for the store
    # A definition given as a path that changes a stored survey's: stored with the file, never with a refusal.
    new_definition: SurveyDefinition | None = None


def survey_import(*, path: Path, survey: str, user=None, user_name: str = "", source: str = "cli",
                  file_name: str | None = None, mapping: Path | dict | None = None,
                  progress: Callable[[int, int | None], None] | None = None,
                  step: Callable[[str], None] | None = None,
                  today: date | None = None) -> ImportSummary:
    """Import one survey file (CSV, XLSX or Parquet) into the stored responses of a survey.

    Raises ImportRefused (with every problem, and the refused batch kept as the audit)
    having stored nothing when any row or the file itself has a problem.
    progress(rows, total) is called while checking (total None) and while storing; step(words) when a step
    with no rows to count starts: the changed rows set (by one statement, once every row is staged), the
    dashboard's monthly figures summed (a few seconds each for a million rows).
    """
    path = Path(path)
    name = file_name or path.name
    stored_survey, new_definition = _survey(survey, name, user=user, user_name=user_name)
    name = printable(name)
    attempt = _Attempt(
        path=path, file_name=name, survey=stored_survey, definition=new_definition or stored_survey.definition,
        audit=_audit(stored_survey, user, user_name, source, name), log=ProblemLog(name),
        new_definition=new_definition,
    )
    today = today or timezone.localdate()
    table = None
    try:
        table, checker = _check(attempt, mapping=mapping, today=today, progress=progress)
        if not attempt.log:
            return _store(attempt, table, checker, progress, step)
    except FileRefused as problem:
        attempt.log.add(problem.row, problem.column, problem.value, problem.expected)
    except DatabaseError as exc:
        attempt.log.add(None, "", "", f"could not be stored ({exc}); nothing was stored: try again")
    except Exception as exc:  # a file no check foresaw must still end as a refusal, never a crash
        logger.exception("survey import of %s failed unexpectedly", name)
        attempt.log.add(None, "", "", f"could not be read ({type(exc).__name__}: {str(exc)[:200]}); "
                        f"{UNEXPECTED}")
    finally:
        if table is not None:
            table.close()
        if attempt.checked is not None:
            attempt.checked.close()
    raise ImportRefused(attempt.log.problems, _record_refusal(attempt), attempt.log.count)


def _survey(name: str, file_name: str, *, user=None, user_name: str = "") -> tuple[Survey, SurveyDefinition | None]:
    """The stored survey (a shipped one or a new one registered on first use), and the definition given as a
    path when it is to replace a stored survey's: that waits for the file to be stored (a refused file
    changes nothing, its definition included)."""
    try:
        existing = Survey.objects.filter(key=name).first()
        if existing is not None:
            return existing, None
        definition = get_definition(name)
        stored = Survey.objects.filter(key=definition.key).first()
        if stored is None:
            return survey_register(definition=definition, user=user, who_name=user_name), None
        return stored, definition
    except DefinitionError as exc:
        raise ImportRefused([ImportError_(file_name, None, "", "", f"cannot be imported: {exc}")]) from exc


def _audit(survey: Survey, user, user_name: str, source: str, file_name: str) -> dict:
    known = user if getattr(user, "is_authenticated", False) else None
    return {
        "survey": survey, "imported_by": known, "source": source, "file_name": printable(file_name)[:255],
        "imported_by_name": printable(user_name or (known.get_username() if known else ""))[:150],
        "started_at": timezone.now(),
    }


def _check(attempt: _Attempt, *, mapping, today: date, progress):
    """The first pass: every problem in the file logged; returns the open table and its checker."""
    log, definition = attempt.log, attempt.definition
    try:
        their_names = load_mapping(mapping, definition)
    except FileRefused as problem:
        where = Path(mapping).name if isinstance(mapping, (str, Path)) else "mapping"
        log.add(None, problem.column, "", problem.expected, file=where)
        return None, None
    table = open_table(attempt.path, recognise=recogniser(definition, their_names))
    plan, problems = plan_columns(table.header, definition=definition, mapping=their_names,
                                  file=attempt.file_name, header_row=table.header_row)
    attempt.plan = plan
    log.extend(problems)
    if problems:
        return table, None
    areas = AreaIndex()
    if areas.empty:
        log.add(None, plan.headers.get("division") or plan.headers["neighbourhood"], "", NO_AREAS)
    checker = RowChecker(definition=definition, plan=plan, areas=areas, today=today, log=log,
                         header=table.header, short_rows_allowed=table.short_rows_allowed,
                         formulas=getattr(table, "formulas", None) is not None)
    attempt.rows_read, attempt.checked = check_chunks(table, ColumnChecker(checker, definition.item_keys), progress)
    if attempt.rows_read == 0:
        log.add(None, "", "", "has a header but no responses")
    _in_sheet_order(log, plan)
    return table, checker


def _in_sheet_order(log: ProblemLog, plan: ColumnPlan) -> None:
    """A row's problems read left to right, as the columns are in the file."""
    order = {plan.headers[column]: position for column, position in plan.positions.items()}
    log.problems.sort(key=lambda p: (p.row or 0, order.get(p.column, len(order))))


@transaction.atomic
def _store(attempt: _Attempt, table, checker: RowChecker, progress, step=None) -> ImportSummary:
    """The second pass, in one transaction: a stored batch and every response, or nothing."""
    if attempt.new_definition is not None:  # the definition the file was checked against, stored with it
        attempt.survey = survey_register(definition=attempt.new_definition, user=attempt.audit["imported_by"],
                                         who_name=attempt.audit["imported_by_name"])
        attempt.audit["survey"] = attempt.survey
    batch = ImportBatch.objects.create(
        **attempt.audit, **_file_facts(attempt.path), status=ImportBatch.Status.STORED,
        finished_at=timezone.now(), rows_read=attempt.rows_read,
    )
    counts = store_rows(survey_id=attempt.survey.pk, batch_id=batch.pk, rows=attempt.checked.batches(),
                        items=attempt.definition.item_keys, total=attempt.rows_read, progress=progress,
                        step=step)
    if counts.total != attempt.rows_read:
        raise FileRefused("changed while it was being imported (it has a different number of rows now); "
                          "nothing was stored: try again")
    # The dashboard's persisted monthly sums, for the months this import changed: same transaction.
    if step is not None:
        step(SUMMING)
    refresh_changed(attempt.survey, batch=batch, imported=attempt.checked.batches)
    batch.rows_new, batch.rows_changed, batch.rows_unchanged = counts.new, counts.changed, counts.unchanged
    batch.finished_at = timezone.now()
    batch.save(update_fields=["rows_new", "rows_changed", "rows_unchanged", "finished_at"])
    return ImportSummary(
        rows_read=attempt.rows_read, rows_new=counts.new, rows_changed=counts.changed,
        rows_unchanged=counts.unchanged, batch=batch, file_name=attempt.file_name,
        columns=dict(attempt.plan.headers), ignored_columns=list(attempt.plan.ignored),
    )


def _file_facts(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        return {"file_sha256": digest, "file_size": path.stat().st_size}
    except OSError:
        return {"file_sha256": "", "file_size": 0}


def _record_refusal(attempt: _Attempt) -> ImportBatch:
    log = attempt.log
    return ImportBatch.objects.create(
        **attempt.audit, **_file_facts(attempt.path), status=ImportBatch.Status.REFUSED,
        finished_at=timezone.now(), rows_read=attempt.rows_read, error_count=log.count,
        errors=[p.as_dict() for p in log.problems[:ERRORS_KEPT_WITH_BATCH]],
    )
