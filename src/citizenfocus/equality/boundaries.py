"""Ward and neighbourhood boundaries from GeoJSON, and which neighbourhood a point falls in.

Accepted: a FeatureCollection of Polygon / MultiPolygon features in longitude/latitude (WGS84), as the
national geography files (properties `WD22CD`, `WD22NM`, ...) or a force's neighbourhood boundaries
(properties `code` and `name`, police.uk's neighbourhood ids) are published as GeoJSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from django.db import transaction

from citizenfocus.areas.models import Neighbourhood, Ward
from citizenfocus.surveys.importing.errors import ImportError_, ProblemLog

from .files import EqualityImportRefused, record_import, refuse_if
from .models import Boundary, EqualityImport

CODE_KEYS = re.compile(r"^(code|id|neighbourhood_code|WD\d\dCD|LSOA\d\dCD)$", re.I)
NAME_KEYS = re.compile(r"^(name|WD\d\dNM|LSOA\d\dNM)$", re.I)


def _property(properties: dict, pattern: re.Pattern) -> str:
    return next((str(v).strip() for k, v in properties.items() if pattern.match(k) and v not in (None, "")), "")


def _rings(geometry: dict) -> list[list]:
    """The outer and inner rings of a Polygon or MultiPolygon."""
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _geometry_problem(geometry) -> str:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "is not a Polygon or MultiPolygon geometry"
    try:
        points = [p for ring in _rings(geometry) for p in ring]
        if not points or any(not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90) for p in points):
            return "has coordinates that are not longitude/latitude (WGS84); reproject from British National Grid"
    except (TypeError, IndexError, KeyError):
        return "has coordinates that are not lists of [longitude, latitude] pairs"
    return ""


def _load(path: Path, name: str) -> tuple[list, str]:
    data = path.read_bytes()
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EqualityImportRefused([ImportError_(name, None, "", "", f"is not GeoJSON ({exc})")]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise EqualityImportRefused([ImportError_(name, None, "type", "", 'is not a GeoJSON "FeatureCollection"')])
    return document.get("features") or [], hashlib.sha256(data).hexdigest()


def _neighbourhood_for(level: str, code: str, hoods: dict, wards: dict):
    return hoods.get(code) if level == Boundary.Level.NEIGHBOURHOOD else wards.get(code)


@transaction.atomic
def boundaries_import(*, path: Path, level: str, user=None, who_name: str = "",
                      name: str | None = None) -> EqualityImport:
    """Store every feature's boundary (feature n is 'row n' in errors); re-import replaces in place."""
    name = name or path.name
    if level not in Boundary.Level.values:
        raise EqualityImportRefused([ImportError_(name, None, "--level", level, "is not ward or neighbourhood")])
    features, sha = _load(path, name)
    hoods = {h.code: h for h in Neighbourhood.objects.all()}
    wards = {w.code: w.neighbourhood for w in Ward.objects.exclude(code="").select_related("neighbourhood")}
    log, found = ProblemLog(name), {}
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        code = _property(properties, CODE_KEYS)
        problem = _geometry_problem((feature or {}).get("geometry"))
        if not code:
            log.add(number, "properties.code", "", "is missing: each feature needs its area's code")
        elif _neighbourhood_for(level, code, hoods, wards) is None:
            log.add(number, "properties.code", code, f"is not the code of one of the force's {level}s")
        elif code in found:
            log.add(number, "properties.code", code, "appears in two features")
        if problem:
            log.add(number, "geometry", "", problem)
        if code and not problem:
            found[code] = (_property(properties, NAME_KEYS) or code, feature["geometry"])
    if not features:
        log.add(None, "features", "", "is empty: no boundaries in the file")
    refuse_if(log)
    added = changed = 0
    for code, (area_name, geometry) in found.items():
        _, created = Boundary.objects.update_or_create(
            level=level, code=code,
            defaults={"name": area_name[:160], "geometry": geometry,
                      "neighbourhood": _neighbourhood_for(level, code, hoods, wards)})
        added, changed = added + created, changed + (not created)
    return record_import(kind=EqualityImport.Kind.BOUNDARIES, name=name, sha256=sha, rows=len(features), user=user,
                         who_name=who_name, added=added, changed=changed)


def _inside_ring(x: float, y: float, ring) -> bool:
    """Even-odd ray casting (Shimrat 1962, ACM Algorithm 112)."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


class NeighbourhoodLocator:
    """Which neighbourhood a longitude/latitude falls in, from the stored boundaries (bounding boxes first)."""

    def __init__(self, boundaries=None):
        self.shapes = []
        for boundary in boundaries if boundaries is not None else Boundary.objects.exclude(neighbourhood=None):
            rings = _rings(boundary.geometry)
            xs = [p[0] for ring in rings for p in ring]
            ys = [p[1] for ring in rings for p in ring]
            self.shapes.append((min(xs), min(ys), max(xs), max(ys), rings, boundary.neighbourhood_id))

    def neighbourhood_id(self, longitude: float | None, latitude: float | None) -> int | None:
        if longitude is None or latitude is None:
            return None
        for x0, y0, x1, y1, rings, hood in self.shapes:
            if x0 <= longitude <= x1 and y0 <= latitude <= y1:
                # even-odd over all rings: holes and the parts of a MultiPolygon together
                if sum(_inside_ring(longitude, latitude, ring) for ring in rings) % 2:
                    return hood
        return None
