"""Every page has a JSON twin; every table exports to CSV and XLSX."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse

from .spreadsheet import safe_csv_writer, xlsx_cells

EXPORT_FORMATS = ("csv", "xlsx")


def wants_json(request) -> bool:
    return request.GET.get("format") == "json" or request.path.endswith(".json")


def wants_publication(request) -> bool:
    """`?publication=1`: the output is marked for publication, so small numbers are suppressed (statistics.md §8)."""
    return request.GET.get("publication") == "1"


def export_format(request) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


class _Echo:
    def write(self, value):
        return value


def table_response(fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A table as a CSV (streamed) or XLSX download; no cell is ever a formula (core/spreadsheet.py)."""
    if fmt == "csv":
        writer = safe_csv_writer(csv.writer(_Echo()))

        def lines():
            yield "\ufeff"  # so Excel reads UTF-8
            yield writer.writerow(header)
            for row in rows:
                yield writer.writerow(["" if v is None else v for v in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append(xlsx_cells(sheet, header))
    for row in rows:
        sheet.append(xlsx_cells(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
