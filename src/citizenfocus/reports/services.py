"""Asking for a pack and building it: the Reports page's writes.

A pack takes seconds to a minute to build, so the page records the request, starts the build beside
the request (a thread of the server, like the dashboard's warmer) and shows its progress from the
record; `CITIZENFOCUS_PACKS_BACKGROUND=0` builds it within the request instead (a single-threaded server).
"""

from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import timezone

from citizenfocus.plans.config import setting

from .build import PackError, PackRequest, board_pack
from .files import pack_bytes, pack_file_name
from .models import BoardPack, PackTemplate
from .word_templates import CheckedTemplate

logger = logging.getLogger(__name__)


@transaction.atomic
def board_pack_request(*, user, survey_key: str, division, period: str, meeting, fmt: str, body: str = "",
                       author: str = "", recommendation: str = "", crime_type: str = "",
                       template: PackTemplate | None = None) -> BoardPack:
    """Record the request; the build starts once it is committed."""
    if template is not None and fmt != BoardPack.Format.DOCX:
        raise PackError("a Word template applies to the Word pack only")
    pack = BoardPack.objects.create(
        survey_key=survey_key, division=division, period=period, meeting=meeting, format=fmt, body=body,
        author=author, recommendation=recommendation, crime_type=crime_type or "", template=template,
        requested_by=user, requested_by_name=user.get_username())
    transaction.on_commit(lambda: board_pack_start(pack_id=pack.pk))
    return pack


def _progress(pack_id: int):
    def tell(step: int, steps: int, words: str) -> None:
        BoardPack.objects.filter(pk=pack_id).update(step=step, steps=steps, step_words=words[:200])

    return tell


def board_pack_run(*, pack_id: int) -> BoardPack:
    """Build the pack and store its file; a failure is recorded on the pack with words for the analyst."""
    record = BoardPack.objects.select_related("division", "meeting", "template").get(pk=pack_id)
    BoardPack.objects.filter(pk=pack_id).update(status=BoardPack.Status.BUILDING)
    request = PackRequest(survey=record.survey_key, division=record.division.name if record.division else None,
                          period=record.period or None, meeting=record.meeting_id, body=record.body,
                          author=record.author or record.requested_by_name, recommendation=record.recommendation,
                          crime_type=record.crime_type or None)
    try:
        pack = board_pack(request, progress=_progress(pack_id))
        if record.template is None:
            content = pack_bytes(pack, record.format)
        else:  # the stored template as a file (the storage may not be a local folder)
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "template.docx"
                with record.template.file.open("rb") as stored:
                    path.write_bytes(stored.read())
                content = pack_bytes(pack, record.format, template=path)
    except PackError as exc:
        return _finish(pack_id, status=BoardPack.Status.FAILED, error=str(exc))
    except Exception:  # the analyst sees that it failed; the log has the traceback
        logger.exception("board pack %s failed", pack_id)
        return _finish(pack_id, status=BoardPack.Status.FAILED,
                       error="The pack could not be built; the server's log says why.")
    record.refresh_from_db()
    record.file_name = pack_file_name(pack, record.format)
    record.file.save(record.file_name, ContentFile(content), save=False)
    record.status, record.finished_at, record.step = BoardPack.Status.DONE, timezone.now(), record.steps
    record.save(update_fields=["file", "file_name", "status", "finished_at", "step"])
    return record


def _finish(pack_id: int, *, status: str, error: str) -> BoardPack:
    BoardPack.objects.filter(pk=pack_id).update(status=status, error=error, finished_at=timezone.now())
    return BoardPack.objects.get(pk=pack_id)


def _in_background() -> bool:
    return str(setting("CITIZENFOCUS_PACKS_BACKGROUND", "1")).strip().lower() not in ("0", "false", "no", "off")


def board_pack_start(*, pack_id: int) -> None:
    if not _in_background():
        board_pack_run(pack_id=pack_id)
        return

    def build():
        try:
            board_pack_run(pack_id=pack_id)
        finally:
            close_old_connections()

    threading.Thread(target=build, name=f"board-pack-{pack_id}", daemon=True).start()


@transaction.atomic
def pack_template_store(*, user, name: str, checked: CheckedTemplate) -> PackTemplate:
    """Keep a checked Word template (see word_templates.check_template) for later packs: who and when."""
    template = PackTemplate(name=name.strip(), original_name=checked.original_name[-255:], size=len(checked.content),
                            sha256=checked.sha256, uploaded_by=user, uploaded_by_name=user.get_username())
    template.file.save(f"{checked.sha256[:16]}.docx", ContentFile(checked.content), save=False)
    template.save()
    return template


def pack_template_retire(*, user, template: PackTemplate) -> PackTemplate:
    """No longer offered for new packs; kept (with who retired it and when) for the packs made from it."""
    if template.retired_at is None:
        template.retired_at, template.retired_by_name = timezone.now(), user.get_username()
        template.save(update_fields=["retired_at", "retired_by_name"])
    return template
