"""The Reports page: ask for a pack, watch it build, download the packs already made."""

from __future__ import annotations

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import wants_json

from .files import FORMATS
from .forms import PackForm
from .models import BoardPack
from .services import board_pack_request

RECENT = 50


def _packs():
    return BoardPack.objects.select_related("division", "meeting")[:RECENT]


@role_required("build_packs")
@require_GET
def reports_page(request):
    packs = list(_packs())
    if wants_json(request):
        return JsonResponse({"packs": [p.as_dict() for p in packs]})
    return render(request, "reports/reports.html", {"form": PackForm(), "packs": packs})


@role_required("build_packs")
@require_POST
def pack_build(request):
    form = PackForm(request.POST)
    if not form.is_valid():
        return render(request, "reports/reports.html", {"form": form, "packs": list(_packs())}, status=400)
    data = form.cleaned_data
    pack = board_pack_request(user=request.user, survey_key=data["survey"], division=data["division"],
                              period=data["period"], meeting=data["meeting"], fmt=data["format"],
                              body=data["body"], author=data["author"], recommendation=data["recommendation"])
    return redirect("reports:pack", pk=pack.pk)


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
