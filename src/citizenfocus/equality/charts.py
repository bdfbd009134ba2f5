"""Vega-Lite specs for the equality pages: choropleth maps, ratios, the Poisson funnel and the u-chart.

Every chart is drawn from the rows of the table printed under it; marks stay out of the ARIA tree
(performance.charts.accessible), the table is the accessible alternative.
"""

from __future__ import annotations

from citizenfocus.performance.charts import SCHEMA, accessible


def _base(title: str, description: str, width: int = 640, height: int = 320) -> dict:
    return {"$schema": SCHEMA, "title": title, "description": description, "width": width, "height": height,
            "config": {"font": "Arial", "aria": False, "axis": {"labelFontSize": 12, "titleFontSize": 13}}}


@accessible
def choropleth(boundaries: list, values: dict[str, float | None], *, title: str, legend: str, fmt: str,
               highlight: str | None = None) -> dict:
    """Neighbourhoods shaded by value (grey where there is none); `highlight` outlines one neighbourhood."""
    features = [{"type": "Feature", "geometry": b.geometry,
                 "properties": {"code": b.code, "name": b.name, "value": values.get(b.code)}} for b in boundaries]
    spec = _base(title, f"Map of neighbourhoods shaded by {legend}", height=420)
    spec["projection"] = {"type": "mercator"}
    spec["data"] = {"values": {"type": "FeatureCollection", "features": features},
                    "format": {"type": "json", "property": "features"}}
    tooltip = [{"field": "properties.name", "title": "Neighbourhood"},
               {"field": "properties.value", "title": legend, "format": fmt}]
    shaded = {"mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
              "encoding": {"color": {"field": "properties.value", "type": "quantitative", "title": legend,
                                     "legend": {"format": fmt}, "scale": {"scheme": "blues"}},
                           "tooltip": tooltip}}
    empty = {"transform": [{"filter": "datum.properties.value == null"}],
             "mark": {"type": "geoshape", "fill": "#dddddd", "stroke": "#ffffff", "strokeWidth": 0.5}}
    layers = [empty, {"transform": [{"filter": "datum.properties.value != null"}], **shaded}]
    if highlight:
        layers.append({"transform": [{"filter": {"field": "properties.code", "equal": highlight}}],
                       "mark": {"type": "geoshape", "fill": None, "stroke": "#d4351c", "strokeWidth": 3}})
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
                                     "legend": {"orient": "bottom", "labelLimit": 400}},
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
    spec["layer"] = [
        {"mark": {"type": "line", "color": "#6f777b", "strokeDash": [4, 3]},
         "encoding": {"x": x, "y": {"field": field, "type": "quantitative"}}} for field in ("lower", "upper")
    ] + [
        {"mark": {"type": "line", "color": "#1d70b8"}, "encoding": {"x": x, "y": {"field": "centre"}}},
        {"mark": {"type": "line", "point": True, "color": "#0b0c0c"},
         "encoding": {"x": x, "y": {"field": "rate", "type": "quantitative", "title": unit},
                      "tooltip": [{"field": "label"}, {"field": "rate", "format": ".3f"}]}},
    ]
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
