"""Evidence files: what may be attached, checked by size, name and content (not the browser's word)."""

from __future__ import annotations

import hashlib
import os
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

_ZIP = b"PK\x03\x04"
# suffix -> (content type, what the file must start with; None: plain text)
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (_ZIP,)),
    ".odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    ".txt": ("text/plain; charset=utf-8", None),
    ".csv": ("text/csv; charset=utf-8", None),
}


def max_bytes() -> int:
    megabytes = getattr(settings, "CITIZENFOCUS_PLANS_EVIDENCE_MAX_MB",
                        os.environ.get("CITIZENFOCUS_PLANS_EVIDENCE_MAX_MB", 10))
    return int(float(megabytes) * 1024 * 1024)


def allowed_description() -> str:
    kinds = ", ".join(sorted({s.lstrip(".").upper() for s in ALLOWED}))
    return f"{kinds}; up to {max_bytes() // (1024 * 1024)} MB each"


def check_evidence(upload) -> tuple[str, str]:
    """(content type, sha256) of an acceptable file; ValidationError naming the file otherwise."""
    name = PurePath(upload.name).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(f"{name}: files of this type cannot be attached (allowed: {allowed_description()}).")
    if upload.size > max_bytes():
        raise ValidationError(f"{name}: the file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                              f"{max_bytes() // (1024 * 1024)} MB.")
    if upload.size == 0:
        raise ValidationError(f"{name}: the file is empty.")
    content_type, starts = ALLOWED[suffix]
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if len(head) < 2048:
            head += chunk[: 2048 - len(head)]
        digest.update(chunk)
    upload.seek(0)
    if starts is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a multi-byte character cut at 2 KB is fine
                raise ValidationError(f"{name}: not a plain text file.") from exc
        if b"\x00" in head:
            raise ValidationError(f"{name}: not a plain text file.")
    elif not any(head.startswith(s) for s in starts):
        raise ValidationError(f"{name}: the content is not a {suffix.lstrip('.').upper()} file.")
    return content_type, digest.hexdigest()
