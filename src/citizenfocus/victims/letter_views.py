"""A letter for one case, made in the victim's language and recorded as sent."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from citizenfocus.accounts.permissions import role_required

from .letters import LetterError, letter_send
from .services import victim_access_record
from .views import _get_record_for_user

CONTENT_TYPES = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@role_required("send_letters")
@require_POST
def letter_download(request, pk: int):
    record = _get_record_for_user(request, pk)
    fmt = request.POST.get("format") or "pdf"
    try:
        content, filename = letter_send(record=record, event=request.POST.get("event") or "", user=request.user,
                                        fmt=fmt)
    except LetterError as exc:
        messages.error(request, str(exc))
        return redirect("victims:record", pk=record.pk)
    victim_access_record(user=request.user, kind="letter", rows=1, record=record, path=request.get_full_path())
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
