"""The Reports page: ask for a pack, watch it build, download the packs already made."""

from __future__ import annotations

from pathlib import PurePath

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import export_format, table_response, wants_json

from .files import FORMATS
from .forms import PackForm, TemplateUploadForm
from .models import BoardPack, PackTemplate
from .services import board_pack_request, pack_template_retire, pack_template_store

RECENT = 50


def _packs():
    return BoardPack.objects.select_related("division", "meeting", "template")[:RECENT]


# the list of packs as CSV and XLSX: the page's columns, with the JSON twin's id, times and error
PACK_LIST_HEADER = ["Pack", "Asked for", "By", "Area", "Period", "Format", "Status", "Finished", "File", "Error"]


def _pack_list_row(pack: BoardPack) -> list:
    return [pack.pk, pack.requested_at.isoformat(), pack.requested_by_name,
            f"{pack.division.name} division" if pack.division_id else "Whole force", pack.period_label,
            pack.get_format_display(), pack.get_status_display(),
            pack.finished_at.isoformat() if pack.finished_at else "", pack.file_name, pack.error]


def _page(request, *, form=None, upload=None, status=200, message=""):
    return render(request, "reports/reports.html", {
        "form": form or PackForm(), "upload": upload or TemplateUploadForm(), "packs": list(_packs()),
        "templates": list(PackTemplate.objects.filter(retired_at__isnull=True)), "message": message},
        status=status)


@role_required("build_packs")
@require_GET
def reports_page(request):
    if fmt := export_format(request):
        return table_response(fmt, "board-packs", PACK_LIST_HEADER, (_pack_list_row(p) for p in _packs()))
    if wants_json(request):
        return JsonResponse({"packs": [p.as_dict() for p in _packs()],
                             "templates": [t.as_dict() for t in PackTemplate.objects.all()]})
    return _page(request, message=request.GET.get("done", "")[:20])


@role_required("build_packs")
@require_POST
def pack_build(request):
    form = PackForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    data = form.cleaned_data
    pack = board_pack_request(user=request.user, survey_key=data["survey"], division=data["division"],
                              period=data["period"], meeting=data["meeting"], fmt=data["format"],
                              body=data["body"], author=data["author"], recommendation=data["recommendation"],
                              crime_type=data["crime_type"], template=data["template"])
    return redirect("reports:pack", pk=pack.pk)


@role_required("build_packs")
@require_POST
def template_upload(request):
    """Keep the force's Word template for later packs; a file that is not one is refused and not kept."""
    upload = TemplateUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, upload=upload, status=400)
    template = pack_template_store(user=request.user, name=upload.cleaned_data["name"], checked=upload.checked)
    if wants_json(request):
        return JsonResponse(template.as_dict(), status=201)
    return redirect(f"{reverse('reports:reports')}?done=template#templates")


@role_required("build_packs")
@require_POST
def template_retire(request, pk: int):
    template = get_object_or_404(PackTemplate, pk=pk)
    pack_template_retire(user=request.user, template=template)
    return redirect(f"{reverse('reports:reports')}?done=retired#templates")


@role_required("build_packs")
@require_GET
def template_download(request, pk: int):
    template = get_object_or_404(PackTemplate, pk=pk)
    name = PurePath(template.original_name).with_suffix(".docx").name  # a .dotx is kept as a document
    return FileResponse(template.file.open("rb"), as_attachment=True, filename=name,
                        content_type=FORMATS["docx"])


@role_required("build_packs")
@require_GET
def pack_detail(request, pk: int):
    """One pack: its progress while it builds (the page polls this JSON twin), then its file."""
    pack = get_object_or_404(BoardPack.objects.select_related("division", "meeting"), pk=pk)
    if wants_json(request):
        return JsonResponse(pack.as_dict())
    return render(request, "reports/pack_page.html", {"pack": pack})


@role_required("build_packs")
@require_GET
def pack_download(request, pk: int):
    pack = get_object_or_404(BoardPack, pk=pk, status=BoardPack.Status.DONE)
    if not pack.file:
        raise Http404("this pack has no file")
    return FileResponse(pack.file.open("rb"), as_attachment=True, filename=pack.file_name,
                        content_type=FORMATS[pack.format])
