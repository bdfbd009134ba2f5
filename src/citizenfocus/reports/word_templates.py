"""A force's Word template: checked before it is kept, and opened as the start of a Word pack.

A template is accepted as a Word document (.docx) or a Word template (.dotx, which differs from a document
only in its main part's content type, so it is opened as a document). It is refused, with words naming
what is wrong, when it is not a Word file at all, is empty, too large, macro-enabled, or cannot be opened;
a refused file is never stored.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MACRO_TYPES = ("application/vnd.ms-word.document.macroEnabled.main+xml",
               "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
SUFFIXES = (".docx", ".dotx")


def max_bytes() -> int:
    megabytes = getattr(settings, "CITIZENFOCUS_PACKS_TEMPLATE_MAX_MB",
                        os.environ.get("CITIZENFOCUS_PACKS_TEMPLATE_MAX_MB", 10))
    return int(float(megabytes) * 1024 * 1024)


def _as_document(content: bytes) -> bytes:
    """A .dotx's bytes with its main part declared a document (python-docx opens documents only)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    types = source.read("[Content_Types].xml")
    if TEMPLATE.encode() not in types:
        return content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(TEMPLATE.encode(), DOCUMENT.encode())
            target.writestr(item, data)
    return out.getvalue()


@dataclass(frozen=True)
class CheckedTemplate:
    content: bytes  # as a .docx (a .dotx converted)
    sha256: str  # of the file as uploaded
    original_name: str


def check_template(name: str, content: bytes) -> CheckedTemplate:
    """The template as a .docx the pack can start from; ValidationError naming the file and the fault."""
    from docx import Document

    name = PurePath(name).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(f"{name}: a template must be a Word document (.docx) or Word template (.dotx); "
                              "in Word, use File, Save As, Word Document.")
    if not content:
        raise ValidationError(f"{name}: the file is empty.")
    if len(content) > max_bytes():
        raise ValidationError(f"{name}: the file is {len(content) / 1024 / 1024:.1f} MB; the limit is "
                              f"{max_bytes() // (1024 * 1024)} MB.")
    if not content.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(content)):
        raise ValidationError(f"{name}: the content is not a Word file (a .docx is a zip package; this is not "
                              "one). Was it saved in an older format (.doc) and renamed?")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            types = package.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile) as exc:
        raise ValidationError(f"{name}: the content is not a Word file (it has no Office content types).") from exc
    if any(t.encode() in types for t in MACRO_TYPES):
        raise ValidationError(f"{name}: a macro-enabled Word file cannot be used; save it as a Word document "
                              "(.docx) without macros.")
    if DOCUMENT.encode() not in types and TEMPLATE.encode() not in types:
        raise ValidationError(f"{name}: the content is not a Word document (it may be a spreadsheet or "
                              "presentation renamed .docx).")
    converted = _as_document(content)
    try:
        Document(io.BytesIO(converted))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise ValidationError(f"{name}: Word could not read this file ({exc.__class__.__name__}); open it in "
                              "Word and save it again.") from exc
    return CheckedTemplate(content=converted, sha256=hashlib.sha256(content).hexdigest(), original_name=name)


def open_template(path: Path):
    """The python-docx Document a Word pack starts from (a .docx, or a .dotx opened as a document)."""
    from docx import Document

    try:
        checked = check_template(path.name, path.read_bytes())
    except ValidationError as exc:
        from .build import PackError

        raise PackError(f"--template {path}: {exc.messages[0].split(': ', 1)[-1]}") from exc
    return Document(io.BytesIO(checked.content))
