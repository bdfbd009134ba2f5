"""Vega-Lite specs for the dashboard, built in Python.

The page renders a spec with the vendored vega-embed; the PNG and SVG
downloads render the same spec with vl-convert, so the picture in a board
paper is the one on the screen. Every chart also has its data table on the
page (the accessible alternative), built from the same rows.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# An open font shipped in the package: a server has no Arial, and vl-convert draws no text in a font it lacks.
FONT = "DejaVu Sans"
FONT_DIRECTORY = Path(__file__).resolve().parent.parent / "core" / "fonts"
PALETTE = {"all": "#1d70b8", "white": "#505a5f", "bme": "#d4351c", "gap": "#4c2c92"}
PERCENT = {"format": ".0%"}


def _base(title: str, description: str, rows: list[dict], width: int = 640, height: int = 320) -> dict:
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": description,
        "width": width,
        "height": height,
        "data": {"values": rows},
        # The data table under every chart is its accessible alternative: marks stay out of the ARIA tree.
        "config": {"font": FONT, "aria": False, "axis": {"labelFontSize": 12, "titleFontSize": 13}},
    }


def _marks_hidden(node):
    """Every mark aria-hidden: the chart is one image described by its label, the table carries the data."""
    if isinstance(node, dict):
        if "mark" in node:
            mark = node["mark"]
            node["mark"] = {**({"type": mark} if isinstance(mark, str) else mark), "aria": False}
            if node["mark"].get("point") is True:  # a line's point overlay is a mark of its own
                node["mark"]["point"] = {"aria": False}
        for value in node.values():
            _marks_hidden(value)
    elif isinstance(node, list):
        for value in node:
            _marks_hidden(value)
    return node


def accessible(builder):
    from functools import wraps

    @wraps(builder)
    def build(*args, **kwargs):
        return _marks_hidden(builder(*args, **kwargs))

    return build


# A measure's name on a chart's axis: whole (Vega-Lite cuts labels at 180 px, and a question's measures then
# read alike: "Police listen to the concern…" twice), over two lines at its colon ("...: neither agree nor
# disagree")
MEASURE_AXIS = {"labelLimit": 420, "labelExpr": (
    "indexof(datum.label, ': ') < 0 ? datum.label : [slice(datum.label, 0, indexof(datum.label, ': ') + 1), "
    "slice(datum.label, indexof(datum.label, ': ') + 2)]")}


@accessible
def rates_chart(rows: list[dict], *, title: str) -> dict:
    """Rate with its 95% interval for each measure and group (rows: label, group, rate, ci_low, ci_high, n)."""
    spec = _base(title, "Rates with 95% confidence intervals by measure and group", rows, height=60 * 5)
    y = {"field": "label", "type": "nominal", "title": None, "sort": None, "axis": MEASURE_AXIS}
    colour = {
        "field": "group", "type": "nominal", "title": "Group",
        "scale": {"domain": ["all", "white", "bme"], "range": [PALETTE["all"], PALETTE["white"], PALETTE["bme"]]},
    }
    x_scale = {"domain": [0, 1]}
    spec["encoding"] = {"y": y, "yOffset": {"field": "group", "sort": ["all", "white", "bme"]}, "color": colour}
    spec["layer"] = [
        {"mark": {"type": "rule", "strokeWidth": 2},
         "encoding": {"x": {"field": "ci_low", "type": "quantitative", "scale": x_scale, "axis": PERCENT,
                            "title": "Rate (95% interval)"}, "x2": {"field": "ci_high"}}},
        {"mark": {"type": "point", "filled": True, "size": 70},
         "encoding": {"x": {"field": "rate", "type": "quantitative"},
                      "tooltip": [{"field": "label"}, {"field": "group"},
                                  {"field": "rate", "format": ".1%"}, {"field": "n", "title": "base (n)"}]}},
    ]
    return spec


@accessible
def distribution_chart(rows: list[dict], *, title: str) -> dict:
    """Stacked bars of each answer's share by group, the scale in its order (rows: group, answer, code, share, n)."""
    spec = _base(title, "Share giving each answer on the scale, by group", rows, height=60 * 3)
    answers = list(dict.fromkeys(r["answer"] for r in sorted(rows, key=lambda r: r["code"])))
    # An outline on every segment: the scale's pale middle ("neither") stays visible against the page.
    spec["mark"] = {"type": "bar", "stroke": "#505a5f", "strokeWidth": 0.75}
    spec["encoding"] = {
        "y": {"field": "group", "type": "nominal", "title": None, "sort": ["All users", "White", "BME"]},
        "x": {"field": "share", "type": "quantitative", "stack": "normalize", "axis": PERCENT, "title": "Share"},
        "color": {"field": "answer", "type": "nominal", "title": "Answer", "sort": answers,
                  "scale": {"scheme": "redblue", "reverse": True}},
        "order": {"field": "code", "type": "quantitative"},
        "tooltip": [{"field": "group"}, {"field": "answer"}, {"field": "share", "format": ".1%"},
                    {"field": "n", "title": "base (n)"}],
    }
    return spec


