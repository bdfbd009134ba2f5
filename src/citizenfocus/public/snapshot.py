"""What a release holds: the public tables, worked out from the dashboard's own results and published.

Every figure goes through the disclosure control (performance/publication.py,
statistics.md §8): no estimate on a base under `min_base`, and none that can
be worked out from a total and the rest. The neighbourhood tables carry the
force as their total row, so a hidden neighbourhood's base cannot be found by
subtracting the shown ones from the force's base.
"""

from __future__ import annotations

import hashlib
import json

from citizenfocus.areas.models import Neighbourhood
from citizenfocus.communities.selectors import you_said_we_did
from citizenfocus.performance.cube import get_cube
from citizenfocus.performance.pages.base import Column, Filters, Table
from citizenfocus.performance.publication import TOTAL_ROW, publish_table
from citizenfocus.performance.warm import page_result

SURVEYS = {"uss": "satisfaction", "confidence": "confidence"}
GROUPS = (("all", "All"), ("white", "White"), ("bme", "Black and minority ethnic (BME)"))

FORCE_COLUMNS = [Column("label", "Measure")] + [
    c for key, label in GROUPS for c in (
        Column(f"{key}_rate", f"{label}: rate", "rate"), Column(f"{key}_ci_low", f"{label}: 95% interval from", "rate"),
        Column(f"{key}_ci_high", f"{label}: to", "rate"), Column(f"{key}_n", f"{label}: people answering (n)", "int"))
] + [Column("gap_diff", "Gap (white minus BME, points)", "diff"), Column("gap_verdict", "Gap significance", "verdict")]

AREA_COLUMNS = [Column("name", "Area"), Column("division", "Division"), Column("rate", "Rate", "rate"),
                Column("ci_low", "95% interval from", "rate"), Column("ci_high", "to", "rate"),
                Column("n", "People answering (n)", "int")]

YOU_SAID_COLUMNS = [Column("neighbourhood", "Neighbourhood"), Column("priority", "Local priority"),
                    Column("raised_by", "Raised by"), Column("raised_on", "Raised on"),
                    Column("you_said", "You said"), Column("we_did", "We did"), Column("done_on", "Done on")]


def _force_filters(cube) -> Filters:
    return Filters(survey=cube.survey_key, measure=cube.definition.overall_measure, period="",
                   crime_type=None, division=None, neighbourhood=None)


def _survey_tables(survey: str, word: str, min_base: int) -> tuple[dict, str] | None:
    """The force table (every measure by group) and the neighbourhood table (the overall measure), published."""
    cube = get_cube(survey)
    if cube is None:
        return None
    filters = _force_filters(cube)
    _, overview = page_result("overview", cube, filters)
    _, hoods = page_result("neighbourhoods", cube, filters)
    rows, period = overview.tables["rates"].rows, overview.extra["period"]["label"]
    force = Table(f"{word.capitalize()} across the force by measure, {period}",
                  FORCE_COLUMNS, rows)
    overall = next(r for r in rows if r["measure"] == cube.definition.overall_measure.key)
    total = {"name": "The whole force", "division": "", TOTAL_ROW: True,
             **{k: overall[f"all_{k}"] for k in ("rate", "ci_low", "ci_high", "n")}}
    areas = sorted(hoods.tables["neighbourhoods"].rows, key=lambda r: (r["division"], r["name"])) if \
        "neighbourhoods" in hoods.tables else []
    by_area = Table(f"{cube.definition.overall_measure.label} by neighbourhood, {period}",
                    AREA_COLUMNS, [*areas, total])
    tables = {f"force-{word}": publish_table(force, min_base=min_base),
              f"neighbourhood-{word}": publish_table(by_area, min_base=min_base)}
    return {k: {**t.as_dict(), "measure": cube.definition.overall_measure.label} for k, t in tables.items()}, period


def release_snapshot(*, min_base: int) -> dict:
    """Every public table as it may be published now, with the neighbourhoods the pages list."""
    tables, periods = {}, {}
    for survey, word in SURVEYS.items():
        found = _survey_tables(survey, word, min_base)
        if found:
            tables.update(found[0])
            periods[word] = found[1]
    said = you_said_we_did()
    tables["you-said-we-did"] = Table("You said, we did: local priorities and what was done",
                                      YOU_SAID_COLUMNS, said).as_dict()
    hoods = [{"code": h.code, "name": h.name, "division": h.division.name}
             for h in Neighbourhood.objects.filter(archived=False).select_related("division")]
    return {"min_base": min_base, "periods": periods, "tables": tables, "neighbourhoods": hoods}


def snapshot_hash(snapshot: dict) -> str:
    """The SHA-256 of a snapshot's canonical JSON: what the analyst saw is what is approved."""
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, default=str).encode()).hexdigest()
