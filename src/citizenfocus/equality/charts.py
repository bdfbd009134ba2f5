"""Vega-Lite specs for the equality pages: choropleth maps, ratios, the Poisson funnel and the u-chart.

Every chart is drawn from the rows of the table printed under it; marks stay out of the ARIA tree
(performance.charts.accessible), the table is the accessible alternative.
"""

from __future__ import annotations

import json

from citizenfocus.performance.charts import SCHEMA, accessible

# Funnel positions (searches.funnel_words) and their colours: grey within, red above, blue below.
FUNNEL_WORDS = {"within the funnel: not different from the force": "#505a5f",
                "above the force (outside 99.8% limits)": "#d4351c",
                "below the force (outside 99.8% limits)": "#1d70b8"}


def _base(title: str, description: str, width: int = 640, height: int = 320) -> dict:
    return {"$schema": SCHEMA, "title": title, "description": description, "width": width, "height": height,
            "config": {"font": "Arial", "aria": False, "axis": {"labelFontSize": 12, "titleFontSize": 13}}}


def _signed_area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False)) / 2


def _polygon_for_d3(rings: list) -> list:
    """d3-geo (which draws Vega's geoshape) reads rings on the sphere: an outer ring must run clockwise,
    holes anticlockwise, or it means the whole globe outside it. GeoJSON (RFC 7946) asks the opposite."""
    return [ring if (_signed_area(ring) < 0) == (i == 0) else ring[::-1] for i, ring in enumerate(rings)]


def for_d3(geometry: dict) -> dict:
    if geometry.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon_for_d3(geometry["coordinates"])}
    return {"type": "MultiPolygon", "coordinates": [_polygon_for_d3(p) for p in geometry["coordinates"]]}


@accessible
def choropleth(boundaries: list, values: dict[str, float | None], *, title: str, legend: str, fmt: str,
               highlight: str | None = None) -> dict:
    """Neighbourhoods shaded by value (grey where there is none); `highlight` outlines one neighbourhood."""
    features = [{"type": "Feature", "geometry": for_d3(b.geometry),
                 "properties": {"code": b.code, "name": b.name, "value": values.get(b.code)}} for b in boundaries]
    spec = _base(title, f"Map of neighbourhoods shaded by {legend}", height=420)
    spec["projection"] = {"type": "mercator"}
    spec["data"] = {"values": {"type": "FeatureCollection", "features": features},
                    "format": {"type": "json", "property": "features"}}
    tooltip = [{"field": "properties.name", "title": "Neighbourhood"},
               {"field": "properties.value", "title": legend, "format": fmt}]
    # One layer over every shape (so the projection fits them all): grey where there is no value.
    shaded = {"mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5, "invalid": None},
              "encoding": {"color": {"condition": {"test": "datum.properties.value == null", "value": "#dddddd"},
                                     "field": "properties.value", "type": "quantitative", "title": legend,
                                     "legend": {"format": fmt}, "scale": {"scheme": "blues"}},
                           "tooltip": tooltip}}
    layers = [shaded]
    if highlight:
        is_it = f"datum.properties.code === {json.dumps(highlight)}"
        layers.append({"mark": {"type": "geoshape", "filled": False, "strokeWidth": 3},
                       "encoding": {"stroke": {"condition": {"test": is_it, "value": "#d4351c"}, "value": None},
                                    "strokeOpacity": {"condition": {"test": is_it, "value": 1}, "value": 0}}})
    spec["layer"] = layers
    return spec


@accessible
def ratio_chart(rows: list[dict], *, title: str) -> dict:
    """Each group's ratio to White with its 95% interval, on a log scale, against a line at 1."""
    rows = [r for r in rows if r.get("ratio")]
    spec = _base(title, "Disproportionality ratio to White people with 95% confidence intervals", height=40 * 5)
    spec["data"] = {"values": rows}
    y = {"field": "group", "type": "nominal", "title": None, "sort": None}
    x = {"field": "ratio", "type": "quantitative", "title": "Times as likely as White people",
         "scale": {"type": "log"}}
    spec["layer"] = [
        {"mark": {"type": "rule", "color": "#505a5f"},
         "encoding": {"y": y, "x": {"field": "ratio_low", "type": "quantitative", "scale": {"type": "log"}},
                      "x2": {"field": "ratio_high"}}},
        {"mark": {"type": "point", "filled": True, "size": 80, "color": "#1d70b8"},
         "encoding": {"y": y, "x": x, "tooltip": [{"field": "group"}, {"field": "ratio", "format": ".2f"},
                                                  {"field": "ratio_low", "format": ".2f"},
                                                  {"field": "ratio_high", "format": ".2f"}]}},
        {"data": {"values": [{"one": 1}]}, "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#0b0c0c"},
         "encoding": {"x": {"field": "one", "type": "quantitative"}}},
    ]
    return spec