@accessible
def trend_chart(points: list[dict], *, title: str, change_points: list[dict]) -> dict:
    """Monthly rate, its interval band, rolling 12 months, control limits and signals."""
    spec = _base(title, "Monthly rate with interval band, rolling 12-month rate and control limits", points, height=340)
    # a tick every six months: monthly ticks ran into each other at a board paper's width
    x = {"field": "month", "type": "temporal", "title": "Month of interview",
         "axis": {"format": "%b %Y", "tickCount": {"interval": "month", "step": 6}}}
    y_scale = {"zero": False}
    layers = [
        {"mark": {"type": "area", "opacity": 0.18, "color": PALETTE["all"]},
         "encoding": {"x": x, "y": {"field": "ci_low", "type": "quantitative", "scale": y_scale}, "y2": {"field": "ci_high"}}},
        {"mark": {"type": "line", "strokeDash": [6, 4], "color": "#6f777b"},
         "encoding": {"x": x, "y": {"field": "ucl", "type": "quantitative"}}},
        {"mark": {"type": "line", "strokeDash": [6, 4], "color": "#6f777b"},
         "encoding": {"x": x, "y": {"field": "lcl", "type": "quantitative"}}},
        {"mark": {"type": "line", "color": "#0b0c0c"},
         "encoding": {"x": x, "y": {"field": "centre", "type": "quantitative"}}},
        {"mark": {"type": "line", "color": PALETTE["gap"], "strokeWidth": 3},
         "encoding": {"x": x, "y": {"field": "rolling_rate", "type": "quantitative"}}},
        {"mark": {"type": "line", "point": True, "color": PALETTE["all"]},
         "encoding": {"x": x, "y": {"field": "rate", "type": "quantitative", "axis": PERCENT, "title": "Rate",
                                    "scale": y_scale},
                      "tooltip": [{"field": "month", "type": "temporal", "format": "%b %Y"},
                                  {"field": "rate", "format": ".1%"}, {"field": "n", "title": "base (n)"},
                                  {"field": "signal", "title": "signal"}]}},
        {"transform": [{"filter": "datum.signal"}],
         "mark": {"type": "point", "shape": "diamond", "size": 160, "filled": True, "color": "#d4351c"},
         "encoding": {"x": x, "y": {"field": "rate", "type": "quantitative"}}},
    ]
    if change_points:
        layers.append({
            "data": {"values": change_points},
            "mark": {"type": "rule", "color": "#f47738", "strokeWidth": 2},
            "encoding": {"x": {"field": "month", "type": "temporal"},
                         "tooltip": [{"field": "reason", "title": "change point"}]},
        })
    spec["layer"] = layers
    return spec


@accessible
def gap_chart(rows: list[dict], *, title: str) -> dict:
    """Gap (white minus BME) with its Newcombe interval for each breakdown row, in the table's order."""
    spec = _base(title, "White minus BME gap in percentage points with 95% intervals; above 0, the rate is "
                 "higher for white users", rows, height=max(120, 36 * len(rows)))
    y = {"field": "label", "type": "nominal", "title": None, "sort": None, "axis": MEASURE_AXIS}
    # whole points only: finer ticks would all print the same rounded label
    x_axis = {"format": "+.0%", "tickMinStep": 0.01,
              "labelExpr": "datum.value == 0 ? '0' : format(datum.value * 100, '+.0f')",
              "title": "White minus BME, percentage points (95% interval); above 0: the rate is higher for white users"}
    spec["layer"] = [
        {"mark": {"type": "rule", "strokeWidth": 2, "color": PALETTE["gap"]},
         "encoding": {"y": y, "x": {"field": "ci_low", "type": "quantitative", "axis": x_axis}, "x2": {"field": "ci_high"}}},
        {"mark": {"type": "point", "filled": True, "size": 70, "color": PALETTE["gap"]},
         "encoding": {"y": y, "x": {"field": "diff", "type": "quantitative"},
                      "tooltip": [{"field": "label"}, {"field": "diff", "format": "+.1%"}, {"field": "verdict"}]}},
        {"data": {"values": [{"zero": 0}]}, "mark": {"type": "rule", "color": "#0b0c0c"},
         "encoding": {"x": {"field": "zero", "type": "quantitative"}}},
    ]
    return spec


POSITIONS = ["within", "above", "below"]
POSITION_TITLE = "Against the 99.8% limits"


