from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import wants_json


def healthz(request):
    """Public by design: answers 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@role_required("view")
def home(request):
    from citizenfocus.surveys.selectors import survey_summaries

    summaries = survey_summaries()
    if wants_json(request):
        return JsonResponse({"surveys": summaries})
    return render(request, "core/home.html", {"summaries": summaries})