@accessible
def poisson_funnel_chart(rows: list[dict], *, title: str) -> dict:
    """Each neighbourhood's searches per 1,000 against its residents, within the force's 95% and 99.8% limits."""
    spec = _base(title, "Funnel plot: searches per 1,000 residents against residents, with 95% and 99.8% limits")
    spec["data"] = {"values": rows}
    x = {"field": "residents", "type": "quantitative", "title": "Residents (census)"}
    lines = [{"mark": {"type": "line", "color": colour, "strokeDash": dash, "interpolate": "monotone"},
              "encoding": {"x": x, "y": {"field": field, "type": "quantitative"}}}
             for field, colour, dash in (("low95", "#6f777b", [4, 3]), ("high95", "#6f777b", [4, 3]),
                                         ("low998", "#0b0c0c", [1, 0]), ("high998", "#0b0c0c", [1, 0]))]
    points = {"mark": {"type": "point", "filled": True, "size": 60},
              "encoding": {"x": x, "y": {"field": "rate_per_1000", "type": "quantitative",
                                         "title": "Searches per 1,000 residents"},
                           "color": {"field": "signal", "type": "nominal", "title": None,
                                     "legend": {"orient": "bottom", "labelLimit": 400},
                                     "scale": {"domain": list(FUNNEL_WORDS), "range": list(FUNNEL_WORDS.values())}},
                           "tooltip": [{"field": "neighbourhood"}, {"field": "rate_per_1000", "format": ".2f"},
                                       {"field": "residents", "format": ","}, {"field": "signal"}]}}
    spec["layer"] = [*lines, points]  # a line joins its points in order of x: the limits are curves
    return spec


@accessible
def count_chart(points: list[dict], *, title: str, unit: str) -> dict:
    """A u-chart: each month's rate with its centre line and 3-sigma limits."""
    spec = _base(title, f"Control chart (u-chart) of {unit} by month with centre line and control limits")
    spec["data"] = {"values": points}
    x = {"field": "label", "type": "ordinal", "sort": None, "title": None}

    def y(field: str) -> dict:  # one y scale and axis for every layer
        return {"field": field, "type": "quantitative", "title": unit}

    spec["layer"] = [
        *({"mark": {"type": "line", "color": "#6f777b", "strokeDash": [4, 3]},
           "encoding": {"x": x, "y": y(field)}} for field in ("lower", "upper")),
        {"mark": {"type": "line", "color": "#1d70b8"}, "encoding": {"x": x, "y": y("centre")}},
        {"mark": {"type": "line", "point": True, "color": "#0b0c0c"},
         "encoding": {"x": x, "y": y("rate"), "tooltip": [{"field": "label"}, {"field": "rate", "format": ".3f"}]}},
    ]
    spec["resolve"] = {"scale": {"y": "shared"}, "axis": {"y": "shared"}}
    return spec


@accessible
def shares_chart(rows: list[dict], *, title: str) -> dict:
    """Shares of each group side by side (rows: group, who, share)."""
    spec = _base(title, "Share of each ethnic group: residents here, residents of the force and respondents",
                 height=260)
    spec["data"] = {"values": rows}
    spec["mark"] = {"type": "bar"}
    spec["encoding"] = {
        "y": {"field": "group", "type": "nominal", "title": None, "sort": None},
        "yOffset": {"field": "who", "sort": None},
        "x": {"field": "share", "type": "quantitative", "axis": {"format": ".0%"}, "title": "Share"},
        "color": {"field": "who", "type": "nominal", "title": None, "sort": None,
                  "scale": {"range": ["#1d70b8", "#505a5f", "#d4351c"]}},
        "tooltip": [{"field": "group"}, {"field": "who"}, {"field": "share", "format": ".1%"}],
    }
    return spec


@accessible
def rate_chart(rows: list[dict], *, key: str, title: str, description: str) -> dict:
    """Each group's searches per 1,000 residents with its 95% interval (rows without a rate left out)."""
    rows = [r for r in rows if r.get("rate_per_1000") is not None]
    spec = _base(title, description, height=max(120, 40 * len(rows)))
    spec["data"] = {"values": rows}
    y = {"field": key, "type": "nominal", "title": None, "sort": None}
    x = {"field": "rate_per_1000", "type": "quantitative", "title": "Searches per 1,000 residents"}
    spec["layer"] = [
        {"mark": {"type": "rule", "color": "#505a5f", "strokeWidth": 2},
         "encoding": {"y": y, "x": {"field": "rate_low", "type": "quantitative"}, "x2": {"field": "rate_high"}}},
        {"mark": {"type": "point", "filled": True, "size": 80, "color": "#1d70b8"},
         "encoding": {"y": y, "x": x, "tooltip": [{"field": key}, {"field": "rate_per_1000", "format": ".2f"},
                                                  {"field": "rate_low", "format": ".2f"},
                                                  {"field": "rate_high", "format": ".2f"}]}},
    ]
    return spec