@accessible
def funnel_chart(units: list[dict], limits: list[dict], *, title: str) -> dict:
    """Each neighbourhood's rate against its base, with 95% and 99.8% limits around the force rate."""
    spec = _base(title, "Funnel plot: neighbourhood rate against base with 95% and 99.8% control limits", units)
    x = {"field": "n", "type": "quantitative", "title": "Effective base (n_eff)"}
    y_scale = {"zero": False}
    limit_layers = [
        {"data": {"values": limits}, "mark": {"type": "line", "color": colour, "strokeDash": dash},
         "encoding": {"x": {"field": "n", "type": "quantitative"}, "y": {"field": field, "type": "quantitative"}}}
        for field, colour, dash in (
            ("lower95", "#6f777b", [4, 3]), ("upper95", "#6f777b", [4, 3]),
            ("lower998", "#0b0c0c", [1, 0]), ("upper998", "#0b0c0c", [1, 0]),
        )
    ]
    target = {"data": {"values": limits}, "mark": {"type": "line", "color": PALETTE["all"]},
              "encoding": {"x": {"field": "n", "type": "quantitative"}, "y": {"field": "target", "type": "quantitative"}}}
    points = {
        "mark": {"type": "point", "filled": True, "size": 60},
        "encoding": {
            "x": x, "y": {"field": "rate", "type": "quantitative", "axis": PERCENT, "title": "Rate", "scale": y_scale},
            # colour and shape share a title and a domain, so Vega-Lite draws them as one legend; the shape
            # (up above, down below) tells the points apart without colour
            "color": {"field": "position", "type": "nominal", "title": POSITION_TITLE,
                      "scale": {"domain": POSITIONS, "range": ["#505a5f", "#00703c", "#d4351c"]}},
            "shape": {"field": "position", "type": "nominal", "title": POSITION_TITLE,
                      "scale": {"domain": POSITIONS, "range": ["circle", "triangle-up", "triangle-down"]}},
            "tooltip": [{"field": "name"}, {"field": "rate", "format": ".1%"},
                        {"field": "n", "title": "effective base (n_eff)", "format": ".1f"}, {"field": "position"}],
        },
    }
    spec["layer"] = [*limit_layers, target, points]
    return spec


@accessible
def drivers_chart(rows: list[dict], *, title: str) -> dict:
    """Importance (relative weight, %) against performance (the aspect's own rate), one panel per group."""
    spec = _base(title, "Key drivers: importance against performance for each group", rows, width=220, height=240)
    spec["mark"] = {"type": "point", "filled": True, "size": 120}
    spec["encoding"] = {
        # panels in the rows' order (all users, white, BME), as the tables under the chart: not alphabetical
        "column": {"field": "group_label", "type": "nominal", "title": None,
                   "sort": list(dict.fromkeys(r["group_label"] for r in rows))},
        "x": {"field": "rate", "type": "quantitative", "axis": PERCENT, "title": "Performance (satisfied)",
              "scale": {"zero": False}},
        "y": {"field": "importance", "type": "quantitative", "title": "Importance (% of explained variation)"},
        "color": {"field": "label", "type": "nominal", "title": "Aspect"},
        "shape": {"field": "label", "type": "nominal"},
        "tooltip": [{"field": "label"}, {"field": "importance", "format": ".1f"}, {"field": "rate", "format": ".1%"}],
    }
    return spec


@accessible
def peers_chart(rows: list[dict], *, title: str) -> dict:
    """The force and its most similar forces, with intervals and the MSF average."""
    spec = _base(title, "Rates for the force and its most similar forces with 95% intervals", rows,
                 height=max(160, 26 * len(rows)))
    y = {"field": "force", "type": "nominal", "title": None, "sort": "-x"}
    spec["layer"] = [
        {"mark": {"type": "rule", "strokeWidth": 2},
         "encoding": {"y": y, "x": {"field": "ci_low", "type": "quantitative", "axis": PERCENT, "title": "Rate (95% interval)",
                                    "scale": {"zero": False}}, "x2": {"field": "ci_high"}}},
        {"mark": {"type": "point", "filled": True, "size": 80},
         "encoding": {"y": y, "x": {"field": "rate", "type": "quantitative"},
                      # the legend names the forces' roles; "Own force: true/false" said nothing to a reader
                      "color": {"field": "role", "type": "nominal", "title": None,
                                "scale": {"domain": ["This force", "Most similar force"],
                                          "range": ["#d4351c", "#1d70b8"]}},
                      "tooltip": [{"field": "force"}, {"field": "rate", "format": ".1%"}, {"field": "n", "title": "base (n)"}]}},
    ]
    return spec


_fonts_registered = False


def _vl_convert():
    """vl-convert with the package's font registered (once per process)."""
    global _fonts_registered
    import vl_convert

    if not _fonts_registered:
        vl_convert.register_font_directory(str(FONT_DIRECTORY))
        _fonts_registered = True
    return vl_convert


def render(spec: dict, fmt: str) -> bytes:
    """The chart as PNG or SVG, rendered by vl-convert from the same spec as the page."""
    vl_convert = _vl_convert()

    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode("utf-8")
    raise ValueError(f"unknown chart format {fmt!r}; use png or svg")
