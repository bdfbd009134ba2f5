"""Read-only queries for the survey pages."""

from django.db.models import Count, Max, Min

from .models import ImportBatch, Survey


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
