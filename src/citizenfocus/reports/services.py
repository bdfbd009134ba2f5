"""Asking for a pack and building it: the Reports page's writes.

A pack takes seconds to a minute to build, so the page records the request, starts the build beside
the request (a thread of the server, like the dashboard's warmer) and shows its progress from the
record; `CITIZENFOCUS_PACKS_BACKGROUND=0` builds it within the request instead (a single-threaded server).
"""

from __future__ import annotations

import logging
import threading

from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import timezone

from citizenfocus.plans.config import setting

from .build import PackError, PackRequest, board_pack
from .files import pack_bytes, pack_file_name
from .models import BoardPack

logger = logging.getLogger(__name__)


@transaction.atomic
def board_pack_request(*, user, survey_key: str, division, period: str, meeting, fmt: str, body: str = "",
                       author: str = "", recommendation: str = "") -> BoardPack:
    """Record the request; the build starts once it is committed."""
    pack = BoardPack.objects.create(
        survey_key=survey_key, division=division, period=period, meeting=meeting, format=fmt, body=body,
        author=author, recommendation=recommendation, requested_by=user, requested_by_name=user.get_username())
    transaction.on_commit(lambda: board_pack_start(pack_id=pack.pk))
    return pack


def _progress(pack_id: int):
    def tell(step: int, steps: int, words: str) -> None:
        BoardPack.objects.filter(pk=pack_id).update(step=step, steps=steps, step_words=words[:200])

    return tell


def board_pack_run(*, pack_id: int) -> BoardPack:
    """Build the pack and store its file; a failure is recorded on the pack with words for the analyst."""
    record = BoardPack.objects.select_related("division", "meeting").get(pk=pack_id)
    BoardPack.objects.filter(pk=pack_id).update(status=BoardPack.Status.BUILDING)
    request = PackRequest(survey=record.survey_key, division=record.division.name if record.division else None,
                          period=record.period or None, meeting=record.meeting_id, body=record.body,
                          author=record.author or record.requested_by_name, recommendation=record.recommendation)
    try:
        pack = board_pack(request, progress=_progress(pack_id))
        content = pack_bytes(pack, record.format)
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
