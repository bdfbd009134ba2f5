"""Damaged survey files, made from good ones: what a failed download, a bad disk or a sloppy export leaves."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"


def write_xlsx(path: Path, rows: list[dict], *, columns: list[str]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    workbook.save(path)
    return path


def _rewrite_zip(path: Path, change) -> Path:
    """Every member copied, each passed through change(name, data) -> data (None drops it)."""
    with zipfile.ZipFile(path) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in members:
            data = change(info.filename, data)
            if data is not None:
                new.writestr(info.filename, data)
    path.write_bytes(buffer.getvalue())
    return path


def with_broken_xml(path: Path) -> Path:
    """The sheet's XML cut in half: a well-formed zip holding XML that does not parse."""
    return _rewrite_zip(path, lambda name, data: data[: len(data) // 2] if name == SHEET else data)


def with_broken_deflate(path: Path) -> Path:
    """The sheet's compressed bytes overwritten in place: reading it fails inside zlib."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    # The member's data follows its 30-byte local header, its name and its extra field.
    name_length = int.from_bytes(data[info.header_offset + 26: info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28: info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    data[start: start + min(info.compress_size, 64)] = b"\xff" * min(info.compress_size, 64)
    path.write_bytes(bytes(data))
    return path


def with_saved_results(path: Path, results: dict[str, str]) -> Path:
    """Formula cells given the results Excel would have saved with them ({"Q2": "1.5"})."""
    import re

    def change(name, data):
        if name != SHEET:
            return data
        text = data.decode("utf-8")
        for ref, value in results.items():
            text = re.sub(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*>\s*</v>', rf"\g<1><v>{value}</v>", text)
        return text.encode("utf-8")

    return _rewrite_zip(path, change)
