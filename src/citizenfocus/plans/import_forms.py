"""The import's forms: the upload, and the preview's corrections (columns, continuation rows, statuses,
dates, the title and the date RAG is worked out at)."""

from __future__ import annotations

from django import forms

from .forms import DATE, STATUS_CHOICES, AccessibleForm
from .importing import Corrections, ParsedPlan
from .importing.columns import FIELD_NAMES
from .importing.text import find_dates
from .models import Plan


class PlanImportForm(AccessibleForm):
    file = forms.FileField(label="Plan file", help_text="A Word (.docx) document with the plan's table, or an Excel "
                           "(.xlsx) or CSV file with its columns")
    title = forms.CharField(max_length=200, required=False,
                            help_text="Leave empty for the heading that names the plan in the document")
    source = forms.ChoiceField(choices=[("", "As the document says (else a scrutiny panel report)")]
                               + Plan.Source.choices, required=False)
    kind = forms.ChoiceField(choices=Plan.Kind.choices, label="Structure")
    owning_body = forms.CharField(max_length=200, required=False, label="Owning body",
                                  help_text="Leave empty for the body the document names "
                                            "(\u201cResponse to the ... Scrutiny Group\u201d)")

    def clean_file(self):
        from .importing import SUFFIXES

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError("The plan file must be a .docx, .xlsx or .csv file.")
        return upload


def _date_text(value: str) -> str:
    value = value.strip()
    if value and not find_dates(value):
        raise forms.ValidationError(f"{value!r} is not a date: write it as 31/12/2011, 31 Dec 2011 or Dec 2011.")
    return value


class ImportCorrectionsForm(AccessibleForm):
    """One field per column choice and per row of the table: built from what was read."""

    title = forms.CharField(max_length=200, label="Plan title")
    reporting_date = forms.DateField(required=False, widget=DATE, label="RAG as at",
                                     help_text="The date the plan's RAG is worked out at: the meeting it goes to, "
                                               "or the date of its latest positions")

    def __init__(self, *args, parsed: ParsedPlan, corrections: Corrections, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed, self.corrections = parsed, corrections
        columns = [("", "(not in the table)")] + [(str(i), t or f"column {i + 1}") for i, t in enumerate(parsed.header)]
        for name, label in FIELD_NAMES.items():
            self.fields[f"column_{name}"] = forms.ChoiceField(
                choices=columns, required=False, label=f"{label} is in",
                initial=str(parsed.column_indexes[name]) if name in parsed.column_indexes else "")
        for row in self.rows():
            n = row.number
            if row.kind == "skipped":
                continue
            self.fields[f"row_{n}_continues"] = forms.BooleanField(
                required=False, initial=row.kind == "continuation", label=f"Row {n} continues the row above")
            self.fields[f"row_{n}_status"] = forms.ChoiceField(
                choices=[("", "as read")] + STATUS_CHOICES, required=False, label=f"Status for row {n}",
                initial=corrections.status.get(str(n), ""))
            self.fields[f"row_{n}_date"] = forms.CharField(
                max_length=60, required=False, label=f"Date for row {n}", initial=corrections.dates.get(str(n), ""))

    def rows(self):
        return self.parsed.rows

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if name.endswith("_date") and name.startswith("row_") and value:
                try:
                    data[name] = _date_text(value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data

    def row_fields(self):
        """(the row's reading, its continuation box, status and date fields) for the template."""
        for row in self.rows():
            if row.kind == "skipped":
                yield row, None, None, None
            else:
                n = row.number
                yield row, self[f"row_{n}_continues"], self[f"row_{n}_status"], self[f"row_{n}_date"]

    def column_fields(self):
        return [self[f"column_{name}"] for name in FIELD_NAMES]

    def corrected(self) -> Corrections:
        """The person's choices, kept only where they differ from what the file says by itself."""
        data = self.cleaned_data
        columns = {}
        for name in FIELD_NAMES:
            chosen = data.get(f"column_{name}", "")
            found = self.parsed.column_indexes.get(name)
            if (int(chosen) if chosen else None) != found or name in self.corrections.columns:
                columns[name] = int(chosen) if chosen else None
        continuation = {}
        for row in self.rows():
            if row.kind == "skipped":
                continue
            choice = bool(data.get(f"row_{row.number}_continues"))
            if choice != row.auto_continuation:
                continuation[str(row.number)] = choice
        status = {str(r.number): data[f"row_{r.number}_status"] for r in self.rows()
                  if r.kind != "skipped" and data.get(f"row_{r.number}_status")}
        dates = {str(r.number): data[f"row_{r.number}_date"] for r in self.rows()
                 if r.kind != "skipped" and data.get(f"row_{r.number}_date")}
        reporting = data.get("reporting_date")
        found = self.parsed.reporting_date
        keep = reporting.isoformat() if reporting and (reporting != found or self.corrections.reporting_date) else ""
        return Corrections(columns=columns, continuation=continuation, status=status, dates=dates,
                           reporting_date=keep)
