"""The compliance page: the PCC's measures by group, the white − BME gap, the trend with its control chart,
and kept-informed satisfaction beside compliance for the same areas and months."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import export_format, table_response, wants_json
from citizenfocus.performance.charts import trend_chart

from . import compliance as c
from .measures import MEASURE_KEYS, MEASURES
from .models import Team, VictimRecord
from .rules import load_rules

TABLES = {
    "compliance": ("group", "measure", "measure_label", "met", "n", "rate", "ci_low", "ci_high", "kept_informed_rate",
                   "kept_informed_n", "kept_informed_ci_low", "kept_informed_ci_high"),
    "gaps": ("group", "measure", "measure_label", "white_rate", "white_n", "bme_rate", "bme_n", "gap", "gap_ci_low",
             "gap_ci_high", "verdict"),
    "trend": ("month", "rate", "n", "centre", "lcl", "ucl", "signal"),
}


def _by(request) -> tuple[str, ...]:
    text = ",".join(request.GET.getlist("by")) or "division,ethnic_group"
    return tuple(dict.fromkeys(b.strip() for b in text.split(",") if b.strip()))


def compliance_result(*, by: tuple[str, ...], period: str | None, measure: str, as_at) -> dict:
    """Everything the page, its JSON twin and its exports show (ComplianceError for a bad request)."""
    c.check_by(by)
    if measure not in MEASURE_KEYS:
        raise c.ComplianceError(f"unknown measure {measure!r}: use one of {', '.join(MEASURE_KEYS)}")
    period = period or c.default_period(as_at)
    # Compliance is of the whole force's cases: aggregates only, no victim is shown.
    records, parsed = c.in_period(VictimRecord.objects.select_related("division", "team")
                                  .prefetch_related("events"), period)
    results = c.case_results(records, load_rules(), as_at)
    rows = c.compliance_rows(results, by=by)
    _put_kept_informed_beside(rows, by=by, period=parsed.spec)
    gaps = c.compliance_gaps(results, by=by) if "ethnic_group" in by else []
    trend = c.compliance_trend(results, measure=measure)
    return {"period": parsed.as_dict(), "as_at": as_at.isoformat(), "by": list(by), "measure": measure,
            "rows": rows, "gaps": gaps, "trend": trend, "kept_informed_note": _note(by), "cases": len(results),
            "measures": [m.__dict__ for m in MEASURES]}


def _put_kept_informed_beside(rows: list[dict], *, by: tuple[str, ...], period: str) -> None:
    """Each row gets the survey's kept-informed satisfaction for the same group; a team's is its division's
    (the survey does not record teams)."""
    survey_by = tuple(dict.fromkeys("division" if b == "team" else b for b in by))
    beside, _ = c.kept_informed_beside(by=survey_by, period=period)
    division_of = dict(Team.objects.values_list("name", "division__name")) if "team" in by else {}
    for row in rows:
        values = dict(row["group"])
        if "team" in by:
            values["division"] = division_of.get(values["team"], "")
        survey = beside.get(tuple(str(values[b]) for b in survey_by))
        row.update({f"kept_informed_{k}": survey.get(k) if survey else None for k in ("rate", "n", "ci_low", "ci_high")})


def _note(by: tuple[str, ...]) -> str:
    if "quarter" in by:
        return "Kept-informed satisfaction is shown by division, team, crime type, ethnic group and month, not quarter."
    if "team" in by:
        return "Beside a team: kept-informed satisfaction of victims in the team's division (the survey does not record teams)."
    return ""


def _trend_points(trend: dict) -> list[dict]:
    signals = {p for s in trend["signals"] for p in s["points"]}
    return [{"month": p["label"], "rate": p["rate"], "n": p["base"], "centre": p["centre"], "lcl": p["lower"],
             "ucl": p["upper"], "ci_low": None, "ci_high": None, "rolling_rate": None,
             "signal": "signal" if p["label"] in signals else ""} for p in trend["points"]]


def _month_reported(spec: dict) -> dict:
    """The dashboard's trend chart, its months being when crimes were reported (not survey interviews)."""
    for layer in spec.get("layer", []):
        x = layer.get("encoding", {}).get("x")
        if x and "title" in x:
            x["title"] = "Month reported"
    return spec


def _flat(row: dict) -> dict:
    return {**row, "group": ", ".join(str(v) for v in row["group"].values())}


@role_required("victims_compliance")
def compliance_page(request):
    as_at = timezone.localdate()
    try:
        result = compliance_result(by=_by(request), period=request.GET.get("period") or None,
                                   measure=request.GET.get("measure") or "updates_on_time", as_at=as_at)
    except c.ComplianceError as exc:
        if wants_json(request):
            return JsonResponse({"error": str(exc)}, status=400)
        return render(request, "victims/compliance.html", {"error": str(exc)}, status=400)
    points = _trend_points(result["trend"])
    if fmt := export_format(request):
        table = request.GET.get("table") or "compliance"
        source = {"compliance": result["rows"], "gaps": result["gaps"], "trend": points}.get(table, result["rows"])
        header = TABLES.get(table, TABLES["compliance"])
        return table_response(fmt, f"victims-{table}", header, ([_flat(r).get(h) for h in header] for r in source))
    if wants_json(request):
        return JsonResponse(result)
    spec = _month_reported(trend_chart(points, title=f"{result['trend'].get('measure_label', '')}: compliance by "
                                   "month of report", change_points=[])) if points else None
    query = request.GET.copy()
    for key in ("format", "table"):
        query.pop(key, None)
    return render(request, "victims/compliance.html", {
        "result": result, "rows": [_flat(r) for r in result["rows"]], "gaps": [_flat(g) for g in result["gaps"]],
        "points": points, "spec": spec, "query": query.urlencode(), "measures": MEASURES,
        "groupings": list(c.GROUPINGS)})
