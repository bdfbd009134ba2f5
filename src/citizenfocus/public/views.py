"""The public site: no log-in, every figure from an approved release (a frozen, disclosure-controlled snapshot)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import table_response, wants_json
from citizenfocus.stats.disclosure import PUBLISH_MIN_BASE

from .models import LICENCE, Release
from .services import release_approve
from .snapshot import release_snapshot, snapshot_hash
from .words import rate_words

LANGUAGES = ("en", "cy")


def _language(request) -> str:
    lang = request.GET.get("lang")
    return lang if lang in LANGUAGES else "en"


def _render(request, template: str, context: dict):
    with translation.override(_language(request)):
        context.update(lang=_language(request), other_lang="cy" if _language(request) == "en" else "en")
        return render(request, template, context)


def _latest() -> Release:
    release = Release.objects.latest_published()
    if release is None:
        raise Http404("no figures have been released yet")
    return release


def _force_rows(release: Release, word: str) -> list[dict]:
    table = release.snapshot["tables"].get(f"force-{word}")
    if not table:
        return []
    m = release.min_base
    return [{"label": r["label"], "all": rate_words(r, m, "all_"), "white": rate_words(r, m, "white_"),
             "bme": rate_words(r, m, "bme_"), "gap": r.get("gap_verdict") or ""} for r in table["rows"]]


def _area_row(release: Release, word: str, name: str) -> dict | None:
    table = release.snapshot["tables"].get(f"neighbourhood-{word}")
    row = next((r for r in (table or {}).get("rows", []) if r["name"] == name), None)
    if row is None:
        return None
    survey = _("Victims' satisfaction") if word == "satisfaction" else _("Public confidence")
    return {"measure": f"{survey}: {table['measure'].lower()}", "words": rate_words(row, release.min_base)}


def _you_said_we_did(rows: list[dict]) -> list[dict]:
    """The release's rows (one per thing done) grouped by priority, dates as dates."""
    grouped: dict[tuple, dict] = {}
    for r in rows:
        item = grouped.setdefault((r["priority"], r["raised_on"]), {
            "priority": r["priority"], "you_said": r["you_said"], "raised_by": r["raised_by"],
            "raised_on": dt.date.fromisoformat(r["raised_on"]), "done": []})
        if r["we_did"]:
            item["done"].append({"text": r["we_did"], "on": dt.date.fromisoformat(r["done_on"])})
    return list(grouped.values())


def _release_context(release: Release) -> dict:
    return {"release": release, "periods": release.snapshot.get("periods", {}),
            "open_data": [(k, t["caption"]) for k, t in release.snapshot["tables"].items()]}


@require_GET
def index(request):
    release = _latest()
    if wants_json(request):
        return JsonResponse(_release_json(request, release))
    return _render(request, "public/index.html", {
        **_release_context(release), "satisfaction": _force_rows(release, "satisfaction"),
        "confidence": _force_rows(release, "confidence"), "neighbourhoods": release.snapshot["neighbourhoods"]})


@require_GET
def neighbourhood(request, code: str):
    release = _latest()
    hood = next((h for h in release.snapshot["neighbourhoods"] if h["code"] == code), None)
    if hood is None:
        raise Http404("no such neighbourhood in the latest release")
    said = [r for r in release.snapshot["tables"]["you-said-we-did"]["rows"] if r.get("neighbourhood_code") == code]
    with translation.override(_language(request)):
        figures = [f for f in (_area_row(release, w, hood["name"]) for w in ("satisfaction", "confidence")) if f]
        force = [f for f in (_area_row(release, w, "The whole force") for w in ("satisfaction", "confidence")) if f]
    if wants_json(request):
        return JsonResponse({"neighbourhood": hood, "figures": figures, "force": force, "you_said_we_did": said,
                             "release": _release_meta(request, release)})
    return _render(request, "public/neighbourhood.html", {**_release_context(release), "hood": hood,
                                                           "figures": figures, "force": force,
                                                           "priorities": _you_said_we_did(said)})


def _release_meta(request, release: Release) -> dict:
    return {"id": release.pk, "title": release.title, "released": release.approved_at.isoformat(),
            "approved_by": release.approved_by_name, "licence": LICENCE, "withdrawn": release.withdrawn_at is not None,
            "tables": {k: {fmt: request.build_absolute_uri(reverse("public:table", args=[release.pk, k, fmt]))
                           for fmt in ("csv", "json")} for k in release.snapshot["tables"]}}


def _release_json(request, release: Release) -> dict:
    return {**_release_meta(request, release), "periods": release.snapshot.get("periods", {}),
            "min_base": release.min_base}


@require_GET
def releases(request):
    found = list(Release.objects.all())
    if wants_json(request):
        return JsonResponse({"licence": LICENCE, "releases": [_release_meta(request, r) for r in found]})
    return _render(request, "public/releases.html", {"releases": found, "licence": LICENCE})


@require_GET
def table(request, pk: int, key: str, fmt: str):
    release = get_object_or_404(Release, pk=pk)
    data = release.snapshot["tables"].get(key)
    if data is None or fmt not in ("csv", "json"):
        raise Http404("no such table or format (csv or json)")
    if fmt == "json":
        return JsonResponse({**data, "release": release.pk, "released": release.approved_at.isoformat(),
                             "licence": LICENCE})
    keys = [c["key"] for c in data["columns"]]
    header = [c["label"] for c in data["columns"]] + ["Release date", "Licence"]
    released = release.approved_at.date().isoformat()
    rows = ([row.get(k) for k in keys] + [released, LICENCE] for row in data["rows"])
    return table_response("csv", f"{key}-release-{release.pk}", header, rows)


@role_required("approve_release")
def approve(request):
    """Preview what would be released now; approve exactly that (its hash) or nothing."""
    if request.method == "POST":
        try:
            release = release_approve(user=request.user, title=request.POST.get("title", ""),
                                      expected_sha256=request.POST.get("sha256", ""), note=request.POST.get("note", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("public:approve")
        messages.success(request, f"Release {release.pk} approved: it is now on the public site.")
        return redirect("public:releases")
    snapshot = release_snapshot(min_base=PUBLISH_MIN_BASE)
    if wants_json(request):
        return JsonResponse({"sha256": snapshot_hash(snapshot), "snapshot": snapshot})
    return render(request, "public/approve.html", {"snapshot": snapshot, "sha256": snapshot_hash(snapshot),
                                                   "tables": snapshot["tables"]})
