"""Writing a pack to a file: one function for the command, the schedule and the Reports page."""

from __future__ import annotations

from pathlib import Path

from django.utils.text import slugify

from .build import PackError, PackRequest, board_pack
from .document import Pack

FORMATS = {"pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def pack_bytes(pack: Pack, fmt: str, *, template: Path | None = None) -> bytes:
    if fmt == "pdf":
        if template is not None:
            raise PackError("a Word template applies to the Word pack only (--format docx)")
        from .pdf import pack_pdf

        return pack_pdf(pack)
    if fmt == "docx":
        from .word import pack_docx

        return pack_docx(pack, template=template)
    raise PackError(f"--format {fmt!r}: expected pdf or docx")


def pack_file_name(pack: Pack, fmt: str) -> str:
    """'board-pack-central-division-12-months-to-march-2014.pdf': the area and the period in the name."""
    return f"board-pack-{slugify(pack.cover.area)}-{slugify(pack.cover.period)}.{fmt}"


def board_pack_write(request: PackRequest, *, fmt: str, output: Path | None = None, template: Path | None = None,
                     progress=None) -> Path:
    """Build the pack and write it; returns the file's path (in `output`, a file or a folder)."""
    if fmt not in FORMATS:
        raise PackError(f"--format {fmt!r}: expected pdf or docx")
    if template is not None:
        if not template.is_file():
            raise PackError(f"--template {template}: no such file")
        if fmt != "docx":
            raise PackError("a Word template applies to the Word pack only (--format docx)")
        from .word_templates import open_template

        open_template(template)  # refused before the pack is built, not after
    pack = board_pack(request, progress=progress)
    content = pack_bytes(pack, fmt, template=template)
    path = output if output is not None and not output.is_dir() else (output or Path.cwd()) / pack_file_name(pack, fmt)
    path.write_bytes(content)
    return path
