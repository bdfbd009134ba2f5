"""The import page: the same survey_import as the command line, for an uploaded file.

GET shows the form; POST checks the file and stores it, or shows every problem and
stores nothing. The JSON twin (?format=json, or JSON first in Accept) answers with
the summary or the problems; a refused file answers 422.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import wants_json

from .definition import shipped_definitions
from .importing import SUPPORTED_SUFFIXES, ImportRefused, survey_import
from .importing.columns import aliases_for
from .models import Survey

ERRORS_SHOWN = 200  # on the page; the JSON and the refused batch keep the first 1,000
ERRORS_IN_JSON = 1000
MAPPING_SUFFIXES = (".toml", ".csv")


def survey_choices() -> list[tuple[str, str]]:
    choices = {key: d.name for key, d in shipped_definitions().items()}
    choices.update(Survey.objects.values_list("key", "name"))
    return sorted(choices.items(), key=lambda choice: choice[1])


def _suffix_is(upload, suffixes: tuple[str, ...], what: str):
    if upload and Path(upload.name).suffix.lower() not in suffixes:
        raise forms.ValidationError(f"The {what} must be a {', '.join(suffixes)} file.")
    return upload


class ImportForm(forms.Form):
    survey = forms.ChoiceField(label="Survey", error_messages={
        "required": "Choose the survey the file answers.",
        "invalid_choice": "Choose one of the surveys in the list.",
    })
    file = forms.FileField(
        label="Survey file",
        error_messages={"required": "Choose the survey file to import.", "empty": "The survey file is empty."},
        help_text="CSV, Excel (.xlsx) or Parquet, with a header row: one response a row.",
    )
    mapping = forms.FileField(
        label="Mapping file (optional)", required=False,
        help_text='Only if your export has its own column names: a .toml file ([columns] "Their Header" = '
                  '"our_column") or a two-column .csv file.',
    )

    def _check_size(self, upload):
        limit = settings.CITIZENFOCUS_MAX_UPLOAD_MB
        if upload is not None and upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.0f} MB; the most a web upload may be is {limit} MB. "
                "Import larger files with the command `citizenfocus import-survey`."
            )
        return upload

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].choices = survey_choices()
        for name in self.fields:
            self.fields[name].widget.attrs["aria-describedby"] = f"{name}-hint"

    def clean_file(self):
        return self._check_size(_suffix_is(self.cleaned_data.get("file"), SUPPORTED_SUFFIXES, "survey file"))

    def clean_mapping(self):
        return _suffix_is(self.cleaned_data.get("mapping"), MAPPING_SUFFIXES, "mapping file")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{name}-error {name}-hint"
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def _json_first(request) -> bool:
    first = request.headers.get("Accept", "").split(",")[0].strip().lower()
    return wants_json(request) or first.startswith("application/json")


@contextmanager
def _on_disk(upload):
    """The upload as a file with its own suffix (the import reads the format from it)."""
    if upload is None:
        yield None
        return
    suffix = Path(upload.name).suffix.lower()
    if hasattr(upload, "temporary_file_path") and upload.temporary_file_path().lower().endswith(suffix):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.TemporaryDirectory(prefix="citizenfocus-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        yield path


def _run(request, data: dict) -> dict:
    upload = data["file"]
    with _on_disk(upload) as path, _on_disk(data.get("mapping")) as mapping:
        try:
            summary = survey_import(path=path, survey=data["survey"], user=request.user, source="web",
                                    file_name=upload.name, mapping=mapping)
        except ImportRefused as refusal:
            return {"status": "refused", "file_name": upload.name, "refusal": refusal}
    return {"status": "stored", "file_name": upload.name, "summary": summary}


def _as_json(outcome: dict) -> JsonResponse:
    if outcome["status"] == "stored":
        return JsonResponse(outcome["summary"].as_dict())
    refusal = outcome["refusal"]
    return JsonResponse({
        "status": "refused", "message": "Nothing was stored", "file_name": outcome["file_name"],
        "batch": refusal.batch.pk if refusal.batch else None, "error_count": refusal.error_count,
        "errors": [e.as_dict() for e in refusal.errors[:ERRORS_IN_JSON]],
    }, status=422)


def _form_json() -> JsonResponse:
    """What the form accepts: for a script posting files. A stored survey's columns are its stored definition's
    (a force's own survey, or questions it added); a survey not stored yet, its shipped one's."""
    definitions = {**shipped_definitions(), **{s.key: s.definition for s in Survey.objects.all()}}
    return JsonResponse({
        "surveys": [{"key": key, "name": name} for key, name in survey_choices()],
        "formats": list(SUPPORTED_SUFFIXES), "mapping_formats": list(MAPPING_SUFFIXES),
        "columns": {key: aliases_for(d) for key, d in definitions.items()},
        "fields": {"survey": "survey key", "file": "the survey file", "mapping": "optional mapping file"},
    })


@role_required("import")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    as_json = _json_first(request)
    if request.method == "GET":
        return _form_json() if as_json else render(request, "surveys/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        if as_json:
            return JsonResponse({"status": "invalid", "errors": form.errors.get_json_data()}, status=400)
        return render(request, "surveys/import.html", {"form": form})
    outcome = _run(request, form.cleaned_data)
    if as_json:
        return _as_json(outcome)
    refusal = outcome.get("refusal")
    context = {"form": ImportForm(initial={"survey": form.cleaned_data["survey"]}), **outcome,
               "errors_shown": refusal.errors[:ERRORS_SHOWN] if refusal else []}
    return render(request, "surveys/import.html", context)
