"""Read-only queries for the survey pages."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from .models import DefinitionChange, ImportBatch, Response, Survey

RESPONSE_COLUMNS = (
    "response_id", "interview_date", "incident_date", "crime_type", "division", "neighbourhood",
    "ethnicity", "age_band", "sex", "disability", "answers", "weight",
)
BATCH_COLUMNS = (
    "id", "survey", "status", "file_name", "file_sha256", "imported_by", "source", "started_at",
    "rows_read", "rows_new", "rows_changed", "rows_unchanged", "rows_withheld", "error_count",
)


def survey_summaries() -> list[dict]:
    """Each survey with its stored responses, date range and last import."""
    rows = []
    surveys = Survey.objects.annotate(
        n=Count("responses"), first=Min("responses__interview_date"), last=Max("responses__interview_date")
    )
    for survey in surveys:
        last_batch = ImportBatch.objects.filter(survey=survey, status="stored").first()
        rows.append({
            "key": survey.key,
            "name": survey.name,
            "responses": survey.n,
            "first_interview": survey.first.isoformat() if survey.first else None,
            "last_interview": survey.last.isoformat() if survey.last else None,
            "last_import": last_batch.finished_at.isoformat(timespec="minutes") if last_batch else None,
        })
    return rows


def batch_row(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "survey": batch.survey.key,
        "status": batch.status,
        "file_name": batch.file_name,
        "file_sha256": batch.file_sha256,
        "imported_by": batch.imported_by_name,
        "source": batch.source,
        "started_at": batch.started_at.isoformat(timespec="seconds"),
        "rows_read": batch.rows_read,
        "rows_new": batch.rows_new,
        "rows_changed": batch.rows_changed,
        "rows_unchanged": batch.rows_unchanged,
        # counted by the database among rows_new, but not stored: erased respondents, or from before a purge
        "rows_withheld": sum(w.count for w in batch.withheld.all()),
        "error_count": batch.error_count,
        "values_removed_at": batch.values_removed_at.isoformat(timespec="seconds") if batch.values_removed_at else None,
    }


def batch_problems(batch: ImportBatch) -> list[dict]:
    """A refused batch's problems as they may be shown: personal values masked (surveys.personal)."""
    from .personal import minimised_problems

    return minimised_problems(batch.errors, batch.survey.definition) if batch.errors else []


def definition_changes(limit: int = 20) -> list[dict]:
    """The latest changes of the stored survey definitions: who, when, which survey, and the lines changed."""
    import difflib

    rows = []
    for change in DefinitionChange.objects.select_related("survey")[:limit]:
        diff = difflib.unified_diff(change.old_toml.splitlines(), change.new_toml.splitlines(), lineterm="", n=0)
        lines = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        rows.append({"survey": change.survey.key, "at": change.at.isoformat(timespec="seconds"),
                     "when": f"{timezone.localtime(change.at):%d %b %Y %H:%M}",
                     "who": change.who_name, "note": change.note, "lines_changed": lines})
    return rows


def recent_batches(limit: int | None = 50) -> QuerySet[ImportBatch]:
    batches = ImportBatch.objects.select_related("survey").prefetch_related("withheld").order_by("-started_at")
    return batches[:limit] if limit else batches


@dataclass(frozen=True)
class ResponseFilter:
    """The filters of the responses table, as they come from the URL."""

    survey: str = ""
    division: int | None = None
    neighbourhood: int | None = None
    crime_type: str = ""
    ethnicity: str = ""
    date_from: date | None = None
    date_to: date | None = None
    batch: int | None = None
    q: str = ""


def filtered_responses(f: ResponseFilter) -> QuerySet[Response]:
    qs = Response.objects.select_related("survey", "division", "neighbourhood").order_by(
        "-interview_date", "response_id"
    )
    conditions = {
        "survey__key": f.survey or None,
        "division_id": f.division,
        "neighbourhood_id": f.neighbourhood,
        "crime_type": f.crime_type or None,
        "ethnicity": f.ethnicity or None,
        "interview_date__gte": f.date_from,
        "interview_date__lte": f.date_to,
        "batch_id": f.batch,
        "response_id__icontains": f.q or None,
    }
    return qs.filter(**{k: v for k, v in conditions.items() if v is not None})


def response_row(r: Response, every: dict[int, dict[str, int]] | None = None) -> dict:
    """One response as a row of the responses' table (every: SurveyItem.every_survey(), read once a list;
    None: its survey's slots read here)."""
    row = {
        "response_id": r.response_id,
        "survey": r.survey.key,
        "interview_date": r.interview_date.isoformat(),
        "incident_date": r.incident_date.isoformat() if r.incident_date else None,
        "crime_type": r.crime_type,
        "division": r.division.name,
        "neighbourhood": r.neighbourhood.name if r.neighbourhood else None,
        "ethnicity": r.ethnicity,
        "age_band": r.age_band,
        "sex": r.sex,
        "disability": r.disability,
    }
    row["answers"] = r.codes(None if every is None else every.get(r.survey_id, {}))
    row["weight"] = r.weight
    return row


def answers_text(codes: dict[str, int]) -> str:
    """The answers in one cell of a table or an export: "treatment=2; whole_experience=4"."""
    return "; ".join(f"{item}={code}" for item, code in codes.items())
